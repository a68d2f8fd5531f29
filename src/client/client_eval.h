/* client_eval.h: a run's evaluations and their parts, from the first send
 * to the last reply: which replica takes a part, a part waiting for its
 * worker to connect, replies, timeouts, and why each failed part failed.
 * The run (client_run.c) decides when an evaluation starts. */
#ifndef FS_CLIENT_EVAL_H
#define FS_CLIENT_EVAL_H

#include <stdint.h>

#include "client_types.h"

struct client_evals {
	struct client *c;
	long	started, finished;
	long	first_open;		/* the oldest not finished */
	int	inflight;
	int	nwaiting;		/* parts waiting for a connection */
	unsigned *logged;		/* [nt]: the reasons said once (-v) */
};

void	client_eval_init(struct client_evals *, struct client *);
void	client_eval_free(struct client_evals *);

/* Start the next evaluation, of frame e + window - 1, now. */
void	client_eval_start(struct client_evals *);
/* A reply from endpoint ep (a client_path_fn; arg is the evals). */
void	client_eval_reply(void *arg, int ep, const struct client_reply *);
/* Fail what is past its deadline; send the parts that waited for a
 * connection and can go now, fail those whose worker stayed away. */
void	client_eval_check(struct client_evals *, uint64_t now);
/* When client_eval_check has something to do next (UINT64_MAX never). */
uint64_t client_eval_wake(const struct client_evals *, uint64_t now);

#endif
