/* unit_conf.c: the config module: values and defaults, numbers of every
 * libconfig type, endpoints, control_group and max_frame_bytes, errors,
 * fake-servers.d merging, the printed config parsing back to an equal one,
 * validation as a pure function, and equality and the reload decision
 * going by the key tables. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_priv.h"	/* the key tables */
#include "rng.h"
#include "tap.h"



static const char seed[] =
    "workers = (\n"
    "  { name = \"FakeSegmentation1\"; kind = \"segmentation\";\n"
    "    port = 10001; cost_ms = 30; },\n"
    "  { name = \"FakeSegmentation2\"; kind = \"segmentation\";\n"
    "    port = 10002; cost_ms = 40.0; },\n"
    "  { name = \"FakeClassification\"; kind = \"classification\";\n"
    "    port = 10003; cost_ms = 50L; n_classes = 4; }\n"
    ");\n";

/* Load text; on failure the errors joined by newlines into buf. */
static struct conf *
load(const char *text, char *buf, size_t len)
{
	struct conf_errors errs = { 0 };
	struct conf *c;
	size_t i, n = 0;

	buf[0] = '\0';
	c = conf_load_string(text, "t.conf", &errs);
	for (i = 0; i < errs.n && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s\n", errs.msg[i]);
	conf_errors_free(&errs);
	return c;
}

/* Does text fail with exactly this error text (every line)? */
static int
fails_with(const char *text, const char *want)
{
	char buf[4096];
	struct conf *c = load(text, buf, sizeof buf);

	if (c != NULL) {
		conf_free(&c);
		return 0;
	}
	if (strcmp(buf, want) != 0)
		fprintf(stderr, "# got:\n%s# want:\n%s", buf, want);
	return strcmp(buf, want) == 0;
}

static void
test_seed(void)
{
	char buf[4096];
	struct conf *c = load(seed, buf, sizeof buf);
	const struct conf_worker *w;

	ok(c != NULL && buf[0] == '\0', "the seed config loads");
	if (c == NULL)
		return;
	ok(c->nworkers == 3, "three workers");
	ok(c->coef == 1.0 && strcmp(c->bind, "127.0.0.1") == 0 &&
	    strcmp(c->control, RUNSTATEDIR "/fake-servers/control.sock") == 0 &&
	    strcmp(c->ipc_dir, RUNSTATEDIR "/fake-servers") == 0, "top defaults");
	ok(c->restart.mode == RESTART_ON_FAILURE &&
	    c->restart.backoff_min_ms == 100 && c->restart.backoff_max_ms ==
	    10000 && c->restart.burst == 5 && c->restart.interval_s == 30 &&
	    c->restart.min_uptime_ms == 1000 &&
	    c->restart.start_timeout_ms == 5000 &&
	    c->restart.stop_timeout_ms == 2000, "restart defaults");
	w = conf_find_worker(c, "FakeClassification");
	ok(w != NULL && w->kind == KIND_CLASSIFICATION && w->port == 10003 &&
	    w->cost_ms == 50 && w->window == 16 && w->n_classes == 4,
	    "classification: int64 cost, window 16 by default");
	w = conf_find_worker(c, "FakeSegmentation2");
	ok(w != NULL && w->cost_ms == 40 && w->window == 1 &&
	    w->replicas == 1 && w->coef == 1 &&
	    strcmp(w->host, "127.0.0.1") == 0 &&
	    strcmp(w->output_dtype, "uint8") == 0 &&
	    w->transport == TRANSPORT_TCP && w->line == 4 &&
	    strcmp(w->file, "t.conf") == 0, "worker defaults, file and line");
	ok(conf_find_worker(c, "nope") == NULL, "conf_find_worker: unknown");
	conf_free(&c);
	ok(c == NULL, "conf_free NULLs the pointer");
	conf_free(&c);
}

static void
test_numbers(void)
{
	char buf[4096];
	struct conf *c;

	c = load("coef = 10; workers = ( { name = \"a\"; kind = \"echo\"; "
	    "port = 10001.0; cost_ms = 3L; coef = 2; } );", buf, sizeof buf);
	ok(c != NULL && c->workers[0].port == 10001 &&
	    conf_worker_cost_ms(c, &c->workers[0]) == 60.0,
	    "integral float port, int64 cost, int coef: 3 x 10 x 2 = 60");
	conf_free(&c);
	ok(fails_with("workers = ( { name = \"a\"; kind = \"echo\"; "
	    "port = 4294977297; cost_ms = 1; } );",
	    "t.conf:1: worker 'a': port 4294977297 is out of range "
	    "(1..65535)\n"), "a port beyond 32 bits is not wrapped");
	ok(fails_with("workers = ( { name = \"a\"; kind = \"echo\"; "
	    "port = 1; cost_ms = 99999999999999999999999; } );",
	    "t.conf:1: worker 'a': cost_ms 1e+23 is out of range "
	    "(0..86400000)\n"), "a number beyond 64 bits is out of range");
	ok(fails_with("workers = ( { name = \"a\"; kind = \"echo\"; "
	    "port = 10.5; cost_ms = 0x10; } );",
	    "t.conf:1: worker 'a': port 10.5 is not an integer\n"),
	    "a fractional port");
	c = load("workers = ( { name = \"a\"; kind = \"echo\"; port = 0x2711; "
	    "cost_ms = 0xFFFFFFFF; } );", buf, sizeof buf);
	ok(c == NULL && strstr(buf, "cost_ms 4.29497e+09 is out of range"),
	    "hex beyond 31 bits is read as int64");
	conf_free(&c);
}

static void
test_endpoints(void)
{
	char buf[4096], ep[128];
	struct conf *c;
	const struct conf_worker *w;

	c = load("bind = \"0.0.0.0\"; control = \"/tmp/fs/ctl.sock\";\n"
	    "workers = (\n"
	    "{ name = \"t\"; kind = \"echo\"; port = 20000; cost_ms = 0;"
	    "  replicas = 3; },\n"
	    "{ name = \"i\"; kind = \"echo\"; port = 1; cost_ms = 0;"
	    "  transport = \"ipc\"; replicas = 2; },\n"
	    "{ name = \"s\"; kind = \"echo\"; port = 2; cost_ms = 0;"
	    "  transport = \"shm\"; },\n"
	    "{ name = \"v6\"; kind = \"echo\"; port = 3; cost_ms = 0;"
	    "  host = \"::1\"; } );", buf, sizeof buf);
	ok(c != NULL, "endpoint config loads");
	if (c == NULL) {
		fprintf(stderr, "%s", buf);
		return;
	}
	w = &c->workers[0];
	ok(strcmp(w->host, "127.0.0.1") == 0, "host of bind 0.0.0.0");
	ok(conf_worker_endpoint(c, w, 2, 1, ep, sizeof ep) == 0 &&
	    strcmp(ep, "tcp://0.0.0.0:20002") == 0, "tcp bind, replica 2");
	ok(conf_worker_endpoint(c, w, 0, 0, ep, sizeof ep) == 0 &&
	    strcmp(ep, "tcp://127.0.0.1:20000") == 0, "tcp connect");
	ok(conf_worker_endpoint(c, w, 3, 0, ep, sizeof ep) == -1 &&
	    conf_worker_endpoint(c, w, -1, 0, ep, sizeof ep) == -1,
	    "replica out of range");
	ok(conf_worker_endpoint(c, w, 0, 0, ep, 10) == -1, "truncated");
	ok(conf_worker_endpoint(c, &c->workers[1], 1, 1, ep, sizeof ep) == 0 &&
	    strcmp(ep, "ipc:///tmp/fs/i.1.sock") == 0,
	    "ipc in the control socket's directory");
	ok(conf_worker_endpoint(c, &c->workers[2], 0, 0, ep, sizeof ep) == 0 &&
	    strcmp(ep, "ipc:///tmp/fs/s.0.sock") == 0, "shm: ipc endpoint");
	ok(conf_worker_endpoint(c, &c->workers[3], 0, 0, ep, sizeof ep) == 0 &&
	    strcmp(ep, "tcp://[::1]:3") == 0, "IPv6 host in brackets");
	conf_free(&c);
}

static void
test_same(void)
{
	char buf[4096];
	struct conf *a = load(seed, buf, sizeof buf), *b;

	b = load("coef = 1.0; restart = { policy = \"always\"; };\n"
	    "workers = (\n"
	    "  { name = \"FakeSegmentation1\"; kind = \"segmentation\";\n"
	    "    port = 10001; cost_ms = 15; coef = 2; },\n"
	    "  { name = \"FakeSegmentation2\"; kind = \"segmentation\";\n"
	    "    port = 10002; cost_ms = 41; } );", buf, sizeof buf);
	ok(a != NULL && b != NULL, "two configs load");
	if (a == NULL || b == NULL)
		goto out;
	ok(conf_worker_same(a, &a->workers[0], b, &b->workers[0]),
	    "same effective cost, other restart policy: same");
	ok(conf_worker_same(a, &a->workers[1], b, &b->workers[1]),
	    "other cost: the same, it takes the cost while it runs");
	ok(!conf_equal(a, b) && conf_equal(a, a), "conf_equal");
out:
	conf_free(&a);
	conf_free(&b);
}

/* Print c, load the text again: equal? */
static int
round_trip(const struct conf *c)
{
	char *text = NULL, buf[4096];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct conf *d;
	int eq;

	if (f == NULL)
		return 0;
	conf_print(f, c);
	fclose(f);
	d = load(text, buf, sizeof buf);
	if (d == NULL)
		fprintf(stderr, "# %s# in:\n%s", buf, text);
	eq = d != NULL && conf_equal(c, d);
	conf_free(&d);
	free(text);
	return eq;
}

static void
test_print(void)
{
	char buf[4096];
	struct conf *c = load(seed, buf, sizeof buf);

	ok(c != NULL && round_trip(c), "the seed config prints and parses "
	    "back equal");
	conf_free(&c);
	c = load("coef = 0.1; bind = \"*\"; control = \"/tmp/a \\\"b\\\\c/x\";"
	    "ipc_dir = \"/tmp/i\"; restart = { policy = \"no\"; burst = 9;"
	    "interval_s = 0.333333333333; };\n"
	    "workers = ( { name = \"x.y-z_1\"; kind = \"classification\";"
	    "port = 65280; replicas = 256; cost_ms = 1e-3; coef = 3.7;"
	    "n_classes = 1000; window = 1024; host = \"h.example\";"
	    "output_dtype = \"float64\"; transport = \"ipc\";"
	    "restart = { policy = \"always\"; backoff_max_ms = 1e5; }; } );",
	    buf, sizeof buf);
	ok(c != NULL && c->workers[0].restart.mode == RESTART_ALWAYS &&
	    c->workers[0].restart.burst == 9 &&
	    c->workers[0].restart.backoff_max_ms == 1e5 &&
	    c->restart.backoff_max_ms == 10000, "worker restart overrides "
	    "the top policy key by key");
	ok(c != NULL && round_trip(c), "every key set, odd numbers and an "
	    "escaped string print and parse back equal");
	if (c == NULL)
		fprintf(stderr, "%s", buf);
	conf_free(&c);
}

/* curve: inheritance key by key, what a worker's own keys clear, the
 * public key's default, a reload's view of it, the printed form. */
static void
test_curve(void)
{
	char buf[4096];
	struct conf *c, *d;
	const struct conf_worker *w;

	c = load("curve = { secret_key_file = \"/k/w.key_secret\";"
	    " allow_dir = \"/k/clients\"; };\n"
	    "workers = ( { name = \"a\"; kind = \"echo\"; port = 1; cost_ms = 1; },"
	    " { name = \"b\"; kind = \"echo\"; port = 2; cost_ms = 1;"
	    "   curve = { allow_any = true; }; },"
	    " { name = \"c\"; kind = \"echo\"; port = 3; cost_ms = 1;"
	    "   curve = { secret_key_file = \"/k/c.key_secret\"; }; },"
	    " { name = \"d\"; kind = \"echo\"; port = 4; cost_ms = 1;"
	    "   curve = { secret_key_file = \"\"; }; } );", buf, sizeof buf);
	ok(c != NULL, "a curve config loads");
	if (c == NULL) {
		fprintf(stderr, "%s", buf);
		return;
	}
	w = c->workers;
	ok(strcmp(c->curve.public_key_file, "/k/w.key") == 0 &&
	    strcmp(w[0].curve.public_key_file, "/k/w.key") == 0 &&
	    strcmp(w[0].curve.allow_dir, "/k/clients") == 0,
	    "the public key defaults to the secret's NAME.key; inherited");
	ok(w[1].curve.allow_any && w[1].curve.allow_dir[0] == '\0',
	    "a worker's allow_any drops the inherited allow_dir");
	ok(strcmp(w[2].curve.public_key_file, "/k/c.key") == 0 &&
	    strcmp(w[2].curve.allow_dir, "/k/clients") == 0,
	    "a worker's own secret_key_file has its own public key");
	ok(!conf_curve_on(&w[3].curve) && w[3].curve.allow_dir[0] == '\0',
	    "secret_key_file = \"\" in a worker: no CURVE there");
	ok(round_trip(c), "it prints and parses back equal");
	d = load("curve = { secret_key_file = \"/k/w.key_secret\";"
	    " allow_any = true; };\n"
	    "workers = ( { name = \"a\"; kind = \"echo\"; port = 1; cost_ms = 1; } );",
	    buf, sizeof buf);
	ok(d != NULL && !conf_worker_same(c, &c->workers[0], d, &d->workers[0]),
	    "allow_dir to allow_any: the worker is not the same");
	conf_free(&d);
	ok(fails_with("curve = { allow_any = 1; };\nworkers = ( { name = \"a\";"
	    " kind = \"echo\"; port = 1; cost_ms = 1; } );",
	    "t.conf:1: curve: allow_any must be a boolean (true or false), "
	    "not an integer\n"), "allow_any is a boolean");
	conf_free(&c);
}

/* control_group and max_frame_bytes: defaults, inheritance, bounds,
 * errors, what conf_worker_same and conf_equal make of them. */
static void
test_keys(void)
{
	static const char two[] =
	    "workers = ( { name = \"a\"; kind = \"echo\"; port = 1; cost_ms = 0;"
	    "  max_frame_bytes = 1024; },"
	    " { name = \"b\"; kind = \"echo\"; port = 2; cost_ms = 0; } );";
	char buf[4096], text[512];
	struct conf *a = load(seed, buf, sizeof buf), *b;
	int eq;

	ok(a != NULL && a->control_group[0] == '\0' &&
	    a->max_frame_bytes == 256ll << 20 &&
	    a->workers[2].max_frame_bytes == 256ll << 20,
	    "control_group unset, max_frame_bytes 256 MiB by default");
	snprintf(text, sizeof text, "control_group = \"fs-ctl\";"
	    "max_frame_bytes = 4294967296; %s", two);
	b = load(text, buf, sizeof buf);
	ok(b != NULL && strcmp(b->control_group, "fs-ctl") == 0 &&
	    b->max_frame_bytes == 4ll << 30 &&
	    b->workers[0].max_frame_bytes == 1024 &&
	    b->workers[1].max_frame_bytes == 4ll << 30,
	    "bounds 1024 and 4 GiB; a worker inherits the top's limit");
	ok(b != NULL && round_trip(b), "both keys print and parse back equal");
	conf_free(&a);
	a = load(two, buf, sizeof buf);
	ok(a != NULL && b != NULL &&
	    conf_worker_same(a, &a->workers[0], b, &b->workers[0]) &&
	    !conf_worker_same(a, &a->workers[1], b, &b->workers[1]) &&
	    !conf_equal(a, b), "another frame limit: not the same worker");
	if (b != NULL) {
		b->max_frame_bytes = a->max_frame_bytes;
		b->workers[1].max_frame_bytes = a->workers[1].max_frame_bytes;
		eq = conf_equal(a, b);
		b->control_group[0] = '\0';
		ok(!eq && conf_equal(a, b), "conf_equal compares control_group");
	}
	conf_free(&a);
	conf_free(&b);
	ok(fails_with("control_group = 1;\nmax_frame_bytes = 1023;\n"
	    "workers = ( { name = \"a\"; kind = \"echo\"; port = 1; cost_ms = 0; },\n"
	    "{ name = \"b\"; kind = \"echo\"; port = 2; cost_ms = 0;"
	    " max_frame_bytes = \"1M\"; },\n"
	    "{ name = \"c\"; kind = \"echo\"; port = 3; cost_ms = 0;"
	    " max_frame_bytes = 4294967297; } );\n",
	    "t.conf:1: control_group must be a string, not an integer\n"
	    "t.conf:2: max_frame_bytes 1023 is out of range (1024..4294967296)\n"
	    "t.conf:4: worker 'b': max_frame_bytes must be an integer, not a "
	    "string\n"
	    "t.conf:5: worker 'c': max_frame_bytes 4294967297 is out of range "
	    "(1024..4294967296)\n"), "wrong types, out of range; a worker "
	    "inheriting a bad limit is not reported again");
	ok(fails_with("control_group = \"a b\";\n"
	    "workers = ( { name = \"a\"; kind = \"echo\"; port = 1; cost_ms = 0; } );",
	    "t.conf:1: control_group 'a b' is not a group name (A-Z a-z 0-9 _ "
	    ". -)\n"), "control_group must look like a group name");
}

/* Every range the messages state, one key each, as its numbers give it. */
static void
test_ranges(void)
{
	ok(fails_with("coef = 0; max_frame_bytes = 1;\n"
	    "restart = { backoff_min_ms = 0; backoff_max_ms = 0; burst = 0;"
	    " interval_s = 0; min_uptime_ms = -1; start_timeout_ms = 0;"
	    " stop_timeout_ms = 0; };\n"
	    "workers = ( { name = \"a\"; kind = \"echo\"; port = 0;"
	    " cost_ms = -1; coef = 0; replicas = 0; n_classes = 0; window = 0;"
	    " max_frame_bytes = 1; } );\n",
	    "t.conf:1: coef 0 is out of range (> 0, <= 1000000)\n"
	    "t.conf:1: max_frame_bytes 1 is out of range (1024..4294967296)\n"
	    "t.conf:2: restart: backoff_min_ms 0 is out of range "
	    "(> 0, <= 86400000)\n"
	    "t.conf:2: restart: backoff_max_ms 0 is out of range "
	    "(> 0, <= 86400000)\n"
	    "t.conf:2: restart: burst 0 is out of range (1..32)\n"
	    "t.conf:2: restart: interval_s 0 is out of range (> 0, <= 86400)\n"
	    "t.conf:2: restart: min_uptime_ms -1 is out of range "
	    "(0..86400000)\n"
	    "t.conf:2: restart: start_timeout_ms 0 is out of range "
	    "(> 0, <= 86400000)\n"
	    "t.conf:2: restart: stop_timeout_ms 0 is out of range "
	    "(> 0, <= 86400000)\n"
	    "t.conf:3: worker 'a': port 0 is out of range (1..65535)\n"
	    "t.conf:3: worker 'a': cost_ms -1 is out of range (0..86400000)\n"
	    "t.conf:3: worker 'a': coef 0 is out of range (> 0, <= 1000000)\n"
	    "t.conf:3: worker 'a': replicas 0 is out of range (1..256)\n"
	    "t.conf:3: worker 'a': n_classes 0 is out of range (1..65536)\n"
	    "t.conf:3: worker 'a': window 0 is out of range (1..1024)\n"
	    "t.conf:3: worker 'a': max_frame_bytes 1 is out of range "
	    "(1024..4294967296)\n"), "every range, as its numbers give it");
}

static void
test_errors(void)
{
	ok(fails_with("", "t.conf: no workers defined\n"), "empty text");
	ok(fails_with("# nothing\n", "t.conf: no workers defined\n"),
	    "only a comment");
	ok(fails_with("workers = ();\n", "t.conf:1: no workers defined\n"),
	    "an empty list");
	ok(fails_with("a = 1;\nb = ;\n", "t.conf:2: syntax error\n"),
	    "libconfig's syntax error and line");
	ok(fails_with("a = 1;\nb = { \"x\" };\n", "t.conf:2: syntax error\n") &&
	    fails_with("c\"\"\"a\"\"", "t.conf:1: syntax error\n"),
	    "a string where a name is expected: libconfig's syntax error");
	ok(fails_with("workers = ( { name = \"a\"; kind = \"\\x1b[2J\\n\";"
	    " port = 1; cost_ms = 1; } );", "t.conf:1: worker 'a': unknown "
	    "kind '?[2J?' (expected segmentation, classification, echo or "
	    "detection)\n"),
	    "control characters in a message are shown as ?");
	ok(fails_with("@include \"/etc/passwd\"\n", "t.conf:1: @include and "
	    "other directives are not supported (put workers in "
	    "fake-servers.d instead)\n"), "@include is refused");
	ok(fails_with("foo = 1;\nrestart = { bar = 1; policy = \"x\"; };\n"
	    "workers = ( { name = \"a\"; kind = \"echo\"; port = 1;\n"
	    " cost_ms = -1; baz = 2; }, { kind = \"x\"; } );\n",
	    "t.conf:1: unknown key 'foo'\n"
	    "t.conf:2: restart: unknown key 'bar'\n"
	    "t.conf:2: restart: unknown policy 'x' (expected no, on-failure "
	    "or always)\n"
	    "t.conf:4: worker 'a': unknown key 'baz'\n"
	    "t.conf:4: worker at line 4: unknown kind 'x' (expected "
	    "segmentation, classification, echo or detection)\n"
	    "t.conf:4: worker 'a': cost_ms -1 is out of range (0..86400000)\n"
	    "t.conf:4: worker at line 4: missing required key 'name'\n"
	    "t.conf:4: worker at line 4: missing required key 'port'\n"
	    "t.conf:4: worker at line 4: missing required key 'cost_ms'\n"),
	    "every error, in line order");
	ok(fails_with("workers = ( { name = \"a\"; kind = \"echo\"; port = 1;"
	    "cost_ms = 1; replicas = 2; },\n{ name = \"a\"; kind = \"echo\";"
	    "port = 2; cost_ms = 1; } );\n",
	    "t.conf:2: duplicate worker name 'a' (first defined at t.conf:1)\n"
	    "t.conf:2: worker 'a': port 2 overlaps worker 'a' (ports 1..2, "
	    "t.conf:1) on host 127.0.0.1\n"), "duplicate name, overlap");
	ok(fails_with("workers = ( { name = \"a\"; kind = \"echo\"; port = 1;"
	    "cost_ms = 1; replicas = 2; },\n{ name = \"b\"; kind = \"echo\";"
	    "port = 2; cost_ms = 1; host = \"other\"; },\n{ name = \"c\";"
	    "kind = \"echo\"; port = 2; cost_ms = 1; transport = \"ipc\"; } );\n"
	    "x = 1;\n", "t.conf:4: unknown key 'x'\n"),
	    "no overlap on another host or over ipc");
}

static void
test_validate_pure(void)
{
	char buf[4096];
	struct conf *c = load(seed, buf, sizeof buf);
	struct conf_errors errs = { 0 };

	if (c == NULL) {
		ok(0, "seed loads");
		return;
	}
	ok(conf_validate(c, &errs) == 0 && errs.n == 0, "a loaded config "
	    "validates");
	c->workers[2].port = 10001;
	c->workers[1].replicas = 0;
	ok(conf_validate(c, &errs) == -1 && errs.n == 2 &&
	    strcmp(errs.msg[0], "t.conf:4: worker 'FakeSegmentation2': "
	    "replicas 0 is out of range (1..256)") == 0 &&
	    strstr(errs.msg[1], "port 10001 overlaps worker "
	    "'FakeSegmentation1'") != NULL, "conf_validate on a changed struct");
	conf_errors_free(&errs);
	ok(errs.msg == NULL && errs.n == 0, "conf_errors_free resets");
	conf_free(&c);
}

/* A config of n echo workers w0..w(n-1): good ones (ports 10000, 10002,
 * ..., two replicas each, cost i) or, when bad, every one on port 0.
 * free() the text. */
static char *
workers_text(int n, int bad)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int i;

	if (f == NULL)
		return NULL;
	fputs("workers = (\n", f);
	for (i = 0; i < n; i++)
		if (bad)
			fprintf(f, "%s{ name = \"w%d\"; kind = \"echo\"; "
			    "port = 0; cost_ms = 1; }\n", i ? "," : "", i);
		else
			fprintf(f, "%s{ name = \"w%d\"; kind = \"echo\"; "
			    "port = %d; cost_ms = %d; replicas = 2; }\n",
			    i ? "," : "", i, 10000 + 2 * i, i);
	fputs(");\n", f);
	fclose(f);
	return text;
}

