/* client.c: fake-client's main: options, mode dispatch, exit status. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "client_arrivals.h"
#include "client_report.h"
#include "exitcode.h"
#include "heap.h"
#include "log.h"

enum {
	OPT_WIDTH = 256, OPT_HEIGHT, OPT_CHANNELS, OPT_FPS, OPT_CSV, OPT_JSON,
	OPT_SVG, OPT_SAMPLES, OPT_SEED, OPT_CONNECT_TIMEOUT, OPT_NO_CONFIG, OPT_TRANSPORT,
	OPT_WARMUP, OPT_DURATION, OPT_ARRIVALS, OPT_HGRM, OPT_TRACE,
	OPT_CURVE_KEY, OPT_CURVE_SERVER_KEY,
	OPT_STABILITY, OPT_MAX_P99, OPT_INTERVAL, OPT_MAX_WINDOWS
};

static const struct option longopts[] = {
	{ "config",		required_argument, NULL, 'c' },
	{ "no-config",		no_argument,	   NULL, OPT_NO_CONFIG },
	{ "endpoint",		required_argument, NULL, 'e' },
	{ "frames",		required_argument, NULL, 'n' },
	{ "fps",		required_argument, NULL, OPT_FPS },
	{ "warmup",		required_argument, NULL, OPT_WARMUP },
	{ "duration",		required_argument, NULL, OPT_DURATION },
	{ "arrivals",		required_argument, NULL, OPT_ARRIVALS },
	{ "width",		required_argument, NULL, OPT_WIDTH },
	{ "height",		required_argument, NULL, OPT_HEIGHT },
	{ "channels",		required_argument, NULL, OPT_CHANNELS },
	{ "sequential",		no_argument,	   NULL, 's' },
	{ "in-flight",		required_argument, NULL, 'k' },
	{ "timeout-ms",		required_argument, NULL, 't' },
	{ "connect-timeout-ms",	required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "samples",		required_argument, NULL, OPT_SAMPLES },
	{ "seed",		required_argument, NULL, OPT_SEED },
	{ "transport",		required_argument, NULL, OPT_TRANSPORT },
	{ "curve-key",		required_argument, NULL, OPT_CURVE_KEY },
	{ "curve-server-key",	required_argument, NULL, OPT_CURVE_SERVER_KEY },
	{ "csv",		required_argument, NULL, OPT_CSV },
	{ "json",		required_argument, NULL, OPT_JSON },
	{ "svg",		required_argument, NULL, OPT_SVG },
	{ "hgrm",		required_argument, NULL, OPT_HGRM },
	{ "trace",		required_argument, NULL, OPT_TRACE },
	{ "stability",		required_argument, NULL, OPT_STABILITY },
	{ "max-p99-ms",		required_argument, NULL, OPT_MAX_P99 },
	{ "interval-ms",	required_argument, NULL, OPT_INTERVAL },
	{ "max-windows",	required_argument, NULL, OPT_MAX_WINDOWS },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fputs(
"usage: fake-client [run] [-sqv] [-c file | --no-config] [-e name=url]\n"
"           [-n frames | --duration s] [--fps n] [--arrivals constant|poisson]\n"
"           [--warmup n] [--width n] [--height n] [--channels n]\n"
"           [-k in-flight] [-t timeout-ms] [--connect-timeout-ms ms]\n"
"           [--seed n] [--transport shm|socket] [--csv file] [--json file]\n"
"           [--svg file] [--hgrm file] [--trace file]\n"
"           [--curve-key file [--curve-server-key file]]\n"
"       fake-client sweep --fps from:to:step | --in-flight from:to[:step]\n"
"           [-sqv] [-c file | --no-config] [-e name=url] [--fps n] [-k n]\n"
"           [--arrivals constant|poisson] [--max-p99-ms ms] [--stability pct]\n"
"           [--interval-ms ms] [--max-windows n] [--width n] [--height n]\n"
"           [--channels n] [-t timeout-ms] [--connect-timeout-ms ms]\n"
"           [--seed n] [--transport shm|socket] [--csv file] [--json file]\n"
"           [--svg file] [--curve-key file [--curve-server-key file]]\n"
"       fake-client hello [-sqv] [-c file | --no-config] [-e name=url]\n"
"           [-t timeout-ms] [--curve-key file [--curve-server-key file]]\n"
"       fake-client echo [-qv] [-c file | --no-config] [-e [name=]url]\n"
"           [--samples n] [--width n] [--height n] [--channels n]\n"
"           [-t timeout-ms] [--json file]\n"
"           [--curve-key file [--curve-server-key file]]\n", f);
}

/* A bound as the user would type it: integers in full, not 1e+08. */
static const char *
fmt_num(char *buf, size_t len, double v)
{
	if (v == floor(v) && fabs(v) <= 1e18)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%g", v);
	return buf;
}

