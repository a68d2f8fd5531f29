/* ctl.c: fake-serversctl, the control tool of fake-servers.
 *
 * Sends one versioned JSON request over the daemon's control socket and
 * prints the reply: a table (or the JSON itself with -j) for status, the
 * workers acted on otherwise. keygen writes a CURVE key pair instead, with
 * no daemon. Exit: 0 ok, 1 the command failed, 64 usage, 69 the daemon is
 * not reachable (keygen: libsodium cannot be initialised).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cert.h"
#include "cert_key.h"
#include "conf.h"
#include "ctl.h"
#include "ctlproto.h"
#include "exitcode.h"
#include "log.h"

#define CTL_TIMEOUT_S		30

static void FS_DEAD
usage(void)
{
	printf("usage: fake-serversctl [-j] [-c FILE | -s SOCKET] command\n"
	    "commands: status | stats | start NAME|all | stop NAME|all |\n"
	    "          restart NAME|all | reset NAME|all | reload |\n"
	    "          set NAME|all KEY=VALUE...\n"
	    "       fake-serversctl keygen DIR NAME\n");
	exit(FS_EXIT_OK);
}

/* keygen DIR NAME: DIR/NAME.key and DIR/NAME.key_secret. */
static int
ctl_keygen(int argc, char **argv)
{
	char err[512];
	const char *why;
	struct cert c;
	int rc;

	if (argc != 2)
		log_usage_error("'keygen' takes a directory and a NAME");
	if ((why = cert_bad_name(argv[1])) != NULL) {
		log_warnx("keygen '%s': %s", argv[1], why);
		return FS_EXIT_USAGE;
	}
	if (cert_key_generate(&c) == -1) {
		log_warnx("keygen: libsodium cannot make CURVE keys: %s",
		    strerror(errno));
		return FS_EXIT_UNAVAIL;
	}
	if ((rc = cert_save(&c, argv[0], argv[1], err, sizeof err)) == 0)
		printf("%s/%s.key_secret: the key pair (mode 0600, keep it here)\n"
		    "%s/%s.key: the public key, for the peers: %s\n", argv[0],
		    argv[1], argv[0], argv[1], c.public_txt);
	else
		log_warnx("keygen: %s", err);
	cert_clear(&c);
	return rc == 0 ? FS_EXIT_OK : FS_EXIT_FAILURE;
}

static int
ctl_is_socket(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* -s, else the config's control path, else the systemd unit's one. A
 * config named by -c must load: 0, or -1 after printing its errors. */
static int
ctl_socket_path(const char *sock, const char *conf, char *buf, size_t len)
{
	struct conf_errors errs = { 0 };
	struct conf *c;

	if (sock != NULL) {
		snprintf(buf, len, "%s", sock);
		return 0;
	}
	c = conf_load(conf != NULL ? conf : conf_default_path(), CONF_F_INCLUDE_DIR, &errs);
	if (c == NULL && conf != NULL)
		conf_errors_print(stderr, &errs);
	conf_errors_free(&errs);
	if (c == NULL && conf != NULL)
		return -1;
	if (c == NULL) {
		snprintf(buf, len, "%s", CONF_DEFAULT_CONTROL);
		return 0;
	}
	snprintf(buf, len, "%s", c->control);
	conf_free(&c);
	/* The unit passes -s with its RuntimeDirectory to the daemon. */
	if (!ctl_is_socket(buf) && ctl_is_socket(CONF_DEFAULT_CONTROL))
		snprintf(buf, len, "%s", CONF_DEFAULT_CONTROL);
	return 0;
}

static int
ctl_connect(const char *path)
{
	struct sockaddr_un sa;
	struct timeval tv = { CTL_TIMEOUT_S, 0 };
	int fd;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		log_warnx("control socket path too long: %s", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("socket");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
		log_warnx("cannot connect to %s: %s%s", path, strerror(errno),
		    errno == EACCES || errno == EPERM ?
		    "; only the daemon's user, root or its control_group may control it" :
		    "; is fake-servers running?");
		close(fd);
		return -1;
	}
	return fd;
}

/* Send the request, return the parsed reply or NULL (after a message). */
static json_t *
ctl_call(int fd, const struct ctl_req *r)
{
	char *req, *buf, err[256];
	json_t *reply = NULL;
	ssize_t n;

	if ((req = ctlproto_request(r)) == NULL || (buf = malloc(CTLPROTO_REPLY_MAX)) == NULL) {
		log_warnx("out of memory");
		free(req);
		return NULL;
	}
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) == -1)
		log_warn("cannot send the request");
	else if ((n = recv(fd, buf, CTLPROTO_REPLY_MAX, 0)) <= 0)
		log_warnx("no reply from fake-servers: %s",
		    n == 0 ? "connection closed" : strerror(errno));
	else if ((reply = ctlproto_parse_reply(buf, (size_t)n, err, sizeof err)) == NULL)
		log_warnx("bad reply from fake-servers: %s", err);
	free(req);
	free(buf);
	return reply;
}

