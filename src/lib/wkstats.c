/* wkstats.c: the request counters a worker shares with its supervisor
 * (see wkstats.h): the worker's updates, the supervisor's file of slots,
 * and the histogram's bounds. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wkstats.h"

_Static_assert(sizeof(struct wkstats) <= WKSTATS_SLOT, "a slot holds a wkstats");
_Static_assert(4096 % WKSTATS_SLOT == 0, "no slot straddles a page");

#define FILE_SIZE	((size_t)WKSTATS_SLOTS_MAX * WKSTATS_SLOT)

/* One writer: a load and a store, no locked instruction. */
static inline void
bump(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + v,
	    __ATOMIC_RELAXED);
}

static inline uint64_t
get(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

int
wkstats_attach(struct wkstats_w *w, int fd, long n, char *err, size_t errlen)
{
	long pg = sysconf(_SC_PAGESIZE);
	off_t off = (off_t)n * WKSTATS_SLOT, at;
	struct stat st;
	void *p;

	memset(w, 0, sizeof *w);
	if (n < 0 || n >= WKSTATS_SLOTS_MAX || pg <= 0 || pg % WKSTATS_SLOT) {
		snprintf(err, errlen, "slot %ld is out of range 0..%d", n,
		    WKSTATS_SLOTS_MAX - 1);
		goto fail;
	}
	at = off - off % pg;
	if (fstat(fd, &st) == -1 || st.st_size < off + WKSTATS_SLOT) {
		snprintf(err, errlen, "descriptor %d is not a counters file: %s",
		    fd, errno ? strerror(errno) : "too small");
		goto fail;
	}
	if ((p = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    at)) == MAP_FAILED) {
		snprintf(err, errlen, "cannot map descriptor %d: %s", fd,
		    strerror(errno));
		goto fail;
	}
	w->map = p;
	w->maplen = (size_t)pg;
	w->slot = (struct wkstats *)(void *)((char *)p + (off - at));
	w->nbounds = __atomic_load_n(&w->slot->nbounds, __ATOMIC_RELAXED);
	if (__atomic_load_n(&w->slot->magic, __ATOMIC_RELAXED) != WKSTATS_MAGIC ||
	    w->nbounds > WKSTATS_BOUNDS) {
		snprintf(err, errlen, "slot %ld of descriptor %d is not set up",
		    n, fd);
		wkstats_detach(w);
		goto fail;
	}
	memcpy(w->bound_ns, w->slot->bound_ns, sizeof w->bound_ns);
	close(fd);
	return 0;
fail:
	close(fd);
	return -1;
}

void
wkstats_detach(struct wkstats_w *w)
{
	if (w->map != NULL)
		munmap(w->map, w->maplen);
	memset(w, 0, sizeof *w);
}

void
wkstats_begin(const struct wkstats_w *w)
{
	if (w->slot != NULL)
		bump(&w->slot->pending, 1);
}

void
wkstats_drop(const struct wkstats_w *w)
{
	if (w->slot != NULL && get(&w->slot->pending) > 0)
		bump(&w->slot->pending, (uint64_t)-1);
}

void
wkstats_end(const struct wkstats_w *w, int ok, unsigned batch, uint64_t queue_ns,
    uint64_t compute_ns)
{
	struct wkstats *s = w->slot;
	uint64_t t = queue_ns + compute_ns;
	uint32_t i;

	if (s == NULL)
		return;
	if (get(&s->pending) > 0)
		bump(&s->pending, (uint64_t)-1);
	if (!ok) {
		bump(&s->failure, 1);
		return;
	}
	for (i = 0; i < w->nbounds && t > w->bound_ns[i]; i++)
		;
	bump(&s->bucket[i], 1);
	bump(&s->success, 1);
	bump(&s->inferences, batch);
	bump(&s->execs, batch > 0);
	bump(&s->request_ns, t);
	bump(&s->queue_ns, queue_ns);
	bump(&s->compute_ns, compute_ns);
}

