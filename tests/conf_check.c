/* conf_check.c: check a configuration file the way fake-servers -n does.
 *
 * usage: conf_check [-Cv] FILE
 * Prints every error ("file:line: message") and exits 78, or prints
 * "configuration OK" (after the normalised config with -v) and exits 0.
 * The fake-servers.d directory beside FILE is read unless -C is given.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conf.h"
#include "exitcode.h"

static void FS_DEAD
usage(void)
{
	fprintf(stderr, "usage: conf_check [-Cv] file\n");
	exit(FS_EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	int ch, verbose = 0, flags = CONF_F_CHECK;

	while ((ch = getopt(argc, argv, "Cv")) != -1) {
		switch (ch) {
		case 'C':
			flags &= ~CONF_F_INCLUDE_DIR;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	return conf_check(argv[optind], flags, verbose, stdout, stderr);
}
