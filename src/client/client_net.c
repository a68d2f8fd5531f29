/* client_net.c: an endpoint's DEALER; zero-copy sends; whether its host
 * is this one.
 *
 * A DEALER talks to the worker's ROUTER (or a REP) with an empty delimiter
 * frame first. Sockets are ZMQ_IMMEDIATE: while a worker is down a send
 * fails at once instead of queueing frames for it, and a worker that stops
 * answering has its socket closed and reopened (client_path_reset), which
 * drops whatever was queued for it.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#include "client_net.h"
#include "clock.h"
#include "log.h"

/* Watch a socket's handshakes: the reading end is connected before the
 * socket connects, so no event is lost. */
static void *
monitor_open(void *zctx, void *sock, int id)
{
	char addr[64];
	void *mon;

	snprintf(addr, sizeof addr, "inproc://fake-client-mon.%d", id);
	if (zmq_socket_monitor(sock, addr, ZMQ_EVENT_HANDSHAKE_SUCCEEDED |
	    ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
	    ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
	    ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) == -1 ||
	    (mon = zmq_socket(zctx, ZMQ_PAIR)) == NULL ||
	    zmq_connect(mon, addr) == -1)
		fatalx("socket monitor: %s", zmq_strerror(zmq_errno()));
	return mon;
}

/* A CURVE client of the server with that public key (Z85), as me. */
static void
curve_client(void *s, const char *server, const struct cert *me)
{
	if (zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, server, CERT_Z85_LEN) ==
	    -1 || zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, me->public_txt,
	    CERT_Z85_LEN) == -1 || zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY,
	    me->secret_txt, CERT_Z85_LEN) == -1)
		fatalx("CURVE: %s", zmq_strerror(zmq_errno()));
}

void *
client_net_open(void *zctx, const struct client_ep *ep, const struct cert *me,
    void **mon, int id)
{
	int zero = 0, one = 1, ivl = 50;
	void *s;

	if ((s = zmq_socket(zctx, ZMQ_DEALER)) == NULL)
		fatal("zmq_socket");
	zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
	zmq_setsockopt(s, ZMQ_IMMEDIATE, &one, sizeof one);
	/* A restarted worker is back within a few ms: retry often, without
	 * backing off (a refused local connection costs nothing). */
	zmq_setsockopt(s, ZMQ_RECONNECT_IVL, &ivl, sizeof ivl);
	zmq_setsockopt(s, ZMQ_AFFINITY, &ep->affinity, sizeof ep->affinity);
	if (ep->curve_server[0] != '\0')
		curve_client(s, ep->curve_server, me);
	if (mon != NULL)
		*mon = monitor_open(zctx, s, id);
	if (zmq_connect(s, ep->url) == -1) {
		log_warnx("%s: cannot connect: %s", ep->url,
		    zmq_strerror(zmq_errno()));
		if (mon != NULL)
			zmq_socket_monitor(s, NULL, 0);
		zmq_close(s);
		return NULL;
	}
	return s;
}

void
client_net_close(void **sock)
{
	if (*sock != NULL)
		zmq_close(*sock);
	*sock = NULL;
}

static int
monitor_event(void *mon, uint16_t *event, uint32_t *value)
{
	zmq_msg_t m;
	int rc;

	zmq_msg_init(&m);
	rc = zmq_msg_recv(&m, mon, ZMQ_DONTWAIT);
	if (rc >= 6) {
		memcpy(event, zmq_msg_data(&m), sizeof *event);
		memcpy(value, (char *)zmq_msg_data(&m) + 2, sizeof *value);
	}
	while (rc >= 0 && zmq_msg_more(&m))
		zmq_msg_recv(&m, mon, 0);	/* the endpoint frame */
	zmq_msg_close(&m);
	return rc >= 6 ? 0 : -1;
}

/* What a handshake event says of an endpoint: its new state. A CURVE
 * server closes the connection when it cannot open our HELLO, which is
 * what it does when we have a wrong idea of its public key. */
static enum client_hs
monitor_state(const struct client_ep *ep, uint16_t ev, uint32_t value)
{
	int curve = ep->curve_server[0] != '\0';

	switch (ev) {
	case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
		return HS_UP;
	case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
		return HS_REFUSED;
	case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
		return curve ? HS_REJECTED : HS_PENDING;
	case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
		if (value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH)
			return HS_MECHANISM;
		return curve ? HS_REJECTED : HS_PROTOCOL;
	}
	return HS_PENDING;
}

