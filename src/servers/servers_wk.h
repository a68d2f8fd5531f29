/* servers_wk.h: the table of worker processes fake-servers supervises, and
 * the daemon's state built around it (struct servers). The modules above it
 * include it (servers_cmd.c, servers_daemon.c, the stats and servers.c,
 * main and the event loop); it calls none of them but the stats, which
 * call nothing of it. */
#ifndef FS_SERVERS_WK_H
#define FS_SERVERS_WK_H

#include <stdint.h>
#include <sys/types.h>

#include "conf.h"
#include "control.h"
#include "forksrv.h"
#include "notify.h"
#include "servers_dev.h"
#include "stats.h"
#include "sup.h"

#define SERVERS_WK_ID_MAX	(CONF_NAME_MAX + 16)
#define SERVERS_WK_EP_MAX	(CONF_PATH_MAX + 64)

/* One supervised process: a worker's replica. */
struct wk {
	char	id[SERVERS_WK_ID_MAX];	/* NAME, or NAME:R with replicas */
	int	replica;
	struct conf_worker cw;		/* its config (a copy) */
	const char *endpoint;		/* what it binds (conf_intern) */
	const char *spawned_ep;		/* what the last process was given */
	double	coef;			/* global x worker coefficient */
	struct sup_policy pol;
	struct sup sup;
	pid_t	pid;			/* 0 when not running */
	pid_t	last_pid;		/* the last one reaped */
	int	removed;		/* dropped from the config: forget once stopped */
	long	stats_slot;		/* its request counters (stats.h) */
};

struct servers {
	struct conf *conf;
	const char *conf_path;
	const char *sock_path;		/* -s, or NULL for the config's */
	const char *worker_path;
	const char *cwd;		/* --daemon: where it started, else NULL */
	int	verbose;
	int	daemon_fd;		/* --daemon: the waiting parent, else -1 */
	char	**env;			/* the workers' environment */
	struct forksrv fs;		/* what starts the workers */
	struct notify notify;
	struct control control;
	int	sigfd;
	struct wk *w;
	size_t	nw, capw;
	int	stopping;		/* shutting down */
	int	sd_ready;		/* READY=1 sent to our own supervisor */
	uint64_t wd_interval, wd_next;	/* WATCHDOG=1 pings, 0 if off */
	char	summary[128];		/* the last STATUS= sent */
	struct stats stats;		/* counters, metrics listener */
	struct servers_devs devs;	/* the devices' files */
};

int	 servers_wk_add_all(struct servers *, const struct conf *);
void	 servers_wk_event(struct servers *, struct wk *, enum sup_event, int arg);
void	 servers_wk_gc(struct servers *);
uint64_t servers_wk_deadline(const struct servers *);
void	 servers_wk_timers(struct servers *, uint64_t now);
void	 servers_wk_reap(struct servers *);
void	 servers_wk_notify(struct servers *);
int	 servers_wk_apply(struct servers *, struct conf *newconf);
int	 servers_wk_count(const struct servers *, enum sup_state);
int	 servers_wk_total(const struct servers *);	/* not removed */
/* "2/3 workers ready, 1 failed, 74 req/s[, stopping]". */
void	 servers_wk_summary(const struct servers *, char *buf, size_t len);
int	 servers_wk_running(const struct servers *);

#endif
