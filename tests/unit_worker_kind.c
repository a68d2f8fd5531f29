/* unit_worker_kind.c: what each kind of fake model computes (the kinds'
 * table, kind.h), and the buffers a worker's output goes out in (TAP). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kind.h"
#include "worker_pool.h"
#include "tap.h"



static int
header(const char *json, struct wire_header *h)
{
	char err[WIRE_ERRLEN];

	return wire_header_parse(json, strlen(json), h, err, sizeof err);
}

static int
plan(const char *json, int isz, uint64_t *shape, uint64_t *nbytes,
    char *err)
{
	struct wire_header h;

	struct kind_opts o = { .out_float64 = isz == 8 };
	struct wire_header out;

	if (header(json, &h) == -1)
		return -2;
	wire_header_init(&out);
	if (kind_get(KIND_SEGMENTATION)->plan(&o, NULL, &h, &out, err,
	    WIRE_ERRLEN) == -1)
		return -1;
	shape[0] = out.shape[0];
	shape[1] = out.shape[1];
	*nbytes = out.nbytes;
	return out.ndim == 2 && out.dtype.itemsize == isz ? 0 : -3;
}

/* Compute kind k's output for the input h at in into out. */
static void
compute(enum kind_id k, struct kind_ctx *ctx, const struct wire_header *h,
    const void *in, void *out)
{
	struct wire_header o;
	char err[WIRE_ERRLEN];

	wire_header_init(&o);
	if (kind_get(k)->plan(&ctx->o, &ctx->rng, h, &o, err, sizeof err) == 0)
		kind_compute(k)(ctx, h, in, &o, out);
}

static void
segment(const struct wire_header *h, const void *in, int out_float64,
    void *out)
{
	struct kind_ctx ctx = { .o = { .out_float64 = out_float64 } };

	compute(KIND_SEGMENTATION, &ctx, h, in, out);
}

static void
test_kinds(void)
{
	struct kind_opts o = { .n_classes = 4 };
	struct wire_header h;
	int i;
	enum kind_id k;

	ok(kind_lookup("segmentation", &k) == 0 &&
	    k == KIND_SEGMENTATION && kind_lookup("echo", &k) == 0 &&
	    k == KIND_ECHO && kind_lookup("classification", &k) == 0 &&
	    strcmp(kind_name(k), "classification") == 0 &&
	    kind_lookup("Echo", &k) == -1 && kind_get(KIND__MAX) == NULL,
	    "kind names");
	ok(strcmp(kind_list(), "segmentation, classification, echo or "
	    "detection") == 0 &&
	    kind_names[KIND__MAX] == NULL, "the list of names");
	for (i = 0; i < KIND__MAX && kind_get((enum kind_id)i) != NULL &&
	    kind_compute((enum kind_id)i) != NULL; i++)
		;
	ok(i == KIND__MAX && kind_compute(KIND__MAX) == NULL,
	    "every kind has a row in both tables");
	ok(kind_get(KIND_CLASSIFICATION)->window == 16 &&
	    kind_get(KIND_SEGMENTATION)->window == 1 &&
	    kind_get(KIND_ECHO)->window == 1, "default windows");
	header("{\"dtype\":\"uint8\",\"shape\":[16,600,800,3]}", &h);
	ok(kind_out_bytes(KIND_SEGMENTATION, &o, &h) == 480000 &&
	    kind_out_bytes(KIND_CLASSIFICATION, &o, &h) == 32 &&
	    kind_out_bytes(KIND_ECHO, &o, &h) == h.nbytes &&
	    (o.out_float64 = 1, kind_out_bytes(KIND_SEGMENTATION, &o, &h)) ==
	    3840000, "output bytes");
}

