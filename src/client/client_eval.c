/* client_eval.c: a run's evaluations and their parts.
 *
 * An evaluation sends every worker its input at once, or one after another
 * with --sequential, and waits for every reply. A part goes to the least
 * loaded replica of its worker that can take it. When none can because
 * none is connected (a worker restarting, a socket just reset after a
 * timeout), the part waits for a connection, its frames held, for up to
 * --connect-timeout-ms from when the replica was found without one; the
 * time it waits does not count against --timeout-ms. Each failed part
 * keeps its reason (timeout, error reply, unavailable, not sent); -v
 * says the first of each reason for each worker.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "client_eval.h"
#include "client_path.h"
#include "clock.h"
#include "log.h"

/* While parts wait for a connection, look at least this often. */
#define WAIT_POLL_NS	5000000ull

static void	send_part(struct client_evals *, long e, int t, uint64_t now);

void
client_eval_init(struct client_evals *v, struct client *c)
{
	memset(v, 0, sizeof *v);
	v->c = c;
	if ((v->logged = calloc((size_t)c->nt, sizeof *v->logged)) == NULL)
		fatal("calloc");
}

void
client_eval_free(struct client_evals *v)
{
	free(v->logged);
	v->logged = NULL;
}

/* -v: the first part of a worker that failed for this reason, and why;
 * -vv: every one. */
static void
say(struct client_evals *v, long e, int t, int reason, const char *why)
{
	struct client *c = v->c;

	if (v->logged[t] & 1u << reason) {
		log_debug("%s: frame %lld: %s: %s", c->t[t].name,
		    (long long)c->ev[e].frame, client_reason_name(reason), why);
		return;
	}
	v->logged[t] |= 1u << reason;
	log_info("%s: frame %lld: %s: %s (the first; the summary counts "
	    "them all)", c->t[t].name, (long long)c->ev[e].frame,
	    client_reason_name(reason), why);
}

static void
finish_eval(struct client_evals *v, long e, uint64_t now)
{
	struct client *c = v->c;
	struct client_eval *ev = &c->ev[e];
	struct client_part *p;
	int t;

	ev->status = ST_OK;
	ev->done_ns = 0;
	for (t = 0; t < c->nt; t++) {
		p = client_part(c, e, t);
		if (p->status > ev->status)
			ev->status = p->status;
		if (p->status == ST_OK && p->reply_ns > ev->done_ns)
			ev->done_ns = p->reply_ns;
	}
	if (ev->done_ns == 0)
		ev->done_ns = now;
	v->inflight--;
	v->finished++;
	while (v->first_open < v->started &&
	    c->ev[v->first_open].status != ST_PENDING)
		v->first_open++;
}

/* A part no longer waits for a connection: its frames are let go. */
static void
stop_waiting(struct client_evals *v, long e, int t)
{
	struct client *c = v->c;
	struct client_part *p = client_part(c, e, t);
	int k = c->t[t].window;

	if (p->wait_ns == 0)
		return;
	p->wait_ns = 0;
	v->nwaiting--;
	framesrc_release(framesrc_block(c->fs, c->ev[e].frame, k),
	    framesrc_hint(c->fs, k));
}

static void
part_done(struct client_evals *v, long e, int t, int status, int reason,
    uint64_t now)
{
	struct client *c = v->c;
	struct client_eval *ev = &c->ev[e];
	struct client_part *p = client_part(c, e, t);

	stop_waiting(v, e, t);
	p->status = status;
	p->reason = status == ST_OK ? RS_NONE : reason;
	p->reply_ns = now;
	if (status == ST_OK)
		ev->last = t;
	ev->pending--;
	if (c->o->sequential && t + 1 < c->nt && ev->next == t) {
		ev->next = t + 1;
		send_part(v, e, t + 1, now);
		return;			/* that part finishes the evaluation */
	}
	if (ev->pending == 0)
		finish_eval(v, e, now);
}

/* The least loaded of a worker's replicas, round-robin on ties, skipping
 * those already tried for this part (bit j of tried). */
static int
pick_ep(struct client *c, int t, unsigned long long tried)
{
	struct client_target *tg = &c->t[t];
	int i, j, best = -1;

	for (i = 0; i < tg->nep; i++) {
		j = (tg->rr + i) % tg->nep;
		if (!client_path_up(c, tg->first_ep + j) ||
		    (j < 64 && (tried >> j & 1)))
			continue;
		if (best == -1 || client_path_queued(c, tg->first_ep + j) <
		    client_path_queued(c, tg->first_ep + best))
			best = j;
	}
	if (best >= 0)
		tg->rr = (best + 1) % tg->nep;
	return best;
}

/* Sent on endpoint i: a part that waited gets its evaluation's deadline
 * moved by the time it waited. */
