/* unit_cost.c: the cost distributions against their laws (a
 * Kolmogorov-Smirnov test at 1 % on 2,000 draws each), the clamps, coef,
 * the seed, and the reading of measured latencies. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "cost.h"
#include "rng.h"
#include "tap.h"

#define N	2000
#define KS_1PC	(1.628 / sqrt(N))	/* the 1 % critical value */

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The regularised lower incomplete gamma function P(a, x). */
static double
gamma_p(double a, double x)
{
	double sum, term, b, c, d, h, an;
	int i;

	if (x <= 0)
		return 0;
	if (x < a + 1) {
		sum = term = 1 / a;
		for (i = 1; i < 1000 && fabs(term) > 1e-15 * sum; i++)
			sum += term *= x / (a + i);
		return sum * exp(-x + a * log(x) - lgamma(a));
	}
	b = x + 1 - a;
	c = 1e300;
	d = 1 / b;
	h = d;
	for (i = 1; i < 1000; i++) {
		an = -i * (i - a);
		b += 2;
		d = 1 / (an * d + b);
		c = b + an / c;
		h *= d * c;
		if (fabs(d * c - 1) < 1e-15)
			break;
	}
	return 1 - exp(-x + a * log(x) - lgamma(a)) * h;
}

static double
cdf(const struct cost *c, double x)
{
	switch (c->dist) {
	case COST_NORMAL:
		return 0.5 * erfc(-(x - c->ms) / (c->sd_ms * M_SQRT2));
	case COST_LOGNORMAL:
		return x <= 0 ? 0 :
		    0.5 * erfc(-log(x / c->ms) / (c->sigma * M_SQRT2));
	case COST_GAMMA:
		return gamma_p(c->shape, x * c->shape / c->ms);
	case COST_UNIFORM:
		return (x - c->min_ms) / (c->max_ms - c->min_ms);
	default:
		return x >= c->ms;
	}
}

/* The KS statistic of N draws of c against the law of `law`. */
static double
ks2(const struct cost *c, const struct cost *law, uint64_t seed)
{
	static double v[N];
	struct rng r;
	double d = 0, f;
	int i;

	rng_seed(&r, seed);
	for (i = 0; i < N; i++)
		v[i] = cost_draw_ms(c, &r);
	qsort(v, N, sizeof v[0], cmp_dbl);
	for (i = 0; i < N; i++) {
		f = cdf(law, v[i]);
		d = fmax(d, fmax((double)(i + 1) / N - f, f - (double)i / N));
	}
	return d;
}

static double
ks(const struct cost *c, uint64_t seed)
{
	return ks2(c, c, seed);
}

static void
test_laws(void)
{
	struct cost c;
	char what[128];
	double d;
	int k;

	for (k = COST_NORMAL; k <= COST_UNIFORM; k++) {
		cost_init(&c, 5);
		c.dist = (enum cost_dist)k;
		c.sd_ms = 1;
		c.sigma = 0.5;
		c.shape = k == COST_GAMMA ? 2.5 : 0;
		if (k == COST_UNIFORM) {
			c.min_ms = 2;
			c.max_ms = 7;
		}
		d = ks(&c, 42 + (uint64_t)k);
		snprintf(what, sizeof what, "%s: KS D = %.4f below %.4f",
		    cost_dist_name(c.dist), d, KS_1PC);
		ok(d < KS_1PC, what);
	}
	cost_init(&c, 5);
	c.dist = COST_GAMMA;
	c.shape = 0.5;		/* the boosted branch */
	d = ks(&c, 7);
	ok(d < KS_1PC, "gamma of shape 0.5 follows its law");
	c.dist = COST_NORMAL;
	c.sd_ms = 1;
	c.ms = 3;
	c.coef = 2;		/* a normal of mean 6 and sd 2 */
	d = ks2(&c, &(struct cost){ .dist = COST_NORMAL, .ms = 6, .sd_ms = 2,
	    .max_ms = HUGE_VAL, .coef = 1 }, 9);
	ok(d < KS_1PC, "coef scales the law (mean and sd)");
	d = ks2(&c, &(struct cost){ .dist = COST_NORMAL, .ms = 6.2, .sd_ms = 2,
	    .max_ms = HUGE_VAL, .coef = 1 }, 9);
	ok(d > KS_1PC, "the test tells a mean 0.1 sd off");
}

