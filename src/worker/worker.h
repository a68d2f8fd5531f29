/* worker.h: the fake-worker program: options and its serving loop. */
#ifndef FS_WORKER_H
#define FS_WORKER_H

#include <stdint.h>

#include "wkstats.h"
#include "worker_kind.h"

#define WORKER_NAME_MAX		64
#define WORKER_MAX_FRAME	(256ll << 20)	/* default --max-frame-bytes */
#define WORKER_LINGER_MS	50	/* keep exit within 100 ms */

struct worker_opts {
	char	 name[WORKER_NAME_MAX];
	enum worker_kind kind;
	const char *endpoint;
	double	 cost_ms;		/* per request, before coef */
	double	 coef;
	int	 n_classes;
	int	 out_float64;		/* segmentation replies float64 */
	int64_t	 max_frame;		/* ZMQ_MAXMSGSIZE */
	int	 stats_fd;		/* --stats-fd, -1 if none */
	long	 stats_slot;		/* --stats-slot */
	struct wkstats_w stats;		/* where requests are counted */
};

/* Bind, tell systemd we are ready, serve until a signal arrives on sigfd
 * (SIGTERM/SIGINT, already blocked). Returns the exit status. */
int	worker_run(const struct worker_opts *opts, int sigfd);

#endif
