/* conf_key.c: the keys of each group of the file, as tables.
 *
 * A row says what a key is called, its type, where its value lives in the
 * struct, its valid range (the messages write it from the numbers) and its
 * default; the parser, the validator and the printer all go by these rows,
 * so that a key is described in one place. Adding a key: a field in its
 * struct (conf.h), its index in the group's enum, a row here, and its
 * lines in fake-servers.conf(5).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "conf_priv.h"
#include "device.h"

/* A group's keys found unusable are bits of an unsigned (invalid). */
_Static_assert(TK__MAX <= sizeof(unsigned) * CHAR_BIT &&
    WK__MAX <= sizeof(unsigned) * CHAR_BIT &&
    RK__MAX <= sizeof(unsigned) * CHAR_BIT &&
    CK__MAX <= sizeof(unsigned) * CHAR_BIT &&
    FK__MAX <= sizeof(unsigned) * CHAR_BIT &&
    BK__MAX <= sizeof(unsigned) * CHAR_BIT &&
    DK__MAX <= sizeof(unsigned) * CHAR_BIT, "a group's keys fit in invalid");

static const char *const transport_names[] = { "tcp", "ipc", "shm", NULL };
static const char *const policy_names[] = {
	"no", "on-failure", "always", NULL
};

#define DAY_MS	864e5
#define KEY(n, t, st, f)	.name = n, .type = t,			\
	.off = offsetof(struct st, f), .size = sizeof(((struct st *)0)->f)
/* A string kept once however many workers share it (conf_intern). */
#define ISTR(n, st, f, max)	.name = n, .type = CV_ISTR,		\
	.off = offsetof(struct st, f), .size = max
#define PATH(n, st, f)		ISTR(n, st, f, CONF_PATH_MAX)
#define RANGE(lo, hi)	.min = lo, .max = hi		/* lo <= v <= hi */
#define ABOVE(lo, hi)	.min = lo, .max = hi, .min_open = 1 /* lo < v <= hi */
#define RESTART_GROUP	.sub = conf_restart_keys, .nsub = RK__MAX
#define CURVE_GROUP	.sub = conf_curve_keys, .nsub = CK__MAX
#define FAULTS_GROUP	.sub = conf_faults_keys, .nsub = FK__MAX
#define BATCH_GROUP	.sub = conf_batch_keys, .nsub = BK__MAX
#define LIVE		.reload = CR_LIVE	/* conf_live.c */

static void	ipc_dir_default(const struct conf *, void *);
static void	window_default(const struct conf *, void *);
static void	host_default(const struct conf *, void *);
static void	max_frame_default(const struct conf *, void *);
static void	queue_max_default(const struct conf *, void *);

const struct conf_key conf_top_keys[TK__MAX] = {
	{ KEY("coef", CV_NUM, conf, coef), ABOVE(0, 1e6), .def = 1,
	    .reload = CR_LIVE },
	{ KEY("bind", CV_STR, conf, bind), .def_str = "127.0.0.1",
	    .reload = CR_TCP },
	{ KEY("control", CV_STR, conf, control),
	    .def_str = CONF_DEFAULT_CONTROL, .reload = CR_KEEP },
	/* No group: the control socket is 0600. */
	{ KEY("control_group", CV_STR, conf, control_group),
	    .reload = CR_KEEP },
	{ KEY("ipc_dir", CV_STR, conf, ipc_dir), .derive = ipc_dir_default,
	    .reload = CR_IPC },
	/* fake-worker's own default; workers are given their own value. */
	{ KEY("max_frame_bytes", CV_I64, conf, max_frame_bytes),
	    RANGE(CONF_MAX_FRAME_MIN, CONF_MAX_FRAME_MAX), .def = 256 << 20,
	    .reload = CR_KEEP },
	/* HOST:PORT of GET /metrics; none: off. */
	{ KEY("metrics", CV_STR, conf, metrics), .reload = CR_KEEP },
	{ KEY("restart", CV_GROUP, conf, restart), RESTART_GROUP },
	{ KEY("curve", CV_GROUP, conf, curve), CURVE_GROUP },
	/* Compared by conf_equal; a change of slots is refused on reload. */
	{ .name = "devices", .type = CV_LIST },
	{ .name = "workers", .type = CV_LIST },
};

