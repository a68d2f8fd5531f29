/* client_net.c: one DEALER per endpoint; zero-copy sends; Lazy Pirate.
 *
 * A DEALER talks to the worker's ROUTER (or a REP) with an empty delimiter
 * frame first. Sockets are ZMQ_IMMEDIATE: while a worker is down a send
 * fails at once instead of queueing frames for it, and a worker that stops
 * answering has its socket closed and reopened (client_net_reset), which
 * drops whatever was queued for it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#include "client.h"
#include "clock.h"
#include "log.h"

/* Watch a socket's handshakes: the reading end is connected before the
 * socket connects, so no event is lost. */
static void *
monitor_open(struct client *c, int i)
{
	char addr[64];
	void *mon;

	snprintf(addr, sizeof addr, "inproc://fake-client-mon.%d", i);
	if (zmq_socket_monitor(c->ep[i].sock, addr,
	    ZMQ_EVENT_HANDSHAKE_SUCCEEDED) == -1 ||
	    (mon = zmq_socket(c->zctx, ZMQ_PAIR)) == NULL ||
	    zmq_connect(mon, addr) == -1)
		fatalx("socket monitor: %s", zmq_strerror(zmq_errno()));
	return mon;
}

/* Open endpoint i's DEALER and connect it; with mon, also return a socket
 * that reports its handshakes (client_net_wait_connected). */