static void
test_many(void)
{
	char buf[4096], *text = workers_text(300, 0);
	struct conf *c;

	if (text == NULL)
		return;
	c = load(text, buf, sizeof buf);
	ok(c != NULL && c->nworkers == 300 &&
	    strcmp(c->workers[299].name, "w299") == 0 &&
	    c->workers[299].port == 10598, "300 workers, 600 ports");
	ok(c != NULL && round_trip(c), "300 workers round trip");
	conf_free(&c);
	free(text);
}

static void
test_too_many_errors(void)
{
	struct conf_errors errs = { 0 };
	char *text = workers_text(1200, 1);
	struct conf *c;

	if (text == NULL)
		return;
	c = conf_load_string(text, "t.conf", &errs);
	ok(c == NULL && errs.n == 1001 && strcmp(errs.msg[1000],
	    "t.conf: too many errors, giving up") == 0,
	    "1000 errors at most, then one that says so, last");
	conf_errors_free(&errs);
	free(text);
}

/* Write len bytes of text, or all of it if len is 0. */
static int
write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fwrite(text, 1, len ? len : strlen(text), f);
	return fclose(f);
}

static int
loads_dir(const char *dir, char *buf, size_t len, int flags,
    struct conf **cp)
{
	struct conf_errors errs = { 0 };
	char path[512];
	size_t i, n = 0;

