/* shm.c: shared-memory rings: layout, creation, mapping, request checks.
 *
 * The worker never trusts the object: it reads the header once into a
 * private copy, checks it (shm_hdr_check), and resolves every request
 * against that copy (shm_req_resolve) before forming a pointer. Both are
 * pure functions so they can be fuzzed without any shared memory.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "clock.h"
#include "log.h"
#include "shm.h"
#include "wire.h"

#define SHM_GROUP	"fake-servers-shm"	/* rings are shared with this group */
#define SHM_DIR		"/dev/shm"

struct shm_ring {
	struct shm_hdr hdr;	/* private copy: all checks use it */
	char	 name[SHM_NAME_MAX];
	unsigned char *base;	/* [header][inputs][inputs again][outputs] */
	uint64_t map_len;
	int	 owner;		/* created here: unlink on free */
	ino_t	 ino;		/* of the object its name gave, when mapped */
	volatile sig_atomic_t broken;	/* truncated under us: zeros now */
};

struct shm_cache_ent {
	struct shm_ring *ring;
	uint64_t used;		/* LRU tick */
};

struct shm_cache {
	struct shm_cache_ent *ent;
	int	 n, max;
	uint64_t tick;
	uint64_t swept_ns;
};

static unsigned int shm_created;	/* the <n> of the next name */

/* The rings a worker has mapped, for the SIGBUS handler. */
#define SHM_GUARD_MAX	64
static struct shm_ring *volatile shm_guarded[SHM_GUARD_MAX];

static void	shm_guard(struct shm_ring *, int);
static uint32_t	shm_pidns(void);

static uint64_t
shm_page(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? (uint64_t)p : 4096;
}

static uint64_t
shm_roundup(uint64_t v, uint64_t m)
{
	return (v + m - 1) / m * m;
}

