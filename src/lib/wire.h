/* wire.h: the message format workers and clients speak (the seed's).
 *
 * A request is two ZeroMQ frames: a JSON header object with "dtype" (a numpy
 * dtype name: "uint8", "float64", "<f8", ...) and "shape" (array of
 * non-negative integers), then the raw C-order bytes: exactly
 * product(shape) x itemsize of them. Unknown keys are ignored; "frame" (an
 * integer id) is returned in the reply; "shm" puts the array in a
 * shared-memory ring instead (doc/shm.md). A reply has the same form and
 * may carry "worker", "frame", "service_us", "cost_us", "queue_us",
 * "batch", "overrun", "interrupted", "t_recv_ns", "t_sent_ns" and
 * "shm_out"; an error reply is {"error": "...", ...} with an empty
 * payload, and may say "lane_full" or "queue_full".
 * See doc/protocol.md.
 *
 * This module alone reads and writes header text: everything else uses
 * struct wire_header, parsed once by wire_header_parse and written by
 * wire_header_write.
 */
#ifndef FS_WIRE_H
#define FS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "compat.h"

#define WIRE_MAXDIM	32
#define WIRE_ERRLEN	256
#define WIRE_HDRMAX	1024	/* room for any header we format */
#define WIRE_RING_MAX	64	/* a ring's name, NUL included */
#define WIRE_LANES	256	/* a request's "lane" is 0 .. WIRE_LANES - 1 */

struct wire_dtype {
	char	name[16];	/* normalised numpy name: "uint8", "float64", ... */
	char	kind;		/* 'u', 'i', 'f', 'b' (bool), 'c' (complex) */
	int	itemsize;	/* bytes per item */
};

/* A request's "shm" member: its array is count frames of a client's ring
 * from slot on (doc/shm.md). Only its syntax is checked here: whether the
 * ring exists and holds those frames is the shared-memory module's
 * question (shm_req_resolve). */
struct wire_shm {
	char	 ring[WIRE_RING_MAX];	/* the ring's name, unchecked */
	uint64_t gen;		/* its generation, < 2^53 */
	uint32_t slot;		/* first frame's slot */
	uint32_t count;		/* frames, contiguous from slot; default 1 */
	int32_t	 out;		/* output slot, -1: reply inline */
	int32_t	 lane;		/* the client's lane to this worker, -1 none */
};

/* Every member the protocol defines. wire_header_init and
 * wire_header_parse leave each one absent as its comment says, and
 * wire_header_write writes only those present. */
struct wire_header {
	struct wire_dtype dtype;
	int	ndim;
	uint64_t shape[WIRE_MAXDIM];
	uint64_t nbytes;	/* product(shape) x itemsize, checked for overflow */
	char	worker[64];	/* reply: the worker's name, "" absent */
	int	has_frame;
	int64_t	frame;		/* request id, when has_frame */
	int	has_shm;	/* request: its array is in a ring */
	struct wire_shm shm;	/* where, when has_shm */
	/* Reply-only members, present when the sender set them. */
	double	service_us;	/* < 0 when absent */
	double	cost_us;	/* < 0 absent: the cost drawn for it */
	double	queue_us;	/* < 0 absent: waited in the worker (its
				 * batch's queue, its device) */
	int	batch;		/* 0 absent: the size of its batch */
	int	overrun;	/* -1 absent, 0/1 */
	int	interrupted;	/* -1 absent, 0/1: cut short by SIGTERM */
	int32_t	shm_out;	/* -1 absent: the output is in this slot */
	uint64_t t_recv_ns;	/* 0 absent: the worker's CLOCK_MONOTONIC when */
	uint64_t t_sent_ns;	/* it received the request, sent the reply */
	int	lane_full;	/* error: the reply did not fit its lane */
	int	queue_full;	/* error: the worker's batch queue was full */
	int	is_object;	/* the frame was a JSON object, even if refused */
	int	is_error;	/* header had "error": then err holds it */
	char	err[WIRE_ERRLEN];
};

/* Format an error into errbuf (when not NULL and errlen > 0); returns -1,
 * for `return wire_fail(...)`. The checks of shm.c and lane.c use it too. */
int	wire_fail(char *errbuf, size_t errlen, const char *fmt, ...)
	    FS_PRINTF(3, 4);

/* Look up a dtype by numpy name ("uint8", "u1", "|u1", "<f8", "float64",
 * "float", "int", "bool"...). Big-endian names ('>') are refused. 0 or -1.
 * (wire_dtype.c) */
int	wire_dtype_lookup(const char *name, struct wire_dtype *out);

/* Every member absent. */
void	wire_header_init(struct wire_header *h);
/* Set the array a header describes: dtype (any name wire_dtype_lookup
 * takes), shape and nbytes. 0, or -1 for an unknown dtype or more than
 * WIRE_MAXDIM dimensions. */
int	wire_header_array(struct wire_header *h, const char *dtype,
	    const uint64_t *shape, int ndim);

/* Parse a header frame. Returns 0, or -1 with a message ("shape[2] is
 * negative", "dtype 'int7' is not a numpy dtype", "shm.slot is missing"
 * ...) in errbuf. A header carrying "error" parses fine with is_error set
 * (and its "shm" member, if any, is not read). */
int	wire_header_parse(const void *buf, size_t len, struct wire_header *h,
	    char *errbuf, size_t errlen);

/* Check a payload's length against the header: 0, or -1 with a message. */
int	wire_payload_check(const struct wire_header *h, size_t len,
	    char *errbuf, size_t errlen);

/* Write h as header text without allocating: a request or a reply
 * ("dtype", "shape", then each member present, in the order of struct
 * wire_header) or, when is_error, an error reply ("error" with err, then
 * the members present). Strings are escaped. Returns the length written
 * (NUL-terminated), or -1 with buf "" when buf is too small. */
int	wire_header_write(char *buf, size_t len, const struct wire_header *h);

/* Copy src into dst as the inside of a JSON string (quotes, backslashes
 * and control characters escaped, bytes past ASCII as '?'), truncating to
 * fit; dst is always NUL-terminated. Returns the length written. */
size_t	wire_json_escape(char *dst, size_t len, const char *src);

#endif
