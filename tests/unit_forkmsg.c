/* unit_forkmsg.c: the datagrams between fake-servers and the worker's
 * fork server (src/lib/forkmsg.c), over a real SOCK_SEQPACKET pair: an
 * argv and its descriptors arrive whole; what is not a request (no
 * terminating NUL, nothing but descriptors, too many strings or
 * descriptors) is refused as EBADMSG with every descriptor it carried
 * closed; a request too big to send is E2BIG; the other end closing is 0. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "child.h"
#include "forkmsg.h"
#include "tap.h"

static char buf[FORKMSG_BYTES_MAX];
static char *argv[FORKMSG_ARGS_MAX + 1];

/* Open descriptors of this process. */
static int
nfds_open(void)
{
	int fd, n = 0;

	for (fd = 0; fd < 256; fd++)
		n += fcntl(fd, F_GETFD) != -1;
	return n;
}

/* A raw datagram with n copies of fd attached. */
static void
send_raw(int s, const void *p, size_t len, int fd, int n)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 8)];
	struct msghdr mh;
	struct cmsghdr *c;
	struct iovec iov;
	int fds[8], i;

	memset(&mh, 0, sizeof mh);
	iov.iov_base = (void *)(uintptr_t)p;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (n > 0) {
		memset(cbuf, 0, sizeof cbuf);
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
		for (i = 0; i < n; i++)
			fds[i] = fd;
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	}
	(void)sendmsg(s, &mh, 0);
}

static void
test_request(int sv[2])
{
	const char *args[] = { "fake-worker", "--name", "Seg", "", "-v", NULL };
	int fds[CHILD_FDS_MAX], nfds = -1, pass[2], argc, same;
	struct stat a, b;

	pass[0] = open("/dev/null", O_RDONLY);
	pass[1] = STDOUT_FILENO;
	ok(forkmsg_send(sv[0], (char *const *)(uintptr_t)args, pass, 2) == 0, "a request is sent");
	argc = forkmsg_recv(sv[1], buf, sizeof buf, argv, fds, &nfds);
	ok(argc == 5 && strcmp(argv[0], "fake-worker") == 0 &&
	    strcmp(argv[2], "Seg") == 0 && argv[3][0] == '\0' &&
	    strcmp(argv[4], "-v") == 0 && argv[5] == NULL,
	    "its argv arrives whole, an empty string included");
	same = nfds == 2 && fstat(fds[0], &a) == 0 && fstat(pass[0], &b) == 0 &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev &&
	    fstat(fds[1], &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev &&
	    (fcntl(fds[0], F_GETFD) & FD_CLOEXEC) != 0;
	ok(same, "its descriptors arrive, in order, close-on-exec");
	if (nfds == 2) {
		close(fds[0]);
		close(fds[1]);
	}
	close(pass[0]);
}

static void
test_bad(int sv[2])
{
	static const char nonul[] = { 'a', 'b' };
	const char *many[FORKMSG_ARGS_MAX + 2];
	int fds[CHILD_FDS_MAX], nfds, before, i;

	before = nfds_open();
	send_raw(sv[0], nonul, sizeof nonul, STDOUT_FILENO, 2);
	ok(forkmsg_recv(sv[1], buf, sizeof buf, argv, fds, &nfds) == -1 &&
	    errno == EBADMSG && nfds == 0 && nfds_open() == before,
	    "no terminating NUL: EBADMSG, its descriptors closed");
	send_raw(sv[0], "", 0, STDOUT_FILENO, 1);
	ok(forkmsg_recv(sv[1], buf, sizeof buf, argv, fds, &nfds) == -1 &&
	    errno == EBADMSG && nfds_open() == before,
	    "descriptors and no argv: EBADMSG, closed");
	send_raw(sv[0], "x", 2, STDOUT_FILENO, CHILD_FDS_MAX + 2);
	ok(forkmsg_recv(sv[1], buf, sizeof buf, argv, fds, &nfds) == -1 &&
	    errno == EBADMSG && nfds_open() == before,
	    "more descriptors than a worker is given: EBADMSG, all closed");
	memset(buf, 0, FORKMSG_ARGS_MAX + 1);
	send_raw(sv[0], buf, FORKMSG_ARGS_MAX + 1, -1, 0);
	ok(forkmsg_recv(sv[1], buf, sizeof buf, argv, fds, &nfds) == -1 &&
	    errno == EBADMSG, "more strings than a request holds: EBADMSG");
	for (i = 0; i <= FORKMSG_ARGS_MAX; i++)
		many[i] = "x";
	many[i] = NULL;
	ok(forkmsg_send(sv[0], (char *const *)(uintptr_t)many, NULL, 0) == -1 && errno == E2BIG,
	    "sending more strings than a request holds: E2BIG");
	ok(forkmsg_send(sv[0], (char *const *)(uintptr_t)(many + 1), NULL,
	    0) == 0 &&
	    forkmsg_recv(sv[1], buf, sizeof buf, argv, fds, &nfds) ==
	    FORKMSG_ARGS_MAX, "as many as it holds: sent and received");
}

int
main(void)
{
	int sv[2], fds[CHILD_FDS_MAX], nfds;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		ok(0, "socketpair");
		return tap_done();
	}
	test_request(sv);
	test_bad(sv);
	close(sv[0]);
	ok(forkmsg_recv(sv[1], buf, sizeof buf, argv, fds, &nfds) == 0,
	    "the other end closed: 0");
	close(sv[1]);
	return tap_done();
}
