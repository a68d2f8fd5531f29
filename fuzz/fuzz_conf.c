/* fuzz_conf.c: fuzz the config loader on config text from a buffer.
 *
 * Besides not crashing: a refused config has at least one error, each
 * "fuzz.conf:LINE: message" (or "fuzz.conf: message") with a line that is
 * in the text; an accepted one has none, its every endpoint formats, and
 * it prints as a config that loads again and prints the same.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"
#include "log.h"

#define FUZZ_NAME	"fuzz.conf"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init("fuzz_conf", LOG_LVL_QUIET);
	return 0;
}

static void
fuzz_errors(const struct conf_errors *errs, const char *text)
{
	const char *m, *nl;
	long line, nlines = 1;
	size_t i;
	char *end;

	for (nl = text; (nl = strchr(nl, '\n')) != NULL; nl++)
		nlines++;
	FUZZ_ASSERT(errs->n > 0);
	for (i = 0; i < errs->n; i++) {
		m = errs->msg[i];
		FUZZ_ASSERT(strncmp(m, FUZZ_NAME ":", sizeof FUZZ_NAME) == 0);
		m += sizeof FUZZ_NAME;
		if (*m == ' ')
			continue;	/* no line: about the whole file */
		line = strtol(m, &end, 10);
		FUZZ_ASSERT(end != m && end[0] == ':' && end[1] == ' ');
		FUZZ_ASSERT(line >= 1 && line <= nlines);
		FUZZ_ASSERT(end[2] != '\0');
	}
}

/* Print c; the caller frees the text. */
static char *
fuzz_print(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	conf_print(f, c);
	if (fclose(f) != 0)
		abort();
	return buf;
}

static void
fuzz_accepted(const struct conf *c)
{
	struct conf_errors errs;
	struct conf *c2;
	char ep[512], *p1, *p2;
	size_t i;
	int r;

	for (i = 0; i < c->nworkers; i++) {
		FUZZ_ASSERT(c->workers[i].replicas >= 1);
		for (r = 0; r < c->workers[i].replicas; r++) {
			conf_worker_endpoint(c, &c->workers[i], r, 1, ep,
			    sizeof ep);
			conf_worker_endpoint(c, &c->workers[i], r, 0, ep,
			    sizeof ep);
		}
		FUZZ_ASSERT(conf_find_worker(c, c->workers[i].name) ==
		    &c->workers[i]);
	}
	p1 = fuzz_print(c);
	memset(&errs, 0, sizeof errs);
	c2 = conf_load_string(p1, FUZZ_NAME, &errs);
	if (c2 == NULL) {
		fprintf(stderr, "the printed config does not load:\n%s\n", p1);
		conf_errors_print(stderr, &errs);
	}
	FUZZ_ASSERT(c2 != NULL && errs.n == 0);
	FUZZ_ASSERT(c2->nworkers == c->nworkers);
	for (i = 0; i < c->nworkers; i++)
		FUZZ_ASSERT(conf_worker_same(c, &c->workers[i], c2,
		    &c2->workers[i]));
	p2 = fuzz_print(c2);
	FUZZ_ASSERT(strcmp(p1, p2) == 0);
	free(p1);
	free(p2);
	conf_free(&c2);
	conf_errors_free(&errs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_errors errs;
	struct conf *c;
	char *text;

	text = fuzz_cstring(data, size);
	memset(&errs, 0, sizeof errs);
	if ((c = conf_load_string(text, FUZZ_NAME, &errs)) != NULL) {
		FUZZ_ASSERT(errs.n == 0);
		fuzz_accepted(c);
		conf_free(&c);
	} else
		fuzz_errors(&errs, text);
	conf_errors_free(&errs);
	free(text);
	return 0;
}
