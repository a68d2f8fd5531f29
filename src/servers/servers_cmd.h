/* servers_cmd.h: the control commands of fake-servers and its reload (see
 * servers_cmd.c). */
#ifndef FS_SERVERS_CMD_H
#define FS_SERVERS_CMD_H

#include <stddef.h>

#include "servers_wk.h"

/* A control_handler (control.h): arg is the struct servers. */
char	*servers_cmd_handle(const char *req, size_t len, void *arg);
/* Load the config again and apply it; on error keep the running one and
 * say why in err. 0 or -1. */
int	 servers_cmd_reload(struct servers *, char *err, size_t errlen);

#endif
