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

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "clock.h"
#include "lane.h"
#include "log.h"
#include "shm.h"
#include "shm_reap.h"
#include "shm_ring.h"

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

/* A lane per endpoint over shared memory; without one, ZeroMQ alone. */
static void
lanes_create(struct client *c)
{
	char err[256];
	int i;

	for (i = 0; i < c->nep && i < SHM_LANES; i++) {
		if (!c->t[c->ep[i].target].shm)
			continue;
		if (lane_create(shm_ring_name(c->ring), i, &c->ep[i].lane_rep,
		    err, sizeof err) == -1) {
			log_info("%s: no lane, ZeroMQ only: %s", c->ep[i].url,
			    err);
			c->ep[i].lane_rep = -1;
		}
	}
}

int
client_shm_setup(struct client *c, int depth)
{
	const struct shm_hdr *h;
	struct shm_geom g;
	char err[256];
	uint32_t i;
	int t, any = 0;

	for (t = 0; t < c->nep; t++)
		c->ep[t].lane_req = c->ep[t].lane_rep = -1;
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
	lanes_create(c);
	return 0;
}

int
client_shm_header(struct client *c, struct client_part *p, int t,
    struct wire_header *h)
{
	const struct shm_hdr *rh = shm_ring_hdr(c->ring);
	struct wire_shm *q = &h->shm;
	int k = c->t[t].window;

	h->has_shm = 1;
	snprintf(q->ring, sizeof q->ring, "%s", shm_ring_name(c->ring));
	q->gen = rh->gen;
	q->slot = (uint32_t)((h->frame - k + 1) % rh->nslots);
	q->count = (uint32_t)k;
	q->out = -1;
	q->lane = c->ep[p->ep].lane_rep != -1 ? p->ep : -1;
	if (out_bytes(c, t) > 0 && c->nout_free > 0)
		q->out = c->out_free[--c->nout_free];
	p->out = q->out;
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

/* Count the outputs that came in an output slot ("shm_out"); note when
 * the worker received the request and sent the reply (one host, one
 * CLOCK_MONOTONIC). */
void
client_shm_reply(struct client *c, int t, const struct client_reply *r,
    struct client_part *p)
{
	p->w_recv_ns = r->parsed ? r->h.t_recv_ns : 0;
	p->w_sent_ns = r->parsed ? r->h.t_sent_ns : 0;
	if (p->w_recv_ns < p->sent_ns || p->w_sent_ns < p->w_recv_ns ||
	    p->w_sent_ns > clock_now_ns())
		p->w_recv_ns = p->w_sent_ns = 0;
	if (r->parsed && r->h.shm_out >= 0)
		c->t[t].out_in_slot++;
}

int
client_shm_poll(const struct client *c, zmq_pollitem_t *items, int max,
    int *ep_of)
{
	int i, n = 0;

	for (i = 0; c->ring != NULL && i < c->nep && n < max; i++)
		if (c->ep[i].lane_rep != -1) {
			items[n] = (zmq_pollitem_t){ .fd = c->ep[i].lane_rep,
			    .events = ZMQ_POLLIN };
			ep_of[n++] = i;
		}
	return n;
}

int
client_shm_bell(struct client *c, int i, const char *hdr, size_t hlen)
{
	struct client_ep *ep = &c->ep[i];

	/* A lane request must not overtake one queued on the socket. */
	if (ep->lane_rep == -1 || ep->lane_off || ep->n > ep->lane_n)
		return 0;
	if (ep->lane_req == -1 &&
	    (ep->lane_req = lane_open_req(shm_ring_name(c->ring), i)) == -1)
		return 0;	/* the worker has not opened it yet */
	if (lane_send(ep->lane_req, hdr, hlen, NULL, 0) == -1) {
		log_debug("%s: lane: %s", ep->url, strerror(errno));
		if (errno == EPIPE) {	/* that worker is gone */
			close(ep->lane_req);
			ep->lane_req = -1;
		}
		return 0;
	}
	ep->lane_n++;
	return 1;
}

int
client_shm_lane_full(struct client *c, int i, const struct client_reply *r)
{
	if (!r->parsed || !r->h.is_error || !r->h.lane_full)
		return 0;
	if (c->ep[i].lane_rep != -1)
		log_warnx("%s: %s: its requests go over ZeroMQ", c->ep[i].url,
		    r->h.err);
	if (c->ep[i].lane_req != -1)
		close(c->ep[i].lane_req);
	c->ep[i].lane_req = -1;
	c->ep[i].lane_off = 1;
	return 1;
}

int
client_shm_lane_recv(struct client *c, int i, struct client_reply *r)
{
	unsigned char buf[LANE_MSG_MAX];
	char err[256];
	size_t hlen, plen;
	int rc;

	for (;;) {
		if ((rc = lane_recv(c->ep[i].lane_rep, buf, sizeof buf, &hlen,
		    &plen, err, sizeof err)) != 1) {
			if (rc == -1)
				log_info("%s: lane: %s", c->ep[i].url, err);
			return 0;
		}
		memset(r, 0, offsetof(struct client_reply, raw));
		r->rx_ns = clock_now_ns();
		if (hlen >= sizeof r->raw)
			continue;
		memcpy(r->raw, buf, hlen);
		r->rawn = hlen;
		r->paylen = plen;
		r->h.service_us = -1;
		if (r->raw[0] == '{' && wire_header_parse(r->raw, r->rawn,
		    &r->h, err, sizeof err) == 0)
			r->parsed = 1;
		return 1;
	}
}

void
client_shm_free(struct client *c)
{
	int i;

	for (i = 0; c->ring != NULL && i < c->nep; i++) {
		if (c->ep[i].lane_req != -1)
			close(c->ep[i].lane_req);
		if (c->ep[i].lane_rep != -1) {
			close(c->ep[i].lane_rep);
			lane_unlink(shm_ring_name(c->ring), i);
		}
		c->ep[i].lane_req = c->ep[i].lane_rep = -1;
	}
	shm_ring_free(&c->ring);
	free(c->out_free);
	c->out_free = NULL;
	c->nout_free = 0;
}
