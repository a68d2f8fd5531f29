/* shm_ring.h: one mapping of a shared-memory ring: the client creates
 * and writes it, a worker opens it read-only for its inputs, guarded
 * against the ring being truncated under it (shm.h has the layout). */
#ifndef FS_SHM_RING_H
#define FS_SHM_RING_H

#include <stddef.h>
#include <stdint.h>

#include "shm.h"

struct shm_ring;	/* one mapping of a ring, the client's or a worker's */

/* Client side. The slot count is rounded up so that the input slots fill
 * whole pages (needed to map them twice); a geometry that would need an
 * absurd ring fails with a message saying so. */
struct shm_ring	*shm_ring_create(const struct shm_geom *, char *err, size_t errlen);
void		*shm_ring_slot(struct shm_ring *, uint32_t slot);
const void	*shm_ring_out(const struct shm_ring *, uint32_t out);
/* Unmap; the creator also unlinks the name. NULLs the pointer. */
void		 shm_ring_free(struct shm_ring **);

/* Worker side: map an existing ring by name and check its header. */
struct shm_ring	*shm_ring_open(const char *name, char *err, size_t errlen);

/* Was the ring truncated under this worker? Its mapping then reads as
 * zeros (a SIGBUS handler replaced it) and the cache maps it anew. */
int		 shm_ring_broken(const struct shm_ring *);
/* Is a mapped ring no longer wanted: its name gone (unlinked, or reused
 * for another object), or its creator dead when it lived in pid
 * namespace pidns, ours (shm_ring_pidns)? */
int		 shm_ring_stale(const struct shm_ring *, uint32_t pidns);

const struct shm_hdr *shm_ring_hdr(const struct shm_ring *);
const char	*shm_ring_name(const struct shm_ring *);
/* The mapping's base, laid out as struct shm_span assumes. */
unsigned char	*shm_ring_base(const struct shm_ring *);

/* Let SHM_GROUP read and write a ring or a lane's pipe: the file open as
 * fd, or the one at path when fd is -1 (path names it in the log). */
void		 shm_ring_share(int fd, const char *path);
/* Our pid namespace (the low bits of its inode), 0 when unknown. */
uint32_t	 shm_ring_pidns(void);
/* Has the process that created a ring, pid in our namespace, died? */
int		 shm_ring_owner_dead(uint32_t pid);

#endif
