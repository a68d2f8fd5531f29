/* client_lane.h: an endpoint's lane (lane.h, doc/shm.md): a pipe each way
 * beside the ring, which wakes the process polling it directly. A request
 * goes through it once its worker has opened it, when nothing is queued
 * on the endpoint's socket for it to overtake; a worker whose replies do
 * not fit a lane message is sent nothing through it again. */
#ifndef FS_CLIENT_LANE_H
#define FS_CLIENT_LANE_H

#include <stddef.h>

#include "client_types.h"

struct client_lane {
	const char *ring;		/* its ring's name, NULL: no lane */
	const char *url;		/* its endpoint's, for log lines */
	int	id;			/* its number in the ring */
	int	req, rep;		/* its pipes, -1 none or not yet open */
	int	n;			/* requests outstanding in it */
	int	off;			/* its replies do not fit it */
	long	sent;			/* requests sent through it */
};

void	client_lane_init(struct client_lane *);
/* Make lane id of the ring for the endpoint at url: 0, or -1 (the reason
 * logged) when it goes over ZeroMQ alone. */
int	client_lane_create(struct client_lane *, const char *ring, int id,
	    const char *url);
/* Remove it (its pipes closed and unlinked). */
void	client_lane_close(struct client_lane *);
/* Its number for a request's "lane" member, -1 none; its reply pipe for
 * poll, -1 none. */
int	client_lane_id(const struct client_lane *);
int	client_lane_fd(const struct client_lane *);
/* Send a request's header through it, with queued requests outstanding
 * on the endpoint: 0, or -1 when it must go over the socket. */
int	client_lane_send(struct client_lane *, const char *hdr, size_t hlen,
	    int queued);
/* Its endpoint was reset: the requests outstanding in it are lost. */
void	client_lane_lost(struct client_lane *);
/* Read the next reply: 1 with r filled, 0 when none is left. */
int	client_lane_recv(struct client_lane *, struct client_reply *r);
/* A reply to a request sent through it came: 1 when it says the reply
 * did not fit the lane, which is then not used again. */
int	client_lane_answered(struct client_lane *, const struct client_reply *);

#endif
