/* conf_validate.c: the checks of a parsed configuration.
 *
 * A pure function of struct conf: ranges (by the key tables), required
 * keys, names, hosts, port ranges that overlap or run past 65535, names
 * defined twice, path lengths. It reports every problem, each at the line
 * of the key concerned, and skips keys the parser already found unusable.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"
#include "fault.h"

/* Of worker and group names. */
#define NAME_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789_.-"

static int
line_of(const int *key_line, int key, int fallback)
{
	return key_line[key] > 0 ? key_line[key] : fallback;
}

/* A worker's restart group: only its overrides, the rest was checked at
 * the top (and may be reported there). */
static void
check_restart(const struct conf_restart *r, int overrides, const char *file,
    int line, const char *label, struct conf_errors *errs)
{
	struct conf_restart rc = *r;
	struct conf_group g = { conf_restart_keys, RK__MAX, &rc, rc.key_line,
	    &rc.invalid, label };
	size_t i;

	for (i = 0; overrides && i < RK__MAX; i++)
		if (r->key_line[i] == 0)
			rc.invalid |= 1u << i;
	conf_key_check_ranges(&g, file, line, errs);
	if (overrides && r->key_line[RK_BACKOFF_MIN_MS] == 0 &&
	    r->key_line[RK_BACKOFF_MAX_MS] == 0)
		return;
	if (r->backoff_min_ms > r->backoff_max_ms && !(r->invalid &
	    (1u << RK_BACKOFF_MIN_MS | 1u << RK_BACKOFF_MAX_MS)))
		conf_errors_add(errs, file, line_of(r->key_line,
		    RK_BACKOFF_MIN_MS, line_of(r->key_line, RK_BACKOFF_MAX_MS,
		    line)), "%sbackoff_min_ms %g is greater than backoff_max_ms "
		    "%g", label, r->backoff_min_ms, r->backoff_max_ms);
}

/* A worker's faults: each rate a probability, and their sum one too
 * (reported at the group's line). */
static void
check_faults(const struct conf_faults *f, const char *file, int line,
    const char *label, struct conf_errors *errs)
{
	struct conf_faults fc = *f;
	struct conf_group g = { conf_faults_keys, FK__MAX, &fc, fc.key_line,
	    &fc.invalid, label };
	struct fault_rates r = { f->error_rate, f->drop_rate, f->stall_rate,
	    f->stall_ms, f->crash_rate };
	size_t n = errs->n;
	char err[256];

	conf_key_check_ranges(&g, file, line, errs);
	if (errs->n == n && f->invalid == 0 &&
	    fault_check(&r, err, sizeof err) == -1)
		conf_errors_add(errs, file, line, "%s%s", label, err);
}

