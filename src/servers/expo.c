/* expo.c: the metrics page of fake-servers in the Prometheus text
 * exposition format 0.0.4: Triton's per-model figures for each replica
 * (labels model, version = the replica, kind), a histogram of service
 * times, and the supervisor's own figures. Every family is written whole,
 * HELP and TYPE first, as the format requires. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "expo.h"
#include "servers_wk.h"

#define FIG(name, type, help, field, div, key) \
	{ name, type, help, offsetof(struct wkstats, field), div, key }

const struct expo_figure expo_figures[] = {
	FIG("nv_inference_request_success", "counter", "Number of successful "
	    "inference requests, all batch sizes", success, 1, "success"),
	FIG("nv_inference_request_failure", "counter", "Number of failed "
	    "inference requests, all batch sizes", failure, 1, "failure"),
	FIG("nv_inference_count", "counter", "Number of inferences performed "
	    "(does not include cached requests)", inferences, 1, "inferences"),
	FIG("nv_inference_exec_count", "counter", "Number of model executions "
	    "performed (does not include cached requests)", execs, 1, "execs"),
	FIG("nv_inference_request_duration_us", "counter", "Cumulative "
	    "inference request duration in microseconds (includes cached "
	    "requests)", request_ns, 1000, "request_us"),
	FIG("nv_inference_queue_duration_us", "counter", "Cumulative inference "
	    "queuing duration in microseconds (includes cached requests)",
	    queue_ns, 1000, "queue_us"),
	FIG("nv_inference_compute_infer_duration_us", "counter", "Cumulative "
	    "compute inference duration in microseconds (does not include "
	    "cached requests)", compute_ns, 1000, "compute_infer_us"),
	FIG("nv_inference_pending_request_count", "gauge", "Instantaneous "
	    "number of pending requests awaiting execution per-model.",
	    pending, 1, "pending"),
};
const size_t expo_nfigures = sizeof expo_figures / sizeof expo_figures[0];

static void
expo_head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Worker names are [A-Za-z0-9_.-]: no label value needs escaping. */
static void
expo_labels(FILE *f, const struct wk *w)
{
	fprintf(f, "{model=\"%s\",version=\"%d\",kind=\"%s\"", w->cw.name,
	    w->replica, conf_kind_name(w->cw.kind));
}

static void
expo_figure(FILE *f, const struct servers *s, const struct expo_figure *fig)
{
	struct wkstats st;
	size_t i;

	expo_head(f, fig->name, fig->type, fig->help);
	for (i = 0; i < s->nw; i++) {
		if (s->w[i].removed || stats_wk_read(s, &s->w[i], &st) == -1)
			continue;
		fputs(fig->name, f);
		expo_labels(f, &s->w[i]);
		fprintf(f, "} %llu\n", (unsigned long long)expo_value(fig, &st));
	}
}

static void
expo_hist_one(FILE *f, const struct wk *w, const struct wkstats *st)
{
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i <= st->nbounds; i++) {
		n += st->bucket[i];
		fputs(EXPO_HIST_NAME "_bucket", f);
		expo_labels(f, w);
		if (i < st->nbounds)
			fprintf(f, ",le=\"%.9g\"} %llu\n",
			    (double)st->bound_ns[i] / 1e9, (unsigned long long)n);
		else
			fprintf(f, ",le=\"+Inf\"} %llu\n", (unsigned long long)n);
	}
	fputs(EXPO_HIST_NAME "_sum", f);
	expo_labels(f, w);
	fprintf(f, "} %.9f\n", (double)st->request_ns / 1e9);
	fputs(EXPO_HIST_NAME "_count", f);
	expo_labels(f, w);
	fprintf(f, "} %llu\n", (unsigned long long)n);
}

static void
expo_hist(FILE *f, const struct servers *s)
{
	struct wkstats st;
	size_t i;

	expo_head(f, EXPO_HIST_NAME, "histogram", "Service times of the "
	    "successful requests, from receive to reply, in seconds");
	for (i = 0; i < s->nw; i++)
		if (!s->w[i].removed && stats_wk_read(s, &s->w[i], &st) == 0)
			expo_hist_one(f, &s->w[i], &st);
}

static void
expo_states(FILE *f, const struct servers *s)
{
	enum sup_state st;
	size_t i;

	expo_head(f, "fake_servers_worker_state", "gauge", "The replica's "
	    "supervision state: 1 for the one it is in, 0 for the others");
	for (i = 0; i < s->nw; i++) {
		if (s->w[i].removed)
			continue;
		for (st = SUP_STOPPED; st <= SUP_FAILED; st++) {
			fputs("fake_servers_worker_state", f);
			expo_labels(f, &s->w[i]);
			fprintf(f, ",state=\"%s\"} %d\n", sup_state_name(st),
			    s->w[i].sup.state == st);
		}
	}
}

/* One value per replica, from the supervisor's table. */
static void
expo_sup(FILE *f, const struct servers *s, const char *name,
    const char *type, const char *help, int what)
{
	const struct wk *w;
	size_t i;

	expo_head(f, name, type, help);
	for (i = 0; i < s->nw; i++) {
		if ((w = &s->w[i])->removed)
			continue;
		fputs(name, f);
		expo_labels(f, w);
		if (what == 0)
			fprintf(f, "} %d\n", w->pid > 0 && w->sup.state == SUP_READY);
		else if (what == 1)
			fprintf(f, "} %u\n", w->sup.restarts);
		else
			fprintf(f, "} %.3f\n", w->sup.started == 0 ? 0 :
			    stats_wall(s, w->sup.started));
	}
}

char *
expo_page(void *arg, size_t *len)
{
	const struct servers *s = arg;
	char *buf = NULL;
	size_t i;
	FILE *f;
	int bad;

	if ((f = open_memstream(&buf, len)) == NULL)
		return NULL;
	for (i = 0; i < expo_nfigures; i++)
		expo_figure(f, s, &expo_figures[i]);
	expo_hist(f, s);
	expo_sup(f, s, "fake_servers_worker_up", "gauge", "1 when the "
	    "replica's process runs and said READY=1, else 0", 0);
	expo_states(f, s);
	expo_sup(f, s, "fake_servers_worker_restarts_total", "counter",
	    "Automatic restarts of the replica's process", 1);
	expo_sup(f, s, "fake_servers_worker_start_time_seconds", "gauge",
	    "When the replica's process was last started, in seconds since "
	    "the epoch (0: never)", 2);
	expo_head(f, "fake_servers_reloads_total", "counter",
	    "Configuration reloads that succeeded");
	fprintf(f, "fake_servers_reloads_total %llu\n",
	    (unsigned long long)s->stats.reloads);
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		free(buf);
		return NULL;
	}
	return buf;
}
