/* client_report.c: what a run measured: the seed's own lines, then where
 * the time went (latency, age, overhead over the ideal, per worker service
 * and transport), as text, CSV and JSON (microseconds). */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "exitcode.h"
#include "log.h"

struct wstats {				/* one worker over the run */
	struct hist *service, *transport;
	long	ok, timeout, error, last;
};

struct stats {
	struct hist *lat, *age, *over;
	double	over_sum;
	/* The overhead along the critical path (the last reply), summed over
	 * the evaluations whose last worker reported its service time. */
	double	cp_send, cp_service, cp_transport;
	long	cp_n;
	double	cp_req, cp_rep;		/* transport split, shm parts only */
	long	cp_legs;
	long	ok, timeout, error, unfinished;
	struct wstats *w;
};

static const char *const status_name[] = { "unfinished", "ok", "timeout", "error" };

/* Python's repr() of bytes, without the b'' around it. */
void
client_pybytes(char *buf, size_t len, const char *s, size_t n)
{
	size_t i, o = 0;
	unsigned char ch;

	for (i = 0; i < n && o + 5 < len; i++) {
		ch = (unsigned char)s[i];
		if (ch == '\\' || ch == '\'')
			o += (size_t)snprintf(buf + o, len - o, "\\%c", ch);
		else if (ch == '\n')
			o += (size_t)snprintf(buf + o, len - o, "\\n");
		else if (ch < 32 || ch > 126)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o < len ? o : len - 1] = '\0';
}

