/* shm_cache.h: the rings a worker has mapped, and the whole worker side
 * of a shared-memory request: from its parsed "shm" member to the bytes it
 * reads and the output slot it writes. */
#ifndef FS_SHM_CACHE_H
#define FS_SHM_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "shm.h"

struct shm_cache;	/* a worker's mapped rings */

/* A request resolved against a worker's mapping. */
struct shm_view {
	const void *in;		/* in_len bytes, contiguous */
	uint64_t in_len;
	void	*out;		/* out_cap bytes, or NULL */
	uint64_t out_cap;
	int32_t	 out_slot;	/* -1 when none */
	int32_t	 lane;		/* the request's lane, -1 none (lane.h) */
	const char *ring;	/* the ring's name and header */
	const struct shm_hdr *hdr;
};

struct shm_cache *shm_cache_new(int max_rings);
void		 shm_cache_free(struct shm_cache **);
int		 shm_cache_count(const struct shm_cache *);
/* Is that ring (name and generation) mapped? */
int		 shm_cache_has(const struct shm_cache *, const char *name,
		    uint64_t gen);
/* The whole worker side of a request: map (or find) the ring its "shm"
 * member names (struct wire_header's shm), check it against nbytes (the
 * size the header's dtype and shape give) and point *v at the data.
 * Returns 0 with *v set, or -1 with a message for the error reply. */
int		 shm_cache_lookup(struct shm_cache *, const struct wire_shm *,
		    uint64_t nbytes, struct shm_view *v, char *err, size_t errlen);
/* Unmap rings whose name is gone (unlinked, or reused for another object)
 * or whose creator, in this pid namespace, has died; returns how many. */
int		 shm_cache_sweep(struct shm_cache *);

#endif
