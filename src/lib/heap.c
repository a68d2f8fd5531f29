/* heap.c: keep freed message buffers mapped for the next message.
 *
 * glibc gives the free top of a heap back to the kernel once it passes
 * M_TRIM_THRESHOLD (128 KB), and serves blocks over M_MMAP_THRESHOLD
 * (128 KB) with a mapping of their own, unmapped when freed. It raises
 * both by itself only after freeing such a mapped block. Two patterns of
 * libzmq's paid for that in page faults, which on a virtual machine cost
 * more than the rest of a request:
 *
 * - Its I/O thread allocates every message it receives in its own arena
 *   (a 64x48x3 request is 9.3 KB, over its 8 KB batch buffer), and the
 *   loop frees it there. 16 requests in flight are 147 KB: the top was
 *   given back about every round and faulted in again, one fault a
 *   request, and the worker's CPU a request doubled.
 * - CURVE allocates and zeroes two or three buffers the size of each
 *   message it encrypts or decrypts, then frees them: 858 page faults a
 *   800x600x3 round trip in a worker, 4 times the floor's CPU.
 *
 * fake-worker and fake-client set larger thresholds once, at start. The
 * cost is memory: what a process has freed stays with it, up to 256 MB of
 * free top. An idle process has freed nothing.
 */
#include "config.h"

#include <malloc.h>

#include "heap.h"
#include "log.h"

int
heap_keep(void)
{
	if (mallopt(M_MMAP_THRESHOLD, HEAP_KEEP_MMAP) != 1 ||
	    mallopt(M_TRIM_THRESHOLD, HEAP_KEEP_TRIM) != 1) {
		log_debug("the allocator keeps its own thresholds");
		return -1;
	}
	return 0;
}