static void
part_sent(struct client_evals *v, long e, int t, int i, uint64_t now)
{
	struct client *c = v->c;
	struct client_eval *ev = &c->ev[e];
	struct client_part *p = client_part(c, e, t);
	uint64_t d;

	if (p->wait_ns != 0) {
		d = ev->sent_ns + (uint64_t)(c->timeout_ms * 1e6) +
		    (now - p->wait_ns);
		if (d > ev->deadline_ns)
			ev->deadline_ns = d;
		stop_waiting(v, e, t);
	}
	p->ep = i;
	c->ep[i].sent++;
}

/* Not sent: wait for a replica to connect while one may still, else
 * fail the part as unavailable, or not sent when the send failed for
 * another reason. */
static void
part_unsent(struct client_evals *v, long e, int t, uint64_t until, int err,
    uint64_t now)
{
	struct client *c = v->c;
	struct client_part *p = client_part(c, e, t);
	char why[128];

	p->ep = -1;
	if (until > now) {
		if (p->wait_ns == 0) {
			p->wait_ns = now;
			v->nwaiting++;
			framesrc_hold(c->fs, c->ev[e].frame, c->t[t].window);
		}
		return;
	}
	if (until > 0 || err == 0) {
		snprintf(why, sizeof why, "no replica connected within %g ms",
		    c->o->connect_timeout_ms);
		say(v, e, t, RS_UNAVAILABLE, why);
		part_done(v, e, t, ST_ERROR, RS_UNAVAILABLE, now);
		return;
	}
	say(v, e, t, RS_NOT_SENT, zmq_strerror(err));
	part_done(v, e, t, ST_ERROR, RS_NOT_SENT, now);
}

static void
send_part(struct client_evals *v, long e, int t, uint64_t now)
{
	struct client *c = v->c;
	struct client_part *p = client_part(c, e, t);
	unsigned long long tried = 0;
	uint64_t until = 0, u;
	int j, i, err = 0;

	while ((j = pick_ep(c, t, tried)) >= 0) {
		tried |= j < 64 ? 1ull << j : 0;
		i = c->t[t].first_ep + j;
		p->sent_ns = clock_now_ns();
		if (client_path_send(c, i, c->ev[e].frame) == 0) {
			part_sent(v, e, t, i, p->sent_ns);
			return;
		}
		err = errno;
		if ((u = client_path_wait_until(c, i)) > until)
			until = u;
		if (j >= 64)
			break;
	}
	part_unsent(v, e, t, until, err, now);
}

void
client_eval_start(struct client_evals *v)
{
	struct client *c = v->c;
	long e = v->started++;
	struct client_eval *ev = &c->ev[e];
	int t;

	ev->frame = e + c->window - 1;
	ev->pending = c->nt;
	ev->last = -1;
	ev->status = ST_PENDING;
	for (t = 0; t < c->nt; t++) {
		client_part(c, e, t)->ep = -1;
		client_part(c, e, t)->service_us = -1;
		client_part(c, e, t)->cost_us = -1;
		client_part(c, e, t)->queue_us = -1;
		client_part(c, e, t)->batch = 0;
	}
	v->inflight++;
	ev->sent_ns = clock_now_ns();
	ev->deadline_ns = ev->sent_ns + (uint64_t)(c->timeout_ms * 1e6);
	if (c->o->sequential) {
		ev->next = 0;
		send_part(v, e, 0, ev->sent_ns);
		return;
	}
	for (t = 0; t < c->nt; t++)
		send_part(v, e, c->order[t], ev->sent_ns);
}

static void
reply_part(struct client_evals *v, long e, int t,
    const struct client_reply *rep)
{
	struct client *c = v->c;
	struct client_part *p = client_part(c, e, t);
	int r;

	p->service_us = rep->parsed ? rep->h.service_us : -1;
	p->cost_us = rep->parsed ? rep->h.cost_us : -1;
	p->queue_us = rep->parsed ? rep->h.queue_us : -1;
	p->batch = rep->parsed ? rep->h.batch : 0;
	/* The worker's clock is ours: trust its times when they fall
	 * between the request and now. */
	if (rep->w_recv_ns != 0 && rep->w_recv_ns >= p->sent_ns &&
	    rep->w_sent_ns >= rep->w_recv_ns &&
	    rep->w_sent_ns <= clock_now_ns()) {
		p->w_recv_ns = rep->w_recv_ns;
		p->w_sent_ns = rep->w_sent_ns;
	}
	if (!rep->parsed || rep->h.is_error) {
		r = rep->parsed && rep->h.queue_full ? RS_QUEUE_FULL :
		    RS_ERROR_REPLY;
		say(v, e, t, r, rep->parsed ? rep->h.err :
		    "a reply without a JSON header");
		part_done(v, e, t, ST_ERROR, r, rep->rx_ns);
	} else
		part_done(v, e, t, ST_OK, RS_NONE, rep->rx_ns);
}

