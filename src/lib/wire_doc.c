/* wire_doc.c: a header's JSON text tokenized by jsmn and checked byte by
 * byte as strictly as jansson checks it, with nothing allocated; then its
 * values read from the tokens (wire_doc.h).
 *
 * jsmn finds the tokens and their extents; the check walks them in text
 * order with a cursor, so every byte between two tokens must be the
 * whitespace, ':' or ',' the grammar puts there and every bracket must
 * close the container jsmn says it does. A bare number or literal as the
 * whole text (which strict jsmn cannot end) is read here.
 */
#include "config.h"

/* jsmn's code, static to this file; wire_doc.h then sees its types. */
#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include <limits.h>
#include <string.h>

#include "wire.h"
#include "wire_doc.h"
#include "wire_lex.h"

static size_t
wire_doc_skip(const struct wire_doc *d, size_t p)
{
	while (p < d->len && (d->js[p] == ' ' || d->js[p] == '\t' ||
	    d->js[p] == '\n' || d->js[p] == '\r'))
		p++;
	return p;
}

/* Token i, whose text must begin at *p: checked; *p past it (past the
 * opening bracket of a container). */
static int
wire_doc_token(const struct wire_doc *d, int i, size_t *p,
    struct wire_lex_err *e)
{
	const jsmntok_t *t = &d->tok[i];
	enum wire_lex_kind ty;
	size_t at = (size_t)t->start - (t->type == JSMN_STRING);
	int64_t iv;
	double dv;

	if (at != *p)
		return wire_lex_fail(e, *p, "unexpected text");
	if (t->type == JSMN_STRING && wire_lex_string(d->js + t->start,
	    (size_t)(t->end - t->start), NULL, e) == -1) {
		e->at += (size_t)t->start;
		return -1;
	}
	if (t->type == JSMN_PRIMITIVE && wire_lex_scalar(d->js + t->start,
	    (size_t)(t->end - t->start), &ty, &iv, &dv, e) == -1) {
		e->at += (size_t)t->start;
		return -1;
	}
	*p = t->type == JSMN_STRING ? (size_t)t->end + 1 :
	    t->type == JSMN_PRIMITIVE ? (size_t)t->end : at + 1;
	return 0;
}

/* The next value (or, with key, a member's name and its ':') at *p. */
static int
wire_doc_item(const struct wire_doc *d, int i, int key, size_t *p,
    struct wire_lex_err *e)
{
	if (i >= d->ntok || (key && d->tok[i].type != JSMN_STRING))
		return wire_lex_fail(e, *p, key ? "string expected" :
		    "value expected");
	if (wire_doc_token(d, i, p, e) == -1)
		return -1;
	if (!key)
		return 0;
	*p = wire_doc_skip(d, *p);
	if (*p >= d->len || d->js[*p] != ':')
		return wire_lex_fail(e, *p, "':' expected");
	*p = wire_doc_skip(d, *p + 1);
	return 0;
}

/* Container c closes at p. */
static int
wire_doc_close(const struct wire_doc *d, const jsmntok_t *c, size_t p,
    struct wire_lex_err *e)
{
	char want = c->type == JSMN_OBJECT ? '}' : ']';

	if (p >= d->len || d->js[p] != want || (size_t)c->end != p + 1)
		return wire_lex_fail(e, p, want == '}' ? "',' or '}' expected" :
		    "',' or ']' expected");
	return 0;
}

/* After a value, at *p: the containers it ends closed; 1 when a member
 * (*key) or an element follows, 0 at the end of the whole value. */
static int
wire_doc_after(const struct wire_doc *d, const int *stack, int *sp,
    size_t *p, int *key, struct wire_lex_err *e)
{
	const jsmntok_t *c;

	for (;;) {
		*p = wire_doc_skip(d, *p);
		if (*sp == 0)
			return 0;
		c = &d->tok[stack[*sp - 1]];
		if (*p < d->len && d->js[*p] == ',') {
			*p = wire_doc_skip(d, *p + 1);
			*key = c->type == JSMN_OBJECT;
			return 1;
		}
		if (wire_doc_close(d, c, *p, e) == -1)
			return -1;
		(*sp)--;
		(*p)++;
	}
}

