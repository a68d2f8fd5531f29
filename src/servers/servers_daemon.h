/* servers_daemon.h: where fake-servers logs (--log, syslog), detaching from
 * the terminal (--daemon) and the word its waiting parent exits with (see
 * servers_daemon.c). */
#ifndef FS_SERVERS_DAEMON_H
#define FS_SERVERS_DAEMON_H

#include "servers_opts.h"
#include "servers_wk.h"

/* --log FILE, opened for appending: a descriptor, or -1 after saying why. */
int	servers_daemon_log_open(const char *path);
/* From now on stdout and stderr, the workers' too, go to logfd. */
void	servers_daemon_log_to(int logfd);
/* Fork. The parent waits and exits: 0 once the daemon reports every worker
 * READY, else 1 after printing why. The daemon returns the descriptor it
 * reports on, in a new session, in "/", its logs in logfd or, if -1, in
 * syslog (its workers' too), the pidfile written. */
int	servers_daemon_detach(const struct servers_opts *, int logfd);
/* Every worker has settled: tell the parent waiting on s->daemon_fd, if
 * any. 0 if every worker is READY, -1 if not (the daemon should stop: the
 * parent exits once it has, that is once s->daemon_fd is closed). */
int	servers_daemon_report(struct servers *);

#endif
