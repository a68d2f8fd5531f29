/* worker_loop.c: fake-worker's socket, event loop and request handling.
 *
 * One ROUTER socket serves REQ clients (the seed's) and DEALER clients
 * with several requests in flight: libzmq queues them, the loop takes one
 * at a time in arrival order, like a single model instance. The signalfd
 * is polled with the socket and during every simulated cost.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>
#include <zmq.h>

#include "clock.h"
#include "deadline.h"
#include "exitcode.h"
#include "lane.h"
#include "log.h"
#include "wire.h"
#include "worker.h"
#include "worker_pool.h"
#include "worker_shm.h"

#define REQ_MAXPARTS	64	/* frames kept; more are counted, dropped */
#define POOL_BUFS	4

struct request {
	zmq_msg_t part[REQ_MAXPARTS];
	int	 nparts;	/* initialised parts */
	int	 nenv;		/* envelope: identities and delimiter */
	int	 nbody;		/* frames after it, dropped ones included */
	uint64_t t0;		/* when the request was received */
	struct wire_header h;
	const void *in;		/* its array: the payload or shared memory */
	int	 lane_full;	/* its reply did not fit its lane */
	char	 err[WIRE_ERRLEN];
};

/* The reply being built: a header, a payload and their timing. A
 * segmentation output is computed late (worker_compute_late). */
struct reply {
	zmq_msg_t payload;
	void	*seg_out;	/* to compute into, NULL when done */
	const char *dtype;
	uint64_t shape[WIRE_MAXDIM];
	int	 ndim;
	int	 overrun;
};

struct worker {
	const struct worker_opts *o;
	void	*ctx;
	void	*sock;
	int	 sigfd;
	int	 stopping;	/* a signal cut the last cost short */
	uint64_t cost_ns;
	double	 compute_px_ns;	/* a late computation's time per pixel */
	struct worker_pool *pool;
	struct worker_shm *shm;	/* rings of shared-memory clients */
	struct worker_rng rng;
	double	*probs;		/* n_classes of them */
	struct request req;
};

static void
request_close(struct request *r)
{
	int i;

	for (i = 0; i < r->nparts; i++)
		zmq_msg_close(&r->part[i]);
	r->nparts = 0;
}

/* Receive a whole multipart message: 0, or -1 (EAGAIN: nothing there). */
static int
request_recv(struct worker *w, struct request *r)
{
	zmq_msg_t spill;
	int more, i, dropped = 0;

	r->nparts = 0;
	do {
		zmq_msg_t *m = r->nparts < REQ_MAXPARTS ?
		    &r->part[r->nparts] : &spill;

		zmq_msg_init(m);
		if (zmq_msg_recv(m, w->sock, r->nparts ? 0 : ZMQ_DONTWAIT)
		    == -1) {
			zmq_msg_close(m);
			request_close(r);
			return -1;
		}
		more = zmq_msg_more(m);
		if (m == &spill) {
			zmq_msg_close(m);
			dropped++;
		} else
			r->nparts++;
	} while (more);
	r->t0 = clock_now_ns();
	/* The envelope ends at the first empty frame; without one, it is
	 * the identity alone (a DEALER that sends no delimiter). */
	r->nenv = 1;
	for (i = 0; i < r->nparts; i++)
		if (zmq_msg_size(&r->part[i]) == 0) {
			r->nenv = i + 1;
			break;
		}
	r->nbody = r->nparts - r->nenv + dropped;
	return 0;
}

/* Send the envelope frames back, consuming them. */
static int
request_send_envelope(struct worker *w, struct request *r)
{
	int i;

	for (i = 0; i < r->nenv; i++)
		if (zmq_msg_send(&r->part[i], w->sock, ZMQ_SNDMORE) == -1)
			return -1;
	return 0;
}

/* "worker" and, when the request had one, "frame", for any reply. */
static void
worker_reply_ids(struct worker *w, struct request *r, struct wire_header *out)
{
	wire_header_init(out);
	memcpy(out->worker, w->o->name, sizeof out->worker);
	out->has_frame = r->h.has_frame;
	out->frame = r->h.frame;
}

