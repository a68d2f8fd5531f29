/* worker_shm.h: fake-worker's side of the shared-memory transport.
 *
 * A request whose header has an "shm" member carries no payload: its input
 * is read in place from the client's ring, and a large output is written
 * into the output slot the request names, the reply saying "shm_out"
 * instead of carrying the bytes. The rings a worker has mapped stay mapped
 * (shm_cache) until their client dies. See doc/shm.md.
 */
#ifndef FS_WORKER_SHM_H
#define FS_WORKER_SHM_H

#include <stddef.h>
#include <stdint.h>
#include <zmq.h>

#include "wire.h"

struct worker_shm;

struct worker_shm *worker_shm_new(void);
void	worker_shm_free(struct worker_shm **);

/* Where a parsed request's input is: 1 when the request is not a
 * shared-memory one (the payload is its input: check it as usual), 0 with
 * *in pointing at h->nbytes bytes in the ring (paylen must be 0), -1 with
 * the reason in err. Starts a new request: forgets the last one's output. */
int	worker_shm_input(struct worker_shm *, const struct wire_header *h,
	    size_t paylen, const void **in, char *err, size_t errlen);
/* Was the current request's input in shared memory? */
int	worker_shm_active(const struct worker_shm *);
/* Where to write an output of nbytes: the request's output slot when it
 * has one that holds it and the output is larger than SHM_INLINE_MAX;
 * NULL to reply inline. */
void	*worker_shm_out(struct worker_shm *, uint64_t nbytes);
/* Echo's reply to a shared-memory request: the n input bytes copied to
 * the output slot (msg left empty) or, when they do not fit one, into msg.
 * 0, or -1 with the reason in err. */
int	worker_shm_echo(struct worker_shm *, const void *in, uint64_t n,
	    zmq_msg_t *msg, char *err, size_t errlen);
/* The output slot the reply's output was written to ("shm_out"), or -1
 * when it goes inline. */
int32_t	worker_shm_used_out(const struct worker_shm *);

/* Lanes (lane.h): the request pipes of the lanes open, as poll items
 * (lane_of[i] is the lane of items[i], to pass to worker_shm_lane_take).
 * Lanes are opened when a request over ZeroMQ first names them, and
 * closed with their ring. */
#define WORKER_SHM_LANES 64
int	worker_shm_poll(const struct worker_shm *, zmq_pollitem_t *items,
	    int max, int *lane_of);
/* The next message waiting in a lane, its header copied to buf: 1, with
 * err empty, or saying why it cannot be a request (it gets that error
 * reply through the lane); 0 when there is none (malformed messages are
 * logged and dropped). worker_shm_input then refuses a request through a
 * lane that does not name that lane of that ring. */
int	worker_shm_lane_take(struct worker_shm *, int lane, unsigned char *buf,
	    size_t len, size_t *hlen, char *err, size_t errlen);
/* Did the current request come through a lane? Its reply, or its error,
 * then goes back only there: worker_shm_lane_reply. */
int	worker_shm_via_lane(const struct worker_shm *);
void	worker_shm_lane_reply(struct worker_shm *, const void *hdr,
	    size_t hlen, const void *pay, size_t plen);

/* An idle worker must still let go of the rings of clients that are gone:
 * the poll timeout (ms) until the next sweep, -1 while no ring is mapped;
 * then worker_shm_sweep. */
long	worker_shm_timeout_ms(const struct worker_shm *);
void	worker_shm_sweep(struct worker_shm *);

#endif