/* The top-level policy; a worker's starts as a copy of it. The
 * supervisor applies it, workers do not know it. */
const struct conf_key conf_restart_keys[RK__MAX] = {
	{ KEY("policy", CV_ENUM, conf_restart, mode), .names = policy_names,
	    .def = RESTART_ON_FAILURE, .reload = CR_KEEP },
	{ KEY("backoff_min_ms", CV_NUM, conf_restart, backoff_min_ms),
	    ABOVE(0, DAY_MS), .def = 100, .reload = CR_KEEP },
	{ KEY("backoff_max_ms", CV_NUM, conf_restart, backoff_max_ms),
	    ABOVE(0, DAY_MS), .def = 10000, .reload = CR_KEEP },
	{ KEY("burst", CV_INT, conf_restart, burst), RANGE(1, CONF_BURST_MAX),
	    .def = 5, .reload = CR_KEEP },
	{ KEY("interval_s", CV_NUM, conf_restart, interval_s),
	    ABOVE(0, 86400), .def = 30, .reload = CR_KEEP },
	{ KEY("min_uptime_ms", CV_NUM, conf_restart, min_uptime_ms),
	    RANGE(0, DAY_MS), .def = 1000, .reload = CR_KEEP },
	{ KEY("start_timeout_ms", CV_NUM, conf_restart, start_timeout_ms),
	    ABOVE(0, DAY_MS), .def = 5000, .reload = CR_KEEP },
	{ KEY("stop_timeout_ms", CV_NUM, conf_restart, stop_timeout_ms),
	    ABOVE(0, DAY_MS), .def = 2000, .reload = CR_KEEP },
};

/* The keys a worker is started with, which restart it when they change,
 * but for those it takes while it runs (LIVE: its cost's factors and
 * parameters, its faults). */
