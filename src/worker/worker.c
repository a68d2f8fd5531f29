/* worker.c: fake-worker's main: options, signals, then the serving loop.
 *
 * fake-worker stands in for one model instance: it answers requests in the
 * seed's two-frame format after a fixed service time, one at a time.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "compat.h"
#include "exitcode.h"
#include "forkmsg.h"
#include "heap.h"
#include "log.h"
#include "worker_batch.h"
#include "worker_forksrv.h"
#include "worker_loop.h"
#include "worker_model.h"
#include "worker_number.h"
#include "worker_opts.h"

#define WORKER_MAX_COST_MS	86400000.0	/* a day, before coef */
/* Long options without a letter of their own. */
#define O_BOXES_MIN	0x180
#define O_BOXES_MAX	0x181

static const char worker_usage_text[] =
    "usage: fake-worker --kind KIND --endpoint ENDPOINT [--name NAME] "
    "[--cost-ms MS]\n"
    "                   [--coef X] [--n-classes N] "
    "[--output-dtype uint8|float64]\n"
    "                   [--boxes-min N] [--boxes-max N]\n"
    "                   [--max-frame-bytes N] [--stats-fd FD --stats-slot N]\n"
    "                   [--cost-dist DIST] [--cost-sd-ms MS] [--cost-sigma S]\n"
    "                   [--cost-shape K] [--cost-min-ms MS] [--cost-max-ms MS]\n"
    "                   [--cost-file FILE] [--seed N]\n"
    "                   [--warmup-requests N --warmup-cost-ms MS] "
    "[--start-delay-ms MS]\n"
    "                   [--error-rate P] [--drop-rate P] [--stall-rate P "
    "--stall-ms MS]\n"
    "                   [--crash-rate P]\n"
    "                   [--batch-max N [--batch-preferred N[,N...]]\n"
    "                    [--batch-max-queue-delay-us US] [--batch-queue-max N]\n"
    "                    [--batch-cost-per-item-ms MS]] [--device-fd FD]\n"
    "                   [--curve-secret FILE --curve-allow DIR|--curve-allow-any]\n"
    "                   [-v|-q] [-h] [-V]\n";

static void
worker_usage(void)
{
	int i;

	fputs(worker_usage_text, stdout);
	fputs("kinds:", stdout);
	for (i = 0; i < KIND__MAX; i++)
		printf("%s %s", i ? "," : "", kind_name((enum kind_id)i));
	putchar('\n');
}

/* A byte count with an optional K, M or G (binary) suffix. */
static int64_t
worker_bytes(const char *opt, const char *s)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	v = strtoull(s, &end, 10);
	if (end != s && *end != '\0' && end[1] == '\0')
		shift = *end == 'K' ? 10 : *end == 'M' ? 20 :
		    *end == 'G' ? 30 : -1;
	if (end == s || s[0] == '-' || shift < 0 ||
	    (shift == 0 && *end != '\0'))
		log_usage_error("--%s: '%s' is not a byte count", opt, s);
	if (v == 0 || v > (1ull << 40) >> shift)
		log_usage_error("--%s: %s is out of range [1, 1T]", opt, s);
	return (int64_t)(v << shift);
}

/* --endpoint: a transport fake-worker serves (tcp or ipc) and a TCP port
 * libzmq does not wrap (99999 would bind 34463). */
static const char *
worker_endpoint(const char *s)
{
	const char *port;
	char *end;
	unsigned long v;

	if (strncmp(s, "ipc://", 6) == 0 && s[6] != '\0')
		return s;
	if (strncmp(s, "tcp://", 6) != 0 || (port = strrchr(s + 6, ':')) == NULL)
		log_usage_error("--endpoint '%s': expected tcp://HOST:PORT or "
		    "ipc://PATH", s);
	if (strcmp(++port, "*") == 0)
		return s;
	v = strtoul(port, &end, 10);
	if (end == port || *end != '\0' || port[0] < '0' || port[0] > '9' || v > 65535)
		log_usage_error("--endpoint '%s': port '%s' is not 0..65535 "
		    "or *", s, port);
	return s;
}

static void
worker_set_name(struct worker_opts *o, const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof o->name ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") != n)
		log_usage_error("--name: '%s' is not 1 to %zu of "
		    "[A-Za-z0-9_.-]", s, sizeof o->name - 1);
	memcpy(o->name, s, n + 1);
}

