/* zfd.c: a ZeroMQ socket's ZMQ_FD, for a poll(2) set (zfd.h). */
#include "config.h"

#include <stddef.h>
#include <zmq.h>

#include "zfd.h"

int
zfd_open(struct zfd *z, void *sock)
{
	size_t len = sizeof z->fd;

	z->drained = 0;
	if (sock == NULL) {
		z->fd = -1;
		return 0;
	}
	if (zmq_getsockopt(sock, ZMQ_FD, &z->fd, &len) == -1) {
		z->fd = -1;
		return -1;
	}
	return 0;
}
