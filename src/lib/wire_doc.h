/* wire_doc.h: a header's JSON text, read in one pass (wire.c's only).
 *
 * wire_doc_load walks the text once, byte by byte, and checks it as
 * strictly as jansson does: the grammar, strings (control characters,
 * escapes, surrogate pairs, UTF-8, no \u0000; wire_lex.c), integers
 * within int64_t, reals that do not overflow a double, nothing after the
 * value. Each value and member name becomes a token in the caller's
 * struct, on its stack: its type, its extent, the token after it, and a
 * number's value, read once. Nothing is allocated (but a copy of a
 * number of 64 characters or more, for strtod). An object's members are
 * found by their decoded names, the last of a repeated name winning (as
 * in jansson's objects).
 */
#ifndef FS_WIRE_DOC_H
#define FS_WIRE_DOC_H

#include <stddef.h>
#include <stdint.h>

/* A header has one token per value, member name and container: any
 * header we write holds fewer than 100. */
#define WIRE_DOC_TOKENS	512

enum wire_doc_type {
	WIRE_DOC_OBJECT,
	WIRE_DOC_ARRAY,
	WIRE_DOC_STRING,
	WIRE_DOC_INT,	/* a number without fraction or exponent */
	WIRE_DOC_REAL,
	WIRE_DOC_TRUE,
	WIRE_DOC_FALSE,
	WIRE_DOC_NULL
};

struct wire_doc_tok {
	uint8_t	 type;		/* enum wire_doc_type */
	uint8_t	 plain;		/* a string of bytes as they are: no '\\' */
	int	 start;		/* a string's first byte past its quote, a
				 * container's bracket, a scalar's first */
	int	 end;		/* past its last byte (a string's, before the
				 * quote; a container's closing bracket) */
	int	 next;		/* the token after it and all inside it */
	union {
		int64_t	i;	/* WIRE_DOC_INT */
		double	d;	/* WIRE_DOC_REAL */
	} v;
};

struct wire_doc {
	const char	*js;
	size_t		 len;
	int		 ntok;	/* token 0 is the value, then in text order */
	struct wire_doc_tok tok[WIRE_DOC_TOKENS];
};

/* Read and check buf: 0, or -1 with "header is not JSON: ... (at byte
 * N)" in errbuf (or that it has more tokens than WIRE_DOC_TOKENS). */
int	wire_doc_load(struct wire_doc *d, const void *buf, size_t len,
	    char *errbuf, size_t errlen);

static inline enum wire_doc_type
wire_doc_type(const struct wire_doc *d, int i)
{
	return (enum wire_doc_type)d->tok[i].type;
}

/* The token after value i and everything inside it. */
static inline int
wire_doc_next(const struct wire_doc *d, int i)
{
	return d->tok[i].next;
}

/* For each of the n names, the token of its value in object obj (its
 * last one), or -1 when the object has no such member. */
void	wire_doc_members(const struct wire_doc *d, int obj,
	    const char *const *names, int n, int *val);
/* Integer i's value: 1, or 0 when it is not an integer. */
int	wire_doc_int(const struct wire_doc *d, int i, int64_t *v);
/* A number's value as a double: 1, or 0 when it is not a number. */
int	wire_doc_num(const struct wire_doc *d, int i, double *v);
/* String i decoded into buf (truncated to fit, NUL-terminated): its whole
 * decoded length, or -1 when it is not a string. */
long	wire_doc_str(const struct wire_doc *d, int i, char *buf, size_t size);

#endif
