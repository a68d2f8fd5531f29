/* unit_fault.c: each fault is drawn at its rate (within 99.9 % binomial
 * bounds), the rates are checked, and no rate means no draw. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fault.h"
#include "rng.h"
#include "tap.h"

/* Is k of n within the 99.9 % bounds of a binomial(n, p)? */
static int
binom_ok(long k, long n, double p)
{
	double m = n * p, sd = sqrt(n * p * (1 - p));

	return fabs(k - m) <= 3.29 * sd + 1;
}

static void
test_rates(void)
{
	struct fault_rates f = { .error_rate = 0.05, .drop_rate = 0.02,
	    .stall_rate = 0.01, .stall_ms = 10, .crash_rate = 0.002 };
	const double p[FAULT__MAX] = { 0.918, 0.05, 0.02, 0.01, 0.002 };
	long cnt[FAULT__MAX] = { 0 }, n = 200000, i;
	char what[96];
	struct rng r;
	int k;

	rng_seed(&r, rng_seed_name("faulty", 0));
	for (i = 0; i < n; i++)
		cnt[fault_draw(&f, &r)]++;
	for (k = 0; k < FAULT__MAX; k++) {
		snprintf(what, sizeof what, "%s: %ld of %ld at rate %g",
		    fault_name((enum fault)k), cnt[k], n, p[k]);
		ok(binom_ok(cnt[k], n, p[k]), what);
	}
}

static void
test_check(void)
{
	struct fault_rates f = { 0 };
	struct rng r, s;
	char err[128];

	rng_seed(&r, 1);
	s = r;
	ok(fault_draw(&f, &r) == FAULT_NONE && memcmp(&r, &s, sizeof r) == 0,
	    "no rate: no fault and no draw");
	ok(fault_check(&f, err, sizeof err) == 0, "zero rates are fine");
	f.drop_rate = 1.5;
	ok(fault_check(&f, err, sizeof err) == -1 &&
	    strstr(err, "drop_rate") != NULL, "a rate above 1 is refused");
	f.drop_rate = 0.6;
	f.error_rate = 0.6;
	ok(fault_check(&f, err, sizeof err) == -1 &&
	    strstr(err, "sum") != NULL, "rates summing above 1 are refused");
}

int
main(void)
{
	test_rates();
	test_check();
	return tap_done();
}