static void
test_seg_plan(void)
{
	uint64_t s[2], n;
	char err[WIRE_ERRLEN];

	ok(plan("{\"dtype\":\"uint8\",\"shape\":[480,640,3]}", 1, s, &n,
	    err) == 0 && s[0] == 480 && s[1] == 640 && n == 307200,
	    "[H,W,C] gives [H,W]");
	ok(plan("{\"dtype\":\"float32\",\"shape\":[48,64]}", 8, s, &n,
	    err) == 0 && s[0] == 48 && s[1] == 64 && n == 48 * 64 * 8,
	    "[H,W] gives [H,W], float64 output 8 bytes an item");
	ok(plan("{\"dtype\":\"uint8\",\"shape\":[16,6,8,3]}", 1, s, &n,
	    err) == 0 && s[0] == 6 && s[1] == 8, "a stack gives one frame");
	ok(plan("{\"dtype\":\"uint8\",\"shape\":[5]}", 1, s, &n, err) == -1 &&
	    strstr(err, "2 or more dimensions") != NULL, "1-d refused");
	ok(plan("{\"dtype\":\"uint8\",\"shape\":[]}", 1, s, &n, err) == -1,
	    "0-d refused");
	ok(plan("{\"dtype\":\"c8\",\"shape\":[2,2]}", 1, s, &n, err) == -1 &&
	    strstr(err, "complex64") != NULL, "complex refused");
	ok(plan("{\"dtype\":\"uint8\",\"shape\":[0,4,4,3]}", 1, s, &n,
	    err) == -1 && strstr(err, "no frame") != NULL, "empty stack");
	ok(plan("{\"dtype\":\"uint8\",\"shape\":[4,4,0]}", 1, s, &n,
	    err) == -1 && strstr(err, "no channel") != NULL, "no channels");
	ok(plan("{\"dtype\":\"uint8\",\"shape\":[0,4,3]}", 1, s, &n,
	    err) == 0 && n == 0, "empty image gives an empty mask");
}

/* 0.75 a + 0.25 b clamped and truncated, as numpy's astype(uint8). */
static uint8_t
ref_u8(double a, double b)
{
	double v = 0.75 * a + 0.25 * b;

	return v <= 0 || isnan(v) ? 0 : v >= 255 ? 255 : (uint8_t)v;
}

static void
test_segment_u8(void)
{
	struct wire_header h;
	uint8_t in[2][3][4][3], out[3][4];
	double outf[3][4];
	int i, j, good = 1, goodf = 1;

	for (i = 0; i < (int)sizeof in; i++)
		((uint8_t *)in)[i] = (uint8_t)(i * 37 + 11);
	header("{\"dtype\":\"uint8\",\"shape\":[2,3,4,3]}", &h);
	segment(&h, in, 0, out);
	segment(&h, in, 1, outf);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 4; j++) {
			good &= out[i][j] == ref_u8(in[1][i][j][0],
			    in[1][i][j][1]);
			goodf &= outf[i][j] == 0.75 * in[1][i][j][0] +
			    0.25 * in[1][i][j][1];
		}
	ok(good, "uint8 stack: the last frame's 0.75 c0 + 0.25 c1");
	ok(goodf, "float64 output unclamped");
}

/* Every width around the 16 pixels the three-channel path takes at a
 * time, and a 64x48 frame, from random bytes: each pixel exact, and
 * nothing written past the mask. Three channels take the vector path
 * where the processor has it; one and four take the plain loop. */
static void
test_segment_widths(void)
{
	static uint8_t in[48 * 64 * 4], out[48 * 64 + 1];
	static const int widths[] = { 1, 15, 16, 17, 31, 32, 33, 47, 64 };
	static const int chans[] = { 1, 3, 4 };
	struct wire_header h;
	char json[96];
	int ci, wi, i, rows, w, c, good = 1;
	unsigned x = 12345;

	for (i = 0; i < (int)sizeof in; i++) {
		x = x * 1103515245u + 12345u;
		in[i] = (uint8_t)(x >> 16);
	}
	for (ci = 0; ci < 3; ci++)
		for (wi = 0; wi < 9; wi++) {
			c = chans[ci];
			w = widths[wi];
			rows = w == 64 ? 48 : 1;
			snprintf(json, sizeof json, "{\"dtype\":\"uint8\","
			    "\"shape\":[%d,%d,%d]}", rows, w, c);
			header(json, &h);
			memset(out, 0xa5, sizeof out);
			segment(&h, in, 0, out);
			for (i = 0; i < rows * w; i++)
				good &= out[i] == ref_u8(in[i * c],
				    in[i * c + (c > 1)]);
			good &= out[rows * w] == 0xa5;
		}
	ok(good, "uint8 masks of 1 to 64 pixels a row, 1, 3 and 4 channels: "
	    "exact, nothing past the end");
}