static void
worker_send_error(struct worker *w, struct request *r)
{
	struct wire_header out;
	char hdr[WIRE_HDRMAX];
	int n;

	log_info("%s: bad request: %s", w->o->name, r->err);
	worker_reply_ids(w, r, &out);
	out.is_error = 1;
	memcpy(out.err, r->err, sizeof out.err);
	/* The client sends it again over ZeroMQ. */
	out.lane_full = r->lane_full;
	r->lane_full = 0;
	n = wire_header_write(hdr, sizeof hdr, &out);
	if (worker_shm_via_lane(w->shm))
		worker_shm_lane_reply(w->shm, hdr, (size_t)n, NULL, 0);
	else if (request_send_envelope(w, r) == -1 ||
	    zmq_send(w->sock, hdr, (size_t)n, ZMQ_SNDMORE) == -1 ||
	    zmq_send(w->sock, "", 0, 0) == -1)
		log_debug("error reply not sent: %s", zmq_strerror(errno));
}

/* Is a lone frame a header (a JSON object) sent without its payload,
 * rather than a plain message to echo? Fills r->h's frame id if so. */
static int
worker_lone_header(struct request *r)
{
	zmq_msg_t *m = &r->part[r->nenv];
	const char *p = zmq_msg_data(m);
	size_t i, n = zmq_msg_size(m);

	for (i = 0; i < n && strchr(" \t\r\n", p[i]) != NULL && p[i]; i++)
		;
	if (i == n || p[i] != '{')
		return 0;	/* cheap: "Hello" is not parsed */
	wire_header_parse(p, n, &r->h, r->err, sizeof r->err);
	return r->h.is_object;
}

/* Wait out the rest of the budget; a signal ends the wait at once. */
static int
worker_wait_budget(struct worker *w, struct request *r)
{
	int rc = deadline_wait(r->t0 + w->cost_ns, w->sigfd);

	if (rc == -1)
		log_warn("waiting for the deadline");
	if (rc == 1)
		w->stopping = 1;
	return rc == 1;
}

/* The seed's "Hello": one frame, echoed unchanged after the cost. */
static void
worker_echo_lone(struct worker *w, struct request *r)
{
	zmq_msg_t *m = &r->part[r->nenv];
	size_t n = zmq_msg_size(m);

	worker_wait_budget(w, r);
	if (request_send_envelope(w, r) == -1 ||
	    zmq_msg_send(m, w->sock, 0) == -1)
		log_debug("reply not sent: %s", zmq_strerror(errno));
	log_debug("%s: echoed a %zu-byte message", w->o->name, n);
}

static int
worker_segmentation(struct worker *w, struct request *r, struct reply *rep)
{
	int isz = w->o->out_float64 ? 8 : 1;
	uint64_t nbytes;
	void *out;

	if (worker_seg_plan(&r->h, isz, rep->shape, &nbytes, r->err,
	    sizeof r->err) == -1)
		return -1;
	if ((out = worker_shm_out(w->shm, nbytes)) != NULL)
		zmq_msg_init(&rep->payload);
	else if ((uint64_t)(size_t)nbytes != nbytes ||
	    (out = worker_pool_msg(w->pool, &rep->payload, nbytes)) == NULL) {
		snprintf(r->err, sizeof r->err, "no memory for a %" PRIu64
		    "-byte reply", nbytes);
		return -1;
	}
	rep->seg_out = out;
	rep->dtype = w->o->out_float64 ? "float64" : "uint8";
	rep->ndim = 2;
	return 0;
}

static int
worker_classification(struct worker *w, struct request *r, struct reply *rep)
{
	size_t n = (size_t)w->o->n_classes;
	void *out;

	worker_classify(&w->rng, w->probs, w->o->n_classes);
	if ((out = worker_shm_out(w->shm, n * sizeof(double))) != NULL)
		zmq_msg_init(&rep->payload);
	else if (zmq_msg_init_size(&rep->payload, n * sizeof(double)) == -1) {
		snprintf(r->err, sizeof r->err, "no memory for the reply");
		return -1;
	} else
		out = zmq_msg_data(&rep->payload);
	memcpy(out, w->probs, n * sizeof(double));
	rep->dtype = "float64";
	rep->shape[0] = n;
	rep->ndim = 1;
	return 0;
}

/* Echo: the received payload goes back as it is, without a copy; an
 * input in shared memory is copied to an output slot or the reply. */
