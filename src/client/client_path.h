/* client_path.h: an endpoint's path to its worker.
 *
 * Every endpoint has a DEALER (client_net.c). A worker that takes shared
 * memory gets requests naming its frames' slots in the ring
 * (client_shm.c) instead of carrying them, through the endpoint's lane
 * (client_lane.c) once its worker has opened it. This module owns all of
 * it: it sends, polls, receives, keeps each endpoint's requests
 * outstanding with what they hold, and falls back; the modes see
 * endpoints, frames and replies.
 */
#ifndef FS_CLIENT_PATH_H
#define FS_CLIENT_PATH_H

#include <stddef.h>
#include <stdint.h>

#include "client_types.h"

/* The I/O threads an endpoint's sends may use (client_ep.affinity). */
#define CLIENT_PATH_IO_THREADS	2

struct client_path_stats {		/* one target's, for the report */
	int	shm;			/* its frames go through shared memory */
	long	by_lane;		/* requests sent through a lane */
	long	out_in_slot;		/* replies whose output was in the ring */
};

/* Connect every endpoint, waiting up to timeout_ms for them (each one up
 * has its connected set): how many are up, or -1 when one cannot
 * connect. free closes everything, the frame source and the ring too. */
int	client_path_open(struct client *, double timeout_ms);
void	client_path_free(struct client *);

/* The frame history (c->fs) for depth evaluations in flight: in the ring
 * when a worker takes shared memory, else in memory. 0, or -1 when it
 * cannot be allocated. */
int	client_path_frames(struct client *, int depth);

/* Is endpoint ep's socket open; how many requests are outstanding on it. */
int	client_path_up(const struct client *, int ep);
int	client_path_queued(const struct client *, int ep);

/* Send endpoint ep the input of frame: its target's window of frames from
 * c->fs, by whichever way the target takes. 0, or -1 with errno: EAGAIN
 * when the endpoint has no connection (not yet, or no longer). */
int	client_path_send(struct client *, int ep, int64_t frame);
/* An endpoint found without a connection (at the start, by a send, or
 * reset): until when a request may wait for it, its --connect-timeout-ms
 * from then; 0 when it is taken to be connected. */
uint64_t client_path_wait_until(const struct client *, int ep);
/* Have client_path_poll wake up as soon as the endpoint can take a
 * request (on), or not (off). */
void	client_path_watch(struct client *, int ep, int on);
/* Send a message of the mode's own over the socket: ffn(data, hint) is
 * called once data is no longer needed, data NULL and ffn NULL send the
 * header alone. A frame >= 0 is the id its reply is matched by. 0, or -1
 * with errno. */
int	client_path_send_msg(struct client *, int ep, int64_t frame,
	    const char *hdr, size_t hlen, void *data, size_t len,
	    void (*ffn)(void *, void *), void *hint);

/* The endpoint did not answer in time: close and reopen its socket; what
 * was outstanding on it is lost: the frames go in lost[] (CLIENT_FIFO
 * of them, or NULL) and their number is returned. */
int	client_path_reset(struct client *, int ep, int64_t *lost);

/* Wait up to ms (-1 forever) for replies, and hand each to fn with its
 * endpoint, lanes first: 1 when the signal fd is readable, else 0. */
typedef void client_path_fn(void *arg, int ep, const struct client_reply *);
int	client_path_poll(struct client *, long ms, client_path_fn *fn,
	    void *arg);
/* Wait until deadline_ns for a reply from an endpoint in want[] (those
 * from others are counted late): its endpoint, -1 on timeout, -2 on a
 * signal. */
int	client_path_wait(struct client *, const char *want,
	    uint64_t deadline_ns, struct client_reply *);

void	client_path_stats(const struct client *, int t,
	    struct client_path_stats *);

#endif
