/* wkstats.h: the figures a worker keeps of the requests it serves, in a
 * slot of a memory file it shares with its supervisor.
 *
 * The supervisor creates one memfd for all its workers (wkstats_file_*),
 * gives each replica a slot, writes the histogram's bucket bounds into it
 * and passes the file to the worker as a descriptor. The worker maps the
 * page of its slot (wkstats_attach) and counts each request with a few
 * plain 64-bit stores (relaxed atomics: one writer, no lock, no system
 * call); the supervisor reads the slots whenever it is asked (metrics,
 * fake-serversctl stats, the STATUS line). A slot outlives its worker: a
 * restarted worker goes on counting from where the dead one stopped, so
 * the counters never go down while the supervisor runs. See doc/metrics.md.
 */
#ifndef FS_WKSTATS_H
#define FS_WKSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "wklive.h"

#define WKSTATS_MAGIC		0x31737366u	/* "fss1" */
#define WKSTATS_SLOT		512		/* bytes of a slot in the file */
#define WKSTATS_SLOTS_MAX	16384		/* slots in the file (8 MiB, sparse) */
#define WKSTATS_BOUNDS		15		/* histogram bounds, +Inf apart */

/* One worker's slot. Times are in nanoseconds; the durations count
 * successful requests, whose service times the histogram holds. */
struct wkstats {
	/* Written by the supervisor while no worker uses the slot. */
	uint32_t magic;
	uint32_t nbounds;
	uint64_t bound_ns[WKSTATS_BOUNDS];	/* increasing "le" bounds */
	/* Written by the worker only (and pending by the supervisor once
	 * the worker is dead). */
	uint64_t success;	/* requests answered */
	uint64_t failure;	/* requests answered with an error */
	uint64_t inferences;	/* inferences made: a batch counts its size */
	uint64_t execs;		/* model executions (batches) */
	uint64_t request_ns;	/* receive to reply */
	uint64_t queue_ns;	/* receive to the start of compute */
	uint64_t compute_ns;	/* start of compute to the reply */
	uint64_t pending;	/* requests received, not yet answered */
	uint64_t bucket[WKSTATS_BOUNDS + 1];	/* per bound, not cumulative */
	/* Written by the supervisor at any time, read by the worker. */
	struct wklive live;	/* fake-serversctl set, a reload */
};

/* The worker's side: its slot, and the bounds copied out of it. */
struct wkstats_w {
	struct wkstats *slot;	/* NULL: not counting */
	void	*map;
	size_t	 maplen;
	uint64_t bound_ns[WKSTATS_BOUNDS];
	uint32_t nbounds;
};

/* Map slot n of the file fd (then closed): 0, or -1 with the reason in
 * err (the worker serves anyway, without counting). */
int	wkstats_attach(struct wkstats_w *, int fd, long n, char *err,
	    size_t errlen);
void	wkstats_detach(struct wkstats_w *);
/* A request was received / answered (ok or with an error). batch is the
 * number of requests computed together (an inference each, one
 * execution), given with the batch's first reply; the others give 0. */
void	wkstats_begin(const struct wkstats_w *);
/* A request received and never to be answered (an injected drop). */
void	wkstats_drop(const struct wkstats_w *);
void	wkstats_end(const struct wkstats_w *, int ok, unsigned batch,
	    uint64_t queue_ns, uint64_t compute_ns);

/* The supervisor's side: the file and which slots are taken. */
struct wkstats_file {
	int	 fd;		/* -1: none, nothing is counted */
	struct wkstats *base;
	unsigned char used[WKSTATS_SLOTS_MAX / 8];
};

int	wkstats_file_open(struct wkstats_file *);
void	wkstats_file_close(struct wkstats_file *);
/* A zeroed slot with the histogram fitted to cost_ns: its number, or -1
 * when the file is full or missing. */
long	wkstats_file_alloc(struct wkstats_file *, uint64_t cost_ns);
void	wkstats_file_free(struct wkstats_file *, long n);
struct wkstats *wkstats_file_slot(struct wkstats_file *, long n);

/* A consistent-enough copy of a slot (each field read atomically). */
void	wkstats_read(const struct wkstats *, struct wkstats *out);
/* Histogram bounds around a service time of cost_ns: returns how many. */
uint32_t wkstats_fit(uint64_t cost_ns, uint64_t bound_ns[WKSTATS_BOUNDS]);

#endif
