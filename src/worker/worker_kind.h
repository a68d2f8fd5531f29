/* worker_kind.h: what each kind of fake model computes from a request.
 *
 * Pure functions of the input array, so the unit test checks them without
 * a socket: segmentation maps an image to a [H,W] mask, classification
 * draws class probabilities, echo returns its input.
 */
#ifndef FS_WORKER_KIND_H
#define FS_WORKER_KIND_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define WORKER_MAX_CLASSES	65536

enum worker_kind {
	WORKER_SEGMENTATION,
	WORKER_CLASSIFICATION,
	WORKER_ECHO
};

/* A small, fast PRNG (xoshiro256**), seeded once per process. */
struct worker_rng {
	uint64_t s[4];
};

int	worker_kind_parse(const char *name, enum worker_kind *out);
const char *worker_kind_name(enum worker_kind kind);

/* The output array a segmentation of `in` has: shape [H,W] (from [H,W],
 * [H,W,C] or a [...,H,W,C] stack, whose last frame counts) and its byte
 * size with 1 (uint8) or 8 (float64) bytes an item. 0, or -1 with the
 * reason in err. */
int	worker_seg_plan(const struct wire_header *in, int itemsize,
	    uint64_t shape[2], uint64_t *nbytes, char *err, size_t errlen);

/* out = 0.75 x channel 0 + 0.25 x channel 1 of the last frame (channel 1
 * is channel 0 when there is one channel). uint8 output is clamped to
 * [0, 255] and truncated like numpy's astype; NaN gives 0. */
void	worker_segment(const struct wire_header *in, const void *data,
	    int out_float64, void *out);

void	worker_rng_seed(struct worker_rng *rng, uint64_t seed);
uint64_t worker_rng_next(struct worker_rng *rng);

/* n probabilities summing to 1: a Dirichlet(1, ..., 1) draw. */
void	worker_classify(struct worker_rng *rng, double *out, int n);

#endif
