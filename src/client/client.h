/* client.h: fake-client's shared state: options, the workers it drives
 * (targets) and their endpoints, and the per-frame records a run keeps.
 *
 * Modules: client.c (main, options), client_setup.c (targets from the
 * config and --endpoint), client_net.c (one DEALER per endpoint, zero-copy
 * sends, Lazy Pirate resets), client_run.c (the video pipeline),
 * client_hello.c and client_echo.c (the seed's other experiments),
 * client_report.c (the run's report) and the modules of its files:
 * client_csv.c, client_json.c, client_svg.c, over client_stats.c (the
 * sums), client_file.c (output files) and client_pyrepr.c (the seed's
 * number format).
 */
#ifndef FS_CLIENT_H
#define FS_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <zmq.h>

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
	MODE_ECHO
};

enum client_status {
	ST_PENDING,
	ST_OK,
	ST_TIMEOUT,
	ST_ERROR
};

struct client_epopt {			/* --endpoint NAME=URL */
	char	name[CONF_NAME_MAX];
	char	url[CLIENT_URL_MAX];
};

struct client_opts {
	enum client_mode mode;
	const char *config;		/* -c; NULL: the default, if it exists */
	int	no_config;		/* --no-config: --endpoint only */
	struct client_epopt *eps;
	size_t	neps;
	long	width, height, channels;	/* 0: the mode's default */
	double	fps;
	long	frames;
	int	sequential;
	int	in_flight;
	double	timeout_ms;		/* < 0: derived from the costs */
	double	connect_timeout_ms;
	long	samples;
	uint64_t seed;
	const char *csv, *json, *svg;
	int	quiet;
	int	progress;		/* stderr is a terminal and not quiet */
	int	transport;		/* -1 per the config, else TRANSPORT_* */
};

struct client_target {			/* one worker */
	char	name[CONF_NAME_MAX];
	int	kind;			/* enum conf_kind, or -1 unknown */
	int	window;
	double	cost_ms;		/* effective; 0 unknown */
	int	first_ep, nep;		/* its replicas' endpoints */
	int	rr;			/* round-robin cursor */
	int	shm;			/* frames through shared memory */
	int	out_itemsize;		/* segmentation output: 1 or 8 bytes */
	long	out_in_slot;		/* replies whose output was in the ring */
	long	by_lane;		/* requests sent through a lane */
};

struct client_ep {
	char	url[CLIENT_URL_MAX];
	int	target;
	void	*sock;
	int	connected;		/* seen by the startup monitor */
	int64_t	fifo[CLIENT_FIFO];	/* frames outstanding, oldest first */
	int	head, n;
	int	resets;
	long	sent;			/* requests sent */
	uint64_t affinity;		/* ZMQ_AFFINITY: its I/O thread(s) */
	/* Its shared-memory lane (lane.h): pipes, -1 none or not yet. */
	int	lane_req, lane_rep;
	int	lane_n;			/* requests outstanding in the lane */
	int	lane_off;		/* its replies do not fit it */
};

struct client_part {			/* one worker's share of a frame */
	uint64_t sent_ns, reply_ns;	/* 0: not sent / no reply */
	double	service_us;		/* < 0 unknown */
	int	ep;			/* endpoint used, -1 none */
	int	status;			/* enum client_status */
	int	shm;			/* sent through shared memory: holds */
	int	out;			/* its output slot, -1 none */
	int	by_lane;		/* sent through its endpoint's lane */
	uint64_t w_recv_ns, w_sent_ns;	/* the worker's clock, shm only; 0 */
};

struct client_eval {			/* one evaluation: the frame and its window */
	int64_t	frame;
	uint64_t sched_ns, sent_ns, done_ns;
	int	pending;		/* parts without an answer */
	int	next;			/* --sequential: next target to send */
	int	last;			/* target that answered last, -1 */
	int	status;
};

struct client_reply {			/* one message from an endpoint */
	struct wire_header h;
	int	parsed;			/* h holds a parsed JSON header */
	char	raw[WIRE_HDRMAX];	/* the first frame after the delimiter */
	size_t	rawn;			/* its full length (raw may be cut) */
	size_t	paylen;			/* bytes in the frames after it */
	uint64_t rx_ns;			/* when it was received (before parsing) */
};

