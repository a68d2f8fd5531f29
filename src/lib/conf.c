/* conf.c: load the configuration file, and what programs ask of it.
 *
 * Loading reads each file whole (so a binary file or an unreadable one gets
 * a clear message), lets conf_text_prepare vet the bytes, hands the text to
 * libconfig (conf_parse.c), merges the workers of fake-servers.d, then runs
 * the pure checks of conf_validate.c. Every problem found on the way is
 * kept; the caller gets a struct only when there was none.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_priv.h"
#include "exitcode.h"

static const char *const kind_names[] = {
	"segmentation", "classification", "echo", NULL
};
static const char *const transport_names[] = { "tcp", "ipc", "shm", NULL };
static const char *const policy_names[] = {
	"no", "on-failure", "always", NULL
};

#define DAY_MS	"86400000"
#define FRAME_RANGE	"1024..4294967296"
#define KEY(name, type, st, field)	\
	name, type, offsetof(struct st, field), sizeof(((struct st *)0)->field)

const struct conf_key conf_top_keys[TK__MAX] = {
	{ KEY("coef", CV_NUM, conf, coef), 0, 1e6, 1, "> 0, <= 1000000", 0 },
	{ KEY("bind", CV_STR, conf, bind), 0, 0, 0, NULL, NULL },
	{ KEY("control", CV_STR, conf, control), 0, 0, 0, NULL, NULL },
	{ KEY("control_group", CV_STR, conf, control_group), 0, 0, 0, NULL,
	    NULL },
	{ KEY("ipc_dir", CV_STR, conf, ipc_dir), 0, 0, 0, NULL, NULL },
	{ KEY("max_frame_bytes", CV_I64, conf, max_frame_bytes),
	    CONF_MAX_FRAME_MIN, CONF_MAX_FRAME_MAX, 0, FRAME_RANGE, NULL },
	{ KEY("metrics", CV_STR, conf, metrics), 0, 0, 0, NULL, NULL },
	{ KEY("restart", CV_GROUP, conf, restart), 0, 0, 0, NULL, NULL },
	{ "workers", CV_LIST, 0, 0, 0, 0, 0, NULL, NULL },
};

const struct conf_key conf_restart_keys[RK__MAX] = {
	{ KEY("policy", CV_ENUM, conf_restart, mode), 0, 0, 0, NULL,
	    policy_names },
	{ KEY("backoff_min_ms", CV_NUM, conf_restart, backoff_min_ms),
	    0, 864e5, 1, "> 0, <= " DAY_MS, NULL },
	{ KEY("backoff_max_ms", CV_NUM, conf_restart, backoff_max_ms),
	    0, 864e5, 1, "> 0, <= " DAY_MS, NULL },
	{ KEY("burst", CV_INT, conf_restart, burst),
	    1, CONF_BURST_MAX, 0, "1..32", NULL },
	{ KEY("interval_s", CV_NUM, conf_restart, interval_s),
	    0, 86400, 1, "> 0, <= 86400", NULL },
	{ KEY("min_uptime_ms", CV_NUM, conf_restart, min_uptime_ms),
	    0, 864e5, 0, "0.." DAY_MS, NULL },
	{ KEY("start_timeout_ms", CV_NUM, conf_restart, start_timeout_ms),
	    0, 864e5, 1, "> 0, <= " DAY_MS, NULL },
	{ KEY("stop_timeout_ms", CV_NUM, conf_restart, stop_timeout_ms),
	    0, 864e5, 1, "> 0, <= " DAY_MS, NULL },
};

const struct conf_key conf_worker_keys[WK__MAX] = {
	{ KEY("name", CV_STR, conf_worker, name), 0, 0, 0, NULL, NULL },
	{ KEY("kind", CV_ENUM, conf_worker, kind), 0, 0, 0, NULL, kind_names },
	{ KEY("port", CV_INT, conf_worker, port), 1, 65535, 0, "1..65535",
	    NULL },
	{ KEY("cost_ms", CV_NUM, conf_worker, cost_ms), 0, 864e5, 0,
	    "0.." DAY_MS, NULL },
	{ KEY("coef", CV_NUM, conf_worker, coef), 0, 1e6, 1,
	    "> 0, <= 1000000", NULL },
	{ KEY("replicas", CV_INT, conf_worker, replicas), 1,
	    CONF_REPLICAS_MAX, 0, "1..256", NULL },
	{ KEY("n_classes", CV_INT, conf_worker, n_classes), 1, 65536, 0,
	    "1..65536", NULL },
	{ KEY("window", CV_INT, conf_worker, window), 1, CONF_WINDOW_MAX, 0,
	    "1..1024", NULL },
	{ KEY("host", CV_STR, conf_worker, host), 0, 0, 0, NULL, NULL },
	{ KEY("output_dtype", CV_STR, conf_worker, output_dtype), 0, 0, 0,
	    NULL, NULL },
	{ KEY("transport", CV_ENUM, conf_worker, transport), 0, 0, 0, NULL,
	    transport_names },
	{ KEY("max_frame_bytes", CV_I64, conf_worker, max_frame_bytes),
	    CONF_MAX_FRAME_MIN, CONF_MAX_FRAME_MAX, 0, FRAME_RANGE, NULL },
	{ KEY("restart", CV_GROUP, conf_worker, restart), 0, 0, 0, NULL,
	    NULL },
};

const char *
conf_kind_name(enum conf_kind k)
{
	return (unsigned)k < FS_NELEM(kind_names) - 1 ? kind_names[k] : "?";
}

const char *
conf_transport_name(enum conf_transport t)
{
	return (unsigned)t < FS_NELEM(transport_names) - 1 ?
	    transport_names[t] : "?";
}

const char *
conf_restart_name(enum conf_restart_mode m)
{
	return (unsigned)m < FS_NELEM(policy_names) - 1 ?
	    policy_names[m] : "?";
}

const char *
conf_intern(const char *s)
{
	static struct interned {
		struct interned *next;
		char	s[];
	} *head;
	struct interned *e;
	size_t n = strlen(s);

	for (e = head; e != NULL; e = e->next)
		if (strcmp(e->s, s) == 0)
			return e->s;
	if ((e = malloc(sizeof *e + n + 1)) == NULL)
		return "?";
	memcpy(e->s, s, n + 1);
	e->next = head;
	head = e;
	return e->s;
}

size_t
conf_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size > 0) {
		size_t m = n < size - 1 ? n : size - 1;
		memcpy(dst, src, m);
		dst[m] = '\0';
	}
	return n;
}

void
conf_worker_label(char *buf, size_t len, const char *name)
{
	int cut = strlen(name) >= CONF_NAME_MAX;

	snprintf(buf, len, "worker '%.*s%s': ", CONF_NAME_MAX - 1, name,
	    cut ? "..." : "");
}

const char *
conf_default_path(void)
{
	return SYSCONFDIR "/fake-servers/fake-servers.conf";
}

/* Where an error goes in the sorted list: its file's first error, line. */
static unsigned long long
errors_at(const struct conf_errors *e, const char *file, int line)
{
	size_t j, flen = strlen(file);

	for (j = 0; j < e->n; j++)
		if (strncmp(e->msg[j], file, flen) == 0 &&
		    e->msg[j][flen] == ':')
			break;
	if (j < e->n)
		j = e->at[j] >> 32;
	return (unsigned long long)j << 32 | (unsigned)(line > 0 ? line : 0);
}

