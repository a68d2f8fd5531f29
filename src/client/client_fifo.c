/* client_fifo.c: an endpoint's requests outstanding, in a ring buffer. */
#include "config.h"

#include "client_fifo.h"

void
client_fifo_push(struct client_fifo *f, const struct client_req *q)
{
	if (f->n == CLIENT_FIFO) {	/* cannot happen: in-flight is capped */
		f->head = (f->head + 1) % CLIENT_FIFO;
		f->n--;
	}
	f->q[(f->head + f->n) % CLIENT_FIFO] = *q;
	f->n++;
}

int
client_fifo_pop(struct client_fifo *f, struct client_req *q)
{
	if (f->n == 0)
		return 0;
	*q = f->q[f->head];
	f->head = (f->head + 1) % CLIENT_FIFO;
	f->n--;
	return 1;
}

int
client_fifo_take(struct client_fifo *f, const struct wire_header *h,
    struct client_req *q)
{
	int i, j;

	if (h == NULL || !h->has_frame)
		return client_fifo_pop(f, q);
	for (i = 0; i < f->n; i++)
		if (f->q[(f->head + i) % CLIENT_FIFO].frame == h->frame)
			break;
	if (i == f->n)
		return 0;
	*q = f->q[(f->head + i) % CLIENT_FIFO];
	for (j = i; j > 0; j--)		/* close the gap */
		f->q[(f->head + j) % CLIENT_FIFO] =
		    f->q[(f->head + j - 1) % CLIENT_FIFO];
	f->head = (f->head + 1) % CLIENT_FIFO;
	f->n--;
	return 1;
}
