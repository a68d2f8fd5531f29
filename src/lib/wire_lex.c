/* wire_lex.c: the bytes of one JSON string, number or literal, read as
 * jansson reads them (wire_doc.c's tokens hold where they are). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wire_lex.h"

int
wire_lex_fail(struct wire_lex_err *e, size_t at, const char *why)
{
	e->why = why;
	e->at = at;
	return -1;
}

static void
wire_lex_put(struct wire_lex_out *o, long c)
{
	if (o == NULL)
		return;
	if (o->n + 1 < o->size)
		o->buf[o->n] = (char)c;
	o->n++;
}

/* Code point c (not a surrogate, at most U+10FFFF) as UTF-8. */
static void
wire_lex_put_ucs(struct wire_lex_out *o, long c)
{
	if (c < 0x80) {
		wire_lex_put(o, c);
	} else if (c < 0x800) {
		wire_lex_put(o, 0xc0 | c >> 6);
		wire_lex_put(o, 0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		wire_lex_put(o, 0xe0 | c >> 12);
		wire_lex_put(o, 0x80 | (c >> 6 & 0x3f));
		wire_lex_put(o, 0x80 | (c & 0x3f));
	} else {
		wire_lex_put(o, 0xf0 | c >> 18);
		wire_lex_put(o, 0x80 | (c >> 12 & 0x3f));
		wire_lex_put(o, 0x80 | (c >> 6 & 0x3f));
		wire_lex_put(o, 0x80 | (c & 0x3f));
	}
}

/* The length of the UTF-8 sequence at p (n bytes left, n > 0), or 0 when
 * it is not one: a stray or missing continuation byte, an overlong form,
 * a surrogate, past U+10FFFF. */
static size_t
wire_lex_utf8(const unsigned char *p, size_t n)
{
	size_t len, i;
	uint32_t v;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, v = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, v = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, v = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ||
	    (len == 3 && v < 0x800) || (len == 4 && v < 0x10000))
		return 0;
	return len;
}

/* Four hex digits at p (n bytes left): their value, or -1. */
static long
wire_lex_hex4(const char *p, size_t n)
{
	long v = 0;
	int i;

	if (n < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= p[i] - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* The \u escape whose digits are at p (n bytes left), a surrogate pair
 * read whole: its code point and in *used the bytes read from p; -1 for
 * a bad escape, -2 for an unpaired surrogate. */
static long
wire_lex_ucs(const char *p, size_t n, size_t *used)
{
	long hi = wire_lex_hex4(p, n), lo;

	*used = 4;
	if (hi < 0xd800 || hi > 0xdfff)
		return hi;
	if (hi >= 0xdc00 || n < 10 || p[4] != '\\' || p[5] != 'u')
		return -2;
	if ((lo = wire_lex_hex4(p + 6, n - 6)) == -1)
		return -1;
	if (lo < 0xdc00 || lo > 0xdfff)
		return -2;
	*used = 10;
	return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}

int
wire_lex_string(const char *p, size_t n, struct wire_lex_out *o,
    struct wire_lex_err *e)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *x;
	size_t i = 0, k;
	long c;

	while (i < n) {
		if (o == NULL) {	/* a check: plain ASCII needs nothing */
			while (i < n && (unsigned char)p[i] >= 0x20 &&
			    (unsigned char)p[i] < 0x80 && p[i] != '\\')
				i++;
			if (i == n)
				break;
		}
		if ((c = (unsigned char)p[i]) < 0x20)
			return wire_lex_fail(e, i, c == '\n' ? "unexpected "
			    "newline" : "control character in a string");
		if (c >= 0x80) {
			if ((k = wire_lex_utf8((const unsigned char *)p + i,
			    n - i)) == 0)
				return wire_lex_fail(e, i, "invalid UTF-8");
			while (k-- > 0)
				wire_lex_put(o, (unsigned char)p[i++]);
		} else if (c != '\\') {
			wire_lex_put(o, c);
			i++;
		} else if (i + 1 < n && p[i + 1] == 'u') {
			if ((c = wire_lex_ucs(p + i + 2, n - i - 2, &k)) < 0)
				return wire_lex_fail(e, i, c == -1 ? "invalid "
				    "\\u escape" : "unpaired UTF-16 surrogate");
			if (c == 0)
				return wire_lex_fail(e, i,
				    "\\u0000 is not allowed");
			wire_lex_put_ucs(o, c);
			i += 2 + k;
		} else if (i + 1 < n && p[i + 1] != '\0' &&
		    (x = strchr(from, p[i + 1])) != NULL) {
			wire_lex_put(o, to[x - from]);
			i += 2;
		} else {
			return wire_lex_fail(e, i, "invalid escape");
		}
	}
	return 0;
}

/* Decimal digits p[0..n), at most lim: 0 and their value, or -1. The
 * overflow checks are the processor's flags, not a division a digit. */
static int
wire_lex_digits(const char *p, size_t n, uint64_t lim, uint64_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++)
		if (__builtin_mul_overflow(*v, 10, v) ||
		    __builtin_add_overflow(*v, (uint64_t)(p[i] - '0'), v) ||
		    *v > lim)
			return -1;
	return 0;
}

