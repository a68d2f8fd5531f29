/* worker_shm.c: fake-worker's rings of the shared-memory transport. */
#include "config.h"

#include <stdlib.h>

#include "log.h"
#include "shm.h"
#include "shm_cache.h"
#include "worker_shm.h"

#define WORKER_SHM_RINGS	16	/* clients mapped at once */
#define WORKER_SHM_SWEEP_MS	1000	/* idle: look for gone clients */

struct worker_shm {
	struct shm_cache *cache;
	struct shm_view v;	/* the resolved request's */
};

struct worker_shm *
worker_shm_new(void)
{
	struct worker_shm *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->cache = shm_cache_new(WORKER_SHM_RINGS)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
worker_shm_free(struct worker_shm **sp)
{
	if (*sp == NULL)
		return;
	shm_cache_free(&(*sp)->cache);
	free(*sp);
	*sp = NULL;
}

int
worker_shm_resolve(struct worker_shm *s, const struct wire_header *h,
    const void **in, char *err, size_t errlen)
{
	s->v.out = NULL;
	s->v.hdr = NULL;
	if (shm_cache_lookup(s->cache, &h->shm, h->nbytes, &s->v, err,
	    errlen) == -1)
		return -1;
	*in = s->v.in;
	return 0;
}

void *
worker_shm_place(struct worker_shm *s, uint64_t nbytes, int32_t *slot)
{
	if (s->v.out == NULL || nbytes <= SHM_INLINE_MAX ||
	    nbytes > s->v.out_cap)
		return NULL;
	*slot = s->v.out_slot;
	return s->v.out;
}

uint32_t
worker_shm_owner(const struct worker_shm *s)
{
	return s->v.hdr != NULL ? s->v.hdr->owner_uid : (uint32_t)-1;
}

int
worker_shm_has(const struct worker_shm *s, const char *ring, uint64_t gen)
{
	return shm_cache_has(s->cache, ring, gen);
}

long
worker_shm_timeout_ms(const struct worker_shm *s)
{
	return shm_cache_count(s->cache) > 0 ? WORKER_SHM_SWEEP_MS : -1;
}

void
worker_shm_sweep(struct worker_shm *s)
{
	int n;

	if (shm_cache_count(s->cache) > 0 &&
	    (n = shm_cache_sweep(s->cache)) > 0)
		log_debug("shm: let go of %d ring%s of gone clients", n,
		    n == 1 ? "" : "s");
}
