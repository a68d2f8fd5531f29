/* kind_segmentation.c: a model that maps an image to a mask.
 *
 * The mask is 0.75 x channel 0 + 0.25 x channel 1 of the last frame, in
 * one typed loop per input dtype (loads through memcpy: a payload need
 * not be aligned); a three-channel uint8 frame, the common case, 16
 * pixels at a time where the processor has SSSE3.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "kind.h"

/* Where the last frame starts and how it is laid out: H, W, C. */
static void
kind_seg_frame(const struct wire_header *in, uint64_t *hwc,
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

/* [H,W] from [H,W], [H,W,C] or a [...,H,W,C] stack (its last frame),
 * uint8 or, with the option, float64. */
int
kind_segmentation_plan(const struct kind_opts *o, struct rng *rng,
    const struct wire_header *in, struct wire_header *out, char *err,
    size_t errlen)
{
	uint64_t hwc[3], nframes;

	(void)rng;
	if (in->ndim < 2)
		return wire_fail(err, errlen, "segmentation needs an image of 2 "
		    "or more dimensions, got %d", in->ndim);
	if (in->dtype.kind == 'c')
		return wire_fail(err, errlen, "segmentation takes real numbers, "
		    "not %s", in->dtype.name);
	kind_seg_frame(in, hwc, &nframes);
	if (nframes == 0 || (hwc[2] == 0 && hwc[0] != 0 && hwc[1] != 0))
		return wire_fail(err, errlen, "segmentation input has no %s",
		    nframes == 0 ? "frame" : "channel");
	/* With C > 0, H x W <= the input's item count: no overflow. */
	return wire_header_array(out, o->out_float64 ? "float64" : "uint8",
	    hwc, 2);
}

static double
kind_seg_half(uint16_t h)
{
	int e = (h >> 10) & 0x1f, m = h & 0x3ff;
	double v;

	/* Powers of two by multiplication, exact (no ldexp: no libm). */
	if (e == 0)
		v = m * 0x1p-24;
	else if (e == 31)
		v = m ? NAN : INFINITY;
	else
		v = (m | 0x400) * (double)(1u << e) * 0x1p-25;
	return (h & 0x8000) ? -v : v;
}

/* One item of any real dtype as a double (data is little-endian). */
static double
kind_seg_load(const unsigned char *p, const struct wire_dtype *d)
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
		return d->itemsize == 2 ? kind_seg_half(v.u2) :
		    d->itemsize == 4 ? v.f4 : v.f8;
	}
}

static uint8_t
kind_seg_clamp(double v)
{
	if (!(v > 0))		/* also NaN */
		return 0;
	return v >= 255 ? 255 : (uint8_t)v;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define KIND_SEG_SSSE3	1
#include <tmmintrin.h>

/* 16 pixels of three uint8 channels at a time: SSSE3's byte shuffle
 * puts each pixel's channels 0 and 1 side by side, eight pixels a
 * register, and its multiply-add makes 3 a + b of each pair in a 16-bit
 * lane. The pixels done: a multiple of 16, the rest left to the caller. */
__attribute__((__target__("ssse3")))
static uint64_t
kind_seg_rgb8_ssse3(const unsigned char *in, uint64_t npix, uint8_t *o)
{
	/* Each pixel's channels 0 and 1 side by side: pixels 0-7 of the
	 * 48 bytes from x and y, pixels 8-15 from y and z. */
	const __m128i px = _mm_setr_epi8(0, 1, 3, 4, 6, 7, 9, 10, 12, 13, 15,
	    -1, -1, -1, -1, -1);
	const __m128i py0 = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1,
	    -1, -1, 0, 2, 3, 5, 6);
	const __m128i py1 = _mm_setr_epi8(8, 9, 11, 12, 14, 15, -1, -1, -1,
	    -1, -1, -1, -1, -1, -1, -1);
	const __m128i pz = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, 1, 2, 4, 5, 7,
	    8, 10, 11, 13, 14);
	const __m128i w31 = _mm_set1_epi16(0x0103);	/* 3 a + 1 b */
	__m128i x, y, z, lo, hi;
	uint64_t i;

	for (i = 0; i + 16 <= npix; i += 16, in += 48, o += 16) {
		x = _mm_loadu_si128((const __m128i *)in);
		y = _mm_loadu_si128((const __m128i *)(in + 16));
		z = _mm_loadu_si128((const __m128i *)(in + 32));
		lo = _mm_or_si128(_mm_shuffle_epi8(x, px),
		    _mm_shuffle_epi8(y, py0));
		hi = _mm_or_si128(_mm_shuffle_epi8(y, py1),
		    _mm_shuffle_epi8(z, pz));
		/* pmaddubsw: 3 a + b in 16 bits, at most 1020. */
		lo = _mm_srli_epi16(_mm_maddubs_epi16(lo, w31), 2);
		hi = _mm_srli_epi16(_mm_maddubs_epi16(hi, w31), 2);
		_mm_storeu_si128((__m128i *)o, _mm_packus_epi16(lo, hi));
	}
	return i;
}
#endif

