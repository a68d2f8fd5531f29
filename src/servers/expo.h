/* expo.h: the figures fake-servers publishes for each replica, described
 * once: their Prometheus name, type and help (Triton's names and texts,
 * so its dashboards read them unchanged), where they are in the counters
 * slot, and their key in `fake-serversctl stats -j`. expo.c writes the
 * metrics page from this table, stats_cmd.c the JSON. */
#ifndef FS_EXPO_H
#define FS_EXPO_H

#include <stddef.h>
#include <stdint.h>

#include "wkstats.h"

struct expo_figure {
	const char *name;	/* Prometheus metric name */
	const char *type;	/* "counter" or "gauge" */
	const char *help;
	size_t	 off;		/* a uint64_t in struct wkstats */
	uint64_t div;		/* ns -> us: 1000 */
	const char *key;	/* in the JSON of "stats" */
};

extern const struct expo_figure expo_figures[];
extern const size_t expo_nfigures;

/* The metrics page, in the text exposition format 0.0.4: a metrics_page
 * (metrics.h) whose arg is the struct servers. */
char	*expo_page(void *servers, size_t *len);

/* The histogram of service times. */
#define EXPO_HIST_NAME	"fake_servers_request_duration_seconds"

static inline uint64_t
expo_value(const struct expo_figure *f, const struct wkstats *w)
{
	return *(const uint64_t *)(const void *)((const char *)w + f->off) /
	    f->div;
}

#endif
