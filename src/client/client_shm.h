/* client_shm.h: the client's ring (doc/shm.md): which workers take their
 * frames through shared memory, the ring that holds the frames and the
 * output slots, and a request's "shm" member. Its paths (client_path.c)
 * ask it. */
#ifndef FS_CLIENT_SHM_H
#define FS_CLIENT_SHM_H

#include <stddef.h>
#include <stdint.h>

#include "client_types.h"

struct client_shm;

/* Choose the workers that take shared memory and make the ring for
 * depth evaluations in flight, with the frame source *fs in its input
 * slots. NULL when none does, or when the ring cannot be made (said
 * once): frames then go in the messages. */
struct client_shm *client_shm_new(const struct client *, int depth,
	    struct framesrc **fs);
void	client_shm_free(struct client_shm **);
const char *client_shm_ring(const struct client_shm *);
/* Does target t take its frames through it? */
int	client_shm_on(const struct client_shm *, int t);
/* Set the "shm" member of target t's request h for h->frame (its
 * window): the frames' slots, an output slot taken for it (-1 none) and
 * lane (-1 none). */
void	client_shm_request(struct client_shm *, const struct client *, int t,
	    int lane, struct wire_header *h);
/* Give an output slot back once its reply came. */
void	client_shm_done(struct client_shm *, int32_t out);
/* An error reply to target t's shared-memory request: 1, and that
 * worker's frames go in the messages from now on (said once). */
int	client_shm_refused(struct client_shm *, const struct client *, int t,
	    const struct client_reply *);

#endif
