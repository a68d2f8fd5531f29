/* servers_opts.c: the command line of fake-servers: its options, what was
 * wrong with them, the worker program to run, and the absolute paths a
 * daemon needs once it has left the directory it was started in. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcode.h"
#include "log.h"
#include "servers_opts.h"

#define SERVERS_OPTS_WORKER	"fake-worker"

static void FS_DEAD
servers_opts_usage(void)
{
	printf("usage: fake-servers [-n] [-v|-q] [-c FILE] [-s SOCKET] [--worker PATH]\n"
	    "                    [--no-fork-server] [--daemon [--pidfile FILE]]\n"
	    "                    [--log FILE] [-h] [-V]\n");
	exit(FS_EXIT_OK);
}

/* Keep a path made here, to free it at the end. */
static const char *
servers_opts_own(struct servers_opts *o, char *p)
{
	if (o->nown == (int)FS_NELEM(o->own))
		fatalx("servers_opts_own: too many paths");
	return o->own[o->nown++] = p;
}

/* dir/path, malloc'd. */
static char *
servers_opts_join(const char *dir, const char *path)
{
	char *p;

	if (asprintf(&p, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, path) == -1)
		fatal("asprintf");
	return p;
}

/* path as given, or made absolute against the current directory. */
static const char *
servers_opts_abs(struct servers_opts *o, const char *path)
{
	if (path == NULL || path[0] == '/')
		return path;
	return servers_opts_own(o, servers_opts_join(o->cwd, path));
}

static void
servers_opts_absolute(struct servers_opts *o)
{
	if ((o->cwd = getcwd(NULL, 0)) == NULL)
		fatal("cannot tell the current directory");
	o->conf = servers_opts_abs(o, o->conf);
	o->sock = servers_opts_abs(o, o->sock);
	o->worker = servers_opts_abs(o, o->worker);
	o->pidfile = servers_opts_abs(o, o->pidfile);
	o->log = servers_opts_abs(o, o->log);
}

static void
servers_opts_check(int argc, char **argv, struct servers_opts *o)
{
	if (optind != argc)
		log_usage_error("unexpected argument '%s'", argv[optind]);
	if (o->pidfile != NULL && !o->daemon)
		log_usage_error("--pidfile goes with --daemon");
	if (o->check && (o->daemon || o->log != NULL))
		log_usage_error("-n checks the configuration only: no --daemon or --log");
}

void
servers_opts_parse(int argc, char **argv, struct servers_opts *o)
{
	static const struct option longopts[] = {
		{ "worker", required_argument, NULL, 'W' },
		{ "daemon", no_argument, NULL, 'D' },
		{ "pidfile", required_argument, NULL, 'P' },
		{ "log", required_argument, NULL, 'L' },
		{ "no-fork-server", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(o, 0, sizeof *o);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":nvqc:s:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n': o->check = 1; break;
		case 'v': o->verbose++; break;
		case 'q': o->verbose = -1; break;
		case 'c': o->conf = optarg; break;
		case 's': o->sock = optarg; break;
		case 'W': o->worker = optarg; break;
		case 'D': o->daemon = 1; break;
		case 'P': o->pidfile = optarg; break;
		case 'L': o->log = optarg; break;
		case 'F': o->no_fork_server = 1; break;
		case 'h': servers_opts_usage();
		case 'V': printf("fake-servers %s\n", PACKAGE_VERSION); exit(FS_EXIT_OK);
		case ':': log_usage_error("%s needs a value", argv[optind - 1]);
		default: log_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	servers_opts_check(argc, argv, o);
	if (o->conf == NULL)
		o->conf = conf_default_path();
	if (o->worker == NULL)
		o->worker = getenv("FAKE_WORKER");
	if (o->daemon)
		servers_opts_absolute(o);
}

/* 0 if path is a program we may run, else -1 with errno set. */
static int
servers_opts_runnable(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EACCES;
		return -1;
	}
	return access(path, X_OK);
}

/* fake-worker in the directory of this very program (a build tree's
 * programs sit side by side): a malloc'd path, or NULL. */
static char *
servers_opts_beside(void)
{
	char self[PATH_MAX], *slash;
	ssize_t n;

	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		return NULL;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return NULL;
	*slash = '\0';
	return servers_opts_join(self, SERVERS_OPTS_WORKER);
}

int
servers_opts_worker(struct servers_opts *o)
{
	const char *installed = BINDIR "/" SERVERS_OPTS_WORKER;
	char *beside;
	int saved;

	if (o->worker != NULL) {
		if (servers_opts_runnable(o->worker) == 0)
			return 0;
		log_warn("cannot run the worker program %s", o->worker);
		return -1;
	}
	if ((beside = servers_opts_beside()) != NULL) {
		if (servers_opts_runnable(beside) == 0) {
			o->worker = servers_opts_own(o, beside);
			return 0;
		}
		if (strcmp(beside, installed) == 0) {
			free(beside);
			beside = NULL;
		}
	}
	if (servers_opts_runnable(installed) == 0) {
		free(beside);
		o->worker = installed;
		return 0;
	}
	saved = errno;
	log_warnx("no worker program at %s%s%s (%s): give one with --worker PATH",
	    beside ? beside : "", beside ? " or " : "", installed, strerror(saved));
	free(beside);
	return -1;
}

static int
servers_opts_conf_path(const char *cwd, char *path, size_t len, const char *key)
{
	char *abs;
	int rc = 0;

	if (path[0] == '/')
		return 0;
	abs = servers_opts_join(cwd, path);
	if (strlen(abs) >= len) {
		log_warnx("%s %s: too long once made absolute for --daemon", key, path);
		rc = -1;
	} else
		memcpy(path, abs, strlen(abs) + 1);
	free(abs);
	return rc;
}

int
servers_opts_conf(const char *cwd, struct conf *c)
{
	if (cwd == NULL)
		return 0;
	if (servers_opts_conf_path(cwd, c->control, sizeof c->control, "control") == -1 ||
	    servers_opts_conf_path(cwd, c->ipc_dir, sizeof c->ipc_dir, "ipc_dir") == -1)
		return -1;
	return 0;
}

void
servers_opts_free(struct servers_opts *o)
{
	while (o->nown > 0)
		free(o->own[--o->nown]);
	free(o->cwd);
	o->cwd = NULL;
}
