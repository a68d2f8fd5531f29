/* wire_lex.h: the bytes of one JSON string, number or literal, checked
 * and read as jansson reads them: strings without control characters,
 * with valid escapes, surrogates in pairs, valid UTF-8 and no \u0000;
 * numbers by JSON's grammar, integers within int64_t ("too big integer"
 * otherwise, as in jansson), reals by strtod that do not overflow.
 * wire_doc.c finds where they are.
 */
#ifndef FS_WIRE_LEX_H
#define FS_WIRE_LEX_H

#include <stddef.h>
#include <stdint.h>

enum wire_lex_kind {
	WIRE_LEX_INT,	/* a number without fraction or exponent */
	WIRE_LEX_REAL,
	WIRE_LEX_TRUE,
	WIRE_LEX_FALSE,
	WIRE_LEX_NULL
};

struct wire_lex_err {
	const char	*why;	/* what is wrong */
	size_t		 at;	/* where: a byte offset */
};

/* A decoded string's bytes, truncated to size - 1; n counts them all. */
struct wire_lex_out {
	char	*buf;
	size_t	 size;
	size_t	 n;
};

/* Set *e; returns -1. */
int	wire_lex_fail(struct wire_lex_err *e, size_t at, const char *why);
/* A string's bytes between its quotes, p[0..n): checked, and decoded
 * into o unless it is NULL (o->buf is not terminated). 0, or -1 with *e
 * (at: from p). */
int	wire_lex_string(const char *p, size_t n, struct wire_lex_out *o,
	    struct wire_lex_err *e);
/* A number or literal, p[0..n): its kind and value (*iv for an integer,
 * *dv for a real). 0, or -1 with *e. */
int	wire_lex_scalar(const char *p, size_t n, enum wire_lex_kind *k,
	    int64_t *iv, double *dv, struct wire_lex_err *e);

#endif