/* Every token in text order against the bytes around it. */
static int
wire_doc_check(const struct wire_doc *d, struct wire_lex_err *e)
{
	int stack[WIRE_DOC_TOKENS], sp = 0, i = 0, key = 0, r = 1;
	const jsmntok_t *t;
	size_t p = wire_doc_skip(d, 0);

	while (r == 1) {
		if (wire_doc_item(d, i, key, &p, e) == -1)
			return -1;
		t = &d->tok[i++];
		if (key) {
			key = 0;
			continue;
		}
		if (t->type == JSMN_OBJECT || t->type == JSMN_ARRAY) {
			stack[sp++] = i - 1;
			p = wire_doc_skip(d, p);
			if (p >= d->len || d->js[p] != (t->type == JSMN_OBJECT ?
			    '}' : ']')) {
				key = t->type == JSMN_OBJECT;
				continue;
			}
			if (wire_doc_close(d, t, p++, e) == -1)
				return -1;
			sp--;
		}
		if ((r = wire_doc_after(d, stack, &sp, &p, &key, e)) == -1)
			return -1;
	}
	if (p != d->len || i != d->ntok)
		return wire_lex_fail(e, p, "end of file expected");
	return 0;
}

/* A number or literal as the whole text, from p. */
static int
wire_doc_bare(struct wire_doc *d, size_t p, struct wire_lex_err *e)
{
	enum wire_lex_kind ty;
	size_t q = p;
	int64_t iv;
	double dv;

	while (q < d->len && strchr(" \t\r\n,:[]{}\"", d->js[q]) == NULL)
		q++;	/* strchr finds '\0' too: it ends the token */
	if (wire_lex_scalar(d->js + p, q - p, &ty, &iv, &dv, e) == -1) {
		e->at += p;
		return -1;
	}
	memset(&d->tok[0], 0, sizeof d->tok[0]);
	d->tok[0].type = JSMN_PRIMITIVE;
	d->tok[0].start = (int)p;
	d->tok[0].end = (int)q;
	d->tok[0].parent = -1;
	d->ntok = 1;
	if (wire_doc_skip(d, q) != d->len)
		return wire_lex_fail(e, q, "end of file expected");
	return 0;
}

int
wire_doc_load(struct wire_doc *d, const void *buf, size_t len, char *errbuf,
    size_t errlen)
{
	struct wire_lex_err e = { NULL, 0 };
	jsmn_parser jp;
	size_t p;
	int n;

	d->js = buf;
	d->len = len;
	d->ntok = 0;
	if (len >= INT_MAX)
		return wire_fail(errbuf, errlen, "header is not JSON: longer "
		    "than %d bytes", INT_MAX - 1);
	p = wire_doc_skip(d, 0);
	if (p < len && d->js[p] != '\0' && strchr("-0123456789tfn",
	    d->js[p]) != NULL) {
		wire_doc_bare(d, p, &e);
	} else {
		jsmn_init(&jp);
		n = jsmn_parse(&jp, d->js, len, d->tok, WIRE_DOC_TOKENS);
		if (n == JSMN_ERROR_NOMEM)
			return wire_fail(errbuf, errlen, "header has more "
			    "than %d JSON tokens", WIRE_DOC_TOKENS);
		if (n < 0) {
			wire_lex_fail(&e, jp.pos, n == JSMN_ERROR_PART ?
			    "premature end of input" : "invalid token");
		} else {
			d->ntok = n;
			wire_doc_check(d, &e);
		}
	}
	if (e.why != NULL)
		return wire_fail(errbuf, errlen, "header is not JSON: %s (at "
		    "byte %zu)", e.why, e.at);
	return 0;
}

