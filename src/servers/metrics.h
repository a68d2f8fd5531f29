/* metrics.h: the HTTP listener of fake-servers' Prometheus metrics.
 *
 * libmicrohttpd runs from the daemon's own poll loop (external epoll
 * mode): one descriptor to poll and a timeout, no thread, so building a
 * page reads the supervisor's tables without a lock and no HTTP client,
 * however slow or hostile, can hold up supervision. Only GET (or HEAD)
 * of /metrics is served; any other path gets 404, any other method 405.
 * Connections are limited in number, memory and idle time.
 * libmicrohttpd is not linked: it is loaded the first time metrics are
 * configured, so a daemon without them maps none of it.
 */
#ifndef FS_METRICS_H
#define FS_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
#define METRICS_CONNECTIONS_MAX	16
#define METRICS_PER_IP_MAX	8
#define METRICS_TIMEOUT_S	10	/* an idle or slow connection is closed */

struct metrics;

/* The page: a malloc'd text and its length, or NULL (the client gets a
 * 500). */
typedef char *(*metrics_page)(void *arg, size_t *len);

/* Load libmicrohttpd (metrics_dl.h), once: 0, or -1 with why ("metrics:
 * cannot load libmicrohttpd.so.12 (install libmicrohttpd12): ..."). */
int	 metrics_load(char *why, size_t len);
/* Listen on "HOST:PORT" (conf_hostport's forms), libmicrohttpd loaded
 * first: the listener, or NULL after logging why. */
struct metrics *metrics_open(const char *hostport, metrics_page, void *arg);
void	 metrics_close(struct metrics **);
const char *metrics_address(const struct metrics *);
/* What to poll for reading, and by when to run at the latest (a
 * CLOCK_MONOTONIC time in ns, 0: no deadline). */
int	 metrics_fd(const struct metrics *);
uint64_t metrics_deadline(const struct metrics *);
/* Serve whatever is ready; never blocks. */
void	 metrics_run(struct metrics *);

#endif
