/* client_setup.c: which workers a mode drives, and where they listen.
 *
 * The config gives each worker's endpoints (host or bind, port + replica),
 * window and effective cost; --endpoint NAME=URL replaces a configured
 * worker's endpoints on its first use and adds replicas after, or adds a
 * worker of its own (window 1, cost unknown).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "client_curve.h"
#include "client_path.h"
#include "client_report.h"
#include "client_setup.h"
#include "exitcode.h"
#include "framesrc.h"
#include "log.h"

struct epl {				/* endpoints while the targets grow */
	int	target[CLIENT_MAX_ENDPOINTS];
	char	url[CLIENT_MAX_ENDPOINTS][CLIENT_URL_MAX];
	int	n;
};

static int
add_target(struct client *c, const char *name, int kind, int window,
    double cost_ms)
{
	struct client_target *t;

	if ((t = realloc(c->t, (size_t)(c->nt + 1) * sizeof *t)) == NULL)
		fatal("realloc");
	c->t = t;
	t = &c->t[c->nt];
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", name);
	t->kind = kind;
	t->window = window;
	t->cost_ms = cost_ms;
	return c->nt++;
}

static int
add_ep(struct epl *l, int target, const char *url)
{
	if (l->n >= CLIENT_MAX_ENDPOINTS) {
		log_warnx("more than %d endpoints", CLIENT_MAX_ENDPOINTS);
		return -1;
	}
	l->target[l->n] = target;
	snprintf(l->url[l->n], sizeof l->url[0], "%s", url);
	l->n++;
	return 0;
}

/* Echo mode drives the kinds whose output is their input, run and sweep
 * the others (kind.h). */
static int
wants_kind(const struct client *c, enum kind_id kind)
{
	switch (c->o->mode) {
	case MODE_ECHO: return kind_get(kind)->same;
	case MODE_RUN:
	case MODE_SWEEP: return !kind_get(kind)->same;
	default: return 1;
	}
}

/* "a or b ", the kinds a mode drives, for a message. */
static const char *
wanted_kinds(const struct client *c, char *buf, size_t len)
{
	size_t n = 0;
	int k;

	buf[0] = '\0';
	for (k = 0; k < KIND__MAX && n < len; k++)
		if (c->o->mode != MODE_HELLO && wants_kind(c, k))
			n += (size_t)snprintf(buf + n, len - n, "%s%s ",
			    n > 0 ? "or " : "", kind_name(k));
	return buf;
}

static int
targets_from_conf(struct client *c, struct epl *l)
{
	const struct conf_worker *w;
	char url[CLIENT_URL_MAX];
	size_t i;
	int r, t;

	if (c->o->mode == MODE_ECHO && c->o->neps > 0)
		return 0;		/* the endpoint given is the one */
	for (i = 0; c->conf != NULL && i < c->conf->nworkers; i++) {
		w = &c->conf->workers[i];
		if (!wants_kind(c, w->kind))
			continue;
		if (c->o->mode == MODE_ECHO && c->nt > 0)
			break;
		t = add_target(c, w->name, (int)w->kind, w->window,
		    conf_worker_cost_ms(c->conf, w));
		c->t[t].ko.n_classes = w->n_classes;
		c->t[t].ko.boxes_min = w->boxes_min;
		c->t[t].ko.boxes_max = w->boxes_max;
		c->t[t].ko.out_float64 = strcmp(w->output_dtype, "float64") == 0;
		for (r = 0; r < w->replicas; r++) {
			if (conf_worker_endpoint(c->conf, w, r, 0, url,
			    sizeof url) == -1) {
				log_warnx("%s: endpoint too long", w->name);
				return -1;
			}
			if (add_ep(l, t, url) == -1)
				return -1;
		}
	}
	return 0;
}

/* Forget a target's configured endpoints: --endpoint replaces them. */
static void
drop_eps(struct epl *l, int t)
{
	int i, j = 0;

	for (i = 0; i < l->n; i++) {
		if (l->target[i] == t)
			continue;
		l->target[j] = l->target[i];
		memmove(l->url[j], l->url[i], sizeof l->url[0]);
		j++;
	}
	l->n = j;
}

static int
targets_from_opts(struct client *c, struct epl *l)
{
	char overridden[CLIENT_MAX_ENDPOINTS] = { 0 };
	const struct client_epopt *e;
	const char *name;
	size_t i;
	int t;

	for (i = 0; i < c->o->neps; i++) {
		e = &c->o->eps[i];
		name = e->name[0] ? e->name :
		    c->o->mode == MODE_ECHO ? "echo" : e->url;
		for (t = 0; t < c->nt; t++)
			if (strcmp(c->t[t].name, name) == 0)
				break;
		if (t == c->nt)
			t = add_target(c, name, -1, 1, 0);
		if (t < CLIENT_MAX_ENDPOINTS && !overridden[t]) {
			drop_eps(l, t);
			overridden[t] = 1;
		}
		if (add_ep(l, t, e->url) == -1)
			return -1;
	}
	return 0;
}

