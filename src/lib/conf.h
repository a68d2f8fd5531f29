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
#include <stdint.h>
#include <stdio.h>

#include "batch.h"
#include "compat.h"
#include "cost.h"
#include "kind.h"

#define CONF_NAME_MAX	64	/* worker name, [A-Za-z0-9_.-]{1,63} */
#define CONF_HOST_MAX	256
#define CONF_PATH_MAX	1024
#define CONF_REPLICAS_MAX 256
#define CONF_WINDOW_MAX	1024
#define CONF_WORKERS_MAX 4096	/* workers in one configuration */
#define CONF_BURST_MAX	32	/* failed starts the supervisor remembers */
#define CONF_GROUP_MAX	256	/* control_group, a group name */
#define CONF_DEVICES_MAX 64	/* devices in one configuration */
#define CONF_INTS_MAX	BATCH_PREFERRED_MAX	/* values of a list key */

/* The control socket when the config does not say (fake-serversctl's
 * fallback too), and the directory it is in. */
#define CONF_DEFAULT_RUNDIR	RUNSTATEDIR "/fake-servers"
#define CONF_DEFAULT_CONTROL	CONF_DEFAULT_RUNDIR "/control.sock"
#define CONF_MAX_FRAME_MIN	1024ll
#define CONF_MAX_FRAME_MAX	(4ll << 30)

enum conf_restart_mode {
	RESTART_NO,
	RESTART_ON_FAILURE,
	RESTART_ALWAYS
};

/* The keys of each group, indexing the key_line[] arrays below: the line a
 * key was set on, 0 when it was not (its default applies). */
enum conf_top_key {
	TK_COEF, TK_BIND, TK_CONTROL, TK_CONTROL_GROUP, TK_IPC_DIR,
	TK_MAX_FRAME_BYTES, TK_METRICS, TK_RESTART, TK_CURVE, TK_DEVICES,
	TK_WORKERS, TK__MAX
};
enum conf_restart_key {
	RK_POLICY, RK_BACKOFF_MIN_MS, RK_BACKOFF_MAX_MS, RK_BURST,
	RK_INTERVAL_S, RK_MIN_UPTIME_MS, RK_START_TIMEOUT_MS,
	RK_STOP_TIMEOUT_MS, RK__MAX
};
enum conf_worker_key {
	WK_NAME, WK_KIND, WK_PORT, WK_COST_MS, WK_COEF, WK_REPLICAS,
	WK_N_CLASSES, WK_WINDOW, WK_HOST, WK_OUTPUT_DTYPE, WK_TRANSPORT,
	WK_MAX_FRAME_BYTES, WK_COST_DIST, WK_COST_SD_MS, WK_COST_SIGMA,
	WK_COST_SHAPE, WK_COST_MIN_MS, WK_COST_MAX_MS, WK_COST_FILE, WK_SEED,
	WK_WARMUP_REQUESTS, WK_WARMUP_COST_MS, WK_START_DELAY_MS,
	WK_BOXES_MIN, WK_BOXES_MAX, WK_FAULTS, WK_DEVICE, WK_BATCH,
	WK_RESTART, WK_CURVE, WK__MAX
};
enum conf_faults_key {
	FK_ERROR_RATE, FK_DROP_RATE, FK_STALL_RATE, FK_STALL_MS, FK_CRASH_RATE,
	FK__MAX
};
enum conf_batch_key {
	BK_MAX, BK_PREFERRED, BK_MAX_QUEUE_DELAY_US, BK_QUEUE_MAX,
	BK_COST_PER_ITEM_MS, BK__MAX
};
enum conf_device_key {
	DK_NAME, DK_SLOTS, DK__MAX
};
enum conf_curve_key {
	CK_SECRET_KEY_FILE, CK_PUBLIC_KEY_FILE, CK_ALLOW_DIR, CK_ALLOW_ANY,
	CK__MAX
};

enum conf_transport {
	TRANSPORT_TCP,
	TRANSPORT_IPC,
	TRANSPORT_SHM
};

/* The values of the keys; their defaults and ranges are in the key
 * tables (conf_key.c). */

