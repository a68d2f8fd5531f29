/* client_run.c: the fake video pipeline (the seed's fake_zmq_client.py).
 *
 * Frames are made at --fps on absolute deadlines; once the longest window
 * is full, each frame starts an evaluation that sends every worker its
 * input (the frame, or the last k frames as one [k,H,W,C] block) at once,
 * or one after another with --sequential, and waits for every reply
 * (client_eval.c). Up to --in-flight evaluations overlap. A frame's age
 * counts from its scheduled time, so a pipeline that falls behind shows
 * it. A run lasts --frames or --duration; a sweep (client_sweep.c) drives
 * the same loop through a hook called every window, which changes the
 * load or ends the run.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_arrivals.h"
#include "client_eval.h"
#include "client_path.h"
#include "client_report.h"
#include "client_run.h"
#include "clock.h"
#include "deadline.h"
#include "exitcode.h"
#include "log.h"

#define SPIN_NS		1500000ull	/* below this, poll without sleeping */
/* Frames are not made right after requests are sent: the workers are
 * waking up for them then, and the CPUs are few. */
#define FRAME_HOLDOFF_NS 2000000ull

struct client_run {
	struct client *c;
	struct client_evals v;
	struct client_arrivals arr;
	int64_t	nframes;		/* INT64_MAX until the end is known */
	int64_t	next_gen;		/* the next frame to make */
	long	cap;			/* records allocated (c->nev) */
	int	stop;
	uint64_t due_ns;		/* when frame next_gen is due */
	uint64_t end_ns;		/* --duration: no frame due from then */
	uint64_t progress_ns;
	uint64_t last_send_ns;		/* the last evaluation started */
	const struct client_run_hook *hook;
	uint64_t tick_ns;		/* the hook's next call */
};

/* Evaluations the run makes, once its end is known. */
static long
total(const struct client_run *r)
{
	return (long)(r->nframes - (r->c->window - 1));
}

/* Room for the records of evaluation e. */
static void
grow(struct client_run *r, long e)
{
	struct client *c = r->c;
	long n = r->cap;
	size_t nt = (size_t)c->nt;

	if (e < n)
		return;
	r->cap = 2 * n > e ? 2 * n : e + 1;
	if ((c->ev = realloc(c->ev, (size_t)r->cap * sizeof *c->ev)) == NULL ||
	    (c->part = realloc(c->part, (size_t)r->cap * nt *
	    sizeof *c->part)) == NULL)
		fatal("cannot keep the records of %ld evaluations", r->cap);
	memset(c->ev + n, 0, (size_t)(r->cap - n) * sizeof *c->ev);
	memset(c->part + (size_t)n * nt, 0, (size_t)(r->cap - n) * nt *
	    sizeof *c->part);
	c->nev = r->cap;
}

/* Frame f is made now, due at due: its evaluation's record. */
static void
made(struct client_run *r, int64_t f, uint64_t due)
{
	struct client *c = r->c;
	long e = (long)(f - (c->window - 1));

	if (e < 0)
		return;
	grow(r, e);
	c->ev[e].sched_ns = due;
	if (e == c->o->warmup && c->o->duration > 0)
		r->end_ns = due + (uint64_t)(c->o->duration * 1e9);
}

/* Make the frames that are due and that the ring has room for: frames an
 * evaluation not yet started still needs must not be overwritten. */
static void
make_frames(struct client_run *r, uint64_t now)
{
	struct client *c = r->c;
	int64_t f, room = r->v.started + c->window + c->o->in_flight;
	int paced = r->arr.rate > 0;
	uint64_t due;

	/* As fast as possible: on demand, the frames of as many evaluations
	 * as there is room in flight for. */
	if (!paced)
		room = r->v.started + c->window - 1 + (c->o->in_flight - r->v.inflight);
	while ((f = r->next_gen) < r->nframes && f < room) {
		if (paced && r->due_ns > now)
			break;
		if (paced && r->v.inflight > 0 &&
		    now < r->last_send_ns + FRAME_HOLDOFF_NS &&
		    f > r->v.started + c->window - 1)
			break;		/* not needed yet: made a little later */
		if (!framesrc_can_fill(c->fs, f))
			break;		/* still held by a request in flight */
		due = paced ? r->due_ns : now;
		if (r->end_ns != 0 && due >= r->end_ns) {
			r->nframes = f;	/* --duration is over */
			break;
		}
		framesrc_fill(c->fs, f);
		made(r, f, due);
		r->next_gen++;
		r->due_ns += client_arrivals_gap(&r->arr);
	}
}

static uint64_t
next_wake(const struct client_run *r, uint64_t now)
{
	const struct client *c = r->c;
	uint64_t wake = UINT64_MAX, w;

	if (r->v.started < total(r) && r->v.inflight < c->o->in_flight &&
	    r->v.started + c->window - 1 < r->next_gen)
		return now;		/* an evaluation can start */
	if (r->next_gen < r->nframes && r->arr.rate > 0 &&
	    r->next_gen < r->v.started + c->window + c->o->in_flight) {
		wake = framesrc_can_fill(c->fs, r->next_gen) ? r->due_ns :
		    now + 1000000;
		if (r->v.inflight > 0 && wake < r->last_send_ns + FRAME_HOLDOFF_NS)
			wake = r->last_send_ns + FRAME_HOLDOFF_NS;
	}
	else if (r->next_gen < r->nframes && r->arr.rate == 0 &&
	    !framesrc_can_fill(c->fs, r->next_gen))
		wake = now + 1000000;
	if ((w = client_eval_wake(&r->v, now)) < wake)
		wake = w;
	if (r->hook != NULL && r->tick_ns < wake)
		wake = r->tick_ns;
	return wake;
}

