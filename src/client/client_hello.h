/* client_hello.h: fake-client's hello mode. */
#ifndef FS_CLIENT_HELLO_H
#define FS_CLIENT_HELLO_H

#include "client_types.h"

/* The hello mode; returns the exit code. */
int	client_hello(struct client *);

#endif
