/* kind_detection.c: a detector: boxes drawn over the frame.
 *
 * Its output is float32 [n, 6], one row a box: x1, y1, x2, y2 in the
 * frame's pixels, a score in (0, 1) in falling order, and a class from 0
 * to n_classes - 1; n is drawn per request from boxes_min to boxes_max,
 * so the reply's size varies as a real detector's does.
 */
#include "config.h"

#include "kind.h"

#define BOX_FIELDS	6

/* The frame's height and width: the first two axes of an image [H, W]
 * or [H, W, C], the middle two of a batch [N, H, W, C]. */
static void
kind_detection_hw(const struct wire_header *in, double *h, double *w)
{
	int a = in->ndim >= 4 ? in->ndim - 3 : 0;

	*h = (double)in->shape[a];
	*w = (double)in->shape[a + 1];
}

int
kind_detection_plan(const struct kind_opts *o, struct rng *rng,
    const struct wire_header *in, struct wire_header *out, char *err,
    size_t errlen)
{
	uint64_t shape[2] = { (uint64_t)o->boxes_max, BOX_FIELDS };
	uint64_t span = (uint64_t)(o->boxes_max - o->boxes_min) + 1;

	if (in->ndim < 2)
		return wire_fail(err, errlen, "detection needs an image of 2 "
		    "or more dimensions, got %d", in->ndim);
	if (in->dtype.kind == 'c')
		return wire_fail(err, errlen, "detection takes real numbers, "
		    "not %s", in->dtype.name);
	if (rng != NULL)
		shape[0] = (uint64_t)o->boxes_min + rng_next(rng) % span;
	if (wire_header_array(out, "float32", shape, 2) == -1)
		return wire_fail(err, errlen, "no output for %d boxes",
		    o->boxes_max);
	return 0;
}

void
kind_detection(struct kind_ctx *ctx, const struct wire_header *in,
    const void *src, const struct wire_header *out, void *dst)
{
	uint64_t i, n = out->shape[0];
	double h, w, x, y, score = 1;
	float *b = dst;

	(void)src;
	kind_detection_hw(in, &h, &w);
	for (i = 0; i < n; i++, b += BOX_FIELDS) {
		x = rng_unit(&ctx->rng) * w;
		y = rng_unit(&ctx->rng) * h;
		b[0] = (float)x;
		b[1] = (float)y;
		b[2] = (float)(x + rng_unit(&ctx->rng) * (w - x));
		b[3] = (float)(y + rng_unit(&ctx->rng) * (h - y));
		/* Each score a fraction of the one before: falling. */
		score *= 0.5 + 0.5 * rng_unit(&ctx->rng);
		b[4] = (float)score;
		b[5] = (float)(rng_next(&ctx->rng) %
		    (uint64_t)ctx->o.n_classes);
	}
}
