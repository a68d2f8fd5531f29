/* client_sweep.c: fake-client sweep: run the pipeline at rising load
 * (--fps FROM:TO:STEP, or --in-flight FROM:TO[:STEP]) in one run whose
 * load changes between steps, and find its knee.
 *
 * The run is cut into windows of --interval-ms; a window counts the
 * evaluations that ended in it, the first one excepted (the warm-up). A
 * step lasts until its last three windows agree within --stability
 * percent in the rate of answers and the mean latency (perf_analyzer's
 * rule) and in the mean age (a pipeline at its limit keeps up with the
 * rate for a while, its ages growing slowly), or all three pass the
 * threshold (an overloaded pipeline's ages never settle), or
 * --max-windows. The step is then judged on those three windows: it
 * passes when its p99 latency and p99 age are within --max-p99-ms and no
 * evaluation failed. The sweep stops at the first step that does not; the
 * knee is the highest load that passed.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_run.h"
#include "client_stats.h"
#include "client_sweep.h"
#include "exitcode.h"
#include "log.h"

#define MAXW	1000			/* --max-windows' bound */

struct sweep {
	struct client_sweep res;
	struct client *c;
	const struct client_sweep_opts *w;
	double	rate[MAXW], mean[MAXW];	/* the current step's windows */
	double	age[MAXW];
	uint64_t from[MAXW];
	char	over[MAXW];
	int	nwin;
	int	warm;			/* the first window is over */
};

double
client_sweep_load(const struct client_sweep *sw,
    const struct client_sweep_step *st)
{
	return sw->c->o->sweep.by == 'k' ? st->in_flight : st->fps;
}

const char *
client_sweep_unit(const struct client_sweep *sw)
{
	return sw->c->o->sweep.by == 'k' ? "in flight" : "fps";
}

/* Step i's load, from now on. */
static void
set_load(struct sweep *sw, struct client_run *r, int i)
{
	struct client_sweep_step *st = &sw->res.step[i];
	double load = sw->w->from + i * sw->w->step;

	st->fps = sw->w->by == 'f' ? load : sw->c->o->fps_set ?
	    sw->c->o->fps : 0;
	st->in_flight = sw->w->by == 'k' ? (int)load : sw->c->o->in_flight;
	if (r != NULL)
		client_run_load(r, st->fps, st->in_flight);
	else {
		sw->c->o->fps = st->fps;
		sw->c->o->in_flight = st->in_flight;
	}
}

static int
past(const struct sweep *sw, const struct client_stats *s)
{
	uint64_t max = (uint64_t)(sw->w->max_p99_ms * 1e6);

	return hist_percentile(s->lat, 99) > max ||
	    hist_percentile(s->age, 99) > max || s->timeout + s->error > 0 ||
	    s->ok == 0;
}

/* A window: 0, or -1 when no evaluation ended in it (none started yet:
 * the first frames fill the longest window), or when it is the first
 * that has some: the warm-up (connections, first touches of the frames),
 * which no step counts. */
static int
window_add(struct sweep *sw, uint64_t from, uint64_t to)
{
	struct client_stats s;
	int k;

	client_stats_window(&s, sw->c, sw->c->nev, from, to);
	if (s.ok + s.timeout + s.error == 0 || !sw->warm) {
		if (s.ok + s.timeout + s.error > 0)
			log_info("window 0: the warm-up, left out");
		sw->warm |= s.ok + s.timeout + s.error > 0;
		client_stats_free(&s);
		return -1;
	}
	k = sw->nwin < MAXW ? sw->nwin++ : MAXW - 1;
	sw->from[k] = from;
	sw->rate[k] = (double)s.ok / ((double)(to - from) / 1e9);
	sw->mean[k] = hist_mean(s.lat);
	sw->age[k] = hist_mean(s.age);
	sw->over[k] = (char)past(sw, &s);
	log_info("%g %s: window %d: %.2f a second, latency mean %.3f p99 "
	    "%.3f ms, age p99 %.3f ms, %ld failed", client_sweep_load(&sw->res,
	    &sw->res.step[sw->res.nstep]), client_sweep_unit(&sw->res), k + 1,
	    sw->rate[k], sw->mean[k] / 1e6,
	    client_stats_ms(hist_percentile(s.lat, 99)),
	    client_stats_ms(hist_percentile(s.age, 99)), s.timeout + s.error);
	client_stats_free(&s);
	return 0;
}

