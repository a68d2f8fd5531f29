/* unit_deadline.c: the deadline sleeper is never early, rarely late, and
 * gives way to a readable descriptor at once (TAP). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "clock.h"
#include "deadline.h"
#include "tap.h"

#define NWAIT	60

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Wait NWAIT times for `ns` (half of them watching fd); errors in ns. */
static void
test_accuracy(uint64_t ns, int fd)
{
	int64_t err[NWAIT];
	uint64_t dl;
	char what[96];
	int i, early = 0, rc = 0;

	for (i = 0; i < NWAIT; i++) {
		dl = clock_now_ns() + ns;
		rc |= deadline_wait(dl, i % 2 ? fd : -1);
		err[i] = (int64_t)(clock_now_ns() - dl);
		early += err[i] < 0;
	}
	qsort(err, NWAIT, sizeof err[0], cmp_i64);
	printf("# %llu us waits: late p50 %.2f us, p90 %.2f us, max %.2f us\n",
	    (unsigned long long)(ns / 1000), err[NWAIT / 2] / 1e3,
	    err[NWAIT * 9 / 10] / 1e3, err[NWAIT - 1] / 1e3);
	snprintf(what, sizeof what, "%llu us waits: never early, p50 < 2 ms",
	    (unsigned long long)(ns / 1000));
	ok(rc == 0 && early == 0 && err[NWAIT / 2] < 2000000, what);
}

static uint64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The sleep without the spin is never early either, and spins nothing:
 * NWAIT sleeps of 1 ms take less CPU than their 200 us margins would. */
static void
test_sleep(void)
{
	uint64_t dl, cpu0 = cpu_ns();
	int i, early = 0, rc = 0;

	for (i = 0; i < NWAIT; i++) {
		dl = clock_now_ns() + 1000000;
		rc |= deadline_sleep(dl, -1);
		early += clock_now_ns() < dl;
	}
	ok(rc == 0 && early == 0, "1 ms sleeps without the spin: never early");
	printf("# %d sleeps of 1 ms: %.1f us of CPU each\n", NWAIT,
	    (double)(cpu_ns() - cpu0) / NWAIT / 1e3);
	ok(cpu_ns() - cpu0 < NWAIT * DEADLINE_SPIN_NS / 2,
	    "... spinning nothing (under half the margin of CPU a sleep)");
}

static long
switches(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_nvcsw : 0;
}

/* A long sleep watching a descriptor is one wake-up, not one every 20 ms
 * of poll's own timeout, and is as exact as the others. */
static void
test_long(int fd)
{
	int i, once = 0, early = 0, rc = 0;
	uint64_t dl;
	long s0;

	for (i = 0; i < 5; i++) {
		s0 = switches();
		dl = clock_now_ns() + 70000000;
		rc |= deadline_sleep(dl, fd);
		early += clock_now_ns() < dl;
		once += switches() - s0 <= 1;
	}
	ok(rc == 0 && early == 0 && once >= 4,
	    "70 ms sleeps watching a descriptor: never early, one wake-up");
	printf("# %d of 5 in one wake-up\n", once);
}

int
main(void)
{
	int p[2];
	uint64_t t0;

	deadline_init();
	if (pipe(p) == -1)
		return 99;
	test_accuracy(1000000, p[0]);
	test_accuracy(100000, p[0]);
	test_accuracy(5000000, p[0]);

	t0 = clock_now_ns();
	ok(deadline_wait(t0 - 1000, -1) == 0 && deadline_wait(0, p[0]) == 0,
	    "a past deadline returns at once");
	if (write(p[1], "x", 1) != 1)
		return 99;
	t0 = clock_now_ns();
	ok(deadline_wait(t0 + 5000000000ull, p[0]) == 1 &&
	    clock_now_ns() - t0 < 100000000ull,
	    "a readable descriptor ends a 5 s wait at once");
	t0 = clock_now_ns();
	ok(deadline_sleep(t0 + 5000000000ull, p[0]) == 1 &&
	    clock_now_ns() - t0 < 100000000ull,
	    "... and a 5 s sleep without the spin");
	test_sleep();
	if (pipe(p) == -1)
		return 99;
	test_long(p[0]);
	return tap_done();
}
