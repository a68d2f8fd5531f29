/* unit_batch.c: the dynamic batcher's queue: when a batch is due, its
 * size, the order, the bound and the cost. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "tap.h"

#define US	1000ull

static struct batch_conf conf = {
	.max = 8, .preferred = { 4, 8 }, .npreferred = 2,
	.max_queue_delay_ns = 2000 * US, .queue_max = 10,
	.cost_per_item_ns = 1500 * US,
};

static void
test_due(void)
{
	struct batch b;
	struct batch_item out[8];
	uint64_t when;
	int i, inorder = 1;

	ok(batch_init(&b, &conf) == 0, "a queue is made");
	ok(batch_due(&b, 0, &when) == 0 && when == UINT64_MAX,
	    "empty: nothing due, ask at the next arrival");
	batch_push(&b, 100, (void *)1);
	batch_push(&b, 200, (void *)2);
	ok(batch_due(&b, 300, &when) == 0 && when == 100 + 2000 * US,
	    "below a preferred size: wait for the oldest's delay");
	ok(batch_due(&b, 100 + 2000 * US, &when) == 2,
	    "the delay over: what is there goes");
	batch_push(&b, 300, (void *)3);
	batch_push(&b, 400, (void *)4);
	ok(batch_due(&b, 500, &when) == 4, "a preferred size goes at once");
	for (i = 5; i <= 10; i++)
		batch_push(&b, 100 * (uint64_t)i, (void *)(intptr_t)i);
	ok(batch_push(&b, 2000, (void *)11) == -1, "queue_max: refused");
	ok(batch_due(&b, 1100, &when) == 8, "max waiting: max goes");
	batch_pop(&b, 8, out);
	for (i = 0; i < 8; i++)
		inorder &= out[i].p == (void *)(intptr_t)(i + 1);
	ok(inorder && b.n == 2, "the oldest go first");
	ok(batch_due(&b, 1100, &when) == 0 && when == 900 + 2000 * US,
	    "the rest waits from its own arrival");
	batch_free(&b);
}

static void
test_check_cost(void)
{
	struct batch_conf c = conf;
	char err[128];

	ok(batch_check(&c, err, sizeof err) == 0, "the example is valid");
	c.preferred[1] = 9;
	ok(batch_check(&c, err, sizeof err) == -1 &&
	    strstr(err, "preferred") != NULL, "a preferred size above max");
	c = conf;
	c.queue_max = 4;
	ok(batch_check(&c, err, sizeof err) == -1, "queue_max below max");
	ok(batch_cost_ns(&conf, 5000 * US, 1) == 5000 * US &&
	    batch_cost_ns(&conf, 5000 * US, 4) == 9500 * US,
	    "a batch costs one draw plus cost_per_item_ms after the first");
}

int
main(void)
{
	test_due();
	test_check_cost();
	return tap_done();
}
