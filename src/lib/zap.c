/* zap.c: the ZAP handler of a process with CURVE server sockets.
 *
 * libzmq asks it, over an inproc REP socket, whether to admit each CURVE
 * client once the client has proven it holds the secret of the public key
 * it presents; the answer comes from a sorted list of allowed keys. It is
 * served from the owner's poll loop, like every other socket there.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "cert.h"
#include "clock.h"
#include "log.h"
#include "z85.h"
#include "zap.h"
#include "zap_dir.h"

#define ZAP_FRAMES	8		/* a CURVE request has 7 */
#define ZAP_SEEN	64		/* refused keys remembered */
#define ZAP_QUIET_NS	(60 * 1000000000ull)
#define ZAP_BURST	10		/* refusal lines a minute, all keys */

struct zap_seen {
	uint8_t		key[CERT_KEY_LEN];
	uint64_t	at;		/* last logged, 0 never */
};

struct zap {
	const char	*name;
	void		*sock;
	int		 any;
	char		 dir[512];
	struct zap_dir_key *keys;
	size_t		 nkeys;
	struct zap_seen	 seen[ZAP_SEEN];
	uint64_t	 window;	/* start of the current minute */
	unsigned	 lines;		/* refusal lines in it */
	unsigned	 unlogged;	/* refusals since the last line */
	struct zap_stats stats;
};

/* A problem with the allow list, for the log. */
static void
zap_log_bad(void *arg, const char *why)
{
	const struct zap *z = arg;

	log_warnx("%s: allow_dir %s", z->name, why);
}

int
zap_allow_dir(struct zap *z, const char *dir)
{
	struct zap_dir_key *keys;
	size_t n;

	if (zap_dir_read(dir, &keys, &n, zap_log_bad, z) == -1) {
		if (z->any)
			log_warnx("%s: allow_dir %s is not read: any key is "
			    "still admitted", z->name, dir);
		else if (z->dir[0] != '\0')
			log_warnx("%s: allow_dir %s is not read: the %zu keys "
			    "read before are still admitted", z->name, dir,
			    z->nkeys);
		else
			log_warnx("%s: allow_dir %s is not read: no client is "
			    "admitted", z->name, dir);
		return -1;
	}
	free(z->keys);
	z->keys = keys;
	z->nkeys = n;
	z->any = 0;
	snprintf(z->dir, sizeof z->dir, "%s", dir);
	if (n == 0)
		log_warnx("%s: allow_dir %s has no *.key file: every client "
		    "is refused", z->name, dir);
	else
		log_info("%s: allow_dir %s: %zu client keys", z->name, dir, n);
	return (int)n;
}

void
zap_allow_any(struct zap *z)
{
	free(z->keys);
	z->keys = NULL;
	z->nkeys = 0;
	z->any = 1;
}

/* Log this refusal? Once a minute per key, ZAP_BURST lines a minute in
 * all, so that a client trying many keys cannot flood the log. */
static int
zap_should_log(struct zap *z, const uint8_t *key, uint64_t now)
{
	struct zap_seen *s = NULL, *oldest = &z->seen[0];
	size_t i;

	if (now - z->window >= ZAP_QUIET_NS) {
		z->window = now;
		z->lines = 0;
	}
	for (i = 0; i < ZAP_SEEN && s == NULL; i++) {
		if (z->seen[i].at != 0 && memcmp(z->seen[i].key, key,
		    CERT_KEY_LEN) == 0)
			s = &z->seen[i];
		else if (z->seen[i].at < oldest->at)
			oldest = &z->seen[i];
	}
	if ((s != NULL && now - s->at < ZAP_QUIET_NS) || z->lines >= ZAP_BURST)
		return 0;
	if (s == NULL)
		s = oldest;
	memcpy(s->key, key, CERT_KEY_LEN);
	s->at = now;
	z->lines++;
	return 1;
}

/* A frame as printable text, for a log line. */
static void
zap_frame_text(zmq_msg_t *m, char *buf, size_t len)
{
	const unsigned char *d = zmq_msg_data(m);
	size_t i, n = zmq_msg_size(m);

	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++)
		buf[i] = d[i] >= 0x20 && d[i] < 0x7f ? (char)d[i] : '?';
	buf[n] = '\0';
}

static void
zap_refused(struct zap *z, const uint8_t *key, zmq_msg_t *addr)
{
	char txt[CERT_Z85_LEN + 1], from[64];

	z->stats.refused++;
	if (!zap_should_log(z, key, clock_now_ns())) {
		z->unlogged++;
		return;
	}
	z85_encode(txt, key, CERT_KEY_LEN);
	zap_frame_text(addr, from, sizeof from);
	if (z->unlogged > 0)
		log_warnx("%s: refused client key %.8s... from %s: not in "
		    "allow_dir %s (and %u refusals not logged before it)",
		    z->name, txt, from[0] ? from : "?", z->dir, z->unlogged);
	else
		log_warnx("%s: refused client key %.8s... from %s: not in "
		    "allow_dir %s", z->name, txt, from[0] ? from : "?", z->dir);
	z->unlogged = 0;
}

static int
zap_frame_is(zmq_msg_t *m, const char *s)
{
	return zmq_msg_size(m) == strlen(s) &&
	    memcmp(zmq_msg_data(m), s, strlen(s)) == 0;
}