static double
opt_num(const char *name, const char *s, double min, double max)
{
	char *end, lo[32], hi[32];
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(v))
		log_usage_error("--%s: '%s' is not a number", name, s);
	if (v < min || v > max) {
		log_usage_error("--%s: %s is out of range %s..%s", name, s,
		    fmt_num(lo, sizeof lo, min), fmt_num(hi, sizeof hi, max));
	}
	return v;
}

static long
opt_int(const char *name, const char *s, long min, long max)
{
	double v = opt_num(name, s, (double)min, (double)max);

	if (v != floor(v))
		log_usage_error("--%s: '%s' is not an integer", name, s);
	return (long)v;
}

/* NAME=URL, or a bare URL (named after the mode's worker). */
static void
opt_endpoint(struct client_opts *o, const char *arg)
{
	struct client_epopt *e;
	const char *eq = strchr(arg, '='), *url = eq ? eq + 1 : arg;
	size_t nlen = eq ? (size_t)(eq - arg) : 0;

	if (strstr(url, "://") == NULL)
		log_usage_error("--endpoint '%s': expected NAME=tcp://HOST:PORT",
		    arg);
	if (eq && (nlen == 0 || nlen >= CONF_NAME_MAX))
		log_usage_error("--endpoint '%s': bad worker name", arg);
	if (strlen(url) >= CLIENT_URL_MAX)
		log_usage_error("--endpoint '%s': URL too long", arg);
	if (o->neps >= CLIENT_MAX_ENDPOINTS)
		log_usage_error("--endpoint %s: too many endpoints", arg);
	if ((e = realloc(o->eps, (o->neps + 1) * sizeof *e)) == NULL)
		fatal("realloc");
	o->eps = e;
	e = &o->eps[o->neps++];
	memset(e, 0, sizeof *e);
	if (eq)
		memcpy(e->name, arg, nlen);
	snprintf(e->url, sizeof e->url, "%s", url);
}

static void
opt_defaults(struct client_opts *o)
{
	memset(o, 0, sizeof *o);
	o->mode = MODE_RUN;
	o->fps = 25;
	o->frames = 100;
	o->in_flight = 1;
	o->timeout_ms = -1;
	o->connect_timeout_ms = 3000;
	o->samples = 100;
	o->seed = 1;
	o->transport = -1;
	o->sweep.stability = 10;
	o->sweep.max_p99_ms = 100;
	o->sweep.interval_ms = 2000;
	o->sweep.max_windows = 10;
}

static void
opt_mode(struct client_opts *o, int argc, char **argv)
{
	if (optind >= argc)
		return;
	if (strcmp(argv[optind], "run") == 0)
		o->mode = MODE_RUN;
	else if (strcmp(argv[optind], "hello") == 0)
		o->mode = MODE_HELLO;
	else if (strcmp(argv[optind], "echo") == 0)
		o->mode = MODE_ECHO;
	else if (strcmp(argv[optind], "sweep") == 0)
		o->mode = MODE_SWEEP;
	else
		log_usage_error("unknown mode '%s': expected run, sweep, hello "
		    "or echo", argv[optind]);
	if (optind + 1 < argc)
		log_usage_error("unexpected argument '%s'", argv[optind + 1]);
}

/* "--name" of an option, for the messages. */
static const char *
opt_name(int ch)
{
	static char buf[40];
	const struct option *l;

	for (l = longopts; l->name != NULL; l++)
		if (l->val == ch)
			break;
	snprintf(buf, sizeof buf, "--%s", l->name ? l->name : "?");
	return buf;
}