/* The restart policy: top-level "restart" group, overridable per worker. */
struct conf_restart {
	enum conf_restart_mode mode;	/* "policy" */
	double	backoff_min_ms;		/* first delay */
	double	backoff_max_ms;		/* cap */
	int	burst;			/* failed starts ... */
	double	interval_s;		/* ... within this window => FAILED */
	double	min_uptime_ms;		/* died sooner after READY = failed start */
	double	start_timeout_ms;	/* no READY=1 by then: killed */
	double	stop_timeout_ms;	/* SIGTERM then SIGKILL after */
	/* Keys set in this group (a worker's: its overrides only). */
	int	key_line[RK__MAX];
	unsigned invalid;		/* 1 << key: present but unusable */
};

/* CURVE (doc/curve.md): the top-level "curve" group, overridable per
 * worker key by key. The strings are interned (conf_intern), "" when not
 * set. A worker uses CURVE when it has a secret_key_file (on the host
 * that runs it) or a public_key_file (on a client's). */
struct conf_curve {
	const char *secret_key_file;	/* the workers' key pair: an absolute
					 * path or a systemd credential's name */
	const char *public_key_file;	/* its public half, for clients;
					 * default: secret_key_file without
					 * its "_secret" */
	const char *allow_dir;		/* the client keys admitted (*.key) */
	int	allow_any;		/* or any key: encryption only */
	int	key_line[CK__MAX];
	unsigned invalid;
};

/* A worker's injected faults (fault.h): its "faults" group, all 0 when it
 * has none. A change restarts the worker. */
struct conf_faults {
	double	error_rate;		/* an error reply */
	double	drop_rate;		/* no reply */
	double	stall_rate;		/* stall_ms more than the cost */
	double	stall_ms;
	double	crash_rate;		/* abort(): the supervisor restarts it */
	int	key_line[FK__MAX];
	unsigned invalid;
};

/* A list of integers, "[4, 8]". */
struct conf_ints {
	int	n;
	int	v[CONF_INTS_MAX];
};

/* A worker's dynamic batching (batch.h): its "batch" group; max is 0
 * when it has none. A change restarts the worker. */
struct conf_batch {
	int	max;			/* requests in one batch */
	struct conf_ints preferred;	/* sizes dispatched at once */
	double	max_queue_delay_us;	/* the oldest waits at most this */
	int	queue_max;		/* waiting; more are refused */
	double	cost_per_item_ms;	/* each request after the first */
	int	key_line[BK__MAX];
	unsigned invalid;
};

/* A device several workers share (device.h): an element of the
 * top-level "devices" list. */
struct conf_device {
	char	name[CONF_NAME_MAX];
	int	slots;			/* workers computing at once */
	int	line;
	int	key_line[DK__MAX];
	unsigned invalid;
};

struct conf_worker {
	char	name[CONF_NAME_MAX];
	enum kind_id kind;		/* kind.h */
	int	port;			/* replicas use port..port+replicas-1 */
	double	cost_ms;
	double	coef;
	int	replicas;
	int	n_classes;		/* a kind's option (kind.h) */
	int	window;			/* frames a client sends */
	const char *host;		/* where clients reach it (conf_intern) */
	char	output_dtype[16];	/* a kind's option: "uint8" or "float64" */
	enum conf_transport transport;
	long long max_frame_bytes;	/* --max-frame-bytes */
	/* The modelled cost (cost.h, conf_cost.c): a distribution around
	 * cost_ms, its parameters, the clamps, and the seed of its draws. */
	enum cost_dist cost_dist;
	double	cost_sd_ms;		/* normal */
	double	cost_sigma;		/* lognormal */
	double	cost_shape;		/* gamma */
	double	cost_min_ms;		/* clamps every draw; uniform's range */
	double	cost_max_ms;
	const char *cost_file;		/* empirical: an absolute path (conf_intern) */
	long long seed;			/* unset: conf_worker_seed's default */
	/* After each start: the time before READY=1 (loading the model),
	 * then the cost of the first requests. */
	int	warmup_requests;
	double	warmup_cost_ms;		/* instead of cost_ms, x coef */
	double	start_delay_ms;
	int	boxes_min, boxes_max;	/* a kind's options: boxes a frame */
	struct conf_faults faults;
	const char *device;		/* a device's name, "" = none (conf_intern) */
	struct conf_batch batch;
	struct conf_restart restart;	/* top-level policy with this worker's overrides */
	struct conf_curve curve;	/* the top-level one with this worker's */
	const char *file;		/* where it was defined (conf_intern) */
	int	line;
	int	key_line[WK__MAX];
	unsigned invalid;		/* 1 << key: present but unusable */
};

