/* unit_shm.c: shared-memory rings: create, map, windows, request checks. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lane.h"
#include "log.h"
#include "shm.h"
#include "shm_cache.h"
#include "shm_reap.h"
#include "shm_ring.h"
#include "tap.h"

/* 64x48x3 uint8 frames: 9216 B, so 4 slots fill 9 pages. */
static struct shm_geom
small_geom(uint32_t need, uint32_t window)
{
	struct shm_geom g = { "uint8", 3, { 48, 64, 3 }, 9216, need, window,
	    4, 64 * 48 * 8 };

	return g;
}

static int
shm_exists(const char *name)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/shm%s", name);
	return stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

static void
test_names(void)
{
	static const char *bad[] = {
		"", "/", "/etc/passwd", "fake-servers-1-2-3", "/fake-servers-1-2",
		"/fake-servers-1-2-3/../../etc/shadow", "/fake-servers-a-2-3",
		"/fake-servers-1-2-3x", "/fake-servers--1-2-3",
		"/fake-servers-1-2-", "/fake-servers-4294967296-1-1",
		"/fake-servers-00000000001-1-1", "/fake-servers-1-2-3-4",
		"/fake-servers-1 -2-3", "/fake-servers-1-2-3\n",
		"/fake-servers-1-2-3333333333333333333333333333333333333333333333333333",
	};
	char err[256];
	size_t i;
	int good = 1;

	ok(shm_name_check("/fake-servers-0-1234-0", err, sizeof(err)) == 0 &&
	    shm_name_check("/fake-servers-4294967295-1-99", err, sizeof(err)) == 0,
	    "good ring names pass");
	for (i = 0; i < FS_NELEM(bad); i++) {
		err[0] = '\0';
		if (shm_name_check(bad[i], err, sizeof(err)) != -1 ||
		    strstr(err, "shm ring name") == NULL) {
			printf("# accepted or no message: '%s' -> '%s'\n", bad[i], err);
			good = 0;
		}
	}
	ok(good, "every bad ring name is rejected with a message");
	ok(shm_name_check(NULL, err, sizeof(err)) == -1, "no name is rejected");
}

static void
test_layout(void)
{
	struct shm_geom g = { "uint8", 3, { 600, 800, 3 }, 1440000, 17, 16, 2,
	    480000 };
	struct shm_ring *r;
	const struct shm_hdr *h;
	char err[256];

	r = shm_ring_create(&g, err, sizeof(err));
	ok(r != NULL, "an 800x600x3 ring of window 16 is created");
	if (r == NULL) {
		printf("# %s\n", err);
		return;
	}
	h = shm_ring_hdr(r);
	ok(h->nslots == 32 && h->stride == 1440000 && h->nout == 2 &&
	    h->out_stride == 483328, "its 17 slots round up to 32 whole-page ones");
	ok(shm_exists(shm_ring_name(r)) == 0660, "it is /dev/shm/<name>, mode 0660");
	ok(shm_hdr_check(h, h->total, 4096, err, sizeof(err)) == 0,
	    "its header checks");
	shm_ring_free(&r);
	ok(r == NULL, "free NULLs the pointer");

	/* An odd frame size: single frames only, slots padded to pages. */
	g.frame_bytes = 641 * 481 * 3;
	r = shm_ring_create(&g, err, sizeof(err));
	ok(r == NULL && strstr(err, "contiguously") != NULL,
	    "an odd frame size cannot hold windows: said so");
	g.max_window = 1;
	r = shm_ring_create(&g, err, sizeof(err));
	ok(r != NULL && shm_ring_hdr(r)->stride % 4096 == 0 &&
	    shm_ring_hdr(r)->nslots == 17, "an odd frame size gets padded slots");
	shm_ring_free(&r);
	g.frame_bytes = 0;
	ok(shm_ring_create(&g, err, sizeof(err)) == NULL,
	    "an empty frame is refused");
}

static void
fill_frames(struct shm_ring *r)
{
	const struct shm_hdr *h = shm_ring_hdr(r);
	uint32_t s;

	for (s = 0; s < h->nslots; s++)
		memset(shm_ring_slot(r, s), 'A' + (int)(s % 26), h->frame_bytes);
}