static int
errors_grow(struct conf_errors *e)
{
	size_t cap = e->cap ? 2 * e->cap : 16;
	char **m;
	unsigned long long *at;

	if ((m = realloc(e->msg, cap * sizeof *m)) == NULL)
		return -1;
	e->msg = m;
	if ((at = realloc(e->at, cap * sizeof *at)) == NULL)
		return -1;
	e->at = at;
	e->cap = cap;
	return 0;
}

void
conf_errors_add(struct conf_errors *e, const char *file, int line,
    const char *fmt, ...)
{
	char msg[1024], *p;
	va_list ap;
	int n;

	if (e->n > CONF_ERRORS_MAX || (e->n == e->cap && errors_grow(e) == -1))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	e->at[e->n] = errors_at(e, file, line);
	if (e->n == CONF_ERRORS_MAX) {	/* stays last when sorted */
		snprintf(msg, sizeof msg, "too many errors, giving up");
		e->at[e->n] = ~0ULL;
		line = 0;
	}
	if (line > 0)
		n = asprintf(&e->msg[e->n], "%s:%d: %s", file, line, msg);
	else
		n = asprintf(&e->msg[e->n], "%s: %s", file, msg);
	if (n < 0)
		return;
	for (p = e->msg[e->n++]; *p != '\0'; p++)	/* one line, no escapes */
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* Stable insertion sort of the errors from index from on: by file (in
 * the order they were read), then line. Error lists are short. */
static void
conf_errors_sort(struct conf_errors *e, size_t from)
{
	size_t i, j;
	unsigned long long at;
	char *m;

	for (i = from + 1; i < e->n; i++) {
		at = e->at[i];
		m = e->msg[i];
		for (j = i; j > from && e->at[j - 1] > at; j--) {
			e->at[j] = e->at[j - 1];
			e->msg[j] = e->msg[j - 1];
		}
		e->at[j] = at;
		e->msg[j] = m;
	}
}

void
conf_errors_print(FILE *f, const struct conf_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		fprintf(f, "%s\n", e->msg[i]);
}

void
conf_errors_free(struct conf_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->msg[i]);
	free(e->msg);
	free(e->at);
	e->msg = NULL;
	e->at = NULL;
	e->n = e->cap = 0;
}

