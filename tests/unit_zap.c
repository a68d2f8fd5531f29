/* unit_zap.c: the ZAP handler with real CURVE sockets over TCP, served from
 * this program's one poll loop: an allowed key gets replies, another is
 * refused (logged once however often it retries), a reload of the allow
 * list admits it, a bad key file leaves the list as it was, allow_any
 * admits anyone, and malformed ZAP requests get an error reply. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "cert.h"
#include "cert_key.h"
#include "clock.h"
#include "log.h"
#include "tap.h"
#include "zap.h"
#include "zap_dir.h"

static void *ctx, *server;
static struct zap *zap;
static struct cert srv;
static char endpoint[256];

/* Serve ZAP and echo on the server for ms milliseconds, or until the
 * client has a reply (*got set) or the monitor an event (*ev set). */
static void
pump(void *client, void *mon, int *got, int *ev, int ms)
{
	uint64_t end = clock_now_ns() + (uint64_t)ms * 1000000;
	zmq_pollitem_t it[4] = {
		{ zap_socket(zap), 0, ZMQ_POLLIN, 0 },
		{ server, 0, ZMQ_POLLIN, 0 },
		{ client, 0, ZMQ_POLLIN, 0 },
		{ mon, 0, ZMQ_POLLIN, 0 },
	};
	char buf[64];
	uint16_t e;
	int n;

	while (clock_now_ns() < end && (got == NULL || !*got) &&
	    (ev == NULL || !*ev)) {
		if (zmq_poll(it, mon != NULL ? 4 : 3, 20) <= 0)
			continue;
		if (it[0].revents)
			zap_serve(zap);
		if (it[1].revents && (n = zmq_recv(server, buf, sizeof buf,
		    ZMQ_DONTWAIT)) >= 0)
			zmq_send(server, buf, (size_t)n, 0);
		if (it[2].revents && zmq_recv(client, buf, sizeof buf,
		    ZMQ_DONTWAIT) >= 0 && got != NULL)
			*got = 1;
		if (mon != NULL && it[3].revents && zmq_recv(mon, buf, sizeof buf,
		    0) >= 6) {
			memcpy(&e, buf, 2);
			zmq_recv(mon, buf, sizeof buf, 0);
			if (e == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH && ev != NULL)
				*ev = 1;
		}
	}
}

static void *
client_new(const struct cert *me, void **mon)
{
	static int nmon;
	void *s = zmq_socket(ctx, ZMQ_REQ);
	char monep[64];
	int linger = 0;

	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, srv.public_txt, CERT_Z85_LEN);
	zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, me->public_txt, CERT_Z85_LEN);
	zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, me->secret_txt, CERT_Z85_LEN);
	if (mon != NULL) {
		snprintf(monep, sizeof monep, "inproc://mon%d", nmon++);
		zmq_socket_monitor(s, monep, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
		*mon = zmq_socket(ctx, ZMQ_PAIR);
		zmq_connect(*mon, monep);
	}
	zmq_connect(s, endpoint);
	zmq_send(s, "ping", 4, 0);
	return s;
}

/* Does this key get a reply within ms? */
static int
admitted(const struct cert *me, int ms)
{
	void *s = client_new(me, NULL);
	int got = 0;

	pump(s, NULL, &got, NULL, ms);
	zmq_close(s);
	return got;
}

/* Is this key refused (the client's monitor says so) within ms? */
static int
refused(const struct cert *me, int ms)
{
	void *mon, *s = client_new(me, &mon);
	int got = 0, ev = 0;

	pump(s, mon, &got, &ev, ms);
	zmq_close(mon);
	zmq_close(s);
	return ev && !got;
}

static int
count_lines(const char *path, const char *what)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	int n = 0;

	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		n += strstr(line, what) != NULL;
	if (f != NULL)
		fclose(f);
	return n;
}

/* Five refusals of one key: one log line. (A refused libzmq client does
 * not reconnect by itself: each try is a new socket here.) */
