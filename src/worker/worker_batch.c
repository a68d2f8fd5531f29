/* worker_batch.c: fake-worker's options of dynamic batching and of a
 * shared device (see worker_batch.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "worker_batch.h"
#include "worker_number.h"

enum {
	O_MAX = WORKER_BATCH_OPT0, O_PREFERRED, O_DELAY, O_QUEUE, O_PER_ITEM,
	O_DEVICE
};

const struct option worker_batch_longopts[WORKER_BATCH_NOPTS] = {
	{ "batch-max", required_argument, NULL, O_MAX },
	{ "batch-preferred", required_argument, NULL, O_PREFERRED },
	{ "batch-max-queue-delay-us", required_argument, NULL, O_DELAY },
	{ "batch-queue-max", required_argument, NULL, O_QUEUE },
	{ "batch-cost-per-item-ms", required_argument, NULL, O_PER_ITEM },
	{ "device-fd", required_argument, NULL, O_DEVICE },
};

/* An integer option in lo..hi. */
static int
worker_batch_int(int c, const char *s, double lo, double hi)
{
	const char *opt = worker_batch_longopts[c - WORKER_BATCH_OPT0].name;
	double v = worker_number(opt, s, lo, hi);

	if (v != (long)v)
		log_usage_error("--%s: '%s' is not an integer", opt, s);
	return (int)v;
}

/* --batch-preferred N[,N...] */
static void
worker_batch_preferred(struct batch_conf *b, const char *arg)
{
	char buf[256], *tok, *save = NULL;
	size_t n = strlen(arg);

	if (n == 0 || n >= sizeof buf)
		log_usage_error("--batch-preferred: '%s' is not a list of "
		    "sizes", arg);
	memcpy(buf, arg, n + 1);
	b->npreferred = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (b->npreferred == BATCH_PREFERRED_MAX)
			log_usage_error("--batch-preferred: more than %d "
			    "sizes", BATCH_PREFERRED_MAX);
		b->preferred[b->npreferred++] = worker_batch_int(O_PREFERRED,
		    tok, 1, BATCH_MAX);
	}
	if (b->npreferred == 0)
		log_usage_error("--batch-preferred: '%s' is not a list of "
		    "sizes", arg);
}

void
worker_batch_option(struct worker_opts *o, int c, const char *arg)
{
	struct batch_conf *b = &o->batch;

	switch (c) {
	case O_MAX:
		b->max = worker_batch_int(c, arg, 0, BATCH_MAX);
		break;
	case O_PREFERRED:
		worker_batch_preferred(b, arg);
		break;
	case O_DELAY:
		b->max_queue_delay_ns = (uint64_t)(worker_number(
		    worker_batch_longopts[c - WORKER_BATCH_OPT0].name, arg, 0,
		    864e8) * 1e3 + 0.5);
		break;
	case O_QUEUE:
		b->queue_max = worker_batch_int(c, arg, 1, BATCH_QUEUE_MAX);
		break;
	case O_PER_ITEM:
		o->batch_per_item_ms = worker_number("batch-cost-per-item-ms",
		    arg, 0, 864e5);
		break;
	case O_DEVICE:
		o->device_fd = worker_batch_int(c, arg, 3, 65535);
		break;
	}
}

void
worker_batch_finish(struct worker_opts *o)
{
	struct batch_conf *b = &o->batch;
	char err[256];

	/* coef may come after --batch-cost-per-item-ms. */
	b->cost_per_item_ns = (uint64_t)(o->batch_per_item_ms * o->coef * 1e6 +
	    0.5);
	if (b->max == 0) {
		if (b->npreferred > 0 || b->queue_max > 0 ||
		    b->max_queue_delay_ns > 0 || o->batch_per_item_ms > 0)
			log_usage_error("the --batch-* options go with "
			    "--batch-max N (1..%d)", BATCH_MAX);
	} else {
		if (b->queue_max == 0)
			b->queue_max = b->max;
		if (batch_check(b, err, sizeof err) == -1)
			log_usage_error("%s", err);
	}
	if (o->device_fd != -1 && (o->device = device_attach(o->device_fd,
	    err, sizeof err)) == NULL)
		log_usage_error("--device-fd %d: %s", o->device_fd, err);
}
