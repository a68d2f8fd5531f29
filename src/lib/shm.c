/* shm.c: shared-memory rings: their layout and the checks of a ring's
 * header and of a request against it.
 *
 * The worker never trusts the object: it reads the header once into a
 * private copy, checks it (shm_hdr_check), and resolves every request
 * against that copy (shm_req_resolve) before forming a pointer. Everything
 * here is a pure function, so it can be fuzzed without any shared memory
 * (fuzz/fuzz_shm.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "shm.h"
#include "wire.h"

static uint64_t
shm_roundup(uint64_t v, uint64_t m)
{
	return (v + m - 1) / m * m;
}

static uint64_t
shm_gcd(uint64_t a, uint64_t b)
{
	uint64_t t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	return a;
}

int
shm_name_parse(const char *name, uint32_t *uid, uint32_t *pid, uint32_t *n)
{
	uint32_t *out[3] = { uid, pid, n };
	uint64_t v;
	const char *p;
	int i, digits;

	if (strncmp(name, SHM_PREFIX, strlen(SHM_PREFIX)) != 0)
		return -1;
	p = name + strlen(SHM_PREFIX);
	for (i = 0; i < 3; i++) {
		for (v = 0, digits = 0; *p >= '0' && *p <= '9'; p++, digits++) {
			v = v * 10 + (uint64_t)(*p - '0');
			if (digits >= 10 || v > UINT32_MAX)
				return -1;
		}
		if (digits == 0 || *p != (i < 2 ? '-' : '\0'))
			return -1;
		if (i < 2)
			p++;
		if (out[i] != NULL)
			*out[i] = (uint32_t)v;
	}
	return 0;
}

int
shm_name_check(const char *name, char *err, size_t errlen)
{
	if (name == NULL)
		return wire_fail(err, errlen, "shm ring name is missing");
	if (strnlen(name, SHM_NAME_MAX) >= SHM_NAME_MAX)
		return wire_fail(err, errlen, "shm ring name is longer than %d bytes",
		    SHM_NAME_MAX - 1);
	if (shm_name_parse(name, NULL, NULL, NULL) == -1)
		return wire_fail(err, errlen, "shm ring name '%s' is not "
		    SHM_PREFIX "<uid>-<pid>-<n>", name);
	return 0;
}

uint64_t
shm_map_len(const struct shm_hdr *h)
{
	uint64_t in_len = (uint64_t)h->nslots * h->stride;

	return h->hdr_size + 2 * in_len + (uint64_t)h->nout * h->out_stride;
}

/* The geometry fields; sizes are bounded first so no product overflows. */
static int
shm_hdr_check_sizes(const struct shm_hdr *h, uint64_t page, char *err,
    size_t errlen)
{
	uint64_t in_len;

	if (h->nslots == 0 || h->nslots > SHM_MAX_SLOTS)
		return wire_fail(err, errlen, "shm ring has %" PRIu32
		    " input slots (1 to %u allowed)", h->nslots, SHM_MAX_SLOTS);
	if (h->nout > SHM_MAX_SLOTS)
		return wire_fail(err, errlen, "shm ring has %" PRIu32
		    " output slots (at most %u)", h->nout, SHM_MAX_SLOTS);
	if (h->frame_bytes == 0 || h->stride < h->frame_bytes ||
	    h->stride > SHM_MAX_BYTES)
		return wire_fail(err, errlen, "shm ring frame of %" PRIu64
		    " bytes in slots of %" PRIu64 " is impossible",
		    h->frame_bytes, h->stride);
	if (h->out_stride > SHM_MAX_BYTES || h->out_stride % page != 0 ||
	    (h->nout > 0 && h->out_stride == 0))
		return wire_fail(err, errlen, "shm ring output slot size %" PRIu64
		    " is not a positive multiple of the %" PRIu64 "-byte page",
		    h->out_stride, page);
	in_len = (uint64_t)h->nslots * h->stride;
	if (in_len % page != 0)
		return wire_fail(err, errlen, "shm ring input slots (%" PRIu64
		    " bytes) do not fill whole pages", in_len);
	if (h->out_off != h->hdr_size + in_len)
		return wire_fail(err, errlen, "shm ring output offset %" PRIu64
		    " is not %" PRIu64, h->out_off, h->hdr_size + in_len);
	if (h->total != h->out_off + (uint64_t)h->nout * h->out_stride ||
	    h->total > SHM_MAX_BYTES)
		return wire_fail(err, errlen, "shm ring size %" PRIu64
		    " does not match its slots or exceeds %llu bytes", h->total,
		    SHM_MAX_BYTES);
	return 0;
}

int
shm_hdr_check(const struct shm_hdr *h, uint64_t file_size, uint64_t page,
    char *err, size_t errlen)
{
	if (memcmp(h->magic, SHM_MAGIC, sizeof(h->magic)) != 0)
		return wire_fail(err, errlen, "not a shm ring (bad magic)");
	if (h->version != SHM_VERSION)
		return wire_fail(err, errlen, "shm ring version %" PRIu32
		    " is not %d", h->version, SHM_VERSION);
	if (h->hdr_size != SHM_HDR_SIZE || page == 0 ||
	    SHM_HDR_SIZE % page != 0)
		return wire_fail(err, errlen, "shm ring header size %" PRIu32
		    " is not %d", h->hdr_size, SHM_HDR_SIZE);
	if (memchr(h->dtype, '\0', sizeof(h->dtype)) == NULL ||
	    h->ndim > SHM_MAXDIM)
		return wire_fail(err, errlen, "shm ring frame geometry is corrupt");
	if (shm_hdr_check_sizes(h, page, err, errlen) == -1)
		return -1;
	if (h->total > file_size)
		return wire_fail(err, errlen, "shm ring claims %" PRIu64
		    " bytes but the object has %" PRIu64, h->total, file_size);
	return 0;
}

