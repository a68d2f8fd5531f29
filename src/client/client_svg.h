/* client_svg.h: --svg: latency per evaluation and its histogram. */
#ifndef FS_CLIENT_SVG_H
#define FS_CLIENT_SVG_H

#include "client_types.h"
#include "client_stats.h"

/* 0, or -1 (logged). */
int	client_svg_write(const struct client *, const struct client_stats *,
	    const char *path);

#endif