/* Endpoints in target order, so a target's replicas are contiguous. */
static void
layout_eps(struct client *c, const struct epl *l)
{
	int t, i;

	if ((c->ep = calloc((size_t)l->n + 1, sizeof *c->ep)) == NULL)
		fatal("calloc");
	for (t = 0; t < c->nt; t++) {
		c->t[t].first_ep = c->nep;
		for (i = 0; i < l->n; i++) {
			if (l->target[i] != t)
				continue;
			snprintf(c->ep[c->nep].url, sizeof c->ep[0].url, "%s",
			    l->url[i]);
			c->ep[c->nep].target = t;
			c->nep++;
		}
		c->t[t].nep = c->nep - c->t[t].first_ep;
	}
}

static int
load_conf(struct client *c)
{
	struct conf_errors errs = { 0 };
	const char *path = c->o->config;

	if (c->o->no_config)
		return FS_EXIT_OK;
	if (path == NULL) {
		path = conf_default_path();
		if (c->o->neps > 0 && access(path, F_OK) == -1)
			return FS_EXIT_OK;	/* endpoints alone */
	}
	if ((c->conf = conf_load(path, CONF_F_INCLUDE_DIR, &errs)) == NULL) {
		conf_errors_print(stderr, &errs);
		if (errs.n == 0)
			log_warnx("%s: cannot load the configuration", path);
		conf_errors_free(&errs);
		return FS_EXIT_CONFIG;
	}
	conf_errors_free(&errs);
	return FS_EXIT_OK;
}

static double
auto_timeout_ms(const struct client *c)
{
	double slowest = 0, sum = 0;
	int t;

	for (t = 0; t < c->nt; t++) {
		sum += c->t[t].cost_ms;
		if (c->t[t].cost_ms > slowest)
			slowest = c->t[t].cost_ms;
	}
	return 10 * (c->o->sequential ? sum : slowest) + 1000;
}

static void
derive(struct client *c)
{
	int t, dflt_big = c->o->mode == MODE_ECHO;

	c->width = c->o->width ? c->o->width : dflt_big ? 2000 : 800;
	c->height = c->o->height ? c->o->height : dflt_big ? 1000 : 600;
	c->channels = c->o->channels ? c->o->channels : 3;
	c->window = 1;
	c->ideal_ms = 0;
	for (t = 0; t < c->nt; t++) {
		if (c->t[t].window > c->window)
			c->window = c->t[t].window;
		if (c->o->sequential)
			c->ideal_ms += c->t[t].cost_ms;
		else if (c->t[t].cost_ms > c->ideal_ms)
			c->ideal_ms = c->t[t].cost_ms;
	}
	c->timeout_ms = c->o->timeout_ms > 0 ? c->o->timeout_ms :
	    auto_timeout_ms(c);
	if ((c->o->mode == MODE_RUN || c->o->mode == MODE_SWEEP) &&
	    c->timeout_ms < c->ideal_ms)
		log_warnx("--timeout-ms %g is below the ideal of %g ms (%s): "
		    "every evaluation will time out", c->timeout_ms,
		    c->ideal_ms, c->o->sequential ? "the sum of the costs" :
		    "the slowest cost");
}

/* The critical path is the slowest worker, usually also the one with the
 * biggest input (the window): send to it first, and give it an I/O thread
 * of its own so the other workers' frames do not queue behind its block. */
static double
send_weight(const struct client *c, int t)
{
	double bytes = (double)(c->width * c->height * c->channels) *
	    c->t[t].window;

	return c->t[t].cost_ms + bytes / 4.5e6;	/* about 4.5 GB/s */
}

static void
plan_sends(struct client *c)
{
	int i, j, t, big = 0;

	if ((c->order = calloc((size_t)c->nt, sizeof *c->order)) == NULL)
		fatal("calloc");
	for (i = 0; i < c->nt; i++) {
		t = i;
		for (j = i; j > 0 && send_weight(c, c->order[j - 1]) <
		    send_weight(c, t); j--)
			c->order[j] = c->order[j - 1];
		c->order[j] = t;
		big += c->t[i].window == c->window;
	}
	if (c->window == 1 || big == c->nt)
		return;
	for (i = 0; i < c->nep; i++)
		c->ep[i].affinity = c->t[c->ep[i].target].window == c->window ?
		    1 : 2;
}

