/* worker_pool.c: a few output buffers shared with libzmq's I/O thread. */
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "worker_pool.h"

#define WORKER_POOL_INLINE	32	/* libzmq's messages hold 33 bytes */

struct worker_buf {
	void	*data;
	size_t	 cap;
	atomic_int busy;	/* set by the loop, cleared by libzmq */
};

struct worker_pool {
	int	 nbufs;
	struct worker_buf buf[];
};

struct worker_pool *
worker_pool_new(int nbufs)
{
	struct worker_pool *p;
	int i;

	if ((p = calloc(1, sizeof *p + (size_t)nbufs * sizeof p->buf[0])) ==
	    NULL)
		return NULL;
	p->nbufs = nbufs;
	for (i = 0; i < nbufs; i++)
		atomic_init(&p->buf[i].busy, 0);
	return p;
}

void
worker_pool_free(struct worker_pool **pp)
{
	struct worker_pool *p = *pp;
	int i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nbufs; i++)
		if (!atomic_load(&p->buf[i].busy))
			free(p->buf[i].data);
	free(p);
	*pp = NULL;
}

static void
worker_pool_release(void *data, void *hint)
{
	struct worker_buf *b = hint;

	if (b == NULL)
		free(data);	/* an overflow buffer, not pooled */
	else
		atomic_store_explicit(&b->busy, 0, memory_order_release);
}

/* The idle buffer that fits best: the smallest big enough, else the
 * largest (to be grown). */
static struct worker_buf *
worker_pool_pick(struct worker_pool *p, size_t size)
{
	struct worker_buf *fit = NULL, *big = NULL, *b;
	int i;

	for (i = 0; i < p->nbufs; i++) {
		b = &p->buf[i];
		if (atomic_load_explicit(&b->busy, memory_order_acquire))
			continue;
		if (b->cap >= size && (fit == NULL || b->cap < fit->cap))
			fit = b;
		if (big == NULL || b->cap > big->cap)
			big = b;
	}
	return fit != NULL ? fit : big;
}

void *
worker_pool_msg(struct worker_pool *p, zmq_msg_t *msg, size_t size)
{
	struct worker_buf *b;
	void *data;

	/* Small enough for libzmq to keep in the message itself. */
	if (size <= WORKER_POOL_INLINE)
		return zmq_msg_init_size(msg, size) == 0 ? zmq_msg_data(msg) :
		    NULL;
	if ((b = worker_pool_pick(p, size)) != NULL && b->cap < size) {
		free(b->data);
		b->cap = 0;
		if ((b->data = malloc(size)) == NULL)
			return NULL;
		b->cap = size;
	}
	data = b != NULL ? b->data : malloc(size);
	if (data == NULL)
		return NULL;
	if (b != NULL)
		atomic_store(&b->busy, 1);
	if (zmq_msg_init_data(msg, data, size, worker_pool_release, b) == -1) {
		worker_pool_release(data, b);
		return NULL;
	}
	return data;
}
