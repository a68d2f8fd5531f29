/* client_shm.c: fake-client's ring of the shared-memory transport.
 *
 * One ring per run (doc/shm.md): the frame source lives in its input
 * slots, which are mapped twice back to back, so a window is contiguous
 * there as in the ordinary frame source, and a request carries only its
 * header. A worker falls back to frames in the messages, said once, when
 * its endpoint is not on this host, when the ring cannot be made, or when
 * it answers a shared-memory request with an error.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_net.h"
#include "client_shm.h"
#include "log.h"
#include "shm.h"
#include "shm_reap.h"
#include "shm_ring.h"

struct client_shm {
	struct shm_ring *ring;
	int	*out_free;		/* its free output slots (a stack) */
	int	nout_free;
	char	*on;			/* [nt]: target t takes shared memory */
	int	nt;
};

/* The output a worker writes to a slot; 0 when it comes inline. */
static uint64_t
out_bytes(const struct client *c, int t)
{
	const struct client_target *tg = &c->t[t];
	uint64_t shape[4] = { (uint64_t)tg->window, (uint64_t)c->height,
	    (uint64_t)c->width, (uint64_t)c->channels }, n;
	struct wire_header in;

	wire_header_init(&in);
	if (wire_header_array(&in, "uint8", shape, 4) == -1)
		return 0;
	/* A kind not known: as large as any (8 bytes a pixel, or the input). */
	if (tg->kind >= 0)
		n = kind_out_bytes(tg->kind, &tg->ko, &in);
	else
		n = shape[1] * shape[2] * 8 > in.nbytes ?
		    shape[1] * shape[2] * 8 : in.nbytes;
	return n > SHM_INLINE_MAX ? n : 0;
}

static void
all_socket(struct client_shm *s, const char *why)
{
	int t, any = 0;

	for (t = 0; t < s->nt; t++) {
		any |= s->on[t];
		s->on[t] = 0;
	}
	if (any)
		log_warnx("shared memory is not possible: %s: frames go in the "
		    "messages", why);
}

static int
choose(struct client_shm *s, const struct client *c)
{
	const struct conf_worker *w;
	int t, i, any = 0;

	for (t = 0; t < c->nt; t++) {
		w = c->conf != NULL && c->t[t].kind >= 0 ?
		    conf_find_worker(c->conf, c->t[t].name) : NULL;
		s->on[t] = c->o->transport == TRANSPORT_SHM ||
		    (c->o->transport == -1 && w != NULL &&
		    w->transport == TRANSPORT_SHM);
		for (i = c->t[t].first_ep; s->on[t] &&
		    i < c->t[t].first_ep + c->t[t].nep; i++)
			if (!client_net_is_local(c->ep[i].url)) {
				log_warnx("%s: %s is not on this host: frames go "
				    "in the messages", c->t[t].name, c->ep[i].url);
				s->on[t] = 0;
			}
		any |= s->on[t];
	}
	return any;
}

static void
geometry(const struct client_shm *s, const struct client *c, int depth,
    struct shm_geom *g)
{
	uint64_t n;
	int t, users = 0;

	memset(g, 0, sizeof *g);
	snprintf(g->dtype, sizeof g->dtype, "uint8");
	g->ndim = 3;
	g->shape[0] = (uint64_t)c->height;
	g->shape[1] = (uint64_t)c->width;
	g->shape[2] = (uint64_t)c->channels;
	g->frame_bytes = (uint64_t)(c->height * c->width * c->channels);
	g->need_slots = (uint32_t)(c->window + depth + 1);
	g->max_window = (uint32_t)c->window;
	for (t = 0; t < c->nt; t++) {
		if (!s->on[t] || (n = out_bytes(c, t)) == 0)
			continue;
		users++;
		if (n > g->out_bytes)
			g->out_bytes = n;
	}
	/* Twice what can be in flight: a slot of a request that timed out
	 * is never used again (the worker may still write it). */
	g->nout = users ? (uint32_t)(2 * depth * users + 1) : 0;
}

