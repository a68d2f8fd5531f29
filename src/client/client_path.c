/* client_path.c: each endpoint's path to its worker: its DEALER, its
 * requests outstanding, and over shared memory its lane and ring slots.
 *
 * A request over shared memory holds its frames (and its output slot)
 * until its reply comes or its endpoint is reset; one in the message
 * holds them until ZeroMQ has sent it. A reply is timed when read, before
 * its header is parsed, and handed to the mode with the request it
 * answers; a reply that says the way its request took is closed (the
 * worker refuses the ring, or its reply does not fit the lane) asks the
 * mode to send that request again, which then goes the other way.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "client_curve.h"
#include "client_fifo.h"
#include "client_lane.h"
#include "client_net.h"
#include "client_path.h"
#include "client_shm.h"
#include "clock.h"
#include "log.h"
#include "zfd.h"

struct path_ep {
	void	*sock;			/* its DEALER, NULL when closed */
	struct client_fifo fifo;	/* its requests outstanding */
	struct client_lane lane;
	long	out_in_slot;		/* replies whose output was in the ring */
	uint64_t down_ns;		/* not connected since, 0: connected */
	int	watch;			/* wake when it can take a request */
	struct zfd zf;			/* its ZMQ_FD (zfd.h), -1 when closed */
};

struct client_path {
	void	*zctx;
	struct client_shm *shm;		/* NULL: frames in the messages */
	struct path_ep *ep;		/* [c->nep] */
	/* The sockets, the signal fd, then the lanes' reply pipes. */
	zmq_pollitem_t items[2 * CLIENT_MAX_ENDPOINTS + 1];
	int	ep_of[CLIENT_MAX_ENDPOINTS];	/* a lane item's endpoint */
};

/* A socket of its own, new: looked at before the loop blocks on it. */
static void *
ep_sock(struct path_ep *pe, void *sock)
{
	pe->sock = sock;
	(void)zfd_open(&pe->zf, sock);	/* fd -1: never waited on */
	return sock;
}

int
client_path_open(struct client *c, double timeout_ms)
{
	void *mon[CLIENT_MAX_ENDPOINTS] = { NULL }, *sock[CLIENT_MAX_ENDPOINTS];
	struct client_path *pa;
	uint64_t t0;
	int i, n;

	if ((pa = c->path = calloc(1, sizeof *pa)) == NULL ||
	    (pa->ep = calloc((size_t)c->nep + 1, sizeof *pa->ep)) == NULL)
		fatal("calloc");
	for (i = 0; i < c->nep; i++)
		client_lane_init(&pa->ep[i].lane);
	if ((pa->zctx = zmq_ctx_new()) == NULL)
		fatal("zmq_ctx_new");
	zmq_ctx_set(pa->zctx, ZMQ_IO_THREADS, CLIENT_PATH_IO_THREADS);
	for (i = 0; i < c->nep; i++) {
		sock[i] = ep_sock(&pa->ep[i], client_net_open(pa->zctx,
		    &c->ep[i], &c->curve, &mon[i], i));
		if (sock[i] == NULL) {
			client_net_wait_connected(sock, mon, i + 1, 0, c, NULL);
			return -1;
		}
	}
	t0 = clock_now_ns();
	n = client_net_wait_connected(sock, mon, c->nep, timeout_ms, c,
	    client_curve_failed);
	for (i = 0; i < c->nep; i++) {
		c->ep[i].connected = c->ep[i].hs == HS_UP;
		pa->ep[i].down_ns = c->ep[i].connected ? 0 : t0;
	}
	return n;
}

void
client_path_free(struct client *c)
{
	struct client_path *pa = c->path;
	int i;

	if (pa == NULL)
		return;
	for (i = 0; i < c->nep; i++)
		client_net_close(&pa->ep[i].sock);
	if (pa->zctx != NULL)
		zmq_ctx_term(pa->zctx);
	framesrc_free(&c->fs);		/* ZeroMQ holds none of it now */
	for (i = 0; i < c->nep; i++)
		client_lane_close(&pa->ep[i].lane);
	client_shm_free(&pa->shm);
	free(pa->ep);
	free(pa);
	c->path = NULL;
}

int
client_path_frames(struct client *c, int depth)
{
	struct client_path *pa = c->path;
	int i;

	pa->shm = client_shm_new(c, depth, &c->fs);
	for (i = 0; pa->shm != NULL && i < c->nep; i++)
		if (client_shm_on(pa->shm, c->ep[i].target))
			client_lane_create(&pa->ep[i].lane,
			    client_shm_ring(pa->shm), i, c->ep[i].url);
	if (c->fs == NULL)
		c->fs = framesrc_new((size_t)(c->width * c->height *
		    c->channels), c->window, depth, c->o->seed);
	return c->fs != NULL ? 0 : -1;
}

