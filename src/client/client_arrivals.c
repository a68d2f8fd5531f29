/* client_arrivals.c: the frames' due times: evenly spaced (constant, the
 * seed's pacing) or a Poisson process (exponential gaps of the same
 * mean), from the run's --seed. A frame's age counts from its due time
 * either way. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "client_arrivals.h"

struct arrivals_kind {
	const char *name;
	uint64_t (*gap)(struct client_arrivals *);
};

static uint64_t
gap_constant(struct client_arrivals *a)
{
	return (uint64_t)(1e9 / a->rate);
}

/* splitmix64: a uniform double in [0, 1). */
static double
uniform(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (double)(z >> 11) * 0x1.0p-53;
}

static uint64_t
gap_poisson(struct client_arrivals *a)
{
	return (uint64_t)(-log1p(-uniform(&a->rng)) * 1e9 / a->rate);
}

static const struct arrivals_kind kinds[] = {
	{ "constant",	gap_constant },
	{ "poisson",	gap_poisson },
};
#define NKINDS	((int)(sizeof kinds / sizeof kinds[0]))

int
client_arrivals_kind(const char *name)
{
	int i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return i;
	return -1;
}

const char *
client_arrivals_name(int kind)
{
	return kind >= 0 && kind < NKINDS ? kinds[kind].name : "?";
}

const char *
client_arrivals_names(void)
{
	static char names[64];
	size_t n = 0;
	int i;

	if (names[0] != '\0')
		return names;
	for (i = 0; i < NKINDS && n < sizeof names; i++)
		n += (size_t)snprintf(names + n, sizeof names - n, "%s%s",
		    i == 0 ? "" : i + 1 < NKINDS ? ", " : " or ", kinds[i].name);
	return names;
}

void
client_arrivals_init(struct client_arrivals *a, int kind, double rate,
    uint64_t seed)
{
	a->kind = kind >= 0 && kind < NKINDS ? kind : 0;
	a->rate = rate;
	a->rng = seed ^ 0x5deece66dull;
}

void
client_arrivals_rate(struct client_arrivals *a, double rate)
{
	a->rate = rate;
}

uint64_t
client_arrivals_gap(struct client_arrivals *a)
{
	return a->rate > 0 ? kinds[a->kind].gap(a) : 0;
}