/* Do the last three values agree within pct percent? */
static int
agree(const double *v, int n, double pct)
{
	double lo = v[n - 1], hi = v[n - 1];
	int i;

	for (i = n - CLIENT_SWEEP_AGREE; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	return lo > 0 && hi <= lo * (1 + pct / 100);
}

/* Has the step measured enough: 1 stable, 2 over, 3 out of windows. */
static int
step_done(const struct sweep *sw)
{
	int n = sw->nwin;

	if (n < CLIENT_SWEEP_AGREE)
		return 0;
	if (sw->over[n - 1] && sw->over[n - 2] && sw->over[n - 3])
		return 2;
	if (agree(sw->rate, n, sw->w->stability) &&
	    agree(sw->mean, n, sw->w->stability) &&
	    agree(sw->age, n, sw->w->stability))
		return 1;
	return n >= sw->w->max_windows ? 3 : 0;
}

static void
failed_text(char *buf, size_t len, const struct client_sweep_step *st)
{
	const char *sep = " (";
	size_t n;
	int r;

	n = (size_t)snprintf(buf, len, "%ld", st->failed);
	for (r = RS_NONE + 1; r < RS_COUNT && n < len; r++) {
		if (st->reason[r] == 0)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%ld %s", sep,
		    st->reason[r], client_reason_name(r));
		sep = ", ";
	}
	if (*sep == ',' && n < len)
		snprintf(buf + n, len - n, ")");
}

static void
print_head(const struct sweep *sw)
{
	if (sw->c->o->quiet)
		return;
	fprintf(sw->c->out, "%8s %9s %10s  %9s %8s %8s  %9s %8s %8s  %-10s %s\n",
	    "fps", "in flight", "achieved", "lat p50", "p90", "p99", "age p50",
	    "p90", "p99", "windows", "failed (parts by cause)");
}

static void
print_step(const struct sweep *sw, const struct client_sweep_step *st)
{
	char fps[32], win[32], fail[256];

	if (sw->c->o->quiet)
		return;
	if (st->fps > 0)
		snprintf(fps, sizeof fps, "%g", st->fps);
	else
		snprintf(fps, sizeof fps, "-");
	snprintf(win, sizeof win, "%d %s", st->windows, st->stable ?
	    "stable" : "");
	failed_text(fail, sizeof fail, st);
	fprintf(sw->c->out, "%8s %9d %8.2f/s  %9.2f %8.2f %8.2f  %9.2f %8.2f "
	    "%8.2f  %-10s %s%s\n", fps, st->in_flight, st->achieved,
	    client_stats_ms(st->lat[0]), client_stats_ms(st->lat[1]),
	    client_stats_ms(st->lat[2]), client_stats_ms(st->age[0]),
	    client_stats_ms(st->age[1]), client_stats_ms(st->age[2]), win,
	    fail, st->over ? "  past the threshold" : "");
	fflush(sw->c->out);
}

/* The step's verdict, on its last three windows up to to. */
static void
step_close(struct sweep *sw, int done, uint64_t to)
{
	struct client_sweep_step *st = &sw->res.step[sw->res.nstep];
	uint64_t from = sw->from[sw->nwin - CLIENT_SWEEP_AGREE];
	struct client_stats s;
	static const double pct[3] = { 50, 90, 99 };
	int i, t, r;

	client_stats_window(&s, sw->c, sw->c->nev, from, to);
	st->windows = sw->nwin;
	st->stable = done == 1;
	st->achieved = (double)s.ok / ((double)(to - from) / 1e9);
	for (i = 0; i < 3; i++) {
		st->lat[i] = hist_percentile(s.lat, pct[i]);
		st->age[i] = hist_percentile(s.age, pct[i]);
	}
	st->ok = s.ok;
	st->failed = s.timeout + s.error;
	for (t = 0; t < s.nt; t++)
		for (r = 0; r < RS_COUNT; r++)
			st->reason[r] += s.w[t].reason[r];
	st->over = past(sw, &s);
	client_stats_free(&s);
	if (!st->over)
		sw->res.knee = sw->res.nstep;
	sw->res.nstep++;
	print_step(sw, st);
}

