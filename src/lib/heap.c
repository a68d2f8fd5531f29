/* heap.c: keep freed message buffers for the next message.
 *
 * libzmq's I/O thread allocates every message it receives, in its own
 * malloc arena, and the loop frees it there. glibc gives the top of an
 * arena back to the kernel once 128 KB of it is free (M_TRIM_THRESHOLD),
 * and 16 requests of 64x48x3 in flight are 147 KB: each round was given
 * back and faulted in again, one page fault a request in the I/O thread,
 * which doubled the CPU a request costs on a virtual machine. glibc
 * raises the threshold by itself only after it frees a block it had
 * mapped on its own, which small messages never are.
 *
 * So the thresholds are set once, at start, to where glibc's own rule
 * would take them for the largest block it serves from the heap: blocks
 * up to 32 MB come from the heap, and up to 64 MB of free top stays
 * mapped. An idle process keeps nothing more: it has freed nothing.
 */
#include "config.h"

#include <malloc.h>

#include "heap.h"

/* 0 on success, -1 if the allocator refused (it is not glibc's). */
int
heap_keep(void)
{
	if (mallopt(M_MMAP_THRESHOLD, (int)HEAP_KEEP_MMAP) != 1 ||
	    mallopt(M_TRIM_THRESHOLD, (int)HEAP_KEEP_TRIM) != 1)
		return -1;
	return 0;
}