int
wkstats_file_open(struct wkstats_file *f)
{
	void *p;

	memset(f, 0, sizeof *f);
	if ((f->fd = memfd_create("fake-servers-counters", MFD_CLOEXEC)) == -1)
		return -1;
	/* Sparse: only the pages of slots in use take memory. */
	if (ftruncate(f->fd, (off_t)FILE_SIZE) == -1 ||
	    (p = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	    f->fd, 0)) == MAP_FAILED) {
		close(f->fd);
		f->fd = -1;
		return -1;
	}
	f->base = p;
	return 0;
}

void
wkstats_file_close(struct wkstats_file *f)
{
	if (f->base != NULL)
		munmap(f->base, FILE_SIZE);
	if (f->fd != -1)
		close(f->fd);
	f->base = NULL;
	f->fd = -1;
}

long
wkstats_file_alloc(struct wkstats_file *f, uint64_t cost_ns)
{
	struct wkstats *s;
	long n;

	if (f->base == NULL)
		return -1;
	for (n = 0; n < WKSTATS_SLOTS_MAX; n++)
		if (!(f->used[n / 8] & (1u << (n % 8))))
			break;
	if (n == WKSTATS_SLOTS_MAX)
		return -1;
	f->used[n / 8] |= (unsigned char)(1u << (n % 8));
	s = wkstats_file_slot(f, n);
	memset(s, 0, WKSTATS_SLOT);
	s->nbounds = wkstats_fit(cost_ns, s->bound_ns);
	s->magic = WKSTATS_MAGIC;
	return n;
}

void
wkstats_file_free(struct wkstats_file *f, long n)
{
	if (n >= 0 && n < WKSTATS_SLOTS_MAX)
		f->used[n / 8] &= (unsigned char)~(1u << (n % 8));
}

struct wkstats *
wkstats_file_slot(struct wkstats_file *f, long n)
{
	if (f->base == NULL || n < 0 || n >= WKSTATS_SLOTS_MAX)
		return NULL;
	return (struct wkstats *)(void *)((char *)f->base + n * WKSTATS_SLOT);
}

void
wkstats_read(const struct wkstats *s, struct wkstats *o)
{
	size_t i;

	o->magic = s->magic;
	o->nbounds = s->nbounds < WKSTATS_BOUNDS ? s->nbounds : WKSTATS_BOUNDS;
	memcpy(o->bound_ns, s->bound_ns, sizeof o->bound_ns);
	o->success = get(&s->success);
	o->failure = get(&s->failure);
	o->inferences = get(&s->inferences);
	o->execs = get(&s->execs);
	o->request_ns = get(&s->request_ns);
	o->queue_ns = get(&s->queue_ns);
	o->compute_ns = get(&s->compute_ns);
	o->pending = get(&s->pending);
	for (i = 0; i <= WKSTATS_BOUNDS; i++)
		o->bucket[i] = get(&s->bucket[i]);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Half the cost and the cost itself (a request ends no sooner than its
 * cost, unless interrupted), the cost plus 10 us to 10 ms in 1-2.5-5
 * steps (where the overhead shows), then 2, 5 and 10 times the cost. */
uint32_t
wkstats_fit(uint64_t cost_ns, uint64_t b[WKSTATS_BOUNDS])
{
	static const uint64_t over_us[] = {
		10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000
	};
	uint64_t c[WKSTATS_BOUNDS];
	uint32_t n = 0, m = 0, i;

	if (cost_ns > 0) {
		c[n++] = cost_ns / 2;
		c[n++] = cost_ns;
	}
	for (i = 0; i < sizeof over_us / sizeof over_us[0]; i++)
		c[n++] = cost_ns + over_us[i] * 1000;
	if (cost_ns > 0) {
		c[n++] = cost_ns * 2;
		c[n++] = cost_ns * 5;
		c[n++] = cost_ns * 10;
	}
	qsort(c, n, sizeof c[0], cmp_u64);
	for (i = 0; i < n; i++)
		if (c[i] > 0 && (m == 0 || c[i] > b[m - 1]))
			b[m++] = c[i];
	return m;
}
