/* forksrv.c: workers started through the worker's fork server (see
 * forksrv.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forkmsg.h"
#include "forksrv.h"
#include "log.h"
#include "proc.h"
#include "sup.h"

void
forksrv_init(struct forksrv *f, const char *path, char *const envp[], int off)
{
	memset(f, 0, sizeof *f);
	f->path = path;
	f->envp = envp;
	f->fd = -1;
	f->off = off;
}

void
forksrv_close(struct forksrv *f)
{
	if (f->fd != -1)
		close(f->fd);
	f->fd = -1;
}

/* Wait up to FORKSRV_WAIT_MS for one datagram; its length, or -1 with
 * why in *why. */
static ssize_t
forksrv_read(struct forksrv *f, void *buf, size_t len, const char **why)
{
	struct pollfd p = { .fd = f->fd, .events = POLLIN };
	ssize_t n;
	int r;

	while ((r = poll(&p, 1, FORKSRV_WAIT_MS)) == -1 && errno == EINTR)
		;
	if (r == 0) {
		*why = "it did not answer in time";
		return -1;
	}
	while ((n = recv(f->fd, buf, len, 0)) == -1 && errno == EINTR)
		;
	if (n <= 0)
		*why = n == 0 ? "it exited" : strerror(errno);
	return n <= 0 ? -1 : n;
}

/* Give this fork server up (it is killed; the loop reaps it). */
static void
forksrv_drop(struct forksrv *f, const char *why)
{
	if (f->pid > 0)
		(void)proc_signal(f->pid, SIGKILL);
	forksrv_close(f);
	if (++f->losses >= FORKSRV_LOSSES) {
		f->off = 1;
		log_warnx("the fork server of %s: %s; every worker is started "
		    "with exec from now on", f->path, why);
	} else
		log_warnx("the fork server of %s: %s; the next worker starts "
		    "another", f->path, why);
}

/* Is the worker program a program of its own (an ELF file)? 1 if so,
 * and what it is noted; 0 for a script, taken for a wrapper to run for
 * every worker; -1 if it cannot be read (the exec will say why). */
static int
forksrv_elf(struct forksrv *f)
{
	char magic[4];
	int fd, ok;

	if ((fd = open(f->path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	ok = read(fd, magic, sizeof magic) == (ssize_t)sizeof magic &&
	    memcmp(magic, "\177ELF", sizeof magic) == 0;
	if (fstat(fd, &f->st) == -1)
		ok = -1;
	close(fd);
	return ok;
}

/* Has the worker program been replaced (an upgrade) or removed since
 * the fork server started? Its workers would be the old program. */
static int
forksrv_stale(const struct forksrv *f)
{
	struct stat st;

	return stat(f->path, &st) == -1 || st.st_dev != f->st.st_dev ||
	    st.st_ino != f->st.st_ino ||
	    st.st_mtim.tv_sec != f->st.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != f->st.st_mtim.tv_nsec;
}

static void
forksrv_start(struct forksrv *f)
{
	static char space[FORKSRV_SPACE];
	char hello[sizeof FORKMSG_HELLO + 1];
	const char *argv[] = { f->path, FORKMSG_OPT, space, NULL };
	const char *why = NULL;
	ssize_t n;
	int sv[2];

	switch (forksrv_elf(f)) {
	case -1:
		return;
	case 0:
		log_info("%s is not an ELF program: it is exec'd for every "
		    "worker, as a wrapper", f->path);
		f->off = 1;
		return;
	}
	memset(space, ' ', sizeof space - 1);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("the fork server: socketpair");
		return;
	}
	f->pid = proc_spawn(f->path, (char *const *)(uintptr_t)argv, f->envp,
	    &sv[1], 1);
	close(sv[1]);
	f->fd = sv[0];
	if (f->pid == -1) {
		f->pid = 0;
		why = strerror(errno);
	} else if ((n = forksrv_read(f, hello, sizeof hello, &why)) != -1 &&
	    (n != (ssize_t)sizeof FORKMSG_HELLO ||
	    memcmp(hello, FORKMSG_HELLO, sizeof FORKMSG_HELLO) != 0))
		why = "it said something else";
	if (why == NULL) {
		log_debug("the fork server of %s is pid %d", f->path,
		    (int)f->pid);
		return;
	}
	/* Not a fork server: this program is exec'd for every worker. */
	f->losses = FORKSRV_LOSSES - 1;
	forksrv_drop(f, why);
}

pid_t
forksrv_spawn(struct forksrv *f, char *const argv[], const int *fds,
    int nfds)
{
	struct forkmsg_reply r;
	const char *why = NULL;
	ssize_t n;

	if (f->fd != -1 && forksrv_stale(f)) {
		log_info("%s changed: the next workers get a new fork server",
		    f->path);
		forksrv_close(f);	/* it exits; the loop reaps it */
	}
	if (!f->off && f->fd == -1)
		forksrv_start(f);
	if (f->fd != -1 && forkmsg_send(f->fd, argv, fds, nfds) == -1) {
		if (errno != E2BIG)	/* E2BIG: this one is exec'd */
			forksrv_drop(f, strerror(errno));
	} else if (f->fd != -1) {
		n = forksrv_read(f, &r, sizeof r, &why);
		if (n == (ssize_t)sizeof r && r.pid > 0) {
			/* Both sides set the group, as after an exec (proc.c). */
			(void)setpgid(r.pid, r.pid);
			return r.pid;
		}
		if (n == (ssize_t)sizeof r && r.err != 0 && r.err != EBADMSG)
			log_debug("the fork server: %s; exec instead",
			    strerror(r.err));
		else
			forksrv_drop(f, why != NULL ? why :
			    "it answered something else");
	}
	return proc_spawn(f->path, argv, f->envp, fds, nfds);
}

int
forksrv_reaped(struct forksrv *f, pid_t pid, int st)
{
	char how[96];

	if (f->pid <= 0 || pid != f->pid)
		return 0;
	f->pid = 0;
	if (f->fd != -1) {		/* not closed by us: lost */
		sup_status_str(st, how, sizeof how);
		forksrv_drop(f, how);
	}
	return 1;
}
