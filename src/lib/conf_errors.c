/* conf_errors.c: the list of config errors, "file:line: message".
 *
 * Every problem a load finds is added here rather than reported at once, so
 * that one pass shows them all; conf_errors_sort then puts them in reading
 * order (by file, then line), whichever check found them first.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

/* Where an error goes in the sorted list: its file's first error, line. */
static unsigned long long
errors_at(const struct conf_errors *e, const char *file, int line)
{
	size_t j, flen = strlen(file);

	for (j = 0; j < e->n; j++)
		if (strncmp(e->msg[j], file, flen) == 0 &&
		    e->msg[j][flen] == ':')
			break;
	if (j < e->n)
		j = e->at[j] >> 32;
	return (unsigned long long)j << 32 | (unsigned)(line > 0 ? line : 0);
}

static int
errors_grow(struct conf_errors *e)
{
	size_t cap = e->cap ? 2 * e->cap : 16;
	char **m;
	unsigned long long *at;

	if ((m = realloc(e->msg, cap * sizeof *m)) == NULL)
		return -1;
	e->msg = m;
	if ((at = realloc(e->at, cap * sizeof *at)) == NULL)
		return -1;
	e->at = at;
	e->cap = cap;
	return 0;
}

void
conf_errors_add(struct conf_errors *e, const char *file, int line,
    const char *fmt, ...)
{
	char msg[1024], *p;
	va_list ap;
	int n;

	if (e->n > CONF_ERRORS_MAX || (e->n == e->cap && errors_grow(e) == -1))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	e->at[e->n] = errors_at(e, file, line);
	if (e->n == CONF_ERRORS_MAX) {	/* stays last when sorted */
		snprintf(msg, sizeof msg, "too many errors, giving up");
		e->at[e->n] = ~0ULL;
		line = 0;
	}
	if (line > 0)
		n = asprintf(&e->msg[e->n], "%s:%d: %s", file, line, msg);
	else
		n = asprintf(&e->msg[e->n], "%s: %s", file, msg);
	if (n < 0)
		return;
	for (p = e->msg[e->n++]; *p != '\0'; p++)	/* one line, no escapes */
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* Stable insertion sort: error lists are short. */
void
conf_errors_sort(struct conf_errors *e, size_t from)
{
	size_t i, j;
	unsigned long long at;
	char *m;

	for (i = from + 1; i < e->n; i++) {
		at = e->at[i];
		m = e->msg[i];
		for (j = i; j > from && e->at[j - 1] > at; j--) {
			e->at[j] = e->at[j - 1];
			e->msg[j] = e->msg[j - 1];
		}
		e->at[j] = at;
		e->msg[j] = m;
	}
}

void
conf_errors_print(FILE *f, const struct conf_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		fprintf(f, "%s\n", e->msg[i]);
}

void
conf_errors_free(struct conf_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->msg[i]);
	free(e->msg);
	free(e->at);
	e->msg = NULL;
	e->at = NULL;
	e->n = e->cap = 0;
}
