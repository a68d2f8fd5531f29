/* wklive.c: the sequence lock over a worker's live parameters (see
 * wklive.h). */
#include "config.h"

#include <string.h>

#include "wklive.h"

#define WORDS	(sizeof(struct wklive_vals) / sizeof(uint64_t))
#define TRIES	64

_Static_assert(sizeof(struct wklive_vals) % sizeof(uint64_t) == 0,
    "the values are whole words");

void
wklive_write(struct wklive *l, const struct wklive_vals *v)
{
	uint64_t g = __atomic_load_n(&l->gen, __ATOMIC_RELAXED), w[WORDS];
	uint64_t *dst = (uint64_t *)(void *)&l->v;
	size_t i;

	memcpy(w, v, sizeof w);
	__atomic_store_n(&l->gen, g + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (i = 0; i < WORDS; i++)
		__atomic_store_n(&dst[i], w[i], __ATOMIC_RELAXED);
	__atomic_store_n(&l->gen, g + 2, __ATOMIC_RELEASE);
}

int
wklive_read(const struct wklive *l, struct wklive_vals *out, uint64_t *gen)
{
	const uint64_t *src = (const uint64_t *)(const void *)&l->v;
	uint64_t g, w[WORDS];
	size_t i;
	int t;

	for (t = 0; t < TRIES; t++) {
		g = __atomic_load_n(&l->gen, __ATOMIC_ACQUIRE);
		if (g & 1)
			continue;
		for (i = 0; i < WORDS; i++)
			w[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&l->gen, __ATOMIC_RELAXED) != g)
			continue;
		memcpy(out, w, sizeof w);
		*gen = g;
		return 0;
	}
	return -1;
}
