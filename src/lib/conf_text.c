/* conf_text.c: look at a config file's bytes before libconfig does.
 *
 * libconfig 1.5 silently wraps an integer literal that does not fit in 32
 * bits (port = 4294977297 reads as 10001) and would open any file named by
 * "@include"; and its parser leaks a string met where a name is expected.
 * So one pass over the text, aware of strings, comments and nesting: refuse
 * NUL bytes (not a text file) and @include, append the int64 suffix "L" to
 * integer literals beyond 32 bits, turn decimal literals beyond 64 bits
 * into floats, which the range checks then refuse with their value, and
 * replace the quote of a misplaced string by a character libconfig rejects
 * without allocating, so it still reports its own syntax error there.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

struct conf_scan {
	const char	*p, *end;
	char		*out;		/* write position */
	int		 line;
	int		 tokens;	/* seen anything but blanks and comments */
	int		 rc;		/* -1 once an error was reported */
	int		 value_ok;	/* a value may come next */
	int		 broken;	/* a syntax error: copy the rest as is */
	char		*nest;		/* the open brackets: { ( [ */
	size_t		 depth;
	const char	*file;
	struct conf_errors *errs;
};

static void
scan_copy(struct conf_scan *s, const char *to)
{
	for (; s->p < to; s->p++) {
		if (*s->p == '\n')
			s->line++;
		*s->out++ = *s->p;
	}
}

/* Comment or blank at s->p: copy it whole. Returns 1 if there was one. */
static int
scan_skip(struct conf_scan *s)
{
	const char *q;

	if (isspace((unsigned char)*s->p)) {
		scan_copy(s, s->p + 1);
		return 1;
	}
	if (*s->p == '#' || (*s->p == '/' && s->p + 1 < s->end &&
	    s->p[1] == '/')) {
		q = memchr(s->p, '\n', (size_t)(s->end - s->p));
		scan_copy(s, q ? q : s->end);
		return 1;
	}
	if (*s->p == '/' && s->p + 1 < s->end && s->p[1] == '*') {
		for (q = s->p + 2; q + 1 < s->end; q++)
			if (q[0] == '*' && q[1] == '/')
				break;
		scan_copy(s, q + 1 < s->end ? q + 2 : s->end);
		return 1;
	}
	return 0;
}

static void
scan_string(struct conf_scan *s)
{
	const char *q;

	for (q = s->p + 1; q < s->end && *q != '"'; q++)
		if (*q == '\\' && q + 1 < s->end)
			q++;
	scan_copy(s, q < s->end ? q + 1 : s->end);
}

static int
is_namechar(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '-' ||
	    ch == '*';
}

/* A number at s->p (sign included): copy it, widened if need be. */
static void
scan_number(struct conf_scan *s)
{
	const char *q = s->p, *digits;
	int hex = 0, isfloat = 0;
	unsigned long long v = 0;
	int overflow = 0;

	if (*q == '+' || *q == '-')
		q++;
	if (q + 1 < s->end && q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
		hex = 1;
		q += 2;
	}
	digits = q;
	for (; q < s->end; q++) {
		if (hex ? isxdigit((unsigned char)*q) :
		    isdigit((unsigned char)*q)) {
			unsigned d = isdigit((unsigned char)*q) ? (unsigned)(*q - '0') :
			    (unsigned)(tolower((unsigned char)*q) - 'a' + 10);
			unsigned base = hex ? 16 : 10;
			if (v > (ULLONG_MAX - d) / base)
				overflow = 1;
			else
				v = v * base + d;
		} else if (!hex && (*q == '.' || *q == 'e' || *q == 'E' ||
		    ((*q == '+' || *q == '-') && (q[-1] == 'e' ||
		    q[-1] == 'E'))))
			isfloat = 1;
		else
			break;
	}
	scan_copy(s, q);
	if (isfloat || q == digits || (q < s->end && (*q == 'L' ||
	    is_namechar(*q))))
		return;		/* already int64, or not ours to judge */
	if (hex && overflow) {
		conf_errors_add(s->errs, s->file, s->line, "integer %.*s does "
		    "not fit in 64 bits", (int)(q - digits), digits);
		s->rc = -1;
	} else if (!hex && (overflow || v > (unsigned long long)INT64_MAX)) {
		memcpy(s->out, ".0", 2);	/* too big even for int64 */
		s->out += 2;
	} else if (v > INT32_MAX)
		*s->out++ = 'L';
}

