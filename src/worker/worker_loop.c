/* worker_loop.c: fake-worker's event loop.
 *
 * One poll(2) over the socket's ZMQ_FD, the signalfd, the CURVE side's
 * descriptors and the lanes' request pipes; one request served at a time,
 * or, batching, one batch at a time while the next requests are queued
 * (worker_queue.c). The requests queued on the socket are taken without
 * a poll until it says it has none, for at most 1 ms (worker_loop_sock):
 * that receive is what lets the next poll block, and it is all a request
 * found waiting costs. zmq_poll would add its first pass and both
 * sockets' events before and after the wait: three to five system calls
 * (getpid and poll of libzmq's mailbox among them). The signalfd is also
 * watched during every simulated cost (worker_serve_wait) and while the
 * model "loads" before the socket is bound (--start-delay-ms); the stop
 * signals end a wait for the shared device.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <zmq.h>

#include "clock.h"
#include "deadline.h"
#include "exitcode.h"
#include "log.h"
#include "worker_curve.h"
#include "worker_lane.h"
#include "worker_loop.h"
#include "worker_notify.h"
#include "worker_pool.h"
#include "worker_priv.h"
#include "worker_queue.h"
#include "worker_shm.h"
#include "worker_sock.h"

#define POOL_BUFS	4
#define DRAIN_NS	1000000	/* signals and lanes polled at least this often */

static void
worker_loop_signal(struct worker *w)
{
	struct signalfd_siginfo si;

	if (read(w->sigfd, &si, sizeof si) == (ssize_t)sizeof si)
		log_info("%s: %s, exiting", w->o->name,
		    strsignal((int)si.ssi_signo));
}

/*
 * Serve the requests queued on the socket until it has none: the number
 * served. Only a receive that finds nothing lets the loop block on the
 * socket's descriptor (worker_sock_pollfd). At most DRAIN_NS long, so a
 * signal, a CURVE handshake or a lane waits no more; the poll after a
 * cut-short drain does not block. A batching worker takes one request at
 * a time and queues it (worker_queue.c).
 */
static int
worker_loop_sock(struct worker *w)
{
	uint64_t until = 0;
	int n;

	for (n = 0; !w->stopping && worker_sock_serve(w); n++) {
		if (w->queue != NULL)
			return n + 1;
		if (until == 0)
			until = clock_now_ns() + DRAIN_NS;
		else if (clock_now_ns() >= until)
			return n + 1;
	}
	return n;
}

