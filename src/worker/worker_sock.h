/* worker_sock.h: the socket route: fake-worker's ROUTER socket.
 *
 * One ROUTER socket serves REQ clients (the seed's) and DEALER clients
 * with several requests in flight: libzmq queues them, the worker takes
 * one at a time in arrival order, like a single model instance (or, with
 * batching, keeps them for their batch: worker_queue.c). The
 * socket is created and configured here and nowhere else (its CURVE
 * options through worker_curve.c).
 */
#ifndef FS_WORKER_SOCK_H
#define FS_WORKER_SOCK_H

#include <poll.h>
#include <zmq.h>

#include "worker_priv.h"

extern const struct worker_route worker_sock_route;

/* Create the socket and bind it: an exit status, 0 on success; where it
 * is bound in where. */
int	worker_sock_open(struct worker *, char *where, size_t len);
/* Close the socket and terminate libzmq (which then holds no buffer of
 * ours any more). */
void	worker_sock_close(struct worker_sock **);
/* The socket's ZMQ_FD, for poll(2) (zfd.h: news, not a queue): block on
 * it only while worker_sock_busy() is 0; after the wait, serve it when
 * worker_sock_look() says so for its entry's revents. */
void	worker_sock_pollfd(const struct worker_sock *, struct pollfd *);
int	worker_sock_busy(const struct worker_sock *);
int	worker_sock_look(const struct worker_sock *, short revents);
/* Its CURVE side (worker_curve.h), NULL without CURVE. */
struct worker_curve *worker_sock_curve(const struct worker_sock *);
/* Serve the next request waiting on the socket, if any: 1 if one was. */
int	worker_sock_serve(struct worker *);

#endif
