/* child.h: a supervised child's first steps, before it runs its program.
 *
 * The child of fake-servers, whether it is about to exec the worker
 * program (src/servers/proc.c) or is a copy of the worker's fork server
 * about to run it (src/worker/worker_forksrv.c), starts the same way: in
 * its own process group, killed with its supervisor (PR_SET_PDEATHSIG),
 * signal dispositions and mask reset, stdin on /dev/null, the descriptors
 * it is given as 3, 4, ... and every other one closed.
 */
#ifndef FS_CHILD_H
#define FS_CHILD_H

#include <sys/types.h>

#define CHILD_FDS_MAX	4	/* descriptors a child is given */

/* Only system calls and async-signal-safe functions: after a vfork the
 * child borrows its parent's memory. Exits with 127 if the supervisor
 * (parent) is already gone or a descriptor cannot be moved. */
void	child_setup(pid_t parent, const int *pass, int npass);
/* The same in a copy (fork, clone) of a process that child_setup started
 * and that then exec'd its program, without changing its signals or its
 * stdin since: only the group, the parent-death signal and the
 * descriptors. The signal state stays the one the program set up as it
 * started (a sanitizer's handlers, say), as in an exec'd worker. */
void	child_setup_copy(pid_t parent, const int *pass, int npass);

#endif