int
client_path_up(const struct client *c, int i)
{
	return c->path->ep[i].sock != NULL;
}

int
client_path_queued(const struct client *c, int i)
{
	return c->path->ep[i].fifo.n;
}

/* A request is over: its frames are free, and its output slot unless it
 * was lost (its worker may still write that). */
static void
release(struct client *c, int i, const struct client_req *q, int lost)
{
	int k = c->t[c->ep[i].target].window;

	if (!q->held)
		return;
	framesrc_release(framesrc_block(c->fs, q->frame, k),
	    framesrc_hint(c->fs, k));
	if (!lost)
		client_shm_done(c->path->shm, q->out);
}

/* A request for frame: its window of k frames, [k,]H,W,C. */
static void
request_header(const struct client *c, int k, int64_t frame,
    struct wire_header *h)
{
	uint64_t shape[4];
	int n = 0;

	if (k > 1)
		shape[n++] = (uint64_t)k;
	shape[n++] = (uint64_t)c->height;
	shape[n++] = (uint64_t)c->width;
	shape[n++] = (uint64_t)c->channels;
	wire_header_init(h);
	h->has_frame = 1;
	h->frame = frame;
	if (wire_header_array(h, "uint8", shape, n) == -1)
		fatalx("a request of %d dimensions", n);
}

/* The frame (or window) in the message, zero-copy from the history. */
static int
send_inline(struct client *c, int i, int64_t frame)
{
	struct path_ep *pe = &c->path->ep[i];
	struct client_req q = { frame, -1, 0, 0 };
	int k = c->t[c->ep[i].target].window, hlen;
	char hdr[WIRE_HDRMAX];
	struct wire_header h;

	request_header(c, k, frame, &h);
	if ((hlen = wire_header_write(hdr, sizeof hdr, &h)) < 0)
		fatalx("header too long");
	framesrc_hold(c->fs, frame, k);
	if (client_net_send(pe->sock, hdr, (size_t)hlen,
	    framesrc_block(c->fs, frame, k),
	    framesrc_frame_bytes(c->fs) * (size_t)k, framesrc_release,
	    framesrc_hint(c->fs, k)) == -1)
		return -1;
	client_fifo_push(&pe->fifo, &q);
	return 0;
}

/* Only a header naming the frames' slots in the ring, through the lane
 * when it can; the frames stay held until the worker answers. */
static int
send_shm(struct client *c, int i, int64_t frame)
{
	static char empty[1];
	struct client_path *pa = c->path;
	struct path_ep *pe = &pa->ep[i];
	struct client_req q = { frame, -1, 1, 0 };
	int t = c->ep[i].target, k = c->t[t].window, hlen;
	char hdr[WIRE_HDRMAX];
	struct wire_header h;

	request_header(c, k, frame, &h);
	client_shm_request(pa->shm, c, t, client_lane_id(&pe->lane), &h);
	q.out = h.shm.out;
	if ((hlen = wire_header_write(hdr, sizeof hdr, &h)) < 0) {
		client_shm_done(pa->shm, q.out);
		return -1;
	}
	framesrc_hold(c->fs, frame, k);
	if (client_lane_send(&pe->lane, hdr, (size_t)hlen, pe->fifo.n) == 0)
		q.by_lane = 1;
	else if (client_net_send(pe->sock, hdr, (size_t)hlen, empty, 0, NULL,
	    NULL) == -1) {
		release(c, i, &q, 0);
		return -1;
	}
	client_fifo_push(&pe->fifo, &q);
	return 0;
}

int
client_path_send(struct client *c, int i, int64_t frame)
{
	struct path_ep *pe = &c->path->ep[i];
	int rc;

	zfd_used(&pe->zf);
	rc = client_shm_on(c->path->shm, c->ep[i].target) ?
	    send_shm(c, i, frame) : send_inline(c, i, frame);
	if (rc == 0) {
		pe->down_ns = 0;
		return 0;
	}
	/* ZMQ_IMMEDIATE: EAGAIN is a socket without a connection. */
	if ((errno == EAGAIN || errno == ENOTCONN) && pe->down_ns == 0)
		pe->down_ns = clock_now_ns();
	log_debug("%s: frame %lld not sent: %s", c->ep[i].url,
	    (long long)frame, zmq_strerror(errno));
	return -1;
}

