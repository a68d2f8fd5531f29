/* client_trace.c: --trace: the run as Chrome trace-event JSON, which
 * Perfetto and chrome://tracing open.
 *
 * Process 1 holds the evaluations, each a span from its frame's due time
 * to its last answer, split into "queued" (due, not yet sent) and
 * "latency". Each worker is a process of its own and each replica a
 * track in it; a request is a span from its evaluation's start to its
 * reply (or its failure), split into "send" (the client sending the
 * evaluation's other parts first, or waiting for a connection),
 * "transfer", "service" and "transfer" back. The service is placed by
 * the worker's clock where it is ours (shared memory), else in the
 * middle of the round trip (args.clock says which). Failures are instant
 * events on the replica's track (a part never sent: on its worker's
 * first replica), named by their reason.
 *
 * Spans of one track never overlap: evaluations in flight together, and
 * requests queued on one replica, go to extra tracks ("(2)", ...),
 * each taking the first track free at its start. Times are microseconds
 * since the run's start, exact to the nanosecond.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "client_file.h"
#include "client_trace.h"
#include "log.h"

#define TRACKS	(CLIENT_INFLIGHT_MAX + 1)	/* per replica, at most */

struct trace {
	const struct client *c;
	FILE	*f;
	int	n;			/* events written */
	uint64_t evend[TRACKS];		/* each evaluation track's last end */
	int	nevtracks;
	uint64_t *end;			/* [nep][TRACKS]: each request track's */
	int	*ntracks;		/* [nep] */
};

static void
emit(struct trace *tr, json_t *ev)
{
	if (ev == NULL)
		fatalx("cannot build a trace event");
	fputs(tr->n++ ? ",\n" : "\n", tr->f);
	json_dumpf(ev, tr->f, JSON_COMPACT | JSON_REAL_PRECISION(17));
	json_decref(ev);
}

static double
us(const struct trace *tr, uint64_t ns)
{
	return (double)(int64_t)(ns - tr->c->t0_ns) / 1e3;
}

/* A complete event [from, to] on a track; args taken, or NULL. */
static void
span(struct trace *tr, const char *name, int pid, int tid, uint64_t from,
    uint64_t to, json_t *args)
{
	json_t *ev = json_pack("{s:s,s:s,s:i,s:i,s:f,s:f}", "name", name,
	    "ph", "X", "pid", pid, "tid", tid, "ts", us(tr, from),
	    "dur", (double)(to - from) / 1e3);

	if (ev != NULL && args != NULL)
		json_object_set_new(ev, "args", args);
	emit(tr, ev);
}

static void
instant(struct trace *tr, const char *name, int pid, int tid, uint64_t at,
    int64_t frame)
{
	emit(tr, json_pack("{s:s,s:s,s:s,s:i,s:i,s:f,s:{s:I}}", "name", name,
	    "ph", "i", "s", "t", "pid", pid, "tid", tid, "ts", us(tr, at),
	    "args", "frame", (json_int_t)frame));
}

static void
meta(struct trace *tr, const char *what, int pid, int tid, const char *name)
{
	emit(tr, json_pack("{s:s,s:s,s:i,s:i,s:{s:s}}", "name", what, "ph", "M",
	    "pid", pid, "tid", tid, "args", "name", name));
}

/* The first of n tracks free at from (ends[k] <= from), taken until to. */
static int
track(uint64_t *ends, int *n, uint64_t from, uint64_t to)
{
	int k;

	for (k = 0; k < *n && ends[k] > from; k++)
		;
	if (k == *n && *n < TRACKS)
		(*n)++;
	if (k == TRACKS)
		k = TRACKS - 1;		/* cannot happen: fewer in flight */
	ends[k] = to;
	return k;
}

static int
worker_pid(int t)
{
	return 2 + t;
}

static int
replica_tid(const struct client *c, int i, int k)
{
	return 1 + (i - c->t[c->ep[i].target].first_ep) * TRACKS + k;
}

/* Where the service of an answered part lies, within [from, to]. */
static json_t *
service_at(const struct client_part *p, uint64_t *s0, uint64_t *s1)
{
	uint64_t from = p->sent_ns, to = p->reply_ns, svc, rest;

	svc = (uint64_t)(p->service_us * 1e3);
	if (svc > to - from)
		svc = to - from;
	if (p->w_sent_ns != 0 && p->w_sent_ns <= to &&
	    p->w_sent_ns >= from + svc) {
		*s1 = p->w_sent_ns;
		*s0 = *s1 - svc;
		return json_string("worker");
	}
	rest = to - from - svc;
	*s0 = from + rest / 2;
	*s1 = *s0 + svc;
	return json_string("estimated: the two legs split evenly");
}

