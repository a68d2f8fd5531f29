/* log.c: logging to stderr (with journald priorities) or syslog, shared by
 * all programs. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "exitcode.h"
#include "log.h"
#include "log_journal.h"

static const char *log_prog = "fake-servers";
static int log_level = LOG_LVL_NORMAL;
static int log_journal;		/* stderr is connected to journald */
static int log_to_syslog;
static int log_jfd = -1;		/* journald's native socket, named lines */
static char log_ident[256];

/* JOURNAL_STREAM is "dev:ino" of the stream systemd connected us to. */
static int
log_stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (e == NULL || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *prog, int level)
{
	const char *slash, *e;

	if (prog != NULL) {
		slash = strrchr(prog, '/');
		log_prog = slash ? slash + 1 : prog;
	}
	log_level = level;
	log_journal = log_stderr_is_journal();
	if ((e = getenv(LOG_SYSLOG_ENV)) != NULL && strcmp(e, "1") == 0)
		log_syslog();
}

void
log_syslog(void)
{
	openlog(log_prog, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_to_syslog = 1;
}

/* Under journald, this process's lines go to journald's own socket
 * tagged ident (a worker's name: `journalctl -t NAME`), with its pid,
 * rather than under the identifier of the stream it inherited. Elsewhere,
 * nothing. */
void
log_journal_ident(const char *ident)
{
	if (!log_journal || log_jfd != -1)
		return;
	if ((log_jfd = log_journal_open()) == -1) {
		log_warn("cannot log to the journal as %s", ident);
		return;
	}
	snprintf(log_ident, sizeof log_ident, "%s", ident);
}

void
log_setlevel(int level)
{
	log_level = level;
}

int
log_getlevel(void)
{
	return log_level;
}

const char *
log_progname(void)
{
	return log_prog;
}

/* Does msg start with "prog: " already (a fake-worker named after its
 * program, the default name)? Then the name is not repeated. */
static int
log_is_prefixed(const char *msg)
{
	size_t n = strlen(log_prog);

	return strncmp(msg, log_prog, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ';
}

/* prio: syslog priority 2 (crit) .. 7 (debug). */
static void log_vemit(int, int, const char *, va_list) FS_PRINTF(3, 0);

static void
log_vemit(int prio, int with_errno, const char *fmt, va_list ap)
{
	char msg[2048];
	int saved = errno;
	size_t n;

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (with_errno) {
		n = strlen(msg);
		snprintf(msg + n, sizeof msg - n, ": %s", strerror(saved));
	}
	if (log_to_syslog)
		syslog(prio, "%s", msg);
	else if (log_jfd != -1 && log_journal_send(log_jfd, log_ident, prio,
	    msg) == 0)
		;
	else if (log_journal)
		fprintf(stderr, "<%d>%s\n", prio, msg);
	else if (log_is_prefixed(msg))
		fprintf(stderr, "%s\n", msg);
	else
		fprintf(stderr, "%s: %s\n", log_prog, msg);
	errno = saved;
}

#define LOG_BODY(prio, with_errno) do {			\
	va_list ap;					\
	va_start(ap, fmt);				\
	log_vemit((prio), (with_errno), fmt, ap);	\
	va_end(ap);					\
} while (0)

void
log_warn(const char *fmt, ...)
{
	LOG_BODY(4, 1);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(4, 0);
}

void
log_notice(const char *fmt, ...)
{
	if (log_level >= LOG_LVL_NORMAL)
		LOG_BODY(5, 0);
}

void
log_info(const char *fmt, ...)
{
	if (log_level >= LOG_LVL_INFO)
		LOG_BODY(6, 0);
}

void
log_debug(const char *fmt, ...)
{
	if (log_level >= LOG_LVL_DEBUG)
		LOG_BODY(7, 0);
}

void
fatal(const char *fmt, ...)
{
	LOG_BODY(2, 1);
	exit(FS_EXIT_SOFTWARE);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY(2, 0);
	exit(FS_EXIT_SOFTWARE);
}

void
log_usage_error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s (%s -h for the usage)\n", log_prog, msg, log_prog);
	exit(FS_EXIT_USAGE);
}
