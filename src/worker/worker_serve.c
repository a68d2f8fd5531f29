/* worker_serve.c: a request, as every route hands it over, to its reply.
 *
 * Check the request, find its input (the payload, or a ring), plan the
 * kind's output and where it goes, compute it (now, or at the end of the
 * cost), wait out the cost and give the reply to the request's route,
 * counting it for the supervisor's metrics. Nothing here knows how a
 * request came or how its reply leaves.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "deadline.h"
#include "log.h"
#include "wkstats.h"
#include "worker_live.h"
#include "worker_pool.h"
#include "worker_priv.h"
#include "worker_serve.h"
#include "worker_shm.h"

uint64_t
worker_serve_draw(struct worker *w)
{
	/* A warm-up request draws nothing: after the warm-up, the seed's
	 * sequence starts at its beginning. */
	if (w->warm_left > 0)
		return w->warm_ns;
	return w->cost.dist == COST_FIXED ? w->cost_ns :
	    cost_draw_ns(&w->cost, &w->crng);
}

void
worker_serve_begin(struct worker *w, struct worker_req *r,
    const struct worker_route *route)
{
	r->route = route;
	r->start = r->t0 = clock_now_ns();
	if (w->o->stats.slot != NULL) {
		wkstats_begin(&w->o->stats);
		if (wklive_gen(&w->o->stats.slot->live) != w->live_gen)
			worker_live_apply(w);
	}
	/* A batch draws once, when it starts (worker_queue.c). */
	r->cost_ns = w->queue == NULL ? worker_serve_draw(w) : 0;
	r->nexec = 1;
	r->batch = 0;
	r->queue_full = 0;
	r->injected = 0;
	wire_header_init(&r->h);
	r->pay = r->in = NULL;
	r->paylen = 0;
	r->paymsg = NULL;
	r->lane_full = 0;
	r->err[0] = '\0';
}

int
worker_serve_wait(struct worker *w, const struct worker_req *r)
{
	int rc = deadline_wait(r->start + r->cost_ns, w->sigfd);

	if (rc == -1)
		log_warn("waiting for the deadline");
	if (rc == 1)
		w->stopping = 1;
	return rc == 1;
}

/* "worker" and, when the request had one, "frame", for any reply. */
static void
worker_serve_ids(const struct worker *w, const struct worker_req *r,
    struct wire_header *out)
{
	memcpy(out->worker, w->o->name, sizeof out->worker);
	out->has_frame = r->h.has_frame;
	out->frame = r->h.frame;
}

/* A route that cannot take a reply says why in r->err: its error goes
 * instead and is what is counted (wkstats.h). The queue time is the time
 * a request waited in the worker for its batch or the device (the time
 * it waited in libzmq's queue is not known). */
void
worker_serve_send(struct worker *w, struct worker_req *r, const char *hdr,
    size_t hlen, zmq_msg_t *payload, int ok)
{
	if (r->route->reply(w, r, hdr, hlen, payload) == -1 && ok)
		worker_serve_error(w, r);
	else if (w->o->stats.slot != NULL)
		wkstats_end(&w->o->stats, ok, r->nexec, r->start - r->t0,
		    clock_now_ns() - r->start);
}

void
worker_serve_error(struct worker *w, struct worker_req *r)
{
	struct wire_header out;
	char hdr[WIRE_HDRMAX];
	int n;

	/* A refusal or an injected fault is not the request's doing, and
	 * the fault was logged with its frame already. */
	if (!r->injected && !r->queue_full)
		log_info("%s: bad request: %s", w->o->name, r->err);
	wire_header_init(&out);
	worker_serve_ids(w, r, &out);
	out.is_error = 1;
	memcpy(out.err, r->err, sizeof out.err);
	/* The client sends it again over ZeroMQ. */
	out.lane_full = r->lane_full;
	r->lane_full = 0;
	out.queue_full = r->queue_full;
	if ((n = wire_header_write(hdr, sizeof hdr, &out)) == -1)
		log_warnx("%s: error reply too long", w->o->name);
	else
		worker_serve_send(w, r, hdr, (size_t)n, NULL, 0);
}