/* Bytes of a window of count frames from slot, as the worker sees them. */
static int
window_ok(const struct shm_view *v, const struct shm_hdr *h, uint32_t slot,
    uint32_t count)
{
	const unsigned char *p = v->in;
	uint32_t i, s;
	uint64_t b;

	if (v->in_len != (uint64_t)count * h->frame_bytes)
		return 0;
	for (i = 0; i < count; i++) {
		s = (slot + i) % h->nslots;
		for (b = 0; b < h->frame_bytes; b += 97)
			if (p[(uint64_t)i * h->frame_bytes + b] != 'A' + s % 26)
				return 0;
	}
	return 1;
}

static int
lookup(struct shm_cache *c, const char *json, uint64_t nbytes,
    struct shm_view *v, char *err, size_t errlen)
{
	struct wire_header h;

	err[0] = '\0';
	/* What a worker does: parse the header once, then ask the cache. */
	if (wire_header_parse(json, strlen(json), &h, err, errlen) == -1)
		return -1;
	if (!h.has_shm)
		return 1;
	return shm_cache_lookup(c, &h.shm, nbytes, v, err, errlen);
}

static void
test_map(void)
{
	struct shm_geom g = small_geom(17, 8);
	struct shm_cache *c;
	struct shm_ring *r;
	const struct shm_hdr *h;
	struct shm_view v;
	struct wire_header q;
	char json[WIRE_HDRMAX], err[256];
	uint64_t shape[4] = { 8, 48, 64, 3 };

	r = shm_ring_create(&g, err, sizeof(err));
	c = shm_cache_new(4);
	if (r == NULL || c == NULL) {
		ok(0, "ring and cache");
		return;
	}
	h = shm_ring_hdr(r);
	ok(h->nslots == 20, "17 slots of 9216 B round up to 20");
	fill_frames(r);
	wire_header_init(&q);
	wire_header_array(&q, "uint8", shape + 1, 3);
	q.has_frame = 1;
	q.frame = 7;
	q.has_shm = 1;
	snprintf(q.shm.ring, sizeof(q.shm.ring), "%s", shm_ring_name(r));
	q.shm.gen = h->gen;
	q.shm.slot = 2;
	q.shm.count = 1;
	q.shm.out = 3;
	wire_header_write(json, sizeof(json), &q);
	ok(lookup(c, json, 9216, &v, err, sizeof(err)) == 0 &&
	    window_ok(&v, h, 2, 1), "a worker reads frame 2 in place");
	ok(v.out != NULL && v.out_cap == 24576 && v.out_slot == 3,
	    "and gets output slot 3");
	if (v.out != NULL)
		memset(v.out, 0x5a, 3072);
	ok(((const unsigned char *)shm_ring_out(r, 3))[3071] == 0x5a,
	    "the client sees what the worker wrote there");
	ok(shm_cache_count(c) == 1, "the ring is mapped once");

	wire_header_array(&q, "uint8", shape, 4);
	q.has_frame = 0;
	q.shm.slot = h->nslots - 3;
	q.shm.count = 8;
	q.shm.out = -1;
	wire_header_write(json, sizeof(json), &q);
	ok(lookup(c, json, 8 * 9216, &v, err, sizeof(err)) == 0 &&
	    window_ok(&v, h, h->nslots - 3, 8) && v.out == NULL &&
	    v.out_slot == -1, "a window wrapping the ring's end is contiguous");
	ok(shm_cache_count(c) == 1, "still mapped once");
	ok(lookup(c, "{\"dtype\":\"uint8\",\"shape\":[2]}", 2, &v, err,
	    sizeof(err)) == 1, "a request without shm is not ours");
	shm_cache_free(&c);
	shm_ring_free(&r);
	ok(c == NULL && r == NULL, "cache and ring freed");
}

struct bad_req {
	const char *shm;	/* the member's value, %s = ring, %g = gen */
	uint64_t nbytes;
	const char *says;
};