static int
worker_echo(struct worker *w, struct request *r, struct reply *rep)
{
	if (worker_shm_active(w->shm)) {
		if (worker_shm_echo(w->shm, r->in, r->h.nbytes, &rep->payload,
		    r->err, sizeof r->err) == -1)
			return -1;
	} else {
		zmq_msg_init(&rep->payload);
		zmq_msg_move(&rep->payload, &r->part[r->nenv + 1]);
	}
	rep->dtype = r->h.dtype.name;
	memcpy(rep->shape, r->h.shape, sizeof rep->shape);
	rep->ndim = r->h.ndim;
	return 0;
}

/* Check a two-frame request and compute its reply: 0, or -1 with r->err. */
static int
worker_compute(struct worker *w, struct request *r, struct reply *rep)
{
	zmq_msg_t *hdr = &r->part[r->nenv], *payload = hdr + 1;
	int rc;

	rep->seg_out = NULL;
	if (wire_header_parse(zmq_msg_data(hdr), zmq_msg_size(hdr), &r->h,
	    r->err, sizeof r->err) == -1)
		return -1;
	if (r->h.is_error) {
		snprintf(r->err, sizeof r->err, "a request cannot carry "
		    "\"error\"");
		return -1;
	}
	/* The array is in the payload, or in a ring the header names. */
	rc = worker_shm_input(w->shm, &r->h, zmq_msg_size(payload), &r->in,
	    r->err, sizeof r->err);
	if (rc == -1 || (rc == 1 && wire_payload_check(&r->h,
	    zmq_msg_size(payload), r->err, sizeof r->err) == -1))
		return -1;
	if (rc == 1)
		r->in = zmq_msg_data(payload);
	switch (w->o->kind) {
	case WORKER_SEGMENTATION:
		return worker_segmentation(w, r, rep);
	case WORKER_CLASSIFICATION:
		return worker_classification(w, r, rep);
	default:
		return worker_echo(w, r, rep);
	}
}

/* The output is computed at the end of the budget, not at its start:
 * there, its CPU time would delay the requests other workers are being
 * sent at the same moment (the client sends them all at once), while at
 * the end it only fills time the simulated model spends anyway. Planned
 * from the last computations' time per pixel, twice over, plus the final
 * spin; started at once the first time, and when the budget is too short
 * for that. */
static int
worker_compute_late(struct worker *w, struct request *r, struct reply *rep)
{
	double px = (double)(rep->shape[0] * rep->shape[1]), v;
	uint64_t plan = (uint64_t)(2 * w->compute_px_ns * px) +
	    DEADLINE_SPIN_NS, t;
	int rc = 0;

	if (rep->seg_out == NULL)
		return 0;
	/* The first time, at once: nothing to plan from yet. */
	if (w->compute_px_ns > 0 && r->t0 + w->cost_ns > clock_now_ns() + plan &&
	    (rc = deadline_wait(r->t0 + w->cost_ns - plan, w->sigfd)) == 1)
		w->stopping = 1;
	t = clock_now_ns();
	worker_segment(&r->h, r->in, w->o->out_float64, rep->seg_out);
	v = px > 0 ? (double)(clock_now_ns() - t) / px : 0;
	/* A slow one counts at once; a fast one a little at a time. */
	w->compute_px_ns = v > w->compute_px_ns ? v :
	    w->compute_px_ns - (w->compute_px_ns - v) / 8;
	rep->seg_out = NULL;
	return rc == 1;
}