static uint64_t
shm_gcd(uint64_t a, uint64_t b)
{
	uint64_t t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Parse "/fake-servers-<uid>-<pid>-<n>"; any of the outputs may be NULL. */
static int
shm_name_parse(const char *name, uint32_t *uid, uint32_t *pid, uint32_t *n)
{
	uint32_t *out[3] = { uid, pid, n };
	uint64_t v;
	const char *p;
	int i, digits;

	if (strncmp(name, SHM_PREFIX, strlen(SHM_PREFIX)) != 0)
		return -1;
	p = name + strlen(SHM_PREFIX);
	for (i = 0; i < 3; i++) {
		for (v = 0, digits = 0; *p >= '0' && *p <= '9'; p++, digits++) {
			v = v * 10 + (uint64_t)(*p - '0');
			if (digits >= 10 || v > UINT32_MAX)
				return -1;
		}
		if (digits == 0 || *p != (i < 2 ? '-' : '\0'))
			return -1;
		if (i < 2)
			p++;
		if (out[i] != NULL)
			*out[i] = (uint32_t)v;
	}
	return 0;
}

int
shm_name_check(const char *name, char *err, size_t errlen)
{
	if (name == NULL)
		return wire_fail(err, errlen, "shm ring name is missing");
	if (strnlen(name, SHM_NAME_MAX) >= SHM_NAME_MAX)
		return wire_fail(err, errlen, "shm ring name is longer than %d bytes",
		    SHM_NAME_MAX - 1);
	if (shm_name_parse(name, NULL, NULL, NULL) == -1)
		return wire_fail(err, errlen, "shm ring name '%s' is not "
		    SHM_PREFIX "<uid>-<pid>-<n>", name);
	return 0;
}

uint64_t
shm_map_len(const struct shm_hdr *h)
{
	uint64_t in_len = (uint64_t)h->nslots * h->stride;

	return h->hdr_size + 2 * in_len + (uint64_t)h->nout * h->out_stride;
}

/* The geometry fields; sizes are bounded first so no product overflows. */
static int
shm_hdr_check_sizes(const struct shm_hdr *h, uint64_t page, char *err,
    size_t errlen)
{
	uint64_t in_len;

	if (h->nslots == 0 || h->nslots > SHM_MAX_SLOTS)
		return wire_fail(err, errlen, "shm ring has %" PRIu32
		    " input slots (1 to %u allowed)", h->nslots, SHM_MAX_SLOTS);
	if (h->nout > SHM_MAX_SLOTS)
		return wire_fail(err, errlen, "shm ring has %" PRIu32
		    " output slots (at most %u)", h->nout, SHM_MAX_SLOTS);
	if (h->frame_bytes == 0 || h->stride < h->frame_bytes ||
	    h->stride > SHM_MAX_BYTES)
		return wire_fail(err, errlen, "shm ring frame of %" PRIu64
		    " bytes in slots of %" PRIu64 " is impossible",
		    h->frame_bytes, h->stride);
	if (h->out_stride > SHM_MAX_BYTES || h->out_stride % page != 0 ||
	    (h->nout > 0 && h->out_stride == 0))
		return wire_fail(err, errlen, "shm ring output slot size %" PRIu64
		    " is not a positive multiple of the %" PRIu64 "-byte page",
		    h->out_stride, page);
	in_len = (uint64_t)h->nslots * h->stride;
	if (in_len % page != 0)
		return wire_fail(err, errlen, "shm ring input slots (%" PRIu64
		    " bytes) do not fill whole pages", in_len);
	if (h->out_off != h->hdr_size + in_len)
		return wire_fail(err, errlen, "shm ring output offset %" PRIu64
		    " is not %" PRIu64, h->out_off, h->hdr_size + in_len);
	if (h->total != h->out_off + (uint64_t)h->nout * h->out_stride ||
	    h->total > SHM_MAX_BYTES)
		return wire_fail(err, errlen, "shm ring size %" PRIu64
		    " does not match its slots or exceeds %llu bytes", h->total,
		    SHM_MAX_BYTES);
	return 0;
}

int
shm_hdr_check(const struct shm_hdr *h, uint64_t file_size, uint64_t page,
    char *err, size_t errlen)
{
	if (memcmp(h->magic, SHM_MAGIC, sizeof(h->magic)) != 0)
		return wire_fail(err, errlen, "not a shm ring (bad magic)");
	if (h->version != SHM_VERSION)
		return wire_fail(err, errlen, "shm ring version %" PRIu32
		    " is not %d", h->version, SHM_VERSION);
	if (h->hdr_size != SHM_HDR_SIZE || page == 0 ||
	    SHM_HDR_SIZE % page != 0)
		return wire_fail(err, errlen, "shm ring header size %" PRIu32
		    " is not %d", h->hdr_size, SHM_HDR_SIZE);
	if (memchr(h->dtype, '\0', sizeof(h->dtype)) == NULL ||
	    h->ndim > SHM_MAXDIM)
		return wire_fail(err, errlen, "shm ring frame geometry is corrupt");
	if (shm_hdr_check_sizes(h, page, err, errlen) == -1)
		return -1;
	if (h->total > file_size)
		return wire_fail(err, errlen, "shm ring claims %" PRIu64
		    " bytes but the object has %" PRIu64, h->total, file_size);
	return 0;
}

int
shm_req_resolve(const struct shm_hdr *h, const struct shm_req *r,
    uint64_t nbytes, struct shm_span *s, char *err, size_t errlen)
{
	uint64_t in_len = (uint64_t)h->nslots * h->stride;

	if (r->gen != h->gen)
		return wire_fail(err, errlen, "shm ring %s is generation %" PRIu64
		    ", the request names %" PRIu64, r->ring, h->gen, r->gen);
	if (r->slot >= h->nslots)
		return wire_fail(err, errlen, "shm slot %" PRIu32 " is out of "
		    "range (the ring has %" PRIu32 ")", r->slot, h->nslots);
	if (r->count == 0 || r->count > h->nslots)
		return wire_fail(err, errlen, "shm count %" PRIu32 " is out of "
		    "range (1 to %" PRIu32 ")", r->count, h->nslots);
	if (r->count > 1 && h->stride != h->frame_bytes)
		return wire_fail(err, errlen, "shm ring %s holds single frames "
		    "only, not windows of %" PRIu32, r->ring, r->count);
	if (nbytes != (uint64_t)r->count * h->frame_bytes)
		return wire_fail(err, errlen, "dtype and shape give %" PRIu64
		    " bytes, but %" PRIu32 " frames of the ring are %" PRIu64,
		    nbytes, r->count, (uint64_t)r->count * h->frame_bytes);
	if (r->out < -1 || (r->out >= 0 && (uint32_t)r->out >= h->nout))
		return wire_fail(err, errlen, "shm output slot %" PRId32 " is out "
		    "of range (the ring has %" PRIu32 ")", r->out, h->nout);
	s->in_off = h->hdr_size + (uint64_t)r->slot * h->stride;
	s->in_len = nbytes;
	if (s->in_off + s->in_len > h->hdr_size + 2 * in_len)
		return wire_fail(err, errlen, "shm request overruns its ring");
	s->out = r->out;
	s->out_off = s->out_cap = 0;
	if (r->out >= 0) {
		s->out_off = h->hdr_size + 2 * in_len +
		    (uint64_t)r->out * h->out_stride;
		s->out_cap = h->out_stride;
	}
	return 0;
}

/* An unsigned integer member of o, in [0, max]; def when absent (def < 0:
 * required). */
static int
shm_json_uint(json_t *o, const char *key, uint64_t max, int64_t def,
    uint64_t *v, char *err, size_t errlen)
{
	json_t *j = json_object_get(o, key);
	json_int_t i;

	if (j == NULL || (json_is_null(j) && def >= 0)) {
		if (def < 0)
			return wire_fail(err, errlen, "shm.%s is missing", key);
		*v = (uint64_t)def;
		return 0;
	}
	if (!json_is_integer(j) || (i = json_integer_value(j)) < 0 ||
	    (uint64_t)i > max)
		return wire_fail(err, errlen, "shm.%s must be an integer from 0 "
		    "to %" PRIu64, key, max);
	*v = (uint64_t)i;
	return 0;
}

static int
shm_req_from_json(json_t *o, struct shm_req *r, char *err, size_t errlen)
{
	json_t *ring;
	uint64_t gen, slot, count, out, lane;

	if (!json_is_object(o))
		return wire_fail(err, errlen, "shm must be an object");
	ring = json_object_get(o, "ring");
	if (!json_is_string(ring))
		return wire_fail(err, errlen, "shm.ring must be a string");
	if (shm_name_check(json_string_value(ring), err, errlen) == -1)
		return -1;
	if (shm_json_uint(o, "gen", (1ull << 53) - 1, -1, &gen, err, errlen) ||
	    shm_json_uint(o, "slot", UINT32_MAX, -1, &slot, err, errlen) ||
	    shm_json_uint(o, "count", UINT32_MAX, 1, &count, err, errlen) ||
	    shm_json_uint(o, "out", INT32_MAX, INT32_MAX, &out, err, errlen) ||
	    shm_json_uint(o, "lane", SHM_LANES - 1, SHM_LANES, &lane, err,
	    errlen))
		return -1;
	snprintf(r->ring, sizeof(r->ring), "%s", json_string_value(ring));
	r->gen = gen;
	r->slot = (uint32_t)slot;
	r->count = (uint32_t)count;
	/* absent or null: inline (INT32_MAX is the "absent" marker) */
	r->out = json_object_get(o, "out") == NULL ||
	    json_is_null(json_object_get(o, "out")) ? -1 : (int32_t)out;
	r->lane = lane == SHM_LANES ? -1 : (int32_t)lane;
	return 0;
}

int
shm_req_parse(const void *hdr, size_t len, struct shm_req *r, char *err,
    size_t errlen)
{
	json_error_t jerr;
	json_t *root, *o;
	int rc;

	/* Most requests are not shared-memory ones: skip the second parse. */
	if (memmem(hdr, len, "\"shm\"", 5) == NULL)
		return 1;
	if ((root = json_loadb(hdr, len, 0, &jerr)) == NULL)
		return wire_fail(err, errlen, "header is not JSON: %s", jerr.text);
	if (!json_is_object(root) || (o = json_object_get(root, "shm")) == NULL)
		rc = 1;
	else
		rc = shm_req_from_json(o, r, err, errlen);
	json_decref(root);
	return rc;
}

int
shm_req_format(char *buf, size_t len, const struct shm_req *r)
{
	char out[32] = "", lane[32] = "";
	int n;

	if (r->out >= 0)
		snprintf(out, sizeof(out), ",\"out\":%" PRId32, r->out);
	if (r->lane >= 0)
		snprintf(lane, sizeof(lane), ",\"lane\":%" PRId32, r->lane);
	n = snprintf(buf, len, "\"shm\":{\"ring\":\"%s\",\"gen\":%" PRIu64
	    ",\"slot\":%" PRIu32 ",\"count\":%" PRIu32 "%s%s}", r->ring, r->gen,
	    r->slot, r->count, out, lane);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int
shm_reply_out(const void *hdr, size_t len, int32_t *out)
{
	json_error_t jerr;
	json_t *root, *j;
	json_int_t v;
	int rc = -1;

	if (memmem(hdr, len, "\"shm_out\"", 9) == NULL)
		return 1;
	if ((root = json_loadb(hdr, len, 0, &jerr)) == NULL)
		return -1;
	j = json_object_get(root, "shm_out");
	if (j == NULL)
		rc = 1;
	else if (json_is_integer(j) && (v = json_integer_value(j)) >= 0 &&
	    v <= INT32_MAX) {
		*out = (int32_t)v;
		rc = 0;
	}
	json_decref(root);
	return rc;
}

/* Map fd as [header][inputs][inputs again][outputs]: the second copy of
 * the inputs makes a window that wraps around the ring contiguous. */
static unsigned char *
shm_map(int fd, const struct shm_hdr *h, int prot_in, char *err,
    size_t errlen)
{
	uint64_t in_len = (uint64_t)h->nslots * h->stride;
	uint64_t out_len = (uint64_t)h->nout * h->out_stride;
	uint64_t len = shm_map_len(h);
	unsigned char *base;

	base = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		wire_fail(err, errlen, "cannot reserve %" PRIu64 " bytes: %s",
		    len, strerror(errno));
		return NULL;
	}
	if (mmap(base, h->hdr_size + in_len, prot_in, MAP_SHARED | MAP_FIXED,
	    fd, 0) == MAP_FAILED ||
	    mmap(base + h->hdr_size + in_len, in_len, prot_in,
	    MAP_SHARED | MAP_FIXED, fd, h->hdr_size) == MAP_FAILED ||
	    (out_len > 0 && mmap(base + h->hdr_size + 2 * in_len, out_len,
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
	    (off_t)h->out_off) == MAP_FAILED)) {
		wire_fail(err, errlen, "cannot map the ring: %s", strerror(errno));
		munmap(base, len);
		return NULL;
	}
	return base;
}

/* Fill a header for g, choosing the slot count: the input slots must fill
 * whole pages to be mapped twice. */
static int
shm_layout(const struct shm_geom *g, uint64_t page, struct shm_hdr *h,
    char *err, size_t errlen)
{
	uint64_t fb = g->frame_bytes, m, n, stride = fb, out_stride = 0;

	if (fb == 0 || fb > SHM_MAX_BYTES / 2 || g->need_slots == 0 ||
	    g->max_window == 0 || g->max_window > g->need_slots ||
	    g->ndim < 0 || g->ndim > SHM_MAXDIM || g->nout > SHM_MAX_SLOTS ||
	    g->out_bytes > SHM_MAX_BYTES)
		return wire_fail(err, errlen, "impossible shm ring geometry");
	m = page / shm_gcd(fb, page);
	n = shm_roundup(g->need_slots, m);
	/* Page alignment may multiply the slots (an odd frame size needs
	 * 4096 of them): past twice the memory asked for plus 256 MiB, pad
	 * each slot to whole pages instead and hold single frames only. */
	if (n > SHM_MAX_SLOTS ||
	    n * fb > 2 * (uint64_t)g->need_slots * fb + (256ull << 20)) {
		if (g->max_window > 1)
			return wire_fail(err, errlen, "a window of %" PRIu32
			    " frames of %" PRIu64 " bytes cannot be laid out "
			    "contiguously without a ring of %" PRIu64 " slots",
			    g->max_window, fb, n);
		n = g->need_slots;
		stride = shm_roundup(fb, page);
	}
	if (g->nout > 0)
		out_stride = shm_roundup(g->out_bytes > 0 ? g->out_bytes : 1, page);
	memset(h, 0, sizeof(*h));
	h->version = SHM_VERSION;
	h->hdr_size = SHM_HDR_SIZE;
	h->frame_bytes = fb;
	h->stride = stride;
	h->nslots = (uint32_t)n;
	h->nout = g->nout;
	h->out_off = SHM_HDR_SIZE + n * stride;
	h->out_stride = out_stride;
	h->total = h->out_off + (uint64_t)g->nout * out_stride;
	if (h->total > SHM_MAX_BYTES || n > SHM_MAX_SLOTS)
		return wire_fail(err, errlen, "a shm ring of %" PRIu64 " slots of "
		    "%" PRIu64 " bytes is too large", n, stride);
	snprintf(h->dtype, sizeof(h->dtype), "%s", g->dtype);
	h->ndim = (uint32_t)g->ndim;
	memcpy(h->shape, g->shape, sizeof(h->shape));
	return 0;
}

/* Let the workers' group read and write the ring (doc/shm.md). */
static void
shm_share(int fd)
{
	struct group *gr;

	if (fchmod(fd, 0660) == -1)
		log_debug("shm: chmod 0660: %s", strerror(errno));
	if ((gr = getgrnam(SHM_GROUP)) != NULL &&
	    fchown(fd, (uid_t)-1, gr->gr_gid) == -1)
		log_debug("shm: cannot give the ring to group %s: %s",
		    SHM_GROUP, strerror(errno));
}

static uint64_t
shm_random_gen(void)
{
	uint64_t g = 0;

	if (getrandom(&g, sizeof(g), 0) != (ssize_t)sizeof(g))
		g = clock_now_ns() ^ ((uint64_t)getpid() << 32);
	g &= (1ull << 53) - 1;
	return g != 0 ? g : 1;
}

static int
shm_create_fd(struct shm_ring *r, char *err, size_t errlen)
{
	int fd, tries;

	for (tries = 0; tries < 1000; tries++) {
		snprintf(r->name, sizeof(r->name), SHM_PREFIX "%u-%u-%u",
		    (unsigned)getuid(), (unsigned)getpid(), shm_created++);
		fd = shm_open(r->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
		    0660);
		if (fd != -1 || errno != EEXIST)
			break;
	}
	if (fd == -1)
		return wire_fail(err, errlen, "shm_open %s: %s", r->name,
		    strerror(errno));
	return fd;
}

struct shm_ring *
shm_ring_create(const struct shm_geom *g, char *err, size_t errlen)
{
	struct shm_ring *r;
	int fd;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		wire_fail(err, errlen, "out of memory");
		return NULL;
	}
	if (shm_layout(g, shm_page(), &r->hdr, err, errlen) == -1 ||
	    (fd = shm_create_fd(r, err, errlen)) == -1) {
		free(r);
		return NULL;
	}
	r->owner = 1;
	r->hdr.gen = shm_random_gen();
	r->hdr.owner_pid = (uint32_t)getpid();
	r->hdr.owner_uid = (uint32_t)getuid();
	r->hdr.owner_pidns = shm_pidns();
	shm_share(fd);
	if (ftruncate(fd, (off_t)r->hdr.total) == -1) {
		wire_fail(err, errlen, "cannot size shm ring %s to %" PRIu64
		    " bytes: %s", r->name, r->hdr.total, strerror(errno));
		goto fail;
	}
	if ((r->base = shm_map(fd, &r->hdr, PROT_READ | PROT_WRITE, err,
	    errlen)) == NULL)
		goto fail;
	close(fd);
	r->map_len = shm_map_len(&r->hdr);
	/* The magic last: a half-written header never checks. */
	memcpy(r->base, &r->hdr, sizeof(r->hdr));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(r->base, SHM_MAGIC, 8);
	memcpy(r->hdr.magic, SHM_MAGIC, 8);
	return r;
fail:
	close(fd);
	shm_unlink(r->name);
	free(r);
	return NULL;
}

