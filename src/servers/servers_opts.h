/* servers_opts.h: the command line of fake-servers (see servers_opts.c). */
#ifndef FS_SERVERS_OPTS_H
#define FS_SERVERS_OPTS_H

#include "conf.h"

struct servers_opts {
	int	check, verbose, daemon, no_fork_server;
	const char *conf, *sock, *worker, *pidfile, *log;
	char	*cwd;		/* with --daemon: where it started, else NULL */
	char	*own[6];	/* the paths made here, to free */
	int	nown;
};

/* Parse argv; a usage error exits 64 after saying what was wrong. With
 * --daemon every path given is made absolute, as the daemon leaves its
 * directory. */
void	servers_opts_parse(int argc, char **argv, struct servers_opts *);
/* Settle the worker program: --worker, else FAKE_WORKER, else fake-worker
 * beside this program, else the installed one. 0, or -1 after one line
 * saying what is missing. */
int	servers_opts_worker(struct servers_opts *);
/* Make the config's relative control and ipc_dir paths absolute against
 * cwd, where a daemon started (nothing to do if cwd is NULL). 0, or -1
 * after logging a path that would be too long. */
int	servers_opts_conf(const char *cwd, struct conf *);
void	servers_opts_free(struct servers_opts *);

#endif
