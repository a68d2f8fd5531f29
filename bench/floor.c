/* floor.c: the machine's floor for what fake-servers does, in raw libzmq.
 *
 * No JSON, no protocol, no supervisor. "floor scatter" forks one peer per
 * PEER argument; each binds a ROUTER and replies to every request with a
 * buffer of the given size after the given cost (waited accurately). The
 * client sends each evaluation's bytes to every peer over its own DEALER,
 * zero-copy from one constant buffer, and waits for all the replies: the
 * same bytes moved the same way as fake-client and fake-worker move them.
 * With -C every peer is a CURVE server and the client a CURVE client: the
 * floor of encrypting those bytes (libzmq and libsodium, no ZAP handler),
 * with the allocator kept from returning libzmq's per-message buffers to
 * the kernel as fake-servers' programs keep it (heap_keep): without
 * that, the machine's floor would be its page faults.
 * "floor memcpy" times copying a buffer, "floor wait" the error of that
 * accurate wait at a cost, "floor spawn" starting processes that load
 * libzmq and bind a socket. Figures are printed as one JSON object on
 * stdout for bench/run; our overhead is quoted as a ratio to it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zmq.h>

#include "cert.h"
#include "clock.h"
#include "compat.h"
#include "exitcode.h"
#include "heap.h"
#include "log.h"

#define FLOOR_MAXPEERS	64
#define FLOOR_MAXFLIGHT	256
#define FLOOR_SPIN_NS	200000ull	/* sleep to deadline - this, then spin */

struct peer {
	size_t	 req;		/* bytes sent to it per evaluation */
	size_t	 rep;		/* bytes it replies with */
	uint64_t cost_ns;	/* simulated processing time */
	pid_t	 pid;
	char	 endpoint[256];
	void	*sock;		/* our DEALER */
	int	 head;		/* oldest evaluation it owes a reply for */
};

struct flight {
	uint64_t sent_ns;
	int	 left;		/* replies still to come */
	int	 seq;
};

struct opts {
	const char *transport;
	int	 samples;
	int	 warmup;
	int	 in_flight;
	double	 fps;
	int	 io_threads;
	const char *raw;
	uint64_t gap_ns;	/* wait: idle time between samples */
	int	 curve;		/* scatter: CURVE security */
};

/* scatter -C: the peers' key pair and the client's, made before the fork. */
static struct {
	char	srv_pub[41], srv_sec[41], cl_pub[41], cl_sec[41];
} floor_keys;

static void FS_DEAD
usage(void)
{
	fprintf(stderr,
	    "usage: floor scatter [-C] [-t tcp|ipc] [-n samples] [-w warmup] "
	    "[-k in-flight] [-f fps]\n"
	    "                     [-i io-threads] [-r rawfile] "
	    "REQ[:REPLY[:COST_US]]...\n"
	    "       floor memcpy [-n samples] BYTES\n"
	    "       floor wait [-n samples] [-g gap-us] COST_US\n"
	    "       floor spawn [-n samples] CHILDREN\n");
	exit(FS_EXIT_USAGE);
}

static size_t
parse_size(const char *s, char **end)
{
	unsigned long long v;

	errno = 0;
	v = strtoull(s, end, 10);
	if (errno != 0 || *end == s)
		fatalx("'%s' is not a byte count", s);
	return (size_t)v;
}

static void
parse_peer(const char *arg, struct peer *p)
{
	char *end;

	memset(p, 0, sizeof(*p));
	p->req = parse_size(arg, &end);
	p->rep = p->req;
	if (*end == ':')
		p->rep = parse_size(end + 1, &end);
	if (*end == ':')
		p->cost_ns = (uint64_t)(strtod(end + 1, &end) * 1000.0);
	if (*end != '\0' || p->req == 0)
		fatalx("bad peer '%s': want REQ[:REPLY[:COST_US]], REQ > 0", arg);
}

