/* unit_device.c: a shared device between real processes: one slot lets
 * one compute at a time, two slots two, waiters go in arrival order, and
 * a holder killed with SIGKILL (not yet reaped) does not stall the next.
 * The holders hold until told, so the machine's load cannot change what
 * is asserted. */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "device.h"
#include "tap.h"

static char err[160];

struct holder {
	pid_t	 pid;
	int	 go;		/* write end: release the device */
};

/* A child that takes the device, writes its tag to out, holds until go
 * says, releases and exits. */
static struct holder
holder(int fd, char tag, int out)
{
	struct holder h = { -1, -1 };
	struct device *d;
	int p[2], i;
	char c;

	if (pipe(p) == -1)
		return h;
	if ((h.pid = fork()) != 0) {
		close(p[0]);
		h.go = p[1];
		return h;
	}
	for (i = 3; i < 1024; i++)	/* the others' go pipes among them */
		if (i != fd && i != out && i != p[0])
			close(i);
	if ((d = device_attach(fd, err, sizeof err)) == NULL ||
	    device_acquire(d, NULL, err, sizeof err) != 0 ||
	    write(out, &tag, 1) != 1)
		_exit(1);
	if (read(p[0], &c, 1) < 0)
		_exit(1);
	device_release(d);
	device_detach(&d);
	_exit(0);
}

static int
release(struct holder h)
{
	int st;

	close(h.go);
	return waitpid(h.pid, &st, 0) == h.pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0;
}

/* The tag a holder wrote within ms, or 0. */
static char
got(int in, int ms)
{
	struct pollfd p = { in, POLLIN, 0 };
	char c;

	return poll(&p, 1, ms) == 1 && read(in, &c, 1) == 1 ? c : 0;
}

static void
test_slots(unsigned slots)
{
	int fd = device_create(slots, err, sizeof err), p[2], good;
	struct holder a, b;
	char what[96], c;

	if (fd == -1 || pipe(p) == -1)
		return;
	a = holder(fd, 'a', p[1]);
	good = got(p[0], 10000) == 'a';
	b = holder(fd, 'b', p[1]);
	c = got(p[0], slots == 1 ? 300 : 10000);
	snprintf(what, sizeof what, "%u slot%s: the second %s while the "
	    "first holds", slots, slots > 1 ? "s" : "", slots == 1 ?
	    "waits" : "computes");
	ok(good && c == (slots == 1 ? 0 : 'b'), what);
	good = release(a);
	if (slots == 1)
		good &= got(p[0], 10000) == 'b';
	ok(good && release(b), slots == 1 ? "and takes it once the first is "
	    "done" : "both release it");
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void
test_order(void)
{
	int fd = device_create(1, err, sizeof err), p[2], i, good = 1;
	struct device *d = device_attach(fd, err, sizeof err);
	struct holder h[4];
	unsigned wait, hold;
	uint64_t t;
	char tags[5] = "";

	if (d == NULL || pipe(p) == -1)
		return;
	h[0] = holder(fd, 'a', p[1]);
	tags[0] = got(p[0], 10000);
	for (i = 1; i < 4; i++) {	/* each queues after the last */
		h[i] = holder(fd, (char)('a' + i), p[1]);
		t = clock_now_ns() + 10000000000ull;
		do
			device_count(d, &wait, &hold);
		while (wait < (unsigned)i && clock_now_ns() < t);
	}
	for (i = 0; i < 4; i++) {
		good &= release(h[i]);
		if (i < 3)
			tags[i + 1] = got(p[0], 10000);
	}
	ok(good && strcmp(tags, "abcd") == 0, "waiters go in arrival order");
	device_detach(&d);
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void
test_killed(void)
{
	int fd = device_create(1, err, sizeof err), p[2], st;
	struct holder a, b;
	char what[96];
	uint64_t t;
	double ms;

	if (pipe(p) == -1)
		return;
	a = holder(fd, 'a', p[1]);
	ok(got(p[0], 10000) == 'a', "the first holds the device");
	b = holder(fd, 'b', p[1]);
	ok(got(p[0], 200) == 0, "the second waits");
	t = clock_now_ns();
	kill(a.pid, SIGKILL);	/* a stays a zombie until reaped below */
	ms = got(p[0], 10000) == 'b' ? (double)(clock_now_ns() - t) / 1e6 : -1;
	snprintf(what, sizeof what, "a holder killed: the next gets the "
	    "device %.1f ms later", ms);
	ok(ms >= 0 && ms < 500, what);
	ok(release(b), "the next computes and releases");
	waitpid(a.pid, &st, 0);
	close(a.go);
	close(p[0]);
	close(p[1]);
	close(fd);
}

int
main(void)
{
	test_slots(1);
	test_slots(2);
	ok(device_create(0, err, sizeof err) == -1 &&
	    strstr(err, "slots") != NULL, "0 slots is refused");
	test_order();
	test_killed();
	return tap_done();
}
