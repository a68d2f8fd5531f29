/* unit_wire.c: header parsing, payload checks and formatting (TAP). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"
#include "wire_lex.h"
#include "tap.h"



static int
parse(const char *json, struct wire_header *h, char *err)
{
	return wire_header_parse(json, strlen(json), h, err, WIRE_ERRLEN);
}

static void
test_good(void)
{
	struct wire_header h;
	char err[WIRE_ERRLEN];

	ok(parse("{\"dtype\":\"uint8\",\"shape\":[480,640,3]}", &h, err) == 0 &&
	    h.ndim == 3 && h.nbytes == 921600 && h.dtype.itemsize == 1 &&
	    !h.has_frame && h.overrun == -1 && h.service_us < 0,
	    "uint8 image");
	ok(parse(" {\"shape\":[2,3], \"dtype\":\"<f8\", \"x\":[{}]} ", &h,
	    err) == 0 && strcmp(h.dtype.name, "float64") == 0 &&
	    h.nbytes == 48, "<f8, unknown keys, any order");
	ok(parse("{\"dtype\":\"|u1\",\"shape\":[]}", &h, err) == 0 &&
	    h.ndim == 0 && h.nbytes == 1, "0-d array is one item");
	ok(parse("{\"dtype\":\"int16\",\"shape\":[0,1000000]}", &h, err) == 0 &&
	    h.nbytes == 0, "empty axis");
	ok(parse("{\"dtype\":\"float32\",\"shape\":[4],\"frame\":-7}", &h,
	    err) == 0 && h.has_frame && h.frame == -7, "frame id");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"frame\":\"a\"}", &h,
	    err) == 0 && !h.has_frame, "non-integer frame is ignored");
	ok(parse("{\"dtype\":\">u1\",\"shape\":[1]}", &h, err) == 0,
	    "big-endian single bytes are fine");
	ok(parse("{\"dtype\":\"float64\",\"shape\":[4],\"worker\":\"W1\","
	    "\"service_us\":30000.5,\"overrun\":true,\"interrupted\":false}",
	    &h, err) == 0 && strcmp(h.worker, "W1") == 0 &&
	    h.service_us == 30000.5 && h.overrun == 1 && h.interrupted == 0,
	    "reply members");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"cost_us\":29000.25,"
	    "\"queue_us\":1500.5,\"batch\":4}", &h, err) == 0 &&
	    h.cost_us == 29000.25 && h.queue_us == 1500.5 && h.batch == 4,
	    "a modelled reply's draw, queue time and batch");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"cost_us\":-1,"
	    "\"queue_us\":\"x\",\"batch\":0}", &h, err) == 0 &&
	    h.cost_us < 0 && h.queue_us < 0 && h.batch == 0,
	    "odd draw, queue time and batch are absent");
	ok(parse("{\"error\":\"queue full\",\"queue_full\":true}", &h,
	    err) == 0 && h.is_error && h.queue_full, "queue_full");
	ok(parse("{\"error\":\"bad\",\"frame\":3}", &h, err) == 0 &&
	    h.is_error && strcmp(h.err, "bad") == 0 && h.frame == 3,
	    "error reply without dtype or shape");
}

static void
test_dtypes(void)
{
	static const struct { const char *name, *canon; int size; } t[] = {
		{ "uint8", "uint8", 1 }, { "int8", "int8", 1 },
		{ "int16", "int16", 2 }, { "<u2", "uint16", 2 },
		{ "=i4", "int32", 4 }, { "uint32", "uint32", 4 },
		{ "int64", "int64", 8 }, { "<u8", "uint64", 8 },
		{ "float16", "float16", 2 }, { "<f4", "float32", 4 },
		{ "float", "float64", 8 }, { "d", "float64", 8 },
		{ "bool", "bool", 1 }, { "?", "bool", 1 },
		{ "complex128", "complex128", 16 }, { "c8", "complex64", 8 },
	};
	struct wire_dtype d;
	size_t i;
	int good = 1;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		good &= wire_dtype_lookup(t[i].name, &d) == 0 &&
		    strcmp(d.name, t[i].canon) == 0 && d.itemsize == t[i].size;
	ok(good, "dtype names and aliases");
	ok(wire_dtype_lookup(">f8", &d) == -1 &&
	    wire_dtype_lookup("int7", &d) == -1 &&
	    wire_dtype_lookup("", &d) == -1 &&
	    wire_dtype_lookup("<", &d) == -1, "bad dtype names");
}

static void
test_bad(void)
{
	static const struct { const char *json, *want; } t[] = {
		{ "Hello", "not JSON" },
		{ "{\"dtype\":\"uint8\",", "not JSON" },
		{ "[1,2]", "not a JSON object" },
		{ "\"uint8\"", "not a JSON object" },
		{ "{\"shape\":[1]}", "no \"dtype\"" },
		{ "{\"dtype\":8,\"shape\":[1]}", "\"dtype\" is not a string" },
		{ "{\"dtype\":\"int7\",\"shape\":[1]}",
		    "dtype 'int7' is not a numpy dtype" },
		{ "{\"dtype\":\">f8\",\"shape\":[1]}", "big-endian" },
		{ "{\"dtype\":\"uint8\"}", "no \"shape\"" },
		{ "{\"dtype\":\"uint8\",\"shape\":\"3\"}", "not an array" },
		{ "{\"dtype\":\"uint8\",\"shape\":{}}", "not an array" },
		{ "{\"dtype\":\"uint8\",\"shape\":[2,2.5]}",
		    "shape[1] is not an integer" },
		{ "{\"dtype\":\"uint8\",\"shape\":[\"2\"]}",
		    "shape[0] is not an integer" },
		{ "{\"dtype\":\"uint8\",\"shape\":[[2]]}",
		    "shape[0] is not an integer" },
		{ "{\"dtype\":\"uint8\",\"shape\":[4,-1,3]}",
		    "shape[1] is negative" },
		{ "{\"dtype\":\"float64\",\"shape\":[4611686018427387904,4]}",
		    "overflows" },
		{ "{\"dtype\":\"uint8\",\"shape\":[4294967296,4294967296]}",
		    "overflows" },
		{ "{\"dtype\":\"uint8\",\"shape\":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
		    "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}", "33 dimensions" },
		{ "{\"dtype\":\"uint8\",\"shape\":[99999999999999999999]}",
		    "not JSON" },
	};
	struct wire_header h;
	char err[WIRE_ERRLEN], what[128];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		err[0] = '\0';
		snprintf(what, sizeof what, "refused with '%s': %.40s",
		    t[i].want, t[i].json);
		ok(parse(t[i].json, &h, err) == -1 &&
		    strstr(err, t[i].want) != NULL, what);
		if (strstr(err, t[i].want) == NULL)
			printf("# got: %s\n", err);
	}
	ok(parse("{\"frame\":5,\"dtype\":\"x\",\"shape\":[1]}", &h, err) ==
	    -1 && h.has_frame && h.frame == 5,
	    "frame is known even when the header is refused");
}

static void
test_payload(void)
{
	struct wire_header h;
	char err[WIRE_ERRLEN];

	parse("{\"dtype\":\"float32\",\"shape\":[2,3]}", &h, err);
	ok(wire_payload_check(&h, 24, err, sizeof err) == 0,
	    "payload of the right size");
	ok(wire_payload_check(&h, 23, err, sizeof err) == -1 &&
	    strstr(err, "23 bytes") != NULL, "short payload");
	ok(wire_payload_check(&h, 0, err, sizeof err) == -1, "empty payload");
}

static void
test_format(void)
{
	uint64_t shape[] = { 480, 640 };
	struct wire_header h, w;
	char buf[WIRE_HDRMAX], small[20], err[WIRE_ERRLEN], esc[8];
	int n;

	wire_header_init(&w);
	ok(wire_header_array(&w, "|u1", shape, 2) == 0 && w.nbytes == 307200 &&
	    strcmp(w.dtype.name, "uint8") == 0, "an array set by dtype name");
	w.has_frame = 1;
	w.frame = 3;
	w.overrun = 0;
	n = wire_header_write(buf, sizeof buf, &w);
	ok(n > 0 && strcmp(buf, "{\"dtype\":\"uint8\",\"shape\":[480,640],"
	    "\"frame\":3,\"overrun\":false}") == 0, "header format");
	ok(wire_header_parse(buf, (size_t)n, &h, err, sizeof err) == 0 &&
	    h.nbytes == 307200 && h.frame == 3 && h.overrun == 0,
	    "formatted header parses back");
	w.cost_us = 20000;
	w.queue_us = 750.5;
	w.batch = 3;
	n = wire_header_write(buf, sizeof buf, &w);
	ok(n > 0 && strcmp(buf, "{\"dtype\":\"uint8\",\"shape\":[480,640],"
	    "\"frame\":3,\"cost_us\":20000.000,\"queue_us\":750.500,"
	    "\"batch\":3,\"overrun\":false}") == 0 &&
	    wire_header_parse(buf, (size_t)n, &h, err, sizeof err) == 0 &&
	    h.cost_us == 20000 && h.queue_us == 750.5 && h.batch == 3,
	    "a draw, a queue time and a batch written and read back");
	wire_header_init(&w);
	ok(wire_header_array(&w, "float64", NULL, 0) == 0 &&
	    wire_header_write(buf, sizeof buf, &w) > 0 &&
	    strcmp(buf, "{\"dtype\":\"float64\",\"shape\":[]}") == 0,
	    "0-d header, nothing else");
	ok(wire_header_array(&w, "int7", NULL, 0) == -1 &&
	    wire_header_array(&w, "uint8", shape, WIRE_MAXDIM + 1) == -1,
	    "a bad array is refused");
	wire_header_array(&w, "uint8", shape, 2);
	ok(wire_header_write(small, sizeof small, &w) == -1 &&
	    small[0] == '\0', "too small a buffer is refused");
	wire_header_init(&w);
	w.is_error = 1;
	snprintf(w.err, sizeof w.err, "dtype 'a\"b\\\n' \xc3\xa9");
	snprintf(w.worker, sizeof w.worker, "W");
	n = wire_header_write(buf, sizeof buf, &w);
	ok(n > 0 && wire_header_parse(buf, (size_t)n, &h, err,
	    sizeof err) == 0 && h.is_error &&
	    strcmp(h.err, "dtype 'a\"b\\\n' ??") == 0 &&
	    strcmp(h.worker, "W") == 0, "error message escaped");
	ok(wire_json_escape(esc, sizeof esc, "ab\"cdef") == 7 &&
	    strcmp(esc, "ab\\\"cde") == 0, "escape truncates");
	ok(wire_json_escape(esc, sizeof esc, "\x01\x02") == 6 &&
	    strcmp(esc, "\\u0001") == 0, "escape never splits a sequence");
}

/* The members of the shared-memory transport, written and read back. */
/* Microseconds are written by hand: as %.3f writes them, for times in
 * whole nanoseconds (what workers measure) and for any other. */
