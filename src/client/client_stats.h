/* client_stats.h: what a run measured, gathered once from its records
 * for the report and each of its output files. */
#ifndef FS_CLIENT_STATS_H
#define FS_CLIENT_STATS_H

#include <stdint.h>

#include "client_types.h"
#include "hist.h"

struct client_wstats {			/* one worker over the run */
	struct hist *service, *transport;
	struct hist *cost, *queue;	/* drawn costs, waits in the worker, of
					 * the replies that carried them */
	long	batched, batch_sum;	/* replies that gave their batch */
	long	ok, timeout, error, last;
	long	reason[RS_COUNT];	/* failed parts by reason */
};

struct client_stats {
	struct hist *lat, *age, *over;
	struct hist *ideal;		/* each ok evaluation's ideal */
	long	drawn;			/* those from the costs its workers
					 * drew (every reply gave cost_us) */
	struct hist *seed;		/* latency, the warm-up's too (the
					 * seed's own lines) */
	long	warm, warm_failed;	/* warm-up evaluations, left out */
	double	over_sum;
	/* The overhead along the critical path (the last reply), summed over
	 * the evaluations whose last worker reported its service time. */
	double	cp_send, cp_service, cp_transport;
	long	cp_n;
	double	cp_req, cp_rep;		/* transport split, by the worker's clock */
	long	cp_legs;
	long	ok, timeout, error, unfinished;
	struct client_wstats *w;	/* [nt] */
	int	nt;
};

/* The run's evaluations past its --warmup. */
void	client_stats_make(struct client_stats *, const struct client *);
/* Those of the first n evaluations that ended within [from, to) (a
 * sweep's window). */
void	client_stats_window(struct client_stats *, const struct client *,
	    long n, uint64_t from, uint64_t to);
void	client_stats_free(struct client_stats *);

/* Nanoseconds as the outputs print them. */
static inline double
client_stats_ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

static inline double
client_stats_us(uint64_t ns)
{
	return (double)ns / 1e3;
}

#endif