/* One sent part: its span, split, on its replica's first free track. */
static void
request(struct trace *tr, long e, int t, const struct client_part *p)
{
	const struct client *c = tr->c;
	const struct client_eval *ev = &c->ev[e];
	uint64_t from = ev->sent_ns, to = p->reply_ns, s0 = 0, s1 = 0;
	int i = p->ep, pid = worker_pid(t), tid, k;
	json_t *clock = NULL;

	k = track(tr->end + (size_t)i * TRACKS, &tr->ntracks[i], from, to);
	tid = replica_tid(c, i, k);
	if (p->status == ST_OK && p->service_us >= 0)
		clock = service_at(p, &s0, &s1);
	span(tr, "request", pid, tid, from, to, json_pack("{s:I,s:s,s:f,s:o*}",
	    "frame", (json_int_t)ev->frame, "status", p->status == ST_OK ?
	    "ok" : client_reason_key(p->reason), "service_us", p->service_us,
	    "clock", clock));
	if (p->sent_ns > from)
		span(tr, "send", pid, tid, from, p->sent_ns, NULL);
	if (clock == NULL) {
		span(tr, "transfer", pid, tid, p->sent_ns, to, NULL);
		return;
	}
	span(tr, "transfer", pid, tid, p->sent_ns, s0, NULL);
	span(tr, "service", pid, tid, s0, s1, NULL);
	span(tr, "transfer", pid, tid, s1, to, NULL);
}

static void
part(struct trace *tr, long e, int t)
{
	const struct client *c = tr->c;
	const struct client_part *p = client_part(c, e, t);
	int i = p->ep >= 0 ? p->ep : c->t[t].first_ep;

	if (p->status == ST_PENDING || p->reply_ns == 0)
		return;			/* unfinished */
	if (p->ep >= 0 && p->reason != RS_UNAVAILABLE &&
	    p->reason != RS_NOT_SENT && p->sent_ns >= c->ev[e].sent_ns &&
	    p->reply_ns >= p->sent_ns)
		request(tr, e, t, p);
	if (p->status != ST_OK) {
		if (tr->ntracks[i] == 0)
			tr->ntracks[i] = 1;
		instant(tr, client_reason_name(p->reason), worker_pid(t),
		    replica_tid(c, i, 0), p->reply_ns, c->ev[e].frame);
	}
}

static void
evaluation(struct trace *tr, long e)
{
	const struct client *c = tr->c;
	const struct client_eval *ev = &c->ev[e];
	static const char *const st[] = { "unfinished", "ok", "timeout",
	    "error" };
	uint64_t from = ev->sched_ns < ev->sent_ns ? ev->sched_ns : ev->sent_ns;
	int tid;

	if (ev->status == ST_PENDING || ev->done_ns < ev->sent_ns)
		return;
	tid = 1 + track(tr->evend, &tr->nevtracks, from, ev->done_ns);
	span(tr, "frame", 1, tid, from, ev->done_ns, json_pack(
	    "{s:I,s:s,s:f,s:f,s:b}", "frame", (json_int_t)ev->frame,
	    "status", st[ev->status], "latency_us",
	    (double)(ev->done_ns - ev->sent_ns) / 1e3, "age_us",
	    (double)(ev->done_ns - from) / 1e3, "warmup", e < c->o->warmup));
	if (ev->sent_ns > from)
		span(tr, "queued", 1, tid, from, ev->sent_ns, NULL);
	span(tr, "latency", 1, tid, ev->sent_ns, ev->done_ns, NULL);
}

/* A track's name: the first is the name, the next ones "name (2)"... */
static void
track_name(char *buf, size_t len, const char *name, int k)
{
	if (k == 0)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s (%d)", name, k + 1);
}

/* The names of the processes and of the tracks used. */
static void
names(struct trace *tr)
{
	const struct client *c = tr->c;
	char name[CLIENT_URL_MAX + 16];
	int t, i, k;

	meta(tr, "process_name", 1, 0, "evaluations");
	for (k = 0; k < tr->nevtracks; k++) {
		track_name(name, sizeof name, "frames", k);
		meta(tr, "thread_name", 1, 1 + k, name);
	}
	for (t = 0; t < c->nt; t++)
		meta(tr, "process_name", worker_pid(t), 0, c->t[t].name);
	for (i = 0; i < c->nep; i++)
		for (k = 0; k < tr->ntracks[i]; k++) {
			track_name(name, sizeof name, c->ep[i].url, k);
			meta(tr, "thread_name", worker_pid(c->ep[i].target),
			    replica_tid(c, i, k), name);
		}
}

int
client_trace_write(const struct client *c, const struct client_stats *s,
    const char *path)
{
	struct trace tr = { .c = c };
	long e;
	int t;

	(void)s;			/* the records, not their sums */
	if ((tr.f = client_file_open(path)) == NULL)
		return -1;
	if ((tr.end = calloc((size_t)c->nep * TRACKS, sizeof *tr.end)) == NULL ||
	    (tr.ntracks = calloc((size_t)c->nep, sizeof *tr.ntracks)) == NULL)
		fatal("calloc");
	fputs("{\"displayTimeUnit\": \"ms\", \"traceEvents\": [", tr.f);
	for (e = 0; e < c->nev; e++) {
		evaluation(&tr, e);
		for (t = 0; t < c->nt; t++)
			part(&tr, e, t);
	}
	names(&tr);
	fputs("\n]}\n", tr.f);
	free(tr.end);
	free(tr.ntracks);
	return client_file_close(tr.f, path);
}