static void
test_micros(void)
{
	struct wire_header w;
	char buf[WIRE_HDRMAX], want[64], *p;
	unsigned long long x = 88172645463325252ull, ns;
	double us;
	int i, same = 1, close = 1;

	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ns = x % (i & 1 ? 100000000000ull : 100000ull);
		us = i % 4 < 2 ? (double)ns / 1e3 : (double)(x % 1000000007) /
		    7.0;
		wire_header_init(&w);
		wire_header_array(&w, "uint8", NULL, 0);
		w.service_us = us;
		wire_header_write(buf, sizeof buf, &w);
		snprintf(want, sizeof want, "\"service_us\":%.3f}", us);
		p = strstr(buf, "\"service_us\":");
		if (i % 4 < 2)
			same &= p != NULL && strcmp(p, want) == 0;
		else	/* a tie may round the other way: a nanosecond */
			close &= p != NULL && fabs(strtod(p + 13, NULL) -
			    strtod(want + 13, NULL)) < 0.0011;
	}
	ok(same, "200,000 times of whole nanoseconds written as %.3f does");
	ok(close, "other times within a nanosecond of %.3f");
	w.service_us = 1e300;
	ok(wire_header_write(buf, sizeof buf, &w) > 0 && strstr(buf,
	    "\"service_us\":1000000000") != NULL, "a huge time by printf");
}

