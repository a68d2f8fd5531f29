/* worker_notify.c: READY=1, STATUS= and STOPPING=1 to $NOTIFY_SOCKET.
 *
 * The protocol is one datagram of "KEY=VALUE" lines to the AF_UNIX socket
 * named by $NOTIFY_SOCKET, "@" standing for the abstract namespace
 * (sd_notify(3) documents it and promises its stability). Sending it here
 * keeps libsystemd, and the libraries it brings (libgcrypt, liblzma,
 * libzstd, liblz4, libcap), out of every worker: the supervisor keeps it.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "worker_notify.h"

/* The address $NOTIFY_SOCKET names: its length, or 0 when it is unset
 * or not a path or abstract name that fits. */
static socklen_t
worker_notify_addr(struct sockaddr_un *sa)
{
	const char *e = getenv("NOTIFY_SOCKET");
	size_t n;

	if (e == NULL || (e[0] != '/' && e[0] != '@'))
		return 0;
	if ((n = strlen(e)) >= sizeof sa->sun_path)
		return 0;
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, e, n);
	if (e[0] == '@') {
		sa->sun_path[0] = '\0';
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	}
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

/* Send the formatted state: 1 if sent, 0 if there is no one to tell, -1
 * (errno set) if the datagram could not be sent. */
int
worker_notify(const char *fmt, ...)
{
	struct sockaddr_un sa;
	char msg[512];
	socklen_t len;
	va_list ap;
	int fd, n, saved;
	ssize_t sent;

	if ((len = worker_notify_addr(&sa)) == 0)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof msg) {
		errno = EMSGSIZE;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	sent = sendto(fd, msg, (size_t)n, MSG_NOSIGNAL, (struct sockaddr *)&sa,
	    len);
	saved = errno;
	close(fd);
	errno = saved;
	return sent == n ? 1 : -1;
}
