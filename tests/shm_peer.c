/* shm_peer.c: a test peer for fake-worker's shared-memory transport.
 *
 *   shm_peer [-m shm|inline|bad|hang] [-k KIND] [-w W] [-H H] [-c C]
 *            [-n WINDOW] [-f FRAMES] [-s SEED] ENDPOINT
 *
 * Sends frames (deterministic for a seed) to the worker at ENDPOINT, one
 * request at a time, either in the message (inline) or through a ring it
 * creates (shm), and prints one line per reply: the frame, dtype, shape and
 * a digest of the output, wherever it came back, so the outputs of the two
 * paths can be compared. Classification outputs are random: their sum is
 * checked instead. "bad" sends malformed shared-memory requests, each of
 * which must get an error reply, then a good one; "hang" sends a request
 * and waits to be killed; "truncate" cuts the ring short under the worker
 * after a first request: the worker must answer the next two (the first
 * on zeros, the second with an error) and live. "lane" is shm with a lane
 * (doc/shm.md): the first request goes over ZeroMQ, the others through the
 * lane's pipes; "lanebad" then writes malformed messages into the lane and
 * sends bad requests through it: each bad request must get its error
 * through the lane, the malformed messages nothing, and a good request
 * must still work. Ends with the round trip and the overhead (round trip -
 * the worker's service time) percentiles on stderr.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "clock.h"
#include "lane.h"
#include "log.h"
#include "shm.h"
#include "shm_reap.h"
#include "shm_ring.h"
#include "wire.h"

struct peer {
	const char *mode, *kind;
	long	 w, h, c, window, frames;
	uint64_t seed, fb;
	void	*ctx, *sock;
	struct shm_ring *ring;
	unsigned char *win;	/* inline: the window, contiguous */
	double	*rtt, *ovh;
	long	 n;
	int	 lane_req, lane_rep;	/* lane 0, -1 none; req once open */
};

static void
fill_frame(unsigned char *p, uint64_t len, uint64_t seed, long f)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + (uint64_t)f + 1, i;

	for (i = 0; i < len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, len - i < 8 ? len - i : 8);
	}
}