uint64_t
client_path_wait_until(const struct client *c, int i)
{
	const struct path_ep *pe = &c->path->ep[i];

	if (pe->down_ns == 0)
		return 0;
	return pe->down_ns + (uint64_t)(c->o->connect_timeout_ms * 1e6);
}

void
client_path_watch(struct client *c, int i, int on)
{
	c->path->ep[i].watch = on;
}

int
client_path_send_msg(struct client *c, int i, int64_t frame, const char *hdr,
    size_t hlen, void *data, size_t len, void (*ffn)(void *, void *),
    void *hint)
{
	struct path_ep *pe = &c->path->ep[i];
	struct client_req q = { frame, -1, 0, 0 };

	zfd_used(&pe->zf);
	if (client_net_send(pe->sock, hdr, hlen, data, len, ffn, hint) == -1)
		return -1;
	if (frame >= 0)
		client_fifo_push(&pe->fifo, &q);
	return 0;
}

int
client_path_reset(struct client *c, int i, int64_t *lost)
{
	struct path_ep *pe = &c->path->ep[i];
	struct client_req q;
	int n = 0;

	log_info("%s: no answer in time: reconnecting", c->ep[i].url);
	client_net_close(&pe->sock);
	while (client_fifo_pop(&pe->fifo, &q)) {
		release(c, i, &q, 1);
		if (lost != NULL)
			lost[n] = q.frame;
		n++;
	}
	client_lane_lost(&pe->lane);
	c->ep[i].resets++;
	pe->down_ns = clock_now_ns();
	ep_sock(pe, client_net_open(c->path->zctx, &c->ep[i], &c->curve, NULL,
	    i));
	return n;
}

/* What the path makes of a reply before a mode sees it: the request it
 * answers, whose frames and output slot are free from now, and whether
 * that request must go again another way. */
static void
deliver(struct client *c, int i, struct client_reply *r)
{
	struct client_path *pa = c->path;
	struct path_ep *pe = &pa->ep[i];
	struct client_req q;

	r->frame = -1;
	if (!client_fifo_take(&pe->fifo, r->parsed ? &r->h : NULL, &q))
		return;
	r->frame = q.frame;
	release(c, i, &q, 0);
	/* Its reply does not fit the lane: this endpoint's requests go over
	 * ZeroMQ from now on, this one first. */
	if (q.by_lane && client_lane_answered(&pe->lane, r))
		r->again = 1;
	else if (q.held && client_shm_refused(pa->shm, c, c->ep[i].target, r))
		r->again = 1;		/* again, in the message */
	else if (q.held && r->parsed) {
		/* One host, one CLOCK_MONOTONIC: the worker's times are ours. */
		r->w_recv_ns = r->h.t_recv_ns;
		r->w_sent_ns = r->h.t_sent_ns;
		if (r->h.shm_out >= 0)
			pe->out_in_slot++;
	}
}

static int
recv_sock(struct client *c, int i, struct client_reply *r)
{
	struct path_ep *pe = &c->path->ep[i];
	int rc = client_net_recv(pe->sock, c->ep[i].url, r);

	zfd_received(&pe->zf, rc == 0);
	if (rc != 1)
		return 0;
	deliver(c, i, r);
	return 1;
}

/* The sockets, the signal fd, then the lanes' reply pipes: how many
 * lanes. */
static int
items_fill(struct client *c)
{
	struct client_path *pa = c->path;
	int i, fd, nl = 0;

	for (i = 0; i < c->nep; i++)
		pa->items[i] = (zmq_pollitem_t){ pa->ep[i].sock, 0,
		    pa->ep[i].sock == NULL ? 0 : ZMQ_POLLIN |
		    (pa->ep[i].watch ? ZMQ_POLLOUT : 0), 0 };
	pa->items[c->nep] = (zmq_pollitem_t){ NULL, c->sigfd, ZMQ_POLLIN, 0 };
	for (i = 0; i < c->nep; i++) {
		if ((fd = client_lane_fd(&pa->ep[i].lane)) == -1)
			continue;
		pa->items[c->nep + 1 + nl] = (zmq_pollitem_t){ .fd = fd,
		    .events = ZMQ_POLLIN };
		pa->ep_of[nl++] = i;
	}
	return nl;
}

/* Must the loop look at the socket before it blocks? While its last use
 * was not a receive that found nothing (zfd.h); and, watched, while it
 * can take a request: ZMQ_EVENTS, a use that tells what a receive would
 * have. */
