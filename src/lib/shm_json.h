/* shm_json.h: the shared-memory members of the JSON headers: a request's
 * "shm" (struct shm_req) and a reply's "shm_out" (doc/shm.md). */
#ifndef FS_SHM_JSON_H
#define FS_SHM_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "shm.h"

/* Read the "shm" member of a request header (JSON text): 1 if there is
 * none, 0 with *req filled, -1 with a message. */
int	shm_req_parse(const void *hdr, size_t len, struct shm_req *,
	    char *err, size_t errlen);
/* Format the "shm" member ("\"shm\":{...}") for wire_header_format's
 * extra; returns the length or -1 if buf is too small. */
int	shm_req_format(char *buf, size_t len, const struct shm_req *);
/* Read "shm_out" from a reply header: 1 absent, 0 with *out, -1 bad. */
int	shm_reply_out(const void *hdr, size_t len, int32_t *out);

#endif