/* Where the output goes: the request's payload itself when the kind
 * returns its input (no copy), an output slot of its ring, or a pooled
 * buffer. Computed there now, or noted for later. */
static int
worker_serve_place(struct worker *w, struct worker_req *r,
    struct worker_reply *rep)
{
	uint64_t n = rep->h.nbytes;
	void *dst = NULL;

	rep->late = NULL;
	if (w->kind->same && !r->h.has_shm && r->paymsg != NULL) {
		zmq_msg_init(&rep->payload);
		return zmq_msg_move(&rep->payload, r->paymsg);
	}
	if (r->h.has_shm &&
	    (dst = worker_shm_place(w->shm, n, &rep->h.shm_out)) != NULL)
		zmq_msg_init(&rep->payload);
	else if ((uint64_t)(size_t)n != n ||
	    (dst = worker_pool_msg(w->pool, &rep->payload, (size_t)n)) == NULL)
		return wire_fail(r->err, sizeof r->err, "no memory for a %"
		    PRIu64 "-byte reply", n);
	if (w->kind->late)
		rep->late = dst;
	else
		w->compute(&w->kctx, &r->h, r->in, &rep->h, dst);
	return 0;
}

/* Check a request and plan its reply: 0, or -1 with r->err. */
static int
worker_serve_plan(struct worker *w, struct worker_req *r,
    struct worker_reply *rep)
{
	if (r->h.is_error)
		return wire_fail(r->err, sizeof r->err, "a request cannot "
		    "carry \"error\"");
	/* The array is in the payload, or in a ring the header names. */
	if (r->h.has_shm && worker_shm_resolve(w->shm, &r->h, &r->in, r->err,
	    sizeof r->err) == -1)
		return -1;
	if (r->route->admit(w, r) == -1)
		return -1;
	if (r->h.has_shm && r->paylen != 0)
		return wire_fail(r->err, sizeof r->err, "a shm request carries "
		    "no payload, this one has %zu bytes", r->paylen);
	if (!r->h.has_shm) {
		if (wire_payload_check(&r->h, r->paylen, r->err,
		    sizeof r->err) == -1)
			return -1;
		r->in = r->pay;
	}
	wire_header_init(&rep->h);
	if (w->kind->plan(&w->kctx.o, &w->kctx.rng, &r->h, &rep->h, r->err,
	    sizeof r->err) == -1)
		return -1;
	return worker_serve_place(w, r, rep);
}

/* A late output is computed at the end of the budget, not at its start:
 * there, its CPU time would delay the requests other workers are being
 * sent at the same moment (the client sends them all at once), while at
 * the end it only fills time the simulated model spends anyway. Planned
 * from the last computations' time per output item, twice over, plus the
 * final spin; started at once the first time, and when the budget is too
 * short for that. The sleep to that start does not spin: the margin
 * absorbs its lateness, and the one spin is the budget's own, after it.
 * Returns 1 when a signal came meanwhile. */
static int
worker_serve_late(struct worker *w, struct worker_req *r,
    struct worker_reply *rep)
{
	double items = (double)(rep->h.nbytes /
	    (uint64_t)rep->h.dtype.itemsize), v;
	uint64_t plan = (uint64_t)(2 * w->late_ns * items) + DEADLINE_SPIN_NS;
	uint64_t t;
	int rc = 0;

	if (rep->late == NULL)
		return 0;
	/* The first time, at once: nothing to plan from yet. A cost
	 * within the plan cannot leave time to sleep: no clock read. */
	if (w->late_ns > 0 && r->cost_ns > plan &&
	    r->start + r->cost_ns > clock_now_ns() + plan &&
	    (rc = deadline_sleep(r->start + r->cost_ns - plan, w->sigfd)) == 1)
		w->stopping = 1;
	t = clock_now_ns();
	w->compute(&w->kctx, &r->h, r->in, &rep->h, rep->late);
	v = items > 0 ? (double)(clock_now_ns() - t) / items : 0;
	/* A slow one counts at once; a fast one a little at a time. */
	w->late_ns = v > w->late_ns ? v : w->late_ns - (w->late_ns - v) / 8;
	rep->late = NULL;
	return rc == 1;
}

