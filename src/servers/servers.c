/* servers.c: fake-servers, the supervisor of the fake workers.
 *
 * main() blocks the signals it handles before anything else, loads the
 * config, takes the control socket and runs one ppoll() loop over a
 * signalfd, the workers' notify socket and the control socket, with the
 * timeout from the nearest CLOCK_MONOTONIC deadline. It reports to systemd
 * (READY=1 once every worker is READY or FAILED, STATUS=, WATCHDOG=1,
 * RELOADING=1, STOPPING=1).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "clock.h"
#include "expo.h"
#include "exitcode.h"
#include "log.h"
#include "proc.h"
#include "servers_cmd.h"
#include "servers_daemon.h"
#include "servers_opts.h"
#include "servers_wk.h"

#define SERVERS_POLL_MAX	(3 + CONTROL_CLIENTS_MAX + 2)

/* Load the config, printing every error as file:line: message. */
static struct conf *
servers_load(const char *path)
{
	struct conf_errors errs = { 0 };
	struct conf *c;

	if ((c = conf_load(path, CONF_F_SERVERS, &errs)) == NULL)
		conf_errors_print(stderr, &errs);
	else
		conf_warnings_log(c);
	conf_errors_free(&errs);
	return c;
}

/* The group of control_group, resolved here rather than by the pure
 * conf_validate: 0 with *gid ((gid_t)-1 when unset), or -1 after saying
 * why as a config error. */
static int
servers_control_gid(const struct conf *c, gid_t *gid)
{
	struct group gr, *res = NULL;
	char buf[16384];
	int err;

	*gid = (gid_t)-1;
	if (c->control_group[0] == '\0')
		return 0;
	err = getgrnam_r(c->control_group, &gr, buf, sizeof buf, &res);
	if (res != NULL) {
		*gid = gr.gr_gid;
		return 0;
	}
	if (err != 0 && err != ENOENT && err != ESRCH) {
		errno = err;
		log_warn("cannot look up control_group '%s'", c->control_group);
	} else
		fprintf(stderr, "%s:%d: control_group: no group named '%s'\n",
		    c->path, c->key_line[TK_CONTROL_GROUP], c->control_group);
	return -1;
}

static int
servers_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGPIPE);
	return sigprocmask(SIG_BLOCK, set, NULL);
}

static void
servers_shutdown(struct servers *s)
{
	size_t i;

	if (s->stopping) {
		log_notice("second stop request: killing every worker now");
		for (i = 0; i < s->nw; i++)
			if (s->w[i].pid > 0)
				proc_signal(s->w[i].pid, SIGKILL);
		return;
	}
	s->stopping = 1;
	sd_notify(0, "STOPPING=1");
	log_notice("stopping %d worker process%s", servers_wk_running(s),
	    servers_wk_running(s) == 1 ? "" : "es");
	for (i = 0; i < s->nw; i++)
		servers_wk_event(s, &s->w[i], SUP_EV_STOP, 0);
}

static void
servers_sd_status(struct servers *s)
{
	char sum[sizeof s->summary];
	size_t i;
	int settled = 1;

	servers_wk_summary(s, sum, sizeof sum);
	if (strcmp(sum, s->summary) != 0) {
		snprintf(s->summary, sizeof s->summary, "%s", sum);
		sd_notifyf(0, "STATUS=%s", sum);
		log_info("status: %s", sum);
	}
	if (s->sd_ready || s->stopping)
		return;
	for (i = 0; i < s->nw; i++)
		settled &= sup_is_settled(&s->w[i].sup);
	if (settled) {
		sd_notify(0, "READY=1");
		s->sd_ready = 1;
		log_notice("ready: %s", sum);
		/* What start-up freed (the config's parse, the table grown
		 * worker by worker) goes back to the system, not kept. */
		malloc_trim(0);
		if (servers_daemon_report(s) == -1)
			servers_shutdown(s);
	}
}

static void
servers_on_signal(struct servers *s)
{
	struct signalfd_siginfo si;
	char err[512];

	while (read(s->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			servers_wk_reap(s);
			break;
		case SIGHUP:
			if (!s->stopping)
				servers_cmd_reload(s, err, sizeof err);
			break;
		case SIGTERM:
		case SIGINT:
			log_notice("%s received", strsignal((int)si.ssi_signo));
			servers_shutdown(s);
			break;
		default:
			break;
		}
	}
}

static uint64_t
servers_deadline(const struct servers *s)
{
	uint64_t d = servers_wk_deadline(s), m = stats_deadline(s);

	if (m != 0 && (d == 0 || m < d))
		d = m;
	if (s->wd_interval != 0 && (d == 0 || s->wd_next < d))
		d = s->wd_next;
	return d;
}

static void
servers_watchdog(struct servers *s, uint64_t now)
{
	if (s->wd_interval == 0 || now < s->wd_next)
		return;
	sd_notify(0, "WATCHDOG=1");
	s->wd_next = now + s->wd_interval;
}

