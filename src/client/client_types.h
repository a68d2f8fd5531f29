/* client_types.h: the run's data model, shared by every fake-client
 * module: the options, the workers a run drives (targets) and their
 * endpoints, the per-frame records it keeps, and a reply as the modes see
 * it. Types and constants only; no module of its own.
 */
#ifndef FS_CLIENT_TYPES_H
#define FS_CLIENT_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cert.h"
#include "conf.h"
#include "framesrc.h"
#include "wire.h"

#define CLIENT_URL_MAX		(CONF_HOST_MAX + 64)
#define CLIENT_MAX_ENDPOINTS	256
#define CLIENT_FIFO		256	/* requests outstanding per endpoint */
#define CLIENT_INFLIGHT_MAX	64

enum client_mode {
	MODE_RUN,
	MODE_HELLO,
	MODE_ECHO,
	MODE_SWEEP
};

static inline const char *
client_mode_name(int m)
{
	static const char *const name[] = { "run", "hello", "echo", "sweep" };

	return m >= MODE_RUN && m <= MODE_SWEEP ? name[m] : "?";
}

enum client_status {
	ST_PENDING,
	ST_OK,
	ST_TIMEOUT,
	ST_ERROR
};

/* Why a part failed: its status says timeout or error, its reason which
 * of these. */
enum client_reason {
	RS_NONE,
	RS_TIMEOUT,		/* sent, no reply by --timeout-ms */
	RS_ERROR_REPLY,		/* the worker answered with an error */
	RS_QUEUE_FULL,		/* its batch queue was full: refused */
	RS_UNAVAILABLE,		/* no replica connected within
				 * --connect-timeout-ms */
	RS_NOT_SENT,		/* its evaluation failed first, or the send
				 * failed for another reason */
	RS_COUNT
};

/* As the text says it, and as the CSV and JSON name it. */
static inline const char *
client_reason_name(int r)
{
	static const char *const name[RS_COUNT] = { "", "timeout",
	    "error reply", "queue full", "unavailable", "not sent" };

	return r > RS_NONE && r < RS_COUNT ? name[r] : "";
}

static inline const char *
client_reason_key(int r)
{
	static const char *const key[RS_COUNT] = { "", "timeout",
	    "error_reply", "queue_full", "unavailable", "not_sent" };

	return r > RS_NONE && r < RS_COUNT ? key[r] : "";
}

struct client_epopt {			/* --endpoint NAME=URL */
	char	name[CONF_NAME_MAX];
	char	url[CLIENT_URL_MAX];
};

struct client_sweep_opts {		/* fake-client sweep */
	int	by;			/* 'f': --fps FROM:TO:STEP, 'k': --in-flight */
	double	from, to, step;
	double	stability;		/* percent */
	double	max_p99_ms;
	double	interval_ms;		/* a window's length */
	int	max_windows;		/* a step's, at most */
};

struct client_opts {
	enum client_mode mode;
	const char *config;		/* -c; NULL: the default, if it exists */
	int	no_config;		/* --no-config: --endpoint only */
	struct client_epopt *eps;
	size_t	neps;
	long	width, height, channels;	/* 0: the mode's default */
	double	fps;
	int	fps_set;		/* --fps given */
	long	frames;
	int	frames_set;		/* -n given */
	long	warmup;			/* evaluations left out of the figures */
	double	duration;		/* seconds measured, 0: --frames */
	int	arrivals;		/* client_arrivals.c's kind */
	int	sequential;
	int	in_flight;
	double	timeout_ms;		/* < 0: derived from the costs */
	double	connect_timeout_ms;
	long	samples;
	uint64_t seed;
	const char *csv, *json, *svg;	/* the run's files (client_report.c) */
	const char *hgrm, *trace;
	int	quiet;
	int	progress;		/* stderr is a terminal and not quiet */
	int	transport;		/* -1 per the config, else TRANSPORT_* */
	const char *curve_key;		/* --curve-key: our key pair */
	const char *curve_server_key;	/* --curve-server-key: every worker's */
	struct client_sweep_opts sweep;
};

struct client_target {			/* one worker */
	char	name[CONF_NAME_MAX];
	int	kind;			/* enum kind_id, or -1 unknown */
	int	window;
	double	cost_ms;		/* effective; 0 unknown */
	int	first_ep, nep;		/* its replicas' endpoints */
	int	rr;			/* round-robin cursor */
	struct kind_opts ko;		/* its kind's options */
};

