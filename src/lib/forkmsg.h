/* forkmsg.h: a request to the worker's fork server, and its answer.
 *
 * fake-servers and the fork server (fake-worker --fork-server, see
 * src/worker/worker_forksrv.h) talk over a SOCK_SEQPACKET socket pair,
 * the fork server's end its descriptor FORKMSG_FD (proc_spawn's first).
 * The server's first datagram is FORKMSG_HELLO. Each request is one
 * datagram, the worker's argv with every string NUL-terminated, carrying
 * the descriptors the worker is given (SCM_RIGHTS, at most CHILD_FDS_MAX);
 * each answer is one struct forkmsg_reply: the new worker's pid, or the
 * errno that kept it from being made.
 */
#ifndef FS_FORKMSG_H
#define FS_FORKMSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FORKMSG_OPT		"--fork-server"	/* fake-worker's option */
#define FORKMSG_FD		3		/* the fork server's socket */
#define FORKMSG_HELLO		"fake-worker fork server 1"
#define FORKMSG_ARGS_MAX	128		/* argv strings in a request */
#define FORKMSG_BYTES_MAX	(64 * 1024)	/* a request's datagram */

struct forkmsg_reply {
	int32_t	pid;		/* > 0, or 0 with err set */
	int32_t	err;
};

/* Send argv (NULL-terminated) and fds[0..nfds). 0, or -1 with errno set
 * (E2BIG when argv is more than a request holds). */
int	forkmsg_send(int fd, char *const argv[], const int *fds, int nfds);
/* Receive one request into buf: argv[] points into it, NULL-terminated
 * (room for FORKMSG_ARGS_MAX + 1), fds[] (room for CHILD_FDS_MAX) the
 * descriptors received, close-on-exec. Returns argc; 0 when the other
 * end has closed; -1 with errno set, EBADMSG for a datagram that is not a
 * request (any descriptor it carried is closed). */
int	forkmsg_recv(int fd, char *buf, size_t size, char **argv, int *fds,
	    int *nfds);

#endif