void *
shm_ring_slot(struct shm_ring *r, uint32_t slot)
{
	if (slot >= r->hdr.nslots)
		return NULL;
	return r->base + r->hdr.hdr_size + (uint64_t)slot * r->hdr.stride;
}

const void *
shm_ring_out(const struct shm_ring *r, uint32_t out)
{
	if (out >= r->hdr.nout)
		return NULL;
	return r->base + r->hdr.hdr_size +
	    2 * (uint64_t)r->hdr.nslots * r->hdr.stride +
	    (uint64_t)out * r->hdr.out_stride;
}

void
shm_ring_free(struct shm_ring **rp)
{
	struct shm_ring *r = *rp;

	if (r == NULL)
		return;
	if (!r->owner)
		shm_guard(r, 0);
	if (r->base != NULL)
		munmap(r->base, r->map_len);
	if (r->owner && shm_unlink(r->name) == -1 && errno != ENOENT)
		log_warn("shm_unlink %s", r->name);
	free(r);
	*rp = NULL;
}

const struct shm_hdr *
shm_ring_hdr(const struct shm_ring *r)
{
	return &r->hdr;
}

const char *
shm_ring_name(const struct shm_ring *r)
{
	return r->name;
}

unsigned char *
shm_ring_base(const struct shm_ring *r)
{
	return r->base;
}