static void
wait_events(struct client_run *r)
{
	uint64_t now = clock_now_ns(), wake = next_wake(r, now);
	long ms = 0;

	if (wake > now + SPIN_NS)
		ms = wake == UINT64_MAX ? 1000 :
		    (long)((wake - now - SPIN_NS / 2) / 1000000);
	if (client_path_poll(r->c, ms, client_eval_reply, &r->v)) {
		log_notice("interrupted: reporting the frames done so far");
		r->stop = 1;
	}
}

static void
show_progress(struct client_run *r, uint64_t now)
{
	struct client *c = r->c;
	struct client_eval *ev;

	if (!c->o->progress || now < r->progress_ns)
		return;
	r->progress_ns = now + 250000000;
	ev = r->v.finished > 0 ? &c->ev[r->v.first_open > 0 ? r->v.first_open - 1 : 0] : NULL;
	fprintf(stderr, "\r\033[K%ld", r->v.finished);
	if (r->nframes < INT64_MAX)
		fprintf(stderr, "/%ld", total(r));
	fputs(" evaluations", stderr);
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

/* Start the evaluations whose frames are made, as many as may be in
 * flight. */
static void
start_due(struct client_run *r)
{
	struct client *c = r->c;

	while (r->v.started < total(r) && r->v.inflight < c->o->in_flight &&
	    r->v.started + c->window - 1 < r->next_gen) {
		client_eval_start(&r->v);
		r->last_send_ns = c->ev[r->v.started - 1].sent_ns;
	}
}

static void
run_alloc(struct client_run *r, struct client *c, int depth,
    const struct client_run_hook *h)
{
	const struct client_opts *o = c->o;

	memset(r, 0, sizeof *r);
	r->c = c;
	r->hook = h;
	client_arrivals_init(&r->arr, o->arrivals, o->fps, o->seed);
	if (o->duration > 0 || h != NULL) {
		r->nframes = INT64_MAX;
		grow(r, o->warmup + (long)(o->fps > 0 && o->duration > 0 ?
		    o->duration * o->fps * 1.25 : 1000) + 16);
	} else {
		r->nframes = o->frames;
		grow(r, (long)(r->nframes - c->window));
	}
	if (client_path_frames(c, depth) == -1)
		fatalx("cannot allocate the frames of %ld x %ld x %ld and "
		    "window %d", c->height, c->width, c->channels, c->window);
	client_eval_init(&r->v, c);
}

/* The hook's call, when due: it may change the load or end the run (no
 * frame made after; those in flight finish). */
static void
tick(struct client_run *r, uint64_t now)
{
	const struct client_run_hook *h = r->hook;

	if (h == NULL || now < r->tick_ns)
		return;
	r->tick_ns += h->every_ns;
	if (h->tick(h->arg, r, r->tick_ns - 2 * h->every_ns,
	    r->tick_ns - h->every_ns)) {
		r->nframes = r->next_gen > r->v.started + r->c->window - 1 ?
		    r->next_gen : r->v.started + r->c->window - 1;
		r->hook = NULL;
	}
}

void
client_run_load(struct client_run *r, double fps, int in_flight)
{
	r->c->o->fps = fps;
	r->c->o->in_flight = in_flight;
	client_arrivals_rate(&r->arr, fps);
	if (r->due_ns < clock_now_ns())
		r->due_ns = clock_now_ns();	/* no backlog from a pause */
}

int
client_run_loop(struct client *c, int depth, const struct client_run_hook *h)
{
	struct client_run r;
	uint64_t now;

	run_alloc(&r, c, depth, h);
	deadline_init();
	c->cpu_ns = clock_cpu_ns();
	c->t0_ns = r.due_ns = clock_now_ns();
	r.tick_ns = h != NULL ? c->t0_ns + h->every_ns : 0;
	while (r.v.finished < total(&r) && !r.stop) {
		now = clock_now_ns();
		client_eval_check(&r.v, now);
		tick(&r, now);
		make_frames(&r, now);
		start_due(&r);
		show_progress(&r, now);
		if (r.v.finished < total(&r))
			wait_events(&r);
	}
	c->end_ns = clock_now_ns();
	c->cpu_ns = clock_cpu_ns() - c->cpu_ns;
	if (c->o->progress)
		fputs("\r\033[K", stderr);
	c->nev = r.v.finished == total(&r) ? total(&r) : r.v.started;
	client_eval_free(&r.v);
	return r.stop;
}

int
client_run(struct client *c)
{
	if (!c->o->quiet)
		warn_capacity(c);
	client_run_loop(c, c->o->in_flight, NULL);
	return client_report(c);
}
