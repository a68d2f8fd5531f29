/* wire.c: parse and write the seed's two-frame message headers.
 *
 * Parsing uses jansson, once per header, members of the shared-memory
 * transport included; writing is snprintf into a caller's buffer so a
 * reply never allocates. Every error message is meant to be sent back to
 * the peer verbatim, so it names the offending key and value.
 */
#include "config.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "wire.h"

struct dtype_alias {
	const char *alias;
	const char *name;
};

/* Canonical numpy names, their type character and item size. */
static const struct wire_dtype wire_dtypes[] = {
	{ "bool", 'b', 1 },
	{ "int8", 'i', 1 }, { "uint8", 'u', 1 },
	{ "int16", 'i', 2 }, { "uint16", 'u', 2 },
	{ "int32", 'i', 4 }, { "uint32", 'u', 4 },
	{ "int64", 'i', 8 }, { "uint64", 'u', 8 },
	{ "float16", 'f', 2 }, { "float32", 'f', 4 }, { "float64", 'f', 8 },
	{ "complex64", 'c', 8 }, { "complex128", 'c', 16 },
};

/* Other spellings numpy accepts (after any byte-order prefix). */
static const struct dtype_alias wire_aliases[] = {
	{ "?", "bool" }, { "b1", "bool" }, { "bool_", "bool" },
	{ "i1", "int8" }, { "b", "int8" }, { "byte", "int8" },
	{ "u1", "uint8" }, { "B", "uint8" }, { "ubyte", "uint8" },
	{ "i2", "int16" }, { "h", "int16" }, { "short", "int16" },
	{ "u2", "uint16" }, { "H", "uint16" }, { "ushort", "uint16" },
	{ "i4", "int32" }, { "i", "int32" }, { "intc", "int32" },
	{ "u4", "uint32" }, { "I", "uint32" }, { "uintc", "uint32" },
	{ "i8", "int64" }, { "l", "int64" }, { "q", "int64" },
	{ "int", "int64" }, { "int_", "int64" }, { "longlong", "int64" },
	{ "u8", "uint64" }, { "L", "uint64" }, { "Q", "uint64" },
	{ "uint", "uint64" }, { "ulonglong", "uint64" },
	{ "f2", "float16" }, { "e", "float16" }, { "half", "float16" },
	{ "f4", "float32" }, { "f", "float32" }, { "single", "float32" },
	{ "f8", "float64" }, { "d", "float64" }, { "double", "float64" },
	{ "float", "float64" }, { "float_", "float64" },
	{ "c8", "complex64" }, { "F", "complex64" }, { "csingle", "complex64" },
	{ "c16", "complex128" }, { "D", "complex128" },
	{ "complex", "complex128" }, { "cdouble", "complex128" },
};

static const struct wire_dtype *
wire_dtype_canonical(const char *name)
{
	size_t i;

	for (i = 0; i < FS_NELEM(wire_dtypes); i++)
		if (strcmp(wire_dtypes[i].name, name) == 0)
			return &wire_dtypes[i];
	for (i = 0; i < FS_NELEM(wire_aliases); i++)
		if (strcmp(wire_aliases[i].alias, name) == 0)
			return wire_dtype_canonical(wire_aliases[i].name);
	return NULL;
}

int
wire_dtype_lookup(const char *name, struct wire_dtype *out)
{
	const struct wire_dtype *d;
	char order = 0;

	if (name[0] == '<' || name[0] == '>' || name[0] == '|' ||
	    name[0] == '=')
		order = *name++;
	if ((d = wire_dtype_canonical(name)) == NULL)
		return -1;
	/* Data is little-endian; big-endian is fine only for single bytes. */
	if (order == '>' && d->itemsize > 1)
		return -1;
	*out = *d;
	return 0;
}

size_t
wire_json_escape(char *dst, size_t len, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	unsigned char c;

	if (len == 0)
		return 0;
	for (; (c = (unsigned char)*src) != '\0'; src++) {
		if (c == '"' || c == '\\') {
			if (n + 2 >= len)
				break;
			dst[n++] = '\\';
			dst[n++] = (char)c;
		} else if (c < 0x20) {
			if (n + 6 >= len)
				break;
			memcpy(dst + n, "\\u00", 4);
			dst[n + 4] = hex[c >> 4];
			dst[n + 5] = hex[c & 15];
			n += 6;
		} else {
			if (n + 1 >= len)
				break;
			/* Bytes past ASCII may be a cut UTF-8 sequence. */
			dst[n++] = c < 0x80 ? (char)c : '?';
		}
	}
	dst[n] = '\0';
	return n;
}

static void	wire_append(char *, size_t, size_t *, const char *, ...)
		    FS_PRINTF(4, 5);

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

/* A non-negative integer member in [0, max], or -1 when absent or not. */
static int64_t
wire_get_uint(json_t *root, const char *key, int64_t max)
{
	json_t *v = json_object_get(root, key);
	json_int_t i;

	if (v == NULL || !json_is_integer(v) ||
	    (i = json_integer_value(v)) < 0 || i > max)
		return -1;
	return (int64_t)i;
}

