/* hist.h: a log-linear histogram of nanosecond values (HdrHistogram-style).
 *
 * Values below 2 x HIST_SUB are counted exactly; above, each power of two is
 * split into HIST_SUB buckets, so a reported value is within 1/HIST_SUB
 * (0.8 %) of a recorded one. Recording is O(1) and never allocates;
 * percentiles walk the buckets, no sorting. The exact minimum, maximum,
 * mean and standard deviation are kept beside the buckets.
 */
#ifndef FS_HIST_H
#define FS_HIST_H

#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS	7
#define HIST_SUB	(1u << HIST_SUB_BITS)

struct hist;

struct hist	*hist_new(void);
void		 hist_free(struct hist **);
void		 hist_reset(struct hist *);
void		 hist_record(struct hist *, uint64_t v);
void		 hist_record_n(struct hist *, uint64_t v, uint64_t n);
void		 hist_merge(struct hist *dst, const struct hist *src);

uint64_t	 hist_count(const struct hist *);
uint64_t	 hist_min(const struct hist *);	/* 0 when empty */
uint64_t	 hist_max(const struct hist *);
double		 hist_mean(const struct hist *);
double		 hist_stddev(const struct hist *);	/* population (numpy's std) */
/* The value at or below which p percent (0..100) of the values lie;
 * 0 when empty; p >= 100 gives the maximum. */
uint64_t	 hist_percentile(const struct hist *, double p);

/* Walk the non-empty buckets: start with *cursor = 0; returns 0 when done,
 * else 1 with the bucket's value range [lo, hi] and count. */
int		 hist_next_bucket(const struct hist *, size_t *cursor,
		    uint64_t *lo, uint64_t *hi, uint64_t *count);

/* Bucket index of a value and the lowest value of a bucket (tests). */
size_t		 hist_index(uint64_t v);
uint64_t	 hist_bucket_lo(size_t idx);
uint64_t	 hist_bucket_width(size_t idx);

#endif
