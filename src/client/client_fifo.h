/* client_fifo.h: the requests outstanding on an endpoint, oldest first,
 * and what each holds until its reply comes or its endpoint is reset.
 * Its path (client_path.c) keeps one per endpoint. */
#ifndef FS_CLIENT_FIFO_H
#define FS_CLIENT_FIFO_H

#include <stdint.h>

#include "client_types.h"

struct client_req {
	int64_t	frame;		/* its id */
	int32_t	out;		/* its output slot in the ring, -1 none */
	uint8_t	held;		/* its frames are held in the ring */
	uint8_t	by_lane;	/* sent through the endpoint's lane */
};

struct client_fifo {
	struct client_req q[CLIENT_FIFO];
	int	head, n;
};

void	client_fifo_push(struct client_fifo *, const struct client_req *);
/* The request a reply answers: its "frame" id if outstanding, else the
 * oldest (a REP echoes nothing). 1 with *q, or 0 for a late reply. */
int	client_fifo_take(struct client_fifo *, const struct wire_header *,
	    struct client_req *q);
/* The oldest request: 1 with *q, 0 when there is none. */
int	client_fifo_pop(struct client_fifo *, struct client_req *q);

#endif
