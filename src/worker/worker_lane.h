/* worker_lane.h: the lane route: requests and replies through a lane's
 * pipes (lane.h, doc/shm.md "Lanes").
 *
 * A lane is opened when a request over the socket first names it, and
 * closed with its ring. Its requests are served like the socket's; their
 * replies, and errors, go back only through the lane.
 */
#ifndef FS_WORKER_LANE_H
#define FS_WORKER_LANE_H

#include <poll.h>

#include "worker_priv.h"

#define WORKER_LANES	64	/* open at once */

extern const struct worker_route worker_lane_route;

struct worker_lanes *worker_lane_new(void);
void	worker_lane_free(struct worker_lanes **);

/* The request pipes of the lanes open, for poll(2); lane_of[i] is the
 * lane of fds[i], for worker_lane_serve. */
int	worker_lane_poll(const struct worker_lanes *, struct pollfd *fds,
	    int max, int *lane_of);
/* Serve the next message waiting in lane i, if any: malformed ones are
 * logged and dropped, the rest get a reply or an error through the lane. */
void	worker_lane_serve(struct worker *, int i);
/* A request over the socket named lane q->lane of its ring: open it, once,
 * for the next ones. */
void	worker_lane_offer(struct worker *, const struct wire_shm *q);
/* Close the lanes of rings no longer mapped. */
void	worker_lane_sweep(struct worker *);

#endif