static void
test_segment_types(void)
{
	struct wire_header h;
	int16_t i16[2][2] = { { -100, 1000 }, { 7, 255 } };
	float f32[1][2][2] = { { { 10.5f, 20.25f }, { NAN, 1.0f } } };
	uint16_t f16[1][1][2] = { { { 0x3c00, 0x4000 } } };	/* 1.0, 2.0 */
	uint8_t out[4];
	double outf[2];

	header("{\"dtype\":\"<i2\",\"shape\":[2,2]}", &h);
	segment(&h, i16, 0, out);
	ok(out[0] == 0 && out[1] == 255 && out[2] == 7 && out[3] == 255,
	    "int16 [H,W]: one channel, clamped");
	header("{\"dtype\":\"float32\",\"shape\":[1,2,2]}", &h);
	segment(&h, f32, 0, out);
	ok(out[0] == ref_u8(10.5, 20.25) && out[1] == 0,
	    "float32 input, NaN gives 0");
	header("{\"dtype\":\"float16\",\"shape\":[1,1,2]}", &h);
	segment(&h, f16, 1, outf);
	ok(outf[0] == 1.25, "float16 input");
}

/* Every float16 value, both channels of a pixel alike: the mask is the
 * value itself, as libm's ldexp makes it from the bits. */
static void
test_segment_half(void)
{
	static uint16_t in[256][256][2];
	static double out[256][256];
	struct wire_header h;
	int i, e, m, good = 1;
	double v;

	for (i = 0; i < 65536; i++)
		in[i >> 8][i & 0xff][0] = in[i >> 8][i & 0xff][1] =
		    (uint16_t)i;
	header("{\"dtype\":\"float16\",\"shape\":[256,256,2]}", &h);
	segment(&h, in, 1, out);
	for (i = 0; i < 65536; i++) {
		e = (i >> 10) & 0x1f;
		m = i & 0x3ff;
		v = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) :
		    ldexp(m | 0x400, e - 25);
		v = (i & 0x8000) ? -v : v;
		if (isnan(v) ? !isnan(out[i >> 8][i & 0xff]) :
		    out[i >> 8][i & 0xff] != v) {
			good = 0;
			break;
		}
	}
	ok(good && out[0x3c][0] == 1.0 && out[0x7b][0xff] == 65504.0 &&
	    out[0][1] == 0x1p-24, "every float16 value, subnormals and "
	    "infinities too");
}

static void
test_classify(void)
{
	struct kind_ctx ctx;
	struct wire_header h;
	static double p[KIND_MAX_CLASSES];
	double q[4], sum;
	int i, n, good = 1, differ = 0;

	header("{\"dtype\":\"uint8\",\"shape\":[2]}", &h);
	rng_seed(&ctx.rng, 42);
	for (n = 1; n <= KIND_MAX_CLASSES; n *= 4) {
		ctx.o.n_classes = n;
		compute(KIND_CLASSIFICATION, &ctx, &h, "ab", p);
		for (i = 0, sum = 0; i < n; i++) {
			good &= p[i] >= 0 && p[i] <= 1;
			sum += p[i];
		}
		good &= fabs(sum - 1) < 1e-9;
	}
	ok(good, "probabilities in [0, 1] sum to 1 within 1e-9");
	ctx.o.n_classes = 4;
	compute(KIND_CLASSIFICATION, &ctx, &h, "ab", p);
	compute(KIND_CLASSIFICATION, &ctx, &h, "ab", q);
	for (i = 0; i < 4; i++)
		differ |= p[i] != q[i];
	ok(differ, "each draw differs");
}

/* Boxes: a count drawn within its bounds (the most when sizing), inside
 * the frame, scores falling, classes in range. */
