/* worker_forksrv.c: fake-worker as a fork server (see worker_forksrv.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "child.h"
#include "exitcode.h"
#include "forkmsg.h"
#include "log.h"
#include "worker_forksrv.h"

/* The process's command line as the kernel shows it: [start, end). */
struct worker_title {
	char	*start;
	size_t	 len;
};

/* Write argv over the title, NUL-separated, the rest zeroed; -1 if it
 * does not fit (the request is then refused, E2BIG, and fake-servers
 * execs that worker instead). */
static int
worker_forksrv_title(const struct worker_title *t, char *const argv[],
    int dry)
{
	size_t at = 0, n;
	int i;

	for (i = 0; argv[i] != NULL; i++, at += n) {
		n = strlen(argv[i]) + 1;
		if (n > t->len - at)
			return -1;
		if (!dry)
			memcpy(t->start + at, argv[i], n);
	}
	if (!dry)
		memset(t->start + at, 0, t->len - at);
	return 0;
}

static void
worker_forksrv_reply(int fd, pid_t pid, int err)
{
	struct forkmsg_reply r = { .pid = pid, .err = err };

	if (send(fd, &r, sizeof r, MSG_NOSIGNAL) != (ssize_t)sizeof r)
		_exit(FS_EXIT_OK);	/* fake-servers is gone */
}

/* In the copy: the steps of an exec'd worker's start (child.h; the fork
 * server's signals and stdin are already those), its name and command
 * line. */
static void
worker_forksrv_child(pid_t parent, const struct worker_title *t,
    const char *comm, char *const argv[], const int *fds, int nfds)
{
	child_setup_copy(parent, fds, nfds);
	(void)prctl(PR_SET_NAME, comm);
	(void)worker_forksrv_title(t, argv, 0);
}

int
worker_forksrv(int argc, char **argv, char ***wargv)
{
	static char buf[FORKMSG_BYTES_MAX];
	static char *args[FORKMSG_ARGS_MAX + 1];
	struct worker_title t;
	char comm[17] = "";
	int fds[CHILD_FDS_MAX], nfds, n, i, fd = FORKMSG_FD;
	pid_t parent = getppid(), pid;

	if (argc != 3 || argv[2] + strlen(argv[2]) + 1 <= argv[0] ||
	    argv[1] != argv[0] + strlen(argv[0]) + 1 ||
	    argv[2] != argv[1] + strlen(argv[1]) + 1)
		log_usage_error("%s takes one argument, the space for the "
		    "workers' command lines", FORKMSG_OPT);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		log_usage_error("%s: descriptor %d is not open",
		    FORKMSG_OPT, fd);
	t.start = argv[0];
	t.len = (size_t)(argv[2] + strlen(argv[2]) + 1 - argv[0]);
	(void)prctl(PR_GET_NAME, comm);
	(void)prctl(PR_SET_NAME, WORKER_FORKSRV_NAME);
	{
		char *const self[] = { argv[0], argv[1], NULL };

		(void)worker_forksrv_title(&t, self, 0);
	}
	if (send(fd, FORKMSG_HELLO, sizeof FORKMSG_HELLO, MSG_NOSIGNAL) == -1)
		exit(FS_EXIT_OK);
	for (;;) {
		if ((n = forkmsg_recv(fd, buf, sizeof buf, args, fds, &nfds)) == 0)
			exit(FS_EXIT_OK);	/* fake-servers closed it */
		if (n == -1 && errno == EBADMSG) {
			worker_forksrv_reply(fd, 0, EBADMSG);
			continue;
		}
		if (n == -1)
			exit(FS_EXIT_SOFTWARE);
		if (worker_forksrv_title(&t, args, 1) == -1) {
			pid = 0;
			errno = E2BIG;
		} else if ((pid = (pid_t)syscall(SYS_clone,
		    CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0)) == 0) {
			worker_forksrv_child(parent, &t, comm, args, fds, nfds);
			*wargv = args;
			return n;
		}
		worker_forksrv_reply(fd, pid > 0 ? pid : 0, pid > 0 ? 0 : errno);
		for (i = 0; i < nfds; i++)
			close(fds[i]);
	}
}
