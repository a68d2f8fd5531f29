/* deadline.h: accurate waits to an absolute CLOCK_MONOTONIC deadline.
 *
 * A plain sleep wakes 30 to 170 us late. deadline_wait() sleeps to the
 * deadline minus DEADLINE_SPIN_NS, then spins on clock_gettime, which lands
 * within a microsecond; it never returns before the deadline unless the
 * watched descriptor becomes readable (a signalfd: SIGTERM stays prompt).
 */
#ifndef FS_DEADLINE_H
#define FS_DEADLINE_H

#include <stdint.h>

#define DEADLINE_SPIN_NS	200000ull	/* margin spun, not slept */

/* Set this thread's timer slack to 1 ns so the coarse sleep rarely
 * overshoots the margin. Call once; harmless to repeat. */
void	deadline_init(void);

/* Wait until clock_now_ns() >= deadline_ns. With fd >= 0, return early
 * when fd is readable (without reading it). Returns 0 at the deadline,
 * 1 when fd is readable, -1 with errno set if polling failed. */
int	deadline_wait(uint64_t deadline_ns, int fd);
/* The same without the spin, for a wait whose end need not be exact: never
 * before until, and after it by a wake-up's lateness. */
int	deadline_sleep(uint64_t until, int fd);

#endif
