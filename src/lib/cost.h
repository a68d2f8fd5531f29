/* cost.h: how long a modelled computation takes, drawn per request.
 *
 * A worker's cost is a distribution around its typical cost ms: fixed
 * (always ms, as before), normal (mean ms, sd_ms), lognormal (median ms,
 * sigma), gamma (mean ms, shape), uniform (min_ms..max_ms) or empirical
 * (measured latencies, drawn with replacement). min_ms and max_ms clamp
 * every draw; coef then scales it. The draws come from the caller's
 * generator (rng.h), so a seeded worker repeats its sequence.
 */
#ifndef FS_COST_H
#define FS_COST_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

enum cost_dist {
	COST_FIXED,
	COST_NORMAL,
	COST_LOGNORMAL,
	COST_GAMMA,
	COST_UNIFORM,
	COST_EMPIRICAL,
	COST__MAX
};

struct cost {
	enum cost_dist dist;
	double	 ms;		/* typical cost: mean, median or the value */
	double	 sd_ms;		/* normal */
	double	 sigma;		/* lognormal, of the logarithm */
	double	 shape;		/* gamma */
	double	 min_ms;	/* clamps; uniform's range */
	double	 max_ms;	/* HUGE_VAL: no upper clamp */
	double	 coef;		/* scales every draw, after the clamps */
	const double *emp;	/* empirical: nemp latencies in ms */
	size_t	 nemp;
};

/* The distributions' names, NULL-terminated, for the key tables. */
extern const char *const cost_dist_names[COST__MAX + 1];

/* A fixed cost of ms: the defaults of every other field. */
void	 cost_init(struct cost *, double ms);
int	 cost_dist_lookup(const char *name, enum cost_dist *out);
const char *cost_dist_name(enum cost_dist);
/* Are the parameters usable for the distribution? 0, or -1 with the
 * reason in err. */
int	 cost_check(const struct cost *, char *err, size_t errlen);
/* One draw, in milliseconds (>= 0) and in nanoseconds. */
double	 cost_draw_ms(const struct cost *, struct rng *);
uint64_t cost_draw_ns(const struct cost *, struct rng *);
/* Read a file of latencies in ms, one a line ('#' comments and blank
 * lines allowed) into a new array: 0, or -1 with "path:line: why" in
 * err. */
int	 cost_load(const char *path, double **vals, size_t *n, char *err,
	    size_t errlen);

#endif