static void
test_bad_requests(void)
{
	static const struct bad_req bad[] = {
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":20}", 9216, "slot 20 is out of range" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":-1}", 9216, "shm.slot must be" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":4294967296}", 9216, "shm.slot must be" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":1e3}", 9216, "shm.slot must be" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":\"3\"}", 9216, "shm.slot must be" },
		{ "{\"ring\":\"R\",\"gen\":G}", 9216, "shm.slot is missing" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":0,\"count\":0}", 0, "count 0 is out of range" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":0,\"count\":21}", 21 * 9216, "count 21 is out of range" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":0,\"count\":-2}", 9216, "shm.count must be" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":19,\"count\":2}", 9216, "give 9216 bytes" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":0}", 9217, "give 9217 bytes" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":0}", 0, "give 0 bytes" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":0,\"count\":4294967295}", 9216, "out of range" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":0,\"out\":4}", 9216, "output slot 4 is out of range" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":0,\"out\":-1}", 9216, "shm.out must be" },
		{ "{\"ring\":\"R\",\"gen\":G,\"slot\":0,\"out\":2147483648}", 9216, "shm.out must be" },
		{ "{\"ring\":\"R\",\"gen\":1,\"slot\":0}", 9216, "the request names 1" },
		{ "{\"ring\":\"R\",\"slot\":0}", 9216, "shm.gen is missing" },
		{ "{\"ring\":\"R\",\"gen\":9007199254740992,\"slot\":0}", 9216, "shm.gen must be" },
		{ "{\"ring\":7,\"gen\":G,\"slot\":0}", 9216, "shm.ring must be a string" },
		{ "{\"gen\":G,\"slot\":0}", 9216, "shm.ring must be a string" },
		{ "{\"ring\":\"/dev/shm/x\",\"gen\":G,\"slot\":0}", 9216, "is not /fake-servers-" },
		{ "{\"ring\":\"/fake-servers-0-1-2/../../x\",\"gen\":G,\"slot\":0}", 9216, "is not /fake-servers-" },
		{ "{\"ring\":\"/fake-servers-0-1-999999\",\"gen\":G,\"slot\":0}", 9216, "cannot open shm ring" },
		{ "[1,2]", 9216, "shm must be an object" },
		{ "\"R\"", 9216, "shm must be an object" },
	};
	struct shm_geom g = small_geom(17, 8);
	struct shm_cache *c = shm_cache_new(2);
	struct shm_ring *r = shm_ring_create(&g, NULL, 0);
	char json[512], body[256], gen[32], err[256];
	const char *p;
	struct shm_view v;
	size_t i, o;
	int good = 1;

	if (r == NULL || c == NULL) {
		ok(0, "ring for bad requests");
		return;
	}
	snprintf(gen, sizeof(gen), "%" PRIu64, shm_ring_hdr(r)->gen);
	for (i = 0; i < FS_NELEM(bad); i++) {
		/* R -> the ring's name, G -> its generation */
		for (p = bad[i].shm, o = 0; *p && o < sizeof(body) - 64; p++)
			if (*p == 'R' && p[1] == '"')
				o += (size_t)snprintf(body + o, sizeof(body) - o, "%s",
				    shm_ring_name(r));
			else if (*p == 'G')
				o += (size_t)snprintf(body + o, sizeof(body) - o, "%s", gen);
			else
				body[o++] = *p;
		body[o] = '\0';
		snprintf(json, sizeof(json), "{\"dtype\":\"uint8\",\"shape\":[1],"
		    "\"shm\":%s}", body);
		if (lookup(c, json, bad[i].nbytes, &v, err, sizeof(err)) != -1 ||
		    strstr(err, bad[i].says) == NULL) {
			printf("# %s -> '%s', wanted '%s'\n", json, err, bad[i].says);
			good = 0;
		}
	}
	ok(good, "every bad slot, count, length, output and ring is rejected, "
	    "with a message saying which");
	ok(lookup(c, "{\"shm\":{\"ring\":", 1, &v, err, sizeof(err)) == -1 &&
	    strstr(err, "not JSON") != NULL, "a broken header is rejected");
	shm_cache_free(&c);
	shm_ring_free(&r);
}

