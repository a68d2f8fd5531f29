/* control.h: the daemon's control socket (a unix SOCK_SEQPACKET socket).
 *
 * control_open() refuses to run a second daemon on the same path: it first
 * connects (someone answering means another daemon), then takes a lock on
 * PATH.lock, and only then replaces a stale socket file. Each message a
 * client sends is one request; the handler's string is sent back as one
 * reply. The socket is created with the given mode (0600, or 0660 with a
 * group) in its directory (created 0755).
 */
#ifndef FS_CONTROL_H
#define FS_CONTROL_H

#include <poll.h>
#include <stddef.h>
#include <sys/types.h>

#define CONTROL_CLIENTS_MAX	32

struct control {
	int	fd;
	int	lockfd;
	char	path[1024];
	int	clients[CONTROL_CLIENTS_MAX];
	int	nclients;
};

/* A request in, a malloc'd reply out (NULL: no reply, close the client). */
typedef char *(*control_handler)(const char *req, size_t len, void *arg);

/* 0, or -1 after logging why (another daemon, a path problem). The
 * socket file gets group gid unless it is (gid_t)-1. */
int	control_open(struct control *, const char *path, int mode, gid_t gid);
void	control_close(struct control *);
/* Fill pfd with the descriptors to watch; returns how many (<= max). */
int	control_pollfds(const struct control *, struct pollfd *pfd, int max);
/* Serve whatever poll reported on those descriptors. */
void	control_dispatch(struct control *, const struct pollfd *pfd, int n,
	    control_handler, void *arg);

#endif
