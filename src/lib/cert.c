/* cert.c: read and write CURVE key files in CZMQ's zcert text format,
 * without CZMQ.
 *
 * The parser takes the subset of ZPL (ZeroMQ RFC 4) that zcert and pyzmq
 * write: comments, a "metadata" section of name = value lines (ignored)
 * and a "curve" section with a quoted public-key and, in the secret file,
 * a secret-key whose public half (X25519's base point times it, as
 * libzmq derives it) must be that public key. Anything else is refused
 * with the line and the reason, so a truncated or hand-mangled key file is
 * never half read. Z85 is ours (z85.c) and the key maths libsodium's
 * (cert_key.c): the supervisor checks key files without linking libzmq.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cert.h"
#include "cert_key.h"
#include "compat.h"
#include "z85.h"

#define CERT_LINE_MAX	1024
/* ZPL's name characters. */
#define CERT_NAME_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"0123456789$-_@.&+/"

enum cert_section { CERT_SEC_NONE, CERT_SEC_METADATA, CERT_SEC_CURVE };

/* The parser's state across the lines of one file. */
struct cert_p {
	const char	*name;
	struct cert	*c;
	enum cert_section section;
	int		 line, curve_line, pub_line, sec_line;
	char		*err;
	size_t		 errlen;
};

static int FS_PRINTF(3, 4)
cert_fail(struct cert_p *p, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errlen, "%s:%d: ", p->name, line);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A byte of the input as text fit for a message. */
static const char *
cert_byte(int ch, char *buf, size_t len)
{
	if (ch > 0x20 && ch < 0x7f)
		snprintf(buf, len, "'%c'", ch);
	else
		snprintf(buf, len, "byte 0x%02x", ch & 0xff);
	return buf;
}

/* A value: quoted ("..." or '...') or bare up to a '#' comment. */
static int
cert_value(struct cert_p *p, char *t, char **v, size_t *vlen, int *quoted)
{
	char *end, b[16];

	for (end = t; *end != '\0'; end++)
		if ((unsigned char)*end < 0x20 && *end != '\t')
			return cert_fail(p, p->line, "%s in a value",
			    cert_byte(*end, b, sizeof b));
	*quoted = (*t == '"' || *t == '\'');
	if (*quoted) {
		if ((end = strchr(t + 1, *t)) == NULL)
			return cert_fail(p, p->line, "the quoted value has no "
			    "closing %c", *t);
		*v = t + 1;
		*vlen = (size_t)(end - *v);
		for (end++; *end == ' ' || *end == '\t'; end++)
			;
		if (*end != '\0' && *end != '#')
			return cert_fail(p, p->line, "%s after the quoted value",
			    cert_byte(*end, b, sizeof b));
		return 0;
	}
	*v = t;
	*vlen = strcspn(t, "#");
	while (*vlen > 0 && (t[*vlen - 1] == ' ' || t[*vlen - 1] == '\t'))
		(*vlen)--;
	return 0;
}

static int
cert_curve_key(struct cert_p *p, const char *k, size_t klen, const char *v,
    size_t vlen, int quoted)
{
	uint8_t bin[CERT_KEY_LEN];
	char *dst, b[16];
	int *at;
	size_t i;

	if (klen == 10 && memcmp(k, "public-key", 10) == 0)
		dst = p->c->public_txt, at = &p->pub_line;
	else if (klen == 10 && memcmp(k, "secret-key", 10) == 0)
		dst = p->c->secret_txt, at = &p->sec_line;
	else
		return cert_fail(p, p->line, "'%.*s' is not a key of the curve "
		    "section (public-key or secret-key)", (int)klen, k);
	if (*at != 0)
		return cert_fail(p, p->line, "%.*s given twice (first on line "
		    "%d)", (int)klen, k, *at);
	if (!quoted)
		return cert_fail(p, p->line, "%.*s must be in quotes: a Z85 key "
		    "may hold '#'", (int)klen, k);
	if (vlen != CERT_Z85_LEN)
		return cert_fail(p, p->line, "%.*s has %zu characters; a Z85 key "
		    "has %d", (int)klen, k, vlen, CERT_Z85_LEN);
	for (i = 0; i < vlen; i++)
		if (z85_value(v[i]) == -1)
			return cert_fail(p, p->line, "%.*s holds %s, not a Z85 "
			    "character", (int)klen, k, cert_byte(v[i], b, sizeof b));
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
	if (z85_decode(bin, sizeof bin, dst) == -1)
		return cert_fail(p, p->line, "%.*s is not valid Z85 (a group "
		    "of 5 characters above 2^32)", (int)klen, k);
	*at = p->line;
	return 0;
}

