/* client_trace.h: --trace: the run on a timeline, as Chrome trace-event
 * JSON (Perfetto, chrome://tracing). */
#ifndef FS_CLIENT_TRACE_H
#define FS_CLIENT_TRACE_H

#include "client_types.h"
#include "client_stats.h"

/* 0, or -1 (logged). */
int	client_trace_write(const struct client *, const struct client_stats *,
	    const char *path);

#endif
