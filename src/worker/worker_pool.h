/* worker_pool.h: reusable output buffers handed to libzmq without a copy.
 *
 * A reply's payload is written into a pooled buffer and sent with
 * zmq_msg_init_data(); libzmq's free callback (possibly on its I/O thread)
 * gives the buffer back. In steady state no request allocates: a buffer is
 * grown only when a larger reply than ever before is needed, and a fresh
 * one is made only while every pooled buffer is still in libzmq's hands.
 * A payload of up to 32 bytes goes in the message itself, as libzmq keeps
 * it there without an allocation.
 */
#ifndef FS_WORKER_POOL_H
#define FS_WORKER_POOL_H

#include <stddef.h>
#include <zmq.h>

struct worker_pool;

struct worker_pool *worker_pool_new(int nbufs);
/* Call after zmq_ctx_term(): libzmq must hold no buffer any more. */
void	worker_pool_free(struct worker_pool **pool);

/* Initialise msg over a buffer of size bytes and return that buffer for
 * the caller to fill, or NULL with errno set (msg is then untouched). */
void	*worker_pool_msg(struct worker_pool *pool, zmq_msg_t *msg, size_t size);

#endif
