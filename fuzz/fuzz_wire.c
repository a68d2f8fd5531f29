/* fuzz_wire.c: fuzz the message header parser and payload validator.
 *
 * The input is one header frame. Besides not crashing, the parser must
 * keep its promises: an error always has a message, an accepted header's
 * byte size is product(shape) x itemsize without overflow and is the only
 * payload length accepted, a header we write parses back to the same
 * array and members, and every error message, sent back as an error reply, is JSON that
 * parses to the same text. What it refuses as "not JSON" is exactly what
 * jansson refuses: the text is parsed by both.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "log.h"
#include "wire.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init("fuzz_wire", LOG_LVL_QUIET);
	return 0;
}

/* An error reply carrying any msg is JSON; when msg fits it parses back
 * to msg, with any byte past ASCII shown as '?'. */
static void
fuzz_error_roundtrip(const char *msg)
{
	char buf[WIRE_HDRMAX], esc[WIRE_ERRLEN * 2];
	char want[WIRE_ERRLEN], err[WIRE_ERRLEN];
	struct wire_header h;
	size_t i;
	int n;

	wire_header_init(&h);
	h.is_error = 1;
	snprintf(h.err, sizeof h.err, "%s", msg);
	h.has_frame = 1;
	h.frame = 7;
	n = wire_header_write(buf, sizeof buf, &h);
	FUZZ_ASSERT(n > 0 && (size_t)n == strlen(buf));
	FUZZ_ASSERT(wire_header_parse(buf, (size_t)n, &h, err, sizeof err) == 0);
	FUZZ_ASSERT(h.is_error && h.has_frame && h.frame == 7);
	if (strlen(msg) >= sizeof want ||
	    wire_json_escape(esc, sizeof esc, msg) + 8 >= sizeof esc)
		return;		/* truncated on the way */
	for (i = 0; msg[i] != '\0'; i++)
		want[i] = (unsigned char)msg[i] < 0x80 ? msg[i] : '?';
	want[i] = '\0';
	FUZZ_ASSERT(strcmp(h.err, want) == 0);
}

/* product(shape) x itemsize, or UINT64_MAX on overflow. */
static uint64_t
fuzz_nbytes(const struct wire_header *h)
{
	uint64_t n = (uint64_t)h->dtype.itemsize;
	int i;

	for (i = 0; i < h->ndim; i++)
		if (__builtin_mul_overflow(n, h->shape[i], &n))
			return UINT64_MAX;
	return n;
}

