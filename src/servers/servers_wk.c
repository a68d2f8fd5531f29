/* servers_wk.c: the table of supervised worker processes of fake-servers:
 * building it from the config, feeding events to each one's state machine
 * (sup.c) and doing what it answers, reaping, readiness, and applying a
 * reloaded config worker by worker. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "proc.h"
#include "servers_cost.h"
#include "servers_live.h"
#include "servers_wk.h"

#define NS_PER_MS	1000000.0

static uint64_t
ms_to_ns(double ms)
{
	return ms <= 0 ? 0 : (uint64_t)(ms * NS_PER_MS);
}

static void
servers_wk_policy(const struct conf_restart *r, struct sup_policy *p)
{
	p->mode = r->mode == RESTART_NO ? SUP_RESTART_NO :
	    r->mode == RESTART_ALWAYS ? SUP_RESTART_ALWAYS : SUP_RESTART_ON_FAILURE;
	p->backoff_min = ms_to_ns(r->backoff_min_ms);
	p->backoff_max = ms_to_ns(r->backoff_max_ms);
	p->burst = r->burst;
	p->interval = ms_to_ns(r->interval_s * 1000.0);
	p->min_uptime = ms_to_ns(r->min_uptime_ms);
	p->start_timeout = ms_to_ns(r->start_timeout_ms);
	p->stop_timeout = ms_to_ns(r->stop_timeout_ms);
}

/* (Re)derive what a replica runs with from a config. */
static void
servers_wk_configure(struct wk *w, const struct conf *c, const struct conf_worker *cw, int r)
{
	char ep[SERVERS_WK_EP_MAX];

	w->cw = *cw;
	w->replica = r;
	if (cw->replicas > 1)
		snprintf(w->id, sizeof w->id, "%s:%d", cw->name, r);
	else
		snprintf(w->id, sizeof w->id, "%s", cw->name);
	if (conf_worker_endpoint(c, cw, r, 1, ep, sizeof ep) == -1)
		log_warnx("%s: endpoint truncated: %s", w->id, ep);
	w->endpoint = conf_intern(ep);
	w->coef = c->coef * cw->coef;
	servers_wk_policy(&cw->restart, &w->pol);
}

static struct wk *
servers_wk_new(struct servers *s, const struct conf *c, const struct conf_worker *cw, int r)
{
	struct wk *w;
	size_t cap;

	if (s->nw == s->capw) {
		cap = s->capw ? s->capw * 2 : 8;
		if ((w = reallocarray(s->w, cap, sizeof *w)) == NULL)
			fatal("reallocarray");
		s->w = w;
		s->capw = cap;
	}
	w = &s->w[s->nw++];
	memset(w, 0, sizeof *w);
	servers_wk_configure(w, c, cw, r);
	sup_init(&w->sup, &w->pol);
	stats_wk_add(s, w);
	return w;
}

int
servers_wk_add_all(struct servers *s, const struct conf *c)
{
	size_t i;
	int r;

	for (i = 0; i < c->nworkers; i++)
		for (r = 0; r < c->workers[i].replicas; r++)
			servers_wk_new(s, c, &c->workers[i], r);
	return 0;
}

static void
servers_wk_fmt(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%.15g", v);
}

/* A CURVE worker's options: its key pair (a credential's path made
 * absolute) and whom it admits. */
static void
servers_wk_curve(const struct wk *w, const char **argv, int *n, char *secret,
    size_t len)
{
	char err[512];

	if (w->cw.curve.secret_key_file[0] == '\0')
		return;
	/* conf_curve_files read it at load: this cannot fail but a race. */
	if (conf_curve_secret_path(&w->cw.curve, secret, len, err,
	    sizeof err) == -1)
		log_warnx("%s: %s", w->id, err);
	argv[(*n)++] = "--curve-secret";
	argv[(*n)++] = secret;
	if (w->cw.curve.allow_any)
		argv[(*n)++] = "--curve-allow-any";
	else {
		argv[(*n)++] = "--curve-allow";
		argv[(*n)++] = w->cw.curve.allow_dir;
	}
}

/* The descriptors it is given (its 3, 4, ...) and their options: the
 * stats' and its device's. */
