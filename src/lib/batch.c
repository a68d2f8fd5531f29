/* batch.c: the dynamic batcher's queue (see batch.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "batch.h"

int
batch_check(const struct batch_conf *c, char *err, size_t errlen)
{
	int i;

	if (c->max < 1 || c->max > BATCH_MAX) {
		snprintf(err, errlen, "batch max %d is out of range (1..%d)",
		    c->max, BATCH_MAX);
		return -1;
	}
	if (c->queue_max < c->max || c->queue_max > BATCH_QUEUE_MAX) {
		snprintf(err, errlen, "batch queue_max %d is out of range "
		    "(max..%d)", c->queue_max, BATCH_QUEUE_MAX);
		return -1;
	}
	for (i = 0; i < c->npreferred; i++)
		if (c->preferred[i] < 1 || c->preferred[i] > c->max ||
		    (i > 0 && c->preferred[i] <= c->preferred[i - 1])) {
			snprintf(err, errlen, "batch preferred sizes must "
			    "increase within 1..max (%d)", c->max);
			return -1;
		}
	return 0;
}

int
batch_init(struct batch *b, const struct batch_conf *c)
{
	b->c = *c;
	b->head = b->n = 0;
	b->ring = calloc((size_t)c->queue_max, sizeof *b->ring);
	return b->ring == NULL ? -1 : 0;
}

void
batch_free(struct batch *b)
{
	free(b->ring);
	b->ring = NULL;
	b->n = 0;
}

int
batch_push(struct batch *b, uint64_t now, void *p)
{
	struct batch_item *it;

	if (b->n >= b->c.queue_max)
		return -1;
	it = &b->ring[(b->head + b->n) % b->c.queue_max];
	it->t = now;
	it->p = p;
	b->n++;
	return 0;
}

/* The largest preferred size that is waiting, or 0. */
static int
batch_preferred(const struct batch *b)
{
	int i;

	for (i = b->c.npreferred - 1; i >= 0; i--)
		if (b->c.preferred[i] <= b->n)
			return b->c.preferred[i];
	return 0;
}

int
batch_due(const struct batch *b, uint64_t now, uint64_t *when)
{
	uint64_t t;
	int k;

	*when = UINT64_MAX;
	if (b->n == 0)
		return 0;
	if (b->n >= b->c.max)
		return b->c.max;
	if ((k = batch_preferred(b)) > 0)
		return k;
	t = b->ring[b->head].t + b->c.max_queue_delay_ns;
	if (now >= t)
		return b->n;
	*when = t;
	return 0;
}

void
batch_pop(struct batch *b, int k, struct batch_item *out)
{
	int i;

	if (k > b->n)
		k = b->n;
	for (i = 0; i < k; i++) {
		out[i] = b->ring[b->head];
		b->head = (b->head + 1) % b->c.queue_max;
	}
	b->n -= k;
}

uint64_t
batch_cost_ns(const struct batch_conf *c, uint64_t draw_ns, int k)
{
	return draw_ns + (k > 1 ? (uint64_t)(k - 1) * c->cost_per_item_ns : 0);
}