static void
ctl_fmt_uptime(double s, char *buf, size_t len)
{
	if (s <= 0)
		snprintf(buf, len, "-");
	else if (s < 60)
		snprintf(buf, len, "%.1fs", s);
	else if (s < 3600)
		snprintf(buf, len, "%dm%02ds", (int)s / 60, (int)s % 60);
	else
		snprintf(buf, len, "%dh%02dm", (int)s / 3600, (int)s % 3600 / 60);
}

static const char *
ctl_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "-";
}

/* The width of a text column: its widest value, at least min. */
static int
ctl_width(json_t *ws, const char *key, int min)
{
	json_t *w;
	size_t i, n, max = (size_t)min;

	json_array_foreach(ws, i, w)
		if ((n = strlen(ctl_str(w, key))) > max)
			max = n;
	return max > 512 ? 512 : (int)max;
}

/* A worker's faults in one word: "error=0.1,stall=0.01,stall_ms=500",
 * or "-". */
static void
ctl_faults(json_t *w, char *buf, size_t len)
{
	const char *k, *e;
	size_t n = 0;
	json_t *v;

	buf[0] = '\0';
	json_object_foreach(json_object_get(w, "faults"), k, v) {
		if (n >= len || json_number_value(v) == 0)
			continue;
		e = strstr(k, "_rate");
		n += (size_t)snprintf(buf + n, len - n, "%s%.*s=%g",
		    n ? "," : "", e != NULL ? (int)(e - k) : (int)strlen(k),
		    k, json_number_value(v));
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
}

static void
ctl_print_status(json_t *o)
{
	json_t *ws = json_object_get(o, "workers"), *w;
	int wid = ctl_width(ws, "id", 24), wkind = ctl_width(ws, "kind", 14),
	    wep = ctl_width(ws, "endpoint", 28);
	char up[32], pid[16], faults[256];
	size_t i, n;
	int wf = 6;

	json_array_foreach(ws, i, w) {
		ctl_faults(w, faults, sizeof faults);
		if ((n = strlen(faults)) > (size_t)wf)
			wf = (int)n;
	}
	printf("%-*s %-*s %-*s %9s %-8s %7s %8s %8s %-*s %s\n", wid, "NAME",
	    wkind, "KIND", wep, "ENDPOINT", "COST_MS", "STATE", "PID", "UPTIME",
	    "RESTARTS", wf, "FAULTS", "LAST EXIT");
	json_array_foreach(ws, i, w) {
		ctl_fmt_uptime(json_real_value(json_object_get(w, "uptime_s")), up, sizeof up);
		if (json_integer_value(json_object_get(w, "pid")) > 0)
			snprintf(pid, sizeof pid, "%lld",
			    (long long)json_integer_value(json_object_get(w, "pid")));
		else
			snprintf(pid, sizeof pid, "-");
		ctl_faults(w, faults, sizeof faults);
		printf("%-*s %-*s %-*s %9.3f %-8s %7s %8s %8lld %-*s %s\n",
		    wid, ctl_str(w, "id"), wkind, ctl_str(w, "kind"),
		    wep, ctl_str(w, "endpoint"),
		    json_real_value(json_object_get(w, "cost_ms")),
		    ctl_str(w, "state"), pid, up,
		    (long long)json_integer_value(json_object_get(w, "restarts")),
		    wf, faults, ctl_str(w, "last_exit"));
	}
	printf("%s\n", json_string_value(json_object_get(o, "summary")));
}

/* Is the string v in the array a (NULL from an older daemon: no)? */
static int
ctl_in(json_t *a, json_t *v)
{
	json_t *x;
	size_t i;

	json_array_foreach(a, i, x)
		if (json_equal(x, v))
			return 1;
	return 0;
}

static void
ctl_print(const struct ctl_req *r, json_t *o, int json)
{
	json_t *w;
	size_t i;

	if (json) {
		json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else if (r->cmd == CTL_STATUS)
		ctl_print_status(o);
	else if (r->cmd == CTL_STATS)
		ctl_print_stats(o);
	else if (r->cmd == CTL_RELOAD)
		printf("reloaded\n");
	else if (r->cmd == CTL_SET)
		json_array_foreach(json_object_get(o, "workers"), i, w)
			printf("%s: set\n", json_string_value(w));
	else
		json_array_foreach(json_object_get(o, "workers"), i, w)
			printf("%s: %s\n", json_string_value(w),
			    ctl_in(json_object_get(o, "already"), w) ?
			    (r->cmd == CTL_STOP ? "already stopped" : "already running") :
			    ctlproto_cmd_name(r->cmd));
}

/* set's KEY=VALUE arguments, checked by the daemon. */
static void
ctl_parse_set(int argc, char **argv, struct ctl_req *r)
{
	int i;

	if (argc < 3)
		log_usage_error("'set' takes a worker NAME or 'all' and "
		    "KEY=VALUE...");
	if (argc - 2 > CTLPROTO_SET_MAX)
		log_usage_error("'set' takes at most %d KEY=VALUE",
		    CTLPROTO_SET_MAX);
	for (i = 2; i < argc; i++) {
		if (strchr(argv[i], '=') == NULL)
			log_usage_error("'set': '%s' is not KEY=VALUE", argv[i]);
		if (snprintf(r->set[r->nset++], CTLPROTO_SET_LEN, "%s",
		    argv[i]) >= CTLPROTO_SET_LEN)
			log_usage_error("'set': '%.32s...' is too long (at most "
			    "%d bytes)", argv[i], CTLPROTO_SET_LEN - 1);
	}
}

static void
ctl_parse_cmd(int argc, char **argv, struct ctl_req *r)
{
	if (argc < 1)
		log_usage_error("no command");
	if (ctlproto_cmd_lookup(argv[0], &r->cmd) == -1)
		log_usage_error("unknown command '%s'", argv[0]);
	r->nset = 0;
	if (r->cmd == CTL_SET) {
		ctl_parse_set(argc, argv, r);
		argc = 2;
	}
	if (argc != 1 + ctlproto_cmd_takes_name(r->cmd))
		log_usage_error("'%s' takes %s", argv[0],
		    ctlproto_cmd_takes_name(r->cmd) ? "a worker NAME or 'all'" : "no argument");
	r->name[0] = '\0';
	if (argc == 2 && argv[1][0] == '\0')
		log_usage_error("'%s' takes a worker NAME or 'all', not an empty one", argv[0]);
	if (argc == 2 && snprintf(r->name, sizeof r->name, "%s", argv[1]) >= (int)sizeof r->name)
		log_usage_error("worker name too long (at most %zu bytes)", sizeof r->name - 1);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *sock = NULL, *conf = NULL;
	char path[1024];
	struct ctl_req r;
	json_t *reply;
	int ch, json = 0, fd, ok;

	log_init(argv[0], LOG_LVL_NORMAL);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":jc:s:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j': json = 1; break;
		case 'c': conf = optarg; break;
		case 's': sock = optarg; break;
		case 'h': usage();
		case 'V': printf("fake-serversctl %s\n", PACKAGE_VERSION); return FS_EXIT_OK;
		case ':': log_usage_error("%s needs a value", argv[optind - 1]);
		default: log_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc && strcmp(argv[optind], "keygen") == 0)
		return ctl_keygen(argc - optind - 1, argv + optind + 1);
	ctl_parse_cmd(argc - optind, argv + optind, &r);
	if (ctl_socket_path(sock, conf, path, sizeof path) == -1)
		return FS_EXIT_CONFIG;
	if ((fd = ctl_connect(path)) == -1)
		return FS_EXIT_UNAVAIL;
	reply = ctl_call(fd, &r);
	close(fd);
	if (reply == NULL)
		return FS_EXIT_UNAVAIL;
	if ((ok = json_is_true(json_object_get(reply, "ok"))))
		ctl_print(&r, reply, json);
	else if (json)
		ctl_print(&r, reply, json);
	if (!ok)
		log_warnx("%s: %s", ctlproto_cmd_name(r.cmd),
		    json_string_value(json_object_get(reply, "error")));
	json_decref(reply);
	return ok ? FS_EXIT_OK : FS_EXIT_FAILURE;
}
