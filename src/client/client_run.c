/* client_run.c: the fake video pipeline (the seed's fake_zmq_client.py).
 *
 * Frames are made at --fps on absolute deadlines; once the longest window
 * is full, each frame starts an evaluation that sends every worker its
 * input (the frame, or the last k frames as one [k,H,W,C] block) at once,
 * or one after another with --sequential, and waits for every reply
 * (client_eval.c). Up to --in-flight evaluations overlap. A frame's age counts from its scheduled time, so a pipeline that falls
 * behind shows it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "client_eval.h"
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
	struct client_evals v;
	int64_t	nframes, next_gen;
	int	stop;
	uint64_t period_ns, progress_ns;
	uint64_t last_send_ns;		/* the last evaluation started */
};

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
	int64_t f, room = r->v.started + c->window + c->o->in_flight;

	/* As fast as possible: on demand, the frames of as many evaluations
	 * as there is room in flight for. */
	if (r->period_ns == 0)
		room = r->v.started + c->window - 1 + (c->o->in_flight - r->v.inflight);
	while ((f = r->next_gen) < r->nframes && f < room) {
		if (r->period_ns > 0 && sched_of(r, f) > now)
			break;
		if (r->period_ns > 0 && r->v.inflight > 0 &&
		    now < r->last_send_ns + FRAME_HOLDOFF_NS &&
		    f > r->v.started + c->window - 1)
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
	uint64_t wake = UINT64_MAX, w;

	if (r->v.started < c->nev && r->v.inflight < c->o->in_flight &&
	    r->v.started + c->window - 1 < r->next_gen)
		return now;		/* an evaluation can start */
	if (r->next_gen < r->nframes && r->period_ns > 0 &&
	    r->next_gen < r->v.started + c->window + c->o->in_flight) {
		wake = framesrc_can_fill(c->fs, r->next_gen) ?
		    sched_of(r, r->next_gen) : now + 1000000;
		if (r->v.inflight > 0 && wake < r->last_send_ns + FRAME_HOLDOFF_NS)
			wake = r->last_send_ns + FRAME_HOLDOFF_NS;
	}
	else if (r->next_gen < r->nframes && r->period_ns == 0 &&
	    !framesrc_can_fill(c->fs, r->next_gen))
		wake = now + 1000000;
	if ((w = client_eval_wake(&r->v, now)) < wake)
		wake = w;
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
	if (client_path_poll(r->c, ms, client_eval_reply, &r->v)) {
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
	ev = r->v.finished > 0 ? &c->ev[r->v.first_open > 0 ? r->v.first_open - 1 : 0] : NULL;
	fprintf(stderr, "\r\033[K%ld/%ld evaluations", r->v.finished, c->nev);
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
start_due(struct run *r)
{
	struct client *c = r->c;

	while (r->v.started < c->nev && r->v.inflight < c->o->in_flight &&
	    r->v.started + c->window - 1 < r->next_gen) {
		client_eval_start(&r->v);
		r->last_send_ns = c->ev[r->v.started - 1].sent_ns;
	}
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
	client_eval_init(&r->v, c);
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
	while (r.v.finished < c->nev && !r.stop) {
		now = clock_now_ns();
		client_eval_check(&r.v, now);
		make_frames(&r, now);
		start_due(&r);
		show_progress(&r, now);
		if (r.v.finished < c->nev)
			wait_events(&r);
	}
	c->end_ns = clock_now_ns();
	if (c->o->progress)
		fputs("\r\033[K", stderr);
	c->nev = r.v.finished == c->nev ? c->nev : r.v.started;
	client_eval_free(&r.v);
	return client_report(c);
}
