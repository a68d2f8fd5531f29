/* proc.h: spawning and signalling supervised processes.
 *
 * A child runs a real program with a real argv (never a shell), in its own
 * process group, with the signal mask and dispositions reset, stray file
 * descriptors closed, stdin on /dev/null and PR_SET_PDEATHSIG(SIGKILL), so
 * it dies with its supervisor even if that is SIGKILLed.
 */
#ifndef FS_PROC_H
#define FS_PROC_H

#include <sys/types.h>

/* Fork and exec path; returns the child's pid, or -1 with errno set when
 * the fork or the exec failed (the child that could not exec is reaped).
 * The child gets fds[i] (at most CHILD_FDS_MAX, child.h) as its
 * descriptor 3 + i, not close-on-exec there; the parent's stay as they
 * are. */
pid_t	proc_spawn(const char *path, char *const argv[], char *const envp[],
	    const int *fds, int nfds);
/* Signal the process group of a child (falling back to the pid alone). */
int	proc_signal(pid_t pid, int sig);
/* A copy of environ without the variables meant for the supervisor only
 * (NOTIFY_SOCKET, WATCHDOG_*, LISTEN_*), plus extra ("K=V", may be NULL).
 * Free with proc_env_free. */
char	**proc_env_new(const char *extra);
void	proc_env_free(char ***);

#endif