	snprintf(path, sizeof path, "%s/fs.conf", dir);
	*cp = conf_load(path, flags, &errs);
	buf[0] = '\0';
	for (i = 0; i < errs.n && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s\n",
		    errs.msg[i] + strlen(dir) + 1);
	conf_errors_free(&errs);
	if (buf[0] != '\0')
		fprintf(stderr, "# %s", buf);
	return *cp != NULL;
}

static void
test_dir(void)
{
	char dir[256], p[512], buf[4096];
	const char *tmp = getenv("TMPDIR");
	struct conf *c;
	static const char bin[] = "workers = ();\0\x01\x02";

	snprintf(dir, sizeof dir, "%s/unit_conf.XXXXXX", tmp && *tmp ? tmp :
	    "/tmp");
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(p, sizeof p, "%s/fs.conf", dir);
	write_file(p, seed, 0);
	snprintf(p, sizeof p, "%s/fake-servers.d", dir);
	mkdir(p, 0755);
	ok(loads_dir(dir, buf, sizeof buf, CONF_F_INCLUDE_DIR, &c) &&
	    c->nworkers == 3, "an empty fake-servers.d");
	conf_free(&c);
	snprintf(p, sizeof p, "%s/fake-servers.d/b.conf", dir);
	write_file(p, "workers = ( { name = \"B\"; kind = \"echo\"; port = 2;"
	    " cost_ms = 1; } );", 0);
	snprintf(p, sizeof p, "%s/fake-servers.d/a.conf", dir);
	write_file(p, "workers = ( { name = \"A\"; kind = \"echo\"; port = 1;"
	    " cost_ms = 1; } );", 0);
	snprintf(p, sizeof p, "%s/fake-servers.d/c.conf.off", dir);
	write_file(p, "junk", 0);
	ok(loads_dir(dir, buf, sizeof buf, CONF_F_INCLUDE_DIR, &c) &&
	    c->nworkers == 5 && strcmp(c->workers[3].name, "A") == 0 &&
	    strcmp(c->workers[4].name, "B") == 0 &&
	    strstr(c->workers[3].file, "fake-servers.d/a.conf") != NULL,
	    "*.conf merged in lexical order, others ignored");
	conf_free(&c);
	ok(loads_dir(dir, buf, sizeof buf, 0, &c) && c->nworkers == 3,
	    "without CONF_F_INCLUDE_DIR");
	conf_free(&c);
	snprintf(p, sizeof p, "%s/fake-servers.d/c.conf", dir);
	write_file(p, "coef = 2;\nworkers = ( { name = \"FakeSegmentation1\";"
	    " kind = \"echo\"; port = 3; cost_ms = 1; } );", 0);
	ok(!loads_dir(dir, buf, sizeof buf, CONF_F_INCLUDE_DIR, &c) &&
	    strstr(buf, "fake-servers.d/c.conf:1: coef may only be set in the "
	    "main file") != NULL && strstr(buf, "fake-servers.d/c.conf:2: "
	    "duplicate worker name 'FakeSegmentation1' (first defined at ") &&
	    strstr(buf, "fs.conf:2)\n") != NULL,
	    "top keys refused in fake-servers.d, duplicates across files");
	unlink(p);
	snprintf(p, sizeof p, "%s/fs.conf", dir);
	write_file(p, bin, sizeof bin - 1);
	ok(!loads_dir(dir, buf, sizeof buf, 0, &c) &&
	    strcmp(buf, "fs.conf: not a text file (NUL byte at line 1, "
	    "offset 13)\n") == 0, "a binary file");
	unlink(p);
	ok(!loads_dir(dir, buf, sizeof buf, CONF_F_INCLUDE_DIR, &c) &&
	    strcmp(buf, "fs.conf: cannot read: No such file or directory\n")
	    == 0, "a missing file");
	if (mkfifo(p, 0600) == 0) {
		ok(!loads_dir(dir, buf, sizeof buf, 0, &c) && strcmp(buf,
		    "fs.conf: cannot read: not a regular file\n") == 0,
		    "a FIFO is refused, not waited on");
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/fake-servers.d/a.conf", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/fake-servers.d/b.conf", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/fake-servers.d/c.conf.off", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/fake-servers.d", dir);
	rmdir(p);
	rmdir(dir);
}