static void
worker_send_reply(struct worker *w, struct request *r, struct reply *rep)
{
	struct wire_header out;
	char hdr[WIRE_HDRMAX];
	uint64_t done, t1;
	int interrupted, n;

	interrupted = worker_compute_late(w, r, rep);
	done = clock_now_ns();
	rep->overrun = done > r->t0 + w->cost_ns;
	interrupted |= worker_wait_budget(w, r);
	t1 = clock_now_ns();
	worker_reply_ids(w, r, &out);
	wire_header_array(&out, rep->dtype, rep->shape, rep->ndim);
	out.service_us = (double)(t1 - r->t0) / 1e3;
	out.overrun = rep->overrun;
	out.interrupted = interrupted ? 1 : -1;
	/* Over shared memory both ends share CLOCK_MONOTONIC: the client
	 * splits its transport time into the request's and the reply's. */
	if (worker_shm_active(w->shm)) {
		out.t_recv_ns = r->t0;
		out.t_sent_ns = clock_now_ns();
	}
	out.shm_out = worker_shm_used_out(w->shm);
	n = wire_header_write(hdr, sizeof hdr, &out);
	if (worker_shm_via_lane(w->shm) &&
	    !lane_fits((size_t)n, zmq_msg_size(&rep->payload))) {
		snprintf(r->err, sizeof r->err, "a reply of %zu bytes does not "
		    "fit a lane message (%d bytes)", (size_t)n +
		    zmq_msg_size(&rep->payload), LANE_MSG_MAX - LANE_PREFIX);
		r->lane_full = 1;
		worker_send_error(w, r);
	} else if (worker_shm_via_lane(w->shm))
		worker_shm_lane_reply(w->shm, hdr, (size_t)n,
		    zmq_msg_data(&rep->payload), zmq_msg_size(&rep->payload));
	else if (request_send_envelope(w, r) == -1 ||
	    zmq_send(w->sock, hdr, (size_t)n, ZMQ_SNDMORE) == -1 ||
	    zmq_msg_send(&rep->payload, w->sock, 0) == -1)
		log_debug("reply not sent: %s", zmq_strerror(errno));
	log_debug("%s: %s%s %.3f ms%s", w->o->name, hdr,
	    rep->overrun ? " OVERRUN" : "", (double)(t1 - r->t0) / 1e6,
	    interrupted ? " (interrupted)" : "");
	zmq_msg_close(&rep->payload);
}

/* A request that came through a lane: served like one over ZeroMQ, its
 * reply (or error) written back to the lane. */
static void
worker_serve_lane(struct worker *w, int lane)
{
	struct request *r = &w->req;
	unsigned char buf[LANE_MSG_MAX];
	struct reply rep;
	size_t hlen;

	if (worker_shm_lane_take(w->shm, lane, buf, sizeof buf, &hlen, r->err,
	    sizeof r->err) != 1)
		return;
	r->t0 = clock_now_ns();
	memset(&r->h, 0, sizeof r->h);
	r->nparts = 0;
	if (r->err[0] != '\0' || zmq_msg_init_size(&r->part[0], hlen) == -1) {
		if (r->err[0] == '\0')
			snprintf(r->err, sizeof r->err, "out of memory");
		worker_send_error(w, r);
		return;
	}
	memcpy(zmq_msg_data(&r->part[0]), buf, hlen);
	zmq_msg_init(&r->part[1]);
	r->nparts = r->nbody = 2;
	r->nenv = 0;
	if (worker_compute(w, r, &rep) == -1)
		worker_send_error(w, r);
	else
		worker_send_reply(w, r, &rep);
	request_close(r);
}

static void
worker_serve_one(struct worker *w)
{
	struct request *r = &w->req;
	struct reply rep;

	if (request_recv(w, r) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warnx("receive: %s", zmq_strerror(errno));
		return;
	}
	memset(&r->h, 0, sizeof r->h);
	/* Frames past REQ_MAXPARTS were dropped: the body may be among them. */
	if (r->nenv + r->nbody > r->nparts) {
		snprintf(r->err, sizeof r->err, "request has more than %d "
		    "frames", REQ_MAXPARTS - 1);
		worker_send_error(w, r);
	} else if (r->nbody == 1 && !worker_lone_header(r))
		worker_echo_lone(w, r);
	else if (r->nbody != 2) {
		snprintf(r->err, sizeof r->err, "request has %d frame%s after "
		    "the envelope, expected 2 (header, payload)", r->nbody,
		    r->nbody == 1 ? "" : "s");
		worker_send_error(w, r);
	} else if (worker_compute(w, r, &rep) == -1)
		worker_send_error(w, r);
	else
		worker_send_reply(w, r, &rep);
	request_close(r);
}

static void
worker_read_signal(struct worker *w)
{
	struct signalfd_siginfo si;

	if (read(w->sigfd, &si, sizeof si) == (ssize_t)sizeof si)
		log_info("%s: %s, exiting", w->o->name,
		    strsignal((int)si.ssi_signo));
}

static int
worker_setsockopts(struct worker *w)
{
	int linger = WORKER_LINGER_MS;
	int64_t max = w->o->max_frame;

	if (zmq_setsockopt(w->sock, ZMQ_LINGER, &linger, sizeof linger) == -1 ||
	    zmq_setsockopt(w->sock, ZMQ_MAXMSGSIZE, &max, sizeof max) == -1) {
		log_warnx("setsockopt: %s", zmq_strerror(errno));
		return -1;
	}
	return 0;
}