/* A regular file, whole, NUL-terminated. NULL with the error reported. */
static char *
read_file(const char *path, size_t *lenp, struct conf_errors *errs)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd;

	/* O_NONBLOCK: opening a FIFO would wait for a writer. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1 ||
	    fstat(fd, &st) == -1)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		conf_errors_add(errs, path, 0, "cannot read: not a regular file");
		close(fd);
		return NULL;
	}
	if ((buf = malloc(CONF_FILE_MAX + 1)) == NULL)
		goto fail;
	while ((n = read(fd, buf + len, CONF_FILE_MAX + 1 - len)) > 0)
		if ((len += (size_t)n) > CONF_FILE_MAX)
			break;
	if (n == -1)
		goto fail;
	close(fd);
	if (len > CONF_FILE_MAX) {
		conf_errors_add(errs, path, 0, "cannot read: larger than %d "
		    "bytes", CONF_FILE_MAX);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
fail:
	conf_errors_add(errs, path, 0, "cannot read: %s", strerror(errno));
	free(buf);
	if (fd != -1)
		close(fd);
	return NULL;
}

/* Parse one text into c. -1 if it could not be parsed at all. */
static int
conf_parse_buf(struct conf *c, const char *buf, size_t len, const char *file,
    int main, struct conf_errors *errs)
{
	char *text;
	int empty, rc = 0;

	if ((text = conf_text_prepare(buf, len, file, errs, &empty)) == NULL)
		return -1;
	if (!empty)
		rc = conf_parse_text(c, text, file, main, errs);
	free(text);
	return rc;
}

/* Parse a file into c: 0, -1 if it could not be parsed, -2 not read. */
static int
conf_parse_file(struct conf *c, const char *path, int main,
    struct conf_errors *errs)
{
	char *buf;
	size_t len;
	int rc;

	if ((buf = read_file(path, &len, errs)) == NULL)
		return -2;
	rc = conf_parse_buf(c, buf, len, path, main, errs);
	free(buf);
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
is_conf_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".conf") == 0;
}

