/* kind_classification.c: a model that draws class probabilities. */
#include "config.h"

#include <math.h>

#include "kind.h"

/* float64 [n_classes], whatever the input. */
int
kind_classification_plan(const struct kind_opts *o, struct rng *rng,
    const struct wire_header *in, struct wire_header *out, char *err,
    size_t errlen)
{
	(void)rng;
	uint64_t n = (uint64_t)o->n_classes;

	(void)in;
	if (wire_header_array(out, "float64", &n, 1) == -1)
		return wire_fail(err, errlen, "no output for %d classes",
		    o->n_classes);
	return 0;
}

/* n probabilities summing to 1: a Dirichlet(1, ..., 1) draw. */
void
kind_classification(struct kind_ctx *ctx, const struct wire_header *in,
    const void *src, const struct wire_header *out, void *dst)
{
	int i, n = (int)out->shape[0];
	double sum = 0, u, *p = dst;

	(void)in;
	(void)src;
	/* Exponential draws normalised are Dirichlet(1, ..., 1). */
	for (i = 0; i < n; i++) {
		u = rng_unit(&ctx->rng);
		p[i] = -log(u);
		sum += p[i];
	}
	if (sum <= 0) {		/* every draw was exactly 1: uniform */
		for (i = 0; i < n; i++)
			p[i] = 1.0 / n;
		return;
	}
	for (i = 0; i < n; i++)
		p[i] /= sum;
}
