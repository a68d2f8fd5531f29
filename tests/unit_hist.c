/* unit_hist.c: the log-linear histogram against exact sorted percentiles. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "hist.h"
#include "tap.h"



static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
close_rel(uint64_t got, uint64_t want, double rel)
{
	double d = fabs((double)got - (double)want);

	return d <= rel * (double)want + 1.0;
}

static void
test_buckets(void)
{
	uint64_t v, lo;
	size_t i, prev = 0;
	int good = 1;

	for (v = 0; v < 1000000; v += 7) {
		i = hist_index(v);
		lo = hist_bucket_lo(i);
		if (v < lo || v >= lo + hist_bucket_width(i) || i < prev)
			good = 0;
		prev = i;
	}
	ok(good, "every value lies in its bucket and indexes are monotonic");
	i = hist_index(UINT64_MAX);
	ok(hist_bucket_lo(i) + (hist_bucket_width(i) - 1) == UINT64_MAX,
	    "the last bucket ends at UINT64_MAX");
	ok(hist_index(255) == 255 && hist_bucket_width(255) == 1,
	    "values below 256 are exact");
}

static void
test_percentiles(void)
{
	enum { N = 100000 };
	static uint64_t v[N];
	static const double ps[] = { 1, 10, 50, 90, 99, 99.9 };
	struct hist *h = hist_new();
	uint64_t x = 88172645463325252ull, want;
	double sum = 0, sumsq = 0, mean;
	size_t i;
	int good = 1;

	for (i = 0; i < N; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		/* log-uniform from 10 us to 1 s */
		v[i] = (uint64_t)(1e4 * pow(1e5, (double)(x >> 11) / 9007199254740992.0));
		hist_record(h, v[i]);
		sum += (double)v[i];
	}
	mean = sum / N;
	for (i = 0; i < N; i++)
		sumsq += ((double)v[i] - mean) * ((double)v[i] - mean);
	qsort(v, N, sizeof v[0], cmp_u64);
	for (i = 0; i < sizeof ps / sizeof ps[0]; i++) {
		want = v[(size_t)ceil(ps[i] / 100.0 * N) - 1];
		if (!close_rel(hist_percentile(h, ps[i]), want, 1.0 / HIST_SUB)) {
			good = 0;
			printf("# p%g: got %llu want %llu\n", ps[i],
			    (unsigned long long)hist_percentile(h, ps[i]),
			    (unsigned long long)want);
		}
	}
	ok(good, "percentiles within 1/128 of the exact ones");
	ok(hist_count(h) == N, "count");
	ok(hist_min(h) == v[0] && hist_max(h) == v[N - 1], "exact min and max");
	ok(hist_percentile(h, 100) == v[N - 1], "p100 is the maximum");
	ok(fabs(hist_mean(h) - mean) < 1e-6 * mean, "exact mean");
	ok(fabs(hist_stddev(h) - sqrt(sumsq / N)) < 1e-3 * sqrt(sumsq / N),
	    "population standard deviation");
	hist_free(&h);
	ok(h == NULL, "hist_free NULLs the pointer");
}

static void
test_small(void)
{
	struct hist *h = hist_new(), *g = hist_new();
	uint64_t lo, hi, n, total = 0;
	size_t cur = 0;
	int buckets = 0;

	ok(hist_percentile(h, 50) == 0 && hist_min(h) == 0 && hist_mean(h) == 0,
	    "an empty histogram reports zeros");
	hist_record(h, 5);
	ok(hist_percentile(h, 50) == 5 && hist_stddev(h) == 0, "one value");
	hist_record_n(g, 50000000, 3);
	hist_record(g, 30000000);
	hist_merge(h, g);
	ok(hist_count(h) == 5 && hist_max(h) == 50000000 && hist_min(h) == 5,
	    "merge adds counts and extremes");
	ok(close_rel(hist_percentile(h, 50), 50000000, 1.0 / HIST_SUB),
	    "median of merged values");
	while (hist_next_bucket(h, &cur, &lo, &hi, &n)) {
		buckets++;
		total += n;
		if (lo > hi)
			total = 0;
	}
	ok(buckets == 3 && total == 5, "bucket walk sees every value");
	hist_reset(h);
	ok(hist_count(h) == 0 && hist_max(h) == 0, "reset empties it");
	hist_free(&h);
	hist_free(&g);
}

int
main(void)
{
	test_buckets();
	test_percentiles();
	test_small();
	return tap_done();
}
