/* fuzz_shm.c: fuzz the shared-memory request and ring-header checks.
 *
 * The input is a request header (JSON text). Its "shm" member is parsed (by
 * wire_header_parse) and resolved against a fixed ring, and every byte of the span the checker
 * accepts is read from (and the output slot written to) a buffer exactly as
 * large as a worker's mapping: ASan catches any span that leaves it. The
 * same bytes, laid over a valid ring header, must either be refused by
 * shm_hdr_check or describe a ring whose mapping holds its slots.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "log.h"
#include "lane.h"
#include "shm.h"

/* 5 slots of 4096 B frames (window up to 5), 2 output slots of a page. */
static struct shm_hdr ring;
static unsigned char *mapping;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init("fuzz_shm", LOG_LVL_QUIET);
	memcpy(ring.magic, SHM_MAGIC, 8);
	ring.version = SHM_VERSION;
	ring.hdr_size = SHM_HDR_SIZE;
	ring.gen = 7;
	ring.frame_bytes = ring.stride = 4096;
	ring.nslots = 5;
	ring.nout = 2;
	ring.out_off = SHM_HDR_SIZE + 5 * 4096;
	ring.out_stride = 4096;
	ring.total = ring.out_off + 2 * 4096;
	snprintf(ring.dtype, sizeof(ring.dtype), "uint8");
	ring.ndim = 2;
	ring.shape[0] = ring.shape[1] = 64;
	if ((mapping = malloc(shm_map_len(&ring))) == NULL)
		abort();
	memset(mapping, 0, shm_map_len(&ring));
	return 0;
}

static void
fuzz_request(const uint8_t *data, size_t size)
{
	char err[WIRE_ERRLEN] = "";
	struct wire_header h;
	struct wire_shm q;
	struct shm_span s;
	uint64_t i, sum = 0, nbytes;
	int rc;

	rc = wire_header_parse(data, size, &h, err, sizeof(err));
	FUZZ_ASSERT(rc == 0 || (rc == -1 && err[0] != '\0'));
	if (rc != 0 || !h.has_shm)
		return;
	q = h.shm;
	FUZZ_ASSERT(strlen(q.ring) < SHM_NAME_MAX);
	FUZZ_ASSERT(q.out >= -1 && q.lane >= -1 && q.lane < SHM_LANES);
	/* A worker maps a ring only after its name passed this. */
	if (shm_name_check(q.ring, err, sizeof(err)) == -1) {
		FUZZ_ASSERT(err[0] != '\0');
		return;
	}
	/* Try the size the request implies and its neighbours. */
	for (nbytes = q.count * ring.frame_bytes - 1;
	    nbytes <= q.count * ring.frame_bytes + 1; nbytes++) {
		q.gen = ring.gen;
		err[0] = '\0';
		if (shm_req_resolve(&ring, &q, nbytes, &s, err, sizeof(err)) == -1) {
			FUZZ_ASSERT(err[0] != '\0');
			continue;
		}
		FUZZ_ASSERT(nbytes == q.count * ring.frame_bytes);
		for (i = 0; i < s.in_len; i += 512)
			sum += mapping[s.in_off + i];
		sum += mapping[s.in_off + s.in_len - 1];
		if (s.out_cap > 0)
			memset(mapping + s.out_off, (int)sum, s.out_cap);
	}
}

static void
fuzz_header(const uint8_t *data, size_t size)
{
	struct shm_hdr h = ring;
	char err[256] = "";

	memcpy(&h, data, size < sizeof(h) ? size : sizeof(h));
	if (shm_hdr_check(&h, ring.total, 4096, err, sizeof(err)) == -1) {
		FUZZ_ASSERT(err[0] != '\0');
		return;
	}
	FUZZ_ASSERT(h.total <= ring.total);
	FUZZ_ASSERT(h.out_off + (uint64_t)h.nout * h.out_stride <= h.total);
	FUZZ_ASSERT(h.hdr_size + (uint64_t)h.nslots * h.stride <= h.out_off);
}

/* A lane message's prefix: accepted lengths always fit one message. */
static void
fuzz_lane(const uint8_t *data, size_t size)
{
	char err[256] = "";
	size_t hlen, plen;

	if (lane_prefix_check(data, size, &hlen, &plen, err, sizeof(err)) == -1) {
		FUZZ_ASSERT(err[0] != '\0');
		return;
	}
	FUZZ_ASSERT(size >= LANE_PREFIX && hlen > 0);
	FUZZ_ASSERT(LANE_PREFIX + hlen + plen <= LANE_MSG_MAX);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_request(data, size);
	fuzz_header(data, size);
	fuzz_lane(data, size);
	return 0;
}
