/* wire_doc.c: a header's JSON text read in one pass, checked byte by byte
 * as strictly as jansson checks it, into tokens on the caller's stack;
 * then its values read from the tokens (wire_doc.h).
 *
 * One loop reads a value at the cursor, then what may follow it: the
 * closing brackets of the containers it ends, then a ',' (and, in an
 * object, the next member's name and its ':') or the end of the text.
 * An open container's token holds its parent's index in `next` until it
 * closes, so no other stack is needed. A string's escapes and UTF-8, and
 * a number's grammar and value, are wire_lex.c's.
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "wire.h"
#include "wire_doc.h"
#include "wire_lex.h"

/* The bytes that end a number or literal: whitespace, the grammar's
 * punctuation, a quote, and NUL. */
static const uint8_t wire_doc_stop[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [','] = 1, [':'] = 1,
	['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1, ['"'] = 1, ['\0'] = 1,
};

/* The bytes a string's fast scan stops at: its end, an escape, control
 * characters and bytes past ASCII (checked by wire_lex_string). */
#define R16(v)	v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
static const uint8_t wire_doc_special[256] = {
	R16(1), R16(1), ['"'] = 1, ['\\'] = 1,
	[0x80] = R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1),
};
#undef R16

/* More tokens than WIRE_DOC_TOKENS: said apart from the grammar's errors. */
static const char wire_doc_full[] = "too many tokens";

static size_t
wire_doc_skip(const struct wire_doc *d, size_t p)
{
	while (p < d->len && (d->js[p] == ' ' || d->js[p] == '\t' ||
	    d->js[p] == '\n' || d->js[p] == '\r'))
		p++;
	return p;
}

/* A new token of type t from p: its index, or -1 when there is no room. */
static int
wire_doc_new(struct wire_doc *d, enum wire_doc_type t, size_t p,
    struct wire_lex_err *e)
{
	struct wire_doc_tok *k;

	if (d->ntok == WIRE_DOC_TOKENS)
		return wire_lex_fail(e, p, wire_doc_full);
	k = &d->tok[d->ntok];
	k->type = (uint8_t)t;
	k->plain = 1;
	k->start = k->end = (int)p;
	k->next = d->ntok + 1;
	return d->ntok++;
}

/* The string whose opening quote is at *p; *p past its closing quote. */
static int
wire_doc_string(struct wire_doc *d, size_t *p, struct wire_lex_err *e)
{
	const unsigned char *s = (const unsigned char *)d->js;
	size_t q = *p + 1, start = q;
	int i, check = 0;

	if ((i = wire_doc_new(d, WIRE_DOC_STRING, q, e)) == -1)
		return -1;
	for (;;) {
		while (q < d->len && !wire_doc_special[s[q]])
			q++;
		if (q >= d->len)
			return wire_lex_fail(e, q, "premature end of input");
		if (s[q] == '"')
			break;
		if (s[q] < 0x20)
			return wire_lex_fail(e, q, s[q] == '\n' ? "unexpected "
			    "newline" : "control character in a string");
		if (s[q] == '\\') {
			d->tok[i].plain = 0;
			q++;	/* the escaped byte cannot end the string */
			if (q >= d->len)
				return wire_lex_fail(e, q,
				    "premature end of input");
		}
		check = 1;
		q++;
	}
	if (check && wire_lex_string(d->js + start, q - start, NULL, e) == -1) {
		e->at += start;
		return -1;
	}
	d->tok[i].end = (int)q;
	*p = q + 1;
	return 0;
}

/* The number or literal at *p, read once; *p past it. */
static int
wire_doc_scalar(struct wire_doc *d, size_t *p, struct wire_lex_err *e)
{
	static const uint8_t as[] = {
		[WIRE_LEX_INT] = WIRE_DOC_INT, [WIRE_LEX_REAL] = WIRE_DOC_REAL,
		[WIRE_LEX_TRUE] = WIRE_DOC_TRUE,
		[WIRE_LEX_FALSE] = WIRE_DOC_FALSE, [WIRE_LEX_NULL] = WIRE_DOC_NULL
	};
	size_t q = *p;
	enum wire_lex_kind k;
	int64_t iv = 0;
	double dv = 0;
	int i;

	while (q < d->len && !wire_doc_stop[(unsigned char)d->js[q]])
		q++;
	if (q == *p)
		return wire_lex_fail(e, q, "value expected");
	if (wire_lex_scalar(d->js + *p, q - *p, &k, &iv, &dv, e) == -1) {
		e->at += *p;
		return -1;
	}
	if ((i = wire_doc_new(d, (enum wire_doc_type)as[k], *p, e)) == -1)
		return -1;
	d->tok[i].end = (int)q;
	if (k == WIRE_LEX_INT)
		d->tok[i].v.i = iv;
	else
		d->tok[i].v.d = dv;
	*p = q;
	return 0;
}

/* A member's name at *p, and its ':'; *p at its value. */
static int
wire_doc_name(struct wire_doc *d, size_t *p, struct wire_lex_err *e)
{
	if (*p >= d->len || d->js[*p] != '"')
		return wire_lex_fail(e, *p, "string expected");
	if (wire_doc_string(d, p, e) == -1)
		return -1;
	*p = wire_doc_skip(d, *p);
	if (*p >= d->len || d->js[*p] != ':')
		return wire_lex_fail(e, *p, "':' expected");
	*p = wire_doc_skip(d, *p + 1);
	return 0;
}

/* After a value, at *p: the containers it ends closed (*open: the
 * innermost still open, -1 none); 1 when a value follows, at *p, or 0
 * at the end of the text. */
