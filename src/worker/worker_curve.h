/* worker_curve.h: fake-worker as a CURVE server (doc/curve.md).
 *
 * With --curve-secret the worker's socket is a CURVE server with that key
 * pair, and the context's ZAP handler admits the client keys of
 * --curve-allow DIR (or any key with --curve-allow-any). The handler and a
 * SIGHUP signalfd (read DIR again) are polled in the worker's own loop.
 */
#ifndef FS_WORKER_CURVE_H
#define FS_WORKER_CURVE_H

#include <poll.h>

struct worker_curve;
struct worker_opts;

#define WORKER_CURVE_FDS	2	/* poll(2) entries it adds */

/* Read the key pair and the allow list, bind the ZAP handler in zctx:
 * before the socket binds. An exit status; *wc stays NULL without
 * --curve-secret. */
int	worker_curve_open(void *zctx, const struct worker_opts *,
	    struct worker_curve **wc);
/* Make sock a CURVE server with our key pair: 0, or -1 (logged). */
int	worker_curve_sockopts(const struct worker_curve *, void *sock);
/* Its entries into fds[] (the ZAP handler's ZMQ_FD, SIGHUP's signalfd):
 * how many, 0 without CURVE. */
int	worker_curve_pollfds(const struct worker_curve *, struct pollfd *fds);
/* 1 while ZAP requests may wait that its ZMQ_FD will not signal again:
 * the loop must not block. */
int	worker_curve_busy(const struct worker_curve *);
/* After the poll: answer ZAP requests, read allow_dir again on SIGHUP. */
void	worker_curve_events(struct worker_curve *, const struct pollfd *fds);
void	worker_curve_free(struct worker_curve **);

#endif