/* Reals are read as strtod reads them, to the bit: the short ones without
 * it, and at every length, sign, point and exponent around that bound. */
static void
test_reals(void)
{
	unsigned long long x = 0x9e3779b97f4a7c15ull;
	struct wire_lex_err e;
	enum wire_lex_kind k;
	char txt[64];
	int64_t iv;
	double v, want;
	int i, j, digits, point, n, same = 1, reals = 0;

	for (i = 0; i < 300000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		digits = 1 + (int)(x % 18);
		point = 1 + (int)((x >> 8) % (unsigned)digits);
		n = 0;
		if (x >> 16 & 1)
			txt[n++] = '-';
		for (j = 0; j < digits; j++) {
			if (j == point)
				txt[n++] = '.';
			txt[n++] = (char)('0' + (j == 0 && point > 1 ?
			    1 + (x >> (20 + j % 40)) % 9 :
			    (x >> (17 + j * 3 % 45)) % 10));
		}
		if (point == digits)
			n += sprintf(txt + n, ".%d", (int)(x >> 40) % 10);
		if ((x >> 50) % 8 == 0)
			n += sprintf(txt + n, "e%d", (int)((x >> 53) % 40) - 20);
		txt[n] = '\0';
		if (wire_lex_scalar(txt, (size_t)n, &k, &iv, &v, &e) != 0 ||
		    k != WIRE_LEX_REAL) {
			same = 0;
			fprintf(stderr, "# %s not read as a real\n", txt);
			continue;
		}
		want = strtod(txt, NULL);
		if (memcmp(&v, &want, sizeof v) != 0) {
			same = 0;
			fprintf(stderr, "# %s: %.17g, strtod %.17g\n", txt, v,
			    want);
		}
		reals++;
	}
	ok(same && reals == 300000, "300,000 reals read as strtod reads them");
}