static void
fuzz_accepted(const struct wire_header *h)
{
	char buf[WIRE_HDRMAX], err[WIRE_ERRLEN];
	struct wire_header h2, w = *h;
	size_t i;
	int n;

	FUZZ_ASSERT(h->ndim >= 0 && h->ndim <= WIRE_MAXDIM);
	FUZZ_ASSERT(h->dtype.itemsize > 0 && h->dtype.itemsize <= 16);
	FUZZ_ASSERT(fuzz_nbytes(h) != UINT64_MAX);
	FUZZ_ASSERT(fuzz_nbytes(h) == h->nbytes);
	if (h->nbytes < SIZE_MAX) {
		FUZZ_ASSERT(wire_payload_check(h, (size_t)h->nbytes, err,
		    sizeof err) == 0);
		FUZZ_ASSERT(wire_payload_check(h, (size_t)h->nbytes + 1, err,
		    sizeof err) == -1 && err[0] != '\0');
	}
	if (h->nbytes > 0)
		FUZZ_ASSERT(wire_payload_check(h, (size_t)h->nbytes - 1, err,
		    sizeof err) == -1);

	/* 32 dimensions of 20 digits and every integer member fit the
	 * buffer; a worker's name, service_us (up to 300 digits) and a ring
	 * name of 63 escaped bytes need not. */
	w.worker[0] = '\0';
	w.service_us = -1;
	n = wire_header_write(buf, sizeof buf, &w);
	FUZZ_ASSERT(n > 0 || (h->has_shm && strlen(h->shm.ring) > 16));
	if (n < 0)
		return;
	FUZZ_ASSERT(wire_header_parse(buf, (size_t)n, &h2, err,
	    sizeof err) == 0);
	FUZZ_ASSERT(strcmp(h2.dtype.name, h->dtype.name) == 0);
	FUZZ_ASSERT(h2.ndim == h->ndim && h2.nbytes == h->nbytes);
	FUZZ_ASSERT(memcmp(h2.shape, h->shape,
	    (size_t)h->ndim * sizeof h->shape[0]) == 0);
	FUZZ_ASSERT(h2.has_frame == h->has_frame && h2.frame == h->frame);
	FUZZ_ASSERT(h2.has_shm == h->has_shm);
	FUZZ_ASSERT(h2.shm.gen == h->shm.gen && h2.shm.slot == h->shm.slot &&
	    h2.shm.count == h->shm.count && h2.shm.out == h->shm.out &&
	    h2.shm.lane == h->shm.lane);
	/* Bytes past ASCII are written as '?'. */
	for (i = 0; h->shm.ring[i] != '\0'; i++)
		FUZZ_ASSERT(h2.shm.ring[i] == ((unsigned char)h->shm.ring[i] <
		    0x80 ? h->shm.ring[i] : '?'));
	FUZZ_ASSERT(h2.shm.ring[i] == '\0');
	FUZZ_ASSERT(h2.shm_out == h->shm_out && h2.lane_full == h->lane_full);
	FUZZ_ASSERT(h2.t_recv_ns == h->t_recv_ns &&
	    h2.t_sent_ns == h->t_sent_ns);
	FUZZ_ASSERT(h2.overrun == h->overrun &&
	    h2.interrupted == h->interrupted);
}

/* The parser takes as JSON what jansson takes (any value, as
 * JSON_DECODE_ANY), but for a text of more tokens than it holds, and a
 * NUL byte: jansson skips one that follows a number or literal (its
 * lexer reads a NUL it has put back as the end of its buffer), where
 * the parser refuses it as it refuses one anywhere else. */
static void
fuzz_as_jansson(const uint8_t *data, size_t size, int parsed, const char *err)
{
	json_error_t je;
	json_t *j;
	int not_json = !parsed && strncmp(err, "header is not JSON: ", 20) == 0;

	if (!parsed && strstr(err, " JSON tokens") != NULL)
		return;
	j = json_loadb((const char *)data, size, JSON_DECODE_ANY, &je);
	if (j != NULL && not_json && memchr(data, '\0', size) != NULL) {
		json_decref(j);
		return;
	}
	if ((j == NULL) != not_json)
		fprintf(stderr, "fuzz_wire: jansson %s, the parser %s\n",
		    j == NULL ? je.text : "takes it", parsed ? "takes it" : err);
	FUZZ_ASSERT((j == NULL) == not_json);
	json_decref(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_header h;
	struct wire_dtype d;
	char err[WIRE_ERRLEN], *s;
	int rc;

	memset(err, 'x', sizeof err);
	rc = wire_header_parse(data, size, &h, err, sizeof err);
	fuzz_as_jansson(data, size, rc == 0, err);
	if (rc == 0) {
		if (!h.is_error)
			fuzz_accepted(&h);
		else
			FUZZ_ASSERT(memchr(h.err, '\0', sizeof h.err) != NULL);
	} else {
		FUZZ_ASSERT(memchr(err, '\0', sizeof err) != NULL);
		FUZZ_ASSERT(err[0] != '\0');
		fuzz_error_roundtrip(err);
	}

	s = fuzz_cstring(data, size);
	if (wire_dtype_lookup(s, &d) == 0)
		FUZZ_ASSERT(d.itemsize > 0 && d.name[0] != '\0');
	fuzz_error_roundtrip(s);
	free(s);
	return 0;
}
