/* conf_load.c: load a configuration, from a file or from a string.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_priv.h"

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
load_text(struct conf *c, const char *buf, size_t len, const char *file,
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
load_file(struct conf *c, const char *path, int main,
    struct conf_errors *errs)
{
	char *buf;
	size_t len;
	int rc;

	if ((buf = read_file(path, &len, errs)) == NULL)
		return -2;
	rc = load_text(c, buf, len, path, main, errs);
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
load_dir(struct conf *c, const char *path, struct conf_errors *errs)
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
		if (load_file(c, file, 0, errs) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

static struct conf *
load_finish(struct conf *c, int parsed, int flags, size_t nerrs,
    struct conf_errors *errs)
{
	/* A file libconfig could not parse leaves the struct incomplete:
	 * validating it would only add noise ("no workers defined"). */
	if (parsed == 0 && conf_validate(c, errs) == 0) {
		if (flags & CONF_F_KEY_FILES)
			conf_curve_files(c, (flags & CONF_F_CREDENTIALS) != 0,
			    errs);
		if (flags & CONF_F_COST_FILES)
			conf_cost_files(c, errs);
	}
	conf_errors_sort(errs, nerrs);
	if (errs->n == nerrs)
		return c;
	conf_free(&c);
	return NULL;
}

/* A struct conf named after path, every key at its default. */
static struct conf *
load_new(const char *path, struct conf_errors *errs)
{
	struct conf *c;

	if ((c = calloc(1, sizeof *c)) == NULL) {
		conf_errors_add(errs, path, 0, "out of memory");
		return NULL;
	}
	snprintf(c->path, sizeof c->path, "%s", path);
	conf_key_defaults(&(struct conf_group){ conf_top_keys, TK__MAX, c,
	    c->key_line, &c->invalid, "" });
	conf_key_defaults(&(struct conf_group){ conf_restart_keys, RK__MAX,
	    &c->restart, c->restart.key_line, &c->restart.invalid, "" });
	conf_key_defaults(&(struct conf_group){ conf_curve_keys, CK__MAX,
	    &c->curve, c->curve.key_line, &c->curve.invalid, "" });
	return c;
}

/* After the main file: the top-level defaults that depend on its keys. */
static void
load_derive(struct conf *c)
{
	conf_key_derive(&(struct conf_group){ conf_top_keys, TK__MAX, c,
	    c->key_line, &c->invalid, "" }, c);
}

struct conf *
conf_load(const char *path, int flags, struct conf_errors *errs)
{
	struct conf *c;
	size_t nerrs = errs->n;
	int rc;

	if ((c = load_new(path, errs)) == NULL)
		return NULL;
	if ((rc = load_file(c, path, 1, errs)) == -2) {
		conf_free(&c);
		return NULL;
	}
	load_derive(c);
	if ((flags & CONF_F_INCLUDE_DIR) && load_dir(c, path, errs) == -1)
		rc = -1;
	return load_finish(c, rc, flags, nerrs, errs);
}

struct conf *
conf_load_string(const char *text, const char *name, struct conf_errors *errs)
{
	struct conf *c;
	size_t nerrs = errs->n;
	int rc;

	if (name == NULL)
		name = "(string)";
	if ((c = load_new(name, errs)) == NULL)
		return NULL;
	rc = load_text(c, text, strlen(text), name, 1, errs);
	load_derive(c);
	return load_finish(c, rc, 0, nerrs, errs);
}
