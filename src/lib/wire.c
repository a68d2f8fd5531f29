/* wire.c: parse and write the seed's two-frame message headers.
 *
 * A header is parsed once, from tokens on the stack (wire_doc.c: one
 * pass over the text, checked as strictly as jansson checks JSON; no
 * tree is allocated), then one pass over its members, those of the
 * shared-memory transport included; writing is in wire_write.c and the
 * dtype names in wire_dtype.c. Every error message is meant to be sent
 * back to the peer verbatim, so it names the offending key and value.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "wire.h"
#include "wire_doc.h"

int
wire_fail(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errbuf != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(errbuf, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The members a header may have, found in one pass (wire_doc_members),
 * in the order wire_header_write writes them (which finds each at its
 * first try). */
enum {
	W_ERROR, W_DTYPE, W_SHAPE, W_WORKER, W_FRAME, W_SHM, W_SERVICE_US,
	W_COST_US, W_QUEUE_US, W_BATCH, W_OVERRUN, W_INTERRUPTED, W_T_RECV_NS,
	W_T_SENT_NS, W_SHM_OUT, W_LANE_FULL, W_QUEUE_FULL, W_NMEMBERS
};
static const char *const wire_members[W_NMEMBERS] = {
	"error", "dtype", "shape", "worker", "frame", "shm", "service_us",
	"cost_us", "queue_us", "batch", "overrun", "interrupted", "t_recv_ns",
	"t_sent_ns", "shm_out", "lane_full", "queue_full"
};

/* The "shm" object's members. */
enum { WS_RING, WS_GEN, WS_SLOT, WS_COUNT, WS_OUT, WS_LANE, WS_NMEMBERS };
static const char *const wire_shm_members[WS_NMEMBERS] = {
	"ring", "gen", "slot", "count", "out", "lane"
};

static int
wire_parse_dtype(const struct wire_doc *d, int v, struct wire_header *h,
    char *errbuf, size_t errlen)
{
	char s[64];	/* longer than any dtype name */
	long n;

	if (v < 0)
		return wire_fail(errbuf, errlen, "header has no \"dtype\"");
	if ((n = wire_doc_str(d, v, s, sizeof s)) < 0)
		return wire_fail(errbuf, errlen, "\"dtype\" is not a string");
	if ((size_t)n >= sizeof s || wire_dtype_lookup(s, &h->dtype) == -1) {
		if (s[0] == '>')
			return wire_fail(errbuf, errlen, "dtype '%.32s' is "
			    "big-endian, only little-endian data is accepted",
			    s);
		return wire_fail(errbuf, errlen,
		    "dtype '%.32s' is not a numpy dtype", s);
	}
	return 0;
}

static int
wire_parse_shape(const struct wire_doc *d, int v, struct wire_header *h,
    char *errbuf, size_t errlen)
{
	int i, end, ndim = 0;
	int64_t x;
	uint64_t n;

	if (v < 0)
		return wire_fail(errbuf, errlen, "header has no \"shape\"");
	if (wire_doc_type(d, v) != WIRE_DOC_ARRAY)
		return wire_fail(errbuf, errlen, "\"shape\" is not an array");
	end = wire_doc_next(d, v);
	for (i = v + 1; i < end; i = wire_doc_next(d, i))
		ndim++;
	if (ndim > WIRE_MAXDIM)
		return wire_fail(errbuf, errlen, "shape has %d dimensions, "
		    "more than %d", ndim, WIRE_MAXDIM);
	h->ndim = ndim;
	n = (uint64_t)h->dtype.itemsize;
	for (ndim = 0, i = v + 1; i < end; i = wire_doc_next(d, i), ndim++) {
		if (!wire_doc_int(d, i, &x))
			return wire_fail(errbuf, errlen,
			    "shape[%d] is not an integer", ndim);
		if (x < 0)
			return wire_fail(errbuf, errlen,
			    "shape[%d] is negative (%lld)", ndim, (long long)x);
		h->shape[ndim] = (uint64_t)x;
		if (n != 0 && h->shape[ndim] > (UINT64_MAX - 1) / n)
			return wire_fail(errbuf, errlen,
			    "shape's byte size overflows 64 bits");
		n *= h->shape[ndim];
	}
	h->nbytes = n;
	return 0;
}

/* An unsigned integer member of the "shm" object (its token j, -1 when
 * absent), in [0, max]; def when absent or null (def < 0: required). */