static void *
buf_new(size_t n)
{
	unsigned char *b;
	size_t i;

	if ((b = malloc(n ? n : 1)) == NULL)
		fatal("malloc %zu", n);
	for (i = 0; i < n; i++)	/* touch every page, and not all zeroes */
		b[i] = (unsigned char)(i * 131u + 7u);
	return b;
}

/* Sleep to just before the deadline, then spin: the only accurate wait. */
static void
wait_until(uint64_t deadline)
{
	struct timespec ts;
	uint64_t now = clock_now_ns();

	if (deadline > now + FLOOR_SPIN_NS) {
		ts = clock_ts(deadline - FLOOR_SPIN_NS);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
		    NULL) == EINTR)
			;
	}
	while (clock_now_ns() < deadline)
		;
}

static void
send_buf(void *sock, void *buf, size_t n, int flags)
{
	zmq_msg_t m;

	/* No free function: a constant message, sent without a copy. */
	if (zmq_msg_init_data(&m, buf, n, NULL, NULL) == -1)
		fatalx("zmq_msg_init_data: %s", zmq_strerror(errno));
	if (zmq_msg_send(&m, sock, flags) == -1)
		fatalx("zmq_msg_send: %s", zmq_strerror(errno));
}

static double
cpu_us(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* This process's resident set in kB (VmRSS), -1 if unknown. */
static long
rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* A peer: reply to each request after its cost. A 0-byte request ends it:
 * the answer is "RSS_KB CPU_US REQUESTS" as text, the CPU counted from
 * the first request. */
static void FS_DEAD
peer_run(struct peer *p, const char *bindto, int fd)
{
	void *ctx, *sock, *reply;
	zmq_msg_t id, req;
	uint64_t t;
	size_t len, n;
	char rss[64];
	double cpu0 = 0;
	long nreq = 0;
	int quit;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_TIMERSLACK, 1UL);
	reply = buf_new(p->rep);
	ctx = zmq_ctx_new();
	sock = zmq_socket(ctx, ZMQ_ROUTER);
	if (floor_keys.srv_sec[0] != '\0' && (zmq_setsockopt(sock,
	    ZMQ_CURVE_SERVER, &(int){ 1 }, sizeof(int)) == -1 ||
	    zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, floor_keys.srv_sec, 40) == -1))
		fatalx("curve server: %s", zmq_strerror(errno));
	if (zmq_bind(sock, bindto) == -1)
		fatalx("bind %s: %s", bindto, zmq_strerror(errno));
	len = sizeof(p->endpoint);
	zmq_getsockopt(sock, ZMQ_LAST_ENDPOINT, p->endpoint, &len);
	if (write(fd, p->endpoint, strlen(p->endpoint) + 1) == -1)
		fatal("write");
	close(fd);
	zmq_msg_init(&id);
	zmq_msg_init(&req);
	for (quit = 0; !quit;) {
		if (zmq_msg_recv(&id, sock, 0) == -1 ||
		    zmq_msg_recv(&req, sock, 0) == -1)
			fatalx("peer recv: %s", zmq_strerror(errno));
		t = clock_now_ns();
		n = zmq_msg_size(&req);
		quit = n == 0;
		if (nreq == 0 && !quit)
			cpu0 = cpu_us(RUSAGE_SELF);	/* not the start-up */
		if (!quit && p->cost_ns > 0)
			wait_until(t + p->cost_ns);
		zmq_msg_send(&id, sock, ZMQ_SNDMORE);
		if (quit) {
			n = (size_t)snprintf(rss, sizeof(rss), "%ld %.0f %ld",
			    rss_kb(), cpu_us(RUSAGE_SELF) - cpu0, nreq);
			send_buf(sock, rss, n, 0);
		} else {
			send_buf(sock, reply, p->rep, 0);
			nreq++;
		}
	}
	zmq_msg_close(&req);
	zmq_close(sock);
	zmq_ctx_term(ctx);
	_exit(0);
}

