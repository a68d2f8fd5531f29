/* worker_queue.h: fake-worker's dynamic batcher at run time: requests
 * kept while they wait, batches started and ended from the loop. */
#ifndef FS_WORKER_QUEUE_H
#define FS_WORKER_QUEUE_H

#include "worker_priv.h"

/* w->queue for the options' batch: 0, or -1 when out of memory. */
int	worker_queue_new(struct worker *);
/* Free it, letting go of the requests it keeps, unanswered. */
void	worker_queue_free(struct worker *);
/* Queue a kept request (its header parsed), or refuse it at once with an
 * error reply (the queue is full: queue_full; shared memory). */
void	worker_queue_push(struct worker *, struct worker_req *);
/* The poll's timeout in ms: other (-1: none), or sooner when a batch is
 * due or ends. */
int	worker_queue_timeout_ms(const struct worker *, int other);
/* End the running batch when its cost is over; start the next when due. */
void	worker_queue_run(struct worker *);

#endif
