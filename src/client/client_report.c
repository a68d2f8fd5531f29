/* client_report.c: what a run measured: the seed's own lines, then where
 * the time went (latency, age, overhead over the ideal, per worker service
 * and transport), and the files asked for, each written by its module. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_arrivals.h"
#include "client_csv.h"
#include "client_file.h"
#include "client_hgrm.h"
#include "client_json.h"
#include "client_path.h"
#include "client_pyrepr.h"
#include "client_report.h"
#include "client_stats.h"
#include "client_svg.h"
#include "client_trace.h"
#include "exitcode.h"

/* The seed's lines: mean and std in seconds, and the list when short. */
static void
print_seed(const struct client *c, const struct client_stats *s)
{
	char a[32], b[32];
	long e, n = 0;

	client_pyrepr_float(a, sizeof a, hist_mean(s->seed) / 1e9);
	client_pyrepr_float(b, sizeof b, hist_stddev(s->seed) / 1e9);
	fprintf(c->out, "mean: %s, std: %s len: %ld\n", a, b,
	    (long)hist_count(s->seed));
	if (hist_count(s->seed) >= 100)
		return;
	fputc('[', c->out);
	for (e = 0; e < c->nev; e++) {
		if (c->ev[e].status != ST_OK)
			continue;
		client_pyrepr_float(a, sizeof a,
		    (double)(c->ev[e].done_ns - c->ev[e].sent_ns) / 1e9);
		fprintf(c->out, "%s%s", n++ ? ", " : "", a);
	}
	fputs("]\n", c->out);
}

static void
print_pct(FILE *out, const char *what, const struct hist *h, const char *note)
{
	fprintf(out, "%-9s p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms  (%s)\n",
	    what, client_stats_ms(hist_percentile(h, 50)),
	    client_stats_ms(hist_percentile(h, 90)),
	    client_stats_ms(hist_percentile(h, 99)),
	    client_stats_ms(hist_percentile(h, 99.9)),
	    client_stats_ms(hist_max(h)), note);
}

/* A worker's cost, "?" when it is not in a configuration. */
static const char *
cost_text(const struct client *c, int t)
{
	static char buf[32];

	if (c->t[t].kind < 0)
		return "?";
	snprintf(buf, sizeof buf, "%.3f", c->t[t].cost_ms);
	return buf;
}

static void
print_workers(const struct client *c, const struct client_stats *s)
{
	const struct client_wstats *w;
	int t, wd = 6;

	for (t = 0; t < c->nt; t++)
		if ((int)strlen(c->t[t].name) > wd)
			wd = (int)strlen(c->t[t].name);
	fprintf(c->out, "%-*s %8s %9s %9s %9s %9s %6s %5s %7s %5s\n", wd,
	    "worker", "cost ms", "svc p50", "svc p99", "xfer p50", "xfer p99",
	    "last", "ok", "timeout", "error");
	for (t = 0; t < c->nt; t++) {
		w = &s->w[t];
		fprintf(c->out, "%-*s %8s %9.3f %9.3f %9.3f %9.3f %5.0f%% %5ld "
		    "%7ld %5ld\n", wd, c->t[t].name, cost_text(c, t),
		    client_stats_ms(hist_percentile(w->service, 50)),
		    client_stats_ms(hist_percentile(w->service, 99)),
		    client_stats_ms(hist_percentile(w->transport, 50)),
		    client_stats_ms(hist_percentile(w->transport, 99)),
		    s->ok ? 100.0 * (double)w->last / (double)s->ok : 0.0,
		    w->ok, w->timeout, w->error);
	}
}

/* Does a worker's model show: costs that vary, a wait in the worker, a
 * batch? */
static int
modelled(const struct client_wstats *w)
{
	return hist_count(w->cost) > 0 && (hist_max(w->cost) -
	    hist_min(w->cost) > 1000 || hist_max(w->queue) > 0 ||
	    w->batched > 0);
}

/* The workers whose costs were drawn, waited or batched: what they drew
 * (so the service times above are not the pipeline's own doing). */