static void
test_shm_members(void)
{
	static const char reply[] = "{\"dtype\":\"uint8\",\"shape\":[600,800],"
	    "\"worker\":\"Seg1\",\"frame\":40,\"service_us\":30000.200,"
	    "\"overrun\":false,\"t_recv_ns\":912830441207,"
	    "\"t_sent_ns\":912860441407,\"shm_out\":5}";
	uint64_t shape[] = { 16, 600, 800, 3 };
	struct wire_header h, w;
	char buf[WIRE_HDRMAX], err[WIRE_ERRLEN];
	int n;

	wire_header_init(&w);
	wire_header_array(&w, "uint8", shape, 4);
	w.has_frame = 1;
	w.frame = 40;
	w.has_shm = 1;
	snprintf(w.shm.ring, sizeof w.shm.ring, "/fake-servers-1000-4242-0");
	w.shm.gen = 8254723110;
	w.shm.slot = 25;
	w.shm.count = 16;
	w.shm.out = 5;
	n = wire_header_write(buf, sizeof buf, &w);
	ok(n > 0 && strcmp(buf, "{\"dtype\":\"uint8\",\"shape\":[16,600,800,3],"
	    "\"frame\":40,\"shm\":{\"ring\":\"/fake-servers-1000-4242-0\","
	    "\"gen\":8254723110,\"slot\":25,\"count\":16,\"out\":5}}") == 0,
	    "a shared-memory request as doc/shm.md shows it");
	ok(wire_header_parse(buf, (size_t)n, &h, err, sizeof err) == 0 &&
	    h.has_shm && memcmp(&h.shm, &w.shm, sizeof h.shm) == 0,
	    "it parses back");
	w.shm.out = -1;
	w.shm.lane = 3;
	n = wire_header_write(buf, sizeof buf, &w);
	ok(n > 0 && strstr(buf, "\"count\":16,\"lane\":3}") != NULL &&
	    wire_header_parse(buf, (size_t)n, &h, err, sizeof err) == 0 &&
	    h.shm.out == -1 && h.shm.lane == 3, "no output slot, a lane");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"shm\":{\"ring\":\"r\","
	    "\"gen\":1,\"slot\":0,\"out\":null,\"lane\":null}}", &h, err) == 0 &&
	    h.shm.count == 1 && h.shm.out == -1 && h.shm.lane == -1,
	    "count defaults to 1, out and lane to none");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"shm\":{\"ring\":\"r\","
	    "\"gen\":1,\"slot\":0,\"lane\":256}}", &h, err) == -1 &&
	    strstr(err, "shm.lane must be an integer from 0 to 255") != NULL,
	    "a lane out of range is refused");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"shm\":{\"ring\":\""
	    "/fake-servers-1-2-3456789012345678901234567890123456789012345678901"
	    "\",\"gen\":1,\"slot\":0}}", &h, err) == -1 &&
	    strstr(err, "longer than 63 bytes") != NULL,
	    "a ring name too long to hold is refused");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"error\":\"x\",\"shm\":7}",
	    &h, err) == 0 && h.is_error && !h.has_shm,
	    "an error's shm member is not read");
	ok(parse(reply, &h, err) == 0 && h.shm_out == 5 &&
	    h.t_recv_ns == 912830441207ull && h.t_sent_ns == 912860441407ull &&
	    !h.lane_full, "a reply's shm_out and times");
	ok((n = wire_header_write(buf, sizeof buf, &h)) > 0 &&
	    strcmp(buf, reply) == 0, "and it is written back byte for byte");
	ok(parse("{\"error\":\"x\",\"lane_full\":true}", &h, err) == 0 &&
	    h.lane_full && h.shm_out == -1 && h.t_recv_ns == 0,
	    "lane_full; no shm_out, no times");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"shm_out\":-3,"
	    "\"t_recv_ns\":\"5\"}", &h, err) == 0 && h.shm_out == -1 &&
	    h.t_recv_ns == 0, "a bad shm_out or time is absent");
}