static int
servers_wk_fds(struct servers *s, const struct wk *w, const char **argv,
    int *n, int *fds, char num[2][24])
{
	int nfds = 0, dev;

	if (stats_wk_fd(s, w) != -1) {
		fds[nfds] = stats_wk_fd(s, w);
		snprintf(num[0], sizeof num[0], "%ld", w->stats_slot);
		argv[(*n)++] = "--stats-fd";
		argv[(*n)++] = nfds++ == 0 ? "3" : "4";
		argv[(*n)++] = "--stats-slot";
		argv[(*n)++] = num[0];
	}
	if (w->cw.device[0] != '\0' &&
	    (dev = servers_dev_fd(&s->devs, w->cw.device)) != -1) {
		fds[nfds] = dev;
		snprintf(num[1], sizeof num[1], "%d", 3 + nfds++);
		argv[(*n)++] = "--device-fd";
		argv[(*n)++] = num[1];
	}
	return nfds;
}

/* The worker's argv: the real program, no shell. */
static pid_t
servers_wk_spawn(struct servers *s, struct wk *w)
{
	char cost[32], coef[32], ncl[16], maxf[24], bmin[16], bmax[16];
	char fdnum[2][24], secret[CONF_PATH_MAX + 256];
	struct servers_cost_buf costb;
	const char *argv[48 + SERVERS_COST_ARGS];
	int n = 0, fds[2], nfds;

	servers_wk_fmt(cost, sizeof cost, w->cw.cost_ms);
	servers_wk_fmt(coef, sizeof coef, w->coef);
	snprintf(ncl, sizeof ncl, "%d", w->cw.n_classes);
	snprintf(bmin, sizeof bmin, "%d", w->cw.boxes_min);
	snprintf(bmax, sizeof bmax, "%d", w->cw.boxes_max);
	snprintf(maxf, sizeof maxf, "%lld", w->cw.max_frame_bytes);
	argv[n++] = s->worker_path;
	argv[n++] = "--name";
	argv[n++] = w->cw.name;	/* ':' is not allowed in a name: replicas share it */
	argv[n++] = "--kind";
	argv[n++] = conf_kind_name(w->cw.kind);
	argv[n++] = "--endpoint";
	argv[n++] = w->endpoint;
	argv[n++] = "--cost-ms";
	argv[n++] = cost;
	argv[n++] = "--coef";
	argv[n++] = coef;
	argv[n++] = "--max-frame-bytes";
	argv[n++] = maxf;
	/* The options its kind takes (kind.h). */
	if (kind_get(w->cw.kind)->opts & KIND_OPT_N_CLASSES) {
		argv[n++] = "--n-classes";
		argv[n++] = ncl;
	}
	if (kind_get(w->cw.kind)->opts & KIND_OPT_BOXES) {
		argv[n++] = "--boxes-min";
		argv[n++] = bmin;
		argv[n++] = "--boxes-max";
		argv[n++] = bmax;
	}
	if ((kind_get(w->cw.kind)->opts & KIND_OPT_OUTPUT_DTYPE) &&
	    w->cw.output_dtype[0] != '\0') {
		argv[n++] = "--output-dtype";
		argv[n++] = w->cw.output_dtype;
	}
	nfds = servers_wk_fds(s, w, argv, &n, fds, fdnum);
	servers_wk_curve(w, argv, &n, secret, sizeof secret);
	servers_cost_argv(&w->cw, w->replica, w->sup.restarts, argv, &n,
	    &costb);
	if (s->verbose > 0)
		argv[n++] = "-v";
	else if (s->verbose < 0)
		argv[n++] = "-q";
	argv[n] = NULL;
	w->spawned_ep = w->endpoint;
	servers_live_publish(s, w);
	return forksrv_spawn(&s->fs, (char *const *)(uintptr_t)argv, fds, nfds);
}

static uint32_t
servers_wk_rnd(void)
{
	return (uint32_t)random() ^ ((uint32_t)random() << 16);
}

static void
servers_wk_do(struct servers *s, struct wk *w, enum sup_action act)
{
	switch (act) {
	case SUP_ACT_SPAWN:
		if ((w->pid = servers_wk_spawn(s, w)) == -1) {
			w->pid = 0;
			log_warn("%s: cannot execute %s", w->id, s->worker_path);
			/* As if it had died at once: the policy and limits apply. */
			servers_wk_event(s, w, SUP_EV_EXIT, 127 << 8);
		}
		break;
	case SUP_ACT_TERM:
	case SUP_ACT_KILL:
		if (w->pid > 0 && proc_signal(w->pid, act == SUP_ACT_TERM ? SIGTERM : SIGKILL) == -1)
			log_warn("%s: kill %d", w->id, (int)w->pid);
		break;
	case SUP_ACT_NONE:
		break;
	}
}

