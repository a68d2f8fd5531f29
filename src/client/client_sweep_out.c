/* client_sweep_out.c: a sweep's --csv (a row per step) and --json (the
 * settings, the steps and the knee). Times in microseconds. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>

#include "client_file.h"
#include "client_json.h"
#include "client_stats.h"
#include "client_sweep.h"

static const char *const pct_name[3] = { "p50", "p90", "p99" };

int
client_sweep_csv(const struct client_sweep *sw, const char *path)
{
	const struct client_sweep_step *st;
	FILE *f = client_file_open(path);
	int i, k, r;

	if (f == NULL)
		return -1;
	fputs("fps,in_flight,achieved,windows,stable,", f);
	for (k = 0; k < 3; k++)
		fprintf(f, "latency_%s_us,", pct_name[k]);
	for (k = 0; k < 3; k++)
		fprintf(f, "age_%s_us,", pct_name[k]);
	fputs("ok,failed", f);
	for (r = RS_NONE + 1; r < RS_COUNT; r++)
		fprintf(f, ",%s", client_reason_key(r));
	fputs(",within,knee\n", f);
	for (i = 0; i < sw->nstep; i++) {
		st = &sw->step[i];
		fprintf(f, "%g,%d,%.3f,%d,%d,", st->fps, st->in_flight,
		    st->achieved, st->windows, st->stable);
		for (k = 0; k < 3; k++)
			fprintf(f, "%.1f,", client_stats_us(st->lat[k]));
		for (k = 0; k < 3; k++)
			fprintf(f, "%.1f,", client_stats_us(st->age[k]));
		fprintf(f, "%ld,%ld", st->ok, st->failed);
		for (r = RS_NONE + 1; r < RS_COUNT; r++)
			fprintf(f, ",%ld", st->reason[r]);
		fprintf(f, ",%d,%d\n", !st->over, i == sw->knee);
	}
	return client_file_close(f, path);
}

static json_t *
pcts(const uint64_t *v)
{
	json_t *o = json_object();
	int k;

	for (k = 0; k < 3; k++)
		json_object_set_new(o, pct_name[k],
		    json_real(client_stats_us(v[k])));
	return o;
}

static json_t *
step_json(const struct client_sweep_step *st)
{
	return json_pack("{s:f,s:i,s:f,s:i,s:b,s:o,s:o,s:I,s:I,s:o,s:b}",
	    "fps", st->fps, "in_flight", st->in_flight,
	    "achieved", st->achieved, "windows", st->windows,
	    "stable", st->stable, "latency_us", pcts(st->lat),
	    "age_us", pcts(st->age), "ok", (json_int_t)st->ok,
	    "failed", (json_int_t)st->failed,
	    "failed_parts", client_json_reasons(st->reason),
	    "within", !st->over);
}

int
client_sweep_json(const struct client_sweep *sw, const char *path)
{
	const struct client_sweep_opts *w = &sw->c->o->sweep;
	json_t *steps = json_array();
	int i;

	for (i = 0; i < sw->nstep; i++)
		json_array_append_new(steps, step_json(&sw->step[i]));
	return client_json_save(json_pack("{s:o,s:{s:s,s:f,s:f,s:f,s:f,s:f,"
	    "s:f,s:i},s:o,s:o,s:o}", "settings", client_json_settings(sw->c),
	    "sweep", "by", client_sweep_unit(sw), "from", w->from, "to", w->to,
	    "step", w->step, "stability_pct", w->stability,
	    "max_p99_us", w->max_p99_ms * 1e3, "interval_us",
	    w->interval_ms * 1e3, "max_windows", w->max_windows,
	    "steps", steps,
	    "knee", sw->knee >= 0 ? step_json(&sw->step[sw->knee]) : json_null(),
	    "knee_load", sw->knee >= 0 ? json_real(client_sweep_load(sw,
	    &sw->step[sw->knee])) : json_null()), path);
}