static int
wire_doc_after(struct wire_doc *d, int *open, size_t *p,
    struct wire_lex_err *e)
{
	struct wire_doc_tok *c;
	char close;

	for (;;) {
		*p = wire_doc_skip(d, *p);
		if (*open < 0)
			return *p == d->len ? 0 :
			    wire_lex_fail(e, *p, "end of file expected");
		c = &d->tok[*open];
		if (*p < d->len && d->js[*p] == ',') {
			*p = wire_doc_skip(d, *p + 1);
			if (c->type == WIRE_DOC_OBJECT &&
			    wire_doc_name(d, p, e) == -1)
				return -1;
			return 1;
		}
		close = c->type == WIRE_DOC_OBJECT ? '}' : ']';
		if (*p >= d->len || d->js[*p] != close)
			return wire_lex_fail(e, *p, close == '}' ?
			    "',' or '}' expected" : "',' or ']' expected");
		c->end = (int)++*p;
		*open = c->next;	/* its parent, kept while it was open */
		c->next = d->ntok;
	}
}

/* The whole text: one value and nothing after it. */
static int
wire_doc_parse(struct wire_doc *d, struct wire_lex_err *e)
{
	size_t p = wire_doc_skip(d, 0);
	int open = -1, i, r;
	char c;

	do {
		if (p >= d->len)
			return wire_lex_fail(e, p, "premature end of input");
		c = d->js[p];
		if (c == '{' || c == '[') {
			if ((i = wire_doc_new(d, c == '{' ? WIRE_DOC_OBJECT :
			    WIRE_DOC_ARRAY, p, e)) == -1)
				return -1;
			d->tok[i].next = open;
			open = i;
			p = wire_doc_skip(d, p + 1);
			if (p < d->len && d->js[p] == (c == '{' ? '}' : ']'))
				r = wire_doc_after(d, &open, &p, e);
			else if (c == '{')
				r = wire_doc_name(d, &p, e) == -1 ? -1 : 1;
			else
				r = 1;
		} else {
			if ((c == '"' ? wire_doc_string(d, &p, e) :
			    wire_doc_scalar(d, &p, e)) == -1)
				return -1;
			r = wire_doc_after(d, &open, &p, e);
		}
	} while (r == 1);
	return r;
}

int
wire_doc_load(struct wire_doc *d, const void *buf, size_t len, char *errbuf,
    size_t errlen)
{
	struct wire_lex_err e = { NULL, 0 };

	d->js = buf;
	d->len = len;
	d->ntok = 0;
	if (len >= INT_MAX)
		return wire_fail(errbuf, errlen, "header is not JSON: longer "
		    "than %d bytes", INT_MAX - 1);
	if (wire_doc_parse(d, &e) == 0)
		return 0;
	if (e.why == wire_doc_full)
		return wire_fail(errbuf, errlen, "header has more than %d JSON "
		    "tokens", WIRE_DOC_TOKENS);
	return wire_fail(errbuf, errlen, "header is not JSON: %s (at byte "
	    "%zu)", e.why, e.at);
}

/* Name is s[0..len), which holds no NUL. */
static int
wire_doc_is(const char *name, const char *s, size_t len)
{
	size_t k;

	for (k = 0; k < len; k++)
		if (name[k] != s[k])
			return 0;
	return name[len] == '\0';
}

void
wire_doc_members(const struct wire_doc *d, int obj, const char *const *names,
    int n, int *val)
{
	int i, j, c, end = d->tok[obj].next, at = 0;
	const struct wire_doc_tok *k;
	const char *s;
	char name[32];
	size_t len;
	long m;

	for (j = 0; j < n; j++)
		val[j] = -1;
	for (i = obj + 1; i < end; i = d->tok[i + 1].next) {
		k = &d->tok[i];
		s = d->js + k->start;
		len = (size_t)(k->end - k->start);
		if (!k->plain) {
			if ((m = wire_doc_str(d, i, name, sizeof name)) < 0 ||
			    (size_t)m >= sizeof name)
				continue;	/* no name we look for */
			s = name;
			len = (size_t)m;
		}
		/* From the name after the last one found: a writer that
		 * writes them in the order of names is matched at once. */
		for (c = 0, j = at; c < n; c++, j = j + 1 == n ? 0 : j + 1)
			if (len > 0 && names[j][0] == s[0] &&
			    wire_doc_is(names[j], s, len)) {
				val[j] = i + 1;
				at = j + 1 == n ? 0 : j + 1;
				break;
			}
	}
}

int
wire_doc_int(const struct wire_doc *d, int i, int64_t *v)
{
	if (d->tok[i].type != WIRE_DOC_INT)
		return 0;
	*v = d->tok[i].v.i;
	return 1;
}

int
wire_doc_num(const struct wire_doc *d, int i, double *v)
{
	if (d->tok[i].type == WIRE_DOC_INT)
		*v = (double)d->tok[i].v.i;
	else if (d->tok[i].type == WIRE_DOC_REAL)
		*v = d->tok[i].v.d;
	else
		return 0;
	return 1;
}

long
wire_doc_str(const struct wire_doc *d, int i, char *buf, size_t size)
{
	const struct wire_doc_tok *t = &d->tok[i];
	struct wire_lex_out o = { buf, size, 0 };
	size_t n = (size_t)(t->end - t->start);
	struct wire_lex_err e;

	if (t->type != WIRE_DOC_STRING)
		return -1;
	if (t->plain) {		/* its bytes are its value */
		o.n = n;
		memcpy(buf, d->js + t->start, n < size ? n : size - 1);
	} else {
		wire_lex_string(d->js + t->start, n, &o, &e);
	}
	buf[o.n < size ? o.n : size - 1] = '\0';
	return (long)o.n;
}
