/* wire.h: the message format workers and clients speak (the seed's).
 *
 * A request is two ZeroMQ frames: a JSON header object with "dtype" (a numpy
 * dtype name: "uint8", "float64", "<f8", ...) and "shape" (array of
 * non-negative integers), then the raw C-order bytes: exactly
 * product(shape) x itemsize of them. Unknown keys are ignored; "frame" (an
 * integer id) is echoed back in the reply. A reply has the same form and may
 * carry "worker", "frame", "service_us", "overrun" and "interrupted"; an
 * error reply is {"error": "...", ...} with an empty payload. See
 * doc/protocol.md.
 */
#ifndef FS_WIRE_H
#define FS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "compat.h"

#define WIRE_MAXDIM	32
#define WIRE_ERRLEN	256
#define WIRE_HDRMAX	1024	/* room for any header we format */

struct wire_dtype {
	char	name[16];	/* normalised numpy name: "uint8", "float64", ... */
	char	kind;		/* 'u', 'i', 'f', 'b' (bool), 'c' (complex) */
	int	itemsize;	/* bytes per item */
};

struct wire_header {
	struct wire_dtype dtype;
	int	ndim;
	uint64_t shape[WIRE_MAXDIM];
	uint64_t nbytes;	/* product(shape) x itemsize, checked for overflow */
	int	has_frame;
	int64_t	frame;		/* request id, when has_frame */
	/* Reply-only fields, present when the sender set them. */
	char	worker[64];
	double	service_us;	/* < 0 when absent */
	int	overrun;	/* -1 absent, 0/1 */
	int	interrupted;	/* -1 absent, 0/1: cut short by SIGTERM */
	int	is_object;	/* the frame was a JSON object, even if refused */
	int	is_error;	/* header had "error": then err holds it */
	char	err[WIRE_ERRLEN];
};

/* Look up a dtype by numpy name ("uint8", "u1", "|u1", "<f8", "float64",
 * "float", "int", "bool"...). Big-endian names ('>') are refused. 0 or -1. */
/* Format an error into errbuf (when not NULL and errlen > 0); returns -1,
 * for `return wire_fail(...)`. The checks of shm.c and lane.c use it too. */
int	wire_fail(char *errbuf, size_t errlen, const char *fmt, ...)
	    FS_PRINTF(3, 4);
int	wire_dtype_lookup(const char *name, struct wire_dtype *out);

/* Parse a header frame. Returns 0, or -1 with a message ("shape[2] is
 * negative", "dtype 'int7' is not a numpy dtype" ...) in errbuf. A header
 * carrying "error" parses fine with is_error set. */
int	wire_header_parse(const void *buf, size_t len, struct wire_header *h,
	    char *errbuf, size_t errlen);

/* Check a payload's length against the header: 0, or -1 with a message. */
int	wire_payload_check(const struct wire_header *h, size_t len,
	    char *errbuf, size_t errlen);

/* Format headers without allocating: return the length written (always
 * NUL-terminated) or -1 if buf is too small. extra is NULL or a string of
 * further members ("\"frame\":3,\"service_us\":12.5") spliced in verbatim. */
int	wire_header_format(char *buf, size_t len, const char *dtype,
	    const uint64_t *shape, int ndim, const char *extra);
int	wire_error_format(char *buf, size_t len, const char *msg,
	    const char *extra);

/* Copy src into dst as the inside of a JSON string (quotes, backslashes
 * and control characters escaped, bytes past ASCII as '?'), truncating to
 * fit; dst is always NUL-terminated. Returns the length written. */
size_t	wire_json_escape(char *dst, size_t len, const char *src);

#endif