/* The optional members: none of them is an error when absent or odd. */
static void
wire_parse_extras(json_t *root, struct wire_header *h)
{
	json_t *v;
	int64_t t;

	if ((v = json_object_get(root, "frame")) != NULL &&
	    json_is_integer(v)) {
		h->has_frame = 1;
		h->frame = (int64_t)json_integer_value(v);
	}
	if ((v = json_object_get(root, "worker")) != NULL && json_is_string(v))
		snprintf(h->worker, sizeof h->worker, "%s",
		    json_string_value(v));
	if ((v = json_object_get(root, "service_us")) != NULL &&
	    json_is_number(v))
		h->service_us = json_number_value(v);
	if ((v = json_object_get(root, "overrun")) != NULL && json_is_boolean(v))
		h->overrun = json_is_true(v);
	if ((v = json_object_get(root, "interrupted")) != NULL &&
	    json_is_boolean(v))
		h->interrupted = json_is_true(v);
	h->shm_out = (int32_t)wire_get_uint(root, "shm_out", INT32_MAX);
	if ((t = wire_get_uint(root, "t_recv_ns", INT64_MAX)) > 0)
		h->t_recv_ns = (uint64_t)t;
	if ((t = wire_get_uint(root, "t_sent_ns", INT64_MAX)) > 0)
		h->t_sent_ns = (uint64_t)t;
	h->lane_full = json_is_true(json_object_get(root, "lane_full"));
	if ((v = json_object_get(root, "error")) != NULL) {
		h->is_error = 1;
		snprintf(h->err, sizeof h->err, "%s", json_is_string(v) ?
		    json_string_value(v) : "(error is not a string)");
	}
}

void
wire_header_init(struct wire_header *h)
{
	memset(h, 0, sizeof *h);
	h->service_us = -1;
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
	wire_parse_extras(root, h);
	/* An error reply need not describe an array. */
	if (!h->is_error || json_object_get(root, "dtype") != NULL)
		rc = wire_parse_dtype(root, h, errbuf, errlen);
	if (rc == 0 && (!h->is_error || json_object_get(root, "shape") != NULL))
		rc = wire_parse_shape(root, h, errbuf, errlen);
	/* Its checks come after the array's, and not for an error. */
	if (rc == 0 && !h->is_error &&
	    (v = json_object_get(root, "shm")) != NULL) {
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

/* Append to buf at *off; keep going after overflow so the caller checks
 * once. */
static void
wire_append(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + (*off < len ? *off : len),
	    *off < len ? len - *off : 0, fmt, ap);
	va_end(ap);
	*off += n > 0 ? (size_t)n : 0;
}

/* pre (say ",\"worker\":"), then val as a JSON string. */
static void
wire_append_str(char *buf, size_t len, size_t *off, const char *pre,
    const char *val)
{
	char esc[WIRE_ERRLEN * 2];

	wire_json_escape(esc, sizeof esc, val);
	wire_append(buf, len, off, "%s\"%s\"", pre, esc);
}

static void
wire_write_array(char *buf, size_t len, size_t *off,
    const struct wire_header *h)
{
	int i;

	wire_append(buf, len, off, "{\"dtype\":\"%s\",\"shape\":[",
	    h->dtype.name);
	for (i = 0; i < h->ndim; i++)
		wire_append(buf, len, off, "%s%llu", i ? "," : "",
		    (unsigned long long)h->shape[i]);
	wire_append(buf, len, off, "]");
}

static void
wire_write_shm(char *buf, size_t len, size_t *off, const struct wire_shm *r)
{
	wire_append_str(buf, len, off, ",\"shm\":{\"ring\":", r->ring);
	wire_append(buf, len, off, ",\"gen\":%llu,\"slot\":%lu,\"count\":%lu",
	    (unsigned long long)r->gen, (unsigned long)r->slot,
	    (unsigned long)r->count);
	if (r->out >= 0)
		wire_append(buf, len, off, ",\"out\":%ld", (long)r->out);
	if (r->lane >= 0)
		wire_append(buf, len, off, ",\"lane\":%ld", (long)r->lane);
	wire_append(buf, len, off, "}");
}

/* The members after the array (or the error), in the order of struct
 * wire_header. */
static void
wire_write_members(char *buf, size_t len, size_t *off,
    const struct wire_header *h)
{
	if (h->worker[0] != '\0')
		wire_append_str(buf, len, off, ",\"worker\":", h->worker);
	if (h->has_frame)
		wire_append(buf, len, off, ",\"frame\":%lld",
		    (long long)h->frame);
	if (h->has_shm)
		wire_write_shm(buf, len, off, &h->shm);
	if (h->service_us >= 0)
		wire_append(buf, len, off, ",\"service_us\":%.3f",
		    h->service_us);
	if (h->overrun >= 0)
		wire_append(buf, len, off, ",\"overrun\":%s",
		    h->overrun ? "true" : "false");
	if (h->interrupted >= 0)
		wire_append(buf, len, off, ",\"interrupted\":%s",
		    h->interrupted ? "true" : "false");
	if (h->t_recv_ns > 0)
		wire_append(buf, len, off, ",\"t_recv_ns\":%llu",
		    (unsigned long long)h->t_recv_ns);
	if (h->t_sent_ns > 0)
		wire_append(buf, len, off, ",\"t_sent_ns\":%llu",
		    (unsigned long long)h->t_sent_ns);
	if (h->shm_out >= 0)
		wire_append(buf, len, off, ",\"shm_out\":%ld", (long)h->shm_out);
	if (h->lane_full)
		wire_append(buf, len, off, ",\"lane_full\":true");
}

int
wire_header_write(char *buf, size_t len, const struct wire_header *h)
{
	size_t off = 0;

	if (h->is_error)
		wire_append_str(buf, len, &off, "{\"error\":", h->err);
	else
		wire_write_array(buf, len, &off, h);
	wire_write_members(buf, len, &off, h);
	wire_append(buf, len, &off, "}");
	if (off >= len) {
		if (len > 0)
			buf[0] = '\0';
		return -1;
	}
	return (int)off;
}