/* A creator is dead when no process has its pid (EPERM: alive, not ours). */
static int
shm_pid_dead(uint32_t pid)
{
	return pid == 0 || pid > INT32_MAX ||
	    (kill((pid_t)pid, 0) == -1 && errno == ESRCH);
}

/* Our pid namespace (the low bits of its inode), 0 when unknown. */
static uint32_t
shm_pidns(void)
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) == 0 ? (uint32_t)st.st_ino : 0;
}

/* Was the ring in dir made in another pid namespace than ours? */
static int
shm_other_pidns(int dfd, const char *name)
{
	struct shm_hdr h;
	uint32_t ours = shm_pidns();
	int fd, other = 0;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return 0;
	if (pread(fd, &h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
	    memcmp(h.magic, SHM_MAGIC, sizeof(h.magic)) == 0)
		other = ours != 0 && h.owner_pidns != 0 && h.owner_pidns != ours;
	close(fd);
	return other;
}

/* Is name "<ring>.<lane>.req" or ".rep"? 1 yes, 0 a plain name, -1 some
 * other name with a dot. */
static int
shm_lane_base(const char *name)
{
	const char *dot = strchr(name, '.'), *p;

	if (dot == NULL)
		return 0;
	for (p = dot + 1; *p >= '0' && *p <= '9'; p++)
		;
	if (p == dot + 1 || p - dot > 4 ||
	    (strcmp(p, ".req") != 0 && strcmp(p, ".rep") != 0))
		return -1;
	return 1;
}

int
shm_reap_stale(const char *dir)
{
	char path[SHM_NAME_MAX + 1], ring[sizeof(path)];
	struct dirent *de;
	struct stat st;
	uint32_t uid, pid;
	DIR *d;
	int removed = 0, lane;

	if ((d = opendir(dir != NULL ? dir : SHM_DIR)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (snprintf(path, sizeof(path), "/%s", de->d_name) >=
		    (int)sizeof(path))
			continue;
		/* A ring's lane pipes (lane.h) go with it. */
		memcpy(ring, path, sizeof(ring));
		if ((lane = shm_lane_base(ring)) == 1)
			ring[strcspn(ring, ".")] = '\0';
		if (lane == -1 || shm_name_parse(ring, &uid, &pid, NULL) == -1 ||
		    uid != (uint32_t)getuid() || pid == (uint32_t)getpid() ||
		    !shm_pid_dead(pid))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !(lane ? S_ISFIFO(st.st_mode) : S_ISREG(st.st_mode)) ||
		    st.st_uid != getuid() ||
		    shm_other_pidns(dirfd(d), ring + 1))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0) {
			log_info("shm: removed %s, left by dead process %" PRIu32,
			    path, pid);
			removed++;
		}
	}
	closedir(d);
	return removed;
}

