/* fuzz_worker.c: fuzz what a worker computes from a request, for the kind
 * whose computation reads its input in the most ways (kind_segmentation.c).
 *
 * The input is a header, a NUL byte, then payload bytes. An accepted
 * header gets a payload of exactly its byte size (the input's bytes,
 * repeated), as the worker's payload check guarantees, in a buffer of that
 * size, so ASan sees any read past it; the mask the plan promises is
 * written into a buffer of exactly its planned size. Arrays over 4 MiB are
 * skipped to keep each run fast.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "log.h"
#include "wire.h"
#include "kind.h"

#define FUZZ_MAX_BYTES	(4u << 20)

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init("fuzz_worker", LOG_LVL_QUIET);
	return 0;
}

/* n bytes of the input's payload part, repeated (zeros when empty). */
static unsigned char *
fuzz_payload(const uint8_t *p, size_t plen, uint64_t n)
{
	unsigned char *buf;
	uint64_t i;

	if ((buf = malloc(n > 0 ? (size_t)n : 1)) == NULL)
		abort();
	for (i = 0; i < n; i++)
		buf[i] = plen > 0 ? p[i % plen] : 0;
	return buf;
}

static void
fuzz_segment(const struct wire_header *h, const uint8_t *p, size_t plen,
    int out_float64)
{
	const struct kind *k = kind_get(KIND_SEGMENTATION);
	struct kind_ctx ctx = { .o = { .out_float64 = out_float64 } };
	char err[WIRE_ERRLEN];
	struct wire_header o;
	uint64_t nbytes;
	unsigned char *in, *out;

	wire_header_init(&o);
	if (k->plan(&ctx.o, NULL, h, &o, err, sizeof err) == -1) {
		FUZZ_ASSERT(err[0] != '\0');
		return;
	}
	nbytes = o.nbytes;
	FUZZ_ASSERT(o.ndim == 2);
	FUZZ_ASSERT(nbytes == o.shape[0] * o.shape[1] * (out_float64 ? 8 : 1));
	FUZZ_ASSERT(nbytes <= h->nbytes * (out_float64 ? 8 : 1));
	in = fuzz_payload(p, plen, h->nbytes);
	if ((out = malloc(nbytes > 0 ? (size_t)nbytes : 1)) == NULL)
		abort();
	kind_compute(KIND_SEGMENTATION)(&ctx, h, in, &o, out);
	free(out);
	free(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t hlen = nul != NULL ? (size_t)(nul - data) : size;
	const uint8_t *p = nul != NULL ? nul + 1 : data + size;
	size_t plen = size - (size_t)(p - data);
	struct wire_header h;
	char err[WIRE_ERRLEN];

	if (wire_header_parse(data, hlen, &h, err, sizeof err) == -1 ||
	    h.is_error || h.nbytes > FUZZ_MAX_BYTES)
		return 0;
	fuzz_segment(&h, p, plen, 0);
	fuzz_segment(&h, p, plen, 1);
	return 0;
}