struct client {
	struct client_opts *o;
	int	sigfd;			/* SIGINT, SIGTERM, SIGHUP: stop */
	FILE	*out;			/* the text: stderr when a file is "-" */
	struct conf *conf;
	void	*zctx;
	struct client_target *t;
	int	nt;
	struct client_ep *ep;
	int	nep;
	int	window;			/* longest window */
	int	*order;			/* targets, the slowest to send first */
	double	ideal_ms;		/* slowest cost, or the sum if sequential */
	double	timeout_ms;
	long	width, height, channels;
	struct framesrc *fs;		/* freed after the ZeroMQ context */
	struct shm_ring *ring;		/* the shared-memory ring, or NULL */
	int	*out_free;		/* its free output slots (a stack) */
	int	nout_free;
	void	*buf;			/* echo's array, likewise */
	/* The run's records. */
	struct client_eval *ev;
	struct client_part *part;	/* [nev][nt] */
	long	nev;
	uint64_t t0_ns, end_ns;
	long	late;			/* replies that came after their frame failed */
};

static inline struct client_part *
client_part(const struct client *c, long e, int t)
{
	return &c->part[(size_t)e * (size_t)c->nt + (size_t)t];
}

/* client_setup.c */
int	client_setup(struct client *, struct client_opts *);
void	client_teardown(struct client *);
double	client_auto_timeout_ms(const struct client *);

/* client_net.c */
int	client_net_open(struct client *, int ep, void **mon);
void	client_net_close(struct client *, int ep);
int	client_net_wait_connected(struct client *, void **mon,
	    double timeout_ms);
int	client_net_send(struct client *, int ep, const char *hdr, size_t hlen,
	    void *data, size_t len, void (*ffn)(void *, void *), void *hint);
int	client_net_recv(struct client *, int ep, struct client_reply *);
int	client_net_reset(struct client *, int ep);
void	client_fifo_push(struct client_ep *, int64_t frame);
int	client_fifo_take(struct client_ep *, const struct wire_header *,
	    int64_t *frame);

/* client_run.c, client_hello.c, client_echo.c: a mode, returns the exit code. */
int	client_run(struct client *);
int	client_hello(struct client *);
int	client_echo(struct client *);

/* client_net.c: wait for a message from any endpoint in want[] (others
 * are drained and counted late) until deadline_ns: the endpoint, -1 on
 * timeout, -2 on a signal. */
int	client_net_wait(struct client *, const char *want, uint64_t deadline_ns,
	    struct client_reply *);

/* client_shm.c: the shared-memory transport (doc/shm.md). setup decides
 * which workers use it, creates the ring and the frame source over it (or
 * leaves c->fs NULL); header adds the "shm" member of a request; done
 * frees a part's output slot; refused falls back to sending frames in the
 * messages after an error reply. */
struct shm_ring;
int	client_shm_setup(struct client *, int depth);
int	client_shm_header(struct client *, struct client_part *, int t,
	    struct wire_header *);
void	client_shm_done(struct client *, struct client_part *);
int	client_shm_refused(struct client *, int t, const struct client_reply *);
void	client_shm_reply(struct client *, int t, const struct client_reply *,
	    struct client_part *);
void	client_shm_free(struct client *);
/* Lanes (lane.h): the reply pipes to poll (ep_of[i] is the endpoint of
 * items[i]); send a request's header through its endpoint's lane instead
 * of its socket, when the worker has opened it and nothing is queued on
 * the socket (1 if sent); read the next reply from a lane (1 with r
 * filled, 0 none left). */
int	client_shm_poll(const struct client *, zmq_pollitem_t *items, int max,
	    int *ep_of);
int	client_shm_bell(struct client *, int ep, const char *hdr, size_t hlen);
/* An error reply saying the reply did not fit the lane: 1, and that
 * endpoint's lane is not used again. */
int	client_shm_lane_full(struct client *, int ep, const struct client_reply *);
int	client_shm_lane_recv(struct client *, int ep, struct client_reply *r);

#endif
