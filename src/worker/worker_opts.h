/* worker_opts.h: fake-worker's options, as parsed by worker.c and its
 * option modules and read by the serving loop: its data model. Types and
 * constants only; no module of its own.
 */
#ifndef FS_WORKER_OPTS_H
#define FS_WORKER_OPTS_H

#include <stdint.h>

#include "batch.h"
#include "cost.h"
#include "device.h"
#include "fault.h"
#include "kind.h"
#include "wkstats.h"

#define WORKER_NAME_MAX		64
#define WORKER_MAX_FRAME	(256ll << 20)	/* default --max-frame-bytes */
#define WORKER_LINGER_MS	50	/* keep exit within 100 ms */
#define WORKER_MAX_BUDGET_MS	1e12	/* a cost after coef: fits in ns */

struct worker_opts {
	char	 name[WORKER_NAME_MAX];
	enum kind_id kind;
	const char *endpoint;
	double	 cost_ms;		/* per request, before coef */
	double	 coef;
	struct cost cost;		/* its distribution (worker_model.c) */
	const char *cost_file;		/* --cost-file */
	uint64_t seed;			/* of the cost's draws */
	int	 has_seed;
	long	 warmup_requests;	/* the first after the start cost */
	double	 warmup_cost_ms;	/* this instead, before coef */
	double	 start_delay_ms;	/* before READY=1: loading the model */
	struct fault_rates faults;	/* drawn per request, after the cost */
	struct batch_conf batch;	/* --batch-*: max 0, none */
	double	 batch_per_item_ms;	/* before coef */
	int	 device_fd;		/* --device-fd, -1 if none */
	struct device *device;		/* attached from it, or NULL */
	struct kind_opts ko;		/* the kind's options */
	int64_t	 max_frame;		/* ZMQ_MAXMSGSIZE */
	int	 stats_fd;		/* --stats-fd, -1 if none */
	long	 stats_slot;		/* --stats-slot */
	struct wkstats_w stats;		/* where requests are counted */
	const char *curve_secret;	/* --curve-secret: our key pair, or NULL */
	const char *curve_allow;	/* --curve-allow DIR */
	int	 curve_allow_any;	/* --curve-allow-any */
};

#endif