static int
servers_loop(struct servers *s)
{
	struct pollfd pfd[SERVERS_POLL_MAX];
	struct timespec ts, *tsp;
	uint64_t d, now;
	int nc, nm;

	while (!s->stopping || servers_wk_running(s) > 0) {
		pfd[0].fd = s->sigfd;
		pfd[1].fd = s->notify.fd;
		pfd[0].events = pfd[1].events = POLLIN;
		nc = control_pollfds(&s->control, pfd + 2, SERVERS_POLL_MAX - 2);
		nm = stats_pollfds(s, pfd + 2 + nc, SERVERS_POLL_MAX - 2 - nc);
		tsp = NULL;
		if ((d = servers_deadline(s)) != 0) {
			now = clock_now_ns();
			ts = clock_ts(d > now ? d - now : 0);
			tsp = &ts;
		}
		if (ppoll(pfd, (nfds_t)(2 + nc + nm), tsp, NULL) == -1 && errno != EINTR)
			fatal("ppoll");
		if (pfd[0].revents & POLLIN)
			servers_on_signal(s);
		if (pfd[1].revents & POLLIN)
			servers_wk_notify(s);
		control_dispatch(&s->control, pfd + 2, nc, servers_cmd_handle, s);
		now = clock_now_ns();
		stats_dispatch(s, now);
		servers_wk_timers(s, now);
		servers_watchdog(s, now);
		servers_wk_gc(s);
		servers_sd_status(s);
	}
	log_notice("all workers stopped, exiting");
	return FS_EXIT_OK;
}

static void
servers_setup(struct servers *s, sigset_t *set)
{
	uint64_t usec;

	if ((s->sigfd = signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		fatal("signalfd");
	if (notify_open(&s->notify) == -1)
		fatal("cannot open the notify socket");
	if ((s->env = proc_env_new(s->notify.env)) == NULL)
		fatal("cannot build the workers' environment");
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		s->wd_interval = usec * 1000 / 2;
		s->wd_next = clock_now_ns();
	}
	srandom((unsigned)(clock_now_ns() ^ (uint64_t)getpid()));
}

static void
servers_end(struct servers *s, struct servers_opts *o)
{
	forksrv_close(&s->fs);
	stats_close(s);
	servers_dev_close(&s->devs);
	control_close(&s->control);
	notify_close(&s->notify);
	proc_env_free(&s->env);
	if (o->pidfile != NULL)
		unlink(o->pidfile);
	free(s->w);
	conf_free(&s->conf);
	if (s->daemon_fd != -1)
		close(s->daemon_fd);	/* the waiting parent exits now */
	servers_opts_free(o);
}

/* Load the config, find the worker program, take the control socket and
 * the metrics' address, saying why not: an exit status, or -1 when the
 * daemon may run. */
static int
servers_start(struct servers *s, struct servers_opts *o)
{
	char err[512];
	gid_t gid;
	int rc;

	if ((s->conf = servers_load(o->conf)) == NULL ||
	    servers_opts_conf(o->cwd, s->conf) == -1 ||
	    servers_control_gid(s->conf, &gid) == -1)
		return FS_EXIT_CONFIG;
	if (servers_opts_worker(o) == -1)
		return FS_EXIT_UNAVAIL;
	s->conf_path = o->conf;
	s->sock_path = o->sock;
	s->worker_path = o->worker;
	s->cwd = o->cwd;
	s->verbose = o->verbose;
	if (control_open(&s->control, o->sock ? o->sock : s->conf->control,
	    gid == (gid_t)-1 ? 0600 : 0660, gid) == -1)
		return FS_EXIT_FAILURE;
	if ((rc = stats_open(s, expo_page)) != 0) {
		control_close(&s->control);
		return rc;
	}
	if (servers_dev_open(&s->devs, s->conf, err, sizeof err) == -1) {
		log_warnx("%s", err);
		servers_dev_close(&s->devs);
		stats_close(s);
		control_close(&s->control);
		return FS_EXIT_UNAVAIL;
	}
	return -1;
}

int
main(int argc, char **argv)
{
	struct servers_opts o;
	struct servers s;
	sigset_t set;
	size_t i;
	int rc, logfd = -1;

	/* First of all: no signal may arrive other than through the signalfd. */
	if (servers_signals(&set) == -1)
		fatal("sigprocmask");
	log_init(argv[0], LOG_LVL_NORMAL);
	servers_opts_parse(argc, argv, &o);
	log_setlevel(o.verbose);
	if (o.check)
		return conf_check(o.conf, CONF_F_CHECK, o.verbose > 0, stdout, stderr);
	memset(&s, 0, sizeof s);
	s.daemon_fd = -1;
	if (o.log != NULL && (logfd = servers_daemon_log_open(o.log)) == -1)
		return FS_EXIT_FAILURE;
	if ((rc = servers_start(&s, &o)) != -1) {
		if (logfd != -1)
			close(logfd);
		conf_free(&s.conf);
		servers_opts_free(&o);
		return rc;
	}
	if (o.daemon)
		s.daemon_fd = servers_daemon_detach(&o, logfd);
	else if (logfd != -1)
		servers_daemon_log_to(logfd);
	servers_setup(&s, &set);
	forksrv_init(&s.fs, s.worker_path, s.env, o.no_fork_server);
	servers_wk_add_all(&s, s.conf);
	log_notice("supervising %zu worker process%s from %s, control socket %s",
	    s.nw, s.nw == 1 ? "" : "es", o.conf, s.control.path);
	for (i = 0; i < s.nw; i++)
		servers_wk_event(&s, &s.w[i], SUP_EV_START, 0);
	servers_sd_status(&s);
	rc = servers_loop(&s);
	servers_end(&s, &o);
	return rc;
}
