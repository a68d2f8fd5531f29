/* worker_serve.h: a request to its reply, whichever route it came by. */
#ifndef FS_WORKER_SERVE_H
#define FS_WORKER_SERVE_H

#include "worker_priv.h"

/* Start a request that came by route, received now: no header, no
 * payload, no error yet. */
void	worker_serve_begin(struct worker *, struct worker_req *,
	    const struct worker_route *);
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

#endif
