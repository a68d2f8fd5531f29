/* wire.c: parse and write the seed's two-frame message headers.
 *
 * Parsing uses jansson, once per header and one pass over its members,
 * those of the shared-memory transport included; writing is in
 * wire_write.c and the dtype names in wire_dtype.c. Every error message is meant to be
 * sent back to the peer verbatim, so it names the offending key and value.
 */
#include "config.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "wire.h"

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

static int
wire_parse_dtype(json_t *root, struct wire_header *h, char *errbuf,
    size_t errlen)
{
	json_t *v = json_object_get(root, "dtype");
	const char *s;

	if (v == NULL)
		return wire_fail(errbuf, errlen, "header has no \"dtype\"");
	if (!json_is_string(v))
		return wire_fail(errbuf, errlen, "\"dtype\" is not a string");
	s = json_string_value(v);
	if (wire_dtype_lookup(s, &h->dtype) == -1) {
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
wire_parse_shape(json_t *root, struct wire_header *h, char *errbuf,
    size_t errlen)
{
	json_t *v = json_object_get(root, "shape"), *d;
	json_int_t x;
	uint64_t n;
	size_t i;

	if (v == NULL)
		return wire_fail(errbuf, errlen, "header has no \"shape\"");
	if (!json_is_array(v))
		return wire_fail(errbuf, errlen, "\"shape\" is not an array");
	if (json_array_size(v) > WIRE_MAXDIM)
		return wire_fail(errbuf, errlen, "shape has %zu dimensions, "
		    "more than %d", json_array_size(v), WIRE_MAXDIM);
	h->ndim = (int)json_array_size(v);
	n = (uint64_t)h->dtype.itemsize;
	json_array_foreach(v, i, d) {
		if (!json_is_integer(d))
			return wire_fail(errbuf, errlen,
			    "shape[%zu] is not an integer", i);
		if ((x = json_integer_value(d)) < 0)
			return wire_fail(errbuf, errlen,
			    "shape[%zu] is negative (%lld)", i, (long long)x);
		h->shape[i] = (uint64_t)x;
		if (n != 0 && h->shape[i] > (UINT64_MAX - 1) / n)
			return wire_fail(errbuf, errlen,
			    "shape's byte size overflows 64 bits");
		n *= h->shape[i];
	}
	h->nbytes = n;
	return 0;
}

/* An unsigned integer member of the "shm" object, in [0, max]; def when
 * absent or null (def < 0: required). */
static int
wire_shm_uint(json_t *o, const char *key, uint64_t max, int64_t def,
    uint64_t *v, char *errbuf, size_t errlen)
{
	json_t *j = json_object_get(o, key);
	json_int_t i;

	if (j == NULL || (json_is_null(j) && def >= 0)) {
		if (def < 0)
			return wire_fail(errbuf, errlen, "shm.%s is missing",
			    key);
		*v = (uint64_t)def;
		return 0;
	}
	if (!json_is_integer(j) || (i = json_integer_value(j)) < 0 ||
	    (uint64_t)i > max)
		return wire_fail(errbuf, errlen, "shm.%s must be an integer "
		    "from 0 to %llu", key, (unsigned long long)max);
	*v = (uint64_t)i;
	return 0;
}

/* The "shm" member of a request (doc/shm.md, "Messages"). */
static int
wire_parse_shm(json_t *o, struct wire_shm *r, char *errbuf, size_t errlen)
{
	uint64_t gen, slot, count, out, lane;
	json_t *ring;

	if (!json_is_object(o))
		return wire_fail(errbuf, errlen, "shm must be an object");
	ring = json_object_get(o, "ring");
	if (!json_is_string(ring))
		return wire_fail(errbuf, errlen, "shm.ring must be a string");
	if (strlen(json_string_value(ring)) >= sizeof r->ring)
		return wire_fail(errbuf, errlen, "shm ring name is longer "
		    "than %zu bytes", sizeof r->ring - 1);
	/* Absent or null "out" and "lane": none (UINT32_MAX and WIRE_LANES
	 * are out of their ranges, so cannot be taken for a value). */
	if (wire_shm_uint(o, "gen", (1ull << 53) - 1, -1, &gen, errbuf,
	    errlen) ||
	    wire_shm_uint(o, "slot", UINT32_MAX, -1, &slot, errbuf, errlen) ||
	    wire_shm_uint(o, "count", UINT32_MAX, 1, &count, errbuf, errlen) ||
	    wire_shm_uint(o, "out", INT32_MAX, UINT32_MAX, &out, errbuf,
	    errlen) ||
	    wire_shm_uint(o, "lane", WIRE_LANES - 1, WIRE_LANES, &lane, errbuf,
	    errlen))
		return -1;
	snprintf(r->ring, sizeof r->ring, "%s", json_string_value(ring));
	r->gen = gen;
	r->slot = (uint32_t)slot;
	r->count = (uint32_t)count;
	r->out = out == UINT32_MAX ? -1 : (int32_t)out;
	r->lane = lane == WIRE_LANES ? -1 : (int32_t)lane;
	return 0;
}

/* A non-negative integer in [0, max], or -1. */
static int64_t
wire_uint(json_t *v, int64_t max)
{
	json_int_t i;

	if (!json_is_integer(v) || (i = json_integer_value(v)) < 0 || i > max)
		return -1;
	return (int64_t)i;
}

/* The members of a modelled worker's reply: its draw, queue and batch. */
static void
wire_parse_model(struct wire_header *h, const char *k, json_t *v)
{
	int64_t t;

	if (strcmp(k, "batch") == 0 && (t = wire_uint(v, INT32_MAX)) > 0)
		h->batch = (int)t;
	else if (strcmp(k, "queue_full") == 0)
		h->queue_full = json_is_true(v);
	else if (!json_is_number(v) || json_number_value(v) < 0)
		return;
	else if (strcmp(k, "cost_us") == 0)
		h->cost_us = json_number_value(v);
	else if (strcmp(k, "queue_us") == 0)
		h->queue_us = json_number_value(v);
}

/* An optional member: none of them is an error when odd. Members are
 * looked at once each, in one pass, by their first byte. */
static void
wire_parse_member(struct wire_header *h, const char *k, json_t *v)
{
	int64_t t;

	switch (k[0]) {
	case 'f':
		if (strcmp(k, "frame") == 0 && json_is_integer(v)) {
			h->has_frame = 1;
			h->frame = (int64_t)json_integer_value(v);
		}
		break;
	case 'b':
	case 'c':
	case 'q':
		wire_parse_model(h, k, v);
		break;
	case 'w':
		if (strcmp(k, "worker") == 0 && json_is_string(v))
			snprintf(h->worker, sizeof h->worker, "%s",
			    json_string_value(v));
		break;
	case 's':
		if (strcmp(k, "service_us") == 0 && json_is_number(v))
			h->service_us = json_number_value(v);
		else if (strcmp(k, "shm_out") == 0)
			h->shm_out = (int32_t)wire_uint(v, INT32_MAX);
		break;
	case 'o':
	case 'i':
		if (json_is_boolean(v) && strcmp(k, "overrun") == 0)
			h->overrun = json_is_true(v);
		else if (json_is_boolean(v) && strcmp(k, "interrupted") == 0)
			h->interrupted = json_is_true(v);
		break;
	case 't':
		if ((t = wire_uint(v, INT64_MAX)) > 0 &&
		    strcmp(k, "t_recv_ns") == 0)
			h->t_recv_ns = (uint64_t)t;
		else if (t > 0 && strcmp(k, "t_sent_ns") == 0)
			h->t_sent_ns = (uint64_t)t;
		break;
	case 'l':
		if (strcmp(k, "lane_full") == 0)
			h->lane_full = json_is_true(v);
		break;
	case 'e':
		if (strcmp(k, "error") == 0) {
			h->is_error = 1;
			snprintf(h->err, sizeof h->err, "%s", json_is_string(v) ?
			    json_string_value(v) : "(error is not a string)");
		}
		break;
	}
}

/* The optional members; the "shm" one, parsed after the array, in *shm. */
static void
wire_parse_extras(json_t *root, struct wire_header *h, json_t **shm)
{
	const char *k;
	json_t *v;

	*shm = NULL;
	json_object_foreach(root, k, v) {
		if (strcmp(k, "shm") == 0)
			*shm = v;
		else
			wire_parse_member(h, k, v);
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
	json_error_t jerr;
	json_t *root, *v;
	int rc = 0;

	wire_header_init(h);
	if ((root = json_loadb(buf, len, JSON_DECODE_ANY, &jerr)) == NULL)
		return wire_fail(errbuf, errlen, "header is not JSON: %s "
		    "(at byte %d)", jerr.text, jerr.position);
	if (!json_is_object(root)) {
		json_decref(root);
		return wire_fail(errbuf, errlen,
		    "header is not a JSON object");
	}
	h->is_object = 1;
	wire_parse_extras(root, h, &v);
	/* An error reply need not describe an array. */
	if (!h->is_error || json_object_get(root, "dtype") != NULL)
		rc = wire_parse_dtype(root, h, errbuf, errlen);
	if (rc == 0 && (!h->is_error || json_object_get(root, "shape") != NULL))
		rc = wire_parse_shape(root, h, errbuf, errlen);
	/* Its checks come after the array's, and not for an error. */
	if (rc == 0 && !h->is_error && v != NULL) {
		h->has_shm = 1;
		rc = wire_parse_shm(v, &h->shm, errbuf, errlen);
	}
	json_decref(root);
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
