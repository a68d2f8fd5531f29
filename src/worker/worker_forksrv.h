/* worker_forksrv.h: fake-worker as a fork server for fake-servers.
 *
 * `fake-worker --fork-server SPACE` (FORKMSG_OPT) is started once by
 * fake-servers, with the socket of src/lib/forkmsg.h as its descriptor 3
 * (FORKMSG_FD). It loads its libraries, says FORKMSG_HELLO and then,
 * for each request, makes a copy of itself that runs as the worker the
 * request's argv describes. The
 * copy is made with clone(CLONE_PARENT): it is fake-servers' child, not
 * the fork server's, so the supervisor waits for it, signals its group
 * and reads its READY=1 as it would for a worker it had exec'd.
 *
 * The copy starts where an exec'd worker starts its main(), with no
 * dynamic linking to do: the relocated pages of libzmq and its libraries
 * stay shared with the fork server, and the pages the loader read are not
 * the copy's own. Its command line (/proc/PID/cmdline, ps) is the argv it
 * was asked for, written over the fork server's SPACE argument, and its
 * name (comm) the one the fork server was exec'd with.
 */
#ifndef FS_WORKER_FORKSRV_H
#define FS_WORKER_FORKSRV_H

#define WORKER_FORKSRV_NAME	"fake-forkserver"	/* its comm */

/* Serve requests until fake-servers closes the socket; returns only in a
 * copy, with the worker's argc and argv (the caller runs the worker), or
 * exits. argv is the fork server's own, argv[2] the space to write the
 * copies' command lines over. */
int	worker_forksrv(int argc, char **argv, char ***wargv);

#endif