/* Its output computed by the end of its cost: 1 when a signal came. */
static int
worker_serve_ready(struct worker *w, struct worker_req *r,
    struct worker_reply *rep)
{
	int interrupted = worker_serve_late(w, r, rep);

	rep->h.overrun = clock_now_ns() > r->start + r->cost_ns;
	return interrupted;
}

/* Its cost waited out (and the device let go of): the reply leaves. */
static void
worker_serve_out(struct worker *w, struct worker_req *r,
    struct worker_reply *rep, int interrupted)
{
	char hdr[WIRE_HDRMAX];
	uint64_t t1 = clock_now_ns();
	int n;

	if (w->warm_left > 0)	/* a served request, not an error */
		w->warm_left--;
	worker_serve_ids(w, r, &rep->h);
	rep->h.service_us = (double)(t1 - r->t0) / 1e3;
	rep->h.interrupted = interrupted ? 1 : -1;
	rep->h.cost_us = (double)r->cost_ns / 1e3;
	if (w->queue != NULL || w->dev != NULL)
		rep->h.queue_us = (double)(r->start - r->t0) / 1e3;
	rep->h.batch = r->batch;
	/* Over shared memory both ends share CLOCK_MONOTONIC: the client
	 * splits its transport time into the request's and the reply's. */
	if (r->h.has_shm) {
		rep->h.t_recv_ns = r->t0;
		rep->h.t_sent_ns = clock_now_ns();
	}
	if ((n = wire_header_write(hdr, sizeof hdr, &rep->h)) == -1)
		log_warnx("%s: reply header too long", w->o->name);
	else
		worker_serve_send(w, r, hdr, (size_t)n, &rep->payload, 1);
	log_debug("%s: %s%s %.3f ms%s", w->o->name, hdr,
	    rep->h.overrun ? " OVERRUN" : "", (double)(t1 - r->t0) / 1e6,
	    interrupted ? " (interrupted)" : "");
	zmq_msg_close(&rep->payload);
}

static void
worker_serve_reply(struct worker *w, struct worker_req *r,
    struct worker_reply *rep)
{
	int interrupted = worker_serve_ready(w, r, rep);

	interrupted |= worker_serve_wait(w, r);
	if (w->dev != NULL)
		device_release(w->dev);
	worker_serve_out(w, r, rep, interrupted);
}

/* The request's injected fault, drawn after its cost (no draw when no
 * rate is set, so a seed's costs are those of a worker without faults).
 * 1 when it is answered (an error) or never will be (dropped). */
static int
worker_serve_fault(struct worker *w, struct worker_req *r)
{
	const struct fault_rates *f = &w->faults;
	enum fault k;

	if (!w->faulty || (k = fault_draw(f, &w->crng)) == FAULT_NONE)
		return 0;
	log_info("%s: frame %lld: injected fault: %s", w->o->name,
	    r->h.has_frame ? (long long)r->h.frame : -1LL, fault_name(k));
	switch (k) {
	case FAULT_ERROR:
		r->injected = 1;
		snprintf(r->err, sizeof r->err, "injected fault");
		worker_serve_error(w, r);
		return 1;
	case FAULT_DROP:
		wkstats_drop(&w->o->stats);
		return 1;
	case FAULT_STALL:
		r->cost_ns += (uint64_t)(f->stall_ms * 1e6 + 0.5);
		return 0;
	case FAULT_CRASH:
		log_warnx("%s: frame %lld: aborting (injected crash)",
		    w->o->name, r->h.has_frame ? (long long)r->h.frame : -1LL);
		abort();
	default:
		return 0;
	}
}

