/* cert_check.c: read key files the way the programs do, for the tests.
 *
 * usage: cert_check [-s] FILE...
 * Prints "FILE PUBLIC-KEY" for each file (-s: it must hold the pair, and
 * the secret key follows), or its error; exits 1 when any was refused.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cert.h"
#include "exitcode.h"

int
main(int argc, char **argv)
{
	enum cert_need need = CERT_PUBLIC;
	char err[512];
	struct cert c;
	int ch, i, rc = FS_EXIT_OK;

	while ((ch = getopt(argc, argv, "s")) != -1) {
		if (ch != 's') {
			fprintf(stderr, "usage: cert_check [-s] file...\n");
			return FS_EXIT_USAGE;
		}
		need = CERT_SECRET;
	}
	for (i = optind; i < argc; i++) {
		if (cert_load(argv[i], need, &c, err, sizeof err) == -1) {
			fprintf(stderr, "%s\n", err);
			rc = FS_EXIT_FAILURE;
			continue;
		}
		printf("%s %s%s%s\n", argv[i], c.public_txt,
		    need == CERT_SECRET ? " " : "", c.secret_txt);
		cert_clear(&c);
	}
	return rc;
}
