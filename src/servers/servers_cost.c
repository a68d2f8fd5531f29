/* servers_cost.c: a worker's modelled cost as fake-worker's options
 * (--cost-dist, --cost-sd-ms ... --cost-file, --seed), from its config
 * entry: only those that apply to its distribution.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "servers_cost.h"

/* The option of each key of the cost, by its index (conf.h). */
static const char *const cost_opts[] = {
	[WK_COST_DIST] = "--cost-dist",
	[WK_COST_SD_MS] = "--cost-sd-ms",
	[WK_COST_SIGMA] = "--cost-sigma",
	[WK_COST_SHAPE] = "--cost-shape",
	[WK_COST_MIN_MS] = "--cost-min-ms",
	[WK_COST_MAX_MS] = "--cost-max-ms",
	[WK_COST_FILE] = "--cost-file",
};

static const char *
servers_cost_value(const struct conf_worker *cw, int k, char *buf,
    size_t len)
{
	double v = k == WK_COST_SD_MS ? cw->cost_sd_ms : k == WK_COST_SIGMA ?
	    cw->cost_sigma : k == WK_COST_SHAPE ? cw->cost_shape :
	    k == WK_COST_MIN_MS ? cw->cost_min_ms : cw->cost_max_ms;

	if (k == WK_COST_DIST)
		return cost_dist_name(cw->cost_dist);
	if (k == WK_COST_FILE)
		return cw->cost_file;
	snprintf(buf, len, "%.15g", v);
	return buf;
}

void
servers_cost_argv(const struct conf_worker *cw, int r, const char **argv,
    int *n, struct servers_cost_buf *b)
{
	int k, i = 0;

	snprintf(b->num[i], sizeof b->num[i], "%" PRIu64,
	    conf_worker_seed(cw, r));
	argv[(*n)++] = "--seed";
	argv[(*n)++] = b->num[i++];
	if (!conf_cost_on(cw))
		return;
	for (k = WK_COST_DIST; k <= WK_COST_FILE; k++) {
		if (!conf_cost_applies(cw, k))
			continue;
		argv[(*n)++] = cost_opts[k];
		argv[(*n)++] = servers_cost_value(cw, k, b->num[i],
		    sizeof b->num[i]);
		i++;
	}
}