struct conf {
	char	path[CONF_PATH_MAX];	/* the main file */
	double	coef;			/* global cost multiplier */
	char	bind[CONF_HOST_MAX];	/* address workers bind */
	char	control[CONF_PATH_MAX];	/* control socket */
	char	control_group[CONF_GROUP_MAX]; /* group given the control socket, 0660: "" = none, 0600 */
	char	ipc_dir[CONF_PATH_MAX];	/* directory of ipc:// endpoints */
	long long max_frame_bytes;	/* workers' default */
	char	metrics[CONF_HOST_MAX + 8];	/* HOST:PORT of GET /metrics, "" = off */
	struct conf_restart restart;
	struct conf_curve curve;
	struct conf_device devices[CONF_DEVICES_MAX];
	size_t	ndevices;
	struct conf_worker *workers;
	size_t	nworkers;
	int	key_line[TK__MAX];
	unsigned invalid;		/* 1 << key: present but unusable */
};

/* A list of error lines, "file:line: message"; start it zeroed
 * ({ 0 }), free it with conf_errors_free. conf_load sorts the errors it
 * adds by file (in reading order), then line. */
struct conf_errors {
	char	**msg;
	size_t	n, cap;
	unsigned long long *at;	/* order: file's first error << 32 | line */
};

#define CONF_F_INCLUDE_DIR	0x1	/* also read <dir of path>/fake-servers.d/ *.conf */
#define CONF_F_KEY_FILES	0x2	/* also read the workers' CURVE keys
					 * and allow_dirs (conf_curve_files) */
#define CONF_F_CREDENTIALS	0x4	/* and the keys named as systemd
					 * credentials */
/* What fake-servers reads at start and on reload, and with -n: there a
 * credential is not read, as it may be out of reach of the command that
 * checks (the unit's ExecReload=); the daemon's reload reads it. */
#define CONF_F_COST_FILES	0x8	/* also read the workers' cost_files */
#define CONF_F_SERVERS		(CONF_F_INCLUDE_DIR | CONF_F_KEY_FILES | \
				    CONF_F_CREDENTIALS | CONF_F_COST_FILES)
#define CONF_F_CHECK		(CONF_F_INCLUDE_DIR | CONF_F_KEY_FILES | \
				    CONF_F_COST_FILES)

const char	*conf_default_path(void);	/* SYSCONFDIR "/fake-servers/fake-servers.conf" */

/* Parse and validate; NULL on any error (all of them appended to errs).
 * Files in fake-servers.d may only define workers. A file is read whole
 * and must be text (no NUL byte), at most 16 MiB; "@include" is refused. */
struct conf	*conf_load(const char *path, int flags, struct conf_errors *errs);
/* Same from a buffer (the fuzzer and unit tests); name stands for the file. */
struct conf	*conf_load_string(const char *text, const char *name, struct conf_errors *errs);
void		 conf_free(struct conf **);
/* The checks of conf_load after parsing: 0, or -1 with errors appended. */
int		 conf_validate(const struct conf *, struct conf_errors *);
/* Equal effective configurations: every key of the tables (where keys
 * were set is not compared). */
int		 conf_equal(const struct conf *, const struct conf *);

/* Effective cost of a worker: cost_ms x global coef x worker coef. */
double		 conf_worker_cost_ms(const struct conf *, const struct conf_worker *);
/* The endpoint replica r (0-based) binds (bind=1, with conf->bind) or a
 * client connects to (bind=0, with host). Returns 0, or -1 if truncated. */
int		 conf_worker_endpoint(const struct conf *, const struct conf_worker *,
		    int replica, int bind, char *buf, size_t len);
const struct conf_worker *conf_find_worker(const struct conf *, const char *name);
/* Do two workers run the same way? Every key a worker is started with,
 * as the key tables say (not the restart policy, nor the keys it takes
 * while it runs: conf_live_set); used by reload to restart only what
 * changed. */
int		 conf_worker_same(const struct conf *, const struct conf_worker *,
		    const struct conf *, const struct conf_worker *);

