/* worker_loop.h: fake-worker's event loop. */
#ifndef FS_WORKER_LOOP_H
#define FS_WORKER_LOOP_H

#include "worker_opts.h"

/* Bind, tell systemd we are ready, serve until a signal arrives on sigfd
 * (SIGTERM/SIGINT, already blocked). Returns the exit status. */
int	worker_loop_run(const struct worker_opts *, int sigfd);

#endif