/* A reply, with the request its path says it answers. */
void
client_eval_reply(void *arg, int i, const struct client_reply *rep)
{
	struct client_evals *v = arg;
	struct client *c = v->c;
	struct client_part *p;
	long e = (long)(rep->frame - (c->window - 1));
	int t = c->ep[i].target;

	if (rep->frame < 0 || e < 0 || e >= v->started ||
	    (p = client_part(c, e, t))->status != ST_PENDING || p->ep != i) {
		c->late++;
		return;
	}
	if (rep->again)
		send_part(v, e, t, clock_now_ns());
	else
		reply_part(v, e, t, rep);
}

/* A worker did not answer in time: reset its socket; every frame queued
 * on it is lost. */
static void
fail_endpoint(struct client_evals *v, int i, uint64_t now)
{
	struct client *c = v->c;
	int64_t lost[CLIENT_FIFO];
	int n, k, t = c->ep[i].target;
	char why[64];
	long e;

	n = client_path_reset(c, i, lost);
	snprintf(why, sizeof why, "no reply within %g ms", c->timeout_ms);
	for (k = 0; k < n; k++) {
		e = (long)(lost[k] - (c->window - 1));
		if (e >= 0 && e < v->started &&
		    client_part(c, e, t)->status == ST_PENDING &&
		    client_part(c, e, t)->ep == i) {
			say(v, e, t, RS_TIMEOUT, why);
			part_done(v, e, t, ST_TIMEOUT, RS_TIMEOUT, now);
		}
	}
}

/* Is a part of evaluation e sent and not answered? */
static int
awaits_reply(const struct client *c, long e)
{
	const struct client_part *p;
	int t;

	for (t = 0; t < c->nt; t++) {
		p = client_part(c, e, t);
		if (p->status == ST_PENDING && p->ep >= 0)
			return 1;
	}
	return 0;
}

/* A part of an evaluation past its deadline that its endpoint's reset
 * did not fail: sent and not answered, or never sent. */
static void
timed_out(struct client_evals *v, long e, int t, uint64_t now)
{
	int reason = client_part(v->c, e, t)->ep >= 0 ? RS_TIMEOUT :
	    RS_NOT_SENT;

	say(v, e, t, reason, reason == RS_TIMEOUT ? "no reply in time" :
	    "its evaluation timed out first");
	part_done(v, e, t, ST_TIMEOUT, reason, now);
}

/* An evaluation past its deadline: its workers that did not answer are
 * reset; its parts not sent yet (those waiting, or later in the
 * sequence) fail with it. */
static void
check_timeouts(struct client_evals *v, uint64_t now)
{
	struct client *c = v->c;
	struct client_part *p;
	long e;
	int t;

	for (e = v->first_open; e < v->started; e++) {
		if (c->ev[e].status != ST_PENDING || now < c->ev[e].deadline_ns ||
		    !awaits_reply(c, e))
			continue;
		c->ev[e].next = c->nt;	/* --sequential: send nothing more */
		for (t = 0; t < c->nt; t++) {
			p = client_part(c, e, t);
			if (p->status == ST_PENDING && p->ep >= 0)
				fail_endpoint(v, p->ep, now);
		}
		for (t = 0; t < c->nt && c->ev[e].status == ST_PENDING; t++)
			if (client_part(c, e, t)->status == ST_PENDING)
				timed_out(v, e, t, now);
	}
}

/* Send the parts that wait for a connection and can go now; watch the
 * endpoints of the workers that still have some. */
static void
retry_waiting(struct client_evals *v, uint64_t now)
{
	struct client *c = v->c;
	char waits[CLIENT_MAX_ENDPOINTS] = { 0 };
	long e;
	int t, i;

	for (e = v->first_open; e < v->started && v->nwaiting > 0; e++)
		for (t = 0; t < c->nt; t++)
			if (client_part(c, e, t)->wait_ns != 0)
				send_part(v, e, t, now);
	for (e = v->first_open; e < v->started && v->nwaiting > 0; e++)
		for (t = 0; t < c->nt; t++)
			if (client_part(c, e, t)->wait_ns != 0)
				waits[t] = 1;
	for (i = 0; i < c->nep; i++)
		client_path_watch(c, i, waits[c->ep[i].target]);
}

void
client_eval_check(struct client_evals *v, uint64_t now)
{
	check_timeouts(v, now);
	retry_waiting(v, now);
}

uint64_t
client_eval_wake(const struct client_evals *v, uint64_t now)
{
	const struct client *c = v->c;
	uint64_t wake = v->nwaiting > 0 ? now + WAIT_POLL_NS : UINT64_MAX;
	long e;

	for (e = v->first_open; e < v->started; e++)
		if (c->ev[e].status == ST_PENDING &&
		    c->ev[e].deadline_ns < wake && awaits_reply(c, e))
			wake = c->ev[e].deadline_ns;
	return wake;
}
