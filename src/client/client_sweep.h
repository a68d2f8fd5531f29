/* client_sweep.h: fake-client sweep: the pipeline at rising load, each
 * step measured until its windows agree, up to the first step past the
 * latency threshold; what each step measured and where the knee is, for
 * the table and the files (client_sweep_out.c, client_sweep_svg.c). */
#ifndef FS_CLIENT_SWEEP_H
#define FS_CLIENT_SWEEP_H

#include <stdint.h>

#include "client_types.h"

#define CLIENT_SWEEP_AGREE	3	/* windows that must agree */

struct client_sweep_step {
	double	fps;			/* offered; 0: on demand */
	int	in_flight;
	int	windows;		/* measured before it was judged */
	int	stable;			/* its last windows agreed */
	int	over;			/* past the threshold, or failures */
	double	achieved;		/* evaluations answered a second */
	uint64_t lat[3], age[3];	/* p50, p90, p99 (ns) */
	long	ok, failed;
	long	reason[RS_COUNT];	/* failed parts by reason */
};

struct client_sweep {
	const struct client *c;
	struct client_sweep_step *step;
	int	nstep;			/* measured */
	int	nplan;			/* planned */
	int	knee;			/* the last step within the threshold,
					 * -1 none */
};

/* The sweep mode; returns the exit code. */
int	client_sweep(struct client *);

/* The load a step offers, as the table and the files say it. */
double	client_sweep_load(const struct client_sweep *,
	    const struct client_sweep_step *);
const char *client_sweep_unit(const struct client_sweep *);

/* client_sweep_out.c: --csv and --json of a sweep; client_sweep_svg.c:
 * --svg. 0, or -1 (logged). */
int	client_sweep_csv(const struct client_sweep *, const char *path);
int	client_sweep_json(const struct client_sweep *, const char *path);
int	client_sweep_svg(const struct client_sweep *, const char *path);

#endif