/* The counters' file and slot, given by fake-servers (wkstats.h). */
static void
worker_stats_option(struct worker_opts *o, int c, const char *arg)
{
	double v = worker_number(c == 'F' ? "stats-fd" : "stats-slot", arg,
	    c == 'F' ? 3 : 0, c == 'F' ? 65535 : WKSTATS_SLOTS_MAX - 1);

	if (v != (long)v)
		log_usage_error("--%s: '%s' is not an integer", c == 'F' ?
		    "stats-fd" : "stats-slot", arg);
	if (c == 'F')
		o->stats_fd = (int)v;
	else
		o->stats_slot = (long)v;
}

/* CURVE: our key pair, and whom we admit (worker_curve.c). */
static void
worker_curve_option(struct worker_opts *o, int c, const char *arg)
{
	if (c == 'K') {
		o->curve_secret = arg;
		return;
	}
	if (o->curve_allow != NULL || o->curve_allow_any)
		log_usage_error("--curve-allow and --curve-allow-any: one of "
		    "them, once");
	o->curve_allow = c == 'A' ? arg : NULL;
	o->curve_allow_any = c == 'Y';
}

/* --boxes-min, --boxes-max: whole numbers of boxes a frame. */
static void
worker_boxes_option(struct worker_opts *o, int c, const char *arg)
{
	const char *opt = c == O_BOXES_MIN ? "boxes-min" : "boxes-max";
	double v = worker_number(opt, arg, 0, KIND_MAX_BOXES);

	if (v != (int)v)
		log_usage_error("--%s: '%s' is not an integer", opt, arg);
	*(c == O_BOXES_MIN ? &o->ko.boxes_min : &o->ko.boxes_max) = (int)v;
}

static const struct option worker_longopts[] = {
	{ "name", required_argument, NULL, 'n' },
	{ "kind", required_argument, NULL, 'k' },
	{ "endpoint", required_argument, NULL, 'e' },
	{ "cost-ms", required_argument, NULL, 'c' },
	{ "coef", required_argument, NULL, 'x' },
	{ "n-classes", required_argument, NULL, 'N' },
	{ "output-dtype", required_argument, NULL, 'o' },
	{ "boxes-min", required_argument, NULL, O_BOXES_MIN },
	{ "boxes-max", required_argument, NULL, O_BOXES_MAX },
	{ "max-frame-bytes", required_argument, NULL, 'M' },
	{ "stats-fd", required_argument, NULL, 'F' },
	{ "stats-slot", required_argument, NULL, 'S' },
	{ "curve-secret", required_argument, NULL, 'K' },
	{ "curve-allow", required_argument, NULL, 'A' },
	{ "curve-allow-any", no_argument, NULL, 'Y' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};
#define WORKER_NOPTS	(FS_NELEM(worker_longopts) + WORKER_MODEL_NOPTS + \
	WORKER_BATCH_NOPTS + 1)

static struct option worker_allopts[WORKER_NOPTS];

static const char *
worker_optname(int c)
{
	size_t i;

	for (i = 0; worker_allopts[i].name != NULL; i++)
		if (worker_allopts[i].val == c)
			return worker_allopts[i].name;
	return "?";
}

static void
worker_option(struct worker_opts *o, int c, const char *arg, int *verbosity)
{
	switch (c) {
	case 'n':
		worker_set_name(o, arg);
		break;
	case 'k':
		if (kind_lookup(arg, &o->kind) == -1)
			log_usage_error("--kind: '%s' is not %s", arg,
			    kind_list());
		break;
	case 'e':
		o->endpoint = worker_endpoint(arg);
		break;
	case 'c':
		o->cost_ms = worker_number("cost-ms", arg, 0,
		    WORKER_MAX_COST_MS);
		break;
	case 'x':
		o->coef = worker_number("coef", arg, 0, 1e6);
		break;
	case 'N':
		o->ko.n_classes = (int)worker_number("n-classes", arg, 1,
		    KIND_MAX_CLASSES);
		if (o->ko.n_classes != atof(arg))
			log_usage_error("--n-classes: '%s' is not an "
			    "integer", arg);
		break;
	case 'o':
		if (strcmp(arg, "uint8") != 0 && strcmp(arg, "float64") != 0)
			log_usage_error("--output-dtype: '%s' is not uint8 "
			    "or float64", arg);
		o->ko.out_float64 = strcmp(arg, "float64") == 0;
		break;
	case O_BOXES_MIN:
	case O_BOXES_MAX:
		worker_boxes_option(o, c, arg);
		break;
	case 'M':
		o->max_frame = worker_bytes("max-frame-bytes", arg);
		break;
	case 'F':
	case 'S':
		worker_stats_option(o, c, arg);
		break;
	case 'K':
	case 'A':
	case 'Y':
		worker_curve_option(o, c, arg);
		break;
	case 'v':
		(*verbosity)++;
		break;
	case 'q':
		*verbosity = LOG_LVL_QUIET;
		break;
	default:
		worker_model_option(o, c, arg);
		break;
	}
}

