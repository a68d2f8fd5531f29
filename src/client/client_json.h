/* client_json.h: --json: a run's summary, and the pieces echo's uses
 * too (microseconds throughout). */
#ifndef FS_CLIENT_JSON_H
#define FS_CLIENT_JSON_H

#include <jansson.h>

#include "client_types.h"
#include "client_stats.h"
#include "hist.h"

/* The run's summary into path: 0, or -1 (logged). */
int	client_json_write(const struct client *, const struct client_stats *,
	    const char *path);
/* Write root (its reference taken; NULL: it could not be built) into
 * path: 0, or -1 (logged). */
int	client_json_save(json_t *root, const char *path);
json_t	*client_json_settings(const struct client *);
json_t	*client_json_hist(const struct hist *);
/* Counts by reason n[RS_COUNT], as an object keyed by the reasons. */
json_t	*client_json_reasons(const long *n);

#endif
