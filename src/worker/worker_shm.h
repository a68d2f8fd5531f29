/* worker_shm.h: fake-worker's rings of the shared-memory transport.
 *
 * A request whose header has an "shm" member carries no payload: its input
 * is read in place from the client's ring, and a large output is written
 * into the output slot the request names, the reply saying "shm_out"
 * instead of carrying the bytes. The rings a worker has mapped stay mapped
 * (shm_cache) until their client dies. The rest of the worker asks this
 * module two things about a request: where its input is
 * (worker_shm_resolve) and where its output goes (worker_shm_place). See
 * doc/shm.md.
 */
#ifndef FS_WORKER_SHM_H
#define FS_WORKER_SHM_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

struct worker_shm;

struct worker_shm *worker_shm_new(void);
void	worker_shm_free(struct worker_shm **);

/* Resolve the input of a shared-memory request (h->has_shm): map its ring
 * (or find it mapped), check the slots against h and point *in at
 * h->nbytes bytes there. 0, or -1 with the reason in err. Starts a new
 * request: forgets the last one's output. */
int	worker_shm_resolve(struct worker_shm *, const struct wire_header *h,
	    const void **in, char *err, size_t errlen);
/* Place an output of nbytes: the resolved request's output slot, when it
 * names one that holds it and the output is larger than an inline reply
 * should be, with *slot set; NULL to reply inline. */
void	*worker_shm_place(struct worker_shm *, uint64_t nbytes, int32_t *slot);

/* The uid that created the resolved request's ring: its lane's pipes must
 * be that user's. */
uint32_t worker_shm_owner(const struct worker_shm *);
/* Is that ring (name and generation) still mapped? */
int	worker_shm_has(const struct worker_shm *, const char *ring, uint64_t gen);

/* An idle worker must still let go of the rings of clients that are gone:
 * the poll timeout (ms) until the next sweep, -1 while no ring is mapped;
 * then worker_shm_sweep. */
long	worker_shm_timeout_ms(const struct worker_shm *);
void	worker_shm_sweep(struct worker_shm *);

#endif