/* The JSON the header parser takes, and refuses, as strictly as jansson:
 * everything after "header is not JSON". */
static void
test_strict(void)
{
	static const char *const bad[] = {
		"{\"dtype\":\"u1\",\"shape\":[1]} x",
		"{\"dtype\":\"u1\",\"shape\":[1]}{}",
		"{\"dtype\":\"u1\",\"shape\":[1],}",
		"{\"dtype\":\"u1\" \"shape\":[1]}",
		"{\"dtype\":\"u1\",\"shape\":[1,]}",
		"{\"dtype\":\"u1\",\"shape\":[1 2]}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":[1:2]}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\"}",
		"{,\"dtype\":\"u1\",\"shape\":[1]}",
		"{dtype:\"u1\",\"shape\":[1]}",
		"{'dtype':'u1','shape':[1]}",
		"{\"dtype\":\"u1\",\"shape\":[01]}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":-}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":1.}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":.5}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":+1}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":1e}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":tru}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":True}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":9223372036854775808}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":-9223372036854775809}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":[1e400]}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"a\x01\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"a\nb\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"a\\qb\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"\\u12\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"\\u0000\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"\\ud800\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"\\udc00\\ud800\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"\\ud800\\u0041\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"\xc3\x28\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"\xc0\xaf\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"\xed\xa0\x80\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"\xf4\x90\x80\x80\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":\"\xe2\x82\"}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\xff\":1}",
		"{\"dtype\":\"u1\",\"shape\":[1],\"x\":[[[]]}",
		"1 2", "", "  ",
	};
	static const char nul[] = "{\"dtype\":\"u1\",\"shape\":[1]}\0";
	struct wire_header h;
	char err[WIRE_ERRLEN], what[96];
	size_t i, j;
	int good = 1;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		good = parse(bad[i], &h, err) == -1 && !h.is_object &&
		    strncmp(err, "header is not JSON: ", 20) == 0;
		snprintf(what, sizeof what, "not JSON: %.60s", bad[i]);
		for (j = 0; what[j] != '\0'; j++)	/* one line of ASCII */
			if ((unsigned char)what[j] < 0x20 ||
			    (unsigned char)what[j] >= 0x7f)
				what[j] = '?';
		ok(good, what);
		if (!good)
			printf("# got: %s\n", err);
	}
	ok(wire_header_parse(nul, sizeof nul - 1, &h, err, sizeof err) == -1 &&
	    strstr(err, "not JSON") != NULL, "a NUL byte after the object");
	ok(parse(" 1 ", &h, err) == -1 && strstr(err, "not a JSON object") &&
	    parse("true", &h, err) == -1 && strstr(err, "not a JSON object") &&
	    parse("-2.5e3", &h, err) == -1 && strstr(err, "not a JSON object"),
	    "a bare number or literal is JSON, not an object");
	ok(parse("{\"dtype\":\"int7\",\"shape\":[1]}", &h, err) == -1 &&
	    h.is_object, "a refused object is still an object");
}

