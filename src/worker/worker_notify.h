/* worker_notify.h: the worker's state to $NOTIFY_SOCKET (sd_notify(3)'s
 * protocol), without libsystemd. */
#ifndef FS_WORKER_NOTIFY_H
#define FS_WORKER_NOTIFY_H

#include "compat.h"

/* 1 if sent, 0 if NOTIFY_SOCKET is unset, -1 with errno on failure. */
int	worker_notify(const char *fmt, ...) FS_PRINTF(1, 2);

#endif