static int
ep_busy(struct path_ep *pe)
{
	int ev;
	size_t len = sizeof ev;

	if (pe->sock == NULL)
		return 0;
	if (pe->watch && !zfd_busy(&pe->zf)) {
		if (zmq_getsockopt(pe->sock, ZMQ_EVENTS, &ev, &len) == -1)
			return 1;
		zfd_received(&pe->zf, !(ev & ZMQ_POLLIN));
		return zfd_busy(&pe->zf) || (ev & ZMQ_POLLOUT);
	}
	return zfd_busy(&pe->zf);
}

/* The lanes first: their replies are timed when read. */
static void
drain_lanes(struct client *c, int nl, client_path_fn *fn, void *arg)
{
	struct client_path *pa = c->path;
	struct client_reply rep;
	zmq_pollitem_t *it;
	int k, i;

	for (k = 0; k < nl; k++) {
		it = &pa->items[c->nep + 1 + k];
		if (!(it->revents & ZMQ_POLLIN))
			continue;
		it->revents = 0;
		i = pa->ep_of[k];
		while (client_lane_recv(&pa->ep[i].lane, &rep) == 1) {
			deliver(c, i, &rep);
			fn(arg, i, &rep);
		}
	}
}

/*
 * One poll(2) over every socket's ZMQ_FD, the signal fd and the lanes'
 * pipes, blocking only when no socket needs a look (ep_busy). Then the
 * lanes, then each socket that signalled or needs a look, until it has
 * nothing: a socket that did not signal costs nothing, where zmq_poll
 * asks every socket for its events before and after the wait (a getpid
 * and a poll each). The sockets are ZMQ_FD's only users here, so none
 * is read between its check and the wait.
 */
int
client_path_poll(struct client *c, long ms, client_path_fn *fn, void *arg)
{
	struct client_path *pa = c->path;
	struct pollfd pfd[2 * CLIENT_MAX_ENDPOINTS + 1];
	struct client_reply rep;
	int nl = items_fill(c), n = c->nep + 1 + nl, busy = 0, i;

	for (i = 0; i < c->nep; i++) {
		busy |= ep_busy(&pa->ep[i]);
		pfd[i] = zfd_pollfd(&pa->ep[i].zf);
	}
	for (; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = pa->items[i].fd, .events = POLLIN };
	if (poll(pfd, (nfds_t)n, busy ? 0 : ms < 0 ? -1 :
	    ms > INT_MAX ? INT_MAX : (int)ms) == -1) {
		if (errno != EINTR)
			fatal("poll");
		return 0;
	}
	for (i = c->nep + 1; i < n; i++)
		pa->items[i].revents = pfd[i].revents != 0 ? ZMQ_POLLIN : 0;
	drain_lanes(c, nl, fn, arg);
	for (i = 0; i < c->nep; i++) {
		if (pa->ep[i].sock == NULL ||
		    !zfd_look(&pa->ep[i].zf, pfd[i].revents))
			continue;
		while (recv_sock(c, i, &rep) == 1)
			fn(arg, i, &rep);
	}
	return (pfd[c->nep].revents & POLLIN) != 0;
}

int
client_path_wait(struct client *c, const char *want, uint64_t deadline_ns,
    struct client_reply *r)
{
	struct client_path *pa = c->path;
	uint64_t now;
	int i;

	for (;;) {
		items_fill(c);
		if ((now = clock_now_ns()) >= deadline_ns)
			return -1;
		if (zmq_poll(pa->items, c->nep + 1,
		    (long)((deadline_ns - now + 999999) / 1000000)) == -1 &&
		    zmq_errno() != EINTR)
			fatalx("zmq_poll: %s", zmq_strerror(zmq_errno()));
		if (pa->items[c->nep].revents & ZMQ_POLLIN)
			return -2;
		for (i = 0; i < c->nep; i++) {
			if (!(pa->items[i].revents & ZMQ_POLLIN))
				continue;
			while (recv_sock(c, i, r) == 1) {
				if (want[i])
					return i;
				c->late++;
			}
		}
	}
}

void
client_path_stats(const struct client *c, int t, struct client_path_stats *st)
{
	const struct client_path *pa = c->path;
	int i;

	memset(st, 0, sizeof *st);
	st->shm = client_shm_on(pa->shm, t);
	for (i = c->t[t].first_ep; i < c->t[t].first_ep + c->t[t].nep; i++) {
		st->by_lane += pa->ep[i].lane.sent;
		st->out_in_slot += pa->ep[i].out_in_slot;
	}
}
