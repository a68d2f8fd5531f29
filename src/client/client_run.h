/* client_run.h: fake-client's run mode, the video pipeline, and its loop,
 * which the run mode drives for --frames or --duration and a sweep
 * (client_sweep.c) drives window by window, changing the load between
 * them. */
#ifndef FS_CLIENT_RUN_H
#define FS_CLIENT_RUN_H

#include <stdint.h>

#include "client_types.h"

struct client_run;

struct client_run_hook {
	uint64_t every_ns;
	/* Called every every_ns with the window [from, to) just over; 1
	 * ends the run: no frame is made after, those in flight finish. */
	int	(*tick)(void *arg, struct client_run *, uint64_t from,
		    uint64_t to);
	void	*arg;
};

/* The run mode; returns the exit code. */
int	client_run(struct client *);

/* Run the pipeline, with up to depth evaluations in flight at any time:
 * for --frames or --duration, or with a hook until it ends the run. The
 * records are in c. 1 when a signal stopped it, else 0. */
int	client_run_loop(struct client *, int depth,
	    const struct client_run_hook *);
/* From now on, frames at fps (0: on demand), in_flight at once. */
void	client_run_load(struct client_run *, double fps, int in_flight);

#endif
