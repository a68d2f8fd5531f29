/* unit_zfd.c: a socket's ZMQ_FD in a poll(2) set (zfd.h), with real
 * libzmq sockets over TCP: a socket is busy until a receive finds
 * nothing; then its descriptor wakes a blocked poll(2) when a message
 * comes; a message taken, or a send, makes it busy again: a poll that
 * blocked then could sleep through a message already there. */
#include "config.h"

#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "tap.h"
#include "zfd.h"

/* A receive that says what it found. */
static int
take(void *sock, struct zfd *z)
{
	char buf[16];
	int n = zmq_recv(sock, buf, sizeof buf, ZMQ_DONTWAIT);

	zfd_received(z, n == -1 && zmq_errno() == EAGAIN);
	return n;
}

/* Wait on the descriptor alone for ms: 1 if it signalled. */
static int
wake(const struct zfd *z, int ms)
{
	struct pollfd p = zfd_pollfd(z);

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

int
main(void)
{
	void *ctx = zmq_ctx_new();
	void *srv = zmq_socket(ctx, ZMQ_DEALER);
	void *cli = zmq_socket(ctx, ZMQ_DEALER);
	char ep[64];
	size_t len = sizeof ep;
	struct zfd z;

	if (zmq_bind(srv, "tcp://127.0.0.1:*") == -1 ||
	    zmq_getsockopt(srv, ZMQ_LAST_ENDPOINT, ep, &len) == -1 ||
	    zmq_connect(cli, ep) == -1)
		return 99;
	/* Connected first: a new connection is news too. */
	if (zmq_send(cli, "x", 1, 0) != 1 || zmq_recv(srv, ep, 1, 0) != 1)
		return 99;
	ok(zfd_open(&z, srv) == 0 && z.fd >= 0 && zfd_busy(&z),
	    "a new socket is busy: nothing said it is empty yet");
	while (take(srv, &z) != -1)
		;
	ok(!zfd_busy(&z), "a receive that found nothing: it may be waited on");
	ok(zmq_send(cli, "a", 1, 0) == 1 && wake(&z, 2000) &&
	    zfd_look(&z, POLLIN), "a message wakes a blocked poll");
	ok(take(srv, &z) == 1 && zfd_busy(&z), "a message taken: busy");
	/* Two more, both there before the next receive: that receive takes
	 * the news of both, and the descriptor stays quiet while the second
	 * waits. A loop that blocked then would wait for ever: only a
	 * receive that finds nothing makes it safe to block. */
	while (take(srv, &z) != -1)
		;
	zmq_send(cli, "b", 1, 0);
	zmq_send(cli, "c", 1, 0);
	usleep(200000);
	ok(wake(&z, 2000) && take(srv, &z) == 1 && zfd_busy(&z) &&
	    !wake(&z, 200) && take(srv, &z) == 1,
	    "a message waits, the descriptor is quiet, the socket is busy");
	ok(take(srv, &z) == -1 && !zfd_busy(&z) && !zfd_look(&z, 0),
	    "drained, and no news: nothing to look at");
	zfd_used(&z);
	ok(zfd_busy(&z) && zfd_look(&z, 0), "a send: busy again");
	ok(zfd_open(&z, NULL) == 0 && z.fd == -1, "no socket: no descriptor");
	zmq_close(cli);
	zmq_close(srv);
	zmq_ctx_term(ctx);
	return tap_done();
}
