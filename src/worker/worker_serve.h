/* worker_serve.h: a request to its reply, whichever route it came by. */
#ifndef FS_WORKER_SERVE_H
#define FS_WORKER_SERVE_H

#include "worker_priv.h"

/* Start a request that came by route, received now: no header, no
 * payload, no error yet. */
void	worker_serve_begin(struct worker *, struct worker_req *,
	    const struct worker_route *);
/* A request's cost (a warm-up's while it lasts), drawn now. */
uint64_t worker_serve_draw(struct worker *);
/* Serve a request whose header is parsed and payload viewed: compute,
 * wait out the cost, reply (or send the error reply) through its route. */
void	worker_serve(struct worker *, struct worker_req *);
/* Every reply leaves here: through the request's route, then counted
 * for the supervisor's metrics, answered (ok) or as an error. */
void	worker_serve_send(struct worker *, struct worker_req *,
	    const char *hdr, size_t hlen, zmq_msg_t *payload, int ok);
/* Send r->err as the request's error reply, at once. */
void	worker_serve_error(struct worker *, struct worker_req *);
/* Wait out the rest of the request's cost; a signal ends the wait at
 * once: 1 then (w->stopping is set), else 0. */
int	worker_serve_wait(struct worker *, const struct worker_req *);

/* Wait for the shared device, if any, in arrival order: 1 when a signal
 * ended the wait (w->stopping is set), else 0 with the time the cost
 * starts in *start (held, or served off the device when its queue is
 * full). */
int	worker_serve_hold(struct worker *, uint64_t *start);
/* Start a batch of k requests taken from the queue, parsed, not yet
 * checked: draw its cost, their faults, hold the device, check, plan and
 * place each (rep[i] for rq[i]). Those answered at once (an error) or
 * dropped are let go of and taken out: how many are left, in rq[], all
 * ending together at rq[0]->start + rq[0]->cost_ns. */
int	worker_serve_batch_start(struct worker *, struct worker_req **rq,
	    struct worker_reply *rep, int k);
/* End a started batch of n: compute what is computed late, wait for
 * its end, let go of the device, send every reply and let go of them. */
void	worker_serve_batch_end(struct worker *, struct worker_req **rq,
	    struct worker_reply *rep, int n);

#endif