/* The frame history must fit in memory: refuse it up front rather than
 * fail to allocate it after connecting. */
static int
too_big(const struct client *c)
{
	double frame = (double)c->width * (double)c->height * (double)c->channels;
	double need = c->o->mode == MODE_HELLO ? 0 : c->o->mode == MODE_ECHO ?
	    frame : frame * (2.0 * c->window + c->o->in_flight) +
	    (double)c->o->frames * (double)(sizeof(struct client_eval) +
	    (size_t)c->nt * sizeof(struct client_part));
	double mem = (double)sysconf(_SC_PHYS_PAGES) *
	    (double)sysconf(_SC_PAGESIZE);

	if (mem <= 0 || need <= mem / 2)
		return 0;
	log_warnx("%ld x %ld x %ld frames with a window of %d and the records "
	    "of %ld frames need %.0f MiB, more than half the memory (%.0f MiB)",
	    c->width, c->height, c->channels, c->window, c->o->frames,
	    need / 1048576, mem / 1048576);
	return 1;
}

static int
open_all(struct client *c)
{
	int i, up, rc, refused = 0;

	plan_sends(c);
	if ((rc = client_curve_setup(c)) != FS_EXIT_OK)
		return rc;
	if ((up = client_path_open(c, c->o->connect_timeout_ms)) == -1)
		return FS_EXIT_USAGE;
	for (i = 0; i < c->nep; i++) {
		if (c->ep[i].hs == HS_PENDING)
			log_warnx("%s (%s): not reachable after %.0f ms",
			    c->ep[i].url, c->t[c->ep[i].target].name,
			    c->o->connect_timeout_ms);
		else if (c->ep[i].hs != HS_UP)
			refused++;
	}
	if (up == 0 && refused > 0) {
		log_warnx("no worker admitted us");
		return FS_EXIT_NOPERM;
	}
	if (up == 0) {
		log_warnx("no worker reachable");
		return FS_EXIT_UNAVAIL;
	}
	return FS_EXIT_OK;
}

int
client_setup(struct client *c, struct client_opts *o)
{
	char kinds[128];
	struct epl *l;
	sigset_t set;
	int rc;

	memset(c, 0, sizeof *c);
	c->o = o;
	c->out = stdout;
	if (client_report_stdout(o, &rc) != NULL)
		c->out = stderr;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if ((c->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("signalfd");
	if (client_report_check(o) == -1)
		return FS_EXIT_USAGE;
	if ((rc = load_conf(c)) != FS_EXIT_OK)
		return rc;
	if ((l = calloc(1, sizeof *l)) == NULL)
		fatal("calloc");
	if (targets_from_conf(c, l) == -1 || targets_from_opts(c, l) == -1) {
		free(l);
		return FS_EXIT_CONFIG;
	}
	layout_eps(c, l);
	free(l);
	if (c->nt == 0) {
		log_warnx("nothing to drive: %s has no %sworker and no "
		    "--endpoint was given", c->conf ? c->conf->path :
		    "the configuration", wanted_kinds(c, kinds, sizeof kinds));
		return FS_EXIT_CONFIG;
	}
	derive(c);
	if (c->window > FRAMESRC_WINDOW_MAX) {
		log_warnx("window %d is above %d", c->window, FRAMESRC_WINDOW_MAX);
		return FS_EXIT_CONFIG;
	}
	if (too_big(c))
		return FS_EXIT_USAGE;
	if (o->mode == MODE_RUN && o->duration == 0 && o->frames < c->window) {
		log_warnx("--frames %ld is fewer than the window of %d frames: "
		    "nothing to evaluate", o->frames, c->window);
		return FS_EXIT_USAGE;
	}
	if (o->mode == MODE_RUN && o->duration == 0 &&
	    o->warmup > o->frames - c->window) {
		log_warnx("--warmup %ld leaves nothing to measure: --frames %ld "
		    "with a window of %d makes %ld evaluations", o->warmup,
		    o->frames, c->window, o->frames - c->window + 1);
		return FS_EXIT_USAGE;
	}
	return open_all(c);
}

void
client_setup_free(struct client *c)
{
	client_path_free(c);
	free(c->buf);
	if (c->conf != NULL)
		conf_free(&c->conf);
	free(c->t);
	free(c->ep);
	free(c->order);
	free(c->ev);
	free(c->part);
	if (c->sigfd > 0)
		close(c->sigfd);
	cert_clear(&c->curve);
	memset(c, 0, sizeof *c);
}
