/* zfd.h: a ZeroMQ socket in a poll(2) set, by its ZMQ_FD.
 *
 * A socket's ZMQ_FD becomes readable when news reaches the socket (a
 * message came, a peer connected) since it was last used: a receive, a
 * send or ZMQ_EVENTS, any of which may take the news itself. It does not
 * stay readable while messages wait. So a loop may block on it only when
 * the socket's last use was a receive that found nothing; after any other
 * use it must look at the socket first. struct zfd keeps that one fact
 * beside the descriptor: each use of the socket says what it was
 * (zfd_used, zfd_received), and the loop asks zfd_busy before it blocks
 * and zfd_look after the wait.
 *
 * zmq_poll keeps the same rule by asking every socket for ZMQ_EVENTS
 * before and after its wait: a getpid and a poll of libzmq's mailbox per
 * socket each time, where this costs nothing for a socket that did not
 * signal. The worker's socket and its ZAP handler and each of the
 * client's endpoints are watched this way.
 */
#ifndef FS_ZFD_H
#define FS_ZFD_H

#include <poll.h>

struct zfd {
	int	 fd;		/* the socket's ZMQ_FD, -1 for none */
	int	 drained;	/* its last use was a receive that found none */
};

/* Watch sock (NULL: none): 0, or -1 with errno and fd -1. Until its first
 * receive finds nothing, the socket is busy. */
int	 zfd_open(struct zfd *, void *sock);

/* A send, or ZMQ_EVENTS: news may have been taken with it. */
static inline void
zfd_used(struct zfd *z)
{
	z->drained = 0;
}

/* A receive: it found nothing (1), or it took a message or failed (0). */
static inline void
zfd_received(struct zfd *z, int none)
{
	z->drained = none;
}

/* Must the socket be looked at before the loop blocks? */
static inline int
zfd_busy(const struct zfd *z)
{
	return !z->drained;
}

/* Its entry in a poll set; fd -1 (ignored by poll) for no socket. */
static inline struct pollfd
zfd_pollfd(const struct zfd *z)
{
	return (struct pollfd){ .fd = z->fd, .events = POLLIN };
}

/* After the wait: must the socket be looked at, given its entry's
 * revents? When it signalled, or when it was busy before the wait. */
static inline int
zfd_look(const struct zfd *z, short revents)
{
	return revents != 0 || !z->drained;
}

#endif
