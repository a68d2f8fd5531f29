/* zap_dir.c: read an allow_dir, the *.key files of the CURVE clients a
 * ZAP handler admits: each one a public key file (cert.c), the list sorted
 * for bsearch(). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "compat.h"
#include "log.h"
#include "zap_dir.h"

/* Where a problem with the directory goes: the caller's, or the log. */
struct zap_dir_report {
	void	(*bad)(void *, const char *);
	void	*arg;
};

int
zap_dir_key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, CERT_KEY_LEN);
}

/* Is this directory entry a public key file? NAME.key, NAME not hidden. */
static int
zap_dir_is_keyfile(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && name[0] != '.' && strcmp(name + n - 4, ".key") == 0;
}

static void FS_PRINTF(2, 3)
zap_dir_bad(const struct zap_dir_report *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->bad != NULL)
		r->bad(r->arg, msg);
	else
		log_warnx("allow_dir %s", msg);
}

static int
zap_dir_add_file(struct zap_dir_key **keys, size_t *n, size_t *cap,
    const char *dir, const char *file, const struct zap_dir_report *r)
{
	char path[4096], err[512];
	struct zap_dir_key *k;
	struct cert c;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	if (cert_load(path, CERT_PUBLIC, &c, err, sizeof err) == -1) {
		zap_dir_bad(r, "%s", err);
		return -1;
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		if ((k = reallocarray(*keys, *cap, sizeof **keys)) == NULL) {
			zap_dir_bad(r, "%s: %s", dir, strerror(errno));
			return -1;
		}
		*keys = k;
	}
	k = &(*keys)[(*n)++];
	cert_decode(c.public_txt, k->key);
	snprintf(k->name, sizeof k->name, "%.*s", (int)(strlen(file) - 4),
	    file);
	return 0;
}

int
zap_dir_read(const char *dir, struct zap_dir_key **keys, size_t *n,
    void (*bad)(void *, const char *), void *arg)
{
	struct zap_dir_report r = { bad, arg };
	struct dirent *e;
	size_t cap = 0;
	int nbad = 0;
	DIR *d;

	*keys = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		zap_dir_bad(&r, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((errno = 0, e = readdir(d)) != NULL)
		if (zap_dir_is_keyfile(e->d_name) &&
		    zap_dir_add_file(keys, n, &cap, dir, e->d_name, &r) == -1)
			nbad++;
	if (errno != 0) {
		zap_dir_bad(&r, "%s: %s", dir, strerror(errno));
		nbad++;
	}
	closedir(d);
	if (nbad > 0) {
		free(*keys);
		*keys = NULL;
		return -1;
	}
	if (*n > 0)
		qsort(*keys, *n, sizeof **keys, zap_dir_key_cmp);
	return (int)*n;
}

int
zap_dir_check(const char *dir, void (*bad)(void *, const char *), void *arg)
{
	struct zap_dir_key *keys;
	size_t n;
	int rc;

	rc = zap_dir_read(dir, &keys, &n, bad, arg);
	free(keys);
	return rc;
}