/* An indented line: name = value, or a bare name in metadata. */
static int
cert_entry(struct cert_p *p, char *t)
{
	char *k = t, *v = NULL, b[16];
	size_t klen, vlen = 0;
	int quoted = 0;

	klen = strspn(t, CERT_NAME_CHARS);
	if (klen == 0)
		return cert_fail(p, p->line, "%s cannot start a name",
		    cert_byte(*t, b, sizeof b));
	for (t += klen; *t == ' ' || *t == '\t'; t++)
		;
	if (*t == '\0' || *t == '#') {
		if (p->section == CERT_SEC_CURVE)
			return cert_fail(p, p->line, "'%.*s' has no value",
			    (int)klen, k);
		return 0;
	}
	if (*t != '=')
		return cert_fail(p, p->line, "%s where '=' should follow "
		    "'%.*s'", cert_byte(*t, b, sizeof b), (int)klen, k);
	for (t++; *t == ' ' || *t == '\t'; t++)
		;
	if (cert_value(p, t, &v, &vlen, &quoted) == -1)
		return -1;
	if (p->section == CERT_SEC_METADATA)
		return 0;
	return cert_curve_key(p, k, klen, v, vlen, quoted);
}

static int
cert_section(struct cert_p *p, char *t)
{
	size_t n = strspn(t, CERT_NAME_CHARS);
	char *rest = t + n;

	while (*rest == ' ' || *rest == '\t')
		rest++;
	if (n == 0 || (*rest != '\0' && *rest != '#'))
		return cert_fail(p, p->line, "an unindented line that is not a "
		    "section name (metadata or curve)");
	if (n == 8 && memcmp(t, "metadata", 8) == 0)
		p->section = CERT_SEC_METADATA;
	else if (n == 5 && memcmp(t, "curve", 5) == 0) {
		p->section = CERT_SEC_CURVE;
		if (p->curve_line == 0)
			p->curve_line = p->line;
	} else
		return cert_fail(p, p->line, "'%.*s' is not a section of a key "
		    "file (metadata or curve)", (int)(n > 32 ? 32 : n), t);
	return 0;
}

static int
cert_line(struct cert_p *p, const char *s, size_t n)
{
	char buf[CERT_LINE_MAX + 1], *t;

	if (n > CERT_LINE_MAX)
		return cert_fail(p, p->line, "a line of over %d bytes: not a "
		    "key file", CERT_LINE_MAX);
	if (memchr(s, '\0', n) != NULL)
		return cert_fail(p, p->line, "a NUL byte: not a key file");
	memcpy(buf, s, n);
	while (n > 0 && strchr(" \t\r", buf[n - 1]) != NULL)
		n--;
	buf[n] = '\0';
	for (t = buf; *t == ' ' || *t == '\t'; t++)
		;
	if (*t == '\0' || *t == '#')
		return 0;
	if (t == buf)
		return cert_section(p, t);
	if (p->section == CERT_SEC_NONE)
		return cert_fail(p, p->line, "an indented line before any "
		    "section (metadata or curve)");
	return cert_entry(p, t);
}

/* What the whole file must hold, once read. */
static int
cert_finish(struct cert_p *p, enum cert_need need)
{
	char derived[CERT_Z85_LEN + 1];

	if (p->curve_line == 0)
		return cert_fail(p, p->line > 0 ? p->line : 1, "no curve "
		    "section: not a zcert key file");
	if (p->pub_line == 0)
		return cert_fail(p, p->curve_line, "the curve section has no "
		    "public-key");
	if (need == CERT_SECRET && p->sec_line == 0)
		return cert_fail(p, p->curve_line, "no secret-key: this is a "
		    "public key file (NAME.key); the pair is in NAME.key_secret");
	if (p->sec_line == 0)
		return 0;
	if (cert_key_public(derived, p->c->secret_txt) == -1)
		return cert_fail(p, p->sec_line, "cannot check the key pair: %s",
		    strerror(errno));
	if (strcmp(derived, p->c->public_txt) != 0)
		return cert_fail(p, p->sec_line, "secret-key is not the pair of "
		    "the public-key on line %d", p->pub_line);
	if (need == CERT_PUBLIC)
		explicit_bzero(p->c->secret_txt, sizeof p->c->secret_txt);
	return 0;
}

int
cert_parse(const char *name, const char *text, size_t len,
    enum cert_need need, struct cert *c, char *err, size_t errlen)
{
	struct cert_p p = { name, c, CERT_SEC_NONE, 0, 0, 0, 0, err, errlen };
	const char *eol;
	size_t off, n;

	memset(c, 0, sizeof *c);
	for (off = 0; off < len; off += n + 1) {
		p.line++;
		eol = memchr(text + off, '\n', len - off);
		n = eol != NULL ? (size_t)(eol - (text + off)) : len - off;
		if (cert_line(&p, text + off, n) == -1)
			goto fail;
	}
	if (cert_finish(&p, need) == 0)
		return 0;
fail:
	cert_clear(c);
	return -1;
}

