/* heap.h: the C library's allocator keeps what a process frees. */
#ifndef FS_HEAP_H
#define FS_HEAP_H

#define HEAP_KEEP_MMAP	(64 << 20)	/* served from the heap up to this */
#define HEAP_KEEP_TRIM	(256 << 20)	/* free top kept up to this */

/* Once, at start, before libzmq starts its threads: 0, or -1 (logged at
 * debug level) when the allocator is not glibc's, a sanitizer's say. */
int	heap_keep(void);

#endif