const struct conf_key conf_worker_keys[WK__MAX] = {
	{ KEY("name", CV_STR, conf_worker, name), .required = 1 },
	{ KEY("kind", CV_ENUM, conf_worker, kind), .names = kind_names,
	    .required = 1 },
	{ KEY("port", CV_INT, conf_worker, port), RANGE(1, 65535),
	    .required = 1 },
	{ KEY("cost_ms", CV_NUM, conf_worker, cost_ms), RANGE(0, DAY_MS),
	    .required = 1, .reload = CR_LIVE },
	{ KEY("coef", CV_NUM, conf_worker, coef), ABOVE(0, 1e6), .def = 1,
	    .reload = CR_LIVE },
	{ KEY("replicas", CV_INT, conf_worker, replicas),
	    RANGE(1, CONF_REPLICAS_MAX), .def = 1 },
	{ KEY("n_classes", CV_INT, conf_worker, n_classes), RANGE(1, 65536),
	    .def = 4 },
	{ KEY("window", CV_INT, conf_worker, window),
	    RANGE(1, CONF_WINDOW_MAX), .derive = window_default },
	{ ISTR("host", conf_worker, host, CONF_HOST_MAX),
	    .derive = host_default },
	{ KEY("output_dtype", CV_STR, conf_worker, output_dtype),
	    .def_str = "uint8" },
	{ KEY("transport", CV_ENUM, conf_worker, transport),
	    .names = transport_names, .def = TRANSPORT_TCP },
	{ KEY("max_frame_bytes", CV_I64, conf_worker, max_frame_bytes),
	    RANGE(CONF_MAX_FRAME_MIN, CONF_MAX_FRAME_MAX),
	    .derive = max_frame_default },
	/* The modelled cost (conf_cost.c): the parameters of the
	 * distributions, the clamps (no upper one: a day, the most an
	 * effective cost may be), the seed (unset: -1, conf_worker_seed). */
	{ KEY("cost_dist", CV_ENUM, conf_worker, cost_dist),
	    .names = cost_dist_names, .def = COST_FIXED },
	{ KEY("cost_sd_ms", CV_NUM, conf_worker, cost_sd_ms),
	    RANGE(0, DAY_MS), LIVE },
	{ KEY("cost_sigma", CV_NUM, conf_worker, cost_sigma), RANGE(0, 100),
	    LIVE },
	{ KEY("cost_shape", CV_NUM, conf_worker, cost_shape),
	    ABOVE(0, DAY_MS), .def = 1, LIVE },
	{ KEY("cost_min_ms", CV_NUM, conf_worker, cost_min_ms),
	    RANGE(0, DAY_MS), LIVE },
	{ KEY("cost_max_ms", CV_NUM, conf_worker, cost_max_ms),
	    RANGE(0, DAY_MS), .def = DAY_MS, LIVE },
	{ PATH("cost_file", conf_worker, cost_file) },
	{ KEY("seed", CV_I64, conf_worker, seed), RANGE(0, 4294967295.0),
	    .def = -1 },
	/* After each start (conf_cost.c): loading, then warming up. */
	{ KEY("warmup_requests", CV_INT, conf_worker, warmup_requests),
	    RANGE(0, 1e9) },
	{ KEY("warmup_cost_ms", CV_NUM, conf_worker, warmup_cost_ms),
	    RANGE(0, DAY_MS) },
	{ KEY("start_delay_ms", CV_NUM, conf_worker, start_delay_ms),
	    RANGE(0, DAY_MS) },
	/* A detector's boxes a frame (kind.h), printed where set. */
	{ KEY("boxes_min", CV_INT, conf_worker, boxes_min),
	    RANGE(0, KIND_MAX_BOXES) },
	{ KEY("boxes_max", CV_INT, conf_worker, boxes_max),
	    RANGE(0, KIND_MAX_BOXES), .def = 16 },
	{ KEY("faults", CV_GROUP, conf_worker, faults), FAULTS_GROUP },
	/* A device of the top-level list (conf_device.c); "": none. */
	{ ISTR("device", conf_worker, device, CONF_NAME_MAX) },
	{ KEY("batch", CV_GROUP, conf_worker, batch), BATCH_GROUP },
	{ KEY("restart", CV_GROUP, conf_worker, restart), RESTART_GROUP },
	{ KEY("curve", CV_GROUP, conf_worker, curve), CURVE_GROUP },
};

/* A worker's injected faults: probabilities per request (their sum is
 * checked in conf_validate.c), and a stall's length; all changed live. */
const struct conf_key conf_faults_keys[FK__MAX] = {
	{ KEY("error_rate", CV_NUM, conf_faults, error_rate), RANGE(0, 1),
	    LIVE },
	{ KEY("drop_rate", CV_NUM, conf_faults, drop_rate), RANGE(0, 1),
	    LIVE },
	{ KEY("stall_rate", CV_NUM, conf_faults, stall_rate), RANGE(0, 1),
	    LIVE },
	{ KEY("stall_ms", CV_NUM, conf_faults, stall_ms), RANGE(0, DAY_MS),
	    LIVE },
	{ KEY("crash_rate", CV_NUM, conf_faults, crash_rate), RANGE(0, 1),
	    LIVE },
};

/* A worker's dynamic batching (batch.h); the checks across its keys
 * are batch_check's (conf_batch.c), queue_max's default derived there. */