/* A real's text, p[0..n), checked for grammar already. */
static int
wire_lex_real(const char *p, size_t n, double *v, struct wire_lex_err *e)
{
	char tmp[64], *s = tmp;

	if (n >= sizeof tmp && (s = strndup(p, n)) == NULL)
		return wire_lex_fail(e, 0, "out of memory");
	if (s == tmp) {
		memcpy(tmp, p, n);
		tmp[n] = '\0';
	}
	errno = 0;
	*v = strtod(s, NULL);
	if (s != tmp)
		free(s);
	if (errno == ERANGE && (*v == HUGE_VAL || *v == -HUGE_VAL))
		return wire_lex_fail(e, 0, "real number overflow");
	return 0;
}

/* A real written with at most 15 digits and no exponent, as every
 * header writer here writes them ("%.3f"): its value without strtod.
 * Its digits as an integer m < 10^15 < 2^53 and 10^f (f <= 15 < 23)
 * are both exact doubles, so the one division is correctly rounded,
 * which is what strtod returns. 0, or -1 to leave it to strtod. */
static int
wire_lex_real_short(const char *p, size_t n, double *v)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	size_t i = p[0] == '-', digits = 0, f = 0;
	int frac = 0;
	uint64_t m = 0;

	for (; i < n; i++) {
		if (p[i] == '.') {
			frac = 1;
			continue;
		}
		if (p[i] < '0' || p[i] > '9' || ++digits > 15)
			return -1;	/* an exponent, or too long */
		m = m * 10 + (uint64_t)(p[i] - '0');
		f += frac;
	}
	*v = (double)m / pow10[f];
	if (p[0] == '-')
		*v = -*v;
	return 0;
}

/* The end of the digits from p[i] on. */
static size_t
wire_lex_run(const char *p, size_t n, size_t i)
{
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++;
	return i;
}

int
wire_lex_scalar(const char *p, size_t n, enum wire_lex_kind *t, int64_t *iv,
    double *dv, struct wire_lex_err *e)
{
	size_t i = n > 0 && p[0] == '-', ie, j;
	uint64_t u;

	*t = WIRE_LEX_NULL;
	if (n == 4 && memcmp(p, "null", 4) == 0)
		return 0;
	*t = n == 4 && memcmp(p, "true", 4) == 0 ? WIRE_LEX_TRUE :
	    n == 5 && memcmp(p, "false", 5) == 0 ? WIRE_LEX_FALSE : *t;
	if (*t != WIRE_LEX_NULL)
		return 0;
	if (i < n && p[i] == '0')
		ie = i + 1;
	else if (i < n && p[i] >= '1' && p[i] <= '9')
		ie = wire_lex_run(p, n, i);
	else
		return wire_lex_fail(e, 0, "invalid token");
	j = ie;
	if (j < n && p[j] == '.' && (j = wire_lex_run(p, n, j + 1)) == ie + 1)
		return wire_lex_fail(e, 0, "invalid token");
	if (j < n && (p[j] == 'e' || p[j] == 'E')) {
		j += j + 1 < n && (p[j + 1] == '+' || p[j + 1] == '-');
		if (wire_lex_run(p, n, j + 1) == j + 1)
			return wire_lex_fail(e, 0, "invalid token");
		j = wire_lex_run(p, n, j + 1);
	}
	if (j != n)
		return wire_lex_fail(e, 0, "invalid token");
	if (ie != n) {
		*t = WIRE_LEX_REAL;
		if (wire_lex_real_short(p, n, dv) == 0)
			return 0;
		return wire_lex_real(p, n, dv, e);
	}
	*t = WIRE_LEX_INT;
	if (wire_lex_digits(p + i, n - i, (uint64_t)INT64_MAX + (i == 1),
	    &u) == -1)
		return wire_lex_fail(e, 0, i == 1 ? "too big negative integer" :
		    "too big integer");
	*iv = i == 1 && u > 0 ? -(int64_t)(u - 1) - 1 : (int64_t)u;
	return 0;
}

