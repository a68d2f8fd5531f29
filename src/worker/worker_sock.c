/* worker_sock.c: the socket route of fake-worker.
 *
 * A message is an envelope (routing identities, up to an empty frame)
 * and a body: a request of two frames (header, payload), or the seed's
 * "Hello" of one frame, sent back unchanged after the cost.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "log.h"
#include "worker_curve.h"
#include "worker_lane.h"
#include "worker_queue.h"
#include "worker_serve.h"
#include "worker_sock.h"
#include "zfd.h"

#define REQ_MAXPARTS	64	/* frames kept; more are counted, dropped */

struct worker_sock {
	void	*ctx;
	void	*sock;
	struct worker_curve *curve;	/* NULL: no CURVE */
	zmq_msg_t part[REQ_MAXPARTS];	/* the message being served */
	int	 nparts;	/* initialised parts */
	int	 nenv;		/* envelope: identities and delimiter */
	int	 nbody;		/* frames after it, dropped ones included */
	struct zfd zf;		/* its ZMQ_FD and last use (zfd.h) */
};

/* A request kept while it waits for its batch: its envelope and payload
 * moved out of the socket's parts. */
struct worker_sock_kept {
	struct worker_req r;
	zmq_msg_t pay;
	int	 nenv;
	zmq_msg_t env[];
};

static void
worker_sock_drop(struct worker_sock *s)
{
	int i;

	for (i = 0; i < s->nparts; i++)
		zmq_msg_close(&s->part[i]);
	s->nparts = 0;
}

/* Receive a whole multipart message: 0, or -1 (EAGAIN: nothing there). */
static int
worker_sock_recv(struct worker_sock *s)
{
	zmq_msg_t spill;
	int more, i, dropped = 0;

	s->nparts = 0;
	do {
		zmq_msg_t *m = s->nparts < REQ_MAXPARTS ?
		    &s->part[s->nparts] : &spill;

		zmq_msg_init(m);
		if (zmq_msg_recv(m, s->sock, s->nparts ? 0 : ZMQ_DONTWAIT)
		    == -1) {
			zmq_msg_close(m);
			zfd_received(&s->zf, s->nparts == 0 && errno == EAGAIN);
			worker_sock_drop(s);
			return -1;
		}
		more = zmq_msg_more(m);
		if (m == &spill) {
			zmq_msg_close(m);
			dropped++;
		} else
			s->nparts++;
	} while (more);
	zfd_received(&s->zf, 0);
	/* The envelope ends at the first empty frame; without one, it is
	 * the identity alone (a DEALER that sends no delimiter). */
	s->nenv = 1;
	for (i = 0; i < s->nparts; i++)
		if (zmq_msg_size(&s->part[i]) == 0) {
			s->nenv = i + 1;
			break;
		}
	s->nbody = s->nparts - s->nenv + dropped;
	return 0;
}

/* Send a reply after its envelope's frames, consuming them. */
static void
worker_sock_send(struct worker_sock *s, zmq_msg_t *env, int nenv,
    const char *hdr, size_t hlen, zmq_msg_t *payload)
{
	int i;

	zfd_used(&s->zf);
	for (i = 0; i < nenv; i++)
		if (zmq_msg_send(&env[i], s->sock, ZMQ_SNDMORE) == -1)
			goto fail;
	if ((hdr != NULL && zmq_send(s->sock, hdr, hlen, ZMQ_SNDMORE) == -1) ||
	    (payload != NULL ? zmq_msg_send(payload, s->sock, 0) :
	    zmq_send(s->sock, "", 0, 0)) == -1)
		goto fail;
	return;
fail:
	log_debug("reply not sent: %s", zmq_strerror(errno));
}

static int
worker_sock_admit(struct worker *w, struct worker_req *r)
{
	/* A request over the socket that names a lane opens it: the next
	 * ones may come through it. */
	if (r->h.has_shm)
		worker_lane_offer(w, &r->h.shm);
	return 0;
}

static int
worker_sock_reply(struct worker *w, struct worker_req *r, const char *hdr,
    size_t hlen, zmq_msg_t *payload)
{
	struct worker_sock *s = w->sock;

	(void)r;
	worker_sock_send(s, s->part, s->nenv, hdr, hlen, payload);
	return 0;
}

const struct worker_route worker_sock_route = {
	.admit = worker_sock_admit,
	.reply = worker_sock_reply,
};

