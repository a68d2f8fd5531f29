/* deadline.c: sleep to a deadline minus a margin, then spin to it. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <sys/prctl.h>
#include <time.h>

#include "clock.h"
#include "deadline.h"

/* poll's timer slack is 0.1 % of its timeout (0.5 % when niced), whatever
 * PR_SET_TIMERSLACK says: a 300 ms ppoll wakes ~300 us late, past the spin
 * margin. Polling at most 20 ms at a time keeps the slack under 100 us. */
#define DEADLINE_POLL_MAX_NS	20000000ull

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

int
deadline_sleep(uint64_t until, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec ts;
	uint64_t now;
	int n;

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
	int rc;

	if (deadline_ns > DEADLINE_SPIN_NS &&
	    (rc = deadline_sleep(deadline_ns - DEADLINE_SPIN_NS, fd)) != 0)
		return rc;
	while (clock_now_ns() < deadline_ns)
		deadline_relax();
	return 0;
}