/* The verdict on a request of n frames: status code, text, user id. */
static void
zap_judge(struct zap *z, zmq_msg_t *f, int n, const char **code,
    const char **text, const char **user)
{
	const struct zap_dir_key *k = NULL;
	const uint8_t *key;

	*code = "400", *text = "No access", *user = "";
	if (n < 6 || !zap_frame_is(&f[0], "1.0")) {
		*code = "500", *text = "Malformed ZAP request";
		z->stats.malformed++;
		return;
	}
	if (!zap_frame_is(&f[5], "CURVE")) {
		*text = "Only CURVE clients are admitted";
		z->stats.refused++;
		return;
	}
	if (n != 7 || zmq_msg_size(&f[6]) != CERT_KEY_LEN) {
		*code = "500", *text = "Malformed CURVE credentials";
		z->stats.malformed++;
		return;
	}
	key = zmq_msg_data(&f[6]);
	if (!z->any && (z->nkeys == 0 || (k = bsearch(key, z->keys, z->nkeys,
	    sizeof *z->keys, zap_dir_key_cmp)) == NULL)) {
		zap_refused(z, key, &f[3]);
		return;
	}
	*code = "200", *text = "OK", *user = k != NULL ? k->name : "";
	z->stats.admitted++;
	log_debug("%s: admitted client %s", z->name, k != NULL ? k->name :
	    "(any key)");
}

/* Receive one request into f: its number of frames (more than ZAP_FRAMES
 * are received and dropped), 0 when none waits, -1 on error. */
static int
zap_recv(const struct zap *z, zmq_msg_t *f)
{
	zmq_msg_t extra, *m;
	int n = 0, more = 1;

	while (more) {
		m = n < ZAP_FRAMES ? &f[n] : &extra;
		zmq_msg_init(m);
		if (zmq_msg_recv(m, z->sock, ZMQ_DONTWAIT) == -1) {
			zmq_msg_close(m);
			if (n == 0 && errno == EAGAIN)
				return 0;
			log_warnx("%s: ZAP handler: cannot receive: %s",
			    z->name, zmq_strerror(errno));
			return n > 0 ? n : -1;
		}
		more = zmq_msg_more(m);
		if (m == &extra)
			zmq_msg_close(m);
		n++;
	}
	return n;
}

static int
zap_send(void *sock, const void *data, size_t len, int more)
{
	return zmq_send(sock, data, len, ZMQ_DONTWAIT | (more ? ZMQ_SNDMORE :
	    0));
}

/* The reply: version, request id, status code and text, user id,
 * metadata. */
static void
zap_reply(struct zap *z, zmq_msg_t *f, int n)
{
	const char *code, *text, *user;

	zap_judge(z, f, n, &code, &text, &user);
	if (zap_send(z->sock, "1.0", 3, 1) == -1 ||
	    zap_send(z->sock, n > 1 ? zmq_msg_data(&f[1]) : "",
	    n > 1 ? zmq_msg_size(&f[1]) : 0, 1) == -1 ||
	    zap_send(z->sock, code, strlen(code), 1) == -1 ||
	    zap_send(z->sock, text, strlen(text), 1) == -1 ||
	    zap_send(z->sock, user, strlen(user), 1) == -1 ||
	    zap_send(z->sock, "", 0, 0) == -1)
		log_warnx("%s: ZAP handler: cannot reply: %s", z->name,
		    zmq_strerror(errno));
}

int
zap_serve(struct zap *z)
{
	zmq_msg_t f[ZAP_FRAMES];
	int i, n, batch;

	for (batch = 0; batch < ZAP_BATCH; batch++) {
		/* Nothing, or a failure (logged): ZMQ_FD signals what next. */
		if ((n = zap_recv(z, f)) <= 0)
			return 0;
		zap_reply(z, f, n);
		for (i = 0; i < n && i < ZAP_FRAMES; i++)
			zmq_msg_close(&f[i]);
	}
	return 1;
}

struct zap *
zap_new(void *zctx, const char *name, char *err, size_t errlen)
{
	struct zap *z;
	int linger = 0;

	if ((z = calloc(1, sizeof *z)) == NULL) {
		snprintf(err, errlen, "ZAP handler: %s", strerror(errno));
		return NULL;
	}
	z->name = name;
	if ((z->sock = zmq_socket(zctx, ZMQ_REP)) == NULL ||
	    zmq_setsockopt(z->sock, ZMQ_LINGER, &linger, sizeof linger) == -1 ||
	    zmq_bind(z->sock, ZAP_ENDPOINT) == -1) {
		snprintf(err, errlen, "cannot bind the ZAP handler at %s: %s",
		    ZAP_ENDPOINT, zmq_strerror(errno));
		zap_free(&z);
		return NULL;
	}
	return z;
}

void
zap_free(struct zap **zp)
{
	struct zap *z = *zp;

	if (z == NULL)
		return;
	if (z->sock != NULL)
		zmq_close(z->sock);
	free(z->keys);
	free(z);
	*zp = NULL;
}

void *
zap_socket(const struct zap *z)
{
	return z->sock;
}

void
zap_get_stats(const struct zap *z, struct zap_stats *s)
{
	*s = z->stats;
}
