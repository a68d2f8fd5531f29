/* worker_kind.c: the computations behind each kind of fake model. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "worker_kind.h"

static const char *const worker_kind_names[] = {
	[WORKER_SEGMENTATION] = "segmentation",
	[WORKER_CLASSIFICATION] = "classification",
	[WORKER_ECHO] = "echo",
};

int
worker_kind_parse(const char *name, enum worker_kind *out)
{
	size_t i;

	for (i = 0; i < FS_NELEM(worker_kind_names); i++)
		if (strcmp(name, worker_kind_names[i]) == 0) {
			*out = (enum worker_kind)i;
			return 0;
		}
	return -1;
}

const char *
worker_kind_name(enum worker_kind kind)
{
	return worker_kind_names[kind];
}

/* Where the last frame starts and how it is laid out: H, W, C. */
static void
worker_seg_frame(const struct wire_header *in, uint64_t *hwc,
    uint64_t *nframes)
{
	int i, n = in->ndim;

	if (n == 2) {
		hwc[0] = in->shape[0];
		hwc[1] = in->shape[1];
		hwc[2] = 1;
		*nframes = 1;
		return;
	}
	hwc[0] = in->shape[n - 3];
	hwc[1] = in->shape[n - 2];
	hwc[2] = in->shape[n - 1];
	/* Saturate: with an empty axis elsewhere the product is unchecked. */
	*nframes = 1;
	for (i = 0; i < n - 3; i++)
		if (__builtin_mul_overflow(*nframes, in->shape[i], nframes))
			*nframes = UINT64_MAX;
}

int
worker_seg_plan(const struct wire_header *in, int itemsize, uint64_t shape[2],
    uint64_t *nbytes, char *err, size_t errlen)
{
	uint64_t hwc[3], nframes;

	if (in->ndim < 2) {
		snprintf(err, errlen, "segmentation needs an image of 2 or "
		    "more dimensions, got %d", in->ndim);
		return -1;
	}
	if (in->dtype.kind == 'c') {
		snprintf(err, errlen, "segmentation takes real numbers, "
		    "not %s", in->dtype.name);
		return -1;
	}
	worker_seg_frame(in, hwc, &nframes);
	if (nframes == 0 || (hwc[2] == 0 && hwc[0] != 0 && hwc[1] != 0)) {
		snprintf(err, errlen, "segmentation input has no %s",
		    nframes == 0 ? "frame" : "channel");
		return -1;
	}
	shape[0] = hwc[0];
	shape[1] = hwc[1];
	/* With C > 0, H x W <= the input's item count: no overflow. */
	*nbytes = hwc[0] * hwc[1] * (uint64_t)itemsize;
	return 0;
}

static double
worker_half(uint16_t h)
{
	int e = (h >> 10) & 0x1f, m = h & 0x3ff;
	double v;

	if (e == 0)
		v = ldexp(m, -24);
	else if (e == 31)
		v = m ? NAN : INFINITY;
	else
		v = ldexp(m | 0x400, e - 25);
	return (h & 0x8000) ? -v : v;
}

/* One item of any real dtype as a double (data is little-endian). */
static double
worker_load(const unsigned char *p, const struct wire_dtype *d)
{
	union { uint8_t u1; int8_t i1; uint16_t u2; int16_t i2; uint32_t u4;
	    int32_t i4; uint64_t u8; int64_t i8; float f4; double f8; } v;

	memcpy(&v, p, (size_t)d->itemsize);
	switch (d->kind) {
	case 'b':
		return v.u1 != 0;
	case 'u':
		return d->itemsize == 1 ? v.u1 : d->itemsize == 2 ? v.u2 :
		    d->itemsize == 4 ? v.u4 : (double)v.u8;
	case 'i':
		return d->itemsize == 1 ? v.i1 : d->itemsize == 2 ? v.i2 :
		    d->itemsize == 4 ? v.i4 : (double)v.i8;
	default:
		return d->itemsize == 2 ? worker_half(v.u2) :
		    d->itemsize == 4 ? v.f4 : v.f8;
	}
}

static uint8_t
worker_clamp_u8(double v)
{
	if (!(v > 0))		/* also NaN */
		return 0;
	return v >= 255 ? 255 : (uint8_t)v;
}

/* The common case, uint8 image to uint8 mask: exact in integers, since
 * (3 a + b) / 4 truncated equals 0.75 a + 0.25 b truncated. */
static void
worker_segment_u8(const unsigned char *in, uint64_t npix, uint64_t c,
    int out_float64, void *out)
{
	uint64_t i, c1 = c > 1 ? 1 : 0;
	uint8_t *o = out;

	for (i = 0; i < npix; i++, in += c)
		o[i] = (uint8_t)((3u * in[0] + in[c1]) >> 2);
}

