/* worker_model.h: fake-worker's options of a modelled cost: its
 * distribution, parameters and seed (cost.h, rng.h), its warm-up, its
 * start delay and its injected faults (fault.h). */
#ifndef FS_WORKER_MODEL_H
#define FS_WORKER_MODEL_H

#include <getopt.h>

#include "worker_opts.h"

/* The options' rows, for worker.c's getopt table (ending in no NULL). */
extern const struct option worker_model_longopts[];
#define WORKER_MODEL_NOPTS	16
#define WORKER_MODEL_OPT0	0x200	/* their getopt values start here */

/* One of those options: usage errors exit. */
void	worker_model_option(struct worker_opts *, int c, const char *arg);
/* After all options: check the distribution and the warm-up's cost, read
 * the distribution's file, fill in cost_ms, coef and the default seed
 * (from the name). */
void	worker_model_finish(struct worker_opts *);

#endif
