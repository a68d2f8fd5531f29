/* conf_key.c: the keys of each group of the file, as tables.
 *
 * A row says what a key is called, its type, where its value lives in the
 * struct and its valid range; the parser, the validator and the printer all
 * go by these rows, so that a key is described in one place.
 */
#include "config.h"

#include <stdio.h>

#include "conf_priv.h"

static const char *const transport_names[] = { "tcp", "ipc", "shm", NULL };
static const char *const policy_names[] = {
	"no", "on-failure", "always", NULL
};

#define DAY_MS	"86400000"
#define FRAME_RANGE	"1024..4294967296"
#define KEY(name, type, st, field)	\
	name, type, offsetof(struct st, field), sizeof(((struct st *)0)->field)

const struct conf_key conf_top_keys[TK__MAX] = {
	{ KEY("coef", CV_NUM, conf, coef), 0, 1e6, 1, "> 0, <= 1000000", 0 },
	{ KEY("bind", CV_STR, conf, bind), 0, 0, 0, NULL, NULL },
	{ KEY("control", CV_STR, conf, control), 0, 0, 0, NULL, NULL },
	{ KEY("control_group", CV_STR, conf, control_group), 0, 0, 0, NULL,
	    NULL },
	{ KEY("ipc_dir", CV_STR, conf, ipc_dir), 0, 0, 0, NULL, NULL },
	{ KEY("max_frame_bytes", CV_I64, conf, max_frame_bytes),
	    CONF_MAX_FRAME_MIN, CONF_MAX_FRAME_MAX, 0, FRAME_RANGE, NULL },
	{ KEY("metrics", CV_STR, conf, metrics), 0, 0, 0, NULL, NULL },
	{ KEY("restart", CV_GROUP, conf, restart), 0, 0, 0, NULL, NULL },
	{ "workers", CV_LIST, 0, 0, 0, 0, 0, NULL, NULL },
};

const struct conf_key conf_restart_keys[RK__MAX] = {
	{ KEY("policy", CV_ENUM, conf_restart, mode), 0, 0, 0, NULL,
	    policy_names },
	{ KEY("backoff_min_ms", CV_NUM, conf_restart, backoff_min_ms),
	    0, 864e5, 1, "> 0, <= " DAY_MS, NULL },
	{ KEY("backoff_max_ms", CV_NUM, conf_restart, backoff_max_ms),
	    0, 864e5, 1, "> 0, <= " DAY_MS, NULL },
	{ KEY("burst", CV_INT, conf_restart, burst),
	    1, CONF_BURST_MAX, 0, "1..32", NULL },
	{ KEY("interval_s", CV_NUM, conf_restart, interval_s),
	    0, 86400, 1, "> 0, <= 86400", NULL },
	{ KEY("min_uptime_ms", CV_NUM, conf_restart, min_uptime_ms),
	    0, 864e5, 0, "0.." DAY_MS, NULL },
	{ KEY("start_timeout_ms", CV_NUM, conf_restart, start_timeout_ms),
	    0, 864e5, 1, "> 0, <= " DAY_MS, NULL },
	{ KEY("stop_timeout_ms", CV_NUM, conf_restart, stop_timeout_ms),
	    0, 864e5, 1, "> 0, <= " DAY_MS, NULL },
};

const struct conf_key conf_worker_keys[WK__MAX] = {
	{ KEY("name", CV_STR, conf_worker, name), 0, 0, 0, NULL, NULL },
	{ KEY("kind", CV_ENUM, conf_worker, kind), 0, 0, 0, NULL, kind_names },
	{ KEY("port", CV_INT, conf_worker, port), 1, 65535, 0, "1..65535",
	    NULL },
	{ KEY("cost_ms", CV_NUM, conf_worker, cost_ms), 0, 864e5, 0,
	    "0.." DAY_MS, NULL },
	{ KEY("coef", CV_NUM, conf_worker, coef), 0, 1e6, 1,
	    "> 0, <= 1000000", NULL },
	{ KEY("replicas", CV_INT, conf_worker, replicas), 1,
	    CONF_REPLICAS_MAX, 0, "1..256", NULL },
	{ KEY("n_classes", CV_INT, conf_worker, n_classes), 1, 65536, 0,
	    "1..65536", NULL },
	{ KEY("window", CV_INT, conf_worker, window), 1, CONF_WINDOW_MAX, 0,
	    "1..1024", NULL },
	{ KEY("host", CV_STR, conf_worker, host), 0, 0, 0, NULL, NULL },
	{ KEY("output_dtype", CV_STR, conf_worker, output_dtype), 0, 0, 0,
	    NULL, NULL },
	{ KEY("transport", CV_ENUM, conf_worker, transport), 0, 0, 0, NULL,
	    transport_names },
	{ KEY("max_frame_bytes", CV_I64, conf_worker, max_frame_bytes),
	    CONF_MAX_FRAME_MIN, CONF_MAX_FRAME_MAX, 0, FRAME_RANGE, NULL },
	{ KEY("restart", CV_GROUP, conf_worker, restart), 0, 0, 0, NULL,
	    NULL },
};

int
conf_key_in_range(const struct conf_key *k, double v)
{
	if (k->min_open ? !(v > k->min) : !(v >= k->min))
		return 0;
	return v <= k->max;
}

void
conf_key_range_error(struct conf_errors *errs, const char *file, int line,
    const char *label, const struct conf_key *k, const char *value)
{
	conf_errors_add(errs, file, line, "%s%s %s is out of range (%s)",
	    label, k->name, value, k->range);
}