/* FROM:TO[:STEP], a sweep's range, or a number: the value (FROM). */
static double
opt_range(struct client_opts *o, int by, const char *name, const char *s,
    double min, double max)
{
	struct client_sweep_opts *w = &o->sweep;
	char buf[128], *a, *b, *st;

	if (strchr(s, ':') == NULL)
		return opt_num(name, s, min, max);
	if (w->by != 0 && w->by != by)
		log_usage_error("--%s %s: one range at a time", name, s);
	snprintf(buf, sizeof buf, "%s", s);
	a = buf;
	if ((b = strchr(a, ':')) == NULL || (*b++ = '\0', 0))
		log_usage_error("--%s '%s': expected FROM:TO[:STEP]", name, s);
	if ((st = strchr(b, ':')) != NULL)
		*st++ = '\0';
	w->by = by;
	w->from = opt_num(name, a, min, max);
	w->to = opt_num(name, b, w->from, max);
	w->step = st != NULL ? opt_num(name, st, 1e-3, max) : 1;
	return w->from;
}

/* The options of the load a run or a sweep offers; seen: the last of
 * those only the run mode takes. 1 when ch is one of them. */
static int
opt_load(struct client_opts *o, int ch, int *seen)
{
	switch (ch) {
	case 'n': o->frames = opt_int("frames", optarg, 1, 100000000);
	    o->frames_set = 1; *seen = ch; break;
	case OPT_DURATION: o->duration = opt_num("duration", optarg, 0.001, 1e6);
	    *seen = ch; break;
	case OPT_WARMUP: o->warmup = opt_int("warmup", optarg, 0, 100000000);
	    *seen = ch; break;
	case OPT_FPS: o->fps = opt_range(o, 'f', "fps", optarg, 0, 1e6);
	    o->fps_set = 1; break;
	case OPT_ARRIVALS:
		if ((o->arrivals = client_arrivals_kind(optarg)) == -1)
			log_usage_error("--arrivals '%s': expected %s", optarg,
			    client_arrivals_names());
		break;
	case 'k': o->in_flight = (int)opt_range(o, 'k', "in-flight", optarg, 1,
	    CLIENT_INFLIGHT_MAX); break;
	default:
		return 0;
	}
	return 1;
}

/* A sweep's own options: 1 when ch is one of them. */
static int
opt_sweep(struct client_sweep_opts *w, int ch)
{
	switch (ch) {
	case OPT_STABILITY: w->stability = opt_num("stability", optarg, 0.1, 1000); break;
	case OPT_MAX_P99: w->max_p99_ms = opt_num("max-p99-ms", optarg, 0.001, 1e9); break;
	case OPT_INTERVAL: w->interval_ms = opt_num("interval-ms", optarg, 10, 1e8); break;
	case OPT_MAX_WINDOWS: w->max_windows = (int)opt_int("max-windows", optarg, 3, 1000); break;
	default:
		return 0;
	}
	return 1;
}

/* What the mode does not use is refused, not silently ignored. The last
 * option given of those that only the run and sweep modes read
 * (seen[0]), only the run mode (seen[1]), only the sweep mode (seen[2]),
 * or 0. */
static void
opt_check(const struct client_opts *o, const int *seen)
{
	const char *m = client_mode_name(o->mode);
	int n;

	if (o->no_config && (o->config != NULL || o->neps == 0))
		log_usage_error("--no-config goes with --endpoint and without -c");
	if (o->curve_server_key != NULL && o->curve_key == NULL)
		log_usage_error("--curve-server-key goes with --curve-key, our "
		    "key pair");
	if (o->mode != MODE_RUN && seen[1])
		log_usage_error("%s is for the run mode, not %s",
		    opt_name(seen[1]), m);
	if (o->mode != MODE_RUN && o->mode != MODE_SWEEP && seen[0])
		log_usage_error("%s is for the run and sweep modes, not %s",
		    opt_name(seen[0]), m);
	if (o->mode != MODE_SWEEP && (seen[2] || o->sweep.by))
		log_usage_error("%s is for the sweep mode, not %s", seen[2] ?
		    opt_name(seen[2]) : "a range FROM:TO", m);
	if (o->mode == MODE_SWEEP && !o->sweep.by)
		log_usage_error("sweep needs a range: --fps FROM:TO:STEP or "
		    "--in-flight FROM:TO");
	if (o->mode != MODE_RUN && o->mode != MODE_SWEEP && (o->csv || o->svg))
		log_usage_error("--csv and --svg are for the run and sweep modes");
	if (o->frames_set && o->duration > 0)
		log_usage_error("--frames and --duration: one or the other");
	if (o->mode == MODE_HELLO && o->json)
		log_usage_error("--json is for the run and echo modes: hello "
		    "writes no records");
	if (client_report_stdout(o, &n) != NULL && n > 1)
		log_usage_error("only one of %s can write to the standard "
		    "output ('-')", client_report_names());
	if ((o->width != 0) + (o->height != 0) + (o->channels != 0) > 0 &&
	    o->mode == MODE_HELLO)
		log_usage_error("hello sends no array: --width, --height and "
		    "--channels do not apply");
}

