/* client_json.c: a run's summary as JSON: the settings, the evaluations'
 * latency, age and overhead, the critical path and each worker. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>

#include "client_arrivals.h"
#include "client_file.h"
#include "client_json.h"
#include "client_path.h"
#include "log.h"

json_t *
client_json_hist(const struct hist *h)
{
	return json_pack("{s:I,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f}",
	    "count", (json_int_t)hist_count(h),
	    "mean", hist_mean(h) / 1e3, "std", hist_stddev(h) / 1e3,
	    "min", client_stats_us(hist_min(h)),
	    "p50", client_stats_us(hist_percentile(h, 50)),
	    "p90", client_stats_us(hist_percentile(h, 90)),
	    "p99", client_stats_us(hist_percentile(h, 99)),
	    "p99.9", client_stats_us(hist_percentile(h, 99.9)),
	    "max", client_stats_us(hist_max(h)));
}

json_t *
client_json_settings(const struct client *c)
{
	const struct client_opts *o = c->o;

	/* With --duration, the frames the run made. */
	long frames = o->duration > 0 ? c->nev + c->window - 1 : o->frames;

	return json_pack("{s:s,s:s?,s:s,s:I,s:I,s:I,s:f,s:I,s:I,s:b,s:i,s:f,s:I,s:i,"
	    "s:I,s:o,s:s}",
	    "mode", client_mode_name(o->mode), "config", c->conf ? c->conf->path : NULL,
	    "transport", o->transport == -1 ? "config" :
	    o->transport == TRANSPORT_SHM ? "shm" : "socket",
	    "width", (json_int_t)c->width, "height", (json_int_t)c->height,
	    "channels", (json_int_t)c->channels, "fps", o->fps,
	    "frames", (json_int_t)frames, "samples", (json_int_t)o->samples,
	    "sequential", o->sequential, "in_flight", o->in_flight,
	    "timeout_us", c->timeout_ms * 1e3, "seed", (json_int_t)o->seed,
	    "window", c->window, "warmup", (json_int_t)o->warmup,
	    "duration_s", o->duration > 0 ? json_real(o->duration) : json_null(),
	    "arrivals", client_arrivals_name(o->arrivals));
}

json_t *
client_json_reasons(const long *n)
{
	json_t *o = json_object();
	int r;

	for (r = RS_NONE + 1; r < RS_COUNT; r++)
		json_object_set_new(o, client_reason_key(r),
		    json_integer((json_int_t)n[r]));
	return o;
}

static json_t *
json_worker(const struct client *c, const struct client_stats *s, int t)
{
	const struct client_target *tg = &c->t[t];
	const struct client_wstats *w = &s->w[t];
	json_t *eps = json_array(), *sent = json_array(), *o;
	struct client_path_stats ps;
	int i, resets = 0;

	for (i = tg->first_ep; i < tg->first_ep + tg->nep; i++) {
		json_array_append_new(eps, json_string(c->ep[i].url));
		json_array_append_new(sent, json_integer(c->ep[i].sent));
		resets += c->ep[i].resets;
	}
	client_path_stats(c, t, &ps);
	o = json_pack("{s:s,s:s,s:s,s:I,s:I,s:i,s:o,s:o,s:f,s:o,s:o,s:I,s:I,s:I,s:I,s:o,s:i}",
	    "name", tg->name,
	    "kind", tg->kind >= 0 ? conf_kind_name(tg->kind) : "unknown",
	    "transport", ps.shm ? "shm" : "socket",
	    "outputs_in_slots", (json_int_t)ps.out_in_slot,
	    "requests_by_lane", (json_int_t)ps.by_lane,
	    "window", tg->window, "endpoints", eps, "sent", sent,
	    "cost_us", tg->cost_ms * 1e3,
	    "service_us", client_json_hist(w->service),
	    "transport_us", client_json_hist(w->transport),
	    "last", (json_int_t)w->last, "ok", (json_int_t)w->ok,
	    "timeout", (json_int_t)w->timeout, "error", (json_int_t)w->error,
	    "failed", client_json_reasons(w->reason), "resets", resets);
	if (o != NULL && hist_count(w->cost) > 0) {
		json_object_set_new(o, "drawn_cost_us",
		    client_json_hist(w->cost));
		json_object_set_new(o, "queue_us", client_json_hist(w->queue));
		json_object_set_new(o, "batch_mean", json_real(w->batched ?
		    (double)w->batch_sum / (double)w->batched : 1.0));
	}
	return o;
}