/* conf_equal and conf_worker_same go by the key tables. */
static const char table_two[] =
    "workers = ( { name = \"t\"; kind = \"echo\"; port = 10001; cost_ms = 5; },"
    " { name = \"s\"; kind = \"segmentation\"; port = 10002; cost_ms = 5;"
    " transport = \"shm\"; } );";

/* Another value of key k in the struct at base, of the same type. */
static void
mutate(const struct conf_key *k, void *base)
{
	char *p = (char *)base + k->off;
	int n;

	switch (k->type) {
	case CV_INT:
		*(int *)(void *)p += 1;
		break;
	case CV_I64:
		*(long long *)(void *)p += 1;
		break;
	case CV_NUM:
		*(double *)(void *)p = *(double *)(void *)p * 2 + 1;
		break;
	case CV_STR:
		p[1] = p[0] == '\0' ? '\0' : p[1];
		p[0] = p[0] == 'x' ? 'y' : 'x';
		break;
	case CV_ENUM:
		for (n = 0; k->names[n] != NULL; n++)
			;
		*(int *)(void *)p = (*(int *)(void *)p + 1) % n;
		break;
	case CV_BOOL:
		*(int *)(void *)p = !*(int *)(void *)p;
		break;
	case CV_ISTR:
		*(const char **)(void *)p = conf_intern(strcmp(*(const char **)
		    (void *)p, "/x") == 0 ? "/y" : "/x");
		break;
	case CV_INTS:
		((struct conf_ints *)(void *)p)->v[0] += 1;
		break;
	case CV_GROUP:
	case CV_LIST:
		break;
	}
}

