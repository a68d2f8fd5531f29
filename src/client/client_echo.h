/* client_echo.h: fake-client's echo mode. */
#ifndef FS_CLIENT_ECHO_H
#define FS_CLIENT_ECHO_H

#include "client_types.h"

/* The echo mode; returns the exit code. */
int	client_echo(struct client *);

#endif
