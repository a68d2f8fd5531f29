/* batch.h: the dynamic batcher's queue, as pure logic.
 *
 * Requests arrive (batch_push) while the worker computes or waits; the
 * queue says when a batch is due and how big (batch_due): at once when
 * `max` are waiting or a preferred size is, else once the oldest has
 * waited max_queue_delay, with whatever is there (up to max). A request
 * that finds queue_max waiting is refused. The worker keeps the requests;
 * the queue keeps their arrival times and an opaque pointer each, in
 * order. A batch costs one draw plus cost_per_item for each request after
 * the first (batch_cost_ns).
 */
#ifndef FS_BATCH_H
#define FS_BATCH_H

#include <stddef.h>
#include <stdint.h>

#define BATCH_PREFERRED_MAX	8
#define BATCH_MAX		1024
#define BATCH_QUEUE_MAX		65536

struct batch_conf {
	int	 max;			/* 1..BATCH_MAX; 0: no batching */
	int	 preferred[BATCH_PREFERRED_MAX];	/* increasing */
	int	 npreferred;
	uint64_t max_queue_delay_ns;
	int	 queue_max;		/* max..BATCH_QUEUE_MAX */
	uint64_t cost_per_item_ns;
};

struct batch_item {
	uint64_t t;		/* when it arrived */
	void	*p;
};

struct batch {
	struct batch_conf c;
	struct batch_item *ring;	/* queue_max items */
	int	 head, n;
};

/* Sensible? 0, or -1 with the reason in err. */
int	 batch_check(const struct batch_conf *, char *err, size_t errlen);
/* 0, or -1 when out of memory. */
int	 batch_init(struct batch *, const struct batch_conf *);
void	 batch_free(struct batch *);
/* Queue a request that arrived at now: 0, or -1 when the queue is full. */
int	 batch_push(struct batch *, uint64_t now, void *p);
/* How many to dispatch at now (0: wait), and in *when the time at which
 * to ask again (UINT64_MAX: at the next arrival). */
int	 batch_due(const struct batch *, uint64_t now, uint64_t *when);
/* Take the k oldest into out[]. */
void	 batch_pop(struct batch *, int k, struct batch_item *out);
uint64_t batch_cost_ns(const struct batch_conf *, uint64_t draw_ns, int k);

#endif