/* The groups of the tables, and where each one's values are in a conf. */
enum { G_TOP, G_RESTART, G_WORKER, G_WORKER_RESTART, G_CURVE,
    G_WORKER_CURVE, G_WORKER_FAULTS, G_WORKER_BATCH, G__MAX };

static const struct conf_key *
table_key(int g, size_t i)
{
	static const struct conf_key *const keys[G__MAX] = { conf_top_keys,
	    conf_restart_keys, conf_worker_keys, conf_restart_keys,
	    conf_curve_keys, conf_curve_keys, conf_faults_keys,
	    conf_batch_keys };
	static const size_t nkeys[G__MAX] = { TK__MAX, RK__MAX, WK__MAX,
	    RK__MAX, CK__MAX, CK__MAX, FK__MAX, BK__MAX };

	return i < nkeys[g] ? &keys[g][i] : NULL;
}

/* Append " name" to a list. */
static void
list_add(char *list, size_t len, const char *name)
{
	size_t n = strlen(list);

	snprintf(list + n, len - n, " %s", name);
}

/* Change key k of group g in b (in both workers for theirs): is b still
 * equal to a, and still the same worker t (tcp) and s (shm)? */
static int
table_change(int g, const struct conf_key *k, struct conf *a, struct conf *b,
    int same[2])
{
	size_t w;

	if (g == G_TOP)
		mutate(k, b);
	else if (g == G_RESTART)
		mutate(k, &b->restart);
	else if (g == G_CURVE)
		mutate(k, &b->curve);
	for (w = 0; w < 2; w++) {
		if (g == G_WORKER)
			mutate(k, &b->workers[w]);
		else if (g == G_WORKER_RESTART)
			mutate(k, &b->workers[w].restart);
		else if (g == G_WORKER_CURVE)
			mutate(k, &b->workers[w].curve);
		else if (g == G_WORKER_FAULTS)
			mutate(k, &b->workers[w].faults);
		else if (g == G_WORKER_BATCH)
			mutate(k, &b->workers[w].batch);
		same[w] = conf_worker_same(a, &a->workers[w], b, &b->workers[w]);
	}
	return conf_equal(a, b);
}