/* Values decoded as jansson decodes them; members found by their
 * decoded names, the last of a repeated one winning; unknown members,
 * however deep, skipped. */
static void
test_values(void)
{
	char deep[2048], many[4096], err[WIRE_ERRLEN];
	struct wire_header h;
	int i, n;

	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"worker\":"
	    "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"}", &h, err) == 0 &&
	    strcmp(h.worker, "a\"b\\c/d\b\f\n\r\t") == 0, "escapes decoded");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"worker\":"
	    "\"\\u00e9\\u20AC\\ud83d\\ude00\xc3\xa9\"}", &h, err) == 0 &&
	    strcmp(h.worker, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xc3\xa9") ==
	    0, "\\u escapes and a surrogate pair to UTF-8, UTF-8 kept");
	ok(parse("{\"d\\u0074ype\":\"\\u0075int8\",\"sh\\u0061pe\":[2],"
	    "\"fr\\u0061me\":7}", &h, err) == 0 && h.nbytes == 2 &&
	    h.has_frame && h.frame == 7, "member names decoded");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"frame\":1,\"frame\":\"x\"}",
	    &h, err) == 0 && !h.has_frame &&
	    parse("{\"dtype\":\"int7\",\"shape\":[9],\"dtype\":\"u1\","
	    "\"shape\":[2,3]}", &h, err) == 0 && h.nbytes == 6 &&
	    parse("{\"dtype\":\"u1\",\"shape\":[1],\"shm\":{\"ring\":\"a\","
	    "\"gen\":1,\"slot\":0,\"slot\":5}}", &h, err) == 0 &&
	    h.shm.slot == 5, "a repeated member: the last one wins");
	ok(parse("{\"x\":{\"dtype\":\"f8\",\"shape\":[9],\"frame\":3},"
	    "\"dtype\":\"u1\",\"shape\":[2],\"y\":[[{\"frame\":1}],{}]}", &h,
	    err) == 0 && h.nbytes == 2 && !h.has_frame,
	    "nested unknown members skipped");
	n = snprintf(deep, sizeof deep, "{\"dtype\":\"u1\",\"x\":");
	for (i = 0; i < 200; i++)
		n += snprintf(deep + n, sizeof deep - (size_t)n, "%s",
		    i % 2 ? "[" : "{\"k\":");
	for (i = 199; i >= 0; i--)
		deep[n++] = i % 2 ? ']' : '}';
	snprintf(deep + n, sizeof deep - (size_t)n, ",\"shape\":[3]}");
	ok(parse(deep, &h, err) == 0 && h.nbytes == 3,
	    "200 levels deep in an unknown member");
	n = snprintf(many, sizeof many, "{\"dtype\":\"u1\",\"shape\":[1],"
	    "\"x\":[0");
	for (i = 0; i < 600; i++)
		n += snprintf(many + n, sizeof many - (size_t)n, ",0");
	snprintf(many + n, sizeof many - (size_t)n, "]}");
	ok(parse(many, &h, err) == -1 && strstr(err, "more than 512 JSON "
	    "tokens") != NULL, "more tokens than the parser holds: refused");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"frame\":-9223372036854775808,"
	    "\"service_us\":1e2,\"cost_us\":2.5E-1,\"x\":1e-400}", &h, err) ==
	    0 && h.frame == INT64_MIN && h.service_us == 100 &&
	    h.cost_us == 0.25, "integers in int64_t, reals by strtod");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"frame\":1.0}", &h, err) ==
	    0 && !h.has_frame && parse("{\"dtype\":\"u1\",\"shape\":[-0],"
	    "\"frame\":-0}", &h, err) == 0 && h.has_frame && h.frame == 0 &&
	    h.nbytes == 0, "1.0 is not an integer, -0 is 0");
	ok(parse("{\"dtype\":\"u1\",\"shape\":[1],\"worker\":\"0123456789"
	    "0123456789012345678901234567890123456789012345678901234567"
	    "89\"}", &h, err) == 0 && strlen(h.worker) == 63,
	    "a long worker name truncated");
}

int
main(void)
{
	test_good();
	test_dtypes();
	test_bad();
	test_payload();
	test_format();
	test_shm_members();
	test_strict();
	test_values();
	test_micros();
	test_reals();
	return tap_done();
}
