/* client_file.c: the output files of --csv, --json and --svg. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "client_file.h"
#include "log.h"

FILE *
client_file_open(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");

	if (f == NULL)
		log_warn("%s", path);
	return f;
}

int
client_file_close(FILE *f, const char *path)
{
	if (f == stdout)
		return fflush(f) == EOF ? -1 : 0;
	if (fclose(f) == EOF) {
		log_warn("%s", path);
		return -1;
	}
	return 0;
}
