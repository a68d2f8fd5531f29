/* worker_batch.h: fake-worker's options of dynamic batching (batch.h:
 * the queue's sizes, delay and cost per item) and of a shared device
 * (device.h: the descriptor of its file, attached here). */
#ifndef FS_WORKER_BATCH_H
#define FS_WORKER_BATCH_H

#include <getopt.h>

#include "worker_opts.h"

/* The options' rows, for worker.c's getopt table (ending in no NULL). */
extern const struct option worker_batch_longopts[];
#define WORKER_BATCH_NOPTS	6
#define WORKER_BATCH_OPT0	0x300	/* their getopt values start here */

/* One of those options: usage errors exit. */
void	worker_batch_option(struct worker_opts *, int c, const char *arg);
/* After all options (coef known): check the batch's sizes, default
 * queue_max to max, attach the device. */
void	worker_batch_finish(struct worker_opts *);

#endif
