/* client_lane.c: an endpoint's lane, the client's end (lane.h). */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "client_lane.h"
#include "clock.h"
#include "lane.h"
#include "log.h"

void
client_lane_init(struct client_lane *l)
{
	memset(l, 0, sizeof *l);
	l->req = l->rep = -1;
}

int
client_lane_create(struct client_lane *l, const char *ring, int id,
    const char *url)
{
	char err[256];

	if (id >= WIRE_LANES)
		return -1;
	if (lane_create(ring, id, &l->rep, err, sizeof err) == -1) {
		log_info("%s: no lane, ZeroMQ only: %s", url, err);
		l->rep = -1;
		return -1;
	}
	l->ring = ring;
	l->url = url;
	l->id = id;
	return 0;
}

void
client_lane_close(struct client_lane *l)
{
	if (l->req != -1)
		close(l->req);
	if (l->rep != -1) {
		close(l->rep);
		lane_unlink(l->ring, l->id);
	}
	client_lane_init(l);
}

int
client_lane_id(const struct client_lane *l)
{
	return l->rep != -1 ? l->id : -1;
}

int
client_lane_fd(const struct client_lane *l)
{
	return l->rep;
}

int
client_lane_send(struct client_lane *l, const char *hdr, size_t hlen,
    int queued)
{
	/* A lane request must not overtake one queued on the socket. */
	if (l->rep == -1 || l->off || queued > l->n)
		return -1;
	if (l->req == -1 && (l->req = lane_open_req(l->ring, l->id)) == -1)
		return -1;	/* the worker has not opened it yet */
	if (lane_send(l->req, hdr, hlen, NULL, 0) == -1) {
		log_debug("%s: lane: %s", l->url, strerror(errno));
		if (errno == EPIPE) {	/* that worker is gone */
			close(l->req);
			l->req = -1;
		}
		return -1;
	}
	l->n++;
	l->sent++;
	return 0;
}

void
client_lane_lost(struct client_lane *l)
{
	l->n = 0;
}

int
client_lane_answered(struct client_lane *l, const struct client_reply *r)
{
	if (l->n > 0)
		l->n--;
	if (!r->parsed || !r->h.is_error || !r->h.lane_full)
		return 0;
	if (l->rep != -1)
		log_warnx("%s: %s: its requests go over ZeroMQ", l->url,
		    r->h.err);
	if (l->req != -1)
		close(l->req);
	l->req = -1;
	l->off = 1;
	return 1;
}

int
client_lane_recv(struct client_lane *l, struct client_reply *r)
{
	unsigned char buf[LANE_MSG_MAX];
	char err[256];
	size_t hlen, plen;
	int rc;

	for (;;) {
		if ((rc = lane_recv(l->rep, buf, sizeof buf, &hlen, &plen, err,
		    sizeof err)) != 1) {
			if (rc == -1)
				log_info("%s: lane: %s", l->url, err);
			return 0;
		}
		memset(r, 0, offsetof(struct client_reply, raw));
		r->rx_ns = clock_now_ns();
		if (hlen >= sizeof r->raw)
			continue;
		memcpy(r->raw, buf, hlen);
		r->raw[hlen] = '\0';
		r->rawn = hlen;
		r->paylen = plen;
		r->h.service_us = -1;
		if (r->raw[0] == '{' && wire_header_parse(r->raw, r->rawn,
		    &r->h, err, sizeof err) == 0)
			r->parsed = 1;
		return 1;
	}
}