static void
test_refusals_logged_once(const char *dir)
{
	char logf[512];
	struct zap_stats st0, st;
	struct cert carol;
	int i, saved, fd, told = 0;

	cert_key_generate(&carol);
	zap_get_stats(zap, &st0);
	snprintf(logf, sizeof logf, "%s/log", dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(logf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	for (i = 0; i < 5; i++)
		told += refused(&carol, 3000);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	zap_get_stats(zap, &st);
	ok(told == 5 && st.refused - st0.refused == 5,
	    "a key refused five times, each time told so");
	ok(count_lines(logf, "refused client key") == 1,
	    "its refusals are logged once");
	ok(count_lines(logf, carol.public_txt) == 0 &&
	    count_lines(logf, "from 127.0.0.1") == 1,
	    "with the first characters of its key and its address");
}

static void
write_key(const char *dir, const char *name, const struct cert *c)
{
	char err[512];

	if (cert_save(c, dir, name, err, sizeof err) == -1)
		printf("# %s\n", err);
}

/* Send a request of n frames straight to the handler: the reply's id and
 * status code. */
static void
zap_ask(const char **frames, int n, char *id, char *code)
{
	zmq_pollitem_t it = { zap_socket(zap), 0, ZMQ_POLLIN, 0 };
	void *req = zmq_socket(ctx, ZMQ_REQ);
	int i, linger = 0, ms = 1000, len;
	char buf[16];

	zmq_setsockopt(req, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(req, ZMQ_RCVTIMEO, &ms, sizeof ms);
	zmq_connect(req, ZAP_ENDPOINT);
	for (i = 0; i < n; i++)
		zmq_send(req, frames[i], strlen(frames[i]), i < n - 1 ?
		    ZMQ_SNDMORE : 0);
	if (zmq_poll(&it, 1, 1000) == 1)
		zap_serve(zap);
	id[0] = code[0] = '\0';
	for (i = 0; i < 3; i++) {
		if ((len = zmq_recv(req, buf, sizeof buf - 1, 0)) < 0)
			break;
		buf[len] = '\0';
		if (i > 0)
			strcpy(i == 1 ? id : code, buf);
	}
	zmq_close(req);
}

/* Malformed requests straight to the handler: error replies. */
static void
test_malformed(void)
{
	static const char *v2[] = { "2.0", "7" };
	static const char *plain[] = { "1.0", "8", "", "10.0.0.1", "", "PLAIN",
	    "user", "password" };
	static const char *shortkey[] = { "1.0", "9", "", "10.0.0.1", "",
	    "CURVE", "abc" };
	struct zap_stats st0, st;
	char id[16], code[16];

	zap_get_stats(zap, &st0);
	zap_ask(v2, 2, id, code);
	ok(strcmp(id, "7") == 0 && strcmp(code, "500") == 0,
	    "a request that is not ZAP 1.0 gets 500 with its id");
	zap_ask(plain, 8, id, code);
	ok(strcmp(id, "8") == 0 && strcmp(code, "400") == 0,
	    "a PLAIN client gets 400");
	zap_ask(shortkey, 7, id, code);
	zap_get_stats(zap, &st);
	ok(strcmp(id, "9") == 0 && strcmp(code, "500") == 0 &&
	    st.malformed - st0.malformed == 2,
	    "a CURVE key that is not 32 bytes gets 500");
}

/* zap_serve says when requests may be left: ZAP_BATCH + 1 of them, sent
 * at once by a DEALER, take two calls, the second one ending on a socket
 * that has nothing (from then on its ZMQ_FD signals the next). */
static void
test_serve_left(void)
{
	static const char *v2[] = { "", "2.0", "1" };
	zmq_pollitem_t it = { zap_socket(zap), 0, ZMQ_POLLIN, 0 };
	void *d = zmq_socket(ctx, ZMQ_DEALER);
	int i, k, linger = 0, ms = 1000, first, second, got = 0;
	char buf[16];

	zmq_setsockopt(d, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(d, ZMQ_RCVTIMEO, &ms, sizeof ms);
	zmq_connect(d, ZAP_ENDPOINT);
	for (i = 0; i < ZAP_BATCH + 1; i++)
		for (k = 0; k < 3; k++)
			zmq_send(d, v2[k], strlen(v2[k]), k < 2 ? ZMQ_SNDMORE : 0);
	first = zmq_poll(&it, 1, 1000) == 1 ? zap_serve(zap) : -1;
	second = zap_serve(zap);
	while (zmq_recv(d, buf, sizeof buf, 0) >= 0)
		got++;			/* 7 frames a reply, the delimiter first */
	ok(first == 1 && second == 0 && got == 7 * (ZAP_BATCH + 1),
	    "zap_serve: requests left after a batch, none after the last");
	zmq_close(d);
}

int
main(void)
{
	char dir[] = "/tmp/unit_zap.XXXXXX", a[600], b[600], cmd[700], err[256];
	struct cert alice, bob;
	size_t len = sizeof endpoint;

	log_init("unit_zap", LOG_LVL_NORMAL);
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(a, sizeof a, "%s/a", dir);
	snprintf(b, sizeof b, "%s/b", dir);
	mkdir(a, 0700);
	mkdir(b, 0700);
	cert_key_generate(&srv);
	cert_key_generate(&alice);
	cert_key_generate(&bob);
	write_key(a, "alice", &alice);
	write_key(b, "alice", &alice);
	write_key(b, "bob", &bob);

	ctx = zmq_ctx_new();
	zap = zap_new(ctx, "unit_zap", err, sizeof err);
	ok(zap != NULL, "the ZAP handler binds");
	ok(zap_new(ctx, "second", err, sizeof err) == NULL &&
	    strstr(err, "cannot bind the ZAP handler") != NULL,
	    "a second one in the same context cannot");
	ok(zap_allow_dir(zap, a) == 1, "allow_dir with one key");
	server = zmq_socket(ctx, ZMQ_REP);
	zmq_setsockopt(server, ZMQ_CURVE_SERVER, &(int){ 1 }, sizeof(int));
	zmq_setsockopt(server, ZMQ_CURVE_SECRETKEY, srv.secret_txt, CERT_Z85_LEN);
	zmq_bind(server, "tcp://127.0.0.1:*");
	zmq_getsockopt(server, ZMQ_LAST_ENDPOINT, endpoint, &len);

	ok(admitted(&alice, 3000), "an allowed key gets a reply");
	ok(refused(&bob, 3000), "another key is refused, and the client "
	    "is told so (HANDSHAKE_FAILED_AUTH)");
	test_refusals_logged_once(dir);

	snprintf(cmd, sizeof cmd, "%s/bad.key", b);
	close(open(cmd, O_WRONLY | O_CREAT, 0644));
	ok(zap_allow_dir(zap, b) == -1 && admitted(&alice, 3000) &&
	    refused(&bob, 3000), "a bad key file: the list stays as it was");
	unlink(cmd);
	ok(zap_allow_dir(zap, b) == 2 && admitted(&bob, 3000),
	    "a reload of allow_dir admits the new key");
	zap_allow_any(zap);
	ok(admitted(&srv, 3000), "allow_any admits any key");
	ok(zap_dir_check(a, NULL, NULL) == 1 &&
	    zap_dir_check("/nonexistent", NULL, NULL) == -1,
	    "zap_dir_check counts keys");
	test_malformed();
	test_serve_left();

	zmq_close(server);
	zap_free(&zap);
	ok(zap == NULL, "zap_free clears the pointer");
	zmq_ctx_term(ctx);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", dir);
	return tap_done();
}
