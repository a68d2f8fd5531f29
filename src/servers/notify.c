/* notify.c: the workers' sd_notify socket (see notify.h). */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

int
notify_open(struct notify *n)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa_family_t);
	int one = 1;

	n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (n->fd == -1)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	/* Binding just the family autobinds a unique abstract name. */
	if (bind(n->fd, (struct sockaddr *)&sa, len) == -1 ||
	    setsockopt(n->fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) == -1)
		goto fail;
	len = sizeof sa;
	if (getsockname(n->fd, (struct sockaddr *)&sa, &len) == -1)
		goto fail;
	len -= offsetof(struct sockaddr_un, sun_path);
	if (len < 2 || len >= sizeof n->env - 16) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	snprintf(n->env, sizeof n->env, "NOTIFY_SOCKET=@%.*s", (int)len - 1,
	    sa.sun_path + 1);
	return 0;
fail:
	close(n->fd);
	n->fd = -1;
	return -1;
}

void
notify_close(struct notify *n)
{
	if (n->fd != -1)
		close(n->fd);
	n->fd = -1;
}

int
notify_recv(struct notify *n, pid_t *pid, char *buf, size_t len)
{
	union {
		struct cmsghdr hdr;
		char	buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int) * 8)];
	} cm;
	struct iovec iov = { buf, len - 1 };
	struct msghdr mh;
	struct cmsghdr *c;
	ssize_t r;
	int i, *fds;

	memset(&mh, 0, sizeof mh);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof cm.buf;
	if ((r = recvmsg(n->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC)) == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	buf[r] = '\0';
	*pid = 0;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS)
			*pid = ((struct ucred *)(void *)CMSG_DATA(c))->pid;
		else if (c->cmsg_type == SCM_RIGHTS) {
			/* sd_notify_barrier() fds: closing them releases it. */
			fds = (int *)(void *)CMSG_DATA(c);
			for (i = 0; i < (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int)); i++)
				close(fds[i]);
		}
	}
	return 1;
}

int
notify_has(const char *msg, const char *kv)
{
	size_t n = strlen(kv);
	const char *p = msg;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, kv, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return 0;
}
