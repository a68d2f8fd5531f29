/* client_hgrm.h: --hgrm: the latency and age distributions as
 * HdrHistogram's percentile-distribution text (.hgrm). */
#ifndef FS_CLIENT_HGRM_H
#define FS_CLIENT_HGRM_H

#include <stdio.h>

#include "client_types.h"
#include "client_stats.h"
#include "hist.h"

/* The latency into path, the age into its sibling (client_hgrm.c): 0, or
 * -1 (logged). */
int	client_hgrm_write(const struct client *, const struct client_stats *,
	    const char *path);
/* One distribution, values in milliseconds. */
void	client_hgrm_print(FILE *, const struct hist *);

#endif
