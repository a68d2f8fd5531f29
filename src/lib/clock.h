/* clock.h: the monotonic clock every measurement uses, in nanoseconds. */
#ifndef FS_CLOCK_H
#define FS_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t
clock_read_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t
clock_now_ns(void)
{
	return clock_read_ns(CLOCK_MONOTONIC);
}

/* The CPU time of the whole process, all its threads (libzmq's too). */
static inline uint64_t
clock_cpu_ns(void)
{
	return clock_read_ns(CLOCK_PROCESS_CPUTIME_ID);
}

static inline struct timespec
clock_ts(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };

	return ts;
}

#endif
