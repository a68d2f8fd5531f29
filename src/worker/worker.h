/* worker.h: the fake-worker program's options. */
#ifndef FS_WORKER_H
#define FS_WORKER_H

#include <stdint.h>

#include "cost.h"
#include "kind.h"
#include "wkstats.h"

#define WORKER_NAME_MAX		64
#define WORKER_MAX_FRAME	(256ll << 20)	/* default --max-frame-bytes */
#define WORKER_LINGER_MS	50	/* keep exit within 100 ms */

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
	struct kind_opts ko;		/* the kind's options */
	int64_t	 max_frame;		/* ZMQ_MAXMSGSIZE */
	int	 stats_fd;		/* --stats-fd, -1 if none */
	long	 stats_slot;		/* --stats-slot */
	struct wkstats_w stats;		/* where requests are counted */
};

/* An option's number within [lo, hi]; a usage error exits (worker.c). */
double	 worker_number(const char *opt, const char *s, double lo, double hi);

#endif
