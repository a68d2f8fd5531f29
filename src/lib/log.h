/* log.h: one logging module for every program.
 *
 * Lines go to stderr as "prog: message" ("prog: " once if the message
 * starts with it: a worker named after its program). Under systemd (JOURNAL_STREAM set
 * and matching stderr) each line carries an sd-daemon "<N>" priority prefix
 * instead, so journald files it at the right level; after
 * log_journal_ident a process (a worker) sends its lines to journald's own
 * socket under that identifier and its pid (log_journal.c). After
 * log_syslog(), or from the start when LOG_SYSLOG_ENV is "1" in the
 * environment (a detached fake-servers sets it for its workers), lines go
 * to syslog(3) instead, facility daemon, with the program's name and pid.
 */
#ifndef FS_LOG_H
#define FS_LOG_H

#include <stdarg.h>
#include "compat.h"

enum log_level {
	LOG_LVL_QUIET = -1,	/* errors only */
	LOG_LVL_NORMAL = 0,	/* + warnings, notices */
	LOG_LVL_INFO = 1,	/* + info (-v) */
	LOG_LVL_DEBUG = 2	/* + debug (-vv) */
};

#define LOG_SYSLOG_ENV	"FAKE_SERVERS_SYSLOG"

void	log_init(const char *prog, int level);
void	log_syslog(void);
void	log_journal_ident(const char *ident);
void	log_setlevel(int level);
int	log_getlevel(void);
const char *log_progname(void);

/* log_warn and fatal append ": strerror(errno)"; the x variants do not. */
void	log_warn(const char *, ...) FS_PRINTF(1, 2);
void	log_warnx(const char *, ...) FS_PRINTF(1, 2);
void	log_notice(const char *, ...) FS_PRINTF(1, 2);
void	log_info(const char *, ...) FS_PRINTF(1, 2);
void	log_debug(const char *, ...) FS_PRINTF(1, 2);
void	fatal(const char *, ...) FS_PRINTF(1, 2) FS_DEAD;
void	fatalx(const char *, ...) FS_PRINTF(1, 2) FS_DEAD;
/* A command-line error: "prog: message (prog -h for the usage)" on stderr,
 * then exit 64. */
void	log_usage_error(const char *, ...) FS_PRINTF(1, 2) FS_DEAD;

#endif