int
shm_req_resolve(const struct shm_hdr *h, const struct wire_shm *r,
    uint64_t nbytes, struct shm_span *s, char *err, size_t errlen)
{
	uint64_t in_len = (uint64_t)h->nslots * h->stride;

	if (r->gen != h->gen)
		return wire_fail(err, errlen, "shm ring %s is generation %" PRIu64
		    ", the request names %" PRIu64, r->ring, h->gen, r->gen);
	if (r->slot >= h->nslots)
		return wire_fail(err, errlen, "shm slot %" PRIu32 " is out of "
		    "range (the ring has %" PRIu32 ")", r->slot, h->nslots);
	if (r->count == 0 || r->count > h->nslots)
		return wire_fail(err, errlen, "shm count %" PRIu32 " is out of "
		    "range (1 to %" PRIu32 ")", r->count, h->nslots);
	if (r->count > 1 && h->stride != h->frame_bytes)
		return wire_fail(err, errlen, "shm ring %s holds single frames "
		    "only, not windows of %" PRIu32, r->ring, r->count);
	if (nbytes != (uint64_t)r->count * h->frame_bytes)
		return wire_fail(err, errlen, "dtype and shape give %" PRIu64
		    " bytes, but %" PRIu32 " frames of the ring are %" PRIu64,
		    nbytes, r->count, (uint64_t)r->count * h->frame_bytes);
	if (r->out < -1 || (r->out >= 0 && (uint32_t)r->out >= h->nout))
		return wire_fail(err, errlen, "shm output slot %" PRId32 " is out "
		    "of range (the ring has %" PRIu32 ")", r->out, h->nout);
	s->in_off = h->hdr_size + (uint64_t)r->slot * h->stride;
	s->in_len = nbytes;
	if (s->in_off + s->in_len > h->hdr_size + 2 * in_len)
		return wire_fail(err, errlen, "shm request overruns its ring");
	s->out = r->out;
	s->out_off = s->out_cap = 0;
	if (r->out >= 0) {
		s->out_off = h->hdr_size + 2 * in_len +
		    (uint64_t)r->out * h->out_stride;
		s->out_cap = h->out_stride;
	}
	return 0;
}

int
shm_layout(const struct shm_geom *g, uint64_t page, struct shm_hdr *h,
    char *err, size_t errlen)
{
	uint64_t fb = g->frame_bytes, m, n, stride = fb, out_stride = 0;

	if (fb == 0 || fb > SHM_MAX_BYTES / 2 || g->need_slots == 0 ||
	    g->max_window == 0 || g->max_window > g->need_slots ||
	    g->ndim < 0 || g->ndim > SHM_MAXDIM || g->nout > SHM_MAX_SLOTS ||
	    g->out_bytes > SHM_MAX_BYTES)
		return wire_fail(err, errlen, "impossible shm ring geometry");
	m = page / shm_gcd(fb, page);
	n = shm_roundup(g->need_slots, m);
	/* Page alignment may multiply the slots (an odd frame size needs
	 * 4096 of them): past twice the memory asked for plus 256 MiB, pad
	 * each slot to whole pages instead and hold single frames only. */
	if (n > SHM_MAX_SLOTS ||
	    n * fb > 2 * (uint64_t)g->need_slots * fb + (256ull << 20)) {
		if (g->max_window > 1)
			return wire_fail(err, errlen, "a window of %" PRIu32
			    " frames of %" PRIu64 " bytes cannot be laid out "
			    "contiguously without a ring of %" PRIu64 " slots",
			    g->max_window, fb, n);
		n = g->need_slots;
		stride = shm_roundup(fb, page);
	}
	if (g->nout > 0)
		out_stride = shm_roundup(g->out_bytes > 0 ? g->out_bytes : 1, page);
	memset(h, 0, sizeof(*h));
	h->version = SHM_VERSION;
	h->hdr_size = SHM_HDR_SIZE;
	h->frame_bytes = fb;
	h->stride = stride;
	h->nslots = (uint32_t)n;
	h->nout = g->nout;
	h->out_off = SHM_HDR_SIZE + n * stride;
	h->out_stride = out_stride;
	h->total = h->out_off + (uint64_t)g->nout * out_stride;
	if (h->total > SHM_MAX_BYTES || n > SHM_MAX_SLOTS)
		return wire_fail(err, errlen, "a shm ring of %" PRIu64 " slots of "
		    "%" PRIu64 " bytes is too large", n, stride);
	snprintf(h->dtype, sizeof(h->dtype), "%s", g->dtype);
	h->ndim = (uint32_t)g->ndim;
	memcpy(h->shape, g->shape, sizeof(h->shape));
	return 0;
}