/* An "@include" (or any directive) at s->p. */
static void
scan_directive(struct conf_scan *s)
{
	conf_errors_add(s->errs, s->file, s->line, "@include and other directives "
	    "are not supported (put workers in fake-servers.d instead)");
	while (s->p < s->end && *s->p != '\n')
		scan_copy(s, s->p + 1);
	s->rc = -1;
}

/* After the punctuation ch, may a value come next? */
static void
scan_punct(struct conf_scan *s, char ch)
{
	char top = s->depth > 0 ? s->nest[s->depth - 1] : '{';

	switch (ch) {
	case '{': case '(': case '[':
		s->nest[s->depth++] = ch;
		s->value_ok = ch != '{';
		break;
	case '}': case ')': case ']':
		if (s->depth > 0)
			s->depth--;
		s->value_ok = 0;
		break;
	case '=': case ':':
		s->value_ok = 1;
		break;
	case ',':
		s->value_ok = top != '{';
		break;
	default:
		s->value_ok = 0;
	}
}

/* One token (or comment) at s->p. */
static void
scan_token(struct conf_scan *s)
{
	char ch = *s->p;

	if (s->broken) {
		scan_copy(s, s->end);
		return;
	}
	if (scan_skip(s))
		return;
	s->tokens = 1;
	if (ch == '"' && !s->value_ok) {
		*s->out++ = '$';	/* garbage to libconfig's scanner */
		s->p++;
		s->broken = 1;
		return;
	}
	if (ch == '"') {
		scan_string(s);
		s->value_ok = 1;	/* "a" "b" is one string */
		return;
	}
	scan_punct(s, ch);		/* anything else: no value after it */
	if (strchr("{}()[]=:,;", ch))
		scan_copy(s, s->p + 1);
	else if (ch == '@')
		scan_directive(s);
	else if (isdigit((unsigned char)ch) || ((ch == '-' || ch == '+' ||
	    ch == '.') && s->p + 1 < s->end &&
	    isdigit((unsigned char)s->p[1])))
		scan_number(s);
	else if (is_namechar(ch)) {
		const char *q = s->p;
		while (q < s->end && is_namechar(*q))
			q++;
		scan_copy(s, q);
	} else
		scan_copy(s, s->p + 1);
}

static int
has_nul(const char *buf, size_t len, const char *file,
    struct conf_errors *errs)
{
	const char *nul = memchr(buf, '\0', len), *q;
	int line = 1;

	if (nul == NULL)
		return 0;
	for (q = buf; q < nul; q++)
		line += *q == '\n';
	conf_errors_add(errs, file, 0, "not a text file (NUL byte at line %d, "
	    "offset %zu)", line, (size_t)(nul - buf));
	return 1;
}

char *
conf_text_prepare(const char *buf, size_t len, const char *file,
    struct conf_errors *errs, int *empty)
{
	struct conf_scan s;
	char *out;

	*empty = 0;
	if (has_nul(buf, len, file, errs))
		return NULL;
	/* At most 2 more bytes per literal, and a literal is >= 10 bytes. */
	if ((out = malloc(len + len / 5 + 1)) == NULL) {
		conf_errors_add(errs, file, 0, "cannot read: %s",
		    strerror(ENOMEM));
		return NULL;
	}
	s.p = buf;
	s.end = buf + len;
	s.out = out;
	s.line = 1;
	s.tokens = 0;
	s.rc = 0;
	s.file = file;
	s.errs = errs;
	s.value_ok = 0;
	s.broken = 0;
	s.depth = 0;
	if ((s.nest = malloc(len + 1)) == NULL) {
		free(out);
		conf_errors_add(errs, file, 0, "cannot read: %s",
		    strerror(ENOMEM));
		return NULL;
	}
	while (s.p < s.end)
		scan_token(&s);
	*s.out = '\0';
	*empty = !s.tokens;
	free(s.nest);
	if (s.rc == -1) {
		free(out);
		return NULL;
	}
	return out;
}
