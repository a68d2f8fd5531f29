/* client_run.c: the fake video pipeline (the seed's fake_zmq_client.py).
 *
 * Frames are made at --fps on absolute deadlines; once the longest window
 * is full, each frame starts an evaluation that sends every worker its
 * input (the frame, or the last k frames as one [k,H,W,C] block) at once,
 * or one after another with --sequential, and waits for every reply. Up to
 * --in-flight evaluations overlap. Each part of an evaluation ends ok,
 * error (an error reply, or no worker connected) or timeout (no reply by
 * --timeout-ms: the endpoint is reset and everything queued on it fails).
 * A frame's age counts from its scheduled time, so a pipeline that falls
 * behind shows it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "client_path.h"
#include "client_report.h"
#include "clock.h"
#include "deadline.h"
#include "exitcode.h"
#include "log.h"

#define SPIN_NS		1500000ull	/* below this, poll without sleeping */
/* Frames are not made right after requests are sent: the workers are
 * waking up for them then, and the CPUs are few. */
#define FRAME_HOLDOFF_NS 2000000ull

struct run {
	struct client *c;
	int64_t	nframes, next_gen;
	long	started, finished, first_open;
	int	inflight, stop;
	uint64_t period_ns, progress_ns;
	uint64_t last_send_ns;		/* the last evaluation started */
};

static void	send_part(struct run *, long e, int t);
static void	reply_part(struct run *, long e, int t,
		    const struct client_reply *);

static void
finish_eval(struct run *r, long e, uint64_t now)
{
	struct client *c = r->c;
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
	r->inflight--;
	r->finished++;
	while (r->first_open < r->started &&
	    c->ev[r->first_open].status != ST_PENDING)
		r->first_open++;
}

