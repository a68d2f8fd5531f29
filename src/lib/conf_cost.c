/* conf_cost.c: a worker's modelled cost in the config file: which of
 * the keys cost_dist .. seed apply to its distribution, the checks across
 * them (and across the warm-up's two keys), cost_file made absolute
 * (relative to the file that names it) and read as the worker will, and
 * the seed each replica is started with.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"
#include "rng.h"

/* The distribution a parameter belongs to; the others apply to all. */
static const struct {
	int		 key;
	enum cost_dist	 dist;
} cost_params[] = {
	{ WK_COST_SD_MS, COST_NORMAL },
	{ WK_COST_SIGMA, COST_LOGNORMAL },
	{ WK_COST_SHAPE, COST_GAMMA },
	{ WK_COST_MAX_MS, COST_UNIFORM },	/* needed by it, applies to all */
	{ WK_COST_FILE, COST_EMPIRICAL },
};

int
conf_cost_on(const struct conf_worker *w)
{
	return w->cost_dist != COST_FIXED || w->cost_min_ms != 0 ||
	    w->cost_max_ms != CONF_COST_MAX_MS;
}

int
conf_cost_applies(const struct conf_worker *w, int key)
{
	size_t i;

	if (key == WK_COST_MAX_MS)
		return 1;
	for (i = 0; i < FS_NELEM(cost_params); i++)
		if (cost_params[i].key == key)
			return w->cost_dist == cost_params[i].dist;
	return 1;
}

uint64_t
conf_worker_seed(const struct conf_worker *w, int replica)
{
	if (w->key_line[WK_SEED] > 0)
		return (uint64_t)w->seed + (uint64_t)replica;
	return rng_seed_name(w->name, replica);
}

void
conf_cost_resolve(struct conf_worker *w, const char *file,
    const char *label, struct conf_errors *errs)
{
	const char *slash = strrchr(file, '/');
	char dir[CONF_PATH_MAX], abs[PATH_MAX], path[CONF_PATH_MAX];
	int n;

	if (w->key_line[WK_COST_FILE] == 0 || (w->invalid &
	    1u << WK_COST_FILE) || w->cost_file[0] == '/' ||
	    w->cost_file[0] == '\0')
		return;
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else	/* "/x.conf": "/" */
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - file) +
		    (slash == file), file);
	n = snprintf(path, sizeof path, "%s/%s", realpath(dir, abs) != NULL ?
	    abs : dir, w->cost_file);
	if (n < 0 || (size_t)n >= sizeof path) {
		conf_errors_add(errs, file, w->key_line[WK_COST_FILE],
		    "%scost_file made absolute is longer than %d characters",
		    label, CONF_PATH_MAX - 1);
		w->invalid |= 1u << WK_COST_FILE;
		return;
	}
	w->cost_file = conf_intern(path);
}

static int
line_of(const struct conf_worker *w, int key)
{
	return w->key_line[key] > 0 ? w->key_line[key] : w->line;
}

/* A parameter set for a distribution that does not use it, or one it
 * needs not set. */
static void
check_params(const struct conf_worker *w, const char *label,
    struct conf_errors *errs)
{
	const char *dist = cost_dist_name(w->cost_dist);
	const char *name;
	size_t i;
	int key;

	for (i = 0; i < FS_NELEM(cost_params); i++) {
		key = cost_params[i].key;
		name = conf_worker_keys[key].name;
		if (w->key_line[key] > 0 && !conf_cost_applies(w, key))
			conf_errors_add(errs, w->file, w->key_line[key],
			    "%s%s is only for cost_dist \"%s\" (this worker's "
			    "is \"%s\")", label, name,
			    cost_dist_name(cost_params[i].dist), dist);
		else if (w->key_line[key] == 0 &&
		    w->cost_dist == cost_params[i].dist)
			conf_errors_add(errs, w->file, line_of(w, WK_COST_DIST),
			    "%scost_dist \"%s\" needs %s", label, dist, name);
	}
}

/* The warm-up is a count of requests and their cost: either alone
 * would do nothing. */
static void
check_warmup(const struct conf_worker *w, const char *label,
    struct conf_errors *errs)
{
	int nset = w->key_line[WK_WARMUP_REQUESTS] > 0;

	if (nset == (w->key_line[WK_WARMUP_COST_MS] > 0))
		return;
	conf_errors_add(errs, w->file, line_of(w, nset ? WK_WARMUP_REQUESTS :
	    WK_WARMUP_COST_MS), "%s%s needs %s", label, nset ?
	    "warmup_requests" : "warmup_cost_ms", nset ? "warmup_cost_ms" :
	    "warmup_requests");
}

void
conf_cost_check(const struct conf_worker *w, unsigned invalid,
    const char *label, struct conf_errors *errs)
{
	const char *dist = cost_dist_name(w->cost_dist);

	check_warmup(w, label, errs);
	if (invalid & 1u << WK_COST_DIST)
		return;
	check_params(w, label, errs);
	if ((w->cost_dist == COST_LOGNORMAL || w->cost_dist == COST_GAMMA) &&
	    !(invalid & 1u << WK_COST_MS) && w->key_line[WK_COST_MS] > 0 &&
	    !(w->cost_ms > 0))
		conf_errors_add(errs, w->file, line_of(w, WK_COST_MS),
		    "%scost_dist \"%s\" needs cost_ms > 0 (its %s)", label,
		    dist, w->cost_dist == COST_GAMMA ? "mean" : "median");
	if (!(invalid & (1u << WK_COST_MIN_MS | 1u << WK_COST_MAX_MS)) &&
	    w->cost_min_ms > w->cost_max_ms)
		conf_errors_add(errs, w->file, line_of(w, w->key_line[
		    WK_COST_MIN_MS] > 0 ? WK_COST_MIN_MS : WK_COST_MAX_MS),
		    "%scost_min_ms %g is greater than cost_max_ms %g", label,
		    w->cost_min_ms, w->cost_max_ms);
	if (w->key_line[WK_COST_FILE] > 0 && !(invalid & 1u << WK_COST_FILE) &&
	    w->cost_file[0] == '\0')
		conf_errors_add(errs, w->file, w->key_line[WK_COST_FILE],
		    "%scost_file is empty", label);
}

int
conf_cost_files(const struct conf *c, struct conf_errors *errs)
{
	const struct conf_worker *w;
	size_t i, n, nerrs = errs->n;
	char err[CONF_PATH_MAX + 128];
	double *v;

	for (i = 0; i < c->nworkers; i++) {
		w = &c->workers[i];
		if (w->cost_dist != COST_EMPIRICAL || w->cost_file[0] == '\0')
			continue;
		if (cost_load(w->cost_file, &v, &n, err, sizeof err) == -1) {
			conf_errors_add(errs, w->file, line_of(w, WK_COST_FILE),
			    "worker '%s': cost_file %s", w->name, err);
			continue;
		}
		free(v);
	}
	return errs->n == nerrs ? 0 : -1;
}
