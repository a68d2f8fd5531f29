/* servers_cost.c: a worker's modelled cost as fake-worker's options
 * (--cost-dist, --cost-sd-ms ... --cost-file, --seed), from its config
 * entry: only those that apply to its distribution; its warm-up and start
 * delay (--warmup-requests, --warmup-cost-ms, --start-delay-ms), its
 * faults (--error-rate ... --crash-rate) where set, and its batching
 * (--batch-max ... --batch-cost-per-item-ms) where it has a batch group.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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
	[WK_WARMUP_REQUESTS] = "--warmup-requests",
	[WK_WARMUP_COST_MS] = "--warmup-cost-ms",
	[WK_START_DELAY_MS] = "--start-delay-ms",
};

/* The option of each key of the faults group (conf.h). */
static const char *const fault_opts[FK__MAX] = {
	[FK_ERROR_RATE] = "--error-rate",
	[FK_DROP_RATE] = "--drop-rate",
	[FK_STALL_RATE] = "--stall-rate",
	[FK_STALL_MS] = "--stall-ms",
	[FK_CRASH_RATE] = "--crash-rate",
};

/* The option of each key of the batch group (conf.h). */
static const char *const batch_opts[BK__MAX] = {
	[BK_MAX] = "--batch-max",
	[BK_PREFERRED] = "--batch-preferred",
	[BK_MAX_QUEUE_DELAY_US] = "--batch-max-queue-delay-us",
	[BK_QUEUE_MAX] = "--batch-queue-max",
	[BK_COST_PER_ITEM_MS] = "--batch-cost-per-item-ms",
};

/* Key k of the batch group as its option's value; preferred as "4,8". */
static void
servers_cost_batch(const struct conf_batch *b, int k, char *buf, size_t len)
{
	size_t n;
	int i;

	if (k != BK_PREFERRED) {
		snprintf(buf, len, "%.15g", k == BK_MAX ? b->max :
		    k == BK_QUEUE_MAX ? b->queue_max :
		    k == BK_MAX_QUEUE_DELAY_US ? b->max_queue_delay_us :
		    b->cost_per_item_ms);
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < b->preferred.n; i++) {
		n = strlen(buf);
		snprintf(buf + n, len - n, "%s%d", i ? "," : "",
		    b->preferred.v[i]);
	}
}

static const char *
servers_cost_value(const struct conf_worker *cw, int k, char *buf,
    size_t len)
{
	double v = k == WK_COST_SD_MS ? cw->cost_sd_ms : k == WK_COST_SIGMA ?
	    cw->cost_sigma : k == WK_COST_SHAPE ? cw->cost_shape :
	    k == WK_COST_MIN_MS ? cw->cost_min_ms : k == WK_COST_MAX_MS ?
	    cw->cost_max_ms : k == WK_WARMUP_REQUESTS ? cw->warmup_requests :
	    k == WK_WARMUP_COST_MS ? cw->warmup_cost_ms : cw->start_delay_ms;

	if (k == WK_COST_DIST)
		return cost_dist_name(cw->cost_dist);
	if (k == WK_COST_FILE)
		return cw->cost_file;
	snprintf(buf, len, "%.15g", v);
	return buf;
}

/* After the seed: the parameters that apply to a modelled cost, and the
 * start's keys where set. */
static int
servers_cost_passed(const struct conf_worker *cw, int k)
{
	if (k == WK_SEED)
		return 0;
	if (k > WK_SEED)
		return cw->key_line[k] > 0;
	return conf_cost_on(cw) && conf_cost_applies(cw, k);
}

/* A restarted process draws on from another point of the sequence: were
 * it to draw what its predecessor drew, an injected crash would come back
 * at the same request after every restart. The k-th restart's seed is
 * the replica's plus k times SplitMix64's increment, so a run repeats. */
#define SERVERS_COST_RESTART_STEP	UINT64_C(0x9e3779b97f4a7c15)

void
servers_cost_argv(const struct conf_worker *cw, int r, unsigned restarts,
    const char **argv, int *n, struct servers_cost_buf *b)
{
	int k, i = 0;

	snprintf(b->num[i], sizeof b->num[i], "%" PRIu64,
	    conf_worker_seed(cw, r) + (uint64_t)restarts *
	    (uint64_t)SERVERS_COST_RESTART_STEP);
	argv[(*n)++] = "--seed";
	argv[(*n)++] = b->num[i++];
	for (k = WK_COST_DIST; k <= WK_START_DELAY_MS; k++) {
		if (!servers_cost_passed(cw, k))
			continue;
		argv[(*n)++] = cost_opts[k];
		argv[(*n)++] = servers_cost_value(cw, k, b->num[i],
		    sizeof b->num[i]);
		i++;
	}
	for (k = 0; k < FK__MAX; k++) {
		if (cw->faults.key_line[k] == 0)
			continue;
		snprintf(b->num[i], sizeof b->num[i], "%.15g",
		    k == FK_ERROR_RATE ? cw->faults.error_rate :
		    k == FK_DROP_RATE ? cw->faults.drop_rate :
		    k == FK_STALL_RATE ? cw->faults.stall_rate :
		    k == FK_STALL_MS ? cw->faults.stall_ms :
		    cw->faults.crash_rate);
		argv[(*n)++] = fault_opts[k];
		argv[(*n)++] = b->num[i++];
	}
	for (k = 0; k < BK__MAX && cw->batch.max > 0; k++) {
		if (k == BK_PREFERRED && cw->batch.preferred.n == 0)
			continue;
		servers_cost_batch(&cw->batch, k, b->num[i], sizeof b->num[i]);
		argv[(*n)++] = batch_opts[k];
		argv[(*n)++] = b->num[i++];
	}
}
