/* framesrc.h: the fake video source and its frame history.
 *
 * Frames are filled with a fast PRNG into a ring of `nslots` frames followed
 * by a mirror of the first window-1 slots, so the last k <= window frames
 * are always one contiguous [k, H, W, C] block that can be sent without a
 * copy. Each slot has a reference count: a block handed to ZeroMQ holds its
 * slots until ZeroMQ calls framesrc_release() (from its I/O thread), and a
 * slot is only refilled once free. Everything is allocated and touched up
 * front: no allocation or page fault per frame.
 */
#ifndef FS_FRAMESRC_H
#define FS_FRAMESRC_H

#include <stddef.h>
#include <stdint.h>

#define FRAMESRC_WINDOW_MAX	1024

struct framesrc;

/* window: the longest block ever asked for; depth: frames beyond the
 * window that may be held at once (evaluations in flight). */
struct framesrc	*framesrc_new(size_t frame_bytes, int window, int depth,
		    uint64_t seed);
/* The same over memory that is already laid out so: nslots frames mapped
 * twice back to back (a shared-memory ring); it is not freed. */
struct framesrc	*framesrc_wrap(void *mem, size_t frame_bytes, int nslots,
		    int window, uint64_t seed);
void		 framesrc_free(struct framesrc **);

size_t		 framesrc_frame_bytes(const struct framesrc *);
int		 framesrc_slots(const struct framesrc *);
/* May frame f be filled now (its slot is no longer held)? */
int		 framesrc_can_fill(const struct framesrc *, int64_t f);
/* Fill frame f with fresh random bytes (f must be the next frame). */
void		 framesrc_fill(struct framesrc *, int64_t f);
/* The contiguous block of the k frames ending with frame last. */
void		*framesrc_block(struct framesrc *, int64_t last, int k);

/* Hold the k slots of a block; the matching release is the free function
 * given to zmq_msg_init_data with framesrc_hint() as its hint. */
void		 framesrc_hold(struct framesrc *, int64_t last, int k);
void		*framesrc_hint(struct framesrc *, int k);
void		 framesrc_release(void *data, void *hint);
/* Slots currently held (0 once ZeroMQ has let go of everything). */
int		 framesrc_held(const struct framesrc *);

/* Fill any buffer with the same PRNG (the echo test's array). */
void		 framesrc_random(void *buf, size_t len, uint64_t *state);

#endif