static void
print_model(const struct client *c, const struct client_stats *s)
{
	const struct client_wstats *w;
	int t, n = 0;

	for (t = 0; t < c->nt; t++) {
		if (!modelled(w = &s->w[t]))
			continue;
		if (n++ == 0)
			fprintf(c->out, "%-16s %9s %9s %9s %9s %9s %6s\n",
			    "drawn by", "cost p50", "cost p99", "cost max",
			    "queue p50", "queue p99", "batch");
		fprintf(c->out, "%-16s %9.3f %9.3f %9.3f %9.3f %9.3f %6.2f\n",
		    c->t[t].name, client_stats_ms(hist_percentile(w->cost, 50)),
		    client_stats_ms(hist_percentile(w->cost, 99)),
		    client_stats_ms(hist_max(w->cost)),
		    client_stats_ms(hist_percentile(w->queue, 50)),
		    client_stats_ms(hist_percentile(w->queue, 99)),
		    w->batched ? (double)w->batch_sum / (double)w->batched : 1.0);
	}
}

/* Each worker's failed parts by reason. */
static void
print_failed(const struct client *c, const struct client_stats *s)
{
	int t, r, n, any = 0;

	for (t = 0; t < c->nt; t++) {
		for (r = RS_NONE + 1, n = 0; r < RS_COUNT; r++) {
			if (s->w[t].reason[r] == 0)
				continue;
			if (n++ == 0)
				fprintf(c->out, "%s%s:", any++ ? "; " :
				    "failed parts: ", c->t[t].name);
			else
				fputc(',', c->out);
			fprintf(c->out, " %ld %s", s->w[t].reason[r],
			    client_reason_name(r));
		}
	}
	if (any)
		fputc('\n', c->out);
}

/* The targets whose frames went through shared memory. */
static void
print_shm(const struct client *c)
{
	struct client_path_stats ps;
	int t, n = 0;

	for (t = 0; t < c->nt; t++) {
		client_path_stats(c, t, &ps);
		if (ps.shm)
			fprintf(c->out, "%s%s (%ld through its lane)", n++ ?
			    ", " : "shared memory: ", c->t[t].name, ps.by_lane);
	}
	if (n > 0)
		fputc('\n', c->out);
}

/* Is every cost known? A worker not in the configuration has none. */
static int
ideal_known(const struct client *c)
{
	int t;

	for (t = 0; t < c->nt; t++)
		if (c->t[t].kind < 0)
			return 0;
	return 1;
}

/* The ideal: the slowest cost, or the sum of them; per evaluation, from
 * the costs its workers drew, when those vary. */
static void
print_ideal(const struct client *c, const struct client_stats *s)
{
	int t, slow = -1, n = 0;

	for (t = 0; t < c->nt; t++)
		if (c->t[t].kind < 0)
			fprintf(c->out, "%s%s", n++ ? ", " : "ideal:     unknown: "
			    "no cost for ", c->t[t].name);
	if (n > 0) {
		fprintf(c->out, " (not in a configuration)\n");
		return;
	}
	for (t = 0; t < c->nt; t++)
		if (slow < 0 || c->t[t].cost_ms > c->t[slow].cost_ms)
			slow = t;
	if (s->drawn > 0 && s->drawn == s->ok && (hist_max(s->ideal) -
	    hist_min(s->ideal) > 1000 || llabs((long long)hist_max(s->ideal) -
	    (long long)(c->ideal_ms * 1e6)) > 1000)) {
		print_pct(c->out, "ideal:", s->ideal, c->o->sequential ?
		    "the sum of the costs each evaluation drew" :
		    "the slowest cost each evaluation drew");
		return;
	}
	if (c->o->sequential)
		fprintf(c->out, "ideal:     %.3f ms (the sum of the costs)\n", c->ideal_ms);
	else
		fprintf(c->out, "ideal:     %.3f ms (the slowest cost: %s)\n", c->ideal_ms,
		    slow >= 0 ? c->t[slow].name : "-");
}

/* Where the time of the evaluations that succeeded went. */
static void
print_times(const struct client *c, const struct client_stats *s)
{
	print_pct(c->out, "latency:", s->lat, "send to last reply");
	print_pct(c->out, "age:", s->age, "scheduled capture to last reply");
	if (ideal_known(c)) {	/* else what is over it is unknown too */
		fprintf(c->out, "overhead:  mean %.3f  p50 %.3f  p99 %.3f ms  "
		    "(latency - ideal)\n", s->over_sum / (double)s->ok / 1e6,
		    client_stats_ms(hist_percentile(s->over, 50)),
		    client_stats_ms(hist_percentile(s->over, 99)));
	}
	if (s->cp_n > 0 && ideal_known(c))
		fprintf(c->out, "critical path (the last reply), means: client "
		    "send %.3f + service beyond the ideal %.3f + transport and "
		    "queues %.3f ms\n", s->cp_send / (double)s->cp_n / 1e6,
		    s->cp_service / (double)s->cp_n / 1e6,
		    s->cp_transport / (double)s->cp_n / 1e6);
	if (s->cp_legs > 0 && s->cp_legs == s->cp_n)
		fprintf(c->out, "transport, by the workers' clock: request %.3f "
		    "+ reply %.3f ms (shared memory: one host, one clock)\n",
		    s->cp_req / (double)s->cp_legs / 1e6,
		    s->cp_rep / (double)s->cp_legs / 1e6);
}