/* A ring truncated under a worker makes its next read of the lost pages
 * fault with SIGBUS. Put zero pages over the whole mapping instead and
 * mark the ring broken: the request in hand computes on zeros, the ring
 * is dropped from the cache, and the worker lives. Runs on the faulting
 * (main) thread, the only one that touches the rings. */
static void
shm_sigbus(int sig, siginfo_t *si, void *ctx)
{
	unsigned char *a = si->si_addr;
	struct shm_ring *r;
	int i;

	for (i = 0; i < SHM_GUARD_MAX; i++) {
		r = shm_guarded[i];
		if (r != NULL && a >= r->base && a < r->base + r->map_len) {
			if (mmap(r->base, r->map_len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
			    MAP_FAILED)
				break;
			r->broken = 1;
			return;
		}
	}
	signal(SIGBUS, SIG_DFL);	/* not ours: fault again, and die */
}

static void
shm_guard(struct shm_ring *r, int on)
{
	static int installed;
	struct sigaction sa;
	int i;

	if (on && !installed) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = shm_sigbus;
		sa.sa_flags = SA_SIGINFO;
		sigemptyset(&sa.sa_mask);
		installed = sigaction(SIGBUS, &sa, NULL) == 0;
	}
	for (i = 0; i < SHM_GUARD_MAX; i++)
		if (shm_guarded[i] == (on ? NULL : r)) {
			shm_guarded[i] = on ? r : NULL;
			return;
		}
}