const struct conf_key conf_batch_keys[BK__MAX] = {
	{ KEY("max", CV_INT, conf_batch, max), RANGE(1, BATCH_MAX),
	    .def = 8 },
	{ KEY("preferred", CV_INTS, conf_batch, preferred),
	    RANGE(1, BATCH_MAX) },
	{ KEY("max_queue_delay_us", CV_NUM, conf_batch, max_queue_delay_us),
	    RANGE(0, 6e7) },
	{ KEY("queue_max", CV_INT, conf_batch, queue_max),
	    RANGE(1, BATCH_QUEUE_MAX), .derive = queue_max_default },
	{ KEY("cost_per_item_ms", CV_NUM, conf_batch, cost_per_item_ms),
	    RANGE(0, DAY_MS) },
};

/* An element of the top-level devices list (conf_device.c). */
const struct conf_key conf_device_keys[DK__MAX] = {
	{ KEY("name", CV_STR, conf_device, name), .required = 1 },
	{ KEY("slots", CV_INT, conf_device, slots),
	    RANGE(1, DEVICE_SLOTS_MAX), .def = 1 },
};

/* CURVE: the top-level group; a worker's starts as a copy of it
 * (conf_curve.c). Workers are started with the key pair and whom they
 * admit; the public key is for clients. */
const struct conf_key conf_curve_keys[CK__MAX] = {
	{ PATH("secret_key_file", conf_curve, secret_key_file) },
	{ PATH("public_key_file", conf_curve, public_key_file),
	    .reload = CR_KEEP },
	{ PATH("allow_dir", conf_curve, allow_dir) },
	{ KEY("allow_any", CV_BOOL, conf_curve, allow_any) },
};

/* ipc_dir: the control socket's directory. */
static void
ipc_dir_default(const struct conf *c, void *base)
{
	struct conf *t = base;
	char *slash;

	snprintf(t->ipc_dir, sizeof t->ipc_dir, "%s", c->control);
	if ((slash = strrchr(t->ipc_dir, '/')) == NULL)
		snprintf(t->ipc_dir, sizeof t->ipc_dir, ".");
	else
		slash[slash == t->ipc_dir] = '\0';
}

static void
window_default(const struct conf *c, void *base)
{
	struct conf_worker *w = base;

	(void)c;
	w->window = kind_get(w->kind)->window;
}

/* host: where clients reach the address workers bind. */
static void
host_default(const struct conf *c, void *base)
{
	struct conf_worker *w = base;
	const char *h = c->bind;

	if (strcmp(h, "*") == 0 || strcmp(h, "0.0.0.0") == 0)
		h = "127.0.0.1";
	else if (strcmp(h, "::") == 0)
		h = "::1";
	w->host = conf_intern(h);
}

static void
max_frame_default(const struct conf *c, void *base)
{
	struct conf_worker *w = base;

	w->max_frame_bytes = c->max_frame_bytes;
}

/* queue_max: 64, or max when more. */
static void
queue_max_default(const struct conf *c, void *base)
{
	struct conf_batch *b = base;

	(void)c;
	b->queue_max = b->max > 64 ? b->max : 64;
}

void
conf_key_defaults(const struct conf_group *g)
{
	const struct conf_key *k;
	char *p;
	size_t i;

	for (i = 0; i < g->nkeys; i++) {
		k = &g->keys[i];
		p = (char *)g->base + k->off;
		switch (k->type) {
		case CV_INT:
		case CV_ENUM:
		case CV_BOOL:
			*(int *)(void *)p = (int)k->def;
			break;
		case CV_ISTR:
			*(const char **)(void *)p = conf_intern(k->def_str ?
			    k->def_str : "");
			break;
		case CV_I64:
			*(long long *)(void *)p = (long long)k->def;
			break;
		case CV_NUM:
			*(double *)(void *)p = k->def;
			break;
		case CV_STR:
			snprintf(p, k->size, "%s", k->def_str ? k->def_str :
			    "");
			break;
		case CV_INTS:
			memset(p, 0, sizeof(struct conf_ints));
			break;
		case CV_GROUP:
		case CV_LIST:
			break;
		}
	}
}

