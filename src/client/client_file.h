/* client_file.h: an output file named on the command line ("-" is
 * stdout). */
#ifndef FS_CLIENT_FILE_H
#define FS_CLIENT_FILE_H

#include <stdio.h>

/* Open it for writing, and close it reporting a write error; both log
 * the path on failure (NULL, -1). */
FILE	*client_file_open(const char *path);
int	 client_file_close(FILE *, const char *path);

#endif
