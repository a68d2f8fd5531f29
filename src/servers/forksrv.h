/* forksrv.h: starting workers through the worker program's fork server.
 *
 * A fork and an exec of the worker program for each worker would have
 * the dynamic linker load and relocate libzmq and its dozen libraries
 * again for every worker. fake-servers starts the program once instead,
 * as a fork server (`fake-worker --fork-server`, src/worker/
 * worker_forksrv.h) and asks it for each worker; the worker it makes is
 * still fake-servers' own child, in its own process group, with the same
 * argv, environment and descriptors an exec'd one gets.
 *
 * A --worker that is a script is taken for a wrapper, meant to run for
 * every worker: it is exec'd for each. Every failure falls back on the
 * exec: a program that does not answer as a fork server is exec'd for
 * every worker from then on; a fork server that dies is started again
 * for the next worker, up to FORKSRV_LOSSES times; a worker whose argv is
 * longer than the fork server can show is exec'd. A worker program
 * replaced or removed (an upgrade) gets the next workers a new fork
 * server, or the exec's error. --no-fork-server execs them all.
 */
#ifndef FS_FORKSRV_H
#define FS_FORKSRV_H

#include <sys/stat.h>
#include <sys/types.h>

#define FORKSRV_SPACE	4096	/* bytes of argv a forked worker can show */
#define FORKSRV_LOSSES	3	/* fork servers lost before exec'ing all */
#define FORKSRV_WAIT_MS	5000	/* for its hello, and for each answer */

struct forksrv {
	const char *path;	/* the worker program */
	char *const *envp;	/* the workers' environment */
	pid_t	 pid;		/* the fork server, 0 when there is none */
	int	 fd;		/* our end of its socket, or -1 */
	int	 off;		/* exec every worker from now on */
	int	 losses;
	struct stat st;		/* the program the fork server runs */
};

void	forksrv_init(struct forksrv *, const char *path, char *const envp[],
	    int off);
/* As proc_spawn (proc.h) of path with envp: a worker, through the fork
 * server if there is one or one can be started, else by exec. */
pid_t	forksrv_spawn(struct forksrv *, char *const argv[], const int *fds,
	    int nfds);
/* 1 if pid, just reaped with wait status st, was the fork server. */
int	forksrv_reaped(struct forksrv *, pid_t pid, int st);
/* Close our end: the fork server exits. */
void	forksrv_close(struct forksrv *);

#endif