static void
peer_start(struct peer *p, const char *transport, int i)
{
	char bindto[256], *tmp;
	int fds[2];
	ssize_t n;

	if (strcmp(transport, "ipc") == 0) {
		tmp = getenv("TMPDIR");
		snprintf(bindto, sizeof(bindto), "ipc://%s/fs-floor.%ld.%d",
		    tmp && *tmp ? tmp : "/tmp", (long)getpid(), i);
	} else if (strcmp(transport, "tcp") == 0)
		snprintf(bindto, sizeof(bindto), "tcp://127.0.0.1:*");
	else
		fatalx("transport '%s' is not tcp or ipc", transport);
	if (pipe(fds) == -1)
		fatal("pipe");
	fflush(NULL);
	if ((p->pid = fork()) == -1)
		fatal("fork");
	if (p->pid == 0) {
		close(fds[0]);
		peer_run(p, bindto, fds[1]);
	}
	close(fds[1]);
	n = read(fds[0], p->endpoint, sizeof(p->endpoint) - 1);
	close(fds[0]);
	if (n <= 0)
		fatalx("peer %d did not bind %s", i, bindto);
	p->endpoint[n] = '\0';
}

/* Tell each peer to stop, confirmed by its reply (its RSS and CPU), and
 * reap it. Every evaluation was answered, so the next reply is that one.
 * Returns the largest RSS; *cpu gets the peers' CPU per request. */
static long
peers_stop(struct peer *peers, int npeers, double *cpu)
{
	zmq_msg_t m;
	long kb, maxkb = -1, nreq, allreq = 0;
	double us, allus = 0;
	int i, st;
	char buf[64];

	for (i = 0; i < npeers; i++) {
		send_buf(peers[i].sock, buf, 0, 0);
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, peers[i].sock, 0) == -1)
			fatalx("peer %d: %s", i, zmq_strerror(errno));
		snprintf(buf, sizeof(buf), "%.*s", (int)zmq_msg_size(&m),
		    (const char *)zmq_msg_data(&m));
		if (sscanf(buf, "%ld %lf %ld", &kb, &us, &nreq) != 3)
			fatalx("peer %d: bad farewell '%s'", i, buf);
		maxkb = kb > maxkb ? kb : maxkb;
		allus += us;
		allreq += nreq;
		zmq_msg_close(&m);
		zmq_close(peers[i].sock);
		if (waitpid(peers[i].pid, &st, 0) == -1)
			log_warn("waitpid %ld", (long)peers[i].pid);
		if (strncmp(peers[i].endpoint, "ipc://", 6) == 0)
			unlink(peers[i].endpoint + 6);
	}
	*cpu = allreq ? allus / allreq : 0;
	return maxkb;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const uint64_t *v, int n, double q)
{
	int i = (int)(q * (n - 1) + 0.5);

	return v[i] / 1e3;
}