void
servers_wk_event(struct servers *s, struct wk *w, enum sup_event ev, int arg)
{
	enum sup_state old = w->sup.state;
	enum sup_action act;

	act = sup_step(&w->sup, &w->pol, ev, arg, clock_now_ns(), servers_wk_rnd());
	servers_wk_do(s, w, act);
	if (act == SUP_ACT_SPAWN && w->pid == 0)
		return;		/* the fork failed: its exit was logged */
	if (w->sup.state == SUP_FAILED && old != SUP_FAILED)
		log_warnx("%s: FAILED: %s; it stays down until 'fake-serversctl reset %s'",
		    w->id, w->sup.cause, w->id);
	else if (act == SUP_ACT_SPAWN && ev == SUP_EV_EXIT)
		log_notice("%s: %s (pid %d); started again as pid %d [%s -> %s]",
		    w->id, w->sup.cause, (int)w->last_pid, (int)w->pid,
		    sup_state_name(old), sup_state_name(w->sup.state));
	else if (act == SUP_ACT_SPAWN)
		log_notice("%s: %s, pid %d [%s -> %s]", w->id, w->sup.cause, (int)w->pid,
		    sup_state_name(old), sup_state_name(w->sup.state));
	else if (old != w->sup.state || act == SUP_ACT_KILL)
		log_notice("%s: %s [%s -> %s]%s", w->id, w->sup.cause,
		    sup_state_name(old), sup_state_name(w->sup.state),
		    act == SUP_ACT_KILL ? ", sending SIGKILL" : "");
}

static struct wk *
servers_wk_by_pid(struct servers *s, pid_t pid)
{
	size_t i;

	for (i = 0; i < s->nw; i++)
		if (s->w[i].pid == pid)
			return &s->w[i];
	return NULL;
}

void
servers_wk_gc(struct servers *s)
{
	size_t i, j;

	for (i = j = 0; i < s->nw; i++) {
		if (s->w[i].removed && s->w[i].sup.state == SUP_STOPPED && s->w[i].pid == 0) {
			log_info("%s: removed", s->w[i].id);
			stats_wk_drop(s, &s->w[i]);
			continue;
		}
		if (i != j)
			s->w[j] = s->w[i];
		j++;
	}
	s->nw = j;
}

uint64_t
servers_wk_deadline(const struct servers *s)
{
	uint64_t d = 0;
	size_t i;

	for (i = 0; i < s->nw; i++)
		if (s->w[i].sup.deadline != 0 && (d == 0 || s->w[i].sup.deadline < d))
			d = s->w[i].sup.deadline;
	return d;
}

void
servers_wk_timers(struct servers *s, uint64_t now)
{
	size_t i;

	for (i = 0; i < s->nw; i++)
		if (s->w[i].sup.deadline != 0 && s->w[i].sup.deadline <= now)
			servers_wk_event(s, &s->w[i], SUP_EV_TIMER, 0);
}

/* A worker's unix socket outlives it (libzmq leaves the file of an ipc
 * endpoint it bound): remove it once the process is reaped, before any
 * new one binds it again. */
static void
servers_wk_unlink_ipc(const struct wk *w)
{
	static const char ipc[] = "ipc://";

	const char *ep = w->spawned_ep;

	if (ep != NULL && strncmp(ep, ipc, sizeof ipc - 1) == 0 &&
	    unlink(ep + sizeof ipc - 1) == -1 && errno != ENOENT)
		log_warn("%s: cannot remove %s", w->id, ep + sizeof ipc - 1);
}

void
servers_wk_reap(struct servers *s)
{
	struct wk *w;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (forksrv_reaped(&s->fs, pid, st))
			continue;
		if ((w = servers_wk_by_pid(s, pid)) == NULL) {
			log_debug("reaped unknown pid %d", (int)pid);
			continue;
		}
		w->last_pid = pid;
		w->pid = 0;
		stats_wk_exit(s, w);
		servers_wk_unlink_ipc(w);
		servers_wk_event(s, w, SUP_EV_EXIT, st);
	}
	if (pid == -1 && errno != ECHILD)
		log_warn("waitpid");
}

