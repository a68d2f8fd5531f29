/* servers_cmd.c: what fake-servers does with a control request (status,
 * stats, start, stop, restart, reset, reload, set), and the reload SIGHUP
 * asks for too. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "clock.h"
#include "ctlproto.h"
#include "log.h"
#include "servers_cmd.h"
#include "servers_live.h"
#include "servers_opts.h"
#include "servers_wk.h"

static json_t *
servers_cmd_wk_json(const struct wk *w, uint64_t now)
{
	char last[64] = "";
	json_t *o;
	double up = 0;

	if (w->sup.has_exit)
		sup_status_str(w->sup.last_status, last, sizeof last);
	if (w->pid > 0)
		up = (double)(now - w->sup.started) / 1e9;
	o = json_pack("{s:s, s:s, s:i, s:s, s:s, s:f, s:f, s:f, s:s, s:i, s:f, s:i}",
	    "id", w->id, "name", w->cw.name, "replica", w->replica,
	    "kind", conf_kind_name(w->cw.kind), "endpoint", w->endpoint,
	    "cost_ms", w->cw.cost_ms * w->coef, "base_cost_ms", w->cw.cost_ms,
	    "coef", w->coef, "state", sup_state_name(w->sup.state),
	    "pid", (int)w->pid, "uptime_s", up, "restarts", (int)w->sup.restarts);
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "last_exit", last[0] ? json_string(last) : json_null());
	json_object_set_new(o, "cause", json_string(w->sup.cause));
	json_object_set_new(o, "restart", json_string(conf_restart_name(w->cw.restart.mode)));
	json_object_set_new(o, "device", w->cw.device[0] ?
	    json_string(w->cw.device) : json_null());
	json_object_set_new(o, "batch_max", json_integer(w->cw.batch.max));
	servers_live_json(w, o);
	return o;
}

static char *
servers_cmd_status(struct servers *s)
{
	uint64_t now = clock_now_ns();
	json_t *arr = json_array(), *o;
	char sum[128];
	size_t i;

	for (i = 0; i < s->nw; i++)
		if (!s->w[i].removed)
			json_array_append_new(arr, servers_cmd_wk_json(&s->w[i], now));
	servers_wk_summary(s, sum, sizeof sum);
	o = json_pack("{s:i, s:s, s:s, s:b, s:o}", "pid", (int)getpid(),
	    "config", s->conf->path, "summary", sum, "stopping", s->stopping,
	    "workers", arr);
	if (o == NULL)
		return ctlproto_reply_error("out of memory");
	return ctlproto_reply_ok(o);
}

/* Does this replica answer to name: "all", NAME (every replica), its id,
 * or NAME:R? */
static int
servers_cmd_match(const struct wk *w, const char *name)
{
	char alt[SERVERS_WK_ID_MAX];

	if (strcmp(name, "all") == 0 || strcmp(name, w->cw.name) == 0 ||
	    strcmp(name, w->id) == 0)
		return 1;
	snprintf(alt, sizeof alt, "%s:%d", w->cw.name, w->replica);
	return strcmp(name, alt) == 0;
}

/* Is the worker already where the command would take it (a stopped one
 * for stop, a running one for start)? */
static int
servers_cmd_already(const struct wk *w, enum ctl_cmd cmd)
{
	enum sup_state st = w->sup.state;

	if (cmd == CTL_STOP)
		return st == SUP_STOPPED;
	if (cmd == CTL_START)
		return st == SUP_STARTING || st == SUP_READY;
	return 0;
}

/* The reply lists the workers the command applied to, and among them
 * those it left as they were ("already"). */
static char *
servers_cmd_each(struct servers *s, const struct ctl_req *r)
{
	static const enum sup_event ev[] = {
		[CTL_START] = SUP_EV_START, [CTL_STOP] = SUP_EV_STOP,
		[CTL_RESTART] = SUP_EV_RESTART, [CTL_RESET] = SUP_EV_RESET,
	};
	json_t *done = json_array(), *already = json_array();
	size_t i;

	for (i = 0; i < s->nw; i++) {
		if (s->w[i].removed || !servers_cmd_match(&s->w[i], r->name))
			continue;
		log_info("%s: %s requested", s->w[i].id, ctlproto_cmd_name(r->cmd));
		if (servers_cmd_already(&s->w[i], r->cmd))
			json_array_append_new(already, json_string(s->w[i].id));
		servers_wk_event(s, &s->w[i], ev[r->cmd], 0);
		json_array_append_new(done, json_string(s->w[i].id));
	}
	if (json_array_size(done) == 0 && strcmp(r->name, "all") != 0) {
		json_decref(done);
		json_decref(already);
		return ctlproto_reply_error("unknown worker '%s'", r->name);
	}
	return ctlproto_reply_ok(json_pack("{s:o, s:o}", "workers", done,
	    "already", already));
}

