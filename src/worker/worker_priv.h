/* worker_priv.h: what fake-worker's modules share.
 *
 * Every request, whichever way it came, is turned into a struct
 * worker_req (its parsed header, a view of its payload and the route its
 * reply takes) before anything is computed (worker_serve.c). A route
 * (worker_sock.c: the ROUTER socket; worker_lane.c: a lane's pipes) owns
 * how its requests arrive and the one function that sends their replies.
 * The shared-memory code is asked twice (worker_shm.c): where the input
 * is, and where the output goes.
 */
#ifndef FS_WORKER_PRIV_H
#define FS_WORKER_PRIV_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <zmq.h>

#include "kind.h"
#include "wire.h"
#include "worker_opts.h"

struct worker;
struct worker_req;

struct worker_route {
	/* May this request, its input resolved, go this way? 0, or -1
	 * with r->err. */
	int	(*admit)(struct worker *, struct worker_req *);
	/* Send a reply back the way its request came: hlen bytes of header
	 * (NULL: the payload alone, as the seed's Hello is sent back) and
	 * the payload (NULL: none), which the caller closes after. 0, or -1
	 * with r->err when this reply cannot go this way (its error goes
	 * instead: worker_serve_send). */
	int	(*reply)(struct worker *, struct worker_req *, const char *hdr,
		    size_t hlen, zmq_msg_t *payload);
	/* A request kept while it waits for its batch (worker_queue.c):
	 * let go of it once answered. NULL for a route that keeps none. */
	void	(*release)(struct worker *, struct worker_req *);
};

struct worker_req {
	const struct worker_route *route;
	int	 lane;		/* the lane it came through (worker_lane.c) */
	uint64_t t0;		/* when it was received */
	uint64_t start;		/* when its cost began: t0, unless it
				 * waited for its batch or the device */
	uint64_t cost_ns;	/* its cost (its batch's), from start */
	unsigned nexec;		/* counted as computing this many (wkstats.h):
				 * 1, a batch's size on its first, else 0 */
	int	 batch;		/* the size of its batch, 0 if none */
	int	 queue_full;	/* refused: the batch queue was full */
	int	 injected;	/* its error is an injected fault, logged */
	struct wire_header h;	/* parsed once */
	const void *pay;	/* the payload, paylen bytes */
	size_t	 paylen;
	zmq_msg_t *paymsg;	/* the payload as received, or NULL */
	const void *in;		/* its array: the payload, or in a ring */
	int	 lane_full;	/* its reply did not fit its lane */
	char	 err[WIRE_ERRLEN];
};

/* The reply being built: its header (the output array first), its payload
 * and, for a kind computed late, where to compute it. */
struct worker_reply {
	struct wire_header h;
	zmq_msg_t payload;
	void	*late;		/* to compute into, NULL when done */
};

struct worker {
	const struct worker_opts *o;
	const struct kind *kind;
	kind_compute_fn *compute;	/* the kind's: kind_compute */
	struct kind_ctx kctx;
	int	 sigfd;
	int	 stopping;	/* a signal cut the last cost short */
	uint64_t cost_ns;	/* fixed: every request's */
	uint64_t warm_ns;	/* a warm-up request's */
	long	 warm_left;	/* requests still to serve at warm_ns */
	struct rng crng;	/* the cost's draws, from the seed */
	int	 faulty;	/* a fault rate is set (fault_any) */
	/* Its options' cost and faults, then those the supervisor changed
	 * while it runs (worker_live.c): live_gen is the last taken. */
	struct cost cost;
	struct fault_rates faults;
	uint64_t live_gen;
	double	 late_ns;	/* a late computation's time per output item */
	struct worker_sock *sock;
	struct worker_lanes *lanes;
	struct worker_shm *shm;
	struct worker_pool *pool;
	struct worker_queue *queue;	/* batching (worker_queue.c), or NULL */
	struct device *dev;	/* the shared device, or NULL */
	sigset_t stop;		/* the signals that end a wait for it */
	struct worker_req req;	/* the one being served */
};

#endif
