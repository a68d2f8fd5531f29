/* wklive.h: the parameters of a running worker its supervisor changes
 * without restarting it (fake-serversctl set, a reload), in the worker's
 * slot of the counters file (wkstats.h).
 *
 * The supervisor is the one writer, the worker the one reader, each in its
 * own process: a sequence lock. The writer makes gen odd, stores the
 * values, then makes it even again; a reader copies the values between two
 * equal even readings of gen. gen 0: never written, the worker keeps the
 * values of its command line. The worker looks at gen once per request
 * (one relaxed load, wklive_gen) and copies the block only when it moved;
 * a slot outlives its worker, so a restarted one takes the values at its
 * first request. See doc/live.md.
 */
#ifndef FS_WKLIVE_H
#define FS_WKLIVE_H

#include <stdint.h>

#include "fault.h"

/* The values: the cost's (cost.h: ms, its distribution's parameters, the
 * clamps, coef the product of the global and the worker's) and the
 * faults'. Doubles only: copied word by word. */
struct wklive_vals {
	double	 cost_ms;
	double	 sd_ms;
	double	 sigma;
	double	 shape;
	double	 min_ms;
	double	 max_ms;	/* HUGE_VAL: no upper clamp */
	double	 coef;
	struct fault_rates faults;
};

struct wklive {
	uint64_t gen;		/* odd: being written; 0: never */
	struct wklive_vals v;
};

/* The writer: the values, gen moved on by 2. */
void	 wklive_write(struct wklive *, const struct wklive_vals *);
/* The reader's test per request. */
static inline uint64_t
wklive_gen(const struct wklive *l)
{
	return __atomic_load_n(&l->gen, __ATOMIC_RELAXED);
}
/* A consistent copy and its gen: 0, or -1 when the writer was busy each
 * time (try again at the next request). */
int	 wklive_read(const struct wklive *, struct wklive_vals *out,
	    uint64_t *gen);

#endif