/* Split "HOST:PORT" ("[V6]:PORT", "*:PORT") as the metrics key holds
 * it: 0, or -1 if it is not of that form (host "*" means any). */
int		 conf_hostport(const char *s, char *host, size_t hostlen, int *port);

/* Print the normalised config (fake-servers -n -v); it parses again. */
void		 conf_print(FILE *, const struct conf *);
/* The check mode shared by the programs (fake-servers -n): load path; on
 * error print every error line to err and return FS_EXIT_CONFIG; else
 * print the normalised config (verbose only) then "configuration OK" to
 * out and return 0. */
int		 conf_check(const char *path, int flags, int verbose, FILE *out,
		    FILE *err);
/* What a valid configuration may still get wrong, appended to warns as
 * "file:line: warning: ...": a worker's start_delay_ms not below its
 * start_timeout_ms. Returns how many. */
int		 conf_warnings(const struct conf *, struct conf_errors *warns);
/* The same, each logged (log_warnx): the daemon's start and reload. */
void		 conf_warnings_log(const struct conf *);

/* The modelled cost (conf_cost.c). Does the worker model one (a
 * distribution other than fixed, or clamps)? Does key (WK_COST_DIST ..
 * WK_SEED) apply to its distribution? */
int		 conf_cost_on(const struct conf_worker *);
int		 conf_cost_applies(const struct conf_worker *, int key);
/* The seed of replica r's draws: seed + r when set, else one derived from
 * the name and replica (rng_seed_name), so replicas differ and runs
 * repeat. */
uint64_t	 conf_worker_seed(const struct conf_worker *, int replica);
/* Read every empirical worker's cost_file as the worker will: 0, or -1
 * with each problem appended at the line of its key. */
int		 conf_cost_files(const struct conf *, struct conf_errors *);

/* Batching (conf_batch.c): a worker's batch group as the batcher's
 * configuration (max 0: it has none). */
void		 conf_batch_conf(const struct conf_batch *, struct batch_conf *);
/* Devices (conf_device.c): the one of that name, or NULL. */
const struct conf_device *conf_find_device(const struct conf *,
		    const char *name);
/* The keys a running worker takes without a restart (conf_live.c):
 * cost_ms, coef, the parameters of its cost (not cost_dist), its faults.
 * Set one, given as "KEY=VALUE" ("faults.KEY" or "KEY" for a fault), in
 * w, checked by its row's range and the distribution it belongs to:
 * 0, or -1 with the reason in err (w unchanged). Then check across the
 * keys (the cost's and the faults' checks, the effective cost with the
 * global coef of c): 0, or -1 with the reason. */
int		 conf_live_set(struct conf_worker *w, const char *assign,
		    char *err, size_t errlen);
int		 conf_live_check(const struct conf *c, const struct conf_worker *w,
		    char *err, size_t errlen);
/* The names conf_live_set takes, space-separated. */
void		 conf_live_names(char *buf, size_t len);

/* CURVE (conf_curve.c). Does the worker use it? */
int		 conf_curve_on(const struct conf_curve *);
/* The path of a secret_key_file: itself when absolute, else the file of
 * that name in $CREDENTIALS_DIRECTORY (systemd's LoadCredential=). 0, or
 * -1 with the reason in err. */
int		 conf_curve_secret_path(const struct conf_curve *, char *buf,
		    size_t len, char *err, size_t errlen);
/* Read every worker's secret key (those named as credentials only with
 * credentials set) and allow_dir as the workers will: 0, or -1 with each
 * problem appended, at the line of its key. */
int		 conf_curve_files(const struct conf *, int credentials,
		    struct conf_errors *);

const char	*conf_kind_name(enum kind_id);
const char	*conf_restart_name(enum conf_restart_mode);
const char	*conf_transport_name(enum conf_transport);

void		 conf_errors_add(struct conf_errors *, const char *file, int line,
		    const char *fmt, ...) FS_PRINTF(4, 5);
/* One line each, as "file:line: message" ("file: message" if line is 0). */
void		 conf_errors_print(FILE *, const struct conf_errors *);
void		 conf_errors_free(struct conf_errors *);

/* A copy of s that lives as long as the process, shared by every equal
 * string: file names and endpoints, which the supervisor's tables keep
 * across reloads, stored once instead of in a fixed buffer each. */
const char *conf_intern(const char *s);

#endif
