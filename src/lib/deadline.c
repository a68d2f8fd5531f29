/* deadline.c: sleep to a deadline minus a margin, then spin to it. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "deadline.h"

/* poll's timeout has a slack of 0.1 % of it (0.5 % when niced), whatever
 * PR_SET_TIMERSLACK says: a 300 ms ppoll wakes ~300 us late, past the spin
 * margin. So a sleep watching a descriptor polls at most 20 ms at once (a
 * slack of at most 20 us, one call); a longer one waits on a timerfd set
 * to the absolute deadline: one wake-up, with no slack, for one call more.
 * Without a timerfd it is cut into pieces of 20 ms, each a wake-up. */
#define DEADLINE_POLL_MAX_NS	20000000ull

static int deadline_tfd = -2;	/* -2: not made yet, -1: none */

void
deadline_init(void)
{
	/* Best effort: without it the wait is still never early. */
	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
}

static inline void
deadline_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* Arm the timerfd for until: 0, or -1 when there is none to arm. */
static int
deadline_arm(uint64_t until)
{
	struct itimerspec its = { .it_value = clock_ts(until) };

	if (deadline_tfd == -2)
		deadline_tfd = timerfd_create(CLOCK_MONOTONIC,
		    TFD_CLOEXEC | TFD_NONBLOCK);
	if (deadline_tfd < 0)
		return -1;
	/* Arming it again clears a past expiry: nothing to read. */
	if (timerfd_settime(deadline_tfd, TFD_TIMER_ABSTIME, &its, NULL) == -1) {
		close(deadline_tfd);
		deadline_tfd = -1;
		return -1;
	}
	return 0;
}

/* The armed timerfd and fd polled together, until the deadline: 0, or 1
 * when fd is readable, -1 if polling failed. */
static int
deadline_sleep_timer(uint64_t until, int fd)
{
	struct pollfd pfd[2] = { { .fd = fd, .events = POLLIN },
	    { .fd = deadline_tfd, .events = POLLIN } };
	int n;

	while (clock_now_ns() < until) {
		if ((n = poll(pfd, 2, -1)) == -1 && errno != EINTR)
			return -1;
		if (n > 0 && pfd[0].revents != 0)
			return 1;
	}
	return 0;
}

int
deadline_sleep(uint64_t until, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec ts;
	uint64_t now;
	int n;

	if (fd >= 0 && clock_now_ns() + DEADLINE_POLL_MAX_NS < until &&
	    deadline_arm(until) == 0)
		return deadline_sleep_timer(until, fd);
	while ((now = clock_now_ns()) < until) {
		if (fd < 0) {
			ts = clock_ts(until);
			n = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
			    &ts, NULL);
			if (n != 0 && n != EINTR) {
				errno = n;
				return -1;
			}
			continue;
		}
		ts = clock_ts(until - now < DEADLINE_POLL_MAX_NS ?
		    until - now : DEADLINE_POLL_MAX_NS);
		n = ppoll(&pfd, 1, &ts, NULL);
		if (n > 0)
			return 1;
		if (n == -1 && errno != EINTR)
			return -1;
	}
	return 0;
}

int
deadline_wait(uint64_t deadline_ns, int fd)
{
	uint64_t now = clock_now_ns();
	int rc;

	/* Past already (a cost of 0, or computed beyond it): one read of
	 * the clock. */
	if (now >= deadline_ns)
		return 0;
	if (now + DEADLINE_SPIN_NS < deadline_ns &&
	    (rc = deadline_sleep(deadline_ns - DEADLINE_SPIN_NS, fd)) != 0)
		return rc;
	while (clock_now_ns() < deadline_ns)
		deadline_relax();
	return 0;
}
