/* conf_curve.c: the "curve" group of the configuration (doc/curve.md).
 *
 * What a worker's own keys clear of the inherited ones, the public key's
 * default, the checks of a group (pure, like the rest of conf_validate),
 * and, for the supervisor, reading the key files and allow_dirs the
 * workers will read, with the line of the key that named each one.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "conf_priv.h"
#include "zap_dir.h"

#define SECRET_SUFFIX	"_secret"

int
conf_curve_on(const struct conf_curve *cv)
{
	return cv->secret_key_file[0] != '\0' || cv->public_key_file[0] != '\0';
}

/* NAME.key_secret -> NAME.key, for an absolute path; else "". */
static const char *
public_default(const char *secret)
{
	char buf[CONF_PATH_MAX];
	size_t n = strlen(secret), k = strlen(SECRET_SUFFIX);

	if (secret[0] != '/' || n <= k || strcmp(secret + n - k,
	    SECRET_SUFFIX) != 0)
		return "";
	snprintf(buf, sizeof buf, "%.*s", (int)(n - k), secret);
	return conf_intern(buf);
}

void
conf_curve_finish(struct conf_curve *cv, int worker)
{
	const int *own = cv->key_line;

	if (worker && own[CK_SECRET_KEY_FILE] && cv->secret_key_file[0] ==
	    '\0') {		/* secret_key_file = "": no CURVE here */
		if (!own[CK_ALLOW_DIR])
			cv->allow_dir = "";
		if (!own[CK_ALLOW_ANY])
			cv->allow_any = 0;
	}
	/* One of the two admits: setting one drops the inherited other. */
	if (worker && own[CK_ALLOW_ANY] && cv->allow_any && !own[CK_ALLOW_DIR])
		cv->allow_dir = "";
	if (worker && own[CK_ALLOW_DIR] && cv->allow_dir[0] != '\0' &&
	    !own[CK_ALLOW_ANY])
		cv->allow_any = 0;
	if (own[CK_SECRET_KEY_FILE] && !own[CK_PUBLIC_KEY_FILE])
		cv->public_key_file = public_default(cv->secret_key_file);
}

static int
line_of(const struct conf_curve *cv, int key, int fallback)
{
	return cv->key_line[key] > 0 ? cv->key_line[key] : fallback;
}

/* Paths, of the group's own keys only: a worker's inherited ones are
 * reported at the top. */
static void
check_paths(const struct conf_curve *cv, int worker, const char *file,
    int line, const char *label, struct conf_errors *errs)
{
	const char *s = cv->secret_key_file;
	const int *own = cv->key_line;

	if ((!worker || own[CK_SECRET_KEY_FILE]) && s[0] != '\0' &&
	    s[0] != '/' && strchr(s, '/') != NULL)
		conf_errors_add(errs, file, line_of(cv, CK_SECRET_KEY_FILE,
		    line), "%ssecret_key_file '%s' must be an absolute path, or "
		    "the name of a systemd credential (without '/')", label, s);
	if ((!worker || own[CK_PUBLIC_KEY_FILE]) &&
	    cv->public_key_file[0] != '\0' && cv->public_key_file[0] != '/')
		conf_errors_add(errs, file, line_of(cv, CK_PUBLIC_KEY_FILE,
		    line), "%spublic_key_file '%s' must be an absolute path",
		    label, cv->public_key_file);
	if ((!worker || own[CK_ALLOW_DIR]) && cv->allow_dir[0] != '\0' &&
	    cv->allow_dir[0] != '/')
		conf_errors_add(errs, file, line_of(cv, CK_ALLOW_DIR, line),
		    "%sallow_dir '%s' must be an absolute path", label,
		    cv->allow_dir);
}

void
conf_curve_check(const struct conf_curve *cv, int worker, const char *file,
    int line, const char *label, struct conf_errors *errs)
{
	int dir = cv->allow_dir[0] != '\0', any = cv->allow_any;

	if (cv->invalid != 0)
		return;		/* reported by the parser */
	check_paths(cv, worker, file, line, label, errs);
	if (cv->secret_key_file[0] != '\0' && dir && any)
		conf_errors_add(errs, file, line_of(cv, CK_ALLOW_ANY, line),
		    "%sallow_dir and allow_any = true exclude each other: admit "
		    "the keys of a directory, or any key", label);
	else if (cv->secret_key_file[0] != '\0' && !dir && !any)
		conf_errors_add(errs, file, line_of(cv, CK_SECRET_KEY_FILE,
		    line), "%ssecret_key_file needs allow_dir (the client keys "
		    "admitted) or allow_any = true (any client: encryption "
		    "without authentication)", label);
	else if (cv->secret_key_file[0] == '\0' && (dir || any))
		conf_errors_add(errs, file, line_of(cv, dir ? CK_ALLOW_DIR :
		    CK_ALLOW_ANY, line), "%s%s without secret_key_file: the "
		    "workers need their key pair to use CURVE", label,
		    dir ? "allow_dir" : "allow_any");
}