static int
wire_shm_uint(const struct wire_doc *d, int j, const char *key, uint64_t max,
    int64_t def, uint64_t *v, char *errbuf, size_t errlen)
{
	int64_t i;

	if (j < 0 || (wire_doc_type(d, j) == WIRE_DOC_NULL && def >= 0)) {
		if (def < 0)
			return wire_fail(errbuf, errlen, "shm.%s is missing",
			    key);
		*v = (uint64_t)def;
		return 0;
	}
	if (!wire_doc_int(d, j, &i) || i < 0 || (uint64_t)i > max)
		return wire_fail(errbuf, errlen, "shm.%s must be an integer "
		    "from 0 to %llu", key, (unsigned long long)max);
	*v = (uint64_t)i;
	return 0;
}

/* The "shm" member of a request (doc/shm.md, "Messages"), token o. */
static int
wire_parse_shm(const struct wire_doc *d, int o, struct wire_shm *r,
    char *errbuf, size_t errlen)
{
	uint64_t gen, slot, count, out, lane;
	int m[WS_NMEMBERS];
	char ring[WIRE_RING_MAX];
	long n;

	if (wire_doc_type(d, o) != WIRE_DOC_OBJECT)
		return wire_fail(errbuf, errlen, "shm must be an object");
	wire_doc_members(d, o, wire_shm_members, WS_NMEMBERS, m);
	if (m[WS_RING] < 0 || (n = wire_doc_str(d, m[WS_RING], ring,
	    sizeof ring)) < 0)
		return wire_fail(errbuf, errlen, "shm.ring must be a string");
	if ((size_t)n >= sizeof r->ring)
		return wire_fail(errbuf, errlen, "shm ring name is longer "
		    "than %zu bytes", sizeof r->ring - 1);
	/* Absent or null "out" and "lane": none (UINT32_MAX and WIRE_LANES
	 * are out of their ranges, so cannot be taken for a value). */
	if (wire_shm_uint(d, m[WS_GEN], "gen", (1ull << 53) - 1, -1, &gen,
	    errbuf, errlen) ||
	    wire_shm_uint(d, m[WS_SLOT], "slot", UINT32_MAX, -1, &slot,
	    errbuf, errlen) ||
	    wire_shm_uint(d, m[WS_COUNT], "count", UINT32_MAX, 1, &count,
	    errbuf, errlen) ||
	    wire_shm_uint(d, m[WS_OUT], "out", INT32_MAX, UINT32_MAX, &out,
	    errbuf, errlen) ||
	    wire_shm_uint(d, m[WS_LANE], "lane", WIRE_LANES - 1, WIRE_LANES,
	    &lane, errbuf, errlen))
		return -1;
	snprintf(r->ring, sizeof r->ring, "%s", ring);
	r->gen = gen;
	r->slot = (uint32_t)slot;
	r->count = (uint32_t)count;
	r->out = out == UINT32_MAX ? -1 : (int32_t)out;
	r->lane = lane == WIRE_LANES ? -1 : (int32_t)lane;
	return 0;
}

/* Token v (-1: absent) is an integer in [0, max]: it, or -1. */
static int64_t
wire_uint(const struct wire_doc *d, int v, int64_t max)
{
	int64_t i;

	if (v < 0 || !wire_doc_int(d, v, &i) || i < 0 || i > max)
		return -1;
	return i;
}

/* Token v (-1: absent) is a number: 1 and its value in *x. */
static int
wire_num(const struct wire_doc *d, int v, double *x)
{
	return v >= 0 && wire_doc_num(d, v, x);
}

/* Token v (-1: absent) is true, false (0 or 1), or neither (-1). */
static int
wire_bool(const struct wire_doc *d, int v)
{
	enum wire_doc_type t = v < 0 ? WIRE_DOC_NULL : wire_doc_type(d, v);

	return t == WIRE_DOC_TRUE ? 1 : t == WIRE_DOC_FALSE ? 0 : -1;
}

/* The members of a modelled worker's reply: its draw, queue and batch,
 * and the flags of an error reply. */
static void
wire_parse_model(const struct wire_doc *d, const int *v,
    struct wire_header *h)
{
	int64_t t;
	double x;

	if ((t = wire_uint(d, v[W_BATCH], INT32_MAX)) > 0)
		h->batch = (int)t;
	if (wire_num(d, v[W_COST_US], &x) && x >= 0)
		h->cost_us = x;
	if (wire_num(d, v[W_QUEUE_US], &x) && x >= 0)
		h->queue_us = x;
	h->queue_full = wire_bool(d, v[W_QUEUE_FULL]) == 1;
	h->lane_full = wire_bool(d, v[W_LANE_FULL]) == 1;
}

