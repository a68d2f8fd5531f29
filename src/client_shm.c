/* client_shm.c: fake-client's side of the shared-memory transport.
 *
 * One ring per run (doc/shm.md): the frame source lives in its input
 * slots, which are mapped twice back to back, so a window is contiguous
 * there as in the ordinary frame source, and a request carries only its
 * header. A worker falls back to frames in the messages, said once, when
 * its endpoint is not on this host, when the ring cannot be made, or when
 * it answers a shared-memory request with an error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "log.h"
#include "shm.h"

static int
ep_is_local(const char *url)
{
	return strncmp(url, "ipc://", 6) == 0 ||
	    strncmp(url, "tcp://127.", 10) == 0 ||
	    strncmp(url, "tcp://localhost:", 16) == 0 ||
	    strncmp(url, "tcp://[::1]:", 12) == 0;
}

/* The output a worker writes to a slot; 0 when it comes inline. */
static uint64_t
out_bytes(const struct client *c, int t)
{
	uint64_t hw = (uint64_t)(c->width * c->height), n;

	switch (c->t[t].kind) {
	case KIND_CLASSIFICATION: return 0;
	case KIND_SEGMENTATION: n = hw * (uint64_t)c->t[t].out_itemsize; break;
	case KIND_ECHO: n = hw * (uint64_t)c->channels * (uint64_t)c->t[t].window; break;
	default: n = hw * 8 > hw * (uint64_t)c->channels * (uint64_t)c->t[t].window ?
	    hw * 8 : hw * (uint64_t)c->channels * (uint64_t)c->t[t].window;
	}
	return n > SHM_INLINE_MAX ? n : 0;
}

static void
all_socket(struct client *c, const char *why)
{
	int t, any = 0;

	for (t = 0; t < c->nt; t++) {
		any |= c->t[t].shm;
		c->t[t].shm = 0;
	}
	if (any)
		log_warnx("shared memory is not possible: %s: frames go in the "
		    "messages", why);
}

static void
choose(struct client *c)
{
	int t, i;

	for (t = 0; t < c->nt; t++) {
		c->t[t].shm = c->o->transport == TRANSPORT_SHM ||
		    (c->o->transport == -1 && c->conf != NULL &&
		    c->t[t].kind >= 0 && conf_find_worker(c->conf, c->t[t].name) &&
		    conf_find_worker(c->conf, c->t[t].name)->transport ==
		    TRANSPORT_SHM);
		for (i = c->t[t].first_ep; c->t[t].shm &&
		    i < c->t[t].first_ep + c->t[t].nep; i++)
			if (!ep_is_local(c->ep[i].url)) {
				log_warnx("%s: %s is not on this host: frames go "
				    "in the messages", c->t[t].name, c->ep[i].url);
				c->t[t].shm = 0;
			}
	}
}

static void
geometry(const struct client *c, int depth, struct shm_geom *g)
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
		if (!c->t[t].shm || (n = out_bytes(c, t)) == 0)
			continue;
		users++;
		if (n > g->out_bytes)
			g->out_bytes = n;
	}
	/* Twice what can be in flight: a slot of a request that timed out
	 * is never used again (the worker may still write it). */
	g->nout = users ? (uint32_t)(2 * depth * users + 1) : 0;
}

int
client_shm_setup(struct client *c, int depth)
{
	const struct shm_hdr *h;
	struct shm_geom g;
	char err[256];
	uint32_t i;
	int t, any = 0;

	choose(c);
	for (t = 0; t < c->nt; t++)
		any |= c->t[t].shm;
	if (!any)
		return 0;
	shm_reap_stale(NULL);
	geometry(c, depth, &g);
	if ((c->ring = shm_ring_create(&g, err, sizeof err)) == NULL) {
		all_socket(c, err);
		return 0;
	}
	h = shm_ring_hdr(c->ring);
	if (h->stride != h->frame_bytes || h->nslots > 65536 ||
	    (c->fs = framesrc_wrap(shm_ring_slot(c->ring, 0),
	    (size_t)h->frame_bytes, (int)h->nslots, c->window,
	    c->o->seed)) == NULL) {
		snprintf(err, sizeof err, "%llu-byte frames need padded slots",
		    (unsigned long long)h->frame_bytes);
		shm_ring_free(&c->ring);
		all_socket(c, err);
		return 0;
	}
	if ((c->out_free = calloc(h->nout + 1, sizeof *c->out_free)) == NULL)
		fatal("calloc");
	for (i = h->nout; i > 0; i--)
		c->out_free[c->nout_free++] = (int)i - 1;
	log_info("shared memory: ring %s, %u slots, %u output slots",
	    shm_ring_name(c->ring), h->nslots, h->nout);
	return 0;
}

int
client_shm_header(struct client *c, struct client_part *p, int t,
    int64_t frame, char *extra, size_t len)
{
	const struct shm_hdr *h = shm_ring_hdr(c->ring);
	struct shm_req q;
	int k = c->t[t].window, n;

	memset(&q, 0, sizeof q);
	snprintf(q.ring, sizeof q.ring, "%s", shm_ring_name(c->ring));
	q.gen = h->gen;
	q.slot = (uint32_t)((frame - k + 1) % h->nslots);
	q.count = (uint32_t)k;
	q.out = -1;
	if (out_bytes(c, t) > 0 && c->nout_free > 0)
		q.out = c->out_free[--c->nout_free];
	p->out = q.out;
	n = snprintf(extra, len, "\"frame\":%lld,", (long long)frame);
	if (n < 0 || (size_t)n >= len ||
	    shm_req_format(extra + n, len - (size_t)n, &q) < 0) {
		client_shm_done(c, p);
		return -1;
	}
	return 0;
}

void
client_shm_done(struct client *c, struct client_part *p)
{
	if (p->out >= 0 && p->status != ST_TIMEOUT)
		c->out_free[c->nout_free++] = p->out;
	p->out = -1;
}

/* An error reply to a shared-memory request: the worker cannot use the
 * ring (or does not know the transport). Say so once; every such part is
 * sent again in the message. */
int
client_shm_refused(struct client *c, int t, const struct client_reply *r)
{
	if (!r->parsed || !r->h.is_error)
		return 0;
	if (c->t[t].shm)
		log_warnx("%s refuses shared memory (%s): frames go in the "
		    "messages", c->t[t].name, r->h.err);
	c->t[t].shm = 0;
	return 1;
}

/* Count the outputs that came in an output slot ("shm_out"). */
void
client_shm_reply(struct client *c, int t, const struct client_reply *r)
{
	int32_t out;

	if (r->parsed && r->rawn < sizeof r->raw &&
	    shm_reply_out(r->raw, r->rawn, &out) == 0)
		c->t[t].out_in_slot++;
}

void
client_shm_free(struct client *c)
{
	shm_ring_free(&c->ring);
	free(c->out_free);
	c->out_free = NULL;
	c->nout_free = 0;
}
