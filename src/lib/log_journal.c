/* log_journal.c: a process's lines straight to journald, in its native
 * protocol (https://systemd.io/JOURNAL_NATIVE_PROTOCOL/): one datagram per
 * line on /run/systemd/journal/socket with PRIORITY=, SYSLOG_IDENTIFIER=
 * and MESSAGE=. journald takes the sender's pid and unit from the
 * datagram's credentials, so a worker's lines carry its name (`journalctl
 * -t NAME`) and its own pid, with no libsystemd in the worker. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "log_journal.h"

#define LOG_JOURNAL_SOCKET	"/run/systemd/journal/socket"

int
log_journal_open(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, saved;

	memcpy(sa.sun_path, LOG_JOURNAL_SOCKET, sizeof LOG_JOURNAL_SOCKET);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* MESSAGE in the binary form (name, newline, little-endian 64-bit length,
 * the bytes, newline), so a message may hold any byte. */
int
log_journal_send(int fd, const char *ident, int prio, const char *msg)
{
	static char nl[] = "\n";
	char head[320], len[8];
	uint64_t n = strlen(msg);
	struct iovec iov[4];
	ssize_t want;
	int h, i;

	h = snprintf(head, sizeof head,
	    "PRIORITY=%d\nSYSLOG_IDENTIFIER=%.255s\nMESSAGE\n", prio, ident);
	if (h < 0 || (size_t)h >= sizeof head) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < 8; i++)
		len[i] = (char)(n >> (8 * i));
	iov[0] = (struct iovec){ head, (size_t)h };
	iov[1] = (struct iovec){ len, sizeof len };
	iov[2] = (struct iovec){ (void *)(uintptr_t)msg, (size_t)n };
	iov[3] = (struct iovec){ nl, 1 };
	want = (ssize_t)((size_t)h + sizeof len + (size_t)n + 1);
	return writev(fd, iov, 4) == want ? 0 : -1;
}
