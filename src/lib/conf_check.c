/* conf_check.c: the check mode the programs share (fake-servers -n), and
 * what a valid configuration may still get wrong (conf_warnings). */
#include "config.h"

#include <stdio.h>

#include "conf.h"
#include "exitcode.h"
#include "log.h"

int
conf_warnings(const struct conf *c, struct conf_errors *warns)
{
	const struct conf_worker *w;
	size_t i, n = warns->n;

	for (i = 0; i < c->nworkers; i++) {
		w = &c->workers[i];
		if (w->start_delay_ms < w->restart.start_timeout_ms)
			continue;
		conf_errors_add(warns, w->file, w->key_line[WK_START_DELAY_MS],
		    "warning: worker '%s': start_delay_ms %g is not below its "
		    "restart start_timeout_ms %g: it will be killed before it "
		    "is READY, every start", w->name, w->start_delay_ms,
		    w->restart.start_timeout_ms);
	}
	return (int)(warns->n - n);
}

void
conf_warnings_log(const struct conf *c)
{
	struct conf_errors warns = { 0 };
	size_t i;

	conf_warnings(c, &warns);
	for (i = 0; i < warns.n; i++)
		log_warnx("%s", warns.msg[i]);
	conf_errors_free(&warns);
}

int
conf_check(const char *path, int flags, int verbose, FILE *out, FILE *err)
{
	struct conf_errors errs = { NULL, 0, 0, NULL };
	struct conf *c;

	if ((c = conf_load(path, flags, &errs)) == NULL) {
		conf_errors_print(err, &errs);
		conf_errors_free(&errs);
		return FS_EXIT_CONFIG;
	}
	conf_warnings(c, &errs);
	conf_errors_print(err, &errs);
	conf_errors_free(&errs);
	if (verbose)
		conf_print(out, c);
	fprintf(out, "configuration OK\n");
	conf_free(&c);
	return FS_EXIT_OK;
}