/* The optional members (v: their tokens): none is an error when odd. */
static void
wire_parse_members(const struct wire_doc *d, const int *v,
    struct wire_header *h)
{
	int64_t t;

	if (v[W_FRAME] >= 0 && wire_doc_int(d, v[W_FRAME], &h->frame))
		h->has_frame = 1;
	wire_parse_model(d, v, h);
	if (v[W_WORKER] >= 0)
		wire_doc_str(d, v[W_WORKER], h->worker, sizeof h->worker);
	wire_num(d, v[W_SERVICE_US], &h->service_us);
	if (v[W_SHM_OUT] >= 0)
		h->shm_out = (int32_t)wire_uint(d, v[W_SHM_OUT], INT32_MAX);
	if (wire_bool(d, v[W_OVERRUN]) != -1)
		h->overrun = wire_bool(d, v[W_OVERRUN]);
	if (wire_bool(d, v[W_INTERRUPTED]) != -1)
		h->interrupted = wire_bool(d, v[W_INTERRUPTED]);
	if ((t = wire_uint(d, v[W_T_RECV_NS], INT64_MAX)) > 0)
		h->t_recv_ns = (uint64_t)t;
	if ((t = wire_uint(d, v[W_T_SENT_NS], INT64_MAX)) > 0)
		h->t_sent_ns = (uint64_t)t;
	if (v[W_ERROR] >= 0) {
		h->is_error = 1;
		if (wire_doc_str(d, v[W_ERROR], h->err, sizeof h->err) < 0)
			snprintf(h->err, sizeof h->err,
			    "(error is not a string)");
	}
}

void
wire_header_init(struct wire_header *h)
{
	memset(h, 0, sizeof *h);
	h->service_us = -1;
	h->cost_us = -1;
	h->queue_us = -1;
	h->overrun = -1;
	h->interrupted = -1;
	h->shm_out = -1;
	h->shm.out = h->shm.lane = -1;
}

int
wire_header_array(struct wire_header *h, const char *dtype,
    const uint64_t *shape, int ndim)
{
	int i;

	if (wire_dtype_lookup(dtype, &h->dtype) == -1 || ndim < 0 ||
	    ndim > WIRE_MAXDIM)
		return -1;
	h->ndim = ndim;
	h->nbytes = (uint64_t)h->dtype.itemsize;
	for (i = 0; i < ndim; i++) {
		h->shape[i] = shape[i];
		if (__builtin_mul_overflow(h->nbytes, shape[i], &h->nbytes))
			return -1;
	}
	return 0;
}

int
wire_header_parse(const void *buf, size_t len, struct wire_header *h,
    char *errbuf, size_t errlen)
{
	struct wire_doc d;	/* its tokens: about 10 KB of stack */
	int v[W_NMEMBERS], rc = 0;

	wire_header_init(h);
	if (wire_doc_load(&d, buf, len, errbuf, errlen) == -1)
		return -1;
	if (wire_doc_type(&d, 0) != WIRE_DOC_OBJECT)
		return wire_fail(errbuf, errlen,
		    "header is not a JSON object");
	h->is_object = 1;
	wire_doc_members(&d, 0, wire_members, W_NMEMBERS, v);
	wire_parse_members(&d, v, h);
	/* An error reply need not describe an array. */
	if (!h->is_error || v[W_DTYPE] >= 0)
		rc = wire_parse_dtype(&d, v[W_DTYPE], h, errbuf, errlen);
	if (rc == 0 && (!h->is_error || v[W_SHAPE] >= 0))
		rc = wire_parse_shape(&d, v[W_SHAPE], h, errbuf, errlen);
	/* Its checks come after the array's, and not for an error. */
	if (rc == 0 && !h->is_error && v[W_SHM] >= 0) {
		h->has_shm = 1;
		rc = wire_parse_shm(&d, v[W_SHM], &h->shm, errbuf, errlen);
	}
	return rc;
}

int
wire_payload_check(const struct wire_header *h, size_t len, char *errbuf,
    size_t errlen)
{
	if ((uint64_t)len == h->nbytes)
		return 0;
	return wire_fail(errbuf, errlen, "payload is %zu bytes, the header's "
	    "shape and dtype %s make %llu", len, h->dtype.name,
	    (unsigned long long)h->nbytes);
}
