/* unit_wkstats.c: the counters a worker shares with its supervisor: the
 * histogram's bounds around a cost, slots taken and given back, a worker's
 * side mapped from the file's descriptor as fake-worker maps it, what it
 * counts, and the attach errors it survives. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "wkstats.h"

static int
increasing(const uint64_t *b, uint32_t n)
{
	uint32_t i;

	for (i = 1; i < n; i++)
		if (b[i] <= b[i - 1])
			return 0;
	return n > 0 && b[0] > 0;
}

static int
has(const uint64_t *b, uint32_t n, uint64_t v)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (b[i] == v)
			return 1;
	return 0;
}

static void
test_fit(void)
{
	uint64_t b[WKSTATS_BOUNDS];
	uint32_t n;

	n = wkstats_fit(10000000, b);
	ok(n == 14 && increasing(b, n), "10 ms: 14 increasing bounds (2 x cost = cost + 10 ms)");
	ok(has(b, n, 10000000) && has(b, n, 10010000) && has(b, n, 100000000) &&
	    b[0] == 5000000, "10 ms: half, the cost, cost + 10 us, 10 x cost");
	n = wkstats_fit(0, b);
	ok(n == 10 && increasing(b, n) && b[0] == 10000 && b[9] == 10000000,
	    "no cost: 10 us to 10 ms");
	n = wkstats_fit(86400000000000ull, b);
	ok(n == WKSTATS_BOUNDS && increasing(b, n), "a day: 15 bounds, no overflow");
	n = wkstats_fit(1, b);
	ok(increasing(b, n), "1 ns: half of it (0) left out");
}

static void
test_counting(struct wkstats_file *f)
{
	struct wkstats_w w;
	struct wkstats r;
	char err[256];
	long n;

	n = wkstats_file_alloc(f, 2000000);
	ok(n == 0 && wkstats_file_alloc(f, 0) == 1, "slots 0 and 1");
	ok(wkstats_attach(&w, dup(f->fd), 1, err, sizeof err) == 0 &&
	    w.nbounds == 10, "a worker attaches to slot 1, bounds copied");
	wkstats_begin(&w);
	wkstats_read(wkstats_file_slot(f, 1), &r);
	ok(r.pending == 1, "a request received is pending");
	wkstats_end(&w, 1, 1, 1000, 5000);
	wkstats_begin(&w);
	wkstats_end(&w, 1, 4, 0, 20000000);
	wkstats_begin(&w);
	wkstats_end(&w, 0, 1, 0, 100);
	wkstats_read(wkstats_file_slot(f, 1), &r);
	ok(r.success == 2 && r.failure == 1 && r.pending == 0,
	    "2 answered, 1 failed, none pending");
	ok(r.inferences == 5 && r.execs == 2, "a batch of 4 is 4 inferences, 1 execution");
	ok(r.request_ns == 20006000 && r.queue_ns == 1000 &&
	    r.compute_ns == 20005000, "durations of the successful ones");
	ok(r.bucket[0] == 1 && r.bucket[r.nbounds] == 1,
	    "6 us in the first bucket, 20 ms past the last bound");
	wkstats_end(&w, 1, 0, 0, 20000000);	/* the batch's others */
	wkstats_end(&w, 1, 0, 0, 20000000);
	wkstats_end(&w, 1, 0, 0, 20000000);
	wkstats_read(wkstats_file_slot(f, 1), &r);
	ok(r.success == 5 && r.inferences == 5 && r.execs == 2,
	    "the rest of a batch: answered, counted in its first's figures");
	wkstats_read(wkstats_file_slot(f, 0), &r);
	ok(r.success == 0 && r.nbounds == 15, "slot 0 untouched");
	wkstats_detach(&w);
	wkstats_file_free(f, 1);
	ok(wkstats_file_alloc(f, 0) == 1, "a freed slot is taken again");
	wkstats_read(wkstats_file_slot(f, 1), &r);
	ok(r.success == 0 && r.failure == 0, "zeroed when taken again");
	ok(wkstats_attach(&w, dup(f->fd), 1, err, sizeof err) == 0, "reattach");
	wkstats_end(&w, 1, 1, 0, 1);
	wkstats_detach(&w);
	ok(wkstats_attach(&w, dup(f->fd), 1, err, sizeof err) == 0, "a restarted worker");
	wkstats_end(&w, 1, 1, 0, 1);
	wkstats_detach(&w);
	wkstats_read(wkstats_file_slot(f, 1), &r);
	ok(r.success == 2, "goes on counting from where the last one stopped");
}

static void
test_errors(struct wkstats_file *f)
{
	struct wkstats_w w;
	char err[256];
	int fd;

	ok(wkstats_attach(&w, dup(f->fd), 7, err, sizeof err) == -1 &&
	    strstr(err, "not set up") != NULL && w.slot == NULL,
	    "a slot nobody took: refused");
	ok(wkstats_attach(&w, dup(f->fd), WKSTATS_SLOTS_MAX, err, sizeof err) == -1 &&
	    strstr(err, "out of range") != NULL, "a slot past the file: refused");
	fd = open("/dev/null", O_RDWR);
	ok(wkstats_attach(&w, fd, 0, err, sizeof err) == -1 &&
	    strstr(err, "not a counters file") != NULL, "/dev/null: refused");
	ok(fcntl(fd, F_GETFD) == -1, "the descriptor is closed either way");
	ok(wkstats_attach(&w, 999, 0, err, sizeof err) == -1, "a closed descriptor: refused");
	wkstats_begin(&w);
	wkstats_end(&w, 1, 1, 0, 0);
	ok(1, "counting without a slot does nothing");
}

int
main(void)
{
	struct wkstats_file f;

	test_fit();
	ok(wkstats_file_open(&f) == 0, "the counters file");
	test_counting(&f);
	test_errors(&f);
	wkstats_file_close(&f);
	ok(f.fd == -1 && f.base == NULL && wkstats_file_alloc(&f, 0) == -1,
	    "closed: no slot");
	return tap_done();
}
