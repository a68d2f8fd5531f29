/* client_file.h: an output file named on the command line ("-" is
 * stdout). */
#ifndef FS_CLIENT_FILE_H
#define FS_CLIENT_FILE_H

#include <stdio.h>

/* Open it for writing, and close it reporting a write error; both log
 * the path on failure (NULL, -1). */
/* Can path be written? Said before a run rather than after it: 0, or -1
 * (logged, naming the option opt). */
int	 client_file_check(const char *opt, const char *path);
FILE	*client_file_open(const char *path);
int	 client_file_close(FILE *, const char *path);

#endif
