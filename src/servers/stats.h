/* stats.h: what fake-servers knows of its workers' requests and of its own
 * supervision, for the metrics page (expo.c), `fake-serversctl stats` and
 * the request rate of the STATUS line.
 *
 * Each replica gets a slot of the counters file (wkstats.h) when it enters
 * the table, for as long as it stays there: its restarts go on counting in
 * the same slot, so its counters never go down. The metrics listener
 * (metrics.h) is polled by the daemon's loop like its other sockets.
 */
#ifndef FS_STATS_H
#define FS_STATS_H

#include <poll.h>
#include <stdint.h>

#include "metrics.h"
#include "wkstats.h"

#define STATS_TICK_NS	(5 * 1000000000ull)	/* the rate's window */
#define STATS_NOSLOT	(-1L)

struct servers;
struct wk;
struct metrics;
struct conf;

struct stats {
	struct wkstats_file file;
	struct metrics *http;	/* NULL: metrics off */
	metrics_page page;	/* what it serves (expo_page) */
	uint64_t reloads;	/* successful reloads */
	uint64_t gone;		/* requests of replicas no longer in the table */
	uint64_t tick_at;	/* the rate's last sample: when, and the total */
	uint64_t tick_total;
	double	 rate;		/* requests a second over the last window */
	int64_t	 wall_offset;	/* CLOCK_REALTIME - CLOCK_MONOTONIC, in ns */
};

/* Can a configuration's metrics be served: libmicrohttpd loaded when it
 * sets them (metrics_load). 0, or -1 with why. */
int	 stats_check(const struct conf *, char *why, size_t len);
/* Open the counters file and, when the config asks, the metrics listener
 * serving page (expo_page: given here, so that the figures' module and
 * this one do not call each other): 0, or the exit status when the
 * listener cannot be had (logged): FS_EXIT_UNAVAIL without libmicrohttpd,
 * FS_EXIT_FAILURE when its address cannot be listened on. */
int	 stats_open(struct servers *, metrics_page page);
void	 stats_close(struct servers *);
/* A reload: a new metrics address moves the listener. */
void	 stats_reload(struct servers *, const struct conf *newconf);

/* A replica entered or left the table; its process exited. */
void	 stats_wk_add(struct servers *, struct wk *);
void	 stats_wk_drop(struct servers *, struct wk *);
void	 stats_wk_exit(struct servers *, struct wk *);
/* Its counters: 0, or -1 when it has no slot. */
int	 stats_wk_read(const struct servers *, const struct wk *,
	    struct wkstats *);
/* The counters file's descriptor for a child, and its slot's argument. */
int	 stats_wk_fd(const struct servers *, const struct wk *);

/* The event loop: descriptors to poll (0 or 1), the nearest deadline (0:
 * none), and the work once poll returns. */
int	 stats_pollfds(const struct servers *, struct pollfd *, int max);
uint64_t stats_deadline(const struct servers *);
void	 stats_dispatch(struct servers *, uint64_t now);

/* ", 74 req/s" for the summary. */
void	 stats_rate_str(const struct servers *, char *buf, size_t len);
/* The wall-clock time (s since the epoch) of a CLOCK_MONOTONIC time. */
double	 stats_wall(const struct servers *, uint64_t mono_ns);
/* The reply to the control command "stats". */
char	*stats_cmd(struct servers *);

#endif