static void
opt_parse(struct client_opts *o, int argc, char **argv, int *verbose)
{
	int ch, seen[3] = { 0, 0, 0 };

	opterr = 0;			/* one line of ours instead */
	while ((ch = getopt_long(argc, argv, ":c:e:n:sk:t:qvhV", longopts,
	    NULL)) != -1) {
		if (opt_sweep(&o->sweep, ch)) {
			seen[2] = ch;
			continue;
		}
		if (opt_load(o, ch, &seen[1])) {
			seen[0] = ch;
			continue;
		}
		if (ch == OPT_TRANSPORT)
			seen[0] = ch;
		if (ch == OPT_HGRM || ch == OPT_TRACE)
			seen[1] = ch;
		switch (ch) {
		case 'c': o->config = optarg; break;
		case OPT_NO_CONFIG: o->no_config = 1; break;
		case 'e': opt_endpoint(o, optarg); break;
		case OPT_WIDTH: o->width = opt_int("width", optarg, 1, 1 << 20); break;
		case OPT_HEIGHT: o->height = opt_int("height", optarg, 1, 1 << 20); break;
		case OPT_CHANNELS: o->channels = opt_int("channels", optarg, 1, 4096); break;
		case 's': o->sequential = 1; break;
		case 't': o->timeout_ms = opt_num("timeout-ms", optarg, 1, 1e9); break;
		case OPT_CONNECT_TIMEOUT: o->connect_timeout_ms =
		    opt_num("connect-timeout-ms", optarg, 0, 1e9); break;
		case OPT_SAMPLES: o->samples = opt_int("samples", optarg, 1, 100000000); break;
		case OPT_SEED: o->seed = (uint64_t)opt_num("seed", optarg, 0, 1e18); break;
		case OPT_TRANSPORT:
			if (strcmp(optarg, "shm") == 0)
				o->transport = TRANSPORT_SHM;
			else if (strcmp(optarg, "socket") == 0)
				o->transport = TRANSPORT_TCP;
			else
				log_usage_error("--transport '%s': expected shm or "
				    "socket", optarg);
			break;
		case OPT_CURVE_KEY: o->curve_key = optarg; break;
		case OPT_CURVE_SERVER_KEY: o->curve_server_key = optarg; break;
		case OPT_CSV: o->csv = optarg; break;
		case OPT_JSON: o->json = optarg; break;
		case OPT_SVG: o->svg = optarg; break;
		case OPT_HGRM: o->hgrm = optarg; break;
		case OPT_TRACE: o->trace = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'v': (*verbose)++; break;
		case 'h': usage(stdout); exit(FS_EXIT_OK);
		case 'V': printf("fake-client %s\n", PACKAGE_VERSION); exit(FS_EXIT_OK);
		case ':': log_usage_error("%s needs a value", argv[optind - 1]);
		default: log_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	opt_mode(o, argc, argv);
	opt_check(o, seen);
}

int
main(int argc, char **argv)
{
	struct client_opts o;
	struct client c;
	sigset_t set;
	int verbose = 0, rc;

	log_init(argv[0], LOG_LVL_NORMAL);
	opt_defaults(&o);
	opt_parse(&o, argc, argv, &verbose);
	if (o.quiet)
		verbose = LOG_LVL_QUIET;
	log_setlevel(verbose);
	heap_keep();
	o.progress = !o.quiet && isatty(STDERR_FILENO);

	/* Before libzmq starts its threads: they must not take the signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		fatal("sigprocmask");
	signal(SIGPIPE, SIG_IGN);

	if ((rc = client_setup(&c, &o)) != FS_EXIT_OK) {
		client_setup_free(&c);
		free(o.eps);
		return rc;
	}
	switch (o.mode) {
	case MODE_HELLO: rc = client_hello(&c); break;
	case MODE_ECHO: rc = client_echo(&c); break;
	case MODE_SWEEP: rc = client_sweep(&c); break;
	default: rc = client_run(&c); break;
	}
	client_setup_free(&c);
	free(o.eps);
	return rc;
}
