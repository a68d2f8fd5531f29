/* forkmsg.c: a request to the worker's fork server (see forkmsg.h). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "child.h"
#include "forkmsg.h"

union forkmsg_cmsg {
	struct cmsghdr	hdr;
	char		buf[CMSG_SPACE(sizeof(int) * CHILD_FDS_MAX)];
};

int
forkmsg_send(int fd, char *const argv[], const int *fds, int nfds)
{
	static char buf[FORKMSG_BYTES_MAX];
	union forkmsg_cmsg cm;
	struct msghdr mh;
	struct iovec iov;
	size_t len = 0, n;
	int i;

	if (nfds < 0 || nfds > CHILD_FDS_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; argv[i] != NULL; i++) {
		n = strlen(argv[i]) + 1;
		if (i == FORKMSG_ARGS_MAX || n > sizeof buf - len) {
			errno = E2BIG;
			return -1;
		}
		memcpy(buf + len, argv[i], n);
		len += n;
	}
	memset(&mh, 0, sizeof mh);
	iov.iov_base = buf;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfds > 0) {
		memset(&cm, 0, sizeof cm);
		mh.msg_control = cm.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		cm.hdr.cmsg_level = SOL_SOCKET;
		cm.hdr.cmsg_type = SCM_RIGHTS;
		cm.hdr.cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(&cm.hdr), fds, sizeof(int) * (size_t)nfds);
	}
	while (sendmsg(fd, &mh, MSG_NOSIGNAL) == -1)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* The descriptors a datagram carried, in fds[]; any beyond room closed
 * (the kernel drops those beyond the control buffer: MSG_CTRUNC). 0 if
 * any was. */
static int
forkmsg_fds(struct msghdr *mh, int *fds, int *nfds)
{
	struct cmsghdr *c;
	int ok = 1, fd;
	size_t i, n;

	*nfds = 0;
	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
			if (*nfds < CHILD_FDS_MAX)
				fds[(*nfds)++] = fd;
			else {
				close(fd);
				ok = 0;
			}
		}
	}
	return ok && (mh->msg_flags & MSG_CTRUNC) == 0;
}

int
forkmsg_recv(int fd, char *buf, size_t size, char **argv, int *fds, int *nfds)
{
	union forkmsg_cmsg cm;
	struct msghdr mh;
	struct iovec iov;
	ssize_t r;
	size_t at;
	int argc = 0, i;

	memset(&mh, 0, sizeof mh);
	iov.iov_base = buf;
	iov.iov_len = size;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof cm.buf;
	while ((r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC)) == -1)
		if (errno != EINTR)
			return -1;
	if (!forkmsg_fds(&mh, fds, nfds) || (mh.msg_flags & MSG_TRUNC))
		goto bad;
	if (r == 0 && *nfds == 0)
		return 0;
	if (r == 0 || buf[r - 1] != '\0')
		goto bad;
	for (at = 0; at < (size_t)r; at += strlen(buf + at) + 1) {
		if (argc == FORKMSG_ARGS_MAX)
			goto bad;
		argv[argc++] = buf + at;
	}
	argv[argc] = NULL;
	return argc;
bad:
	for (i = 0; i < *nfds; i++)
		close(fds[i]);
	*nfds = 0;
	errno = EBADMSG;
	return -1;
}