static int
worker_loop(struct worker *w)
{
	struct pollfd fds[2 + WORKER_CURVE_FDS + WORKER_LANES] = {
		[1] = { .fd = w->sigfd, .events = POLLIN },
	};
	struct worker_curve *curve = worker_sock_curve(w->sock);
	int lane_of[WORKER_LANES], nc, nl, n, i, busy;

	worker_sock_pollfd(w->sock, &fds[0]);
	nc = worker_curve_pollfds(curve, fds + 2);
	while (!w->stopping) {
		/* While rings are mapped, wake now and then to let go of
		 * those of clients that are gone. */
		nl = worker_lane_poll(w->lanes, fds + 2 + nc, WORKER_LANES,
		    lane_of);
		/* Block only when both ZeroMQ sockets said they have
		 * nothing: their descriptors signal news, not a queue. */
		busy = worker_sock_busy(w->sock) || worker_curve_busy(curve);
		n = busy ? 0 : worker_shm_timeout_ms(w->shm);
		if (w->queue != NULL)
			n = worker_queue_timeout_ms(w, n);
		if ((n = poll(fds, (nfds_t)(2 + nc + nl), n)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			return FS_EXIT_SOFTWARE;
		}
		if (n == 0 && !busy) {
			worker_shm_sweep(w->shm);
			worker_lane_sweep(w);
		}
		/* A signal wins over queued requests: finish none of them. */
		if (fds[1].revents & POLLIN)
			break;
		worker_curve_events(curve, fds + 2);
		/* One request at a time: the socket's first, then the
		 * lanes' in the order of the poll set. */
		if (worker_sock_look(w->sock, fds[0].revents) &&
		    worker_loop_sock(w) > 0)
			;
		else
			for (i = 0; i < nl; i++)
				if (fds[2 + nc + i].revents & POLLIN) {
					worker_lane_serve(w, lane_of[i]);
					break;
				}
		if (w->queue != NULL)
			worker_queue_run(w);
	}
	worker_loop_signal(w);
	return FS_EXIT_OK;
}

/* Load the model: start_delay_ms from t0 (the process's start) before
 * binding and saying READY=1, a signal ending it at once. 1 if one came. */
static int
worker_loop_load(struct worker *w, uint64_t t0)
{
	double ms = w->o->start_delay_ms;
	int rc;

	if (!(ms > 0))
		return 0;
	log_info("%s: loading for %.0f ms", w->o->name, ms);
	worker_notify("STATUS=loading for %.0f ms", ms);
	if ((rc = deadline_wait(t0 + (uint64_t)(ms * 1e6), w->sigfd)) == -1)
		log_warn("waiting out the start delay");
	return rc == 1;
}

/* Bind and say we are ready: an exit status, 0 on success. */
static int
worker_loop_open(struct worker *w)
{
	const char *kind = kind_name(w->o->kind);
	char where[256];
	int rc;

	if ((rc = worker_sock_open(w, where, sizeof where)) != 0)
		return rc;
	log_notice("%s: %s on %s, cost %.3f ms", w->o->name, kind, where,
	    (double)w->cost_ns / 1e6);
	if (worker_notify("READY=1\nSTATUS=%s on %s, cost %.3f ms", kind,
	    where, (double)w->cost_ns / 1e6) == -1)
		log_warn("%s: cannot say READY=1 to NOTIFY_SOCKET", w->o->name);
	return 0;
}

static void
worker_loop_close(struct worker *w)
{
	/* libzmq lets go of the pool's buffers when it terminates. */
	worker_queue_free(w);
	if (w->dev != NULL)
		device_release(w->dev);
	worker_sock_close(&w->sock);
	worker_pool_free(&w->pool);
	worker_lane_free(&w->lanes);
	worker_shm_free(&w->shm);
}

int
worker_loop_run(const struct worker_opts *o, int sigfd)
{
	static struct worker w;
	uint64_t t0 = clock_now_ns();
	int rc;

	w.o = o;
	w.sigfd = sigfd;
	w.kind = kind_get(o->kind);
	w.compute = kind_compute(o->kind);
	w.kctx.o = o->ko;
	w.cost_ns = (uint64_t)(o->cost_ms * o->coef * 1e6 + 0.5);
	w.warm_ns = (uint64_t)(o->warmup_cost_ms * o->coef * 1e6 + 0.5);
	w.warm_left = o->warmup_requests;
	w.cost = o->cost;
	w.faults = o->faults;
	w.faulty = fault_any(&o->faults);
	rng_seed(&w.kctx.rng, clock_now_ns() ^ ((uint64_t)getpid() << 32));
	rng_seed(&w.crng, o->seed);
	w.dev = o->device;
	sigemptyset(&w.stop);
	sigaddset(&w.stop, SIGTERM);
	sigaddset(&w.stop, SIGINT);
	deadline_init();
	if ((o->batch.max > 0 && worker_queue_new(&w) == -1) ||
	    (w.pool = worker_pool_new(POOL_BUFS)) == NULL ||
	    (w.shm = worker_shm_new()) == NULL ||
	    (w.lanes = worker_lane_new()) == NULL)
		fatal("worker_loop_run");
	if (worker_loop_load(&w, t0)) {
		worker_loop_signal(&w);
		rc = FS_EXIT_OK;
	} else if ((rc = worker_loop_open(&w)) == 0) {
		rc = worker_loop(&w);
		worker_notify("STOPPING=1");
	}
	worker_loop_close(&w);
	return rc;
}