/* Python's repr() of a float: the shortest digits that read back. */
void
client_pyfloat(char *buf, size_t len, double x)
{
	int p;

	for (p = 1; p <= 17; p++) {
		snprintf(buf, len, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	if (strpbrk(buf, ".eni") == NULL && strlen(buf) + 3 <= len)
		strcat(buf, ".0");
}

static void
stats_part(struct stats *s, const struct client_part *p, int t)
{
	struct wstats *w = &s->w[t];
	uint64_t rtt, svc;

	if (p->status == ST_TIMEOUT)
		w->timeout++;
	else if (p->status == ST_ERROR)
		w->error++;
	if (p->status != ST_OK)
		return;
	w->ok++;
	rtt = p->reply_ns - p->sent_ns;
	if (p->service_us < 0)
		return;
	svc = (uint64_t)(p->service_us * 1e3);
	hist_record(w->service, svc);
	hist_record(w->transport, rtt > svc ? rtt - svc : 0);
}

static void
stats_eval(struct stats *s, const struct client *c, long e)
{
	const struct client_eval *ev = &c->ev[e];
	const struct client_part *p;
	uint64_t lat, ideal = (uint64_t)(c->ideal_ms * 1e6);

	switch (ev->status) {
	case ST_OK: s->ok++; break;
	case ST_TIMEOUT: s->timeout++; break;
	case ST_ERROR: s->error++; break;
	default: s->unfinished++; return;
	}
	if (ev->status != ST_OK)
		return;
	lat = ev->done_ns - ev->sent_ns;
	hist_record(s->lat, lat);
	hist_record(s->age, ev->done_ns > ev->sched_ns ?
	    ev->done_ns - ev->sched_ns : 0);
	hist_record(s->over, lat > ideal ? lat - ideal : 0);
	s->over_sum += (double)lat - (double)ideal;
	if (ev->last >= 0)
		s->w[ev->last].last++;
	if (ev->last >= 0 && (p = client_part(c, e, ev->last))->service_us >= 0) {
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
}

static void
stats_free(struct stats *s, int nt)
{
	int t;

	hist_free(&s->lat);
	hist_free(&s->age);
	hist_free(&s->over);
	for (t = 0; s->w != NULL && t < nt; t++) {
		hist_free(&s->w[t].service);
		hist_free(&s->w[t].transport);
	}
	free(s->w);
}

static void
stats_make(struct stats *s, const struct client *c)
{
	long e;
	int t;

	memset(s, 0, sizeof *s);
	s->lat = hist_new();
	s->age = hist_new();
	s->over = hist_new();
	if ((s->w = calloc((size_t)c->nt, sizeof *s->w)) == NULL)
		fatal("calloc");
	for (t = 0; t < c->nt; t++) {
		s->w[t].service = hist_new();
		s->w[t].transport = hist_new();
		if (s->w[t].service == NULL || s->w[t].transport == NULL)
			fatal("hist_new");
	}
	if (s->lat == NULL || s->age == NULL || s->over == NULL)
		fatal("hist_new");
	for (e = 0; e < c->nev; e++) {
		stats_eval(s, c, e);
		for (t = 0; t < c->nt && c->ev[e].status != ST_PENDING; t++)
			stats_part(s, client_part(c, e, t), t);
	}
}

static double
ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* The seed's lines: mean and std in seconds, and the list when short. */
static void
print_seed(const struct client *c, const struct stats *s)
{
	char a[32], b[32];
	long e, n = 0;

	client_pyfloat(a, sizeof a, hist_mean(s->lat) / 1e9);
	client_pyfloat(b, sizeof b, hist_stddev(s->lat) / 1e9);
	fprintf(c->out, "mean: %s, std: %s len: %ld\n", a, b, s->ok);
	if (s->ok >= 100)
		return;
	fputc('[', c->out);
	for (e = 0; e < c->nev; e++) {
		if (c->ev[e].status != ST_OK)
			continue;
		client_pyfloat(a, sizeof a,
		    (double)(c->ev[e].done_ns - c->ev[e].sent_ns) / 1e9);
		fprintf(c->out, "%s%s", n++ ? ", " : "", a);
	}
	fputs("]\n", c->out);
}

static void
print_pct(FILE *out, const char *what, const struct hist *h, const char *note)
{
	fprintf(out, "%-9s p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms  (%s)\n",
	    what, ms(hist_percentile(h, 50)), ms(hist_percentile(h, 90)),
	    ms(hist_percentile(h, 99)), ms(hist_percentile(h, 99.9)),
	    ms(hist_max(h)), note);
}

static void
print_workers(const struct client *c, const struct stats *s)
{
	const struct wstats *w;
	int t, wd = 6;

	for (t = 0; t < c->nt; t++)
		if ((int)strlen(c->t[t].name) > wd)
			wd = (int)strlen(c->t[t].name);
	fprintf(c->out, "%-*s %8s %9s %9s %9s %9s %6s %5s %7s %5s\n", wd,
	    "worker", "cost ms", "svc p50", "svc p99", "xfer p50", "xfer p99",
	    "last", "ok", "timeout", "error");
	for (t = 0; t < c->nt; t++) {
		w = &s->w[t];
		fprintf(c->out, "%-*s %8.3f %9.3f %9.3f %9.3f %9.3f %5.0f%% %5ld "
		    "%7ld %5ld\n", wd, c->t[t].name, c->t[t].cost_ms,
		    ms(hist_percentile(w->service, 50)),
		    ms(hist_percentile(w->service, 99)),
		    ms(hist_percentile(w->transport, 50)),
		    ms(hist_percentile(w->transport, 99)),
		    s->ok ? 100.0 * (double)w->last / (double)s->ok : 0.0,
		    w->ok, w->timeout, w->error);
	}
}

static void
print_summary(const struct client *c, const struct stats *s)
{
	int t, slow = -1;

	for (t = 0; t < c->nt; t++)
		if (slow < 0 || c->t[t].cost_ms > c->t[slow].cost_ms)
			slow = t;
	fprintf(c->out, "evaluations: %ld ok, %ld timeout, %ld error", s->ok,
	    s->timeout, s->error);
	if (s->unfinished)
		fprintf(c->out, ", %ld unfinished", s->unfinished);
	fprintf(c->out, " (%s, in flight %d, %g fps); late replies dropped: %ld\n",
	    c->o->sequential ? "sequential" : "parallel", c->o->in_flight,
	    c->o->fps, c->late);
	if (c->o->sequential)
		fprintf(c->out, "ideal:     %.3f ms (the sum of the costs)\n", c->ideal_ms);
	else
		fprintf(c->out, "ideal:     %.3f ms (the slowest cost: %s)\n", c->ideal_ms,
		    slow >= 0 ? c->t[slow].name : "-");
	for (t = 0; t < c->nt; t++)
		if (c->t[t].shm)
			fprintf(c->out, "%s%s (%ld through its lane)", slow == -2 ? ", " :
			    "shared memory: ", c->t[t].name, c->t[t].by_lane),
			    slow = -2;
	if (slow == -2)
		fputc('\n', c->out);
	if (s->ok == 0)
		return;
	print_pct(c->out, "latency:", s->lat, "send to last reply");
	print_pct(c->out, "age:", s->age, "scheduled capture to last reply");
	fprintf(c->out, "overhead:  mean %.3f  p50 %.3f  p99 %.3f ms  (latency - ideal)\n",
	    s->over_sum / (double)s->ok / 1e6, ms(hist_percentile(s->over, 50)),
	    ms(hist_percentile(s->over, 99)));
	if (s->cp_n > 0)
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
	print_workers(c, s);
}

static double
us(uint64_t ns)
{
	return (double)ns / 1e3;
}

json_t *
client_json_hist(const struct hist *h)
{
	return json_pack("{s:I,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f}",
	    "count", (json_int_t)hist_count(h),
	    "mean", hist_mean(h) / 1e3, "std", hist_stddev(h) / 1e3,
	    "min", us(hist_min(h)), "p50", us(hist_percentile(h, 50)),
	    "p90", us(hist_percentile(h, 90)), "p99", us(hist_percentile(h, 99)),
	    "p99.9", us(hist_percentile(h, 99.9)), "max", us(hist_max(h)));
}

json_t *
client_json_settings(const struct client *c)
{
	const struct client_opts *o = c->o;
	static const char *const mode[] = { "run", "hello", "echo" };

	return json_pack("{s:s,s:s?,s:s,s:I,s:I,s:I,s:f,s:I,s:I,s:b,s:i,s:f,s:I,s:i}",
	    "mode", mode[o->mode], "config", c->conf ? c->conf->path : NULL,
	    "transport", o->transport == -1 ? "config" :
	    o->transport == TRANSPORT_SHM ? "shm" : "socket",
	    "width", (json_int_t)c->width, "height", (json_int_t)c->height,
	    "channels", (json_int_t)c->channels, "fps", o->fps,
	    "frames", (json_int_t)o->frames, "samples", (json_int_t)o->samples,
	    "sequential", o->sequential, "in_flight", o->in_flight,
	    "timeout_us", c->timeout_ms * 1e3, "seed", (json_int_t)o->seed,
	    "window", c->window);
}

static json_t *
json_worker(const struct client *c, const struct stats *s, int t)
{
	const struct client_target *tg = &c->t[t];
	const struct wstats *w = &s->w[t];
	json_t *eps = json_array(), *sent = json_array();
	int i, resets = 0;

	for (i = tg->first_ep; i < tg->first_ep + tg->nep; i++) {
		json_array_append_new(eps, json_string(c->ep[i].url));
		json_array_append_new(sent, json_integer(c->ep[i].sent));
		resets += c->ep[i].resets;
	}
	return json_pack("{s:s,s:s,s:s,s:I,s:I,s:i,s:o,s:o,s:f,s:o,s:o,s:I,s:I,s:I,s:I,s:i}",
	    "name", tg->name,
	    "kind", tg->kind >= 0 ? conf_kind_name(tg->kind) : "unknown",
	    "transport", tg->shm ? "shm" : "socket",
	    "outputs_in_slots", (json_int_t)tg->out_in_slot,
	    "requests_by_lane", (json_int_t)tg->by_lane,
	    "window", tg->window, "endpoints", eps, "sent", sent,
	    "cost_us", tg->cost_ms * 1e3,
	    "service_us", client_json_hist(w->service),
	    "transport_us", client_json_hist(w->transport),
	    "last", (json_int_t)w->last, "ok", (json_int_t)w->ok,
	    "timeout", (json_int_t)w->timeout, "error", (json_int_t)w->error,
	    "resets", resets);
}

static json_t *
json_summary(const struct client *c, const struct stats *s)
{
	json_t *root, *ws = json_array(), *lats = json_array();
	long e;
	int t, legs = s->cp_legs > 0 && s->cp_legs == s->cp_n;

	for (t = 0; t < c->nt; t++)
		json_array_append_new(ws, json_worker(c, s, t));
	for (e = 0; e < c->nev; e++)
		json_array_append_new(lats, c->ev[e].status == ST_OK ?
		    json_real(us(c->ev[e].done_ns - c->ev[e].sent_ns)) :
		    json_null());
	root = json_pack("{s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:o,s:o,s:o,s:f,s:o,s:o,s:o}",
	    "settings", client_json_settings(c), "evaluations", (json_int_t)c->nev,
	    "ok", (json_int_t)s->ok, "timeout", (json_int_t)s->timeout,
	    "error", (json_int_t)s->error, "unfinished", (json_int_t)s->unfinished,
	    "late_replies", (json_int_t)c->late,
	    "elapsed_us", us(c->end_ns - c->t0_ns), "ideal_us", c->ideal_ms * 1e3,
	    "latency_us", client_json_hist(s->lat), "age_us", client_json_hist(s->age),
	    "overhead_us", client_json_hist(s->over),
	    "overhead_mean_us", s->ok ? s->over_sum / (double)s->ok / 1e3 : 0.0,
	    "critical_path_us", json_pack("{s:I,s:f,s:f,s:f,s:o,s:o}",
	    "evaluations", (json_int_t)s->cp_n,
	    "client_send", s->cp_n ? s->cp_send / (double)s->cp_n / 1e3 : 0.0,
	    "service_beyond_ideal", s->cp_n ? s->cp_service / (double)s->cp_n /
	    1e3 : 0.0, "transport", s->cp_n ? s->cp_transport /
	    (double)s->cp_n / 1e3 : 0.0,
	    "transport_request", legs ? json_real(s->cp_req /
	    (double)s->cp_legs / 1e3) : json_null(),
	    "transport_reply", legs ? json_real(s->cp_rep /
	    (double)s->cp_legs / 1e3) : json_null()),
	    "workers", ws, "latencies_us", lats);
	return root;
}

/* "-" is stdout. */
int
client_json_write(json_t *root, const char *path)
{
	int rc;

	if (root == NULL) {
		log_warnx("%s: cannot build the JSON summary", path);
		return -1;
	}
	if (strcmp(path, "-") == 0) {
		rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		fputc('\n', stdout);
	} else
		rc = json_dump_file(root, path, JSON_INDENT(2) |
		    JSON_REAL_PRECISION(10));
	if (rc == -1)
		log_warn("%s", path);
	json_decref(root);
	return rc;
}

static void
csv_row(FILE *f, struct client *c, long e)
{
	const struct client_eval *ev = &c->ev[e];
	const struct client_part *p;
	int t;

	fprintf(f, "%lld,%.1f,%.1f,%.1f,%s", (long long)ev->frame,
	    us(ev->sched_ns - c->t0_ns), us(ev->sent_ns - c->t0_ns),
	    ev->status == ST_OK ? us(ev->done_ns - ev->sent_ns) : -1.0,
	    status_name[ev->status]);
	for (t = 0; t < c->nt; t++) {
		p = client_part(c, e, t);
		fprintf(f, ",%.1f,%.1f,%s", p->status == ST_OK ?
		    us(p->reply_ns - c->t0_ns) : -1.0, p->service_us,
		    status_name[p->status]);
	}
	fputc('\n', f);
}

FILE *
client_file_open(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");

	if (f == NULL)
		log_warn("%s", path);
	return f;
}

int
client_file_close(FILE *f, const char *path)
{
	if (f == stdout)
		return fflush(f) == EOF ? -1 : 0;
	if (fclose(f) == EOF) {
		log_warn("%s", path);
		return -1;
	}
	return 0;
}

int
client_report_csv(struct client *c, const char *path)
{
	FILE *f = client_file_open(path);
	long e;
	int t;

	if (f == NULL)
		return -1;
	fputs("frame,scheduled_us,sent_us,latency_us,status", f);
	for (t = 0; t < c->nt; t++)
		fprintf(f, ",%s_reply_us,%s_service_us,%s_status", c->t[t].name,
		    c->t[t].name, c->t[t].name);
	fputc('\n', f);
	for (e = 0; e < c->nev; e++)
		csv_row(f, c, e);
	return client_file_close(f, path);
}

int
client_report(struct client *c)
{
	struct stats s;
	int rc;

	stats_make(&s, c);
	print_seed(c, &s);
	if (!c->o->quiet)
		print_summary(c, &s);
	fflush(c->out);
	rc = s.ok == c->nev && c->nev > 0 ? FS_EXIT_OK : FS_EXIT_FAILURE;
	if (c->o->csv != NULL && client_report_csv(c, c->o->csv) == -1)
		rc = FS_EXIT_FAILURE;
	if (c->o->json != NULL &&
	    client_json_write(json_summary(c, &s), c->o->json) == -1)
		rc = FS_EXIT_FAILURE;
	if (c->o->svg != NULL && client_svg_write(c, s.lat) == -1)
		rc = FS_EXIT_FAILURE;
	stats_free(&s, c->nt);
	return rc;
}
