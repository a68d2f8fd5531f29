/* worker_shm.c: fake-worker's side of the shared-memory transport. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "shm.h"
#include "worker_shm.h"

#define WORKER_SHM_RINGS	16	/* clients mapped at once */
#define WORKER_SHM_SWEEP_MS	1000	/* idle: look for gone clients */

struct worker_shm {
	struct shm_cache *cache;
	struct shm_view v;
	int	 active;	/* the current request is a shm one */
	int32_t	 used_out;	/* output slot written, -1 none */
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
	s->used_out = -1;
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
worker_shm_input(struct worker_shm *s, const void *hdr, size_t hlen,
    const struct wire_header *h, size_t paylen, const void **in, char *err,
    size_t errlen)
{
	int rc;

	s->active = 0;
	s->used_out = -1;
	rc = shm_cache_lookup(s->cache, hdr, hlen, h->nbytes, &s->v, err, errlen);
	if (rc != 0)
		return rc;
	if (paylen != 0) {
		snprintf(err, errlen, "a shm request carries no payload, this "
		    "one has %zu bytes", paylen);
		return -1;
	}
	s->active = 1;
	*in = s->v.in;
	return 0;
}

int
worker_shm_active(const struct worker_shm *s)
{
	return s->active;
}

void *
worker_shm_out(struct worker_shm *s, uint64_t nbytes)
{
	if (!s->active || s->v.out == NULL || nbytes <= SHM_INLINE_MAX ||
	    nbytes > s->v.out_cap)
		return NULL;
	s->used_out = s->v.out_slot;
	return s->v.out;
}

int
worker_shm_echo(struct worker_shm *s, const void *in, uint64_t n,
    zmq_msg_t *msg, char *err, size_t errlen)
{
	void *out;

	if ((out = worker_shm_out(s, n)) != NULL) {
		memcpy(out, in, n);
		return zmq_msg_init(msg);
	}
	if ((uint64_t)(size_t)n != n || zmq_msg_init_size(msg, n) == -1) {
		snprintf(err, errlen, "no memory for a %" PRIu64 "-byte reply", n);
		return -1;
	}
	memcpy(zmq_msg_data(msg), in, n);
	return 0;
}

int
worker_shm_extra(const struct worker_shm *s, char *buf, size_t len)
{
	int n;

	if (s->used_out < 0) {
		if (len > 0)
			buf[0] = '\0';
		return 0;
	}
	n = snprintf(buf, len, ",\"shm_out\":%" PRId32, s->used_out);
	return n < 0 || (size_t)n >= len ? 0 : n;
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
