/* conf.h: the libconfig file shared by fake-servers and fake-client.
 *
 * conf_load() parses a file (and the *.conf files of the "fake-servers.d"
 * directory beside it, when asked), validates it in one pass and returns
 * either a complete struct conf or NULL with every problem, each as
 * "file:line: message", in the error list. Validation is a pure function
 * of the parsed values (conf_validate), so a reload can parse into a new
 * struct and swap only on success.
 */
#ifndef FS_CONF_H
#define FS_CONF_H

#include <stddef.h>
#include <stdio.h>

#include "compat.h"

#define CONF_NAME_MAX	64	/* worker name, [A-Za-z0-9_.-]{1,63} */
#define CONF_HOST_MAX	256
#define CONF_PATH_MAX	1024

enum conf_kind {
	KIND_SEGMENTATION,
	KIND_CLASSIFICATION,
	KIND_ECHO
};

enum conf_restart_mode {
	RESTART_NO,
	RESTART_ON_FAILURE,
	RESTART_ALWAYS
};

enum conf_transport {
	TRANSPORT_TCP,
	TRANSPORT_IPC,
	TRANSPORT_SHM
};

/* The restart policy: top-level "restart" group, overridable per worker. */
struct conf_restart {
	enum conf_restart_mode mode;	/* "policy": default on-failure */
	double	backoff_min_ms;		/* first delay, default 100 */
	double	backoff_max_ms;		/* cap, default 10000 */
	int	burst;			/* failed starts ... default 5 */
	double	interval_s;		/* ... within this window => FAILED, default 30 */
	double	min_uptime_ms;		/* died sooner after READY = failed start, default 1000 */
	double	start_timeout_ms;	/* no READY=1 by then: killed, default 5000 */
	double	stop_timeout_ms;	/* SIGTERM then SIGKILL after, default 2000 */
};

struct conf_worker {
	char	name[CONF_NAME_MAX];
	enum conf_kind kind;
	int	port;			/* 1..65535; replicas use port..port+replicas-1 */
	double	cost_ms;		/* >= 0 */
	double	coef;			/* > 0, default 1 */
	int	replicas;		/* >= 1, default 1 */
	int	n_classes;		/* classification: default 4 */
	int	window;			/* frames a client sends: default 1 (classification 16) */
	char	host[CONF_HOST_MAX];	/* where clients reach it: default = bind */
	char	output_dtype[16];	/* segmentation reply dtype: "uint8" (default) or "float64" */
	enum conf_transport transport;	/* default tcp */
	struct conf_restart restart;	/* top-level policy with this worker's overrides */
	char	file[CONF_PATH_MAX];	/* where it was defined */
	int	line;
};

struct conf {
	char	path[CONF_PATH_MAX];	/* the main file */
	double	coef;			/* global cost multiplier, default 1.0 */
	char	bind[CONF_HOST_MAX];	/* address workers bind, default "127.0.0.1" */
	char	control[CONF_PATH_MAX];	/* control socket, default RUNSTATEDIR "/fake-servers/control.sock" */
	char	ipc_dir[CONF_PATH_MAX];	/* directory of ipc:// endpoints: default the control socket's */
	struct conf_restart restart;
	struct conf_worker *workers;
	size_t	nworkers;
};

/* A list of error lines, "file:line: message". */
struct conf_errors {
	char	**msg;
	size_t	n, cap;
};

#define CONF_F_INCLUDE_DIR	0x1	/* also read <dir of path>/fake-servers.d/ *.conf */

const char	*conf_default_path(void);	/* SYSCONFDIR "/fake-servers/fake-servers.conf" */

/* Parse and validate; NULL on any error (all of them appended to errs). */
struct conf	*conf_load(const char *path, int flags, struct conf_errors *errs);
/* Same from a buffer (the fuzzer and unit tests); name stands for the file. */
struct conf	*conf_load_string(const char *text, const char *name, struct conf_errors *errs);
void		 conf_free(struct conf **);

/* Effective cost of a worker: cost_ms x global coef x worker coef. */
double		 conf_worker_cost_ms(const struct conf *, const struct conf_worker *);
/* The endpoint replica r (0-based) binds (bind=1, with conf->bind) or a
 * client connects to (bind=0, with host). Returns 0, or -1 if truncated. */
int		 conf_worker_endpoint(const struct conf *, const struct conf_worker *,
		    int replica, int bind, char *buf, size_t len);
const struct conf_worker *conf_find_worker(const struct conf *, const char *name);
/* Do two workers run the same way (same argv)? Used by reload. */
int		 conf_worker_same(const struct conf *, const struct conf_worker *,
		    const struct conf *, const struct conf_worker *);

/* Print the normalised config (fake-servers -n -v); it parses again. */
void		 conf_print(FILE *, const struct conf *);

const char	*conf_kind_name(enum conf_kind);
const char	*conf_restart_name(enum conf_restart_mode);
const char	*conf_transport_name(enum conf_transport);

void		 conf_errors_add(struct conf_errors *, const char *file, int line,
		    const char *fmt, ...) FS_PRINTF(4, 5);
void		 conf_errors_print(FILE *, const struct conf_errors *);
void		 conf_errors_free(struct conf_errors *);

#endif