/* Every request the checker accepts stays inside the mapping. */
static void
test_bounds(void)
{
	struct shm_hdr h;
	struct wire_shm q;
	struct shm_span s;
	struct shm_geom g = small_geom(17, 8);
	struct shm_ring *r = shm_ring_create(&g, NULL, 0);
	uint64_t len, accepted = 0, nb;
	int good = 1;

	if (r == NULL) {
		ok(0, "ring for bounds");
		return;
	}
	h = *shm_ring_hdr(r);
	len = shm_map_len(&h);
	memset(&q, 0, sizeof(q));
	q.lane = -1;
	q.gen = h.gen;
	for (q.slot = 0; q.slot < h.nslots + 2; q.slot++)
		for (q.count = 0; q.count < h.nslots + 2; q.count++)
			for (q.out = -2; q.out < (int32_t)h.nout + 2; q.out++)
				for (nb = q.count * h.frame_bytes - 1;
				    nb <= q.count * h.frame_bytes + 1; nb++) {
					if (shm_req_resolve(&h, &q, nb, &s, NULL, 0) == -1)
						continue;
					accepted++;
					if (s.in_off < h.hdr_size ||
					    s.in_off + s.in_len > len ||
					    (s.out_cap > 0 && s.out_off + s.out_cap > len))
						good = 0;
				}
	ok(good && accepted == (uint64_t)h.nslots * h.nslots * (h.nout + 1),
	    "every accepted request lies inside the mapping, and only those");
	shm_ring_free(&r);
}

static void
test_bad_headers(void)
{
	struct shm_geom g = small_geom(17, 8);
	struct shm_ring *r = shm_ring_create(&g, NULL, 0);
	struct shm_hdr h, t;
	char err[256];
	struct shm_ring *w;
	int good = 1;

	if (r == NULL) {
		ok(0, "ring for bad headers");
		return;
	}
	h = *shm_ring_hdr(r);
#define MUTATE(stmt, says) do {						\
	t = h; stmt;							\
	if (shm_hdr_check(&t, h.total, 4096, err, sizeof(err)) != -1 ||	\
	    strstr(err, says) == NULL) {				\
		printf("# %s: '%s'\n", #stmt, err); good = 0;		\
	}								\
} while (0)
	MUTATE(t.magic[0] = 'X', "bad magic");
	MUTATE(t.version = 2, "version 2");
	MUTATE(t.hdr_size = 64, "header size");
	MUTATE(t.nslots = 0, "input slots");
	MUTATE(t.nslots = 70000, "input slots");
	MUTATE(t.nslots = 21, "do not fill whole pages");
	MUTATE(t.nslots = 24, "output offset");
	MUTATE(t.nout = 5, "does not match");
	MUTATE(t.nout = 0xffffffff, "output slots");
	MUTATE(t.stride = 9215, "impossible");
	MUTATE(t.frame_bytes = 0, "impossible");
	MUTATE(t.stride = 1ull << 62, "impossible");
	MUTATE(t.out_stride = 100, "page");
	MUTATE(t.out_stride = 0, "page");
	MUTATE(t.out_off += 4096, "output offset");
	MUTATE(t.total = 1ull << 63, "does not match");
	MUTATE(memset(t.dtype, 'x', sizeof(t.dtype)), "corrupt");
	MUTATE(t.ndim = 9, "corrupt");
#undef MUTATE
	ok(good, "every corrupt ring header is rejected with a message");
	ok(shm_hdr_check(&h, h.total - 1, 4096, err, sizeof(err)) == -1 &&
	    strstr(err, "but the object has") != NULL,
	    "a ring shorter than its header claims is rejected");

	/* Corrupt the object itself: the worker's open refuses it. */
	((struct shm_hdr *)shm_ring_base(r))->nslots = 1001;
	w = shm_ring_open(shm_ring_name(r), err, sizeof(err));
	ok(w == NULL && strstr(err, "fill whole pages") != NULL,
	    "a worker refuses to map a corrupt ring");
	shm_ring_free(&r);
	ok(shm_ring_open("/fake-servers-0-1-424242", err, sizeof(err)) == NULL &&
	    strstr(err, "No such file") != NULL, "a missing ring is refused");
	unlink("/dev/shm/fake-servers-0-1-434343");
	ok(mkfifo("/dev/shm/fake-servers-0-1-434343", 0600) == 0 &&
	    shm_ring_open("/fake-servers-0-1-434343", err, sizeof(err)) == NULL,
	    "a FIFO for a ring is refused");
	unlink("/dev/shm/fake-servers-0-1-434343");
}

/* A client that dies without cleaning up: its ring is reaped by the next
 * one, and a worker's cache lets go of its mapping. */