static uint64_t
digest(const unsigned char *p, uint64_t len)
{
	uint64_t h = 0xcbf29ce484222325ull, i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void
peer_send(struct peer *p, const char *hdr, const void *data, size_t len)
{
	if (zmq_send(p->sock, "", 0, ZMQ_SNDMORE) == -1 ||
	    zmq_send(p->sock, hdr, strlen(hdr), ZMQ_SNDMORE) == -1 ||
	    zmq_send(p->sock, data, len, 0) == -1)
		fatalx("send: %s", zmq_strerror(errno));
}

/* The reply's header and payload; exits when none comes in 5 s. */
static void
peer_recv(struct peer *p, struct wire_header *h, char *hdr, zmq_msg_t *pay)
{
	zmq_pollitem_t it = { p->sock, 0, ZMQ_POLLIN, 0 };
	char err[WIRE_ERRLEN];
	int n;

	if (zmq_poll(&it, 1, 5000) != 1)
		fatalx("no reply in 5 s");
	if (zmq_recv(p->sock, hdr, 8, 0) != 0 ||	/* the delimiter */
	    (n = zmq_recv(p->sock, hdr, WIRE_HDRMAX - 1, 0)) < 0)
		fatalx("recv: %s", zmq_strerror(errno));
	hdr[n < WIRE_HDRMAX ? n : WIRE_HDRMAX - 1] = '\0';
	zmq_msg_init(pay);
	if (zmq_msg_recv(pay, p->sock, 0) == -1)
		fatalx("recv payload: %s", zmq_strerror(errno));
	if (wire_header_parse(hdr, strlen(hdr), h, err, sizeof(err)) == -1)
		fatalx("reply header: %s: %s", err, hdr);
}

/* Through the lane: once the worker has opened it (after a first request
 * over ZeroMQ). 1 when sent there. */
static int
peer_lane_send(struct peer *p, const char *hdr)
{
	if (p->lane_rep == -1)
		return 0;
	if (p->lane_req == -1 &&
	    (p->lane_req = lane_open_req(shm_ring_name(p->ring), 0)) == -1)
		return 0;
	if (lane_send(p->lane_req, hdr, strlen(hdr), NULL, 0) == -1)
		fatal("lane send");
	return 1;
}

static void
peer_lane_recv(struct peer *p, struct wire_header *h, char *hdr,
    zmq_msg_t *pay)
{
	struct pollfd pfd = { .fd = p->lane_rep, .events = POLLIN };
	unsigned char buf[LANE_MSG_MAX];
	char err[256];
	size_t hlen, plen;

	if (poll(&pfd, 1, 5000) != 1)
		fatalx("no reply in the lane in 5 s");
	if (lane_recv(p->lane_rep, buf, sizeof(buf), &hlen, &plen, err,
	    sizeof(err)) != 1 || hlen >= WIRE_HDRMAX)
		fatalx("lane reply: %s", err);
	memcpy(hdr, buf, hlen);
	hdr[hlen] = '\0';
	if (zmq_msg_init_size(pay, plen) == -1)
		fatal("zmq_msg_init_size");
	memcpy(zmq_msg_data(pay), buf + hlen, plen);
	if (wire_header_parse(hdr, hlen, h, err, sizeof(err)) == -1)
		fatalx("lane reply header: %s: %s", err, hdr);
}

static void
peer_shape(const struct peer *p, int with_k, uint64_t *shape, int *n)
{
	*n = 0;
	if (with_k)
		shape[(*n)++] = (uint64_t)p->window;
	shape[(*n)++] = (uint64_t)p->h;
	shape[(*n)++] = (uint64_t)p->w;
	shape[(*n)++] = (uint64_t)p->c;
}

/* The request header for the window ending with frame f; a malformed
 * "shm" member (shm_extra, raw JSON) goes in as it is. */
static void
peer_header(struct peer *p, long f, int32_t out, const char *shm_extra,
    char *hdr)
{
	struct wire_header q;
	uint64_t shape[4];
	int n, nd;

	peer_shape(p, p->window > 1, shape, &nd);
	wire_header_init(&q);
	wire_header_array(&q, "uint8", shape, nd);
	q.has_frame = 1;
	q.frame = f;
	if (p->ring != NULL && shm_extra == NULL) {
		q.has_shm = 1;
		snprintf(q.shm.ring, sizeof(q.shm.ring), "%s",
		    shm_ring_name(p->ring));
		q.shm.gen = shm_ring_hdr(p->ring)->gen;
		q.shm.slot = (uint32_t)((f - p->window + 1) %
		    shm_ring_hdr(p->ring)->nslots);
		q.shm.count = (uint32_t)p->window;
		q.shm.out = out;
		q.shm.lane = p->lane_rep != -1 ? 0 : -1;
	}
	if ((n = wire_header_write(hdr, WIRE_HDRMAX, &q)) == -1)
		fatalx("header too long");
	if (shm_extra != NULL && snprintf(hdr + n - 1, WIRE_HDRMAX + 1 -
	    (size_t)n, ",%s}", shm_extra) > WIRE_HDRMAX - n)
		fatalx("header too long");
}

/* Print one reply; returns 0, or -1 for an error reply. */
static int
peer_report(struct peer *p, long f, const struct wire_header *h,
    const char *hdr, zmq_msg_t *pay)
{
	const unsigned char *out = zmq_msg_data(pay);
	const char *via = "inline";
	double sum = 0, x;
	uint64_t i;

	if (h->is_error) {
		printf("frame %ld error %s\n", f, h->err);
		return -1;
	}
	if (h->shm_out >= 0) {
		if (p->ring == NULL || zmq_msg_size(pay) != 0 ||
		    (out = shm_ring_out(p->ring, (uint32_t)h->shm_out)) == NULL ||
		    h->nbytes > shm_ring_hdr(p->ring)->out_stride)
			fatalx("bad shm_out reply: %s", hdr);
		via = "shm";
	} else if (wire_payload_check(h, zmq_msg_size(pay), NULL, 0) == -1)
		fatalx("payload does not match: %s", hdr);
	printf("frame %ld %s", f, h->dtype.name);
	for (i = 0; i < (uint64_t)h->ndim; i++)
		printf("%s%" PRIu64, i ? "," : " [", h->shape[i]);
	if (strcmp(p->kind, "classification") == 0) {
		for (i = 0; i < h->nbytes / 8; i++) {
			memcpy(&x, out + i * 8, 8);	/* may be unaligned */
			sum += x;
		}
		printf("] sum %s\n", fabs(sum - 1) < 1e-9 ? "1" : "WRONG");
	} else
		printf("] %016" PRIx64 "\n", digest(out, h->nbytes));
	fprintf(stderr, "frame %ld via %s\n", f, via);
	return 0;
}

static int
peer_one(struct peer *p, long f, int32_t out, const char *shm_extra)
{
	char hdr[WIRE_HDRMAX], rhdr[WIRE_HDRMAX];
	struct wire_header h;
	zmq_msg_t pay;
	uint64_t t0, len = (uint64_t)p->window * p->fb;
	const void *data = p->win;
	long i;
	int rc;

	peer_header(p, f, out, shm_extra, hdr);
	if (p->ring != NULL)
		len = 0, data = "";
	else
		for (i = 0; i < p->window; i++)
			fill_frame(p->win + (uint64_t)i * p->fb, p->fb, p->seed,
			    f - p->window + 1 + i);
	t0 = clock_now_ns();
	if (peer_lane_send(p, hdr)) {
		peer_lane_recv(p, &h, rhdr, &pay);
		fprintf(stderr, "frame %ld by lane\n", f);
	} else {
		peer_send(p, hdr, data, len);
		peer_recv(p, &h, rhdr, &pay);
	}
	p->rtt[p->n] = (double)(clock_now_ns() - t0) / 1e3;
	p->ovh[p->n] = h.service_us >= 0 ? p->rtt[p->n] - h.service_us : 0;
	p->n++;
	rc = peer_report(p, f, &h, rhdr, &pay);
	zmq_msg_close(&pay);
	return rc;
}

/* Each must get an error reply; then a good request must still work. */
static int
peer_bad(struct peer *p)
{
	static const char *bad[] = {
		"\"shm\":{\"ring\":\"/fake-servers-0-0-0\",\"gen\":1,\"slot\":0}",
		"\"shm\":{\"ring\":\"/etc/passwd\",\"gen\":1,\"slot\":0}",
		"\"shm\":{\"ring\":\"RING\",\"gen\":GEN,\"slot\":999999}",
		"\"shm\":{\"ring\":\"RING\",\"gen\":GEN,\"slot\":-1}",
		"\"shm\":{\"ring\":\"RING\",\"gen\":GEN,\"slot\":0,\"count\":0}",
		"\"shm\":{\"ring\":\"RING\",\"gen\":GEN,\"slot\":0,\"count\":100000}",
		"\"shm\":{\"ring\":\"RING\",\"gen\":GEN,\"slot\":0,\"out\":99999}",
		"\"shm\":{\"ring\":\"RING\",\"gen\":1,\"slot\":0}",
		"\"shm\":{\"ring\":\"RING\",\"slot\":0}",
		"\"shm\":[]",
	};
	char s[256], gen[32];
	const char *src;
	size_t i, o;
	int bad_ok = 0;

	snprintf(gen, sizeof(gen), "%" PRIu64, shm_ring_hdr(p->ring)->gen);
	for (i = 0; i < FS_NELEM(bad); i++) {
		for (src = bad[i], o = 0; *src && o < sizeof(s) - 64;)
			if (strncmp(src, "RING", 4) == 0)
				o += (size_t)snprintf(s + o, sizeof(s) - o, "%s",
				    shm_ring_name(p->ring)), src += 4;
			else if (strncmp(src, "GEN", 3) == 0)
				o += (size_t)snprintf(s + o, sizeof(s) - o, "%s",
				    gen), src += 3;
			else
				s[o++] = *src++;
		s[o] = '\0';
		/* Through a lane: naming it, so that the ring's own checks
		 * answer. */
		if (p->lane_rep != -1 && o > 0 && s[o - 1] == '}')
			snprintf(s + o - 1, sizeof(s) - o + 1, ",\"lane\":0}");
		if (peer_one(p, p->window - 1, -1, s) == -1)
			bad_ok++;
	}
	printf("%d of %zu bad requests refused\n", bad_ok, FS_NELEM(bad));
	return bad_ok == (int)FS_NELEM(bad) &&
	    peer_one(p, p->window - 1, 0, NULL) == 0 ? 0 : 1;
}

/* Error replies waiting in the lane after 200 ms; -1 for anything else. */
static int
peer_lane_errors(struct peer *p)
{
	struct pollfd pfd = { .fd = p->lane_rep, .events = POLLIN };
	struct wire_header h;
	char hdr[WIRE_HDRMAX];
	zmq_msg_t pay;
	int n = 0;

	usleep(200000);
	while (poll(&pfd, 1, 0) == 1) {
		peer_lane_recv(p, &h, hdr, &pay);
		zmq_msg_close(&pay);
		if (!h.is_error)
			return -1;
		printf("lane error: %s\n", h.err);
		n++;
	}
	return n;
}

/* Through the lane: messages that are not requests of it get error
 * replies there, malformed ones nothing (the worker logs them), bad
 * requests their errors; then a good one must still work. */
static int
peer_lanebad(struct peer *p)
{
	static const uint32_t lens[][2] = { { 0, 0 }, { 100000, 0 },
	    { 10, 5000 } };
	char hdr[WIRE_HDRMAX];
	size_t i;
	int n;

	if (peer_one(p, p->window - 1, 0, NULL) == -1 || p->lane_req != -1 ||
	    !peer_lane_send(p, "{}"))	/* opens it; "{}" is not a request */
		return 1;
	peer_header(p, p->window - 1, -1, NULL, hdr);
	memcpy(strstr(hdr, "\"lane\":0"), "\"lane\":1", 8);
	if (lane_send(p->lane_req, hdr, strlen(hdr), NULL, 0) == -1)
		fatal("lane send");
	peer_header(p, p->window - 1, -1, "\"shm\":{\"ring\":\"/fake-servers-0-1-2"
	    "\",\"gen\":1,\"slot\":0,\"lane\":0}", hdr);
	if (lane_send(p->lane_req, hdr, strlen(hdr), NULL, 0) == -1)
		fatal("lane send");
	if ((n = peer_lane_errors(p)) != 3) {
		printf("%d error replies to 3 requests of other lanes\n", n);
		return 1;
	}
	for (i = 0; i < FS_NELEM(lens); i++)
		if (write(p->lane_req, lens[i], sizeof(lens[i])) !=
		    (ssize_t)sizeof(lens[i]))
			fatal("write");
	if ((n = peer_lane_errors(p)) != 0) {
		printf("%d replies to malformed lane messages\n", n);
		return 1;
	}
	printf("bad requests through the lane:\n");
	return peer_bad(p);
}

static int
peer_truncate(struct peer *p)
{
	int fd, rc;

	if (peer_one(p, p->window - 1, 0, NULL) == -1)
		return 1;
	if ((fd = shm_open(shm_ring_name(p->ring), O_RDWR, 0)) == -1 ||
	    ftruncate(fd, 4096) == -1)
		fatal("truncate %s", shm_ring_name(p->ring));
	close(fd);
	rc = peer_one(p, p->window, -1, NULL);
	printf("after the truncation: %s\n", rc == 0 ? "a reply" : "an error");
	return peer_one(p, p->window, -1, NULL) == -1 ? 0 : 1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
peer_stats(struct peer *p)
{
	if (p->n == 0)
		return;
	qsort(p->rtt, (size_t)p->n, sizeof(double), cmp_double);
	qsort(p->ovh, (size_t)p->n, sizeof(double), cmp_double);
	fprintf(stderr, "%ld round trips: p50 %.1f us p99 %.1f us; overhead "
	    "p50 %.1f us p99 %.1f us\n", p->n, p->rtt[p->n / 2],
	    p->rtt[p->n * 99 / 100], p->ovh[p->n / 2], p->ovh[p->n * 99 / 100]);
}

static void
peer_ring(struct peer *p)
{
	struct shm_geom g;
	char err[256], path[SHM_NAME_MAX + 16];
	struct group *gr;
	struct stat st;
	long f;

	memset(&g, 0, sizeof(g));
	snprintf(g.dtype, sizeof(g.dtype), "uint8");
	g.ndim = 3;
	g.shape[0] = (uint64_t)p->h;
	g.shape[1] = (uint64_t)p->w;
	g.shape[2] = (uint64_t)p->c;
	g.frame_bytes = p->fb;
	g.need_slots = (uint32_t)p->window + 2;
	g.max_window = (uint32_t)p->window;
	g.nout = 2;
	g.out_bytes = (uint64_t)(p->w * p->h) * 8 > p->fb * (uint64_t)p->window ?
	    (uint64_t)(p->w * p->h) * 8 : p->fb * (uint64_t)p->window;
	shm_reap_stale(NULL);
	if ((p->ring = shm_ring_create(&g, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	for (f = 0; f < (long)shm_ring_hdr(p->ring)->nslots; f++)
		fill_frame(shm_ring_slot(p->ring, (uint32_t)f), p->fb, p->seed, f);
	snprintf(path, sizeof(path), "/dev/shm%s", shm_ring_name(p->ring));
	if (stat(path, &st) == 0 && (gr = getgrgid(st.st_gid)) != NULL)
		fprintf(stderr, "ring %s mode %o group %s\n",
		    shm_ring_name(p->ring), (unsigned)st.st_mode & 0777,
		    gr->gr_name);
	else
		fprintf(stderr, "ring %s\n", shm_ring_name(p->ring));
}

static void
peer_open(struct peer *p, const char *endpoint)
{
	int zero = 0;

	if ((p->ctx = zmq_ctx_new()) == NULL ||
	    (p->sock = zmq_socket(p->ctx, ZMQ_DEALER)) == NULL ||
	    zmq_setsockopt(p->sock, ZMQ_LINGER, &zero, sizeof(zero)) == -1 ||
	    zmq_connect(p->sock, endpoint) == -1)
		fatalx("%s: %s", endpoint, zmq_strerror(errno));
}

int
main(int argc, char **argv)
{
	struct peer p = { "inline", "segmentation", 64, 48, 3, 1, 8, 1, 0,
	    NULL, NULL, NULL, NULL, NULL, NULL, 0, -1, -1 };
	long f;
	int ch, rc = 0;

	log_init("shm_peer", LOG_LVL_NORMAL);
	while ((ch = getopt(argc, argv, "m:k:w:H:c:n:f:s:")) != -1)
		switch (ch) {
		case 'm': p.mode = optarg; break;
		case 'k': p.kind = optarg; break;
		case 'w': p.w = atol(optarg); break;
		case 'H': p.h = atol(optarg); break;
		case 'c': p.c = atol(optarg); break;
		case 'n': p.window = atol(optarg); break;
		case 'f': p.frames = atol(optarg); break;
		case 's': p.seed = strtoull(optarg, NULL, 10); break;
		default: return 64;
		}
	if (optind + 1 != argc || p.w < 1 || p.h < 1 || p.c < 1 ||
	    p.window < 1 || p.frames < p.window) {
		fprintf(stderr, "usage: shm_peer [-m shm|inline|bad|hang] [-k KIND] "
		    "[-w W] [-H H] [-c C] [-n WINDOW] [-f FRAMES] [-s SEED] "
		    "ENDPOINT\n");
		return 64;
	}
	p.fb = (uint64_t)(p.w * p.h * p.c);
	if ((p.rtt = calloc((size_t)p.frames + 16, sizeof(double))) == NULL ||
	    (p.ovh = calloc((size_t)p.frames + 16, sizeof(double))) == NULL ||
	    (p.win = malloc(p.fb * (uint64_t)p.window)) == NULL)
		fatal("malloc");
	peer_open(&p, argv[optind]);
	if (strcmp(p.mode, "inline") != 0)
		peer_ring(&p);
	if (strncmp(p.mode, "lane", 4) == 0 &&
	    lane_create(shm_ring_name(p.ring), 0, &p.lane_rep, NULL, 0) == -1)
		fatal("lane_create");
	if (strcmp(p.mode, "lanebad") == 0)
		rc = peer_lanebad(&p);
	else if (strcmp(p.mode, "bad") == 0)
		rc = peer_bad(&p);
	else if (strcmp(p.mode, "truncate") == 0)
		rc = peer_truncate(&p);
	else if (strcmp(p.mode, "hang") == 0) {
		peer_one(&p, p.window - 1, 0, NULL);
		fflush(stdout);
		for (;;)
			pause();
	} else
		for (f = p.window - 1; f < p.frames; f++) {
			if (p.ring != NULL)	/* the frame goes in once */
				fill_frame(shm_ring_slot(p.ring, (uint32_t)(f %
				    shm_ring_hdr(p.ring)->nslots)), p.fb, p.seed, f);
			if (peer_one(&p, f, 0, NULL) == -1)
				rc = 1;
		}
	peer_stats(&p);
	zmq_close(p.sock);
	zmq_ctx_term(p.ctx);
	if (p.lane_rep != -1)
		lane_unlink(shm_ring_name(p.ring), 0);
	shm_ring_free(&p.ring);
	free(p.win);
	free(p.rtt);
	free(p.ovh);
	return rc;
}
