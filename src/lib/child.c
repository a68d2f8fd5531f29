/* child.c: a supervised child's first steps (see child.h). */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "child.h"

/* The descriptors passed, as 3, 4, ...: each first moved above them
 * all, so that none is overwritten before it is moved (dup2 drops
 * O_CLOEXEC); then every other one closed. */
static void
child_fds(const int *pass, int npass)
{
	int tmp[CHILD_FDS_MAX], fd, i;

	for (i = 0; i < npass; i++)
		if ((tmp[i] = fcntl(pass[i], F_DUPFD_CLOEXEC, 3 + npass)) == -1)
			_exit(127);
	for (i = 0; i < npass; i++)
		if (dup2(tmp[i], 3 + i) == -1)
			_exit(127);
	if (close_range(3 + (unsigned)npass, ~0u, 0) == -1)
		for (fd = 3 + npass; fd < 1024; fd++)
			close(fd);
}

/* Its own group, killed with its parent (exit 127 if that is gone). */
static void
child_group(pid_t parent)
{
	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(127);	/* the parent died before the prctl took hold */
}

void
child_setup(pid_t parent, const int *pass, int npass)
{
	struct sigaction sa;
	sigset_t none;
	int fd, sig;

	child_group(parent);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);	/* fails harmlessly on KILL, STOP */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if ((fd = open("/dev/null", O_RDONLY)) != -1 && fd != STDIN_FILENO) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	child_fds(pass, npass);
}

void
child_setup_copy(pid_t parent, const int *pass, int npass)
{
	child_group(parent);
	child_fds(pass, npass);
}
