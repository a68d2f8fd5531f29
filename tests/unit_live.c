/* unit_live.c: what a running worker takes without a restart: KEY=VALUE
 * checked by the key tables as the config's value would be (conf_live.c),
 * nothing changed by a refused one, the checks across keys, set's request
 * on the control protocol, and the sequence lock the supervisor writes
 * the values through (wklive.c). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "ctlproto.h"
#include "tap.h"
#include "wklive.h"

static const char text[] = "coef = 2;\nworkers = (\n"
    "  { name = \"a\"; kind = \"echo\"; port = 1; cost_ms = 10; },\n"
    "  { name = \"n\"; kind = \"echo\"; port = 2; cost_ms = 10;"
    " cost_dist = \"normal\"; cost_sd_ms = 1; } );\n";

/* Does assign on a copy of w fail with a message holding want (NULL: it
 * succeeds), leaving w as it was when it fails? */
static int
set_says(const struct conf_worker *w, const char *assign, const char *want)
{
	struct conf_worker c = *w;
	char err[512] = "";
	int rc = conf_live_set(&c, assign, err, sizeof err);

	if (want == NULL)
		return rc == 0;
	if (rc == 0 || strstr(err, want) == NULL ||
	    memcmp(&c, w, sizeof c) != 0) {
		fprintf(stderr, "# %s: %s\n", assign, err);
		return 0;
	}
	return 1;
}

static void
test_set(const struct conf *c)
{
	const struct conf_worker *a = &c->workers[0], *n = &c->workers[1];
	struct conf_worker w = *a;
	char err[512];

	ok(set_says(a, "cost_ms=30", NULL) && set_says(a, "coef=0.5", NULL) &&
	    set_says(a, "error_rate=0.1", NULL) &&
	    set_says(a, "faults.stall_ms=500", NULL) &&
	    set_says(n, "cost_sd_ms=3", NULL), "the live keys are taken");
	ok(set_says(a, "cost_ms=-1", "cost_ms -1 is out of range (0..") &&
	    set_says(a, "error_rate=2", "error_rate 2 is out of range (0..1)") &&
	    set_says(a, "coef=0", "coef 0 is out of range (> 0"),
	    "a value out of its row's range: refused, with the range");
	ok(set_says(a, "nosuchkey=1", "'nosuchkey' is not a key a running "
	    "worker takes (cost_ms coef") && set_says(a, "port=3", "'port' is not") &&
	    set_says(a, "cost_dist=1", "'cost_dist' is not") &&
	    set_says(a, "faults.port=1", "is not a key"),
	    "a key it does not take while it runs: refused, the keys listed");
	ok(set_says(a, "cost_ms=abc", "not a number") &&
	    set_says(a, "cost_ms=", "not a number") &&
	    set_says(a, "cost_ms=1x", "not a number") &&
	    set_says(a, "cost_ms=nan", "not a number") &&
	    set_says(a, "cost_ms", "is not KEY=VALUE") &&
	    set_says(a, "=1", "is not KEY=VALUE"), "not KEY=NUMBER: refused");
	ok(set_says(a, "cost_sd_ms=1", "not a parameter of cost_dist \"fixed\""),
	    "a parameter of another distribution: refused");
	ok(conf_live_set(&w, "error_rate=0.6", err, sizeof err) == 0 &&
	    w.faults.error_rate == 0.6 && w.faults.key_line[0] > 0 &&
	    conf_live_set(&w, "drop_rate=0.6", err, sizeof err) == 0 &&
	    conf_live_check(c, &w, err, sizeof err) == -1 &&
	    strstr(err, "sum to 1.2") != NULL, "the rates' sum is checked");
	w = *a;
	ok(conf_live_set(&w, "cost_ms=50000000", err, sizeof err) == 0 &&
	    conf_live_check(c, &w, err, sizeof err) == -1 &&
	    strstr(err, "more than a day") != NULL,
	    "the effective cost (x the global coef) is checked");
	w = *a;
	ok(conf_live_set(&w, "cost_min_ms=5", err, sizeof err) == 0 &&
	    conf_live_set(&w, "cost_max_ms=4", err, sizeof err) == 0 &&
	    conf_live_check(c, &w, err, sizeof err) == -1 &&
	    strstr(err, "cost_min_ms <= cost_max_ms") != NULL,
	    "the clamps are checked together");
}

static void
test_proto(void)
{
	struct ctl_req r = { .cmd = CTL_SET, .name = "a", .nset = 2,
	    .set = { "cost_ms=30", "error_rate=1" } }, back;
	char *s = ctlproto_request(&r), err[256];
	static const char *const bad[] = {
		"{\"v\":1,\"cmd\":\"set\",\"name\":\"a\"}",
		"{\"v\":1,\"cmd\":\"set\",\"name\":\"a\",\"set\":[]}",
		"{\"v\":1,\"cmd\":\"set\",\"name\":\"a\",\"set\":[1]}",
		"{\"v\":1,\"cmd\":\"set\",\"name\":\"a\",\"set\":\"x=1\"}",
		"{\"v\":1,\"cmd\":\"set\",\"name\":\"a\",\"set\":[\"\"]}",
		"{\"v\":1,\"cmd\":\"set\",\"set\":[\"x=1\"]}",
	};
	size_t i;
	int refused = 1;

	ok(s != NULL && ctlproto_parse_request(s, strlen(s), &back, err,
	    sizeof err) == 0 && back.cmd == CTL_SET && back.nset == 2 &&
	    strcmp(back.set[1], "error_rate=1") == 0 &&
	    strcmp(back.name, "a") == 0, "set's request round-trips");
	free(s);
	for (i = 0; i < FS_NELEM(bad); i++)
		refused &= ctlproto_parse_request(bad[i], strlen(bad[i]), &back,
		    err, sizeof err) == -1;
	ok(refused, "a set without 1..16 KEY=VALUE strings, or a name: refused");
}

static void
test_seqlock(void)
{
	struct wklive l;
	struct wklive_vals v = { .cost_ms = 30, .coef = 2, .max_ms = HUGE_VAL,
	    .faults = { .error_rate = 0.5 } }, out;
	uint64_t gen = 9;

	memset(&l, 0, sizeof l);
	ok(wklive_gen(&l) == 0 && wklive_read(&l, &out, &gen) == 0 &&
	    gen == 0, "a zeroed block: gen 0, never written");
	wklive_write(&l, &v);
	ok(wklive_gen(&l) == 2 && wklive_read(&l, &out, &gen) == 0 &&
	    gen == 2 && memcmp(&out, &v, sizeof v) == 0,
	    "written: gen 2 and the values");
	l.gen = 3;	/* a writer that died mid-way */
	ok(wklive_read(&l, &out, &gen) == -1, "being written: no copy, no wait");
}

int
main(void)
{
	struct conf_errors errs = { 0 };
	struct conf *c = conf_load_string(text, "t.conf", &errs);

	ok(c != NULL, "the config loads");
	if (c != NULL)
		test_set(c);
	conf_errors_free(&errs);
	conf_free(&c);
	test_proto();
	test_seqlock();
	return tap_done();
}
