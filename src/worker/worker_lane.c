/* worker_lane.c: the lane route of fake-worker. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lane.h"
#include "log.h"
#include "worker_lane.h"
#include "worker_serve.h"
#include "worker_shm.h"

/* A client's lane to this worker: its two pipes. */
struct worker_lane {
	char	 ring[WIRE_RING_MAX];
	uint64_t gen;
	int32_t	 lane;
	int	 reqfd, repfd;	/* both -1: it could not be opened */
};

struct worker_lanes {
	struct worker_lane l[WORKER_LANES];
	int	 n;
	unsigned char buf[LANE_MSG_MAX];	/* the message being served */
};

struct worker_lanes *
worker_lane_new(void)
{
	return calloc(1, sizeof(struct worker_lanes));
}

static void
worker_lane_close(struct worker_lanes *s, int i)
{
	struct worker_lane *l = &s->l[i];

	if (l->reqfd != -1)
		close(l->reqfd);
	if (l->repfd != -1)
		close(l->repfd);
	log_debug("shm: closed lane %d of %s", l->lane, l->ring);
	if (i != --s->n)
		memcpy(l, &s->l[s->n], sizeof(*l));
}

void
worker_lane_free(struct worker_lanes **sp)
{
	if (*sp == NULL)
		return;
	while ((*sp)->n > 0)
		worker_lane_close(*sp, (*sp)->n - 1);
	free(*sp);
	*sp = NULL;
}

static int
worker_lane_find(const struct worker_lanes *s, const struct wire_shm *q)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->l[i].lane == q->lane && s->l[i].gen == q->gen &&
		    strcmp(s->l[i].ring, q->ring) == 0)
			return i;
	return -1;
}

void
worker_lane_sweep(struct worker *w)
{
	struct worker_lanes *s = w->lanes;
	int i;

	for (i = s->n - 1; i >= 0; i--)
		if (!worker_shm_has(w->shm, s->l[i].ring, s->l[i].gen))
			worker_lane_close(s, i);
}

void
worker_lane_offer(struct worker *w, const struct wire_shm *q)
{
	struct worker_lanes *s = w->lanes;
	struct worker_lane *l;
	char err[256];

	if (q->lane < 0 || worker_lane_find(s, q) != -1)
		return;
	if (s->n == WORKER_LANES)
		worker_lane_sweep(w);
	if (s->n == WORKER_LANES)
		return;
	l = &s->l[s->n++];
	memset(l, 0, sizeof(*l));
	snprintf(l->ring, sizeof(l->ring), "%s", q->ring);
	l->gen = q->gen;
	l->lane = q->lane;
	/* Kept when it fails, both fds -1: tried once. */
	if (lane_open(q->ring, q->lane, worker_shm_owner(w->shm), &l->reqfd,
	    &l->repfd, err, sizeof(err)) == -1) {
		log_info("shm: no lane %d for %s, ZeroMQ only: %s", q->lane,
		    q->ring, err);
		return;
	}
	log_debug("shm: opened lane %d of %s", q->lane, q->ring);
}

int
worker_lane_poll(const struct worker_lanes *s, struct pollfd *fds, int max,
    int *lane_of)
{
	int i, n = 0;

	for (i = 0; i < s->n && n < max; i++)
		if (s->l[i].reqfd != -1) {
			fds[n] = (struct pollfd){ .fd = s->l[i].reqfd,
			    .events = POLLIN };
			lane_of[n++] = i;
		}
	return n;
}

/* Through a lane: only shared-memory requests on its ring, naming it. */
static int
worker_lane_admit(struct worker *w, struct worker_req *r)
{
	const struct worker_lane *l = &w->lanes->l[r->lane];

	if (r->h.has_shm && worker_lane_find(w->lanes, &r->h.shm) == r->lane)
		return 0;
	return wire_fail(r->err, sizeof r->err, "lane %d of %s carries only "
	    "requests through that ring naming that lane", l->lane, l->ring);
}

/* A reply too large for one lane message is refused: its error says so,
 * with "lane_full", and the client sends the request again over ZeroMQ. */
static int
worker_lane_reply(struct worker *w, struct worker_req *r, const char *hdr,
    size_t hlen, zmq_msg_t *payload)
{
	const struct worker_lane *l = &w->lanes->l[r->lane];
	size_t plen = payload != NULL ? zmq_msg_size(payload) : 0;

	if (!lane_fits(hlen, plen)) {
		wire_fail(r->err, sizeof r->err, "a reply of %zu bytes does not "
		    "fit a lane message (%d bytes)", hlen + plen,
		    LANE_MSG_MAX - LANE_PREFIX);
		r->lane_full = 1;
		return -1;
	}
	if (lane_send(l->repfd, hdr, hlen, plen ? zmq_msg_data(payload) : NULL,
	    plen) == -1)
		log_info("shm: lane %d of %s: reply not written: %s", l->lane,
		    l->ring, strerror(errno));
	return 0;
}

const struct worker_route worker_lane_route = {
	.admit = worker_lane_admit,
	.reply = worker_lane_reply,
};

void
worker_lane_serve(struct worker *w, int i)
{
	struct worker_lanes *s = w->lanes;
	struct worker_lane *l = &s->l[i];
	struct worker_req *r = &w->req;
	size_t hlen, plen;
	char why[256];
	int rc;

	if ((rc = lane_recv(l->reqfd, s->buf, sizeof(s->buf), &hlen, &plen,
	    why, sizeof(why))) != 1) {
		if (rc == -1)
			log_info("shm: lane %d of %s: %s", l->lane, l->ring, why);
		return;
	}
	worker_serve_begin(w, r, &worker_lane_route);
	r->lane = i;
	r->paylen = plen;
	r->pay = s->buf + hlen;
	/* Which ring and lane it names is checked once its input is
	 * resolved (worker_lane_admit). */
	if (plen != 0)
		snprintf(r->err, sizeof r->err, "a request carries no payload "
		    "in a lane");
	if (r->err[0] != '\0' || wire_header_parse(s->buf, hlen, &r->h, r->err,
	    sizeof r->err) == -1)
		worker_serve_error(w, r);
	else
		worker_serve(w, r);
}
