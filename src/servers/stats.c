/* stats.c: the supervisor's side of the workers' counters: a slot per
 * replica, the metrics listener in the event loop, the request rate, and
 * the control command "stats" (see stats.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "ctlproto.h"
#include "exitcode.h"
#include "log.h"
#include "metrics.h"
#include "servers_wk.h"

static uint64_t
stats_requests(const struct wkstats *f)
{
	return f->success + f->failure;
}

/* Every request answered since the daemon started. */
static uint64_t
stats_total(const struct servers *s)
{
	struct wkstats f;
	uint64_t n = s->stats.gone;
	size_t i;

	for (i = 0; i < s->nw; i++)
		if (stats_wk_read(s, &s->w[i], &f) == 0)
			n += stats_requests(&f);
	return n;
}

static void
stats_listen(struct servers *s, const char *address)
{
	if (address[0] == '\0')
		return;
	if ((s->stats.http = metrics_open(address, s->stats.page, s)) != NULL)
		log_notice("metrics on http://%s/metrics", address);
}

int
stats_check(const struct conf *nc, char *why, size_t len)
{
	return nc->metrics[0] == '\0' ? 0 : metrics_load(why, len);
}

int
stats_open(struct servers *s, metrics_page page)
{
	struct timespec rt;
	char why[512];

	if (stats_check(s->conf, why, sizeof why) == -1) {
		log_warnx("%s", why);
		return FS_EXIT_UNAVAIL;
	}
	s->stats.page = page;
	clock_gettime(CLOCK_REALTIME, &rt);
	s->stats.wall_offset = (int64_t)((uint64_t)rt.tv_sec * 1000000000ull +
	    (uint64_t)rt.tv_nsec) - (int64_t)clock_now_ns();
	if (wkstats_file_open(&s->stats.file) == -1)
		log_warn("no request counters: cannot create their memory file");
	s->stats.tick_at = clock_now_ns();
	stats_listen(s, s->conf->metrics);
	return s->conf->metrics[0] != '\0' && s->stats.http == NULL ?
	    FS_EXIT_FAILURE : 0;
}

void
stats_close(struct servers *s)
{
	metrics_close(&s->stats.http);
	wkstats_file_close(&s->stats.file);
}

void
stats_reload(struct servers *s, const struct conf *nc)
{
	s->stats.reloads++;
	if (strcmp(nc->metrics, s->conf->metrics) == 0)
		return;
	metrics_close(&s->stats.http);
	if (nc->metrics[0] == '\0')
		log_notice("reload: metrics off");
	stats_listen(s, nc->metrics);
}

void
stats_wk_add(struct servers *s, struct wk *w)
{
	double ns = w->cw.cost_ms * w->coef * 1e6;

	w->stats_slot = wkstats_file_alloc(&s->stats.file,
	    ns > 0 ? (uint64_t)ns : 0);
	if (w->stats_slot == STATS_NOSLOT && s->stats.file.base != NULL)
		log_warnx("%s: no slot left for its request counters (%d in "
		    "use)", w->id, WKSTATS_SLOTS_MAX);
}

void
stats_wk_drop(struct servers *s, struct wk *w)
{
	struct wkstats f;

	if (stats_wk_read(s, w, &f) == 0)
		s->stats.gone += stats_requests(&f);
	wkstats_file_free(&s->stats.file, w->stats_slot);
	w->stats_slot = STATS_NOSLOT;
}

/* A dead process has nothing pending: what it held was lost with it. */
void
stats_wk_exit(struct servers *s, struct wk *w)
{
	struct wkstats *slot = wkstats_file_slot(&s->stats.file, w->stats_slot);

	if (slot != NULL)
		__atomic_store_n(&slot->pending, 0, __ATOMIC_RELAXED);
}

int
stats_wk_read(const struct servers *s, const struct wk *w, struct wkstats *f)
{
	struct wkstats *slot = wkstats_file_slot(
	    (struct wkstats_file *)(uintptr_t)&s->stats.file, w->stats_slot);

	if (slot == NULL)
		return -1;
	wkstats_read(slot, f);
	return 0;
}

int
stats_wk_fd(const struct servers *s, const struct wk *w)
{
	return w->stats_slot == STATS_NOSLOT ? -1 : s->stats.file.fd;
}

int
stats_pollfds(const struct servers *s, struct pollfd *pfd, int max)
{
	if (s->stats.http == NULL || max < 1)
		return 0;
	pfd->fd = metrics_fd(s->stats.http);
	pfd->events = POLLIN;
	pfd->revents = 0;
	return 1;
}

uint64_t
stats_deadline(const struct servers *s)
{
	uint64_t d = s->stats.tick_at + STATS_TICK_NS, h;

	if (s->stats.http != NULL && (h = metrics_deadline(s->stats.http)) != 0
	    && h < d)
		d = h;
	return d;
}

/* libmicrohttpd runs whether its descriptor or its timeout woke us (it
 * asks for both); the rate is sampled once a window. */
void
stats_dispatch(struct servers *s, uint64_t now)
{
	uint64_t total;

	if (s->stats.http != NULL)
		metrics_run(s->stats.http);
	if (now < s->stats.tick_at + STATS_TICK_NS)
		return;
	total = stats_total(s);
	s->stats.rate = total < s->stats.tick_total ? 0 :
	    (double)(total - s->stats.tick_total) * 1e9 /
	    (double)(now - s->stats.tick_at);
	s->stats.tick_total = total;
	s->stats.tick_at = now;
}

void
stats_rate_str(const struct servers *s, char *buf, size_t len)
{
	double r = s->stats.rate;

	snprintf(buf, len, r >= 10 || r == 0 ? ", %.0f req/s" : ", %.1f req/s", r);
}

double
stats_wall(const struct servers *s, uint64_t mono_ns)
{
	return (double)((int64_t)mono_ns + s->stats.wall_offset) / 1e9;
}