static int
sweep_tick(void *arg, struct client_run *r, uint64_t from, uint64_t to)
{
	struct sweep *sw = arg;
	int done;

	if (window_add(sw, from, to) == -1 || (done = step_done(sw)) == 0)
		return 0;
	step_close(sw, done, to);
	if (sw->res.step[sw->res.nstep - 1].over ||
	    sw->res.nstep == sw->res.nplan)
		return 1;
	sw->nwin = 0;
	set_load(sw, r, sw->res.nstep);
	return 0;
}

/* The knee, in one line. */
static void
print_knee(const struct sweep *sw)
{
	const struct client_sweep *res = &sw->res;
	const struct client_sweep_step *k, *last = &res->step[res->nstep - 1];
	const char *u = client_sweep_unit(res);

	if (res->nstep == 0) {
		fprintf(sw->c->out, "knee: not measured: the sweep was stopped\n");
		return;
	}
	if (res->knee < 0) {
		fprintf(sw->c->out, "knee: below %g %s: the first step is already "
		    "past p99 %g ms (latency %.2f, age %.2f ms, %ld failed)\n",
		    client_sweep_load(res, last), u, sw->w->max_p99_ms,
		    client_stats_ms(last->lat[2]), client_stats_ms(last->age[2]),
		    last->failed);
		return;
	}
	k = &res->step[res->knee];
	fprintf(sw->c->out, "knee: %g %s (%.2f evaluations a second), the "
	    "highest load within p99 %g ms of latency and age",
	    client_sweep_load(res, k), u, k->achieved, sw->w->max_p99_ms);
	if (last->over)
		fprintf(sw->c->out, "; at %g %s: latency %.2f, age %.2f ms, "
		    "%ld failed\n", client_sweep_load(res, last), u,
		    client_stats_ms(last->lat[2]), client_stats_ms(last->age[2]),
		    last->failed);
	else
		fprintf(sw->c->out, "; the sweep ended before the pipeline "
		    "did\n");
}

static int
sweep_files(const struct sweep *sw)
{
	const struct client_opts *o = sw->c->o;
	int rc = 0;

	if (o->csv != NULL && client_sweep_csv(&sw->res, o->csv) == -1)
		rc = -1;
	if (o->json != NULL && client_sweep_json(&sw->res, o->json) == -1)
		rc = -1;
	if (o->svg != NULL && client_sweep_svg(&sw->res, o->svg) == -1)
		rc = -1;
	return rc;
}

int
client_sweep(struct client *c)
{
	struct sweep *sw;
	struct client_run_hook h;
	const struct client_sweep_opts *w = &c->o->sweep;
	int stopped, rc;

	if ((sw = calloc(1, sizeof *sw)) == NULL)
		fatal("calloc");
	sw->c = c;
	sw->w = w;
	sw->res.c = c;
	sw->res.knee = -1;
	sw->res.nplan = (int)floor((w->to - w->from) / w->step + 1e-9) + 1;
	if ((sw->res.step = calloc((size_t)sw->res.nplan,
	    sizeof *sw->res.step)) == NULL)
		fatal("calloc");
	set_load(sw, NULL, 0);
	print_head(sw);
	h = (struct client_run_hook){ (uint64_t)(w->interval_ms * 1e6),
	    sweep_tick, sw };
	stopped = client_run_loop(c, w->by == 'k' ? (int)w->to :
	    c->o->in_flight, &h);
	print_knee(sw);
	fflush(c->out);
	rc = stopped || sw->res.knee < 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
	if (sweep_files(sw) == -1)
		rc = FS_EXIT_FAILURE;
	free(sw->res.step);
	free(sw);
	return rc;
}