static int
is_host(const char *h, int bind)
{
	if (*h == '\0' || (bind && strcmp(h, "*") == 0))
		return 1 - (*h == '\0');
	return strspn(h, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789.-_:%") == strlen(h);
}

static void
check_top(const struct conf *c, struct conf_errors *errs)
{
	struct conf cc = *c;
	struct conf_group g = { conf_top_keys, TK__MAX, &cc, cc.key_line,
	    &cc.invalid, "" };
	const char *f = c->path;
	char host[CONF_HOST_MAX];
	int port;

	conf_key_check_ranges(&g, f, 0, errs);
	if (!(c->invalid & 1u << TK_BIND) && !is_host(c->bind, 1))
		conf_errors_add(errs, f, line_of(c->key_line, TK_BIND, 0),
		    "bind '%s' is not a host name, an address or *", c->bind);
	if (!(c->invalid & 1u << TK_CONTROL) && (c->control[0] == '\0' ||
	    strlen(c->control) > CONF_SUN_PATH_MAX))
		conf_errors_add(errs, f, line_of(c->key_line, TK_CONTROL, 0),
		    "control must be a socket path of 1..%d characters",
		    CONF_SUN_PATH_MAX);
	if (!(c->invalid & 1u << TK_CONTROL_GROUP) &&
	    c->control_group[strspn(c->control_group, NAME_CHARS)] != '\0')
		conf_errors_add(errs, f, line_of(c->key_line, TK_CONTROL_GROUP,
		    0), "control_group '%s' is not a group name (A-Z a-z 0-9 "
		    "_ . -)", c->control_group);
	if (!(c->invalid & 1u << TK_IPC_DIR) && c->ipc_dir[0] == '\0')
		conf_errors_add(errs, f, line_of(c->key_line, TK_IPC_DIR, 0),
		    "ipc_dir is empty");
	if (!(c->invalid & 1u << TK_METRICS) && c->metrics[0] != '\0' &&
	    (conf_hostport(c->metrics, host, sizeof host, &port) == -1 ||
	    (strcmp(host, "*") != 0 && !is_host(host, 0))))
		conf_errors_add(errs, f, line_of(c->key_line, TK_METRICS, 0),
		    "metrics '%s' is not HOST:PORT (\"127.0.0.1:9464\", "
		    "\"[::1]:9464\", \"*:9464\"; port 1..65535)", c->metrics);
	check_restart(&c->restart, 0, f, line_of(c->key_line, TK_RESTART, 0),
	    "restart: ", errs);
	conf_curve_check(&c->curve, 0, f, line_of(c->key_line, TK_CURVE, 0),
	    "curve: ", errs);
	if (c->nworkers == 0 && !(c->invalid & 1u << TK_WORKERS))
		conf_errors_add(errs, f, line_of(c->key_line, TK_WORKERS, 0),
		    "no workers defined");
}

/* The required keys not set: reported, and returned as invalid bits. */
static unsigned
check_required(const struct conf_worker *w, const char *label,
    struct conf_errors *errs)
{
	unsigned missing = 0;
	size_t i;

	for (i = 0; i < WK__MAX; i++) {
		if (!conf_worker_keys[i].required || w->key_line[i] != 0)
			continue;
		conf_errors_add(errs, w->file, w->line,
		    "%smissing required key '%s'", label,
		    conf_worker_keys[i].name);
		missing |= 1u << i;
	}
	return missing;
}

static void
check_name(const struct conf_worker *w, struct conf_errors *errs)
{
	static const char ok[] = NAME_CHARS;

	if (w->key_line[WK_NAME] <= 0 || (w->invalid & 1u << WK_NAME))
		return;
	if (w->name[0] == '\0')
		conf_errors_add(errs, w->file, w->key_line[WK_NAME],
		    "worker name is empty");
	else if (w->name[strspn(w->name, ok)] != '\0')
		conf_errors_add(errs, w->file, w->key_line[WK_NAME],
		    "worker name '%s' has characters other than A-Z a-z 0-9 "
		    "_ . -", w->name);
}

/* The ipc socket path of the last replica must fit in sun_path. */
static void
check_ipc(const struct conf *c, const struct conf_worker *w,
    const char *label, struct conf_errors *errs)
{
	char ep[CONF_PATH_MAX + 2 * CONF_NAME_MAX];

	if (w->transport == TRANSPORT_TCP || (w->invalid & 1u << WK_REPLICAS) ||
	    w->replicas < 1)
		return;
	if (conf_worker_endpoint(c, w, w->replicas - 1, 1, ep,
	    sizeof ep) == -1 || strlen(ep) - strlen("ipc://") >
	    CONF_SUN_PATH_MAX)
		conf_errors_add(errs, w->file, line_of(w->key_line,
		    WK_TRANSPORT, w->line), "%sipc socket path %s is longer "
		    "than %d characters (shorten ipc_dir)", label, ep + 6,
		    CONF_SUN_PATH_MAX);
}

/* "worker 'a'", or "worker at line 3" when it has no usable name. */
static void
worker_what(char *buf, size_t len, const struct conf_worker *w)
{
	if (w->key_line[WK_NAME] == 0 || (w->invalid & 1u << WK_NAME) ||
	    w->name[0] == '\0')
		snprintf(buf, len, "worker at line %d", w->line);
	else
		snprintf(buf, len, "worker '%s'", w->name);
}

static void
worker_label(char *buf, size_t len, const struct conf_worker *w)
{
	char what[CONF_NAME_MAX + 24];

	worker_what(what, sizeof what, w);
	snprintf(buf, len, "%s: ", what);
}

/* Checks across keys: the last port, the effective cost. invalid: keys
 * already reported (by the parser, or as missing). */
static void
check_spans(const struct conf *c, const struct conf_worker *w,
    unsigned invalid, const char *label, struct conf_errors *errs)
{
	double cost = conf_worker_cost_ms(c, w);

	if (!(invalid & (1u << WK_PORT | 1u << WK_REPLICAS)) &&
	    w->port >= 1 && w->port <= 65535 && w->replicas >= 1 &&
	    w->replicas <= CONF_REPLICAS_MAX && w->port + w->replicas - 1 > 65535)
		conf_errors_add(errs, w->file, line_of(w->key_line,
		    WK_REPLICAS, w->line), "%sports %d..%d (port + replicas - 1) "
		    "go past 65535", label, w->port, w->port + w->replicas - 1);
	if (!(cost <= CONF_COST_MAX_MS) && !(invalid & 1u << WK_COST_MS) &&
	    conf_key_in_range(&conf_worker_keys[WK_COST_MS], w->cost_ms) &&
	    conf_key_in_range(&conf_worker_keys[WK_COEF], w->coef) &&
	    conf_key_in_range(&conf_top_keys[TK_COEF], c->coef))
		conf_errors_add(errs, w->file, line_of(w->key_line, WK_COST_MS,
		    w->line), "%seffective cost %g ms (cost_ms x coef x global "
		    "coef) is more than a day", label, cost);
}

static void
check_strings(const struct conf_worker *w, const char *label,
    struct conf_errors *errs)
{
	if (w->key_line[WK_HOST] > 0 && !(w->invalid & 1u << WK_HOST) &&
	    !is_host(w->host, 0))	/* else it is bind's, checked there */
		conf_errors_add(errs, w->file, line_of(w->key_line, WK_HOST,
		    w->line), "%shost '%s' is not a host name or address",
		    label, w->host);
	if (!(w->invalid & 1u << WK_OUTPUT_DTYPE) &&
	    strcmp(w->output_dtype, "uint8") != 0 &&
	    strcmp(w->output_dtype, "float64") != 0)
		conf_errors_add(errs, w->file, line_of(w->key_line,
		    WK_OUTPUT_DTYPE, w->line), "%soutput_dtype '%s' is neither "
		    "uint8 nor float64", label, w->output_dtype);
}

static void
check_boxes(const struct conf_worker *w, unsigned invalid, const char *label,
    struct conf_errors *errs)
{
	if (invalid & (1u << WK_BOXES_MIN | 1u << WK_BOXES_MAX) ||
	    w->boxes_min <= w->boxes_max)
		return;
	conf_errors_add(errs, w->file, line_of(w->key_line, w->key_line[
	    WK_BOXES_MIN] > 0 ? WK_BOXES_MIN : WK_BOXES_MAX, w->line),
	    "%sboxes_min %d is more than boxes_max %d", label, w->boxes_min,
	    w->boxes_max);
}

static void
check_worker(const struct conf *c, const struct conf_worker *w,
    struct conf_errors *errs)
{
	char label[CONF_NAME_MAX + 32], rlabel[CONF_NAME_MAX + 48];
	struct conf_worker wc = *w;
	struct conf_group g = { conf_worker_keys, WK__MAX, &wc, wc.key_line,
	    &wc.invalid, label };

	worker_label(label, sizeof label, w);
	wc.invalid |= check_required(w, label, errs);
	check_name(w, errs);
	if (w->key_line[WK_MAX_FRAME_BYTES] == 0)	/* the top's, checked there */
		wc.invalid |= 1u << WK_MAX_FRAME_BYTES;
	if (w->key_line[WK_SEED] == 0)		/* -1: from name and replica */
		wc.invalid |= 1u << WK_SEED;
	conf_key_check_ranges(&g, w->file, w->line, errs);
	conf_cost_check(w, wc.invalid, label, errs);
	check_spans(c, w, wc.invalid, label, errs);
	check_strings(w, label, errs);
	check_boxes(w, wc.invalid, label, errs);
	check_ipc(c, w, label, errs);
	snprintf(rlabel, sizeof rlabel, "%srestart: ", label);
	if (w->key_line[WK_RESTART] > 0)
		check_restart(&w->restart, 1, w->file, line_of(w->key_line,
		    WK_RESTART, w->line), rlabel, errs);
	snprintf(rlabel, sizeof rlabel, "%sfaults: ", label);
	if (w->key_line[WK_FAULTS] > 0)
		check_faults(&w->faults, w->file, line_of(w->key_line,
		    WK_FAULTS, w->line), rlabel, errs);
	snprintf(rlabel, sizeof rlabel, "%sbatch: ", label);
	if (w->key_line[WK_BATCH] > 0 && !(w->invalid & 1u << WK_BATCH))
		conf_batch_check(&w->batch, w->file, line_of(w->key_line,
		    WK_BATCH, w->line), rlabel, errs);
	snprintf(rlabel, sizeof rlabel, "%scurve: ", label);
	if (w->key_line[WK_CURVE] > 0)
		conf_curve_check(&w->curve, 1, w->file, line_of(w->key_line,
		    WK_CURVE, w->line), rlabel, errs);
}

/* Sorting workers by name, or by host and port, with a stable tie. */
static int
by_name(const void *a, const void *b, void *arg)
{
	const struct conf *c = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int d = strcmp(c->workers[i].name, c->workers[j].name);

	return d ? d : (i > j) - (i < j);
}

static int
by_port(const void *a, const void *b, void *arg)
{
	const struct conf *c = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct conf_worker *x = &c->workers[i], *y = &c->workers[j];
	int d;

	if ((d = strcmp(x->host, y->host)) != 0)
		return d;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (i > j) - (i < j);
}

static void
check_duplicates(const struct conf *c, size_t *idx, struct conf_errors *errs)
{
	const struct conf_worker *w, *first = NULL;
	size_t i, n = 0;

	for (i = 0; i < c->nworkers; i++) {
		w = &c->workers[i];
		if (w->key_line[WK_NAME] > 0 && !(w->invalid & 1u << WK_NAME) &&
		    w->name[0] != '\0')
			idx[n++] = i;
	}
	qsort_r(idx, n, sizeof *idx, by_name, (void *)(uintptr_t)c);
	for (i = 0; i < n; i++) {
		w = &c->workers[idx[i]];
		if (first == NULL || strcmp(first->name, w->name) != 0) {
			first = w;
			continue;
		}
		conf_errors_add(errs, w->file, w->key_line[WK_NAME],
		    "duplicate worker name '%s' (first defined at %s:%d)",
		    w->name, first->file, first->line);
	}
}

/* Workers whose ports are known, usable and bound with TCP. */
static int
has_ports(const struct conf_worker *w)
{
	return w->transport == TRANSPORT_TCP && w->key_line[WK_PORT] > 0 &&
	    !(w->invalid & (1u << WK_PORT | 1u << WK_REPLICAS |
	    1u << WK_HOST | 1u << WK_TRANSPORT)) &&
	    w->port >= 1 && w->port <= 65535 && w->replicas >= 1 &&
	    w->replicas <= CONF_REPLICAS_MAX && is_host(w->host, 0);
}

static void
say_ports(char *buf, size_t len, const struct conf_worker *w)
{
	if (w->replicas == 1)
		snprintf(buf, len, "port %d", w->port);
	else
		snprintf(buf, len, "ports %d..%d", w->port,
		    w->port + w->replicas - 1);
}

static void
overlap_error(const struct conf_worker *a, const struct conf_worker *b,
    struct conf_errors *errs)
{
	char label[CONF_NAME_MAX + 32], other[CONF_NAME_MAX + 24], pa[32],
	    pb[32];

	if (a > b) {	/* report at the one defined later */
		const struct conf_worker *t = a;
		a = b;
		b = t;
	}
	worker_label(label, sizeof label, b);
	worker_what(other, sizeof other, a);
	say_ports(pa, sizeof pa, a);
	say_ports(pb, sizeof pb, b);
	conf_errors_add(errs, b->file, line_of(b->key_line, WK_PORT, b->line),
	    "%s%s overlap%s %s (%s, %s:%d) on host %s", label, pb,
	    b->replicas == 1 ? "s" : "", other, pa, a->file, a->line, b->host);
}

static void
check_overlaps(const struct conf *c, size_t *idx, struct conf_errors *errs)
{
	const struct conf_worker *w, *hold = NULL;
	size_t i, n = 0;

	for (i = 0; i < c->nworkers; i++)
		if (has_ports(&c->workers[i]))
			idx[n++] = i;
	qsort_r(idx, n, sizeof *idx, by_port, (void *)(uintptr_t)c);
	for (i = 0; i < n; i++) {
		w = &c->workers[idx[i]];
		if (hold != NULL && strcmp(hold->host, w->host) == 0 &&
		    w->port <= hold->port + hold->replicas - 1)
			overlap_error(hold, w, errs);
		if (hold == NULL || strcmp(hold->host, w->host) != 0 ||
		    w->port + w->replicas > hold->port + hold->replicas)
			hold = w;
	}
}

int
conf_validate(const struct conf *c, struct conf_errors *errs)
{
	size_t i, nerrs = errs->n, *idx;

	check_top(c, errs);
	for (i = 0; i < c->nworkers; i++)
		check_worker(c, &c->workers[i], errs);
	conf_device_check(c, errs);
	if (c->nworkers > 1) {
		if ((idx = calloc(c->nworkers, sizeof *idx)) == NULL) {
			conf_errors_add(errs, c->path, 0, "out of memory");
			return -1;
		}
		check_duplicates(c, idx, errs);
		check_overlaps(c, idx, errs);
		free(idx);
	}
	return errs->n == nerrs ? 0 : -1;
}