static void
test_detect(void)
{
	struct kind_ctx ctx = { .o = { .n_classes = 3, .boxes_min = 2,
	    .boxes_max = 5 } };
	struct wire_header h, o;
	static float b[5 * 6];
	char err[WIRE_ERRLEN];
	int i, r, seen[6] = { 0 }, good = 1;

	header("{\"dtype\":\"uint8\",\"shape\":[48,64,3]}", &h);
	rng_seed(&ctx.rng, 7);
	ok(kind_out_bytes(KIND_DETECTION, &ctx.o, &h) == 5 * 6 * 4,
	    "detection is sized for boxes_max");
	for (r = 0; r < 200; r++) {
		wire_header_init(&o);
		if (kind_get(KIND_DETECTION)->plan(&ctx.o, &ctx.rng, &h, &o,
		    err, sizeof err) == -1 || o.ndim != 2 || o.shape[1] != 6 ||
		    o.shape[0] < 2 || o.shape[0] > 5 ||
		    strcmp(o.dtype.name, "float32") != 0) {
			good = 0;
			break;
		}
		seen[o.shape[0]] = 1;
		kind_compute(KIND_DETECTION)(&ctx, &h, NULL, &o, b);
		for (i = 0; i < (int)o.shape[0]; i++)
			good &= b[6 * i] <= b[6 * i + 2] && b[6 * i + 2] <= 64 &&
			    b[6 * i + 1] <= b[6 * i + 3] && b[6 * i + 3] <= 48 &&
			    b[6 * i + 4] > 0 && b[6 * i + 4] <= 1 &&
			    (i == 0 || b[6 * i + 4] <= b[6 * i - 2]) &&
			    b[6 * i + 5] >= 0 && b[6 * i + 5] < 3;
	}
	ok(good && seen[2] && seen[3] && seen[4] && seen[5],
	    "boxes: 2 to 5 a frame, each count drawn, boxes in the frame");
	header("{\"dtype\":\"uint8\",\"shape\":[5]}", &h);
	ok(kind_get(KIND_DETECTION)->plan(&ctx.o, &ctx.rng, &h, &o, err,
	    sizeof err) == -1 && strstr(err, "2 or more") != NULL,
	    "detection refuses a 1-d input");
}

/* Output buffers go back to the pool when libzmq frees the message. */
static void
test_pool(void)
{
	struct worker_pool *pool = worker_pool_new(2);
	zmq_msg_t m[3];
	void *a, *b, *c;

	a = worker_pool_msg(pool, &m[0], 1000);
	ok(a != NULL && zmq_msg_data(&m[0]) == a && zmq_msg_size(&m[0]) ==
	    1000, "a pooled buffer backs the message");
	zmq_msg_close(&m[0]);
	b = worker_pool_msg(pool, &m[0], 800);
	ok(b == a, "a freed buffer is reused");
	c = worker_pool_msg(pool, &m[1], 1000);
	ok(c != NULL && c != b, "a busy buffer is not");
	a = worker_pool_msg(pool, &m[2], 500);
	ok(a != NULL && a != b && a != c, "all busy: a buffer of its own");
	memset(a, 1, 500);
	zmq_msg_close(&m[2]);
	zmq_msg_close(&m[1]);
	zmq_msg_close(&m[0]);
	a = worker_pool_msg(pool, &m[0], 4000);
	ok(a != NULL && zmq_msg_size(&m[0]) == 4000,
	    "a buffer grows for a larger reply");
	zmq_msg_close(&m[0]);
	ok(worker_pool_msg(pool, &m[0], 0) != NULL && zmq_msg_size(&m[0]) == 0,
	    "an empty reply");
	zmq_msg_close(&m[0]);
	worker_pool_free(&pool);
	ok(pool == NULL, "pool freed");
}

int
main(void)
{
	test_kinds();
	test_seg_plan();
	test_segment_u8();
	test_segment_widths();
	test_segment_types();
	test_segment_half();
	test_classify();
	test_detect();
	test_pool();
	return tap_done();
}
