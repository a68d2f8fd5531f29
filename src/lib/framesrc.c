/* framesrc.c: random frames in a contiguous, reference-counted history. */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "framesrc.h"

struct framesrc_hint {
	struct framesrc *fs;
	int	k;
};

struct framesrc {
	unsigned char *base;
	size_t	frame_bytes;
	int	window, nslots;		/* slots in the ring; the mirror follows */
	int	wrapped;		/* the memory is not ours; no mirror copy */
	uint64_t rng[4];
	atomic_int *ref;		/* per ring slot */
	struct framesrc_hint *hints;	/* [window + 1]: the k of a block */
};

/* Frames of any size: words may be unaligned. */
typedef uint64_t u64u __attribute__((__aligned__(1), __may_alias__));

/* Eight xorshift64 streams in two vectors (four SSE2 registers on plain
 * x86-64), independent so that they overlap in the pipeline. */
typedef uint64_t v4u __attribute__((__vector_size__(32)));

#define XORSHIFT(x)	do { x ^= x << 13; x ^= x >> 7; x ^= x << 17; } while (0)

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((__target_clones__("avx2", "default")))
#endif
static void
fill_lanes(u64u *p, size_t n, uint64_t *s)
{
	v4u x = { s[0], s[1], s[2], s[3] };
	v4u y = { (s[0] ^ 0x9e3779b97f4a7c15ull) | 1,
	    (s[1] ^ 0x9e3779b97f4a7c15ull) | 1,
	    (s[2] ^ 0x9e3779b97f4a7c15ull) | 1,
	    (s[3] ^ 0x9e3779b97f4a7c15ull) | 1 };
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		XORSHIFT(x);
		XORSHIFT(y);
		memcpy(&p[i], &x, sizeof x);
		memcpy(&p[i + 4], &y, sizeof y);
	}
	for (; i < n; i++) {
		XORSHIFT(x);
		p[i] = x[0];
	}
	s[0] = x[0]; s[1] = x[1]; s[2] = x[2]; s[3] = x[3];
}

static void
seed_lanes(uint64_t *s, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++) {	/* splitmix64: never an all-zero lane */
		uint64_t z = (seed += 0x9e3779b97f4a7c15ull);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		s[i] = (z ^ (z >> 31)) | 1;
	}
}

static void
fill_bytes(unsigned char *p, size_t len, uint64_t *lanes)
{
	uint64_t tail;
	size_t n = len / 8;

	fill_lanes((u64u *)(void *)p, n, lanes);
	if (len % 8) {
		fill_lanes(&tail, 1, lanes);
		memcpy(p + n * 8, &tail, len % 8);
	}
}

void
framesrc_random(void *buf, size_t len, uint64_t *state)
{
	uint64_t lanes[4];

	seed_lanes(lanes, *state);
	fill_bytes(buf, len, lanes);
	*state = lanes[0];
}

static struct framesrc *
framesrc_alloc(size_t frame_bytes, int window, int nslots, uint64_t seed)
{
	struct framesrc *fs;
	int i;

	if ((fs = calloc(1, sizeof *fs)) == NULL)
		return NULL;
	fs->frame_bytes = frame_bytes;
	fs->window = window;
	fs->nslots = nslots;
	if ((fs->ref = calloc((size_t)nslots, sizeof *fs->ref)) == NULL ||
	    (fs->hints = calloc((size_t)window + 1, sizeof *fs->hints)) == NULL) {
		framesrc_free(&fs);
		return NULL;
	}
	for (i = 0; i <= window; i++) {
		fs->hints[i].fs = fs;
		fs->hints[i].k = i;
	}
	seed_lanes(fs->rng, seed);
	return fs;
}

struct framesrc *
framesrc_wrap(void *mem, size_t frame_bytes, int nslots, int window,
    uint64_t seed)
{
	struct framesrc *fs;

	if (window < 1 || window > FRAMESRC_WINDOW_MAX || nslots < window ||
	    frame_bytes == 0 ||
	    (fs = framesrc_alloc(frame_bytes, window, nslots, seed)) == NULL)
		return NULL;
	fs->base = mem;
	fs->wrapped = 1;
	/* Fault both views of every page in now, not during the run. */
	memset(fs->base, 0, frame_bytes * (size_t)nslots * 2);
	return fs;
}

struct framesrc *
framesrc_new(size_t frame_bytes, int window, int depth, uint64_t seed)
{
	struct framesrc *fs;
	size_t total, n;
	void *mem;

	if (window < 1 || window > FRAMESRC_WINDOW_MAX || depth < 0 ||
	    depth > FRAMESRC_WINDOW_MAX || frame_bytes == 0)
		return NULL;
	n = (size_t)(window + depth + 1 + window - 1);
	total = frame_bytes * n;
	if (total / frame_bytes != n ||
	    (fs = framesrc_alloc(frame_bytes, window, window + depth + 1,
	    seed)) == NULL)
		return NULL;
	if (posix_memalign(&mem, 64, total) != 0) {
		framesrc_free(&fs);
		return NULL;
	}
	fs->base = mem;
	memset(fs->base, 0, total);	/* fault every page in now */
	return fs;
}

void
framesrc_free(struct framesrc **fsp)
{
	struct framesrc *fs = *fsp;

	if (fs == NULL)
		return;
	if (!fs->wrapped)
		free(fs->base);
	free(fs->ref);
	free(fs->hints);
	free(fs);
	*fsp = NULL;
}

size_t
framesrc_frame_bytes(const struct framesrc *fs)
{
	return fs->frame_bytes;
}

int
framesrc_slots(const struct framesrc *fs)
{
	return fs->nslots;
}

static int
slot_of(const struct framesrc *fs, int64_t f)
{
	return (int)(f % fs->nslots);
}

int
framesrc_can_fill(const struct framesrc *fs, int64_t f)
{
	return atomic_load(&fs->ref[slot_of(fs, f)]) == 0;
}

void
framesrc_fill(struct framesrc *fs, int64_t f)
{
	int s = slot_of(fs, f);
	unsigned char *p = fs->base + (size_t)s * fs->frame_bytes;

	fill_bytes(p, fs->frame_bytes, fs->rng);
	if (!fs->wrapped && s < fs->window - 1)
		memcpy(p + (size_t)fs->nslots * fs->frame_bytes, p,
		    fs->frame_bytes);
}

/* The block starts at the slot of its first frame; the mirror makes any
 * start below nslots good for window frames. */
void *
framesrc_block(struct framesrc *fs, int64_t last, int k)
{
	int s = slot_of(fs, last - k + 1);

	return fs->base + (size_t)s * fs->frame_bytes;
}

static void
adjust(struct framesrc *fs, int first, int k, int delta)
{
	int i;

	for (i = 0; i < k; i++)
		atomic_fetch_add(&fs->ref[(first + i) % fs->nslots], delta);
}

void
framesrc_hold(struct framesrc *fs, int64_t last, int k)
{
	adjust(fs, slot_of(fs, last - k + 1), k, 1);
}

void *
framesrc_hint(struct framesrc *fs, int k)
{
	return &fs->hints[k];
}

void
framesrc_release(void *data, void *hint)
{
	struct framesrc_hint *h = hint;
	struct framesrc *fs = h->fs;
	size_t off = (size_t)((unsigned char *)data - fs->base);

	adjust(fs, (int)(off / fs->frame_bytes) % fs->nslots, h->k, -1);
}

int
framesrc_held(const struct framesrc *fs)
{
	int i, n = 0;

	for (i = 0; i < fs->nslots; i++)
		n += atomic_load(&fs->ref[i]) != 0;
	return n;
}
