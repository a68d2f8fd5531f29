/* client_hgrm.c: --hgrm: a distribution as HdrHistogram's
 * outputPercentileDistribution writes it, which its plotting tools read:
 * a header, one line per reporting level (the value in milliseconds, the
 * percentile as a fraction, the count up to it and 1/(1 - percentile)),
 * the last at 1.0 without that column, then the mean, the standard
 * deviation, the maximum and the count, and the histogram's layout.
 *
 * The levels are HdrHistogram's, five ticks per half distance to 100%:
 * 0%, 10%, ..., 50%, 55%, ..., 75%, 77.5%, ... Each bucket is reported at
 * its highest value, once for each level its cumulative count reaches,
 * and the last bucket once before the final line. hist.c's layout is
 * HdrHistogram's with 256 sub-buckets: exact below 256 ns, then 128
 * sub-buckets per power of two.
 *
 * The latency goes into the file named, the age into a sibling: x.hgrm
 * gives x-age.hgrm, any other name gets "-age" appended; the age is not
 * written when the latency goes to the standard output.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "client_file.h"
#include "client_hgrm.h"
#include "log.h"

#define HGRM_TICKS	5		/* reporting ticks per half distance */
#define HGRM_SCALE	1e6		/* ns to ms */

/* The level after this one. */
static double
next_level(double level)
{
	double ticks = HGRM_TICKS * pow(2, floor(log(100.0 /
	    (100.0 - level)) / log(2)) + 1);

	return level + 100.0 / ticks;
}

static void
line(FILE *f, uint64_t value, double level, uint64_t count)
{
	fprintf(f, "%12.3f %2.12f %10llu %14.2f\n", (double)value / HGRM_SCALE,
	    level / 100.0, (unsigned long long)count, 1.0 / (1.0 - level / 100.0));
}

void
client_hgrm_print(FILE *f, const struct hist *h)
{
	uint64_t lo, hi = 0, n, cum = 0, total = hist_count(h);
	double level = 0;
	size_t cur = 0;

	fprintf(f, "%12s %14s %10s %14s\n\n", "Value", "Percentile",
	    "TotalCount", "1/(1-Percentile)");
	while (total > 0 && hist_next_bucket(h, &cur, &lo, &hi, &n)) {
		cum += n;
		if (cum == total) {	/* once, then the line at 1.0 */
			line(f, hi, level, cum);
			break;
		}
		for (; 100.0 * (double)cum / (double)total >= level;
		    level = next_level(level))
			line(f, hi, level, cum);
	}
	if (total > 0)
		fprintf(f, "%12.3f %2.12f %10llu\n", (double)hi / HGRM_SCALE,
		    1.0, (unsigned long long)total);
	fprintf(f, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n",
	    hist_mean(h) / HGRM_SCALE, hist_stddev(h) / HGRM_SCALE);
	fprintf(f, "#[Max     = %12.3f, Total count    = %12llu]\n",
	    (double)hist_max(h) / HGRM_SCALE, (unsigned long long)total);
	fprintf(f, "#[Buckets = %12d, SubBuckets     = %12d]\n",
	    64 - HIST_SUB_BITS, 2 * HIST_SUB);
}

static int
hgrm_file(const char *path, const struct hist *h)
{
	FILE *f;

	if ((f = client_file_open(path)) == NULL)
		return -1;
	client_hgrm_print(f, h);
	return client_file_close(f, path);
}

int
client_hgrm_write(const struct client *c, const struct client_stats *s,
    const char *path)
{
	char age[4096];
	size_t n = strlen(path);

	(void)c;
	if (hgrm_file(path, s->lat) == -1)
		return -1;
	if (strcmp(path, "-") == 0)
		return 0;
	if (n > 5 && strcmp(path + n - 5, ".hgrm") == 0)
		snprintf(age, sizeof age, "%.*s-age.hgrm", (int)(n - 5), path);
	else
		snprintf(age, sizeof age, "%s-age", path);
	return hgrm_file(age, s->age);
}