/* Read at most CERT_FILE_MAX bytes of fd into buf: the length, or -1. */
static ssize_t
cert_read(int fd, char *buf)
{
	ssize_t n;
	size_t len = 0;

	while (len <= CERT_FILE_MAX) {
		n = read(fd, buf + len, CERT_FILE_MAX + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

int
cert_load(const char *path, enum cert_need need, struct cert *c, char *err,
    size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n = -1;
	int fd, rc = -1;

	memset(c, 0, sizeof *c);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1 ||
	    fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode))
		snprintf(err, errlen, "%s: not a regular file", path);
	else if (need == CERT_SECRET && (st.st_mode & S_IRWXO) != 0)
		snprintf(err, errlen, "%s: mode %04o lets every user read the "
		    "secret key (chmod o-rwx it)", path,
		    (unsigned)st.st_mode & 07777);
	else if ((buf = malloc(CERT_FILE_MAX + 1)) == NULL ||
	    (n = cert_read(fd, buf)) == -1)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	else if (n > CERT_FILE_MAX)
		snprintf(err, errlen, "%s: over %d bytes: not a key file", path,
		    CERT_FILE_MAX);
	else
		rc = cert_parse(path, buf, (size_t)n, need, c, err, errlen);
	if (buf != NULL)
		explicit_bzero(buf, n > 0 ? (size_t)n : 0);
	free(buf);
out:
	if (fd != -1)
		close(fd);
	return rc;
}

int
cert_format(const struct cert *c, const char *name, int secret, char *buf,
    size_t len)
{
	char when[64];
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(when, sizeof when, "%lld", (long long)now);
	return snprintf(buf, len,
	    "#   ****  Generated on %s by fake-servers  ****\n"
	    "#   ZeroMQ CURVE %s\n"
	    "\n"
	    "metadata\n"
	    "    name = \"%s\"\n"
	    "curve\n"
	    "    public-key = \"%s\"\n"
	    "%s%s%s",
	    when, secret ? "**Secret** Certificate\n"
	    "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its "
	    "permissions." : "Public Certificate\n"
	    "#   Give it to the peers that are to accept this key.",
	    name, c->public_txt, secret ? "    secret-key = \"" : "",
	    secret ? c->secret_txt : "", secret ? "\"\n" : "");
}

static int
cert_write_file(const char *path, mode_t mode, const char *text, size_t len,
    char *err, size_t errlen)
{
	ssize_t n;
	size_t off = 0;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    mode)) == -1) {
		snprintf(err, errlen, "%s: %s%s", path, strerror(errno),
		    errno == EEXIST ? " (a key is never replaced: remove it "
		    "first)" : "");
		return -1;
	}
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off < len || fsync(fd) == -1 || close(fd) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (off < len)
			close(fd);
		unlink(path);
		return -1;
	}
	return 0;
}

int
cert_save(const struct cert *c, const char *dir, const char *name, char *err,
    size_t errlen)
{
	char pub[PATH_MAX], sec[PATH_MAX], text[1024];
	const char *why;
	int n, rc = -1;

	if ((why = cert_bad_name(name)) != NULL) {
		snprintf(err, errlen, "'%s': %s", name, why);
		return -1;
	}
	if (snprintf(pub, sizeof pub, "%s/%s.key", dir, name) >= (int)sizeof pub ||
	    snprintf(sec, sizeof sec, "%s/%s.key_secret", dir, name) >=
	    (int)sizeof sec) {
		snprintf(err, errlen, "%s/%s: path too long", dir, name);
		return -1;
	}
	n = cert_format(c, name, 1, text, sizeof text);
	if (n < 0 || (size_t)n >= sizeof text)
		snprintf(err, errlen, "%s: key text too long", sec);
	else if (cert_write_file(sec, 0600, text, (size_t)n, err, errlen) == 0) {
		n = cert_format(c, name, 0, text, sizeof text);
		if ((rc = cert_write_file(pub, 0644, text, (size_t)n, err,
		    errlen)) == -1)
			unlink(sec);
	}
	explicit_bzero(text, sizeof text);
	return rc;
}

const char *
cert_bad_name(const char *name)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@+";
	size_t n = strlen(name);

	if (n == 0 || n > CERT_NAME_MAX || name[0] == '.' ||
	    strspn(name, ok) != n)
		return "a key's name is 1 to 128 letters, digits, '.', '_', "
		    "'-', '@' or '+', not starting with '.'";
	return NULL;
}

int
cert_decode(const char *txt, uint8_t key[CERT_KEY_LEN])
{
	return z85_decode(key, CERT_KEY_LEN, txt);
}

void
cert_clear(struct cert *c)
{
	explicit_bzero(c, sizeof *c);
}
