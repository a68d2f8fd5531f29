/* cost.c: a modelled computation's cost, drawn from its distribution
 * (see cost.h), and the reading of measured latencies. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"

const char *const cost_dist_names[COST__MAX + 1] = {
	[COST_FIXED] = "fixed",
	[COST_NORMAL] = "normal",
	[COST_LOGNORMAL] = "lognormal",
	[COST_GAMMA] = "gamma",
	[COST_UNIFORM] = "uniform",
	[COST_EMPIRICAL] = "empirical",
	[COST__MAX] = NULL,
};

void
cost_init(struct cost *c, double ms)
{
	memset(c, 0, sizeof *c);
	c->dist = COST_FIXED;
	c->ms = ms;
	c->max_ms = HUGE_VAL;
	c->coef = 1;
}

int
cost_dist_lookup(const char *name, enum cost_dist *out)
{
	int i;

	for (i = 0; i < COST__MAX; i++)
		if (strcmp(name, cost_dist_names[i]) == 0) {
			*out = (enum cost_dist)i;
			return 0;
		}
	return -1;
}

const char *
cost_dist_name(enum cost_dist d)
{
	return d >= 0 && d < COST__MAX ? cost_dist_names[d] : "?";
}

int
cost_check(const struct cost *c, char *err, size_t errlen)
{
	const char *why = NULL;

	if (!(c->min_ms >= 0) || !(c->max_ms >= c->min_ms))
		why = "needs 0 <= cost_min_ms <= cost_max_ms";
	else if (!(c->coef > 0))
		why = "needs coef > 0";
	else if (c->dist == COST_NORMAL && !(c->sd_ms >= 0))
		why = "needs cost_sd_ms >= 0";
	else if (c->dist == COST_LOGNORMAL && (!(c->sigma >= 0) || c->ms <= 0))
		why = "needs cost_sigma >= 0 and cost_ms > 0";
	else if (c->dist == COST_GAMMA && (!(c->shape > 0) || c->ms <= 0))
		why = "needs cost_shape > 0 and cost_ms > 0";
	else if (c->dist == COST_UNIFORM && isinf(c->max_ms))
		why = "needs cost_max_ms (and cost_min_ms, default 0)";
	else if (c->dist == COST_EMPIRICAL && c->nemp == 0)
		why = "needs cost_file with at least one latency";
	if (why == NULL)
		return 0;
	snprintf(err, errlen, "cost_dist \"%s\" %s", cost_dist_name(c->dist),
	    why);
	return -1;
}

static double
cost_raw(const struct cost *c, struct rng *r)
{
	switch (c->dist) {
	case COST_NORMAL:
		return c->ms + c->sd_ms * rng_normal(r);
	case COST_LOGNORMAL:
		return c->ms * exp(c->sigma * rng_normal(r));
	case COST_GAMMA:
		return rng_gamma(r, c->shape) * c->ms / c->shape;
	case COST_UNIFORM:
		return c->min_ms + (c->max_ms - c->min_ms) * (1 - rng_unit(r));
	case COST_EMPIRICAL:
		return c->emp[rng_next(r) % c->nemp];
	default:
		return c->ms;
	}
}

double
cost_draw_ms(const struct cost *c, struct rng *r)
{
	double v = cost_raw(c, r);

	if (!(v >= c->min_ms))	/* NaN too */
		v = c->min_ms;
	if (v > c->max_ms)
		v = c->max_ms;
	return v * c->coef;
}

uint64_t
cost_draw_ns(const struct cost *c, struct rng *r)
{
	double ns = cost_draw_ms(c, r) * 1e6;

	return ns >= 0x1p63 ? (uint64_t)1 << 63 : (uint64_t)(ns + 0.5);
}

/* One line's latency: 1 (a value), 0 (nothing on it) or -1. */
static int
cost_line(char *s, double *v)
{
	char *end;

	s[strcspn(s, "#\r\n")] = '\0';
	s += strspn(s, " \t");
	if (*s == '\0')
		return 0;
	errno = 0;
	*v = strtod(s, &end);
	end += strspn(end, " \t");
	if (errno != 0 || end == s || *end != '\0' || !isfinite(*v) ||
	    *v < 0)
		return -1;
	return 1;
}

int
cost_load(const char *path, double **vals, size_t *n, char *err,
    size_t errlen)
{
	char line[256];
	double *a = NULL, *t, v;
	size_t cap = 0, k = 0;
	int lineno = 0, r;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if ((r = cost_line(line, &v)) == 0)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s:%d: not a latency in ms "
			    "(a number >= 0)", path, lineno);
			goto fail;
		}
		if (k == cap) {
			cap = cap ? 2 * cap : 64;
			if ((t = realloc(a, cap * sizeof *a)) == NULL) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			a = t;
		}
		a[k++] = v;
	}
	if (ferror(f) || k == 0) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ?
		    strerror(errno) : "no latency in it");
		goto fail;
	}
	fclose(f);
	*vals = a;
	*n = k;
	return 0;
fail:
	fclose(f);
	free(a);
	return -1;
}