static json_t *
json_critical(const struct client_stats *s)
{
	int legs = s->cp_legs > 0 && s->cp_legs == s->cp_n;
	double n = s->cp_n ? (double)s->cp_n : 1;

	return json_pack("{s:I,s:f,s:f,s:f,s:o,s:o}",
	    "evaluations", (json_int_t)s->cp_n,
	    "client_send", s->cp_send / n / 1e3,
	    "service_beyond_ideal", s->cp_service / n / 1e3,
	    "transport", s->cp_transport / n / 1e3,
	    "transport_request", legs ? json_real(s->cp_req /
	    (double)s->cp_legs / 1e3) : json_null(),
	    "transport_reply", legs ? json_real(s->cp_rep /
	    (double)s->cp_legs / 1e3) : json_null());
}

static json_t *
json_summary(const struct client *c, const struct client_stats *s)
{
	json_t *ws = json_array(), *lats = json_array(), *o;
	long e, failed[RS_COUNT] = { 0 };
	int t, r;

	for (t = 0; t < c->nt; t++) {
		json_array_append_new(ws, json_worker(c, s, t));
		for (r = 0; r < RS_COUNT; r++)
			failed[r] += s->w[t].reason[r];
	}
	for (e = 0; e < c->nev; e++)
		json_array_append_new(lats, c->ev[e].status == ST_OK ?
		    json_real(client_stats_us(c->ev[e].done_ns -
		    c->ev[e].sent_ns)) :
		    json_null());
	o = json_pack("{s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:o,s:o,s:o,s:f,s:o,s:o,s:o}",
	    "settings", client_json_settings(c), "evaluations", (json_int_t)c->nev,
	    "ok", (json_int_t)s->ok, "timeout", (json_int_t)s->timeout,
	    "error", (json_int_t)s->error, "unfinished", (json_int_t)s->unfinished,
	    "late_replies", (json_int_t)c->late,
	    "elapsed_us", client_stats_us(c->end_ns - c->t0_ns),
	    "cpu_us", client_stats_us(c->cpu_ns),
	    "ideal_us", c->ideal_ms * 1e3,
	    "latency_us", client_json_hist(s->lat), "age_us", client_json_hist(s->age),
	    "overhead_us", client_json_hist(s->over),
	    "overhead_mean_us", s->ok ? s->over_sum / (double)s->ok / 1e3 : 0.0,
	    "critical_path_us", json_critical(s), "workers", ws,
	    "latencies_us", lats);
	if (o != NULL)
		json_object_set_new(o, "failed_parts", client_json_reasons(failed));
	if (o != NULL && s->drawn > 0)
		json_object_set_new(o, "ideal_drawn_us",
		    client_json_hist(s->ideal));
	return o;
}

int
client_json_save(json_t *root, const char *path)
{
	FILE *f;
	int rc;

	if (root == NULL) {
		log_warnx("%s: cannot build the JSON summary", path);
		return -1;
	}
	if ((f = client_file_open(path)) == NULL) {
		json_decref(root);
		return -1;
	}
	rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	if (f == stdout)
		fputc('\n', f);
	if (rc == -1)
		log_warn("%s", path);
	json_decref(root);
	return client_file_close(f, path) == -1 ? -1 : rc;
}

int
client_json_write(const struct client *c, const struct client_stats *s,
    const char *path)
{
	return client_json_save(json_summary(c, s), path);
}