int
worker_serve_hold(struct worker *w, uint64_t *start)
{
	char err[128];
	int rc = 0;

	if (w->dev != NULL &&
	    (rc = device_acquire(w->dev, &w->stop, err, sizeof err)) == 1) {
		w->stopping = 1;
		return 1;
	}
	if (rc == -1)	/* served anyway, off the device */
		log_warnx("%s: %s", w->o->name, err);
	*start = clock_now_ns();
	return 0;
}

void
worker_serve(struct worker *w, struct worker_req *r)
{
	struct worker_reply rep;

	if (worker_serve_fault(w, r))
		return;
	/* The cost starts once the device is ours. */
	if (w->dev != NULL && worker_serve_hold(w, &r->start))
		return;
	if (worker_serve_plan(w, r, &rep) == -1) {
		if (w->dev != NULL)
			device_release(w->dev);
		worker_serve_error(w, r);
	} else
		worker_serve_reply(w, r, &rep);
}

/* Drop the requests already answered (nulled) from a batch: how many are
 * left, in order. */
static int
worker_serve_compact(struct worker_req **rq, struct worker_reply *rep, int k)
{
	int i, n = 0;

	for (i = 0; i < k; i++)
		if (rq[i] != NULL) {
			if (n != i)
				rep[n] = rep[i];
			rq[n++] = rq[i];
		}
	return n;
}

/* Each request's fault; a stall lengthens the whole batch. The answered
 * ones are let go of. The longest stall's extra time. */
static uint64_t
worker_serve_batch_faults(struct worker *w, struct worker_req **rq, int k)
{
	uint64_t stall = 0;
	int i;

	for (i = 0; i < k; i++) {
		rq[i]->cost_ns = 0;
		if (worker_serve_fault(w, rq[i])) {
			rq[i]->route->release(w, rq[i]);
			rq[i] = NULL;
		} else if (rq[i]->cost_ns > stall)
			stall = rq[i]->cost_ns;
	}
	return stall;
}

int
worker_serve_batch_start(struct worker *w, struct worker_req **rq,
    struct worker_reply *rep, int k)
{
	uint64_t cost = batch_cost_ns(&w->o->batch, worker_serve_draw(w), k);
	uint64_t start;
	int i, n, first = -1;

	cost += worker_serve_batch_faults(w, rq, k);
	if ((n = worker_serve_compact(rq, rep, k)) == 0)
		return 0;
	if (worker_serve_hold(w, &start)) {
		for (i = 0; i < n; i++)
			rq[i]->route->release(w, rq[i]);
		return 0;
	}
	for (i = 0; i < n; i++) {
		rq[i]->start = start;
		rq[i]->cost_ns = cost;
		rq[i]->batch = k;
		rq[i]->nexec = 0;
		if (worker_serve_plan(w, rq[i], &rep[i]) == 0) {
			first = first < 0 ? i : first;
			continue;
		}
		worker_serve_error(w, rq[i]);
		rq[i]->route->release(w, rq[i]);
		rq[i] = NULL;
	}
	/* The batch is one execution, counted with its first reply. */
	if (first >= 0)
		rq[first]->nexec = (unsigned)k;
	if ((n = worker_serve_compact(rq, rep, n)) == 0 && w->dev != NULL)
		device_release(w->dev);
	return n;
}

void
worker_serve_batch_end(struct worker *w, struct worker_req **rq,
    struct worker_reply *rep, int n)
{
	int i, interrupted = 0;

	for (i = 0; i < n; i++)
		interrupted |= worker_serve_ready(w, rq[i], &rep[i]);
	interrupted |= worker_serve_wait(w, rq[0]);
	if (w->dev != NULL)
		device_release(w->dev);
	for (i = 0; i < n; i++) {
		worker_serve_out(w, rq[i], &rep[i], interrupted);
		rq[i]->route->release(w, rq[i]);
	}
}
