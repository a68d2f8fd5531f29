/* proc.c: vfork+exec of supervised processes and their signals (see proc.h). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "proc.h"

extern char **environ;

pid_t
proc_spawn(const char *path, char *const argv[], char *const envp[],
    const int *fds, int nfds)
{
	pid_t parent = getpid(), pid;
	volatile int err = 0;

	/* vfork: the parent does not copy its page tables for every worker
	 * (a fork cost the daemon 360 us of CPU a spawn, vfork 50 us). The
	 * daemon installs no signal handler (it reads a signalfd), so none
	 * can run in the child on the borrowed stack. */
	if (nfds < 0 || nfds > CHILD_FDS_MAX) {
		errno = EINVAL;
		return -1;
	}
	if ((pid = vfork()) == -1)
		return -1;
	if (pid == 0) {
		child_setup(parent, fds, nfds);
		execve(path, argv, envp);
		/* The parent waits for this exit, and reads err afterwards:
		 * the memory is still its own (as in glibc's posix_spawn). */
		err = errno;
		_exit(127);
	}
	if (err != 0) {
		(void)waitpid(pid, NULL, 0);
		errno = err;
		return -1;
	}
	/* Both sides set the group, so a signal sent right away reaches it. */
	(void)setpgid(pid, pid);
	return pid;
}

int
proc_signal(pid_t pid, int sig)
{
	if (pid <= 0)
		return -1;
	if (kill(-pid, sig) == 0)
		return 0;
	return kill(pid, sig);
}

static int
proc_env_private(const char *kv)
{
	static const char *const names[] = {
		"NOTIFY_SOCKET=", "WATCHDOG_USEC=", "WATCHDOG_PID=", "LISTEN_"
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strncmp(kv, names[i], strlen(names[i])) == 0)
			return 1;
	return 0;
}

char **
proc_env_new(const char *extra)
{
	char **env;
	size_t n, i, j;

	for (n = 0; environ[n] != NULL; n++)
		;
	if ((env = calloc(n + 2, sizeof *env)) == NULL)
		return NULL;
	for (i = j = 0; i < n; i++) {
		if (proc_env_private(environ[i]))
			continue;
		if ((env[j++] = strdup(environ[i])) == NULL)
			goto fail;
	}
	if (extra != NULL && (env[j++] = strdup(extra)) == NULL)
		goto fail;
	return env;
fail:
	proc_env_free(&env);
	return NULL;
}

void
proc_env_free(char ***envp)
{
	char **e = *envp;
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; e[i] != NULL; i++)
		free(e[i]);
	free(e);
	*envp = NULL;
}