static int
worker_sock_kept_reply(struct worker *w, struct worker_req *r,
    const char *hdr, size_t hlen, zmq_msg_t *payload)
{
	struct worker_sock_kept *k = (struct worker_sock_kept *)r;

	worker_sock_send(w->sock, k->env, k->nenv, hdr, hlen, payload);
	k->nenv = 0;	/* sent: the frames are gone */
	return 0;
}

static void
worker_sock_kept_release(struct worker *w, struct worker_req *r)
{
	struct worker_sock_kept *k = (struct worker_sock_kept *)r;
	int i;

	(void)w;
	for (i = 0; i < k->nenv; i++)
		zmq_msg_close(&k->env[i]);
	zmq_msg_close(&k->pay);
	free(k);
}

static const struct worker_route worker_sock_kept_route = {
	.admit = worker_sock_admit,
	.reply = worker_sock_kept_reply,
	.release = worker_sock_kept_release,
};

/* Batching: keep a request of two frames and queue it (worker_queue.c). */
static void
worker_sock_keep(struct worker *w, struct worker_req *r)
{
	struct worker_sock *s = w->sock;
	struct worker_sock_kept *k;
	zmq_msg_t *hdr = &s->part[s->nenv];
	int i;

	if (wire_header_parse(zmq_msg_data(hdr), zmq_msg_size(hdr), &r->h,
	    r->err, sizeof r->err) == -1) {
		worker_serve_error(w, r);
		return;
	}
	if ((k = malloc(sizeof *k + (size_t)s->nenv * sizeof k->env[0]))
	    == NULL) {
		snprintf(r->err, sizeof r->err, "no memory to queue it");
		worker_serve_error(w, r);
		return;
	}
	k->r = *r;
	k->r.route = &worker_sock_kept_route;
	for (i = 0; i < s->nenv; i++) {
		zmq_msg_init(&k->env[i]);
		zmq_msg_move(&k->env[i], &s->part[i]);
	}
	k->nenv = s->nenv;
	zmq_msg_init(&k->pay);
	zmq_msg_move(&k->pay, hdr + 1);
	k->r.paymsg = &k->pay;
	k->r.pay = zmq_msg_data(&k->pay);
	k->r.paylen = zmq_msg_size(&k->pay);
	worker_queue_push(w, &k->r);
}

/* Is a lone frame a header (a JSON object) sent without its payload,
 * rather than a plain message to send back? Parses it into r->h if so. */
static int
worker_sock_lone_header(struct worker_sock *s, struct worker_req *r)
{
	zmq_msg_t *m = &s->part[s->nenv];
	const char *p = zmq_msg_data(m);
	size_t i, n = zmq_msg_size(m);

	for (i = 0; i < n && strchr(" \t\r\n", p[i]) != NULL && p[i]; i++)
		;
	if (i == n || p[i] != '{')
		return 0;	/* cheap: "Hello" is not parsed */
	wire_header_parse(p, n, &r->h, r->err, sizeof r->err);
	return r->h.is_object;
}

/* The seed's "Hello": one frame, sent back unchanged after the cost (on
 * the device, if any; never batched). */
static void
worker_sock_hello(struct worker *w, struct worker_req *r)
{
	struct worker_sock *s = w->sock;
	zmq_msg_t *m = &s->part[s->nenv];
	size_t n = zmq_msg_size(m);

	if (w->queue != NULL)	/* not batched: its own draw */
		r->cost_ns = worker_serve_draw(w);
	if (w->dev != NULL && worker_serve_hold(w, &r->start))
		return;
	worker_serve_wait(w, r);
	if (w->dev != NULL)
		device_release(w->dev);
	worker_serve_send(w, r, NULL, 0, m, 1);
	log_debug("%s: sent back a %zu-byte message", w->o->name, n);
}

/* Turn a message of two frames after the envelope into a request. */
static void
worker_sock_request(struct worker *w, struct worker_req *r)
{
	struct worker_sock *s = w->sock;
	zmq_msg_t *hdr = &s->part[s->nenv], *payload = hdr + 1;

	r->paymsg = payload;
	r->pay = zmq_msg_data(payload);
	r->paylen = zmq_msg_size(payload);
	if (wire_header_parse(zmq_msg_data(hdr), zmq_msg_size(hdr), &r->h,
	    r->err, sizeof r->err) == -1)
		worker_serve_error(w, r);
	else
		worker_serve(w, r);
}

