/* heap.h: how the C library's allocator keeps freed memory. */
#ifndef FS_HEAP_H
#define FS_HEAP_H

#include <stddef.h>

/* The most a process keeps of what it frees: glibc's own ceiling for the
 * size it serves from its heap (DEFAULT_MMAP_THRESHOLD_MAX, 64-bit). */
#define HEAP_KEEP_MMAP	(32u << 20)
#define HEAP_KEEP_TRIM	(2 * HEAP_KEEP_MMAP)

int	heap_keep(void);

#endif