int
shm_ring_broken(const struct shm_ring *r)
{
	return r->broken;
}

struct shm_ring *
shm_ring_open(const char *name, char *err, size_t errlen)
{
	struct shm_ring *r;
	struct stat st;
	int fd;

	if (shm_name_check(name, err, errlen) == -1)
		return NULL;
	if ((fd = shm_open(name, O_RDWR | O_CLOEXEC, 0)) == -1) {
		wire_fail(err, errlen, "cannot open shm ring %s: %s", name,
		    strerror(errno));
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		close(fd);
		wire_fail(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(r->name, sizeof(r->name), "%s", name);
	errno = 0;
	if (fstat(fd, &st) == -1 || pread(fd, &r->hdr, sizeof(r->hdr), 0) !=
	    (ssize_t)sizeof(r->hdr)) {
		wire_fail(err, errlen, "cannot read shm ring %s: %s", name,
		    errno ? strerror(errno) : "too short");
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		wire_fail(err, errlen, "shm ring %s is not a regular file", name);
		goto fail;
	}
	if (shm_hdr_check(&r->hdr, (uint64_t)st.st_size, shm_page(), err,
	    errlen) == -1 ||
	    (r->base = shm_map(fd, &r->hdr, PROT_READ, err, errlen)) == NULL)
		goto fail;
	r->map_len = shm_map_len(&r->hdr);
	r->ino = st.st_ino;
	close(fd);
	shm_guard(r, 1);
	return r;
fail:
	close(fd);
	free(r);
	return NULL;
}

struct shm_cache *
shm_cache_new(int max_rings)
{
	struct shm_cache *c;

	if (max_rings < 1 || (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->ent = calloc((size_t)max_rings, sizeof(*c->ent))) == NULL) {
		free(c);
		return NULL;
	}
	c->max = max_rings;
	return c;
}

static void
shm_cache_drop(struct shm_cache *c, int i)
{
	log_debug("shm: unmapped %s", shm_ring_name(c->ent[i].ring));
	shm_ring_free(&c->ent[i].ring);
	c->ent[i] = c->ent[--c->n];
}

void
shm_cache_free(struct shm_cache **cp)
{
	struct shm_cache *c = *cp;

	if (c == NULL)
		return;
	while (c->n > 0)
		shm_cache_drop(c, c->n - 1);
	free(c->ent);
	free(c);
	*cp = NULL;
}

int
shm_cache_count(const struct shm_cache *c)
{
	return c->n;
}

int
shm_cache_has(const struct shm_cache *c, const char *name, uint64_t gen)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->ent[i].ring->hdr.gen == gen &&
		    strcmp(c->ent[i].ring->name, name) == 0)
			return 1;
	return 0;
}