/* Drain the notify socket: READY=1 from a worker's own pid. */
void
servers_wk_notify(struct servers *s)
{
	char buf[4096];
	struct wk *w;
	pid_t pid;
	int r;

	while ((r = notify_recv(&s->notify, &pid, buf, sizeof buf)) == 1) {
		if (pid <= 0 || (w = servers_wk_by_pid(s, pid)) == NULL) {
			log_debug("notify message from unknown pid %d ignored", (int)pid);
			continue;
		}
		if (notify_has(buf, "READY=1"))
			servers_wk_event(s, w, SUP_EV_READY, 0);
	}
	if (r == -1)
		log_warn("notify socket");
}

int
servers_wk_count(const struct servers *s, enum sup_state st)
{
	size_t i;
	int n = 0;

	for (i = 0; i < s->nw; i++)
		n += !s->w[i].removed && s->w[i].sup.state == st;
	return n;
}

int
servers_wk_total(const struct servers *s)
{
	size_t i;
	int n = 0;

	for (i = 0; i < s->nw; i++)
		n += !s->w[i].removed;
	return n;
}

void
servers_wk_summary(const struct servers *s, char *buf, size_t len)
{
	int total = servers_wk_total(s), ready, failed;
	size_t n;

	ready = servers_wk_count(s, SUP_READY);
	failed = servers_wk_count(s, SUP_FAILED);
	n = (size_t)snprintf(buf, len, "%d/%d workers ready", ready, total);
	if (failed > 0 && n < len)
		snprintf(buf + n, len - n, ", %d failed", failed);
	if ((n = strlen(buf)) < len)
		stats_rate_str(s, buf + n, len - n);
	if (s->stopping && (n = strlen(buf)) < len)
		snprintf(buf + n, len - n, ", stopping");
}

int
servers_wk_running(const struct servers *s)
{
	size_t i;
	int n = 0;

	for (i = 0; i < s->nw; i++)
		n += s->w[i].pid > 0;
	return n;
}

static struct wk *
servers_wk_find(struct servers *s, const char *name, int replica)
{
	size_t i;

	for (i = 0; i < s->nw; i++)
		if (!s->w[i].removed && s->w[i].replica == replica &&
		    strcmp(s->w[i].cw.name, name) == 0)
			return &s->w[i];
	return NULL;
}

/* One existing replica against the new config. */
static void
servers_wk_apply_one(struct servers *s, struct wk *w, struct conf *nc)
{
	const struct conf_worker *ncw = conf_find_worker(nc, w->cw.name);
	const struct conf_worker *ocw = conf_find_worker(s->conf, w->cw.name);

	if (ncw == NULL || w->replica >= ncw->replicas) {
		w->removed = 1;
		log_notice("%s: removed from the configuration", w->id);
		servers_wk_event(s, w, SUP_EV_STOP, 0);
		return;
	}
	if (ocw != NULL && conf_worker_same(s->conf, ocw, nc, ncw)) {
		servers_wk_configure(w, nc, ncw, w->replica);	/* same argv */
		servers_live_publish(s, w);	/* but for the live keys */
		/* The same allow_dir, maybe other keys in it: no restart. */
		if (ncw->curve.allow_dir[0] != '\0' &&
		    w->sup.state == SUP_READY && w->pid > 0 &&
		    kill(w->pid, SIGHUP) == 0)
			log_info("%s: asked to read allow_dir %s again", w->id,
			    ncw->curve.allow_dir);
		return;
	}
	servers_wk_configure(w, nc, ncw, w->replica);
	log_notice("%s: configuration changed", w->id);
	if (w->sup.state != SUP_STOPPED)	/* an operator's stop holds */
		servers_wk_event(s, w, SUP_EV_RESTART, 0);
}

/* Apply a validated new config: unchanged workers keep their process,
 * changed ones restart, removed ones stop, added ones start. Takes nc. */
int
servers_wk_apply(struct servers *s, struct conf *nc)
{
	size_t i, n = s->nw;
	struct wk *w;
	int r;

	for (i = 0; i < n; i++)
		if (!s->w[i].removed)
			servers_wk_apply_one(s, &s->w[i], nc);
	for (i = 0; i < nc->nworkers; i++)
		for (r = 0; r < nc->workers[i].replicas; r++) {
			if (servers_wk_find(s, nc->workers[i].name, r) != NULL)
				continue;
			w = servers_wk_new(s, nc, &nc->workers[i], r);
			log_notice("%s: added", w->id);
			servers_wk_event(s, w, SUP_EV_START, 0);
		}
	conf_free(&s->conf);
	s->conf = nc;
	servers_wk_gc(s);
	return 0;
}