int
client_net_open(struct client *c, int i, void **mon)
{
	struct client_ep *ep = &c->ep[i];
	int zero = 0, one = 1, ivl = 50;

	ep->n = ep->head = ep->lane_n = 0;
	if ((ep->sock = zmq_socket(c->zctx, ZMQ_DEALER)) == NULL)
		fatal("zmq_socket");
	zmq_setsockopt(ep->sock, ZMQ_LINGER, &zero, sizeof zero);
	zmq_setsockopt(ep->sock, ZMQ_IMMEDIATE, &one, sizeof one);
	/* A restarted worker is back within a few ms: retry often, without
	 * backing off (a refused local connection costs nothing). */
	zmq_setsockopt(ep->sock, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
	zmq_setsockopt(ep->sock, ZMQ_AFFINITY, &ep->affinity, sizeof ep->affinity);
	if (mon != NULL)
		*mon = monitor_open(c, i);
	if (zmq_connect(ep->sock, ep->url) == -1) {
		log_warnx("%s: cannot connect: %s", ep->url,
		    zmq_strerror(zmq_errno()));
		return -1;
	}
	return 0;
}

void
client_net_close(struct client *c, int i)
{
	if (c->ep[i].sock != NULL)
		zmq_close(c->ep[i].sock);
	c->ep[i].sock = NULL;
	c->ep[i].n = c->ep[i].head = 0;
}

int
client_net_reset(struct client *c, int i)
{
	log_info("%s: no answer in time: reconnecting", c->ep[i].url);
	client_net_close(c, i);
	c->ep[i].resets++;
	return client_net_open(c, i, NULL);
}

static int
monitor_event(void *mon, uint16_t *event)
{
	zmq_msg_t m;
	int rc;

	zmq_msg_init(&m);
	rc = zmq_msg_recv(&m, mon, ZMQ_DONTWAIT);
	if (rc >= 6)
		memcpy(event, zmq_msg_data(&m), sizeof *event);
	while (rc >= 0 && zmq_msg_more(&m))
		zmq_msg_recv(&m, mon, 0);	/* the endpoint frame */
	zmq_msg_close(&m);
	return rc >= 6 ? 0 : -1;
}

/* Wait for the handshakes the monitors mon[] report, until every
 * endpoint is up or the timeout; returns how many are up, and closes the
 * monitors. */
int
client_net_wait_connected(struct client *c, void **mon, double timeout_ms)
{
	zmq_pollitem_t items[CLIENT_MAX_ENDPOINTS];
	uint64_t deadline = clock_now_ns() + (uint64_t)(timeout_ms * 1e6), now;
	uint16_t ev;
	int i, up = 0;

	for (i = 0; i < c->nep; i++)
		items[i] = (zmq_pollitem_t){ mon[i], 0, mon[i] ? ZMQ_POLLIN : 0, 0 };
	while (up < c->nep && (now = clock_now_ns()) < deadline) {
		if (zmq_poll(items, c->nep,
		    (long)((deadline - now) / 1000000 + 1)) == -1)
			break;
		for (i = 0; i < c->nep; i++) {
			if (!(items[i].revents & ZMQ_POLLIN))
				continue;
			while (monitor_event(mon[i], &ev) == 0)
				if (ev == ZMQ_EVENT_HANDSHAKE_SUCCEEDED &&
				    !c->ep[i].connected) {
					c->ep[i].connected = 1;
					up++;
				}
		}
	}
	for (i = 0; i < c->nep; i++) {
		if (c->ep[i].sock != NULL)
			zmq_socket_monitor(c->ep[i].sock, NULL, 0);
		if (mon[i] != NULL)
			zmq_close(mon[i]);
	}
	return up;
}

/* [empty][header][data]; ffn(data, hint) is called exactly once, now on a
 * failure or by ZeroMQ once the frame is out. 0, or -1 with errno.
 * Every part is sent without blocking: a peer that goes away in the middle
 * of a message makes a later part fail rather than wait for a reconnection
 * (ZeroMQ then drops what it had of the message). */
int
client_net_send(struct client *c, int i, const char *hdr, size_t hlen,
    void *data, size_t len, void (*ffn)(void *, void *), void *hint)
{
	void *s = c->ep[i].sock;
	zmq_msg_t m;
	int err, last = data == NULL && ffn == NULL;

	if (s == NULL || zmq_send(s, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) == -1 ||
	    zmq_send(s, hdr, hlen, ZMQ_DONTWAIT | (last ? 0 : ZMQ_SNDMORE)) == -1) {
		err = s == NULL ? ENOTCONN : zmq_errno();
		if (s != NULL && !last)	/* end the dropped message */
			zmq_send(s, "", 0, ZMQ_DONTWAIT);
		if (ffn != NULL)
			ffn(data, hint);
		errno = err;
		return -1;
	}
	if (last)			/* the "Hello": no payload */
		return 0;
	if (ffn != NULL)
		zmq_msg_init_data(&m, data, len, ffn, hint);
	else
		zmq_msg_init_size(&m, 0);
	if (zmq_msg_send(&m, s, ZMQ_DONTWAIT) == -1) {
		err = zmq_errno();
		zmq_msg_close(&m);
		errno = err;
		return -1;
	}
	return 0;
}

/* 1 with a message in r, 0 when there is none, -1 on a socket error. */
int
client_net_recv(struct client *c, int i, struct client_reply *r)
{
	char err[WIRE_ERRLEN];
	zmq_msg_t m;
	int part = 0, first = -1, rc;

	memset(r, 0, sizeof *r);
	zmq_msg_init(&m);
	do {
		if ((rc = zmq_msg_recv(&m, c->ep[i].sock,
		    part ? 0 : ZMQ_DONTWAIT)) == -1) {
			zmq_msg_close(&m);
			return zmq_errno() == EAGAIN && part == 0 ? 0 : -1;
		}
		if (part == 0)
			r->rx_ns = clock_now_ns();
		if (part == 0 && rc == 0 && zmq_msg_more(&m))
			;		/* the delimiter */
		else if (first == -1) {
			first = part;
			r->rawn = (size_t)rc;
			memcpy(r->raw, zmq_msg_data(&m), r->rawn < sizeof r->raw - 1 ?
			    r->rawn : sizeof r->raw - 1);
		} else
			r->paylen += (size_t)rc;
		part++;
	} while (zmq_msg_more(&m));
	zmq_msg_close(&m);
	r->h.service_us = -1;
	if (r->rawn > 0 && r->rawn < sizeof r->raw && r->raw[0] == '{') {
		if (wire_header_parse(r->raw, r->rawn, &r->h, err,
		    sizeof err) == 0)
			r->parsed = 1;
		else
			log_debug("%s: bad reply header: %s", c->ep[i].url, err);
	}
	return 1;
}

void
client_fifo_push(struct client_ep *ep, int64_t frame)
{
	if (ep->n == CLIENT_FIFO) {	/* cannot happen: in-flight is capped */
		ep->head = (ep->head + 1) % CLIENT_FIFO;
		ep->n--;
	}
	ep->fifo[(ep->head + ep->n) % CLIENT_FIFO] = frame;
	ep->n++;
}

/* The frame a reply answers: its "frame" id if outstanding, else the
 * oldest request (a REP echoes nothing). 1, or 0 for a late reply. */
int
client_fifo_take(struct client_ep *ep, const struct wire_header *h,
    int64_t *frame)
{
	int i, j;

	if (ep->n == 0)
		return 0;
	if (h == NULL || !h->has_frame) {
		*frame = ep->fifo[ep->head];
		ep->head = (ep->head + 1) % CLIENT_FIFO;
		ep->n--;
		return 1;
	}
	for (i = 0; i < ep->n; i++)
		if (ep->fifo[(ep->head + i) % CLIENT_FIFO] == h->frame)
			break;
	if (i == ep->n)
		return 0;
	*frame = h->frame;
	for (j = i; j > 0; j--)		/* close the gap */
		ep->fifo[(ep->head + j) % CLIENT_FIFO] =
		    ep->fifo[(ep->head + j - 1) % CLIENT_FIFO];
	ep->head = (ep->head + 1) % CLIENT_FIFO;
	ep->n--;
	return 1;
}

int
client_net_wait(struct client *c, const char *want, uint64_t deadline_ns,
    struct client_reply *r)
{
	zmq_pollitem_t items[CLIENT_MAX_ENDPOINTS + 1];
	uint64_t now;
	int i;

	for (;;) {
		for (i = 0; i < c->nep; i++)
			items[i] = (zmq_pollitem_t){ c->ep[i].sock, 0,
			    c->ep[i].sock ? ZMQ_POLLIN : 0, 0 };
		items[c->nep] = (zmq_pollitem_t){ NULL, c->sigfd, ZMQ_POLLIN, 0 };
		if ((now = clock_now_ns()) >= deadline_ns)
			return -1;
		if (zmq_poll(items, c->nep + 1,
		    (long)((deadline_ns - now + 999999) / 1000000)) == -1 &&
		    zmq_errno() != EINTR)
			fatalx("zmq_poll: %s", zmq_strerror(zmq_errno()));
		if (items[c->nep].revents & ZMQ_POLLIN)
			return -2;
		for (i = 0; i < c->nep; i++) {
			if (!(items[i].revents & ZMQ_POLLIN))
				continue;
			while (client_net_recv(c, i, r) == 1) {
				if (want[i])
					return i;
				c->late++;
			}
		}
	}
}
