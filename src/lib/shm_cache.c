/* shm_cache.c: the rings a worker has mapped (at most max_rings, the
 * least recently used evicted), swept of those no longer wanted, and the
 * lookup that turns a request's header into the bytes it names. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "shm.h"
#include "shm_cache.h"
#include "shm_ring.h"

struct shm_cache_ent {
	struct shm_ring *ring;
	uint64_t used;		/* LRU tick */
};

struct shm_cache {
	struct shm_cache_ent *ent;
	int	 n, max;
	uint64_t tick;
	uint64_t swept_ns;
};

struct shm_cache *
shm_cache_new(int max_rings)
{
	struct shm_cache *c;

	if (max_rings < 1 || (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->ent = calloc((size_t)max_rings, sizeof(*c->ent))) == NULL) {
		free(c);
		return NULL;
	}
	c->max = max_rings;
	return c;
}

static void
shm_cache_drop(struct shm_cache *c, int i)
{
	log_debug("shm: unmapped %s", shm_ring_name(c->ent[i].ring));
	shm_ring_free(&c->ent[i].ring);
	c->ent[i] = c->ent[--c->n];
}

void
shm_cache_free(struct shm_cache **cp)
{
	struct shm_cache *c = *cp;

	if (c == NULL)
		return;
	while (c->n > 0)
		shm_cache_drop(c, c->n - 1);
	free(c->ent);
	free(c);
	*cp = NULL;
}

int
shm_cache_count(const struct shm_cache *c)
{
	return c->n;
}

int
shm_cache_has(const struct shm_cache *c, const char *name, uint64_t gen)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (shm_ring_hdr(c->ent[i].ring)->gen == gen &&
		    strcmp(shm_ring_name(c->ent[i].ring), name) == 0)
			return 1;
	return 0;
}

int
shm_cache_sweep(struct shm_cache *c)
{
	uint32_t pidns = shm_ring_pidns();
	int i, n = 0;

	for (i = c->n - 1; i >= 0; i--)
		if (shm_ring_stale(c->ent[i].ring, pidns)) {
			shm_cache_drop(c, i);
			n++;
		}
	c->swept_ns = clock_now_ns();
	return n;
}

/* The mapping for r's ring: cached, or mapped now (evicting the least
 * recently used ring when full). A cached ring of another generation was
 * replaced under the same name: map the new one. */
static struct shm_ring *
shm_cache_ring(struct shm_cache *c, const struct wire_shm *r, char *err,
    size_t errlen)
{
	struct shm_ring *ring;
	const struct shm_hdr *h;
	int i, lru = 0;

	for (i = 0; i < c->n; i++)
		if (strcmp(shm_ring_name(c->ent[i].ring), r->ring) == 0) {
			if (shm_ring_hdr(c->ent[i].ring)->gen == r->gen &&
			    !shm_ring_broken(c->ent[i].ring)) {
				c->ent[i].used = ++c->tick;
				return c->ent[i].ring;
			}
			shm_cache_drop(c, i);
			break;
		}
	if ((ring = shm_ring_open(r->ring, err, errlen)) == NULL)
		return NULL;
	if (c->n == c->max) {
		for (i = 1; i < c->n; i++)
			if (c->ent[i].used < c->ent[lru].used)
				lru = i;
		shm_cache_drop(c, lru);
	}
	c->ent[c->n].ring = ring;
	c->ent[c->n++].used = ++c->tick;
	h = shm_ring_hdr(ring);
	log_debug("shm: mapped %s: %" PRIu32 " slots of %" PRIu64 " bytes, %"
	    PRIu32 " outputs", r->ring, h->nslots, h->stride, h->nout);
	return ring;
}

int
shm_cache_lookup(struct shm_cache *c, const struct wire_shm *r,
    uint64_t nbytes, struct shm_view *v, char *err, size_t errlen)
{
	struct shm_ring *ring;
	unsigned char *base;
	struct shm_span s;

	if (clock_now_ns() - c->swept_ns > 1000000000ull)
		shm_cache_sweep(c);
	if ((ring = shm_cache_ring(c, r, err, errlen)) == NULL ||
	    shm_req_resolve(shm_ring_hdr(ring), r, nbytes, &s, err,
	    errlen) == -1)
		return -1;
	base = shm_ring_base(ring);
	v->in = base + s.in_off;
	v->in_len = s.in_len;
	v->out = s.out_cap > 0 ? base + s.out_off : NULL;
	v->out_cap = s.out_cap;
	v->out_slot = s.out;
	v->lane = r->lane;
	v->ring = shm_ring_name(ring);
	v->hdr = shm_ring_hdr(ring);
	return 0;
}
