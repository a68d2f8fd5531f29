/* rng.h: a small, fast random generator (xoshiro256**) and the draws the
 * modelled costs and faults need: uniform, normal and gamma variates.
 *
 * A worker's generator is seeded once; rng_seed_name derives the seed from
 * its name and replica, so that replicas draw different sequences and a
 * run repeats.
 */
#ifndef FS_RNG_H
#define FS_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void	 rng_seed(struct rng *, uint64_t seed);
/* A seed from a worker's name and replica (FNV-1a, then mixed). */
uint64_t rng_seed_name(const char *name, int replica);
uint64_t rng_next(struct rng *);
/* Uniform in (0, 1]: never 0, so its logarithm is finite. */
double	 rng_unit(struct rng *);
/* Standard normal (Marsaglia's polar method). */
double	 rng_normal(struct rng *);
/* Gamma with the given shape (> 0) and scale 1 (Marsaglia and Tsang). */
double	 rng_gamma(struct rng *, double shape);

#endif
