/* log.h: one logging module for every program.
 *
 * Lines go to stderr as "prog: message". Under systemd (JOURNAL_STREAM set
 * and matching stderr) each line carries an sd-daemon "<N>" priority prefix
 * instead, so journald files it at the right level.
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

void	log_init(const char *prog, int level);
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

#endif
