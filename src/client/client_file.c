/* client_file.c: the output files of --csv, --json and --svg. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client_file.h"
#include "log.h"

/* Without truncating a file that exists, nor leaving one that did not. */
int
client_file_check(const char *opt, const char *path)
{
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1 && errno == ENOENT &&
	    (fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666)) != -1)
		unlink(path);
	if (fd == -1) {
		log_warn("%s %s: cannot write it", opt, path);
		return -1;
	}
	close(fd);
	return 0;
}

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