/* The *.conf names in dir, sorted; *n of them. NULL and *n = 0 if none. */
static char **
list_dir(const char *dir, size_t *n, struct conf_errors *errs)
{
	DIR *d;
	struct dirent *de;
	char **v = NULL, **nv;
	size_t cap = 0;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		if (errno != ENOENT && errno != ENOTDIR)
			conf_errors_add(errs, dir, 0, "cannot read: %s",
			    strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_conf_name(de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((nv = realloc(v, cap * sizeof *v)) == NULL)
				break;
			v = nv;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			break;
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof *v, name_cmp);
	return v;
}

/* Merge <dir of path>/fake-servers.d/ *.conf. -1 on a file not parsed. */
static int
conf_parse_dir(struct conf *c, const char *path, struct conf_errors *errs)
{
	const char *slash = strrchr(path, '/');
	int plen = slash ? (int)(slash - path) + 1 : 0;
	char dir[CONF_PATH_MAX], file[2 * CONF_PATH_MAX], **names;
	size_t i, n;
	int rc = 0;

	snprintf(dir, sizeof dir, "%.*sfake-servers.d", plen, path);
	names = list_dir(dir, &n, errs);
	for (i = 0; i < n; i++) {
		snprintf(file, sizeof file, "%s/%s", dir, names[i]);
		if (conf_parse_file(c, file, 0, errs) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

static struct conf *
conf_finish(struct conf *c, int parsed, size_t nerrs, struct conf_errors *errs)
{
	/* A file libconfig could not parse leaves the struct incomplete:
	 * validating it would only add noise ("no workers defined"). */
	if (parsed == 0)
		conf_validate(c, errs);
	conf_errors_sort(errs, nerrs);
	if (errs->n == nerrs)
		return c;
	conf_free(&c);
	return NULL;
}

struct conf *
conf_load(const char *path, int flags, struct conf_errors *errs)
{
	struct conf *c;
	size_t nerrs = errs->n;
	int rc;

	if ((c = malloc(sizeof *c)) == NULL) {
		conf_errors_add(errs, path, 0, "out of memory");
		return NULL;
	}
	conf_defaults(c, path);
	if ((rc = conf_parse_file(c, path, 1, errs)) == -2) {
		conf_free(&c);
		return NULL;
	}
	if ((flags & CONF_F_INCLUDE_DIR) && conf_parse_dir(c, path, errs) == -1)
		rc = -1;
	return conf_finish(c, rc, nerrs, errs);
}

struct conf *
conf_load_string(const char *text, const char *name, struct conf_errors *errs)
{
	struct conf *c;
	size_t nerrs = errs->n;
	int rc;

	if (name == NULL)
		name = "(string)";
	if ((c = malloc(sizeof *c)) == NULL) {
		conf_errors_add(errs, name, 0, "out of memory");
		return NULL;
	}
	conf_defaults(c, name);
	rc = conf_parse_buf(c, text, strlen(text), name, 1, errs);
	return conf_finish(c, rc, nerrs, errs);
}

void
conf_free(struct conf **cp)
{
	if (cp == NULL || *cp == NULL)
		return;
	free((*cp)->workers);
	free(*cp);
	*cp = NULL;
}

int
conf_check(const char *path, int flags, int verbose, FILE *out, FILE *err)
{
	struct conf_errors errs = { NULL, 0, 0, NULL };
	struct conf *c;

	if ((c = conf_load(path, flags, &errs)) == NULL) {
		conf_errors_print(err, &errs);
		conf_errors_free(&errs);
		return FS_EXIT_CONFIG;
	}
	if (verbose)
		conf_print(out, c);
	fprintf(out, "configuration OK\n");
	conf_free(&c);
	return FS_EXIT_OK;
}

double
conf_worker_cost_ms(const struct conf *c, const struct conf_worker *w)
{
	return w->cost_ms * c->coef * w->coef;
}

int
conf_worker_endpoint(const struct conf *c, const struct conf_worker *w,
    int replica, int bind, char *buf, size_t len)
{
	const char *host = bind ? c->bind : w->host;
	int n;

	if (replica < 0 || replica >= w->replicas || len == 0)
		return -1;
	if (w->transport != TRANSPORT_TCP)	/* shm: its ZeroMQ side is ipc */
		n = snprintf(buf, len, "ipc://%s/%s.%d.sock", c->ipc_dir,
		    w->name, replica);
	else if (strchr(host, ':') != NULL && host[0] != '[')	/* IPv6 */
		n = snprintf(buf, len, "tcp://[%s]:%d", host,
		    w->port + replica);
	else
		n = snprintf(buf, len, "tcp://%s:%d", host, w->port + replica);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

const struct conf_worker *
conf_find_worker(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nworkers; i++)
		if (strcmp(c->workers[i].name, name) == 0)
			return &c->workers[i];
	return NULL;
}

/* Everything a worker process is started with; not its restart policy,
 * which the supervisor applies without a restart. */
int
conf_worker_same(const struct conf *ca, const struct conf_worker *a,
    const struct conf *cb, const struct conf_worker *b)
{
	return strcmp(a->name, b->name) == 0 && a->kind == b->kind &&
	    a->port == b->port && a->replicas == b->replicas &&
	    conf_worker_cost_ms(ca, a) == conf_worker_cost_ms(cb, b) &&
	    a->n_classes == b->n_classes && a->window == b->window &&
	    strcmp(a->host, b->host) == 0 &&
	    strcmp(a->output_dtype, b->output_dtype) == 0 &&
	    a->transport == b->transport &&
	    a->max_frame_bytes == b->max_frame_bytes &&
	    (a->transport == TRANSPORT_TCP ? strcmp(ca->bind, cb->bind) :
	    strcmp(ca->ipc_dir, cb->ipc_dir)) == 0;
}

static int
restart_equal(const struct conf_restart *a, const struct conf_restart *b)
{
	return a->mode == b->mode && a->backoff_min_ms == b->backoff_min_ms &&
	    a->backoff_max_ms == b->backoff_max_ms && a->burst == b->burst &&
	    a->interval_s == b->interval_s &&
	    a->min_uptime_ms == b->min_uptime_ms &&
	    a->start_timeout_ms == b->start_timeout_ms &&
	    a->stop_timeout_ms == b->stop_timeout_ms;
}

int
conf_equal(const struct conf *a, const struct conf *b)
{
	const struct conf_worker *wa, *wb;
	size_t i;

	if (a->coef != b->coef || strcmp(a->bind, b->bind) != 0 ||
	    strcmp(a->control, b->control) != 0 ||
	    strcmp(a->control_group, b->control_group) != 0 ||
	    a->max_frame_bytes != b->max_frame_bytes ||
	    strcmp(a->ipc_dir, b->ipc_dir) != 0 ||
	    strcmp(a->metrics, b->metrics) != 0 ||
	    !restart_equal(&a->restart, &b->restart) ||
	    a->nworkers != b->nworkers)
		return 0;
	for (i = 0; i < a->nworkers; i++) {
		wa = &a->workers[i];
		wb = &b->workers[i];
		if (!conf_worker_same(a, wa, b, wb) || wa->cost_ms != wb->cost_ms ||
		    wa->coef != wb->coef ||
		    !restart_equal(&wa->restart, &wb->restart))
			return 0;
	}
	return 1;
}
