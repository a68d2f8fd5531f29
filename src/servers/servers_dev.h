/* servers_dev.h: the devices fake-servers shares among its workers
 * (device.h): each one's file, made once at start (or when a reload adds
 * it) and kept open for the daemon's life, so it outlives every worker
 * that names it and the restarts of each; given to them as --device-fd. */
#ifndef FS_SERVERS_DEV_H
#define FS_SERVERS_DEV_H

#include <stddef.h>

#include "conf.h"

struct servers_devs {
	struct {
		const char *name;	/* conf_intern */
		int	slots;
		int	fd;		/* close-on-exec: passed as one */
	} d[CONF_DEVICES_MAX];
	size_t	n;
};

/* Make the file of every device of c not made yet: 0, or -1 with the
 * reason in err. A device made before with other slots is refused (its
 * workers may be computing on it): nothing is made then. A device a
 * reload removes stays until the daemon ends. */
int	servers_dev_open(struct servers_devs *, const struct conf *c,
	    char *err, size_t errlen);
/* The descriptor of the device of that name, or -1. */
int	servers_dev_fd(const struct servers_devs *, const char *name);
void	servers_dev_close(struct servers_devs *);

#endif
