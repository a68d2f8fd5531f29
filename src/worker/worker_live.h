/* worker_live.h: the cost and faults the supervisor changes while the
 * worker runs (wklive.h), taken between two requests. */
#ifndef FS_WORKER_LIVE_H
#define FS_WORKER_LIVE_H

#include "worker_priv.h"

/* The block in the worker's slot moved: take its values (the next
 * request's cost is drawn from them). */
void	worker_live_apply(struct worker *);

#endif