static void
worker_parse_args(int argc, char **argv, struct worker_opts *o)
{
	int c, verbosity = LOG_LVL_NORMAL, have_kind = 0;

	memcpy(worker_allopts, worker_longopts, sizeof worker_longopts);
	memcpy(worker_allopts + FS_NELEM(worker_longopts),
	    worker_model_longopts, sizeof(worker_model_longopts[0]) *
	    WORKER_MODEL_NOPTS);
	memcpy(worker_allopts + FS_NELEM(worker_longopts) + WORKER_MODEL_NOPTS,
	    worker_batch_longopts, sizeof(worker_batch_longopts[0]) *
	    WORKER_BATCH_NOPTS);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:k:e:c:x:N:o:M:F:S:K:A:YvqhV",
	    worker_allopts, NULL)) != -1) {
		if (c == 'h') {
			worker_usage();
			exit(FS_EXIT_OK);
		} else if (c == 'V') {
			printf("fake-worker %s\n", PACKAGE_VERSION);
			exit(FS_EXIT_OK);
		} else if (c == ':')
			log_usage_error("%s needs a value",
			    argv[optind - 1]);
		else if (c == '?')
			log_usage_error("unknown option '%s'",
			    argv[optind - 1]);
		have_kind |= c == 'k';
		if (c >= WORKER_BATCH_OPT0)
			worker_batch_option(o, c, optarg);
		else
			worker_option(o, c, optarg, &verbosity);
	}
	if (optind < argc)
		log_usage_error("unexpected argument '%s'", argv[optind]);
	if (!have_kind || o->endpoint == NULL)
		log_usage_error("--%s is required",
		    have_kind ? worker_optname('e') : worker_optname('k'));
	if (o->ko.boxes_min > o->ko.boxes_max)
		log_usage_error("--boxes-min %d is more than --boxes-max %d",
		    o->ko.boxes_min, o->ko.boxes_max);
	if ((o->stats_fd == -1) != (o->stats_slot == -1))
		log_usage_error("--stats-fd and --stats-slot go together");
	if ((o->curve_secret != NULL) != (o->curve_allow != NULL ||
	    o->curve_allow_any))
		log_usage_error("--curve-secret goes with --curve-allow DIR or "
		    "--curve-allow-any");
	if (o->cost_ms * o->coef > WORKER_MAX_BUDGET_MS)
		log_usage_error("cost %g ms x coef %g is over %g ms",
		    o->cost_ms, o->coef, WORKER_MAX_BUDGET_MS);
	worker_model_finish(o);
	worker_batch_finish(o);
	log_setlevel(verbosity);
}

/* Signals are read from a signalfd in the loop; block them before libzmq
 * starts threads that would otherwise inherit an open mask. */
static int
worker_signals(void)
{
	sigset_t set;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);	/* CURVE: read allow_dir again */
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		fatal("sigprocmask");
	sigdelset(&set, SIGHUP);	/* worker_curve.c reads it */
	if ((fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("signalfd");
	return fd;
}

int
main(int argc, char **argv)
{
	struct worker_opts opts = {
		.name = "fake-worker",
		.cost_ms = 0,
		.coef = 1,
		.ko.n_classes = 4,
		.ko.boxes_max = 16,
		.max_frame = WORKER_MAX_FRAME,
		.stats_fd = -1,
		.stats_slot = -1,
		.device_fd = -1,
	};
	char err[256];
	int sigfd, rc;

	log_init(argv[0], LOG_LVL_NORMAL);
	if (argc > 1 && strcmp(argv[1], FORKMSG_OPT) == 0) {
		argc = worker_forksrv(argc, argv, &argv);
		log_init(argv[0], LOG_LVL_NORMAL);	/* a worker now */
	}
	cost_init(&opts.cost, 0);
	sigfd = worker_signals();
	worker_parse_args(argc, argv, &opts);
	log_journal_ident(opts.name);
	heap_keep();
	if (opts.stats_fd != -1 && wkstats_attach(&opts.stats, opts.stats_fd,
	    opts.stats_slot, err, sizeof err) == -1)
		log_warnx("%s: requests not counted: %s", opts.name, err);
	rc = worker_loop_run(&opts, sigfd);
	wkstats_detach(&opts.stats);
	device_detach(&opts.device);
	close(sigfd);
	return rc;
}