/* The ring, and the frame source in its input slots: 0, or -1 with the
 * reason in err. */
static int
ring_make(struct client_shm *s, const struct client *c, int depth,
    struct framesrc **fs, char *err, size_t errlen)
{
	const struct shm_hdr *h;
	struct shm_geom g;
	uint32_t i;

	shm_reap_stale(NULL);
	geometry(s, c, depth, &g);
	if ((s->ring = shm_ring_create(&g, err, errlen)) == NULL)
		return -1;
	h = shm_ring_hdr(s->ring);
	if (h->stride != h->frame_bytes || h->nslots > 65536 ||
	    (*fs = framesrc_wrap(shm_ring_slot(s->ring, 0),
	    (size_t)h->frame_bytes, (int)h->nslots, c->window,
	    c->o->seed)) == NULL) {
		snprintf(err, errlen, "%llu-byte frames need padded slots",
		    (unsigned long long)h->frame_bytes);
		return -1;
	}
	if ((s->out_free = calloc(h->nout + 1, sizeof *s->out_free)) == NULL)
		fatal("calloc");
	for (i = h->nout; i > 0; i--)
		s->out_free[s->nout_free++] = (int)i - 1;
	log_info("shared memory: ring %s, %u slots, %u output slots",
	    shm_ring_name(s->ring), h->nslots, h->nout);
	return 0;
}

struct client_shm *
client_shm_new(const struct client *c, int depth, struct framesrc **fs)
{
	struct client_shm *s;
	char err[256];

	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->on = calloc((size_t)c->nt + 1, 1)) == NULL)
		fatal("calloc");
	s->nt = c->nt;
	if (!choose(s, c)) {
		client_shm_free(&s);
		return NULL;
	}
	if (ring_make(s, c, depth, fs, err, sizeof err) == -1) {
		all_socket(s, err);
		client_shm_free(&s);
		return NULL;
	}
	return s;
}

void
client_shm_free(struct client_shm **sp)
{
	struct client_shm *s = *sp;

	if (s == NULL)
		return;
	shm_ring_free(&s->ring);
	free(s->out_free);
	free(s->on);
	free(s);
	*sp = NULL;
}

const char *
client_shm_ring(const struct client_shm *s)
{
	return shm_ring_name(s->ring);
}

int
client_shm_on(const struct client_shm *s, int t)
{
	return s != NULL && s->on[t];
}

void
client_shm_request(struct client_shm *s, const struct client *c, int t,
    int lane, struct wire_header *h)
{
	const struct shm_hdr *rh = shm_ring_hdr(s->ring);
	struct wire_shm *q = &h->shm;
	int k = c->t[t].window;

	h->has_shm = 1;
	snprintf(q->ring, sizeof q->ring, "%s", shm_ring_name(s->ring));
	q->gen = rh->gen;
	q->slot = (uint32_t)((h->frame - k + 1) % rh->nslots);
	q->count = (uint32_t)k;
	q->out = -1;
	q->lane = lane;
	if (out_bytes(c, t) > 0 && s->nout_free > 0)
		q->out = s->out_free[--s->nout_free];
}

void
client_shm_done(struct client_shm *s, int32_t out)
{
	if (out >= 0)
		s->out_free[s->nout_free++] = out;
}

/* The worker cannot use the ring (or does not know the transport). A ring
 * it may not open says what would let it. */
int
client_shm_refused(struct client_shm *s, const struct client *c, int t,
    const struct client_reply *r)
{
	const char *how;

	if (!r->parsed || !r->h.is_error)
		return 0;
	how = strstr(r->h.err, "Permission denied") == NULL ? "" :
	    "; a worker opens a ring through the group " SHM_GROUP ": run the "
	    "client as root or as a member (usermod -aG " SHM_GROUP " USER, "
	    "then log in again), see doc/shm.md";
	if (s->on[t])
		log_warnx("%s refuses shared memory (%s): frames go in the "
		    "messages%s", c->t[t].name, r->h.err, how);
	s->on[t] = 0;
	return 1;
}
