/* log_journal.h: lines to journald in its native protocol (log_journal.c). */
#ifndef FS_LOG_JOURNAL_H
#define FS_LOG_JOURNAL_H

/* A datagram socket connected to journald, or -1 with errno set. */
int	log_journal_open(void);
/* One entry: 0 when sent, -1 with errno set when not. */
int	log_journal_send(int fd, const char *ident, int prio, const char *msg);

#endif
