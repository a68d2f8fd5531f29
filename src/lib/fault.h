/* fault.h: the faults a modelled worker injects, one draw per request.
 *
 * Each request draws at most one fault from the worker's generator:
 * an error reply, no reply at all, a stall of stall_ms before the reply,
 * or the process aborting. The rates are probabilities whose sum is at
 * most 1.
 */
#ifndef FS_FAULT_H
#define FS_FAULT_H

#include <stddef.h>

#include "rng.h"

enum fault {
	FAULT_NONE,
	FAULT_ERROR,
	FAULT_DROP,
	FAULT_STALL,
	FAULT_CRASH,
	FAULT__MAX
};

struct fault_rates {
	double	 error_rate;
	double	 drop_rate;
	double	 stall_rate;
	double	 stall_ms;
	double	 crash_rate;
};

/* Are the rates probabilities that sum to at most 1? 0, or -1 with the
 * reason in err. */
int	 fault_check(const struct fault_rates *, char *err, size_t errlen);
/* Any rate above 0? */
int	 fault_any(const struct fault_rates *);
/* The fault of one request (one draw when any rate is set, none else). */
enum fault fault_draw(const struct fault_rates *, struct rng *);
const char *fault_name(enum fault);

#endif
