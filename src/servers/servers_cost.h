/* servers_cost.h: the options of a worker's modelled cost (its warm-up
 * and start delay included) and its batching, for the argv fake-servers
 * starts it with. */
#ifndef FS_SERVERS_COST_H
#define FS_SERVERS_COST_H

#include "conf.h"

#define SERVERS_COST_ARGS	44	/* argv entries it may add */

/* The numbers the argv points into: live until the spawn. */
struct servers_cost_buf {
	char	num[SERVERS_COST_ARGS / 2][48];	/* "1024,...": 8 sizes */
};

/* Append to argv (at *n) replica r's seed after so many restarts, when
 * its cost is modelled (conf_cost_on) the distribution and the parameters
 * that apply to it, its warm-up, start delay and faults where set, and its
 * batch group's keys where it has one (preferred only when it lists
 * sizes). */
void	servers_cost_argv(const struct conf_worker *, int r, unsigned restarts,
	    const char **argv, int *n, struct servers_cost_buf *);

#endif