/* Is a mapped ring still wanted? Not once its name is gone (the client
 * exited, or the next one removed it) or names another object, nor once
 * its creator died, when that pid can be checked from here. */
static int
shm_ring_stale(const struct shm_ring *r, uint32_t pidns)
{
	char path[SHM_NAME_MAX + sizeof(SHM_DIR)];
	struct stat st;

	snprintf(path, sizeof(path), SHM_DIR "%s", r->name);
	if (stat(path, &st) == -1 ? errno == ENOENT : st.st_ino != r->ino)
		return 1;
	return pidns != 0 && r->hdr.owner_pidns == pidns &&
	    shm_pid_dead(r->hdr.owner_pid);
}

int
shm_cache_sweep(struct shm_cache *c)
{
	uint32_t pidns = shm_pidns();
	int i, n = 0;

	for (i = c->n - 1; i >= 0; i--)
		if (shm_ring_stale(c->ent[i].ring, pidns)) {
			shm_cache_drop(c, i);
			n++;
		}
	c->swept_ns = clock_now_ns();
	return n;
}

/* The mapping for r's ring: cached, or mapped now (evicting the least
 * recently used ring when full). A cached ring of another generation was
 * replaced under the same name: map the new one. */
static struct shm_ring *
shm_cache_ring(struct shm_cache *c, const struct shm_req *r, char *err,
    size_t errlen)
{
	struct shm_ring *ring;
	int i, lru = 0;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->ent[i].ring->name, r->ring) == 0) {
			if (c->ent[i].ring->hdr.gen == r->gen &&
			    !c->ent[i].ring->broken) {
				c->ent[i].used = ++c->tick;
				return c->ent[i].ring;
			}
			shm_cache_drop(c, i);
			break;
		}
	if ((ring = shm_ring_open(r->ring, err, errlen)) == NULL)
		return NULL;
	if (c->n == c->max) {
		for (i = 1; i < c->n; i++)
			if (c->ent[i].used < c->ent[lru].used)
				lru = i;
		shm_cache_drop(c, lru);
	}
	c->ent[c->n].ring = ring;
	c->ent[c->n++].used = ++c->tick;
	log_debug("shm: mapped %s: %" PRIu32 " slots of %" PRIu64 " bytes, %"
	    PRIu32 " outputs", ring->name, ring->hdr.nslots, ring->hdr.stride,
	    ring->hdr.nout);
	return ring;
}

int
shm_cache_lookup(struct shm_cache *c, const void *hdr, size_t len,
    uint64_t nbytes, struct shm_view *v, char *err, size_t errlen)
{
	struct shm_ring *ring;
	struct shm_span s;
	struct shm_req r;
	int rc;

	if ((rc = shm_req_parse(hdr, len, &r, err, errlen)) != 0)
		return rc;
	if (clock_now_ns() - c->swept_ns > 1000000000ull)
		shm_cache_sweep(c);
	if ((ring = shm_cache_ring(c, &r, err, errlen)) == NULL ||
	    shm_req_resolve(&ring->hdr, &r, nbytes, &s, err, errlen) == -1)
		return -1;
	v->in = ring->base + s.in_off;
	v->in_len = s.in_len;
	v->out = s.out_cap > 0 ? ring->base + s.out_off : NULL;
	v->out_cap = s.out_cap;
	v->out_slot = s.out;
	v->lane = r.lane;
	v->ring = ring->name;
	v->hdr = &ring->hdr;
	return 0;
}
