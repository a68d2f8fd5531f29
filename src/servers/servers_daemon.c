/* servers_daemon.c: the logs of fake-servers (--log FILE, or syslog once
 * detached) and --daemon.
 *
 * A detached daemon's parent does not exit as soon as it has forked: it
 * waits on a pipe until every worker has settled, so that its exit status
 * says whether the workers run. The daemon writes one line: "OK", or why
 * not; in that case it stops its workers and the parent waits for it to
 * exit (the end of the pipe) before exiting 1, so that a second attempt
 * finds the control socket free. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcode.h"
#include "log.h"
#include "servers_daemon.h"

#define SERVERS_DAEMON_MSG_MAX	1024
#define SERVERS_DAEMON_LIST_MAX	4	/* workers named in the reason */

int
servers_daemon_log_open(const char *path)
{
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640)) == -1)
		log_warn("cannot open the log file %s", path);
	return fd;
}

void
servers_daemon_log_to(int logfd)
{
	fflush(stdout);
	fflush(stderr);
	if (dup2(logfd, STDOUT_FILENO) == -1 || dup2(logfd, STDERR_FILENO) == -1)
		fatal("cannot log to the log file");
	close(logfd);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* The parent: read the daemon's line, then exit with what it says. */
static void FS_DEAD
servers_daemon_wait(int fd, pid_t pid, const struct servers_opts *o)
{
	char msg[SERVERS_DAEMON_MSG_MAX], c;
	size_t n = 0;
	ssize_t r;
	int st;

	while (n < sizeof msg - 1 && (r = read(fd, msg + n, 1)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 || msg[n] == '\n')
			break;
		n++;
	}
	msg[n] = '\0';
	if (strcmp(msg, "OK") == 0)
		_exit(FS_EXIT_OK);
	while (read(fd, &c, 1) > 0)
		;		/* until the daemon has stopped */
	if (n == 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		snprintf(msg, sizeof msg, "the daemon exited with status %d "
		    "before its workers were ready", WEXITSTATUS(st));
	else if (n == 0)
		snprintf(msg, sizeof msg, "the daemon ended before its workers "
		    "were ready");
	fprintf(stderr, "%s: %s (see %s)\n", log_progname(), msg,
	    o->log != NULL ? o->log : "syslog");
	_exit(FS_EXIT_FAILURE);
}

/* The daemon's first steps; a failure is told to the parent. */
static void
servers_daemon_enter(int fd, const struct servers_opts *o, int logfd)
{
	int null;
	FILE *f;

	if (setsid() == -1 || chdir("/") == -1)
		fatal("cannot detach");
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		fatal("/dev/null");
	dup2(null, STDIN_FILENO);
	if (logfd != -1)
		servers_daemon_log_to(logfd);
	else {
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		log_syslog();
		setenv(LOG_SYSLOG_ENV, "1", 1);	/* the workers' logs too */
	}
	close(null);
	if (o->pidfile == NULL)
		return;
	if ((f = fopen(o->pidfile, "w")) == NULL ||
	    fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) == EOF) {
		dprintf(fd, "cannot write the pidfile %s: %s\n", o->pidfile,
		    strerror(errno));
		exit(FS_EXIT_FAILURE);
	}
}

int
servers_daemon_detach(const struct servers_opts *o, int logfd)
{
	int p[2];
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if (pipe2(p, O_CLOEXEC) == -1 || (pid = fork()) == -1)
		fatal("cannot detach");
	if (pid > 0) {
		close(p[1]);
		servers_daemon_wait(p[0], pid, o);
	}
	close(p[0]);
	servers_daemon_enter(p[1], o, logfd);
	return p[1];
}

/* "A FAILED (cause), B EXITED (cause) and 2 more". */
static void
servers_daemon_why(const struct servers *s, char *buf, size_t len)
{
	size_t i, n = 0;
	int named = 0, more = 0;

	buf[0] = '\0';
	for (i = 0; i < s->nw; i++) {
		if (s->w[i].removed || s->w[i].sup.state == SUP_READY)
			continue;
		if (named == SERVERS_DAEMON_LIST_MAX) {
			more++;
			continue;
		}
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s %s (%s)",
			    named ? ", " : "", s->w[i].id,
			    sup_state_name(s->w[i].sup.state), s->w[i].sup.cause);
		named++;
	}
	if (more > 0 && n < len)
		snprintf(buf + n, len - n, " and %d more", more);
}

int
servers_daemon_report(struct servers *s)
{
	char why[SERVERS_DAEMON_MSG_MAX - 64];
	int total = servers_wk_total(s), ready = servers_wk_count(s, SUP_READY);

	if (s->daemon_fd == -1)
		return 0;
	if (ready == total) {
		if (write(s->daemon_fd, "OK\n", 3) != 3)
			log_warn("cannot tell the parent the workers are ready");
		close(s->daemon_fd);
		s->daemon_fd = -1;
		return 0;
	}
	servers_daemon_why(s, why, sizeof why);
	log_warnx("not every worker is ready (%s): stopping", why);
	dprintf(s->daemon_fd, "%d of %d workers not ready, the daemon stopped: %s\n",
	    total - ready, total, why);
	return -1;	/* s->daemon_fd stays open until the daemon exits */
}