/* set NAME KEY=VALUE...: every replica's values checked before any
 * replica takes them, so that a refused one changes nothing. */
static char *
servers_cmd_set(struct servers *s, const struct ctl_req *r)
{
	struct conf_worker cw;
	json_t *done;
	char err[512];
	size_t i, n = 0;

	for (i = 0; i < s->nw; i++) {
		if (s->w[i].removed || !servers_cmd_match(&s->w[i], r->name))
			continue;
		if (servers_live_try(s, &s->w[i], r, &cw, err, sizeof err) == -1)
			return ctlproto_reply_error("worker '%s': %s",
			    s->w[i].cw.name, err);
		n++;
	}
	if (n == 0)
		return ctlproto_reply_error("unknown worker '%s'", r->name);
	done = json_array();
	for (i = 0; i < s->nw; i++) {
		if (s->w[i].removed || !servers_cmd_match(&s->w[i], r->name))
			continue;
		servers_live_try(s, &s->w[i], r, &cw, err, sizeof err);
		servers_live_take(s, &s->w[i], &cw);
		log_notice("%s: set %s%s", s->w[i].id, r->set[0],
		    r->nset > 1 ? " ..." : "");
		json_array_append_new(done, json_string(s->w[i].id));
	}
	return ctlproto_reply_ok(json_pack("{s:o}", "workers", done));
}

/* The end of a reload; before startup is complete, READY=1 waits for
 * every worker to settle as usual. */
static void
servers_cmd_reloaded(struct servers *s)
{
	if (s->sd_ready)
		sd_notify(0, "READY=1");
}

/* A reload refused for a reason of the new configuration's: nothing of
 * it taken. */
static int
servers_cmd_refuse(struct servers *s, struct conf **nc, const char *why,
    char *err, size_t errlen)
{
	log_warnx("reload failed: %s; keeping the running configuration", why);
	snprintf(err, errlen, "reload failed, running configuration kept: %s",
	    why);
	conf_free(nc);
	servers_cmd_reloaded(s);
	return -1;
}

int
servers_cmd_reload(struct servers *s, char *err, size_t errlen)
{
	struct conf_errors errs = { 0 };
	struct conf *nc;
	char why[512];
	size_t i;

	sd_notify(0, "RELOADING=1");
	log_notice("reloading %s", s->conf_path);
	if ((nc = conf_load(s->conf_path, CONF_F_SERVERS, &errs)) == NULL ||
	    servers_opts_conf(s->cwd, nc) == -1) {
		for (i = 0; i < errs.n; i++)
			log_warnx("%s", errs.msg[i]);
		log_warnx("reload failed (%zu error%s): keeping the running configuration",
		    errs.n, errs.n == 1 ? "" : "s");
		snprintf(err, errlen, "reload failed, running configuration kept: %s%s",
		    errs.n > 0 ? errs.msg[0] : "a path too long, see the log",
		    errs.n > 1 ? " (and more, see the log)" : "");
		conf_errors_free(&errs);
		conf_free(&nc);
		servers_cmd_reloaded(s);
		return -1;
	}
	conf_errors_free(&errs);
	if (stats_check(nc, why, sizeof why) == -1 ||
	    servers_dev_open(&s->devs, nc, why, sizeof why) == -1)
		return servers_cmd_refuse(s, &nc, why, err, errlen);
	conf_warnings_log(nc);
	stats_reload(s, nc);
	if (s->sock_path == NULL && strcmp(nc->control, s->conf->control) != 0)
		log_warnx("reload: the control socket moves only on restart (still %s)",
		    s->control.path);
	if (strcmp(nc->control_group, s->conf->control_group) != 0)
		log_warnx("reload: control_group changes only on restart");
	servers_wk_apply(s, nc);
	servers_cmd_reloaded(s);
	log_notice("reloaded %s", s->conf_path);
	return 0;
}

char *
servers_cmd_handle(const char *buf, size_t len, void *arg)
{
	struct servers *s = arg;
	struct ctl_req r;
	char err[512];

	if (ctlproto_parse_request(buf, len, &r, err, sizeof err) == -1) {
		log_info("control: bad request: %s", err);
		return ctlproto_reply_error("%s", err);
	}
	if (r.cmd == CTL_STATUS)
		return servers_cmd_status(s);
	if (r.cmd == CTL_STATS)
		return stats_cmd(s);
	if (s->stopping)
		return ctlproto_reply_error("fake-servers is shutting down");
	if (r.cmd == CTL_RELOAD) {
		if (servers_cmd_reload(s, err, sizeof err) == -1)
			return ctlproto_reply_error("%s", err);
		return ctlproto_reply_ok(NULL);
	}
	if (r.cmd == CTL_SET)
		return servers_cmd_set(s, &r);
	return servers_cmd_each(s, &r);
}