static void
part_done(struct run *r, long e, int t, int status, uint64_t now)
{
	struct client *c = r->c;
	struct client_eval *ev = &c->ev[e];
	struct client_part *p = client_part(c, e, t);

	p->status = status;
	if (status == ST_OK) {
		p->reply_ns = now;
		ev->last = t;
	}
	ev->pending--;
	if (c->o->sequential && t + 1 < c->nt && ev->next == t) {
		ev->next = t + 1;
		send_part(r, e, t + 1);
		return;			/* that part finishes the evaluation */
	}
	if (ev->pending == 0)
		finish_eval(r, e, now);
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

static void
send_part(struct run *r, long e, int t)
{
	struct client *c = r->c;
	struct client_eval *ev = &c->ev[e];
	struct client_part *p = client_part(c, e, t);
	unsigned long long tried = 0;
	int j;

	while ((j = pick_ep(c, t, tried)) >= 0) {
		tried |= j < 64 ? 1ull << j : 0;
		p->ep = c->t[t].first_ep + j;
		p->sent_ns = clock_now_ns();
		if (client_path_send(c, p->ep, ev->frame) == 0) {
			c->ep[p->ep].sent++;
			return;
		}
		if (j >= 64)
			break;
	}
	part_done(r, e, t, ST_ERROR, clock_now_ns());
}

static void
start_eval(struct run *r)
{
	struct client *c = r->c;
	long e = r->started++;
	struct client_eval *ev = &c->ev[e];
	int t;

	ev->frame = e + c->window - 1;
	ev->pending = c->nt;
	ev->last = -1;
	ev->status = ST_PENDING;
	for (t = 0; t < c->nt; t++) {
		client_part(c, e, t)->ep = -1;
		client_part(c, e, t)->service_us = -1;
	}
	r->inflight++;
	ev->sent_ns = r->last_send_ns = clock_now_ns();
	if (c->o->sequential) {
		ev->next = 0;
		send_part(r, e, 0);
		return;
	}
	for (t = 0; t < c->nt; t++)
		send_part(r, e, c->order[t]);
}

/* A reply, with the request its path says it answers. */
static void
on_reply(void *arg, int i, const struct client_reply *rep)
{
	struct run *r = arg;
	struct client *c = r->c;
	struct client_part *p;
	long e = (long)(rep->frame - (c->window - 1));
	int t = c->ep[i].target;

	if (rep->frame < 0 || e < 0 || e >= r->started ||
	    (p = client_part(c, e, t))->status != ST_PENDING || p->ep != i) {
		c->late++;
		return;
	}
	if (rep->again)
		send_part(r, e, t);
	else
		reply_part(r, e, t, rep);
}

static void
reply_part(struct run *r, long e, int t, const struct client_reply *rep)
{
	struct client *c = r->c;
	struct client_part *p = client_part(c, e, t);

	p->service_us = rep->parsed ? rep->h.service_us : -1;
	/* The worker's clock is ours: trust its times when they fall
	 * between the request and now. */
	if (rep->w_recv_ns != 0 && rep->w_recv_ns >= p->sent_ns &&
	    rep->w_sent_ns >= rep->w_recv_ns &&
	    rep->w_sent_ns <= clock_now_ns()) {
		p->w_recv_ns = rep->w_recv_ns;
		p->w_sent_ns = rep->w_sent_ns;
	}
	if (!rep->parsed || rep->h.is_error) {
		log_info("%s: frame %lld: %s", c->ep[p->ep].url,
		    (long long)c->ev[e].frame,
		    rep->parsed ? rep->h.err : "reply without a JSON header");
		part_done(r, e, t, ST_ERROR, rep->rx_ns);
	} else
		part_done(r, e, t, ST_OK, rep->rx_ns);
}

/* A worker did not answer in time: reset its socket; every frame queued
 * on it is lost. */
static void
fail_endpoint(struct run *r, int i, uint64_t now)
{
	struct client *c = r->c;
	int64_t lost[CLIENT_FIFO];
	int n, k, t = c->ep[i].target;
	long e;

	n = client_path_reset(c, i, lost);
	for (k = 0; k < n; k++) {
		e = (long)(lost[k] - (c->window - 1));
		if (e >= 0 && e < r->started &&
		    client_part(c, e, t)->status == ST_PENDING &&
		    client_part(c, e, t)->ep == i)
			part_done(r, e, t, ST_TIMEOUT, now);
	}
}

static void
check_timeouts(struct run *r, uint64_t now)
{
	struct client *c = r->c;
	uint64_t tmo = (uint64_t)(c->timeout_ms * 1e6);
	struct client_part *p;
	long e;
	int t;

	for (e = r->first_open; e < r->started; e++) {
		if (c->ev[e].status != ST_PENDING || now < c->ev[e].sent_ns + tmo)
			continue;
		c->ev[e].next = c->nt;	/* --sequential: send nothing more */
		for (t = 0; t < c->nt; t++) {
			p = client_part(c, e, t);
			if (p->status == ST_PENDING && p->ep >= 0)
				fail_endpoint(r, p->ep, now);
		}
		for (t = 0; t < c->nt && c->ev[e].status == ST_PENDING; t++)
			if (client_part(c, e, t)->status == ST_PENDING)
				part_done(r, e, t, ST_TIMEOUT, now);
	}
}

static uint64_t
sched_of(const struct run *r, int64_t f)
{
	return r->c->t0_ns + (uint64_t)f * r->period_ns;
}

/* Make the frames that are due and that the ring has room for: frames an
 * evaluation not yet started still needs must not be overwritten. */
static void
make_frames(struct run *r, uint64_t now)
{
	struct client *c = r->c;
	int64_t f, room = r->started + c->window + c->o->in_flight;

	/* As fast as possible: on demand, the frames of as many evaluations
	 * as there is room in flight for. */
	if (r->period_ns == 0)
		room = r->started + c->window - 1 + (c->o->in_flight - r->inflight);
	while ((f = r->next_gen) < r->nframes && f < room) {
		if (r->period_ns > 0 && sched_of(r, f) > now)
			break;
		if (r->period_ns > 0 && r->inflight > 0 &&
		    now < r->last_send_ns + FRAME_HOLDOFF_NS &&
		    f > r->started + c->window - 1)
			break;		/* not needed yet: made a little later */
		if (!framesrc_can_fill(c->fs, f))
			break;		/* still held by a request in flight */
		framesrc_fill(c->fs, f);
		if (f >= c->window - 1)
			c->ev[f - (c->window - 1)].sched_ns =
			    r->period_ns > 0 ? sched_of(r, f) : now;
		r->next_gen++;
	}
}

static uint64_t
next_wake(const struct run *r, uint64_t now)
{
	const struct client *c = r->c;
	uint64_t wake = UINT64_MAX, tmo = (uint64_t)(c->timeout_ms * 1e6);
	long e;

	if (r->started < c->nev && r->inflight < c->o->in_flight &&
	    r->started + c->window - 1 < r->next_gen)
		return now;		/* an evaluation can start */
	if (r->next_gen < r->nframes && r->period_ns > 0 &&
	    r->next_gen < r->started + c->window + c->o->in_flight) {
		wake = framesrc_can_fill(c->fs, r->next_gen) ?
		    sched_of(r, r->next_gen) : now + 1000000;
		if (r->inflight > 0 && wake < r->last_send_ns + FRAME_HOLDOFF_NS)
			wake = r->last_send_ns + FRAME_HOLDOFF_NS;
	}
	else if (r->next_gen < r->nframes && r->period_ns == 0 &&
	    !framesrc_can_fill(c->fs, r->next_gen))
		wake = now + 1000000;
	for (e = r->first_open; e < r->started; e++)
		if (c->ev[e].status == ST_PENDING &&
		    c->ev[e].sent_ns + tmo < wake)
			wake = c->ev[e].sent_ns + tmo;
	return wake;
}

static void
wait_events(struct run *r)
{
	uint64_t now = clock_now_ns(), wake = next_wake(r, now);
	long ms = 0;

	if (wake > now + SPIN_NS)
		ms = wake == UINT64_MAX ? 1000 :
		    (long)((wake - now - SPIN_NS / 2) / 1000000);
	if (client_path_poll(r->c, ms, on_reply, r)) {
		log_notice("interrupted: reporting the frames done so far");
		r->stop = 1;
	}
}

static void
show_progress(struct run *r, uint64_t now)
{
	struct client *c = r->c;
	struct client_eval *ev;

	if (!c->o->progress || now < r->progress_ns)
		return;
	r->progress_ns = now + 250000000;
	ev = r->finished > 0 ? &c->ev[r->first_open > 0 ? r->first_open - 1 : 0] : NULL;
	fprintf(stderr, "\r\033[K%ld/%ld evaluations", r->finished, c->nev);
	if (ev != NULL && ev->status == ST_OK)
		fprintf(stderr, ", latency %.1f ms, age %.1f ms",
		    (double)(ev->done_ns - ev->sent_ns) / 1e6,
		    (double)(ev->done_ns - ev->sched_ns) / 1e6);
}

static void
warn_capacity(const struct client *c)
{
	const struct client_target *t;
	double load, fps = c->o->fps;
	int i, slow = 0;

	if (fps <= 0)
		return;
	for (i = 0; i < c->nt; i++) {
		t = &c->t[i];
		load = t->cost_ms * fps / 1000.0 / t->nep;
		if (load < 1.0)
			continue;
		log_warnx("%s: cost %g ms x %g fps = %.2f per replica: "
		    "it cannot keep up; %d replicas would", t->name,
		    t->cost_ms, fps, load,
		    (int)floor(t->cost_ms * fps / 1000.0) + 1);
		slow = 1;
	}
	if (c->ideal_ms * fps / 1000.0 < c->o->in_flight)
		return;
	if (slow)
		log_warnx("an evaluation takes at least %g ms, a frame comes "
		    "every %g ms: frames will age, and more in flight will not "
		    "help until every worker keeps up", c->ideal_ms,
		    1000.0 / fps);
	else
		log_warnx("an evaluation takes at least %g ms, a frame comes "
		    "every %g ms: with --in-flight %d frames will age; "
		    "--in-flight %d would keep up", c->ideal_ms, 1000.0 / fps,
		    c->o->in_flight, (int)floor(c->ideal_ms * fps / 1000.0) + 1);
}

static int
run_alloc(struct run *r, struct client *c)
{
	memset(r, 0, sizeof *r);
	r->c = c;
	r->nframes = c->o->frames;
	c->nev = (long)(r->nframes - (c->window - 1));
	c->ev = calloc((size_t)c->nev, sizeof *c->ev);
	c->part = calloc((size_t)c->nev * (size_t)c->nt, sizeof *c->part);
	if (client_path_frames(c, c->o->in_flight) == -1 || c->ev == NULL ||
	    c->part == NULL)
		fatalx("cannot allocate the frames of %ld x %ld x %ld and "
		    "window %d", c->height, c->width, c->channels, c->window);
	r->period_ns = c->o->fps > 0 ? (uint64_t)(1e9 / c->o->fps) : 0;
	return FS_EXIT_OK;
}

int
client_run(struct client *c)
{
	struct run r;
	uint64_t now;
	int rc;

	if ((rc = run_alloc(&r, c)) != FS_EXIT_OK)
		return rc;
	if (!c->o->quiet)
		warn_capacity(c);
	deadline_init();
	c->t0_ns = clock_now_ns();
	while (r.finished < c->nev && !r.stop) {
		now = clock_now_ns();
		check_timeouts(&r, now);
		make_frames(&r, now);
		while (r.started < c->nev && r.inflight < c->o->in_flight &&
		    r.started + c->window - 1 < r.next_gen)
			start_eval(&r);
		show_progress(&r, now);
		if (r.finished < c->nev)
			wait_events(&r);
	}
	c->end_ns = clock_now_ns();
	if (c->o->progress)
		fputs("\r\033[K", stderr);
	c->nev = r.finished == c->nev ? c->nev : r.started;
	return client_report(c);
}