/* The workers' table even when nothing succeeded: it shows the culprit. */
static void
print_summary(const struct client *c, const struct client_stats *s)
{
	fprintf(c->out, "evaluations: %ld ok, %ld timeout, %ld error", s->ok,
	    s->timeout, s->error);
	if (s->unfinished)
		fprintf(c->out, ", %ld unfinished", s->unfinished);
	fprintf(c->out, " (%s, in flight %d, %g fps%s%s); late replies dropped: "
	    "%ld\n", c->o->sequential ? "sequential" : "parallel",
	    c->o->in_flight, c->o->fps, c->o->arrivals ? " " : "",
	    c->o->arrivals ? client_arrivals_name(c->o->arrivals) : "", c->late);
	if (s->warm > 0)
		fprintf(c->out, "warm-up:   %ld evaluations left out of the "
		    "figures below (%ld failed)\n", s->warm, s->warm_failed);
	print_ideal(c, s);
	print_shm(c);
	print_failed(c, s);
	if (s->ok > 0)
		print_times(c, s);
	print_workers(c, s);
	print_model(c, s);
}

/* The run's files: the option naming one, where its path is in the
 * options, and its writer. A new output is a row here and a file. */
static const struct report_out {
	const char *opt;
	size_t	off;
	int	(*write)(const struct client *, const struct client_stats *,
		    const char *);
} outs[] = {
	{ "--csv",	offsetof(struct client_opts, csv),	client_csv_write },
	{ "--json",	offsetof(struct client_opts, json),	client_json_write },
	{ "--svg",	offsetof(struct client_opts, svg),	client_svg_write },
	{ "--hgrm",	offsetof(struct client_opts, hgrm),	client_hgrm_write },
	{ "--trace",	offsetof(struct client_opts, trace),	client_trace_write },
};
#define NOUTS	(sizeof outs / sizeof outs[0])

static const char *
out_path(const struct client_opts *o, const struct report_out *r)
{
	return *(const char *const *)(const void *)((const char *)o + r->off);
}

int
client_report_check(const struct client_opts *o)
{
	size_t i;

	for (i = 0; i < NOUTS; i++)
		if (client_file_check(outs[i].opt, out_path(o, &outs[i])) == -1)
			return -1;
	return 0;
}

const char *
client_report_names(void)
{
	static char names[128];
	size_t i, n = 0;

	if (names[0] != '\0')
		return names;
	for (i = 0; i < NOUTS && n < sizeof names; i++)
		n += (size_t)snprintf(names + n, sizeof names - n, "%s%s",
		    i == 0 ? "" : i + 1 < NOUTS ? ", " : " and ", outs[i].opt);
	return names;
}

const char *
client_report_stdout(const struct client_opts *o, int *n)
{
	const char *first = NULL, *p;
	size_t i;

	*n = 0;
	for (i = 0; i < NOUTS; i++)
		if ((p = out_path(o, &outs[i])) != NULL && strcmp(p, "-") == 0 &&
		    (*n)++ == 0)
			first = outs[i].opt;
	return first;
}

int
client_report(const struct client *c)
{
	struct client_stats s;
	const char *path;
	size_t i;
	int rc;

	client_stats_make(&s, c);
	print_seed(c, &s);
	if (!c->o->quiet)
		print_summary(c, &s);
	fflush(c->out);
	rc = s.ok == c->nev - s.warm && s.ok > 0 ? FS_EXIT_OK : FS_EXIT_FAILURE;
	for (i = 0; i < NOUTS; i++)
		if ((path = out_path(c->o, &outs[i])) != NULL &&
		    outs[i].write(c, &s, path) == -1)
			rc = FS_EXIT_FAILURE;
	client_stats_free(&s);
	return rc;
}
