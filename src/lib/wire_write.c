/* wire_write.c: write a header into a caller's buffer without allocating
 * (integers by hand, strings escaped), for every reply and request.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "wire.h"

static void	wire_append(char *, size_t, size_t *, const char *, ...)
		    FS_PRINTF(4, 5);


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

/* Text as it is: the members' names. */
static void
wire_put(char *buf, size_t len, size_t *off, const char *s)
{
	size_t n = strlen(s);

	if (*off < len)
		memcpy(buf + *off, s, n < len - *off ? n : len - *off);
	*off += n;
}

/* pre, then v in decimal (a minus first when neg): the integers of every
 * header, without a printf. */
static void
wire_put_num(char *buf, size_t len, size_t *off, const char *pre, uint64_t v,
    int neg)
{
	char d[24];
	size_t i = sizeof d;

	d[--i] = '\0';
	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (neg)
		d[--i] = '-';
	wire_put(buf, len, off, pre);
	wire_put(buf, len, off, d + i);
}

/* pre, then microseconds with three decimals, as %.3f writes them (to
 * the nearest nanosecond) but by hand: every reply has two or three of
 * them, and printf's floating point was a third of a reply's formatting. */
static void
wire_put_us(char *buf, size_t len, size_t *off, const char *pre, double us)
{
	char frac[5] = ".000";
	uint64_t ns;
	unsigned r;

	if (!(us < 9e12)) {		/* beyond 2^53 ns, or not a number */
		wire_append(buf, len, off, "%s%.3f", pre, us);
		return;
	}
	ns = (uint64_t)(us * 1000 + 0.5);
	r = (unsigned)(ns % 1000);
	frac[1] = (char)('0' + r / 100);
	frac[2] = (char)('0' + r / 10 % 10);
	frac[3] = (char)('0' + r % 10);
	wire_put_num(buf, len, off, pre, ns / 1000, 0);
	wire_put(buf, len, off, frac);
}

static void
wire_put_int(char *buf, size_t len, size_t *off, const char *pre, int64_t v)
{
	wire_put_num(buf, len, off, pre, v < 0 ? -(uint64_t)v : (uint64_t)v,
	    v < 0);
}

/* pre (say ",\"worker\":"), then val as a JSON string. */
static void
wire_put_str(char *buf, size_t len, size_t *off, const char *pre,
    const char *val)
{
	char esc[WIRE_ERRLEN * 2];

	wire_json_escape(esc, sizeof esc, val);
	wire_put(buf, len, off, pre);
	wire_put(buf, len, off, "\"");
	wire_put(buf, len, off, esc);
	wire_put(buf, len, off, "\"");
}

static void
wire_write_array(char *buf, size_t len, size_t *off,
    const struct wire_header *h)
{
	int i;

	wire_put_str(buf, len, off, "{\"dtype\":", h->dtype.name);
	wire_put(buf, len, off, ",\"shape\":[");
	for (i = 0; i < h->ndim; i++)
		wire_put_num(buf, len, off, i ? "," : "", h->shape[i], 0);
	wire_put(buf, len, off, "]");
}

static void
wire_write_shm(char *buf, size_t len, size_t *off, const struct wire_shm *r)
{
	wire_put_str(buf, len, off, ",\"shm\":{\"ring\":", r->ring);
	wire_put_num(buf, len, off, ",\"gen\":", r->gen, 0);
	wire_put_num(buf, len, off, ",\"slot\":", r->slot, 0);
	wire_put_num(buf, len, off, ",\"count\":", r->count, 0);
	if (r->out >= 0)
		wire_put_int(buf, len, off, ",\"out\":", r->out);
	if (r->lane >= 0)
		wire_put_int(buf, len, off, ",\"lane\":", r->lane);
	wire_put(buf, len, off, "}");
}

/* The members after the array (or the error), in the order of struct
 * wire_header. */
static void
wire_write_members(char *buf, size_t len, size_t *off,
    const struct wire_header *h)
{
	if (h->worker[0] != '\0')
		wire_put_str(buf, len, off, ",\"worker\":", h->worker);
	if (h->has_frame)
		wire_put_int(buf, len, off, ",\"frame\":", h->frame);
	if (h->has_shm)
		wire_write_shm(buf, len, off, &h->shm);
	if (h->service_us >= 0)
		wire_put_us(buf, len, off, ",\"service_us\":", h->service_us);
	if (h->cost_us >= 0)
		wire_put_us(buf, len, off, ",\"cost_us\":", h->cost_us);
	if (h->queue_us >= 0)
		wire_put_us(buf, len, off, ",\"queue_us\":", h->queue_us);
	if (h->batch > 0)
		wire_put_int(buf, len, off, ",\"batch\":", h->batch);
	if (h->overrun >= 0)
		wire_put(buf, len, off, h->overrun ? ",\"overrun\":true" :
		    ",\"overrun\":false");
	if (h->interrupted >= 0)
		wire_put(buf, len, off, h->interrupted ?
		    ",\"interrupted\":true" : ",\"interrupted\":false");
	if (h->t_recv_ns > 0)
		wire_put_num(buf, len, off, ",\"t_recv_ns\":", h->t_recv_ns, 0);
	if (h->t_sent_ns > 0)
		wire_put_num(buf, len, off, ",\"t_sent_ns\":", h->t_sent_ns, 0);
	if (h->shm_out >= 0)
		wire_put_int(buf, len, off, ",\"shm_out\":", h->shm_out);
	if (h->lane_full)
		wire_put(buf, len, off, ",\"lane_full\":true");
	if (h->queue_full)
		wire_put(buf, len, off, ",\"queue_full\":true");
}

int
wire_header_write(char *buf, size_t len, const struct wire_header *h)
{
	size_t off = 0;

	if (h->is_error)
		wire_put_str(buf, len, &off, "{\"error\":", h->err);
	else
		wire_write_array(buf, len, &off, h);
	wire_write_members(buf, len, &off, h);
	wire_put(buf, len, &off, "}");
	if (off >= len) {
		if (len > 0)
			buf[0] = '\0';
		return -1;
	}
	buf[off] = '\0';
	return (int)off;
}