static void
test_stale(void)
{
	struct shm_geom g = small_geom(4, 1);
	struct shm_cache *c = shm_cache_new(2);
	struct shm_view v;
	char name[SHM_NAME_MAX] = "", json[512], err[256];
	uint64_t gen = 0;
	int fds[2], go[2], st, n, left;
	pid_t pid;

	if (c == NULL || pipe(fds) == -1 || pipe(go) == -1 ||
	    (pid = fork()) == -1) {
		ok(0, "fork for stale rings");
		return;
	}
	if (pid == 0) {
		struct shm_ring *r = shm_ring_create(&g, NULL, 0);
		char b;
		int rep;

		close(go[1]);
		if (r == NULL ||
		    lane_create(shm_ring_name(r), 0, &rep, NULL, 0) == -1)
			_exit(1);
		dprintf(fds[1], "%s %" PRIu64 "\n", shm_ring_name(r),
		    shm_ring_hdr(r)->gen);
		(void)read(go[0], &b, 1);
		_exit(0);	/* killed mid-run: no unlink */
	}
	n = (int)read(fds[0], json, sizeof(json) - 1);
	json[n > 0 ? n : 0] = '\0';
	sscanf(json, "%63s %" SCNu64, name, &gen);
	snprintf(json, sizeof(json), "{\"dtype\":\"uint8\",\"shape\":[48,64,3],"
	    "\"shm\":{\"ring\":"
	    "\"%s\",\"gen\":%" PRIu64 ",\"slot\":1}}", name, gen);
	ok(lookup(c, json, 9216, &v, err, sizeof(err)) == 0 &&
	    shm_cache_count(c) == 1, "a worker maps another process's ring");
	ok(shm_cache_sweep(c) == 0, "it keeps it while its creator lives");
	close(go[1]);
	waitpid(pid, &st, 0);
	/* A client of a test running meanwhile may remove it first. */
	if ((left = shm_exists(name) > 0) == 0)
		printf("# %s was removed by another client start\n", name);
	ok(shm_cache_sweep(c) == 1 && shm_cache_count(c) == 0,
	    "the worker unmaps the dead client's ring");
	snprintf(err, sizeof(err), "/dev/shm%s.0.req", name);
	ok(access(err, F_OK) == 0 || left == 0, "its lane is left too");
	ok(shm_reap_stale(NULL) >= left && shm_exists(name) == -1,
	    "the next client start removes it");
	ok(access(err, F_OK) == -1, "and its lane's pipes");
	shm_cache_free(&c);
}

/* A ring whose name is gone (its client exited) is let go of at once;
 * a dead client's ring made in another pid namespace is not reaped. */
