/* wire_doc.h: a header's JSON text, tokenized in place (wire.c's only).
 *
 * jsmn (Debian's libjsmn-dev) splits the text into tokens held in the
 * caller's struct, on its stack: nothing is allocated (but a copy of a
 * number of 64 characters or more, for strtod). jsmn itself is
 * lenient (it checks no separator, number, literal, escape or UTF-8), so
 * wire_doc_load checks every byte as jansson does: the grammar, strings
 * (control characters, escapes, surrogate pairs, UTF-8, no \u0000),
 * integers within int64_t, reals that do not overflow a double, nothing
 * after the value. Then the tokens are those of one valid JSON value;
 * an object's members are found by their decoded names, the last of a
 * repeated name winning (as in jansson's objects).
 */
#ifndef FS_WIRE_DOC_H
#define FS_WIRE_DOC_H

#include <stddef.h>
#include <stdint.h>

/* Types only here; wire_doc.c includes jsmn's code (static) before this. */
#ifndef JSMN_PARENT_LINKS
#define JSMN_PARENT_LINKS
#endif
#ifndef JSMN_HEADER
#define JSMN_HEADER
#endif
#include <jsmn.h>

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

struct wire_doc {
	const char	*js;
	size_t		 len;
	int		 ntok;	/* token 0 is the value, then in text order */
	jsmntok_t	 tok[WIRE_DOC_TOKENS];
};

/* Tokenize and check buf: 0, or -1 with "header is not JSON: ... (at
 * byte N)" in errbuf (or that it has more tokens than WIRE_DOC_TOKENS). */
int	wire_doc_load(struct wire_doc *d, const void *buf, size_t len,
	    char *errbuf, size_t errlen);
enum wire_doc_type wire_doc_type(const struct wire_doc *d, int i);
/* The token after value i and everything inside it. */
int	wire_doc_next(const struct wire_doc *d, int i);
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
