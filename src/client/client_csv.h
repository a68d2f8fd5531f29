/* client_csv.h: --csv: one row per evaluation, its parts side by side. */
#ifndef FS_CLIENT_CSV_H
#define FS_CLIENT_CSV_H

#include "client_types.h"
#include "client_stats.h"

/* 0, or -1 (logged). */
int	client_csv_write(const struct client *, const struct client_stats *,
	    const char *path);

#endif
