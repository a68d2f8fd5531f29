/* shm.h: the zero-copy shared-memory transport's ring layout and the
 * pure checks a worker makes before it trusts a ring or a request.
 *
 * A client creates one ring (a POSIX shared-memory object named
 * "/fake-servers-<uid>-<pid>-<n>") and writes each frame into it once; the
 * requests it sends over ZeroMQ carry only a header naming the ring, the
 * slots of the frames and an output slot. A worker maps each ring once
 * (inputs read-only, outputs read-write), caches the mapping, and checks
 * every slot, count and length of a request against its own copy of the
 * ring's header before touching the memory. See doc/shm.md.
 *
 * Layout of the object (all offsets page-aligned):
 *	[header: 4096 B][input slots: nslots x stride][output slots: nout x out_stride]
 * Every mapping maps the input slots twice, back to back, so frames
 * slot..slot+count-1 (mod nslots) are one contiguous [count, ...] array
 * even when they wrap: a window is read in place, never copied.
 */
#ifndef FS_SHM_H
#define FS_SHM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "wire.h"

#define SHM_NAME_MAX	WIRE_RING_MAX
#define SHM_PREFIX	"/fake-servers-"
#define SHM_DIR		"/dev/shm"	/* where the rings and their lanes are */
#define SHM_GROUP	"fake-servers-shm"	/* they are shared with this group */
#define SHM_MAGIC	"FSSHMRNG"	/* 8 bytes, no NUL in the object */
#define SHM_VERSION	1
#define SHM_HDR_SIZE	4096
#define SHM_MAXDIM	8
#define SHM_MAX_SLOTS	65536u
#define SHM_MAX_BYTES	(16ull << 30)	/* a whole ring */
#define SHM_INLINE_MAX	4096	/* outputs up to this size go inline */
#define SHM_LANES	WIRE_LANES	/* doorbell lanes per ring (lane.h) */

/* The header at offset 0 of a ring, written once by its creator. */
struct shm_hdr {
	char	 magic[8];
	uint32_t version;
	uint32_t hdr_size;	/* SHM_HDR_SIZE: where the input slots start */
	uint64_t gen;		/* random, < 2^53: requests must quote it */
	uint32_t owner_pid;	/* the client that created it */
	uint32_t owner_uid;
	uint64_t frame_bytes;	/* bytes of one input frame */
	uint64_t stride;	/* bytes between input slots (>= frame_bytes) */
	uint32_t nslots;	/* input slots */
	uint32_t nout;		/* output slots */
	uint64_t out_off;	/* hdr_size + nslots x stride */
	uint64_t out_stride;	/* bytes per output slot, page multiple */
	uint64_t total;		/* size of the object */
	char	 dtype[16];	/* frame geometry, for people and checks */
	uint32_t ndim;
	uint32_t owner_pidns;	/* its pid namespace's inode (low bits), 0 unknown */
	uint64_t shape[SHM_MAXDIM];
};

/* What a client asks for when it creates a ring. */
struct shm_geom {
	char	 dtype[16];	/* numpy name of the frames' dtype */
	int	 ndim;
	uint64_t shape[SHM_MAXDIM];
	uint64_t frame_bytes;	/* product(shape) x itemsize */
	uint32_t need_slots;	/* at least max window + frames in flight */
	uint32_t max_window;	/* largest count a request will use */
	uint32_t nout;		/* output slots */
	uint64_t out_bytes;	/* largest output to be placed in a slot */
};

/* Where a checked request's data lie, as offsets into a mapping laid out
 * [header][inputs][inputs again][outputs]. */
struct shm_span {
	uint64_t in_off, in_len;
	uint64_t out_off, out_cap;	/* out_cap 0: no output slot */
	int32_t	 out;
};

/* Pure checks, on private copies only (fuzzed by fuzz/fuzz_shm.c). Each
 * returns 0, or -1 with a message in err. */
int	shm_name_check(const char *name, char *err, size_t errlen);
/* Parse "/fake-servers-<uid>-<pid>-<n>"; any of the outputs may be NULL. */
int	shm_name_parse(const char *name, uint32_t *uid, uint32_t *pid,
	    uint32_t *n);
int	shm_hdr_check(const struct shm_hdr *, uint64_t file_size, uint64_t page,
	    char *err, size_t errlen);
int	shm_req_resolve(const struct shm_hdr *, const struct wire_shm *,
	    uint64_t nbytes, struct shm_span *, char *err, size_t errlen);
/* The bytes of a mapping laid out as struct shm_span assumes. */
uint64_t shm_map_len(const struct shm_hdr *);
/* Fill a header for a ring of geometry g on pages of page bytes, choosing
 * the slot count: the input slots must fill whole pages to be mapped
 * twice. Everything but the owner's fields and the magic. */
int	shm_layout(const struct shm_geom *g, uint64_t page, struct shm_hdr *,
	    char *err, size_t errlen);

/* The "shm" member of a request and the "shm_out" of a reply are read and
 * written with the rest of the header by wire.c (struct wire_shm, struct
 * wire_header). Rings: shm_ring.h. A worker's mapped rings:
 * shm_cache.h. Removing a dead client's rings: shm_reap.h. Lanes: lane.h. */

#endif