/* The common case, uint8 image to uint8 mask: exact in integers, since
 * (3 a + b) / 4 truncated equals 0.75 a + 0.25 b truncated. Three
 * channels, on a processor with SSSE3, 16 pixels at a time: a 64x48
 * frame's mask in 0.25 us instead of 2 (alone, in cache). */
static void
kind_seg_u8(const unsigned char *in, uint64_t npix, uint64_t c,
    int out_float64, void *out)
{
	uint64_t i = 0, c1 = c > 1 ? 1 : 0;
	uint8_t *o = out;

#ifdef KIND_SEG_SSSE3
	if (c == 3 && __builtin_cpu_supports("ssse3"))
		i = kind_seg_rgb8_ssse3(in, npix, o);
#endif
	for (in += i * c; i < npix; i++, in += c)
		o[i] = (uint8_t)((3u * in[0] + in[c1]) >> 2);
}

typedef void kind_seg_fn(const unsigned char *, uint64_t, uint64_t, int,
    void *);

/* One loop a dtype: loads through memcpy, as a payload need not be
 * aligned. */
#define KIND_SEG_TYPED(T)						\
static void								\
kind_seg_##T(const unsigned char *p, uint64_t npix, uint64_t c,	\
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
			((uint8_t *)out)[i] = kind_seg_clamp(v);	\
	}								\
}
KIND_SEG_TYPED(uint8_t)
KIND_SEG_TYPED(int8_t)
KIND_SEG_TYPED(uint16_t)
KIND_SEG_TYPED(int16_t)
KIND_SEG_TYPED(uint32_t)
KIND_SEG_TYPED(int32_t)
KIND_SEG_TYPED(uint64_t)
KIND_SEG_TYPED(int64_t)
KIND_SEG_TYPED(float)
KIND_SEG_TYPED(double)

/* The rest (bool, float16) item by item. */
static void
kind_seg_any(const struct wire_dtype *d, const unsigned char *p,
    uint64_t npix, uint64_t c, int out_float64, void *out)
{
	uint64_t i, c1 = c > 1 ? (uint64_t)d->itemsize : 0;
	double v;

	for (i = 0; i < npix; i++, p += c * (uint64_t)d->itemsize) {
		v = 0.75 * kind_seg_load(p, d) + 0.25 * kind_seg_load(p + c1, d);
		if (out_float64)
			memcpy((double *)out + i, &v, sizeof v);
		else
			((uint8_t *)out)[i] = kind_seg_clamp(v);
	}
}

static kind_seg_fn *
kind_seg_typed(const struct wire_dtype *d, int out_float64)
{
	static kind_seg_fn *const u[] = { NULL, kind_seg_uint8_t,
	    kind_seg_uint16_t, NULL, kind_seg_uint32_t, NULL,
	    NULL, NULL, kind_seg_uint64_t };
	static kind_seg_fn *const s[] = { NULL, kind_seg_int8_t,
	    kind_seg_int16_t, NULL, kind_seg_int32_t, NULL,
	    NULL, NULL, kind_seg_int64_t };

	if (d->itemsize > 8)
		return NULL;
	if (d->kind == 'u')
		return d->itemsize == 1 && !out_float64 ? kind_seg_u8 :
		    u[d->itemsize];
	if (d->kind == 'i')
		return s[d->itemsize];
	if (d->kind == 'f')
		return d->itemsize == 4 ? kind_seg_float :
		    d->itemsize == 8 ? kind_seg_double : NULL;
	return NULL;
}

/* out = 0.75 x channel 0 + 0.25 x channel 1 of the last frame (channel 1
 * is channel 0 when there is one channel). uint8 output is clamped to
 * [0, 255] and truncated like numpy's astype; NaN gives 0. */
void
kind_segmentation(struct kind_ctx *ctx, const struct wire_header *in,
    const void *src, const struct wire_header *out, void *dst)
{
	const unsigned char *p = src;
	uint64_t hwc[3], nframes, npix;
	int f64 = out->dtype.itemsize == 8;
	kind_seg_fn *fn;

	(void)ctx;
	kind_seg_frame(in, hwc, &nframes);
	npix = hwc[0] * hwc[1];
	if (npix == 0)
		return;
	p += (nframes - 1) * npix * hwc[2] * (uint64_t)in->dtype.itemsize;
	if ((fn = kind_seg_typed(&in->dtype, f64)) != NULL)
		fn(p, npix, hwc[2], f64, dst);
	else
		kind_seg_any(&in->dtype, p, npix, hwc[2], f64, dst);
}