/* {"mean":..,"p50":..,...} in microseconds of n values in ns, less sub. */
static void
print_stats(const char *name, uint64_t *v, int n, uint64_t sub)
{
	double sum = 0;
	int i;

	for (i = 0; i < n; i++) {
		v[i] = v[i] > sub ? v[i] - sub : 0;
		sum += v[i];
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	printf("\"%s\":{\"mean\":%.1f,\"p50\":%.1f,\"p90\":%.1f,"
	    "\"p99\":%.1f,\"min\":%.1f,\"max\":%.1f}", name, sum / n / 1e3,
	    pct(v, n, 0.5), pct(v, n, 0.9), pct(v, n, 0.99), v[0] / 1e3,
	    v[n - 1] / 1e3);
}

static void
sockets_open(void *ctx, struct peer *peers, int npeers)
{
	int i, ivl = 10, zero = 0;

	for (i = 0; i < npeers; i++) {
		if ((peers[i].sock = zmq_socket(ctx, ZMQ_DEALER)) == NULL)
			fatalx("zmq_socket: %s", zmq_strerror(errno));
		zmq_setsockopt(peers[i].sock, ZMQ_RECONNECT_IVL, &ivl,
		    sizeof(ivl));
		zmq_setsockopt(peers[i].sock, ZMQ_LINGER, &zero, sizeof(zero));
		if (floor_keys.cl_sec[0] != '\0' && (zmq_setsockopt(peers[i].sock,
		    ZMQ_CURVE_SERVERKEY, floor_keys.srv_pub, 40) == -1 ||
		    zmq_setsockopt(peers[i].sock, ZMQ_CURVE_PUBLICKEY,
		    floor_keys.cl_pub, 40) == -1 ||
		    zmq_setsockopt(peers[i].sock, ZMQ_CURVE_SECRETKEY,
		    floor_keys.cl_sec, 40) == -1))
			fatalx("curve client: %s", zmq_strerror(errno));
		if (zmq_connect(peers[i].sock, peers[i].endpoint) == -1)
			fatalx("connect %s: %s", peers[i].endpoint,
			    zmq_strerror(errno));
	}
}

/* Send evaluation seq to every peer, zero-copy from the one buffer. */
static void
eval_send(struct peer *peers, int npeers, void *buf, struct flight *f,
    int seq)
{
	int i;

	f->sent_ns = clock_now_ns();
	f->left = npeers;
	f->seq = seq;
	for (i = 0; i < npeers; i++)
		send_buf(peers[i].sock, buf, peers[i].req, 0);
}

/* Take a reply from a peer if one is there: 1 if taken, 0 if none. *slot
 * is the evaluation it completed, or -1. Peers answer in order, so a
 * peer's reply is for its oldest evaluation. */
static int
reply_take(struct peer *p, struct flight *ring, int ringsz, int *slot)
{
	zmq_msg_t m;
	int s;

	zmq_msg_init(&m);
	if (zmq_msg_recv(&m, p->sock, ZMQ_DONTWAIT) == -1) {
		if (errno != EAGAIN)
			fatalx("zmq_msg_recv: %s", zmq_strerror(errno));
		zmq_msg_close(&m);
		return 0;
	}
	if (zmq_msg_size(&m) != p->rep)
		fatalx("a peer replied %zu bytes, not %zu", zmq_msg_size(&m),
		    p->rep);
	zmq_msg_close(&m);
	s = p->head;
	p->head = (s + 1) % ringsz;
	*slot = --ring[s].left == 0 ? s : -1;
	return 1;
}

static void
write_raw(const char *path, const uint64_t *v, int n)
{
	FILE *f;
	int i;

	if ((f = fopen(path, "w")) == NULL)
		fatal("%s", path);
	for (i = 0; i < n; i++)
		fprintf(f, "%.3f\n", v[i] / 1e3);
	if (fclose(f) == EOF)
		fatal("%s", path);
}

/* The evaluation loop: keep in_flight evaluations out, paced at fps. */
static void
scatter_loop(const struct opts *o, struct peer *peers, int npeers,
    void *buf, uint64_t *lat, uint64_t *wall)
{
	struct flight ring[FLOOR_MAXFLIGHT];
	zmq_pollitem_t items[FLOOR_MAXPEERS];
	uint64_t next = 0, period, t0 = 0;
	int total = o->warmup + o->samples, sent = 0, done = 0, out = 0;
	int ringsz = o->in_flight, slot, i;

	period = o->fps > 0 ? (uint64_t)(1e9 / o->fps) : 0;
	for (i = 0; i < npeers; i++) {
		items[i] = (zmq_pollitem_t){ peers[i].sock, 0, ZMQ_POLLIN, 0 };
		peers[i].head = 0;
	}
	while (done < total) {
		while (sent < total && out < o->in_flight) {
			if (sent == o->warmup)
				t0 = clock_now_ns();
			if (period && sent >= o->warmup) {
				wait_until(next);
				next = (next ? next : clock_now_ns()) + period;
				if (next < clock_now_ns())
					next = clock_now_ns();
			}
			eval_send(peers, npeers, buf, &ring[sent % ringsz],
			    sent);
			sent++, out++;
		}
		if (zmq_poll(items, npeers, -1) == -1)
			fatalx("zmq_poll: %s", zmq_strerror(errno));
		for (i = 0; i < npeers; i++) {
			if (!(items[i].revents & ZMQ_POLLIN))
				continue;
			while (reply_take(&peers[i], ring, ringsz, &slot)) {
				if (slot < 0)
					continue;
				if (ring[slot].seq >= o->warmup)
					lat[ring[slot].seq - o->warmup] =
					    clock_now_ns() - ring[slot].sent_ns;
				done++, out--;
			}
		}
	}
	*wall = clock_now_ns() - t0;
}

static int
cmd_scatter(const struct opts *o, int argc, char **argv)
{
	struct peer peers[FLOOR_MAXPEERS];
	uint64_t *lat, wall, maxcost = 0;
	size_t maxreq = 0, out = 0, in = 0;
	double cpu0, cpu1, peer_cpu;
	void *ctx, *buf;
	long peer_kb;
	int i, npeers = argc, zv[3];

	if (npeers < 1 || npeers > FLOOR_MAXPEERS)
		usage();
	for (i = 0; i < npeers; i++) {
		parse_peer(argv[i], &peers[i]);
		maxreq = peers[i].req > maxreq ? peers[i].req : maxreq;
		maxcost = peers[i].cost_ns > maxcost ? peers[i].cost_ns : maxcost;
		out += peers[i].req;
		in += peers[i].rep;
	}
	if (o->curve)
		heap_keep();
	if (o->curve && (zmq_curve_keypair(floor_keys.srv_pub,
	    floor_keys.srv_sec) == -1 || zmq_curve_keypair(floor_keys.cl_pub,
	    floor_keys.cl_sec) == -1))
		fatalx("CURVE keys: %s", zmq_strerror(errno));
	/* Fork before libzmq starts any thread in this process. */
	for (i = 0; i < npeers; i++)
		peer_start(&peers[i], o->transport, i);
	buf = buf_new(maxreq);
	if ((lat = calloc(o->samples, sizeof(*lat))) == NULL)
		fatal("calloc");
	ctx = zmq_ctx_new();
	zmq_ctx_set(ctx, ZMQ_IO_THREADS, o->io_threads);
	sockets_open(ctx, peers, npeers);
	cpu0 = cpu_us(RUSAGE_SELF);
	scatter_loop(o, peers, npeers, buf, lat, &wall);
	cpu1 = cpu_us(RUSAGE_SELF);
	peer_kb = peers_stop(peers, npeers, &peer_cpu);
	zmq_ctx_term(ctx);
	if (o->raw)
		write_raw(o->raw, lat, o->samples);
	zmq_version(&zv[0], &zv[1], &zv[2]);
	printf("{\"mode\":\"scatter\",\"transport\":\"%s\",\"curve\":%s,"
	    "\"peers\":%d,"
	    "\"bytes_out\":%zu,\"bytes_in\":%zu,\"max_cost_us\":%.1f,"
	    "\"samples\":%d,\"in_flight\":%d,\"fps\":%g,\"io_threads\":%d,"
	    "\"wall_s\":%.6f,\"evals_per_s\":%.1f,\"client_cpu_us\":%.1f,"
	    "\"peer_rss_kb\":%ld,\"peer_cpu_us\":%.1f,"
	    "\"libzmq\":\"%d.%d.%d\",",
	    o->transport, o->curve ? "true" : "false", npeers, out, in, maxcost / 1e3, o->samples,
	    o->in_flight, o->fps, o->io_threads, wall / 1e9,
	    o->samples / (wall / 1e9), (cpu1 - cpu0) / o->samples, peer_kb,
	    peer_cpu, zv[0], zv[1], zv[2]);
	print_stats("latency_us", lat, o->samples, 0);
	putchar(',');
	/* lat is sorted now; overhead keeps its order. */
	print_stats("overhead_us", lat, o->samples, maxcost);
	printf("}\n");
	free(lat);
	free(buf);
	return 0;
}

static int
cmd_memcpy(const struct opts *o, int argc, char **argv)
{
	uint64_t *v, t;
	size_t n;
	char *end;
	void *src, *dst;
	int i;

	if (argc != 1)
		usage();
	n = parse_size(argv[0], &end);
	if (*end != '\0' || n == 0)
		usage();
	src = buf_new(n);
	dst = buf_new(n);
	if ((v = calloc(o->samples, sizeof(*v))) == NULL)
		fatal("calloc");
	for (i = -o->warmup; i < o->samples; i++) {
		t = clock_now_ns();
		memcpy(dst, src, n);
		__asm__ __volatile__("" : : "r"(dst) : "memory");
		if (i >= 0)
			v[i] = clock_now_ns() - t;
	}
	printf("{\"mode\":\"memcpy\",\"bytes\":%zu,\"samples\":%d,", n,
	    o->samples);
	print_stats("latency_us", v, o->samples, 0);
	printf("}\n");
	free(v);
	free(src);
	free(dst);
	return 0;
}

/* "floor child WFD HFD": what a worker must do at least to be ready:
 * start (exec, load libzmq), bind a ROUTER, say so; then wait for HFD to
 * close. */
static int
cmd_child(int argc, char **argv)
{
	void *ctx, *sock;
	char c;
	int wfd, hfd;

	if (argc != 2)
		usage();
	wfd = atoi(argv[0]);
	hfd = atoi(argv[1]);
	ctx = zmq_ctx_new();
	sock = zmq_socket(ctx, ZMQ_ROUTER);
	if (sock == NULL || zmq_bind(sock, "tcp://127.0.0.1:*") == -1)
		fatalx("bind: %s", zmq_strerror(errno));
	if (write(wfd, "r", 1) != 1)
		fatal("write");
	close(wfd);
	while (read(hfd, &c, 1) > 0)
		;
	zmq_close(sock);
	zmq_ctx_term(ctx);
	return 0;
}

/* Start n children (fork and exec of this program); ns until all bound. */
static uint64_t
spawn_all(const char *self, int n, pid_t *pids)
{
	char a1[16], a2[16], buf[256];
	uint64_t t0;
	ssize_t r;
	int rfd[2], hfd[2], i, got;

	if (pipe(rfd) == -1 || pipe(hfd) == -1)
		fatal("pipe");
	/* Our ends only: a child holding hfd[1] would never see it close. */
	if (fcntl(rfd[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(hfd[1], F_SETFD, FD_CLOEXEC) == -1)
		fatal("fcntl");
	snprintf(a1, sizeof(a1), "%d", rfd[1]);
	snprintf(a2, sizeof(a2), "%d", hfd[0]);
	t0 = clock_now_ns();
	for (i = 0; i < n; i++) {
		/* vfork: no copy of our page tables, the cheapest start. */
		if ((pids[i] = vfork()) == -1)
			fatal("vfork");
		if (pids[i] == 0) {
			execl(self, self, "child", a1, a2, (char *)NULL);
			_exit(127);
		}
	}
	close(rfd[1]);
	close(hfd[0]);
	for (got = 0; got < n; got += (int)r)
		if ((r = read(rfd[0], buf, sizeof(buf))) <= 0)
			fatalx("%d of %d children started", got, n);
	t0 = clock_now_ns() - t0;
	close(rfd[0]);
	close(hfd[1]);		/* they all exit */
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	return t0;
}

/* The floor of a supervisor: start n raw-libzmq processes until all bound. */
static int
cmd_spawn(const struct opts *o, int argc, char **argv)
{
	char self[4096];
	uint64_t *v;
	double cpu0, cpu1;
	pid_t *pids;
	ssize_t len;
	int i, n;

	if (argc != 1 || (n = atoi(argv[0])) < 1 || n > 100000)
		usage();
	if ((len = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		fatal("readlink /proc/self/exe");
	self[len] = '\0';
	if ((v = calloc(o->samples, sizeof(*v))) == NULL ||
	    (pids = calloc(n, sizeof(*pids))) == NULL)
		fatal("calloc");
	cpu0 = cpu_us(RUSAGE_SELF) + cpu_us(RUSAGE_CHILDREN);
	for (i = 0; i < o->samples; i++)
		v[i] = spawn_all(self, n, pids);
	cpu1 = cpu_us(RUSAGE_SELF) + cpu_us(RUSAGE_CHILDREN);
	printf("{\"mode\":\"spawn\",\"children\":%d,\"samples\":%d,"
	    "\"cpu_us\":%.0f,", n, o->samples, (cpu1 - cpu0) / o->samples);
	print_stats("ready_us", v, o->samples, 0);
	printf("}\n");
	free(pids);
	free(v);
	return 0;
}

/* The error of the floor's own wait (sleep, then spin) at a cost. */
static int
cmd_wait(const struct opts *o, int argc, char **argv)
{
	uint64_t *v, cost, t, now;
	struct timespec gap;
	double cpu0, cpu1;
	char *end;
	int i;

	if (argc != 1)
		usage();
	cost = (uint64_t)(strtod(argv[0], &end) * 1000.0);
	if (*end != '\0' || end == argv[0])
		usage();
	prctl(PR_SET_TIMERSLACK, 1UL);
	if ((v = calloc(o->samples, sizeof(*v))) == NULL)
		fatal("calloc");
	cpu0 = cpu_us(RUSAGE_SELF);
	for (i = 0; i < o->samples; i++) {
		t = clock_now_ns();
		wait_until(t + cost);
		now = clock_now_ns();
		v[i] = now - (t + cost);
		if (o->gap_ns > 0) {	/* idle, as a worker between requests */
			gap = clock_ts(o->gap_ns);
			nanosleep(&gap, NULL);
		}
	}
	cpu1 = cpu_us(RUSAGE_SELF);
	printf("{\"mode\":\"wait\",\"cost_us\":%.1f,\"samples\":%d,"
	    "\"cpu_us\":%.1f,", cost / 1e3, o->samples,
	    (cpu1 - cpu0) / o->samples);
	print_stats("error_us", v, o->samples, 0);
	printf("}\n");
	free(v);
	return 0;
}

static int
parse_int(const char *s, int lo, int hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		fatalx("'%s' is not an integer in %d..%d", s, lo, hi);
	return (int)v;
}

int
main(int argc, char **argv)
{
	struct opts o = { "tcp", 200, 10, 1, 0, 1, NULL, 0, 0 };
	const char *cmd;
	int ch;

	log_init(argv[0], LOG_LVL_NORMAL);
	if (argc < 2)
		usage();
	cmd = argv[1];
	argc--, argv++;
	while ((ch = getopt(argc, argv, "Cf:g:i:k:n:r:t:w:")) != -1) {
		switch (ch) {
		case 'C':
			o.curve = 1;
			break;
		case 'g':
			o.gap_ns = (uint64_t)parse_int(optarg, 0, 10000000) * 1000;
			break;
		case 'f':
			o.fps = strtod(optarg, NULL);
			break;
		case 'i':
			o.io_threads = parse_int(optarg, 1, 16);
			break;
		case 'k':
			o.in_flight = parse_int(optarg, 1, FLOOR_MAXFLIGHT);
			break;
		case 'n':
			o.samples = parse_int(optarg, 1, 100000000);
			break;
		case 'r':
			o.raw = optarg;
			break;
		case 't':
			o.transport = optarg;
			break;
		case 'w':
			o.warmup = parse_int(optarg, 0, 1000000);
			break;
		default:
			usage();
		}
	}
	argc -= optind, argv += optind;
	if (strcmp(cmd, "scatter") == 0)
		return cmd_scatter(&o, argc, argv);
	if (strcmp(cmd, "memcpy") == 0)
		return cmd_memcpy(&o, argc, argv);
	if (strcmp(cmd, "wait") == 0)
		return cmd_wait(&o, argc, argv);
	if (strcmp(cmd, "spawn") == 0)
		return cmd_spawn(&o, argc, argv);
	if (strcmp(cmd, "child") == 0)
		return cmd_child(argc, argv);
	usage();
}
