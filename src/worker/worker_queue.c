/* worker_queue.c: fake-worker's dynamic batcher at run time.
 *
 * With --batch-max, a request received over the socket is kept (its
 * route's release lets go of it) and queued (batch.c) instead of being
 * served at once. The loop keeps receiving while a batch computes: a
 * batch is started when batch_due says so and only while none runs, and
 * ended (every reply at once) when its cost is over; the loop's poll
 * timeout comes from whichever is next. The last stretch of a batch's
 * cost is waited out with deadline_wait, as a single request's is.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "clock.h"
#include "log.h"
#include "worker_queue.h"
#include "worker_serve.h"

/* The poll wakes this long before a batch's end; the rest is spun. */
#define QUEUE_EARLY_NS	1000000ull

struct worker_queue {
	struct batch q;
	struct batch_item *items;	/* max, popped */
	struct worker_req **run;	/* the batch computing, nrun of it */
	struct worker_reply *rep;	/* their replies */
	int	 nrun;
	uint64_t end;			/* when it ends */
};

int
worker_queue_new(struct worker *w)
{
	const struct batch_conf *c = &w->o->batch;
	struct worker_queue *q;

	if ((q = calloc(1, sizeof *q)) == NULL ||
	    batch_init(&q->q, c) == -1 ||
	    (q->items = calloc((size_t)c->max, sizeof *q->items)) == NULL ||
	    (q->run = calloc((size_t)c->max, sizeof *q->run)) == NULL ||
	    (q->rep = calloc((size_t)c->max, sizeof *q->rep)) == NULL) {
		w->queue = q;
		worker_queue_free(w);
		return -1;
	}
	w->queue = q;
	return 0;
}

/* Let go of every request still kept: none is answered (a signal). */
void
worker_queue_free(struct worker *w)
{
	struct worker_queue *q = w->queue;
	struct batch_item it;
	int i;

	if (q == NULL)
		return;
	for (i = 0; i < q->nrun; i++) {
		zmq_msg_close(&q->rep[i].payload);
		q->run[i]->route->release(w, q->run[i]);
	}
	if (q->q.ring != NULL)
		while (q->q.n > 0) {
			batch_pop(&q->q, 1, &it);
			((struct worker_req *)it.p)->route->release(w, it.p);
		}
	batch_free(&q->q);
	free(q->items);
	free(q->run);
	free(q->rep);
	free(q);
	w->queue = NULL;
}

void
worker_queue_push(struct worker *w, struct worker_req *r)
{
	struct worker_queue *q = w->queue;

	if (r->h.has_shm) {
		snprintf(r->err, sizeof r->err, "a batching worker takes no "
		    "shared memory: send the array in the payload");
		worker_serve_error(w, r);
		r->route->release(w, r);
	} else if (batch_push(&q->q, r->t0, r) == -1) {
		snprintf(r->err, sizeof r->err, "queue full (%d waiting)",
		    q->q.n);
		r->queue_full = 1;
		worker_serve_error(w, r);
		r->route->release(w, r);
	}
}

int
worker_queue_timeout_ms(const struct worker *w, int other)
{
	const struct worker_queue *q = w->queue;
	uint64_t now = clock_now_ns(), t;
	int ms;

	if (q->nrun > 0)
		t = q->end - QUEUE_EARLY_NS;
	else if (batch_due(&q->q, now, &t) > 0)
		return 0;
	if (t == UINT64_MAX)
		return other;
	ms = t <= now ? 0 : (int)((t - now + 999999) / 1000000);
	return other < 0 || ms < other ? ms : other;
}

/* Start the batch that is due, if one is. */
static void
worker_queue_start(struct worker *w, uint64_t now)
{
	struct worker_queue *q = w->queue;
	uint64_t when;
	int i, k;

	if ((k = batch_due(&q->q, now, &when)) == 0)
		return;
	batch_pop(&q->q, k, q->items);
	for (i = 0; i < k; i++)
		q->run[i] = q->items[i].p;
	q->nrun = worker_serve_batch_start(w, q->run, q->rep, k);
	if (q->nrun > 0)
		q->end = q->run[0]->start + q->run[0]->cost_ns;
	log_debug("%s: a batch of %d started", w->o->name, k);
}

void
worker_queue_run(struct worker *w)
{
	struct worker_queue *q = w->queue;
	uint64_t now = clock_now_ns();

	if (q->nrun > 0) {
		if (now + QUEUE_EARLY_NS < q->end)
			return;
		worker_serve_batch_end(w, q->run, q->rep, q->nrun);
		q->nrun = 0;
		if (w->stopping)
			return;
		now = clock_now_ns();
	}
	worker_queue_start(w, now);
}