int
conf_curve_secret_path(const struct conf_curve *cv, char *buf, size_t len,
    char *err, size_t errlen)
{
	const char *s = cv->secret_key_file, *dir;
	int n;

	if (s[0] == '/')
		n = snprintf(buf, len, "%s", s);
	else if ((dir = getenv("CREDENTIALS_DIRECTORY")) == NULL ||
	    dir[0] == '\0') {
		snprintf(err, errlen, "secret_key_file '%s' names a systemd "
		    "credential, but $CREDENTIALS_DIRECTORY is not set: give an "
		    "absolute path, or LoadCredential=%s:PATH in the unit", s, s);
		return -1;
	} else
		n = snprintf(buf, len, "%s/%s", dir, s);
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "secret_key_file '%s': path too long", s);
		return -1;
	}
	return 0;
}

/* Where one worker's curve keys were set, for the messages. */
struct curve_at {
	struct conf_errors *errs;
	const char	*file;
	int		 line;
	const char	*label;
};

static void
curve_bad(void *arg, const char *why)
{
	const struct curve_at *at = arg;

	conf_errors_add(at->errs, at->file, at->line, "%sallow_dir %s",
	    at->label, why);
}

/* The top's group or the worker's own, whichever set the key. */
static void
curve_where(const struct conf *c, const struct conf_worker *w, int key,
    struct curve_at *at, char *label, size_t len)
{
	if (w->curve.key_line[key] > 0) {
		at->file = w->file;
		at->line = w->curve.key_line[key];
		snprintf(label, len, "worker '%s': curve: ", w->name);
	} else {
		at->file = c->path;
		at->line = c->curve.key_line[key];
		snprintf(label, len, "curve: ");
	}
	at->label = label;
}

static void
check_secret(const struct conf *c, const struct conf_worker *w,
    struct conf_errors *errs)
{
	struct curve_at at = { errs, NULL, 0, NULL };
	char label[CONF_NAME_MAX + 32], path[CONF_PATH_MAX + 256], err[1024];
	struct cert k;

	curve_where(c, w, CK_SECRET_KEY_FILE, &at, label, sizeof label);
	if (conf_curve_secret_path(&w->curve, path, sizeof path, err,
	    sizeof err) == -1 || cert_load(path, CERT_SECRET, &k, err,
	    sizeof err) == -1) {
		conf_errors_add(errs, at.file, at.line, "%s%s", label, err);
		return;
	}
	cert_clear(&k);
}

int
conf_curve_files(const struct conf *c, int credentials,
    struct conf_errors *errs)
{
	const char *done_secret[64], *done_dir[64];
	size_t i, j, nsecret = 0, ndir = 0, nerrs = errs->n;
	const struct conf_worker *w;
	struct curve_at at = { errs, NULL, 0, NULL };
	char label[CONF_NAME_MAX + 32];

	for (i = 0; i < c->nworkers; i++) {
		w = &c->workers[i];
		if (w->curve.secret_key_file[0] == '\0')
			continue;
		for (j = 0; j < nsecret; j++)	/* interned: one pointer */
			if (done_secret[j] == w->curve.secret_key_file)
				break;
		/* Once, good or bad; a credential only where it is meant to
		 * be read (the daemon's own process under systemd). */
		if (j == nsecret && (credentials ||
		    w->curve.secret_key_file[0] == '/')) {
			check_secret(c, w, errs);
			if (nsecret < FS_NELEM(done_secret))
				done_secret[nsecret++] = w->curve.secret_key_file;
		}
		if (w->curve.allow_dir[0] == '\0')
			continue;
		for (j = 0; j < ndir; j++)
			if (done_dir[j] == w->curve.allow_dir)
				break;
		if (j < ndir)
			continue;
		curve_where(c, w, CK_ALLOW_DIR, &at, label, sizeof label);
		zap_dir_check(w->curve.allow_dir, curve_bad, &at);
		if (ndir < FS_NELEM(done_dir))
			done_dir[ndir++] = w->curve.allow_dir;
	}
	return errs->n == nerrs ? 0 : -1;
}
