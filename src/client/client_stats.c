/* client_stats.c: a run's records summed up: latency, age and overhead
 * over the ideal per evaluation, the critical path, and per worker its
 * service and transport times. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "client_stats.h"
#include "log.h"

static void
stats_part(struct client_stats *s, const struct client_part *p, int t)
{
	struct client_wstats *w = &s->w[t];
	uint64_t rtt, svc;

	if (p->status == ST_TIMEOUT)
		w->timeout++;
	else if (p->status == ST_ERROR)
		w->error++;
	if (p->status != ST_OK) {
		w->reason[p->reason]++;
		return;
	}
	w->ok++;
	rtt = p->reply_ns - p->sent_ns;
	if (p->service_us < 0)
		return;
	svc = (uint64_t)(p->service_us * 1e3);
	hist_record(w->service, svc);
	if (p->cost_us >= 0)
		hist_record(w->cost, (uint64_t)(p->cost_us * 1e3));
	if (p->queue_us >= 0)
		hist_record(w->queue, (uint64_t)(p->queue_us * 1e3));
	if (p->batch > 0) {
		w->batched++;
		w->batch_sum += p->batch;
	}
	hist_record(w->transport, rtt > svc ? rtt - svc : 0);
}

/* The last reply's part of an ok evaluation's overhead. */
static void
stats_critical(struct client_stats *s, const struct client *c, long e,
    uint64_t ideal)
{
	const struct client_eval *ev = &c->ev[e];
	const struct client_part *p;

	if (ev->last < 0 || (p = client_part(c, e, ev->last))->service_us < 0)
		return;
	s->cp_send += (double)(p->sent_ns - ev->sent_ns);
	s->cp_service += p->service_us * 1e3 - (double)ideal;
	s->cp_transport += (double)(p->reply_ns - p->sent_ns) -
	    p->service_us * 1e3;
	s->cp_n++;
	if (p->w_recv_ns > 0 && p->reply_ns >= p->w_sent_ns) {
		s->cp_req += (double)(p->w_recv_ns - p->sent_ns);
		s->cp_rep += (double)(p->reply_ns - p->w_sent_ns);
		s->cp_legs++;
	}
}

/* An ok evaluation's ideal: the slowest of the costs its workers drew
 * (their sum, sequential) when every reply says its draw, else the
 * configured one. */
static uint64_t
stats_ideal(struct client_stats *s, const struct client *c, long e)
{
	const struct client_part *p;
	double v = 0;
	int t;

	for (t = 0; t < c->nt; t++) {
		if ((p = client_part(c, e, t))->cost_us < 0)
			return (uint64_t)(c->ideal_ms * 1e6);
		if (c->o->sequential)
			v += p->cost_us;
		else if (p->cost_us > v)
			v = p->cost_us;
	}
	s->drawn++;
	return (uint64_t)(v * 1e3 + 0.5);
}

static void
stats_eval(struct client_stats *s, const struct client *c, long e)
{
	const struct client_eval *ev = &c->ev[e];
	uint64_t lat, ideal;

	switch (ev->status) {
	case ST_OK: s->ok++; break;
	case ST_TIMEOUT: s->timeout++; break;
	case ST_ERROR: s->error++; break;
	default: s->unfinished++; return;
	}
	if (ev->status != ST_OK)
		return;
	ideal = stats_ideal(s, c, e);
	hist_record(s->ideal, ideal);
	lat = ev->done_ns - ev->sent_ns;
	hist_record(s->lat, lat);
	hist_record(s->age, ev->done_ns > ev->sched_ns ?
	    ev->done_ns - ev->sched_ns : 0);
	hist_record(s->over, lat > ideal ? lat - ideal : 0);
	s->over_sum += (double)lat - (double)ideal;
	if (ev->last >= 0)
		s->w[ev->last].last++;
	stats_critical(s, c, e, ideal);
}

void
client_stats_free(struct client_stats *s)
{
	int t;

	hist_free(&s->lat);
	hist_free(&s->seed);
	hist_free(&s->age);
	hist_free(&s->over);
	hist_free(&s->ideal);
	for (t = 0; s->w != NULL && t < s->nt; t++) {
		hist_free(&s->w[t].service);
		hist_free(&s->w[t].transport);
		hist_free(&s->w[t].cost);
		hist_free(&s->w[t].queue);
	}
	free(s->w);
	s->w = NULL;
}

static void
stats_init(struct client_stats *s, const struct client *c)
{
	int t;

	memset(s, 0, sizeof *s);
	s->lat = hist_new();
	s->age = hist_new();
	s->over = hist_new();
	s->ideal = hist_new();
	s->seed = hist_new();
	if ((s->w = calloc((size_t)c->nt, sizeof *s->w)) == NULL)
		fatal("calloc");
	s->nt = c->nt;
	for (t = 0; t < c->nt; t++) {
		s->w[t].service = hist_new();
		s->w[t].transport = hist_new();
		s->w[t].cost = hist_new();
		s->w[t].queue = hist_new();
		if (s->w[t].service == NULL || s->w[t].transport == NULL ||
		    s->w[t].cost == NULL || s->w[t].queue == NULL)
			fatal("hist_new");
	}
	if (s->lat == NULL || s->age == NULL || s->over == NULL ||
	    s->ideal == NULL || s->seed == NULL)
		fatal("hist_new");
}

static void
stats_add(struct client_stats *s, const struct client *c, long e)
{
	int t;

	stats_eval(s, c, e);
	for (t = 0; t < c->nt && c->ev[e].status != ST_PENDING; t++)
		stats_part(s, client_part(c, e, t), t);
}

void
client_stats_make(struct client_stats *s, const struct client *c)
{
	long e, warm = c->o->warmup < c->nev ? c->o->warmup : c->nev;

	stats_init(s, c);
	for (e = 0; e < c->nev; e++) {
		if (c->ev[e].status == ST_OK)
			hist_record(s->seed, c->ev[e].done_ns - c->ev[e].sent_ns);
		if (e < warm) {
			s->warm++;
			s->warm_failed += c->ev[e].status != ST_OK;
			continue;
		}
		stats_add(s, c, e);
	}
}

void
client_stats_window(struct client_stats *s, const struct client *c,
    long n, uint64_t from, uint64_t to)
{
	long e;

	stats_init(s, c);
	for (e = 0; e < n; e++)
		if (c->ev[e].status != ST_PENDING && c->ev[e].done_ns >= from &&
		    c->ev[e].done_ns < to)
			stats_add(s, c, e);
}