/* Create the socket, bind it and say we are ready: an exit status, 0 on
 * success. */
static int
worker_open(struct worker *w)
{
	char where[256];
	size_t len = sizeof where;

	if ((w->ctx = zmq_ctx_new()) == NULL ||
	    (w->sock = zmq_socket(w->ctx, ZMQ_ROUTER)) == NULL) {
		log_warnx("zmq: %s", zmq_strerror(errno));
		return FS_EXIT_OSERR;
	}
	if (worker_setsockopts(w) == -1)
		return FS_EXIT_SOFTWARE;
	if (zmq_bind(w->sock, w->o->endpoint) == -1) {
		log_warnx("%s: bind %s: %s", w->o->name, w->o->endpoint,
		    zmq_strerror(errno));
		return errno == EINVAL || errno == EPROTONOSUPPORT ?
		    FS_EXIT_USAGE : FS_EXIT_UNAVAIL;
	}
	if (zmq_getsockopt(w->sock, ZMQ_LAST_ENDPOINT, where, &len) == -1)
		snprintf(where, sizeof where, "%s", w->o->endpoint);
	log_notice("%s: %s on %s, cost %.3f ms", w->o->name,
	    worker_kind_name(w->o->kind), where, (double)w->cost_ns / 1e6);
	sd_notifyf(0, "READY=1\nSTATUS=%s on %s, cost %.3f ms",
	    worker_kind_name(w->o->kind), where, (double)w->cost_ns / 1e6);
	return 0;
}

static void
worker_close(struct worker *w)
{
	if (w->sock != NULL)
		zmq_close(w->sock);
	if (w->ctx != NULL)
		zmq_ctx_term(w->ctx);
	worker_pool_free(&w->pool);
	worker_shm_free(&w->shm);
	free(w->probs);
	w->probs = NULL;
}

static int
worker_loop(struct worker *w)
{
	zmq_pollitem_t items[2 + WORKER_SHM_LANES] = {
		{ .socket = w->sock, .events = ZMQ_POLLIN },
		{ .fd = w->sigfd, .events = ZMQ_POLLIN },
	};
	int lane_of[WORKER_SHM_LANES], nl, n, i;

	while (!w->stopping) {
		/* While rings are mapped, wake now and then to let go of
		 * those of clients that are gone. */
		nl = worker_shm_poll(w->shm, items + 2, WORKER_SHM_LANES,
		    lane_of);
		n = zmq_poll(items, 2 + nl, worker_shm_timeout_ms(w->shm));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			log_warnx("zmq_poll: %s", zmq_strerror(errno));
			return FS_EXIT_SOFTWARE;
		}
		if (n == 0)
			worker_shm_sweep(w->shm);
		/* A signal wins over queued requests: finish none of them. */
		if (items[1].revents & ZMQ_POLLIN)
			break;
		/* One request at a time: the socket's first, then the
		 * lanes' in the order of the poll set. */
		if (items[0].revents & ZMQ_POLLIN) {
			worker_serve_one(w);
			continue;
		}
		for (i = 0; i < nl; i++)
			if (items[2 + i].revents & ZMQ_POLLIN) {
				worker_serve_lane(w, lane_of[i]);
				break;
			}
	}
	worker_read_signal(w);
	return FS_EXIT_OK;
}

int
worker_run(const struct worker_opts *o, int sigfd)
{
	static struct worker w;
	int rc;

	w.o = o;
	w.sigfd = sigfd;
	w.cost_ns = (uint64_t)(o->cost_ms * o->coef * 1e6 + 0.5);
	worker_rng_seed(&w.rng, clock_now_ns() ^ ((uint64_t)getpid() << 32));
	deadline_init();
	if ((w.pool = worker_pool_new(POOL_BUFS)) == NULL ||
	    (w.shm = worker_shm_new()) == NULL ||
	    (w.probs = calloc((size_t)o->n_classes, sizeof *w.probs)) == NULL)
		fatal("worker_run");
	if ((rc = worker_open(&w)) == 0) {
		rc = worker_loop(&w);
		sd_notify(0, "STOPPING=1");
	}
	worker_close(&w);
	return rc;
}
