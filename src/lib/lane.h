/* lane.h: doorbell lanes of the shared-memory transport.
 *
 * A lane is a pair of named pipes beside a ring, one from the client to a
 * worker (".req") and one back (".rep"), numbered by the client's
 * endpoint. A pipe wakes the process polling it directly; a libzmq
 * message passes through an I/O thread on each side first, which costs
 * several times more after an idle wait (doc/shm.md, "Lanes").
 *
 * Each request travels one way only. The first to an endpoint goes over
 * ZeroMQ and names its lane; the worker then opens the lane, and the
 * client sends that endpoint's later requests through the request pipe
 * instead of the socket (over the socket still while an earlier request
 * is queued there, to keep them in order, or when the pipe cannot take
 * it). A request that came through a lane is answered through its
 * reply pipe, one that came over ZeroMQ over ZeroMQ; a reply too large for
 * one lane message is replaced by an error with "lane_full", and the
 * client sends that request and the endpoint's later ones over ZeroMQ.
 *
 * A lane message is one write(2) of at most LANE_MSG_MAX bytes, which a
 * pipe delivers whole: [u32 header length][u32 payload length][header]
 * [payload], lengths in host order (both ends are on one host).
 */
#ifndef FS_LANE_H
#define FS_LANE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define LANE_MSG_MAX	PIPE_BUF	/* written atomically */
#define LANE_PREFIX	8		/* the two lengths */
#define LANE_PATH_MAX	128

enum lane_dir { LANE_REQ, LANE_REP };

/* SHM_DIR "/<ring without its slash>.<lane>.req" (or ".rep"): 0, or -1
 * when ring is not a ring name or lane is out of range. */
int	lane_path(char *buf, size_t len, const char *ring, int lane,
	    enum lane_dir);
/* The reverse, for the name of a file in SHM_DIR with a leading slash: 1
 * when name is "<ring>.<lane>.req" or ".rep", 0 when it has no dot (it
 * may be a ring's), -1 for another name with a dot. Unless -1, ring (len
 * bytes) gets name without a lane's suffix. */
int	lane_path_ring(const char *name, char *ring, size_t len);

/* Client: make both pipes of a lane (mode 0660, the ring's group) and open
 * the reply pipe for reading; the request pipe is opened by
 * lane_open_req once its worker has opened it. 0 with *repfd, or -1 with
 * the reason in err. */
int	lane_create(const char *ring, int lane, int *repfd, char *err,
	    size_t errlen);
/* Client: the request pipe for writing, -1 (errno ENXIO) while no worker
 * reads it. */
int	lane_open_req(const char *ring, int lane);
/* Client: remove both pipes of a lane. */
void	lane_unlink(const char *ring, int lane);

/* Worker: open a lane of a ring created by uid: the request pipe to read
 * (emptied of requests left from before) and the reply pipe to write. 0,
 * or -1 with the reason in err (no such pipes, not pipes, another owner). */
int	lane_open(const char *ring, int lane, uint32_t uid, int *reqfd,
	    int *repfd, char *err, size_t errlen);

/* Does a message of these lengths fit one write (LANE_MSG_MAX)? */
int	lane_fits(size_t hlen, size_t plen);
/* Write one message without blocking: 0, or -1 with errno (EMSGSIZE when
 * it does not fit LANE_MSG_MAX, EAGAIN when the pipe is full, EPIPE when
 * nobody reads it). */
int	lane_send(int fd, const void *hdr, size_t hlen, const void *pay,
	    size_t plen);
/* Read one message into buf (at least LANE_MSG_MAX bytes): 1 with the
 * header at buf[0..*hlen) and the payload right after it, 0 when the pipe
 * is empty, -1 with the reason in err for a malformed message (the pipe is
 * then emptied: nothing after it can be trusted to start a message). */
int	lane_recv(int fd, unsigned char *buf, size_t len, size_t *hlen,
	    size_t *plen, char *err, size_t errlen);
/* Pure: check the prefix of a message of n bytes (fuzzed). */
int	lane_prefix_check(const unsigned char *p, size_t n, size_t *hlen,
	    size_t *plen, char *err, size_t errlen);

#endif
