/* conf_check.c: the check mode the programs share (fake-servers -n). */
#include "config.h"

#include <stdio.h>

#include "conf.h"
#include "exitcode.h"

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
	if (verbose)
		conf_print(out, c);
	fprintf(out, "configuration OK\n");
	conf_free(&c);
	return FS_EXIT_OK;
}
