/* notify.h: the datagram socket workers send sd_notify messages to.
 *
 * An autobound abstract unix socket with SO_PASSCRED: nothing to clean up,
 * no clash between daemons, and the kernel vouches for the sender's pid.
 */
#ifndef FS_NOTIFY_H
#define FS_NOTIFY_H

#include <stddef.h>
#include <sys/types.h>

struct notify {
	int	fd;
	char	env[128];	/* "NOTIFY_SOCKET=@..." for the children */
};

int	notify_open(struct notify *);
void	notify_close(struct notify *);
/* Read one datagram: 1 with its sender's pid and text (NUL-terminated),
 * 0 when there is none, -1 on error. */
int	notify_recv(struct notify *, pid_t *pid, char *buf, size_t len);
/* Does a notify message carry this assignment ("READY=1")? */
int	notify_has(const char *msg, const char *kv);

#endif