/* What the key's row says a change does to worker w (0 tcp, 1 shm). */
static int
row_says_same(const struct conf_key *k, int w)
{
	switch (k->reload) {
	case CR_KEEP:
	case CR_LIVE:	return 1;
	case CR_TCP:	return w != 0;
	case CR_IPC:	return w != 1;
	case CR_RESTART: return 0;
	}
	return -1;
}

/* The top-level curve group and a worker's: the key pair and whom it
 * admits restart the worker; the public key is the clients'. */
#define CURVE_RESTARTS	" secret_key_file allow_dir allow_any" \
	" secret_key_file allow_dir allow_any"
/* The modelled cost: its distribution and seed; its warm-up and start
 * delay. Not its parameters, cost_ms, the coefs or the faults: a running
 * worker takes them (conf_live.c). */
#define COST_RESTARTS	" cost_dist cost_file seed warmup_requests" \
	" warmup_cost_ms start_delay_ms"
/* A detector's boxes. */
#define BOX_RESTARTS	" boxes_min boxes_max"
/* A worker's batching. */
#define BATCH_RESTARTS	" max preferred max_queue_delay_us queue_max" \
	" cost_per_item_ms"

static void
test_table(void)
{
	static const char want_tcp[] = " bind name kind port"
	    " replicas n_classes window host output_dtype transport"
	    " max_frame_bytes" COST_RESTARTS BOX_RESTARTS " device"
	    CURVE_RESTARTS BATCH_RESTARTS;
	static const char want_shm[] = " ipc_dir name kind port"
	    " replicas n_classes window host output_dtype transport"
	    " max_frame_bytes" COST_RESTARTS BOX_RESTARTS " device"
	    CURVE_RESTARTS BATCH_RESTARTS;
	char buf[4096], unseen[512] = "", wrong[512] = "", tcp[512] = "",
	    shm[512] = "";
	struct conf *a = load(table_two, buf, sizeof buf), *b;
	const struct conf_key *k;
	size_t i;
	int g, same[2];

	for (g = 0; g < G__MAX && a != NULL; g++)
		for (i = 0; (k = table_key(g, i)) != NULL; i++) {
			if (k->type == CV_GROUP || k->type == CV_LIST ||
			    (b = load(table_two, buf, sizeof buf)) == NULL)
				continue;
			if (table_change(g, k, a, b, same))
				list_add(unseen, sizeof unseen, k->name);
			if (same[0] != row_says_same(k, 0) ||
			    same[1] != row_says_same(k, 1))
				list_add(wrong, sizeof wrong, k->name);
			if (!same[0])
				list_add(tcp, sizeof tcp, k->name);
			if (!same[1])
				list_add(shm, sizeof shm, k->name);
			conf_free(&b);
		}
	ok(a != NULL && unseen[0] == '\0', "conf_equal: a change of any key "
	    "of the tables is a change");
	conf_free(&a);
	if (unseen[0] != '\0')
		fprintf(stderr, "# not compared:%s\n", unseen);
	ok(wrong[0] == '\0', "conf_worker_same: a change restarts a worker "
	    "as the key's row says");
	if (wrong[0] != '\0')
		fprintf(stderr, "# not as their row says:%s\n", wrong);
	ok(strcmp(tcp, want_tcp) == 0, "the keys that restart a worker over "
	    "tcp: the same as before the tables said so");
	ok(strcmp(shm, want_shm) == 0, "the keys that restart a worker over "
	    "shm");
	if (strcmp(tcp, want_tcp) != 0 || strcmp(shm, want_shm) != 0)
		fprintf(stderr, "# restart tcp:%s\n# restart shm:%s\n", tcp,
		    shm);
}

