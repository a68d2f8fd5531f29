/* client_run.h: fake-client's run mode, the video pipeline. */
#ifndef FS_CLIENT_RUN_H
#define FS_CLIENT_RUN_H

#include "client_types.h"

/* The run mode; returns the exit code. */
int	client_run(struct client *);

#endif