typedef void worker_seg_fn(const unsigned char *, uint64_t, uint64_t, int,
    void *);

/* One loop a dtype: loads through memcpy, as a payload need not be
 * aligned. */
#define WORKER_SEG_TYPED(T)						\
static void								\
worker_segment_##T(const unsigned char *p, uint64_t npix, uint64_t c,	\
    int out_float64, void *out)						\
{									\
	uint64_t i, c1 = c > 1 ? sizeof(T) : 0, step = c * sizeof(T);	\
	double v;							\
	T a, b;								\
									\
	for (i = 0; i < npix; i++, p += step) {				\
		memcpy(&a, p, sizeof a);				\
		memcpy(&b, p + c1, sizeof b);				\
		v = 0.75 * (double)a + 0.25 * (double)b;		\
		if (out_float64)					\
			memcpy((double *)out + i, &v, sizeof v);	\
		else							\
			((uint8_t *)out)[i] = worker_clamp_u8(v);	\
	}								\
}
WORKER_SEG_TYPED(uint8_t)
WORKER_SEG_TYPED(int8_t)
WORKER_SEG_TYPED(uint16_t)
WORKER_SEG_TYPED(int16_t)
WORKER_SEG_TYPED(uint32_t)
WORKER_SEG_TYPED(int32_t)
WORKER_SEG_TYPED(uint64_t)
WORKER_SEG_TYPED(int64_t)
WORKER_SEG_TYPED(float)
WORKER_SEG_TYPED(double)

/* The rest (bool, float16) item by item. */
static void
worker_segment_any(const struct wire_dtype *d, const unsigned char *p,
    uint64_t npix, uint64_t c, int out_float64, void *out)
{
	uint64_t i, c1 = c > 1 ? (uint64_t)d->itemsize : 0;
	double v;

	for (i = 0; i < npix; i++, p += c * (uint64_t)d->itemsize) {
		v = 0.75 * worker_load(p, d) + 0.25 * worker_load(p + c1, d);
		if (out_float64)
			memcpy((double *)out + i, &v, sizeof v);
		else
			((uint8_t *)out)[i] = worker_clamp_u8(v);
	}
}

static worker_seg_fn *
worker_seg_typed(const struct wire_dtype *d, int out_float64)
{
	static worker_seg_fn *const u[] = { NULL, worker_segment_uint8_t,
	    worker_segment_uint16_t, NULL, worker_segment_uint32_t, NULL,
	    NULL, NULL, worker_segment_uint64_t };
	static worker_seg_fn *const s[] = { NULL, worker_segment_int8_t,
	    worker_segment_int16_t, NULL, worker_segment_int32_t, NULL,
	    NULL, NULL, worker_segment_int64_t };

	if (d->itemsize > 8)
		return NULL;
	if (d->kind == 'u')
		return d->itemsize == 1 && !out_float64 ? worker_segment_u8 :
		    u[d->itemsize];
	if (d->kind == 'i')
		return s[d->itemsize];
	if (d->kind == 'f')
		return d->itemsize == 4 ? worker_segment_float :
		    d->itemsize == 8 ? worker_segment_double : NULL;
	return NULL;
}

void
worker_segment(const struct wire_header *in, const void *data,
    int out_float64, void *out)
{
	const unsigned char *p = data;
	uint64_t hwc[3], nframes, npix;
	worker_seg_fn *fn;

	worker_seg_frame(in, hwc, &nframes);
	npix = hwc[0] * hwc[1];
	if (npix == 0)
		return;
	p += (nframes - 1) * npix * hwc[2] * (uint64_t)in->dtype.itemsize;
	if ((fn = worker_seg_typed(&in->dtype, out_float64)) != NULL)
		fn(p, npix, hwc[2], out_float64, out);
	else
		worker_segment_any(&in->dtype, p, npix, hwc[2], out_float64,
		    out);
}

static uint64_t
worker_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void
worker_rng_seed(struct worker_rng *rng, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		rng->s[i] = worker_splitmix(&seed);
}

static inline uint64_t
worker_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
worker_rng_next(struct worker_rng *rng)
{
	uint64_t *s = rng->s, r = worker_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = worker_rotl(s[3], 45);
	return r;
}

void
worker_classify(struct worker_rng *rng, double *out, int n)
{
	double sum = 0, u;
	int i;

	/* Exponential draws normalised are Dirichlet(1, ..., 1). */
	for (i = 0; i < n; i++) {
		u = (double)((worker_rng_next(rng) >> 11) + 1) * 0x1p-53;
		out[i] = -log(u);
		sum += out[i];
	}
	if (sum <= 0) {		/* every draw was exactly 1: uniform */
		for (i = 0; i < n; i++)
			out[i] = 1.0 / n;
		return;
	}
	for (i = 0; i < n; i++)
		out[i] /= sum;
}