static void
test_clamp_seed(void)
{
	struct cost c;
	struct rng a, b;
	double v, lo = 1e9, hi = 0;
	int i, same = 1;

	cost_init(&c, 10);
	c.dist = COST_NORMAL;
	c.sd_ms = 20;
	c.min_ms = 4;
	c.max_ms = 12;
	rng_seed(&a, rng_seed_name("det", 0));
	rng_seed(&b, rng_seed_name("det", 0));
	for (i = 0; i < N; i++) {
		v = cost_draw_ms(&c, &a);
		same &= v == cost_draw_ms(&c, &b);
		lo = fmin(lo, v);
		hi = fmax(hi, v);
	}
	ok(lo == 4 && hi == 12, "cost_min_ms and cost_max_ms clamp a draw");
	ok(same, "the same seed draws the same sequence");
	ok(rng_seed_name("det", 0) != rng_seed_name("det", 1) &&
	    rng_seed_name("det", 0) != rng_seed_name("cls", 0),
	    "the default seed differs by name and by replica");
	cost_init(&c, 2.5);
	c.coef = 4;
	ok(cost_draw_ns(&c, &a) == 10000000, "fixed: cost_ms x coef, exactly");
}

static void
test_check(void)
{
	struct cost c;
	char err[160];

	cost_init(&c, 5);
	ok(cost_check(&c, err, sizeof err) == 0, "fixed needs nothing");
	c.dist = COST_UNIFORM;
	ok(cost_check(&c, err, sizeof err) == -1 &&
	    strstr(err, "cost_max_ms") != NULL, "uniform needs cost_max_ms");
	c.dist = COST_GAMMA;
	ok(cost_check(&c, err, sizeof err) == -1 &&
	    strstr(err, "cost_shape") != NULL, "gamma needs cost_shape");
	c.dist = COST_EMPIRICAL;
	ok(cost_check(&c, err, sizeof err) == -1, "empirical needs a file");
	c.dist = COST_FIXED;
	c.min_ms = 3;
	c.max_ms = 2;
	ok(cost_check(&c, err, sizeof err) == -1, "min above max is refused");
}

static void
test_empirical(void)
{
	char path[] = "/tmp/unit_cost.XXXXXX", err[256];
	static const double want[] = { 1, 2.5, 4 };
	double *v = NULL;
	size_t n = 0, i;
	int fd, cnt[3] = { 0 }, good = 1;
	struct cost c;
	struct rng r;
	FILE *f;

	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs("# measured\n1\n\n2.5  # ms\n4\n", f);
	fclose(f);
	ok(cost_load(path, &v, &n, err, sizeof err) == 0 && n == 3 &&
	    v[0] == 1 && v[1] == 2.5 && v[2] == 4, "a latency file is read");
	cost_init(&c, 0);
	c.dist = COST_EMPIRICAL;
	c.emp = v;
	c.nemp = n;
	rng_seed(&r, 3);
	for (i = 0; i < 3000; i++) {
		double x = cost_draw_ms(&c, &r);

		cnt[x == want[0] ? 0 : x == want[1] ? 1 : 2]++;
		good &= x == want[0] || x == want[1] || x == want[2];
	}
	ok(good && abs(cnt[0] - 1000) < 120 && abs(cnt[1] - 1000) < 120,
	    "empirical draws each latency about equally often");
	free(v);
	f = fopen(path, "w");
	fputs("1\n2\nfast\n", f);
	fclose(f);
	ok(cost_load(path, &v, &n, err, sizeof err) == -1 &&
	    strstr(err, ":3: not a latency") != NULL, "a bad line says where");
	unlink(path);
	ok(cost_load(path, &v, &n, err, sizeof err) == -1 &&
	    strstr(err, "No such file") != NULL, "a missing file says why");
}

/* What a draw costs, per law (a worker draws once per request): printed
 * with the results, loosely bounded (a loaded machine is slow). */
static void
test_speed(void)
{
	static const double emp[] = { 1, 2, 3, 5, 8 };
	struct cost c;
	struct rng r;
	char what[160];
	uint64_t t, sink = 0;
	double ns;
	int k, i, n = 1000000, fast = 1;

	for (k = COST_FIXED; k <= COST_EMPIRICAL; k++) {
		cost_init(&c, 5);
		c.dist = (enum cost_dist)k;
		c.sd_ms = 1;
		c.sigma = 0.5;
		c.shape = 2.5;
		c.min_ms = k == COST_UNIFORM ? 2 : 0;
		c.max_ms = k == COST_UNIFORM ? 7 : c.max_ms;
		c.emp = emp;
		c.nemp = 5;
		rng_seed(&r, 1);
		t = clock_now_ns();
		for (i = 0; i < n; i++)
			sink += cost_draw_ns(&c, &r);
		ns = (double)(clock_now_ns() - t) / n;
		printf("# %s: %.1f ns a draw\n", cost_dist_name(c.dist), ns);
		fast &= ns < 2000;
	}
	snprintf(what, sizeof what, "a draw of any law takes under 2 us "
	    "(sum %llu)", (unsigned long long)(sink & 1));
	ok(fast, what);
}

int
main(void)
{
	test_laws();
	test_clamp_seed();
	test_check();
	test_empirical();
	test_speed();
	return tap_done();
}
