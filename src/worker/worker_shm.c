/* worker_shm.c: fake-worker's side of the shared-memory transport. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lane.h"
#include "log.h"
#include "shm.h"
#include "shm_cache.h"
#include "worker_shm.h"

#define WORKER_SHM_RINGS	16	/* clients mapped at once */
#define WORKER_SHM_SWEEP_MS	1000	/* idle: look for gone clients */

/* A client's lane to this worker (lane.h): its two pipes. */
struct worker_lane {
	char	 ring[SHM_NAME_MAX];
	uint64_t gen;
	int32_t	 lane;
	int	 reqfd, repfd;	/* both -1: it could not be opened */
};

struct worker_shm {
	struct shm_cache *cache;
	struct shm_view v;
	int	 active;	/* the current request is a shm one */
	int32_t	 used_out;	/* output slot written, -1 none */
	struct worker_lane lanes[WORKER_SHM_LANES];
	int	 nlanes;
	int	 via;		/* the current request's lane + 1, 0: ZeroMQ */
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

static void
lane_close(struct worker_shm *s, int i)
{
	struct worker_lane *l = &s->lanes[i];

	if (l->reqfd != -1)
		close(l->reqfd);
	if (l->repfd != -1)
		close(l->repfd);
	log_debug("shm: closed lane %d of %s", l->lane, l->ring);
	if (i != --s->nlanes)
		memcpy(l, &s->lanes[s->nlanes], sizeof(*l));
	s->via = 0;
}

static int
lane_find(const struct worker_shm *s, const char *ring, uint64_t gen,
    int32_t lane)
{
	int i;

	for (i = 0; i < s->nlanes; i++)
		if (s->lanes[i].lane == lane && s->lanes[i].gen == gen &&
		    strcmp(s->lanes[i].ring, ring) == 0)
			return i;
	return -1;
}

/* The lane the current request names, opened the first time (or -1). */
static int
lane_get(struct worker_shm *s, const struct shm_view *v)
{
	struct worker_lane *l;
	char err[256];
	int i;

	if (v->lane < 0)
		return -1;
	if ((i = lane_find(s, v->ring, v->hdr->gen, v->lane)) != -1)
		return s->lanes[i].reqfd != -1 ? i : -1;
	for (i = s->nlanes - 1; i >= 0 && s->nlanes == WORKER_SHM_LANES; i--)
		if (!shm_cache_has(s->cache, s->lanes[i].ring, s->lanes[i].gen))
			lane_close(s, i);
	if (s->nlanes == WORKER_SHM_LANES)
		return -1;
	l = &s->lanes[i = s->nlanes++];
	memset(l, 0, sizeof(*l));
	snprintf(l->ring, sizeof(l->ring), "%s", v->ring);
	l->gen = v->hdr->gen;
	l->lane = v->lane;
	if (lane_open(v->ring, v->lane, v->hdr->owner_uid, &l->reqfd,
	    &l->repfd, err, sizeof(err)) == -1) {
		log_info("shm: no lane %d for %s, ZeroMQ only: %s", v->lane,
		    v->ring, err);
		return -1;
	}
	log_debug("shm: opened lane %d of %s", v->lane, v->ring);
	return i;
}

int
worker_shm_poll(const struct worker_shm *s, zmq_pollitem_t *items, int max,
    int *lane_of)
{
	int i, n = 0;

	for (i = 0; i < s->nlanes && n < max; i++)
		if (s->lanes[i].reqfd != -1) {
			items[n] = (zmq_pollitem_t){ .fd = s->lanes[i].reqfd,
			    .events = ZMQ_POLLIN };
			lane_of[n++] = i;
		}
	return n;
}

int
worker_shm_lane_take(struct worker_shm *s, int i, unsigned char *buf,
    size_t len, size_t *hlen, char *err, size_t errlen)
{
	struct worker_lane *l = &s->lanes[i];
	char why[256];
	size_t plen;
	int rc;

	if ((rc = lane_recv(l->reqfd, buf, len, hlen, &plen, why,
	    sizeof(why))) != 1) {
		if (rc == -1)
			log_info("shm: lane %d of %s: %s", l->lane, l->ring, why);
		return 0;
	}
	s->via = i + 1;
	err[0] = '\0';
	/* Which ring and lane it names is checked once its header is parsed
	 * (worker_shm_input). */
	if (plen != 0)
		snprintf(err, errlen, "a request carries no payload in a lane");
	return 1;
}

int
worker_shm_via_lane(const struct worker_shm *s)
{
	return s->via != 0;
}

void
worker_shm_lane_reply(struct worker_shm *s, const void *hdr, size_t hlen,
    const void *pay, size_t plen)
{
	struct worker_lane *l;

	if (s->via == 0)
		return;
	l = &s->lanes[s->via - 1];
	if (lane_send(l->repfd, hdr, hlen, pay, plen) == -1)
		log_info("shm: lane %d of %s: reply not written: %s", l->lane,
		    l->ring, strerror(errno));
	s->via = 0;
}

void
worker_shm_free(struct worker_shm **sp)
{
	if (*sp == NULL)
		return;
	while ((*sp)->nlanes > 0)
		lane_close(*sp, (*sp)->nlanes - 1);
	shm_cache_free(&(*sp)->cache);
	free(*sp);
	*sp = NULL;
}

int
worker_shm_input(struct worker_shm *s, const struct wire_header *h,
    size_t paylen, const void **in, char *err, size_t errlen)
{
	struct worker_lane *l;
	int rc = 1;

	s->active = 0;
	s->used_out = -1;
	if (h->has_shm)
		rc = shm_cache_lookup(s->cache, &h->shm, h->nbytes, &s->v, err,
		    errlen);
	/* Through a lane: only shared-memory requests on its ring, naming it. */
	if (s->via != 0 && rc != -1 && (rc == 1 ||
	    lane_find(s, s->v.ring, s->v.hdr->gen, s->v.lane) != s->via - 1)) {
		l = &s->lanes[s->via - 1];
		snprintf(err, errlen, "lane %d of %s carries only requests "
		    "through that ring naming that lane", l->lane, l->ring);
		return -1;
	}
	if (rc != 0)
		return rc;
	if (paylen != 0) {
		snprintf(err, errlen, "a shm request carries no payload, this "
		    "one has %zu bytes", paylen);
		return -1;
	}
	s->active = 1;
	*in = s->v.in;
	/* A request over ZeroMQ that names a lane opens it: the next
	 * ones may come through it. */
	if (s->via == 0)
		(void)lane_get(s, &s->v);
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

int32_t
worker_shm_used_out(const struct worker_shm *s)
{
	return s->used_out;
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

	int i;

	if (shm_cache_count(s->cache) > 0 &&
	    (n = shm_cache_sweep(s->cache)) > 0)
		log_debug("shm: let go of %d ring%s of gone clients", n,
		    n == 1 ? "" : "s");
	for (i = s->nlanes - 1; i >= 0; i--)
		if (!shm_cache_has(s->cache, s->lanes[i].ring, s->lanes[i].gen))
			lane_close(s, i);
}