int
client_net_wait_connected(void *const *sock, void **mon, int n,
    double timeout_ms, struct client *c,
    void (*failed)(const struct client *, int))
{
	struct client_ep *ep = c->ep;
	zmq_pollitem_t items[CLIENT_MAX_ENDPOINTS];
	uint64_t deadline = clock_now_ns() + (uint64_t)(timeout_ms * 1e6), now;
	uint32_t value;
	uint16_t ev;
	int i, nup = 0, left = n;

	for (i = 0; i < n; i++)
		items[i] = (zmq_pollitem_t){ mon[i], 0, mon[i] ? ZMQ_POLLIN : 0, 0 };
	while (left > 0 && (now = clock_now_ns()) < deadline) {
		if (zmq_poll(items, n,
		    (long)((deadline - now) / 1000000 + 1)) == -1)
			break;
		for (i = 0; i < n; i++) {
			if (!(items[i].revents & ZMQ_POLLIN))
				continue;
			while (monitor_event(mon[i], &ev, &value) == 0) {
				if (ep[i].hs != HS_PENDING ||
				    (ep[i].hs = monitor_state(&ep[i], ev,
				    value)) == HS_PENDING)
					continue;
				left--;
				if (ep[i].hs == HS_UP)
					nup++;
				else if (failed != NULL)
					failed(c, i);
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (sock[i] != NULL)
			zmq_socket_monitor(sock[i], NULL, 0);
		if (mon[i] != NULL)
			zmq_close(mon[i]);
	}
	return nup;
}

/* ffn(data, hint) is called exactly once, now on a failure or by ZeroMQ
 * once the frame is out; with neither data nor ffn the header is the
 * whole message (the "Hello"). Every part is sent without blocking: a
 * peer that goes away in the middle of a message makes a later part fail
 * rather than wait for a reconnection (ZeroMQ then drops what it had of
 * the message). */
int
client_net_send(void *s, const char *hdr, size_t hlen, void *data,
    size_t len, void (*ffn)(void *, void *), void *hint)
{
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
	if (last)
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

int
client_net_recv(void *s, const char *url, struct client_reply *r)
{
	char err[WIRE_ERRLEN];
	zmq_msg_t m;
	int part = 0, first = -1, rc;

	memset(r, 0, sizeof *r);
	zmq_msg_init(&m);
	do {
		if ((rc = zmq_msg_recv(&m, s, part ? 0 : ZMQ_DONTWAIT)) == -1) {
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
			log_debug("%s: bad reply header: %s", url, err);
	}
	return 1;
}

/* Is a an address of one of this host's interfaces? */
static int
is_own_address(const struct sockaddr *a, const struct ifaddrs *ifs)
{
	const struct ifaddrs *i;

	for (i = ifs; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != a->sa_family)
			continue;
		if (a->sa_family == AF_INET &&
		    ((const struct sockaddr_in *)(const void *)a)->sin_addr.s_addr ==
		    ((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr.s_addr)
			return 1;
		if (a->sa_family == AF_INET6 && memcmp(
		    &((const struct sockaddr_in6 *)(const void *)a)->sin6_addr,
		    &((const struct sockaddr_in6 *)(const void *)i->ifa_addr)->sin6_addr,
		    sizeof(struct in6_addr)) == 0)
			return 1;
	}
	return 0;
}

int
client_net_is_local(const char *url)
{
	struct addrinfo hints, *res, *r;
	struct ifaddrs *ifs;
	char host[CLIENT_URL_MAX], *colon;
	const char *h;
	int local = 0;

	if (strncmp(url, "ipc://", 6) == 0)
		return 1;
	if (strncmp(url, "tcp://", 6) != 0)
		return 0;
	h = url + 6;
	snprintf(host, sizeof host, "%s", h[0] == '[' ? h + 1 : h);
	if ((colon = strrchr(host, h[0] == '[' ? ']' : ':')) != NULL)
		*colon = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return 0;
	if (getifaddrs(&ifs) == -1) {
		freeaddrinfo(res);
		return 0;
	}
	for (r = res; r != NULL && !local; r = r->ai_next)
		local = is_own_address(r->ai_addr, ifs);
	freeifaddrs(ifs);
	freeaddrinfo(res);
	return local;
}
