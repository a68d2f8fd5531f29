/* client_arrivals.h: --arrivals: when the frames of an open-loop run are
 * due, at --fps on average. Each kind is a row of the table in
 * client_arrivals.c. */
#ifndef FS_CLIENT_ARRIVALS_H
#define FS_CLIENT_ARRIVALS_H

#include <stdint.h>

struct client_arrivals {
	int	kind;			/* its row */
	double	rate;			/* frames a second; 0: on demand */
	uint64_t rng;			/* poisson's generator */
};

/* The kind named name, or -1; the names, for a usage error. */
int	 client_arrivals_kind(const char *name);
const char *client_arrivals_name(int kind);
const char *client_arrivals_names(void);

void	 client_arrivals_init(struct client_arrivals *, int kind, double rate,
	    uint64_t seed);
/* Change the rate from the next frame on (a sweep's next step). */
void	 client_arrivals_rate(struct client_arrivals *, double rate);
/* Nanoseconds from a frame's due time to the next one's (rate > 0). */
uint64_t client_arrivals_gap(struct client_arrivals *);

#endif