void
conf_key_derive(const struct conf_group *g, const struct conf *c)
{
	size_t i;

	for (i = 0; i < g->nkeys; i++)
		if (g->keys[i].derive != NULL && g->key_line[i] == 0)
			g->keys[i].derive(c, g->base);
}

int
conf_key_in_range(const struct conf_key *k, double v)
{
	if (k->min_open ? !(v > k->min) : !(v >= k->min))
		return 0;
	return v <= k->max;
}

static int
value_equal(const struct conf_key *k, const char *a, const char *b)
{
	switch (k->type) {
	case CV_INT:
	case CV_ENUM:
	case CV_BOOL:
		return *(const int *)(const void *)a ==
		    *(const int *)(const void *)b;
	case CV_ISTR:
		return strcmp(*(const char *const *)(const void *)a,
		    *(const char *const *)(const void *)b) == 0;
	case CV_I64:
		return *(const long long *)(const void *)a ==
		    *(const long long *)(const void *)b;
	case CV_NUM:
		return *(const double *)(const void *)a ==
		    *(const double *)(const void *)b;
	case CV_STR:
		return strcmp(a, b) == 0;
	case CV_INTS:
		return memcmp(a, b, sizeof(struct conf_ints)) == 0;
	case CV_GROUP:
	case CV_LIST:
		break;
	}
	return 1;
}

int
conf_key_equal(const struct conf_key *keys, size_t nkeys, const void *a,
    const void *b, unsigned mask)
{
	const struct conf_key *k;
	const char *pa, *pb;
	size_t i;

	for (i = 0; i < nkeys; i++) {
		k = &keys[i];
		pa = (const char *)a + k->off;
		pb = (const char *)b + k->off;
		if (k->type == CV_GROUP) {
			if (!conf_key_equal(k->sub, k->nsub, pa, pb, mask))
				return 0;
		} else if ((mask & 1u << k->reload) && !value_equal(k, pa, pb))
			return 0;
	}
	return 1;
}

/* Every number of a group, set or defaulted, by its key's range. */
void
conf_key_check_ranges(const struct conf_group *g, const char *file, int line,
    struct conf_errors *errs)
{
	const struct conf_key *k;
	const char *p;
	char v[64];
	double d;
	size_t i;

	for (i = 0; i < g->nkeys; i++) {
		k = &g->keys[i];
		if ((*g->invalid & (1u << i)) || (k->type != CV_INT &&
		    k->type != CV_I64 && k->type != CV_NUM))
			continue;	/* CV_INTS: checked as parsed */
		p = (const char *)g->base + k->off;
		if (k->type == CV_I64) {
			d = (double)*(const long long *)(const void *)p;
			snprintf(v, sizeof v, "%lld",
			    *(const long long *)(const void *)p);
		} else {
			d = k->type == CV_INT ? *(const int *)(const void *)p :
			    *(const double *)(const void *)p;
			snprintf(v, sizeof v, "%g", d);
		}
		if (conf_key_in_range(k, d))
			continue;
		conf_key_range_error(errs, file, g->key_line[i] ?
		    g->key_line[i] : line, g->label, k, v);
	}
}

/* Integers in full: "1024..4294967296", not "1024..4.29497e+09". */
void
conf_key_range(const struct conf_key *k, char *buf, size_t len)
{
	if (k->min_open)
		snprintf(buf, len, "> %.15g, <= %.15g", k->min, k->max);
	else
		snprintf(buf, len, "%.15g..%.15g", k->min, k->max);
}

void
conf_key_range_error(struct conf_errors *errs, const char *file, int line,
    const char *label, const struct conf_key *k, const char *value)
{
	char range[64];

	conf_key_range(k, range, sizeof range);
	conf_errors_add(errs, file, line, "%s%s %s is out of range (%s)",
	    label, k->name, value, range);
}