int
worker_sock_serve(struct worker *w)
{
	struct worker_sock *s = w->sock;
	struct worker_req *r = &w->req;

	if (worker_sock_recv(s) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warnx("receive: %s", zmq_strerror(errno));
		return 0;
	}
	worker_serve_begin(w, r, &worker_sock_route);
	/* Frames past REQ_MAXPARTS were dropped: the body may be among them. */
	if (s->nenv + s->nbody > s->nparts) {
		snprintf(r->err, sizeof r->err, "request has more than %d "
		    "frames", REQ_MAXPARTS - 1);
		worker_serve_error(w, r);
	} else if (s->nbody == 1 && !worker_sock_lone_header(s, r))
		worker_sock_hello(w, r);
	else if (s->nbody != 2) {
		snprintf(r->err, sizeof r->err, "request has %d frame%s after "
		    "the envelope, expected 2 (header, payload)", s->nbody,
		    s->nbody == 1 ? "" : "s");
		worker_serve_error(w, r);
	} else if (w->queue != NULL)
		worker_sock_keep(w, r);
	else
		worker_sock_request(w, r);
	worker_sock_drop(s);
	return 1;
}

void
worker_sock_pollfd(const struct worker_sock *s, struct pollfd *p)
{
	*p = zfd_pollfd(&s->zf);
}

int
worker_sock_busy(const struct worker_sock *s)
{
	return zfd_busy(&s->zf);
}

int
worker_sock_look(const struct worker_sock *s, short revents)
{
	return zfd_look(&s->zf, revents);
}

struct worker_curve *
worker_sock_curve(const struct worker_sock *s)
{
	return s->curve;
}

/* Every option of the socket, here and nowhere else. */
static int
worker_sock_options(struct worker_sock *s, const struct worker_opts *o)
{
	int linger = WORKER_LINGER_MS;
	int64_t max = o->max_frame;

	if (zmq_setsockopt(s->sock, ZMQ_LINGER, &linger, sizeof linger) == -1 ||
	    zmq_setsockopt(s->sock, ZMQ_MAXMSGSIZE, &max, sizeof max) == -1) {
		log_warnx("setsockopt: %s", zmq_strerror(errno));
		return -1;
	}
	return worker_curve_sockopts(s->curve, s->sock);
}

int
worker_sock_open(struct worker *w, char *where, size_t len)
{
	const struct worker_opts *o = w->o;
	struct worker_sock *s;
	int rc;

	if ((s = w->sock = calloc(1, sizeof *s)) == NULL ||
	    (s->ctx = zmq_ctx_new()) == NULL ||
	    (s->sock = zmq_socket(s->ctx, ZMQ_ROUTER)) == NULL) {
		log_warnx("zmq: %s", s == NULL ? strerror(errno) :
		    zmq_strerror(errno));
		return FS_EXIT_OSERR;
	}
	/* The ZAP handler before the bind: no client is admitted unasked. */
	if ((rc = worker_curve_open(s->ctx, o, &s->curve)) != 0)
		return rc;
	if (worker_sock_options(s, o) == -1)
		return FS_EXIT_SOFTWARE;
	if (zmq_bind(s->sock, o->endpoint) == -1) {
		log_warnx("%s: bind %s: %s", o->name, o->endpoint,
		    zmq_strerror(errno));
		return errno == EINVAL || errno == EPROTONOSUPPORT ?
		    FS_EXIT_USAGE : FS_EXIT_UNAVAIL;
	}
	if (zmq_getsockopt(s->sock, ZMQ_LAST_ENDPOINT, where, &len) == -1)
		snprintf(where, len, "%s", o->endpoint);
	if (zfd_open(&s->zf, s->sock) == -1) {
		log_warnx("%s: ZMQ_FD: %s", o->name, zmq_strerror(errno));
		return FS_EXIT_SOFTWARE;
	}
	return 0;
}

void
worker_sock_close(struct worker_sock **sp)
{
	struct worker_sock *s = *sp;

	if (s == NULL)
		return;
	if (s->sock != NULL)
		zmq_close(s->sock);
	worker_curve_free(&s->curve);
	if (s->ctx != NULL)
		zmq_ctx_term(s->ctx);
	free(s);
	*sp = NULL;
}