static void
test_gone(void)
{
	struct shm_geom g = small_geom(4, 1);
	struct shm_cache *c = shm_cache_new(2);
	struct shm_ring *r = shm_ring_create(&g, NULL, 0);
	struct shm_view v;
	char json[512], err[256], name[SHM_NAME_MAX];
	int st, n, fds[2];
	pid_t pid;

	if (r == NULL || c == NULL) {
		ok(0, "ring for a gone name");
		return;
	}
	snprintf(json, sizeof(json), "{\"dtype\":\"uint8\",\"shape\":[1],"
	    "\"shm\":{\"ring\":\"%s\",\"gen\":%"
	    PRIu64 ",\"slot\":0}}", shm_ring_name(r), shm_ring_hdr(r)->gen);
	ok(lookup(c, json, 9216, &v, err, sizeof(err)) == 0 &&
	    shm_cache_sweep(c) == 0, "a live ring stays mapped");
	shm_unlink(shm_ring_name(r));
	ok(shm_cache_sweep(c) == 1 && shm_cache_count(c) == 0,
	    "a ring whose name is gone is unmapped");
	shm_ring_free(&r);

	if (pipe(fds) == -1 || (pid = fork()) == -1) {
		ok(0, "fork for another pid namespace");
		return;
	}
	if (pid == 0) {
		if ((r = shm_ring_create(&g, NULL, 0)) == NULL)
			_exit(1);
		((struct shm_hdr *)shm_ring_base(r))->owner_pidns ^= 1;
		dprintf(fds[1], "%s", shm_ring_name(r));
		_exit(0);
	}
	waitpid(pid, &st, 0);
	n = (int)read(fds[0], name, sizeof(name) - 1);
	name[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	close(fds[1]);
	ok(shm_exists(name) > 0 && shm_reap_stale(NULL) >= 0 &&
	    shm_exists(name) > 0,
	    "a dead client's ring from another pid namespace is left alone");
	shm_unlink(name);
	shm_cache_free(&c);
}

/* A ring truncated under a worker: it reads zeros instead of dying of
 * SIGBUS, and the next request is refused. */
static void
test_truncated(void)
{
	struct shm_geom g = small_geom(4, 1);
	struct shm_cache *c = shm_cache_new(2);
	struct shm_ring *r = shm_ring_create(&g, NULL, 0);
	const unsigned char *p;
	struct shm_view v;
	char json[512], err[256];
	uint64_t i, sum = 0;
	int fd;

	if (r == NULL || c == NULL) {
		ok(0, "ring for truncation");
		return;
	}
	fill_frames(r);
	snprintf(json, sizeof(json), "{\"dtype\":\"uint8\",\"shape\":[1],"
	    "\"shm\":{\"ring\":\"%s\",\"gen\":%"
	    PRIu64 ",\"slot\":2,\"out\":0}}", shm_ring_name(r),
	    shm_ring_hdr(r)->gen);
	if (lookup(c, json, 9216, &v, err, sizeof(err)) != 0 ||
	    (fd = shm_open(shm_ring_name(r), O_RDWR, 0)) == -1) {
		ok(0, "map a ring to truncate");
		return;
	}
	ok(ftruncate(fd, 4096) == 0, "the ring is truncated under the worker");
	close(fd);
	for (i = 0, p = v.in; i < v.in_len; i++)
		sum += p[i];
	memset(v.out, 1, 4096);
	ok(sum == 0, "the worker reads zeros instead of dying of SIGBUS");
	ok(lookup(c, json, 9216, &v, err, sizeof(err)) == -1 &&
	    strstr(err, "but the object has") != NULL,
	    "the next request on that ring is refused");
	shm_cache_free(&c);
	shm_ring_free(&r);
}

/* A lane's file name leads back to its ring: how stale pipes are reaped. */
static void
test_lane_names(void)
{
	const char *name = "/fake-servers-1-2-3";
	char path[LANE_PATH_MAX], ring[LANE_PATH_MAX];

	ok(lane_path(path, sizeof(path), name, 17, LANE_REP) == 0 &&
	    lane_path_ring(path + strlen("/dev/shm"), ring, sizeof(ring)) == 1 &&
	    strcmp(ring, name) == 0, "a lane's pipe names its ring");
	ok(lane_path_ring(name, ring, sizeof(ring)) == 0 &&
	    strcmp(ring, name) == 0, "a ring's name is no lane's");
	ok(lane_path_ring("/fake-servers-1-2-3.17.pid", ring, sizeof(ring)) ==
	    -1 && lane_path_ring("/fake-servers-1-2-3.1234.req", ring,
	    sizeof(ring)) == -1 && lane_path_ring("/fake-servers-1-2-3..req",
	    ring, sizeof(ring)) == -1 && lane_path_ring("/x.1.req.rep", ring,
	    sizeof(ring)) == -1, "other dotted names are not a lane's");
}

/* Lanes: the pipes beside a ring, their framing and their checks. */
static void
test_lanes(void)
{
	struct shm_geom g = small_geom(4, 1);
	struct shm_ring *r = shm_ring_create(&g, NULL, 0);
	unsigned char buf[LANE_MSG_MAX], big[LANE_MSG_MAX];
	char path[LANE_PATH_MAX], err[256];
	uint32_t bad[2] = { 100000, 0 };
	size_t hlen, plen;
	int rep, wreq, wrep, creq, fd;
	struct stat st;

	if (r == NULL) {
		ok(0, "ring for lanes");
		return;
	}
	ok(lane_path(path, sizeof(path), shm_ring_name(r), 3, LANE_REQ) == 0 &&
	    strstr(path, "/dev/shm/fake-servers-") == path &&
	    strcmp(path + strlen(path) - 6, ".3.req") == 0,
	    "a lane's pipe is beside its ring");
	ok(lane_path(path, sizeof(path), "/etc/passwd", 0, LANE_REQ) == -1 &&
	    lane_path(path, sizeof(path), shm_ring_name(r), SHM_LANES,
	    LANE_REP) == -1, "no lane for another name or a lane out of range");
	ok(lane_create(shm_ring_name(r), 3, &rep, err, sizeof(err)) == 0,
	    "the client makes lane 3");
	lane_path(path, sizeof(path), shm_ring_name(r), 3, LANE_REQ);
	ok(stat(path, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    (st.st_mode & 0777) == 0660, "its pipes are mode 0660");
	errno = 0;
	ok(lane_open_req(shm_ring_name(r), 3) == -1 && errno == ENXIO,
	    "the request pipe cannot be written before a worker reads it");
	ok(lane_open(shm_ring_name(r), 3, (uint32_t)getuid(), &wreq, &wrep,
	    err, sizeof(err)) == 0, "a worker opens the lane");
	ok(lane_open(shm_ring_name(r), 3, (uint32_t)getuid() + 1, &fd, &fd,
	    err, sizeof(err)) == -1 && strstr(err, "not a pipe of uid") != NULL,
	    "but not as made by another user");
	ok(lane_open(shm_ring_name(r), 4, (uint32_t)getuid(), &fd, &fd, err,
	    sizeof(err)) == -1 && strstr(err, "No such file") != NULL,
	    "nor a lane that was not made");
	creq = lane_open_req(shm_ring_name(r), 3);
	ok(creq != -1, "then the client opens it for writing");
	ok(lane_send(creq, "{\"a\":1}", 7, NULL, 0) == 0 &&
	    lane_recv(wreq, buf, sizeof(buf), &hlen, &plen, err,
	    sizeof(err)) == 1 && hlen == 7 && plen == 0 &&
	    memcmp(buf, "{\"a\":1}", 7) == 0, "a request goes through whole");
	ok(lane_recv(wreq, buf, sizeof(buf), &hlen, &plen, err,
	    sizeof(err)) == 0, "and the pipe is empty after it");
	ok(lane_send(wrep, "{}", 2, "12345678", 8) == 0 &&
	    lane_recv(rep, buf, sizeof(buf), &hlen, &plen, err,
	    sizeof(err)) == 1 && hlen == 2 && plen == 8 &&
	    memcmp(buf + 2, "12345678", 8) == 0,
	    "a reply with its payload comes back whole");
	memset(big, 'x', sizeof(big));
	errno = 0;
	ok(lane_send(creq, big, LANE_MSG_MAX - LANE_PREFIX + 1, NULL, 0) == -1 &&
	    errno == EMSGSIZE, "a message over PIPE_BUF is refused");
	ok(write(creq, bad, sizeof(bad)) == (ssize_t)sizeof(bad) &&
	    write(creq, "junk", 4) == 4 &&
	    lane_recv(wreq, buf, sizeof(buf), &hlen, &plen, err,
	    sizeof(err)) == -1 && strstr(err, "do not fit") != NULL,
	    "lengths that do not fit are refused");
	ok(lane_recv(wreq, buf, sizeof(buf), &hlen, &plen, err,
	    sizeof(err)) == 0, "and what followed them is dropped");
	bad[0] = 100;
	ok(write(creq, bad, sizeof(bad)) == (ssize_t)sizeof(bad) &&
	    write(creq, "short", 5) == 5 &&
	    lane_recv(wreq, buf, sizeof(buf), &hlen, &plen, err,
	    sizeof(err)) == -1 && strstr(err, "cut short") != NULL,
	    "a message cut short is refused");
	ok(lane_prefix_check((const unsigned char *)"abc", 3, &hlen, &plen,
	    err, sizeof(err)) == -1, "a prefix of 3 bytes is refused");
	close(wreq);
	errno = 0;
	ok(lane_send(creq, "{}", 2, NULL, 0) == -1 && errno == EPIPE,
	    "a write with the worker gone fails with EPIPE");
	close(creq);
	close(wrep);
	close(rep);
	lane_unlink(shm_ring_name(r), 3);
	ok(stat(path, &st) == -1 && errno == ENOENT, "the client removes its lane");
	shm_ring_free(&r);
}

int
main(void)
{
	log_init("unit_shm", LOG_LVL_QUIET);
	signal(SIGPIPE, SIG_IGN);	/* as in fake-client and fake-worker */
	test_names();
	test_layout();
	test_map();
	test_bad_requests();
	test_bounds();
	test_bad_headers();
	test_stale();
	test_gone();
	test_truncated();
	test_lane_names();
	test_lanes();
	return tap_done();
}