/* How an endpoint's first handshake went (client_net_wait_connected). */
enum client_hs {
	HS_PENDING,			/* nothing yet: not reachable */
	HS_UP,
	HS_REFUSED,			/* its ZAP handler refused our key */
	HS_REJECTED,			/* it closed the CURVE handshake */
	HS_MECHANISM,			/* it uses CURVE and we not, or so */
	HS_PROTOCOL			/* another protocol error */
};

struct client_ep {			/* one replica; its path: client_path.c */
	char	url[CLIENT_URL_MAX];
	int	target;
	int	connected;		/* seen by the startup monitor */
	enum client_hs hs;
	char	curve_server[CERT_Z85_LEN + 1];	/* its public key; "": no CURVE */
	const char *curve_file;		/* where that key was read */
	int	resets;
	long	sent;			/* requests sent */
	uint64_t affinity;		/* its sends' I/O thread(s), a bit each */
};

struct client_part {			/* one worker's share of a frame */
	uint64_t sent_ns;		/* 0: not sent */
	uint64_t reply_ns;		/* its reply, or when it failed; 0:
					 * neither yet */
	double	service_us;		/* < 0 unknown */
	double	cost_us;		/* the cost its worker drew, < 0 unknown */
	double	queue_us;		/* its wait in the worker, < 0 unknown */
	int	batch;			/* its batch's size, 0 unknown */
	int	ep;			/* endpoint used, -1 none */
	int	status;			/* enum client_status */
	int	reason;			/* enum client_reason, when it failed */
	uint64_t wait_ns;		/* waiting since then for its worker
					 * to connect; 0 not waiting */
	/* When the worker received it and sent its reply, by its clock
	 * where that clock is ours (one host); 0 unknown. */
	uint64_t w_recv_ns, w_sent_ns;
};

struct client_eval {			/* one evaluation: the frame and its window */
	int64_t	frame;
	uint64_t sched_ns, sent_ns, done_ns;
	uint64_t deadline_ns;		/* it times out then: --timeout-ms
					 * after sent_ns, later by the time a
					 * part waited for a connection */
	int	pending;		/* parts without an answer */
	int	next;			/* --sequential: next target to send */
	int	last;			/* target that answered last, -1 */
	int	status;
};

struct client_reply {			/* one message from an endpoint */
	struct wire_header h;
	int	parsed;			/* h holds a parsed JSON header */
	/* What its path made of it (client_path.c). */
	int64_t	frame;			/* the request it answers, -1 none */
	int	again;			/* send that request again: its path
					 * has changed */
	uint64_t w_recv_ns, w_sent_ns;	/* the worker's times, when its clock
					 * is ours; else 0 */
	char	raw[WIRE_HDRMAX];	/* the first frame after the delimiter */
	size_t	rawn;			/* its full length (raw may be cut) */
	size_t	paylen;			/* bytes in the frames after it */
	uint64_t rx_ns;			/* when it was received (before parsing) */
};

struct client_path;

struct client {
	struct client_opts *o;
	int	sigfd;			/* SIGINT, SIGTERM, SIGHUP: stop */
	FILE	*out;			/* the text: stderr when a file is "-" */
	struct conf *conf;
	struct client_target *t;
	int	nt;
	struct client_ep *ep;
	int	nep;
	int	window;			/* longest window */
	int	*order;			/* targets, the slowest to send first */
	double	ideal_ms;		/* slowest cost, or the sum if sequential */
	double	timeout_ms;
	long	width, height, channels;
	struct client_path *path;	/* the endpoints' paths */
	struct cert curve;		/* our key pair, when some worker uses CURVE */
	struct framesrc *fs;		/* the frames, made by the paths */
	void	*buf;			/* echo's array */
	/* The run's records. */
	struct client_eval *ev;
	struct client_part *part;	/* [nev][nt] */
	long	nev;
	uint64_t t0_ns, end_ns;
	uint64_t cpu_ns;		/* the process's CPU from t0 to end */
	long	late;			/* replies that came after their frame failed */
};

static inline struct client_part *
client_part(const struct client *c, long e, int t)
{
	return &c->part[(size_t)e * (size_t)c->nt + (size_t)t];
}

#endif