enum wire_doc_type
wire_doc_type(const struct wire_doc *d, int i)
{
	const jsmntok_t *t = &d->tok[i];
	int p;

	if (t->type == JSMN_OBJECT)
		return WIRE_DOC_OBJECT;
	if (t->type == JSMN_ARRAY)
		return WIRE_DOC_ARRAY;
	if (t->type == JSMN_STRING)
		return WIRE_DOC_STRING;
	switch (d->js[t->start]) {
	case 't':
		return WIRE_DOC_TRUE;
	case 'f':
		return WIRE_DOC_FALSE;
	case 'n':
		return WIRE_DOC_NULL;
	}
	for (p = t->start; p < t->end; p++)
		if (d->js[p] == '.' || d->js[p] == 'e' || d->js[p] == 'E')
			return WIRE_DOC_REAL;
	return WIRE_DOC_INT;
}

int
wire_doc_next(const struct wire_doc *d, int i)
{
	int j = i + 1;

	while (j < d->ntok && d->tok[j].start < d->tok[i].end)
		j++;
	return j;
}

void
wire_doc_members(const struct wire_doc *d, int obj, const char *const *names,
    int n, int *val)
{
	int i, j, end = wire_doc_next(d, obj);
	const jsmntok_t *k;
	const char *s;
	char name[32];
	size_t len;
	long m;

	for (j = 0; j < n; j++)
		val[j] = -1;
	for (i = obj + 1; i < end; i = wire_doc_next(d, i + 1)) {
		k = &d->tok[i];
		s = d->js + k->start;
		len = (size_t)(k->end - k->start);
		if (memchr(s, '\\', len) != NULL) {
			if ((m = wire_doc_str(d, i, name, sizeof name)) < 0 ||
			    (size_t)m >= sizeof name)
				continue;	/* no name we look for */
			s = name;
			len = (size_t)m;
		}
		for (j = 0; j < n; j++)
			if (len > 0 && names[j][0] == s[0] &&
			    strncmp(names[j], s, len) == 0 &&
			    names[j][len] == '\0') {
				val[j] = i + 1;
				break;
			}
	}
}

/* Token i's number or literal: its kind and value, or -1 for a string
 * or a container. */
static int
wire_doc_scalar(const struct wire_doc *d, int i, enum wire_lex_kind *k,
    int64_t *iv, double *dv)
{
	const jsmntok_t *t = &d->tok[i];
	struct wire_lex_err e;

	if (t->type != JSMN_PRIMITIVE)
		return -1;
	return wire_lex_scalar(d->js + t->start, (size_t)(t->end - t->start),
	    k, iv, dv, &e);
}

int
wire_doc_int(const struct wire_doc *d, int i, int64_t *v)
{
	enum wire_lex_kind k;
	int64_t iv;
	double dv;

	if (wire_doc_scalar(d, i, &k, &iv, &dv) == -1 || k != WIRE_LEX_INT)
		return 0;
	*v = iv;
	return 1;
}

int
wire_doc_num(const struct wire_doc *d, int i, double *v)
{
	enum wire_lex_kind k;
	int64_t iv;
	double dv;

	if (wire_doc_scalar(d, i, &k, &iv, &dv) == -1 ||
	    (k != WIRE_LEX_INT && k != WIRE_LEX_REAL))
		return 0;
	*v = k == WIRE_LEX_INT ? (double)iv : dv;
	return 1;
}

long
wire_doc_str(const struct wire_doc *d, int i, char *buf, size_t size)
{
	struct wire_lex_out o = { buf, size, 0 };
	const jsmntok_t *t = &d->tok[i];
	struct wire_lex_err e;

	if (t->type != JSMN_STRING)
		return -1;
	wire_lex_string(d->js + t->start, (size_t)(t->end - t->start), &o, &e);
	buf[o.n < size ? o.n : size - 1] = '\0';
	return (long)o.n;
}
