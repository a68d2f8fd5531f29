/* shm_json.c: the shared-memory members of the JSON headers: a
 * request's "shm" (read and written) and a reply's "shm_out" (read). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "shm.h"
#include "shm_json.h"
#include "wire.h"

/* An unsigned integer member of o, in [0, max]; def when absent (def < 0:
 * required). */
static int
shm_json_uint(json_t *o, const char *key, uint64_t max, int64_t def,
    uint64_t *v, char *err, size_t errlen)
{
	json_t *j = json_object_get(o, key);
	json_int_t i;

	if (j == NULL || (json_is_null(j) && def >= 0)) {
		if (def < 0)
			return wire_fail(err, errlen, "shm.%s is missing", key);
		*v = (uint64_t)def;
		return 0;
	}
	if (!json_is_integer(j) || (i = json_integer_value(j)) < 0 ||
	    (uint64_t)i > max)
		return wire_fail(err, errlen, "shm.%s must be an integer from 0 "
		    "to %" PRIu64, key, max);
	*v = (uint64_t)i;
	return 0;
}

static int
shm_req_from_json(json_t *o, struct shm_req *r, char *err, size_t errlen)
{
	json_t *ring;
	uint64_t gen, slot, count, out, lane;

	if (!json_is_object(o))
		return wire_fail(err, errlen, "shm must be an object");
	ring = json_object_get(o, "ring");
	if (!json_is_string(ring))
		return wire_fail(err, errlen, "shm.ring must be a string");
	if (shm_name_check(json_string_value(ring), err, errlen) == -1)
		return -1;
	if (shm_json_uint(o, "gen", (1ull << 53) - 1, -1, &gen, err, errlen) ||
	    shm_json_uint(o, "slot", UINT32_MAX, -1, &slot, err, errlen) ||
	    shm_json_uint(o, "count", UINT32_MAX, 1, &count, err, errlen) ||
	    shm_json_uint(o, "out", INT32_MAX, INT32_MAX, &out, err, errlen) ||
	    shm_json_uint(o, "lane", SHM_LANES - 1, SHM_LANES, &lane, err,
	    errlen))
		return -1;
	snprintf(r->ring, sizeof(r->ring), "%s", json_string_value(ring));
	r->gen = gen;
	r->slot = (uint32_t)slot;
	r->count = (uint32_t)count;
	/* absent or null: inline (INT32_MAX is the "absent" marker) */
	r->out = json_object_get(o, "out") == NULL ||
	    json_is_null(json_object_get(o, "out")) ? -1 : (int32_t)out;
	r->lane = lane == SHM_LANES ? -1 : (int32_t)lane;
	return 0;
}

int
shm_req_parse(const void *hdr, size_t len, struct shm_req *r, char *err,
    size_t errlen)
{
	json_error_t jerr;
	json_t *root, *o;
	int rc;

	/* Most requests are not shared-memory ones: skip the second parse. */
	if (memmem(hdr, len, "\"shm\"", 5) == NULL)
		return 1;
	if ((root = json_loadb(hdr, len, 0, &jerr)) == NULL)
		return wire_fail(err, errlen, "header is not JSON: %s", jerr.text);
	if (!json_is_object(root) || (o = json_object_get(root, "shm")) == NULL)
		rc = 1;
	else
		rc = shm_req_from_json(o, r, err, errlen);
	json_decref(root);
	return rc;
}

int
shm_req_format(char *buf, size_t len, const struct shm_req *r)
{
	char out[32] = "", lane[32] = "";
	int n;

	if (r->out >= 0)
		snprintf(out, sizeof(out), ",\"out\":%" PRId32, r->out);
	if (r->lane >= 0)
		snprintf(lane, sizeof(lane), ",\"lane\":%" PRId32, r->lane);
	n = snprintf(buf, len, "\"shm\":{\"ring\":\"%s\",\"gen\":%" PRIu64
	    ",\"slot\":%" PRIu32 ",\"count\":%" PRIu32 "%s%s}", r->ring, r->gen,
	    r->slot, r->count, out, lane);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int
shm_reply_out(const void *hdr, size_t len, int32_t *out)
{
	json_error_t jerr;
	json_t *root, *j;
	json_int_t v;
	int rc = -1;

	if (memmem(hdr, len, "\"shm_out\"", 9) == NULL)
		return 1;
	if ((root = json_loadb(hdr, len, 0, &jerr)) == NULL)
		return -1;
	j = json_object_get(root, "shm_out");
	if (j == NULL)
		rc = 1;
	else if (json_is_integer(j) && (v = json_integer_value(j)) >= 0 &&
	    v <= INT32_MAX) {
		*out = (int32_t)v;
		rc = 0;
	}
	json_decref(root);
	return rc;
}