/* Each replica's seed: from the name and replica unless set, then the
 * set one plus the replica; the default matches fake-worker's own. */
static void
test_cost_seed(void)
{
	static const char text[] = "workers = ("
	    " { name = \"a\"; kind = \"echo\"; port = 10001; cost_ms = 5;"
	    " replicas = 3; },"
	    " { name = \"b\"; kind = \"echo\"; port = 10004; cost_ms = 5;"
	    " cost_dist = \"uniform\"; cost_max_ms = 6; seed = 9; } );";
	char buf[1024];
	struct conf *c = load(text, buf, sizeof buf);
	const struct conf_worker *a, *b;

	if (c == NULL) {
		ok(0, "cost seed config loads");
		fprintf(stderr, "# %s", buf);
		return;
	}
	a = &c->workers[0];
	b = &c->workers[1];
	ok(conf_worker_seed(a, 0) == rng_seed_name("a", 0) &&
	    conf_worker_seed(a, 1) == rng_seed_name("a", 1) &&
	    conf_worker_seed(a, 0) != conf_worker_seed(a, 1) &&
	    conf_worker_seed(a, 1) != conf_worker_seed(a, 2),
	    "unset seed: from the name and replica, replicas differ");
	ok(conf_worker_seed(b, 0) == 9 && conf_worker_seed(b, 2) == 11,
	    "seed = 9: replica r draws from 9 + r");
	ok(!conf_cost_on(a) && conf_cost_on(b) &&
	    conf_cost_applies(b, WK_COST_MAX_MS) &&
	    !conf_cost_applies(b, WK_COST_SD_MS), "conf_cost_on, "
	    "conf_cost_applies");
	conf_free(&c);
}

int
main(void)
{
	test_seed();
	test_numbers();
	test_endpoints();
	test_same();
	test_table();
	test_cost_seed();
	test_print();
	test_curve();
	test_keys();
	test_ranges();
	test_errors();
	test_validate_pure();
	test_many();
	test_too_many_errors();
	test_dir();
	ok(strcmp(conf_default_path(), SYSCONFDIR
	    "/fake-servers/fake-servers.conf") == 0, "conf_default_path");
	return tap_done();
}
