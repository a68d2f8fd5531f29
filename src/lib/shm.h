/* shm.h: the zero-copy shared-memory transport's rings.
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

#define SHM_NAME_MAX	64
#define SHM_PREFIX	"/fake-servers-"
#define SHM_MAGIC	"FSSHMRNG"	/* 8 bytes, no NUL in the object */
#define SHM_VERSION	1
#define SHM_HDR_SIZE	4096
#define SHM_MAXDIM	8
#define SHM_MAX_SLOTS	65536u
#define SHM_MAX_BYTES	(16ull << 30)	/* a whole ring */
#define SHM_INLINE_MAX	4096	/* outputs up to this size go inline */
#define SHM_LANES	256	/* doorbell lanes per ring (lane.h) */

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

/* The "shm" member of a request header. */
struct shm_req {
	char	 ring[SHM_NAME_MAX];
	uint64_t gen;
	uint32_t slot;		/* first frame's slot */
	uint32_t count;		/* frames, contiguous from slot (mod nslots) */
	int32_t	 out;		/* output slot, -1: reply inline */
	int32_t	 lane;		/* the client's lane to this worker, -1 none */
};

/* Where a checked request's data lie, as offsets into a mapping laid out
 * [header][inputs][inputs again][outputs]. */
struct shm_span {
	uint64_t in_off, in_len;
	uint64_t out_off, out_cap;	/* out_cap 0: no output slot */
	int32_t	 out;
};

struct shm_ring;	/* one mapping of a ring, the client's or a worker's */
struct shm_cache;	/* a worker's mapped rings */

/* Pure checks, on private copies only (fuzzed by fuzz/fuzz_shm.c). Each
 * returns 0, or -1 with a message in err. */
int	shm_name_check(const char *name, char *err, size_t errlen);
int	shm_hdr_check(const struct shm_hdr *, uint64_t file_size, uint64_t page,
	    char *err, size_t errlen);
int	shm_req_resolve(const struct shm_hdr *, const struct shm_req *,
	    uint64_t nbytes, struct shm_span *, char *err, size_t errlen);
/* The bytes of a mapping laid out as struct shm_span assumes. */
uint64_t shm_map_len(const struct shm_hdr *);

/* Read the "shm" member of a request header (JSON text): 1 if there is
 * none, 0 with *req filled, -1 with a message. */
int	shm_req_parse(const void *hdr, size_t len, struct shm_req *,
	    char *err, size_t errlen);
/* Format the "shm" member ("\"shm\":{...}") for wire_header_format's
 * extra; returns the length or -1 if buf is too small. */
int	shm_req_format(char *buf, size_t len, const struct shm_req *);
/* Read "shm_out" from a reply header: 1 absent, 0 with *out, -1 bad. */
int	shm_reply_out(const void *hdr, size_t len, int32_t *out);

/* Client side. The slot count is rounded up so that the input slots fill
 * whole pages (needed to map them twice); a geometry that would need an
 * absurd ring fails with a message saying so. */
struct shm_ring	*shm_ring_create(const struct shm_geom *, char *err, size_t errlen);
void		*shm_ring_slot(struct shm_ring *, uint32_t slot);
const void	*shm_ring_out(const struct shm_ring *, uint32_t out);
/* Unmap; the creator also unlinks the name. NULLs the pointer. */
void		 shm_ring_free(struct shm_ring **);
/* Remove this user's rings whose creator is dead, from dir (NULL:
 * /dev/shm). A ring made in another pid namespace (a container sharing
 * /dev/shm) is left alone: its pid means nothing here. Returns how many
 * were removed, or -1. */
int		 shm_reap_stale(const char *dir);

/* Worker side: map an existing ring by name and check its header. */
struct shm_ring	*shm_ring_open(const char *name, char *err, size_t errlen);

/* Was the ring truncated under this worker? Its mapping then reads as
 * zeros (a SIGBUS handler replaced it) and the cache maps it anew. */
int		 shm_ring_broken(const struct shm_ring *);

const struct shm_hdr *shm_ring_hdr(const struct shm_ring *);
const char	*shm_ring_name(const struct shm_ring *);
/* The mapping's base, laid out as struct shm_span assumes. */
unsigned char	*shm_ring_base(const struct shm_ring *);

/* A request resolved against a worker's mapping. */
struct shm_view {
	const void *in;		/* in_len bytes, contiguous */
	uint64_t in_len;
	void	*out;		/* out_cap bytes, or NULL */
	uint64_t out_cap;
	int32_t	 out_slot;	/* -1 when none */
	int32_t	 lane;		/* the request's lane, -1 none (lane.h) */
	const char *ring;	/* the ring's name and header */
	const struct shm_hdr *hdr;
};

struct shm_cache *shm_cache_new(int max_rings);
void		 shm_cache_free(struct shm_cache **);
int		 shm_cache_count(const struct shm_cache *);
/* Is that ring (name and generation) mapped? */
int		 shm_cache_has(const struct shm_cache *, const char *name,
		    uint64_t gen);
/* The whole worker side of a request: parse the "shm" member of header
 * (JSON text), map (or find) its ring, check it against nbytes (the size
 * the header's dtype and shape give) and point *v at the data. Returns 1
 * if the request is not a shared-memory one, 0 with *v set, or -1 with a
 * message for the error reply. */
int		 shm_cache_lookup(struct shm_cache *, const void *hdr, size_t len,
		    uint64_t nbytes, struct shm_view *v, char *err, size_t errlen);
/* Unmap rings whose name is gone (unlinked, or reused for another object)
 * or whose creator, in this pid namespace, has died; returns how many. */
int		 shm_cache_sweep(struct shm_cache *);

#endif
