/* hist.c: log-linear histogram of nanosecond values, see hist.h. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

/* Bucket index = shift x SUB + (v >> shift), shift = max(0, msb - SUB_BITS):
 * exact below 2 x SUB, then SUB buckets per power of two up to 2^64. */
#define HIST_NBUCKETS	((64 - HIST_SUB_BITS) * HIST_SUB + HIST_SUB)

struct hist {
	uint64_t count, min, max;
	double	sum, sumsq;
	uint64_t bucket[HIST_NBUCKETS];
};

size_t
hist_index(uint64_t v)
{
	int msb, shift;

	if (v < 2 * HIST_SUB)
		return (size_t)v;
	msb = 63 - __builtin_clzll(v);
	shift = msb - HIST_SUB_BITS;
	return (size_t)shift * HIST_SUB + (size_t)(v >> shift);
}

uint64_t
hist_bucket_lo(size_t idx)
{
	size_t shift;

	if (idx < 2 * HIST_SUB)
		return idx;
	shift = idx / HIST_SUB - 1;
	return (uint64_t)(idx - shift * HIST_SUB) << shift;
}

uint64_t
hist_bucket_width(size_t idx)
{
	if (idx < 2 * HIST_SUB)
		return 1;
	return 1ull << (idx / HIST_SUB - 1);
}

struct hist *
hist_new(void)
{
	struct hist *h;

	if ((h = calloc(1, sizeof *h)) == NULL)
		return NULL;
	hist_reset(h);
	return h;
}

void
hist_free(struct hist **hp)
{
	free(*hp);
	*hp = NULL;
}

void
hist_reset(struct hist *h)
{
	memset(h, 0, sizeof *h);
	h->min = UINT64_MAX;
}

void
hist_record_n(struct hist *h, uint64_t v, uint64_t n)
{
	if (n == 0)
		return;
	h->bucket[hist_index(v)] += n;
	h->count += n;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->sum += (double)v * (double)n;
	h->sumsq += (double)v * (double)v * (double)n;
}

void
hist_record(struct hist *h, uint64_t v)
{
	hist_record_n(h, v, 1);
}

void
hist_merge(struct hist *dst, const struct hist *src)
{
	size_t i;

	if (src->count == 0)
		return;
	for (i = 0; i < HIST_NBUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	dst->count += src->count;
	dst->sum += src->sum;
	dst->sumsq += src->sumsq;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t
hist_count(const struct hist *h)
{
	return h->count;
}

uint64_t
hist_min(const struct hist *h)
{
	return h->count ? h->min : 0;
}

uint64_t
hist_max(const struct hist *h)
{
	return h->max;
}

double
hist_mean(const struct hist *h)
{
	return h->count ? h->sum / (double)h->count : 0.0;
}

double
hist_stddev(const struct hist *h)
{
	double m, var;

	if (h->count == 0)
		return 0.0;
	m = h->sum / (double)h->count;
	var = h->sumsq / (double)h->count - m * m;
	return var > 0 ? sqrt(var) : 0.0;
}

/* The bucket's middle, kept within the exact extremes. */
static uint64_t
hist_value_of(const struct hist *h, size_t idx)
{
	uint64_t v = hist_bucket_lo(idx) + (hist_bucket_width(idx) - 1) / 2;

	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

uint64_t
hist_percentile(const struct hist *h, double p)
{
	uint64_t rank, seen = 0;
	size_t i;

	if (h->count == 0)
		return 0;
	if (p >= 100.0)
		return h->max;
	if (p <= 0.0)
		return h->min;
	rank = (uint64_t)ceil(p / 100.0 * (double)h->count);
	if (rank < 1)
		rank = 1;
	for (i = 0; i < HIST_NBUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			return hist_value_of(h, i);
	}
	return h->max;
}

int
hist_next_bucket(const struct hist *h, size_t *cursor, uint64_t *lo,
    uint64_t *hi, uint64_t *count)
{
	size_t i;

	for (i = *cursor; i < HIST_NBUCKETS; i++) {
		if (h->bucket[i] == 0)
			continue;
		*lo = hist_bucket_lo(i);
		*hi = *lo + hist_bucket_width(i) - 1;
		*count = h->bucket[i];
		*cursor = i + 1;
		return 1;
	}
	*cursor = HIST_NBUCKETS;
	return 0;
}
