/* unit_cert.c: CURVE key files: what zcert and pyzmq write is read, what
 * keygen writes reads back, a secret key's public half is libzmq's, and
 * every malformed file is refused with its line and reason. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <sodium.h>

#include "cert.h"
#include "cert_key.h"
#include "compat.h"
#include "tap.h"

/* Written by pyzmq 24's zmq.auth.create_certificates (metadata unquoted). */
static const char py_secret[] =
    "#   ****  Generated on 2026-12-04 15:29:22.700381 by pyzmq  ****\n"
    "#   ZeroMQ CURVE **Secret** Certificate\n"
    "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n"
    "\n"
    "metadata\n"
    "    email = bob@example.org\n"
    "curve\n"
    "    public-key = \"W6Bn=q2@>A=d.NNmSS*HeOfjB1VVpmRexo1Qt^1z\"\n"
    "    secret-key = \"}r(iIYNt.5RRh>{%c)G?!&rp-4MNVQbR&v<ncm>6\"\n";
#define PY_PUB	"W6Bn=q2@>A=d.NNmSS*HeOfjB1VVpmRexo1Qt^1z"
#define PY_SEC	"}r(iIYNt.5RRh>{%c)G?!&rp-4MNVQbR&v<ncm>6"

/* As CZMQ's zcert_save_public writes it (quoted metadata, empty ones). */
static const char czmq_public[] =
    "#   ****  Generated on 2015-06-01 10:00:00 by CZMQ  ****\n"
    "#   ZeroMQ CURVE Public Certificate\n"
    "\n"
    "metadata\n"
    "    name = \"bob\"\n"
    "    organization = \"\"\n"
    "curve\n"
    "    public-key = \"" PY_PUB "\"\n";

static int
parses(const char *text, enum cert_need need, struct cert *c)
{
	char err[256];

	return cert_parse("t.key", text, strlen(text), need, c, err,
	    sizeof err) == 0;
}

static void
test_foreign(void)
{
	struct cert c;

	ok(parses(py_secret, CERT_SECRET, &c) &&
	    strcmp(c.public_txt, PY_PUB) == 0 &&
	    strcmp(c.secret_txt, PY_SEC) == 0,
	    "pyzmq's secret key file: both keys");
	ok(parses(py_secret, CERT_PUBLIC, &c) && c.secret_txt[0] == '\0',
	    "a secret file read for its public key forgets the secret");
	ok(parses(czmq_public, CERT_PUBLIC, &c) &&
	    strcmp(c.public_txt, PY_PUB) == 0, "CZMQ's public key file");
}

static void
test_roundtrip(void)
{
	char buf[1024], buf2[1024];
	struct cert c, back;
	int n;

	ok(cert_key_generate(&c) == 0 && strlen(c.public_txt) == CERT_Z85_LEN &&
	    strlen(c.secret_txt) == CERT_Z85_LEN, "a generated pair");
	n = cert_format(&c, "alice", 1, buf, sizeof buf);
	ok(n > 0 && (size_t)n < sizeof buf && parses(buf, CERT_SECRET, &back) &&
	    strcmp(back.public_txt, c.public_txt) == 0 &&
	    strcmp(back.secret_txt, c.secret_txt) == 0,
	    "a secret file written reads back the same pair");
	n = cert_format(&c, "alice", 0, buf2, sizeof buf2);
	ok(n > 0 && strstr(buf2, c.secret_txt) == NULL &&
	    parses(buf2, CERT_PUBLIC, &back) &&
	    strcmp(back.public_txt, c.public_txt) == 0,
	    "a public file written has the public key and not the secret");
	ok(!parses(buf2, CERT_SECRET, &back) && back.public_txt[0] == '\0',
	    "a public file is no secret one, and a refusal leaves no key");
}

/* The public key we derive from a secret one is libzmq's: random secret
 * keys with zmq_curve_public()'s public key are taken as a pair, with
 * another public key refused; a pair we make is one for libzmq too. */
static void
test_derived(void)
{
	char sec[CERT_Z85_LEN + 1], pub[CERT_Z85_LEN + 1], buf[1024];
	struct cert c, back;
	uint8_t raw[CERT_KEY_LEN];
	int i, same = 0, other = 0, made = 0;

	if (sodium_init() == -1) {
		ok(0, "sodium_init");
		return;
	}
	for (i = 0; i < 200; i++) {
		randombytes_buf(raw, sizeof raw);
		if (zmq_z85_encode(sec, raw, sizeof raw) == NULL ||
		    zmq_curve_public(pub, sec) == -1)
			continue;
		strcpy(c.public_txt, pub);
		strcpy(c.secret_txt, sec);
		cert_format(&c, "k", 1, buf, sizeof buf);
		same += parses(buf, CERT_SECRET, &back) &&
		    strcmp(back.public_txt, pub) == 0;
		c.public_txt[i % CERT_Z85_LEN] =
		    c.public_txt[i % CERT_Z85_LEN] == 'a' ? 'b' : 'a';
		cert_format(&c, "k", 1, buf, sizeof buf);
		other += !parses(buf, CERT_SECRET, &back);
		made += cert_key_generate(&c) == 0 &&
		    zmq_curve_public(pub, c.secret_txt) == 0 &&
		    strcmp(pub, c.public_txt) == 0;
	}
	ok(same == 200, "200 random secret keys: our public key is "
	    "zmq_curve_public()'s");
	ok(other == 200, "a public key one character off is not the pair");
	ok(made == 200, "200 generated pairs: zmq_curve_public() of the "
	    "secret is the public key");
}

struct bad {
	const char	*text;
	enum cert_need	 need;
	const char	*want;	/* in the message */
};

static const struct bad bads[] = {
	{ "", CERT_PUBLIC, "t.key:1: no curve section" },
	{ "metadata\n", CERT_PUBLIC, "t.key:1: no curve section" },
	{ "curve\n", CERT_PUBLIC, "t.key:1: the curve section has no public-key" },
	{ "curve\n    public-key = \"abc\"\n", CERT_PUBLIC,
	  "t.key:2: public-key has 3 characters; a Z85 key has 40" },
	{ "curve\n    public-key = " PY_PUB "\n", CERT_PUBLIC,
	  "t.key:2: public-key must be in quotes" },
	{ "curve\n    public-key = \"" PY_PUB "\n", CERT_PUBLIC,
	  "t.key:2: the quoted value has no closing \"" },
	{ "curve\n    public-key = \"W6Bn=q2@>A=d.NNmSS*HeOf", CERT_PUBLIC,
	  "t.key:2: the quoted value has no closing" },
	{ "curve\n    public-key = \"" PY_PUB "\" x\n", CERT_PUBLIC,
	  "t.key:2: 'x' after the quoted value" },
	{ "curve\n    public-key = '" PY_PUB "'\n    public-key = '" PY_PUB
	  "'\n", CERT_PUBLIC, "t.key:3: public-key given twice (first on line 2)" },
	{ "curve\n    public-key = '~6Bn=q2@>A=d.NNmSS*HeOfjB1VVpmRexo1Qt^1z'\n",
	  CERT_PUBLIC, "t.key:2: public-key holds '~', not a Z85 character" },
	{ "curve\n    public-key = '########################################'\n",
	  CERT_PUBLIC, "t.key:2: public-key is not valid Z85" },
	{ "curve\n    public-key = \"" PY_PUB "\"\n    secret-key = \"" PY_PUB
	  "\"\n", CERT_SECRET,
	  "t.key:3: secret-key is not the pair of the public-key on line 2" },
	{ "curve\n    public-key = \"" PY_PUB "\"\n", CERT_SECRET,
	  "t.key:1: no secret-key: this is a public key file" },
	{ "curve\n    privkey = \"x\"\n", CERT_PUBLIC,
	  "t.key:2: 'privkey' is not a key of the curve section" },
	{ "curve\n    public-key\n", CERT_PUBLIC, "t.key:2: 'public-key' has no value" },
	{ "curve\n    public-key : 'x'\n", CERT_PUBLIC,
	  "t.key:2: ':' where '=' should follow 'public-key'" },
	{ "curve\n    \"x\" = 1\n", CERT_PUBLIC, "t.key:2: '\"' cannot start a name" },
	{ "    public-key = \"" PY_PUB "\"\n", CERT_PUBLIC,
	  "t.key:1: an indented line before any section" },
	{ "#c\nkeys\n", CERT_PUBLIC, "t.key:2: 'keys' is not a section of a key file" },
	{ "curve = 1\n", CERT_PUBLIC, "t.key:1: an unindented line that is not a section" },
	{ "metadata\n    a = \"b\x01\"\n", CERT_PUBLIC, "t.key:2: byte 0x01 in a value" },
	{ "\x7f" "ELF\x02\x01", CERT_PUBLIC, "t.key:1: an unindented line" },
};

static void
test_malformed(void)
{
	char err[256], msg[512];
	struct cert c;
	size_t i;
	int rc;

	for (i = 0; i < FS_NELEM(bads); i++) {
		memset(err, 0, sizeof err);
		rc = cert_parse("t.key", bads[i].text, strlen(bads[i].text),
		    bads[i].need, &c, err, sizeof err);
		snprintf(msg, sizeof msg, "refused: %s", bads[i].want);
		ok(rc == -1 && strstr(err, bads[i].want) == err, msg);
		if (rc != -1 || strstr(err, bads[i].want) != err)
			printf("# got: %s\n", err);
	}
	rc = cert_parse("t.key", "curve\n\0", 7, CERT_PUBLIC, &c, err, sizeof err);
	ok(rc == -1 && strcmp(err, "t.key:2: a NUL byte: not a key file") == 0,
	    "a NUL byte is refused");
}

static void
test_lenient(void)
{
	static const char crlf[] = "metadata\r\ncurve  # the keys\r\n"
	    "\tpublic-key=\"" PY_PUB "\"   # bob's\r\n";
	char longline[3000];
	struct cert c;
	char err[256];

	ok(parses(crlf, CERT_PUBLIC, &c) && strcmp(c.public_txt, PY_PUB) == 0,
	    "CRLF lines, tab indents, comments after a value and a section");
	memset(longline, 'a', sizeof longline);
	memcpy(longline, "curve\n    ", 10);
	ok(cert_parse("t.key", longline, sizeof longline, CERT_PUBLIC, &c, err,
	    sizeof err) == -1 && strstr(err, "t.key:2: a line of over 1024") ==
	    err, "a line over 1024 bytes is refused");
}

static void
test_files(const char *dir)
{
	char path[512], err[512];
	struct cert c, back;
	struct stat st;

	umask(022);
	ok(cert_key_generate(&c) == 0 && cert_save(&c, dir, "alice", err,
	    sizeof err) == 0, "keygen writes a pair");
	snprintf(path, sizeof path, "%s/alice.key_secret", dir);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "the secret file has mode 0600");
	ok(cert_load(path, CERT_SECRET, &back, err, sizeof err) == 0 &&
	    strcmp(back.secret_txt, c.secret_txt) == 0, "and reads back");
	snprintf(path, sizeof path, "%s/alice.key", dir);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644 &&
	    cert_load(path, CERT_PUBLIC, &back, err, sizeof err) == 0 &&
	    strcmp(back.public_txt, c.public_txt) == 0,
	    "the public file has mode 0644 and the public key");
	ok(cert_save(&c, dir, "alice", err, sizeof err) == -1 &&
	    strstr(err, "File exists (a key is never replaced") != NULL,
	    "an existing key is never replaced");
	ok(cert_save(&c, dir, "../x", err, sizeof err) == -1 &&
	    cert_save(&c, dir, ".x", err, sizeof err) == -1 &&
	    cert_save(&c, dir, "", err, sizeof err) == -1 &&
	    strstr(err, "a key's name is") != NULL, "bad names are refused");
	snprintf(path, sizeof path, "%s/alice.key_secret", dir);
	chmod(path, 0644);
	ok(cert_load(path, CERT_SECRET, &back, err, sizeof err) == -1 &&
	    strstr(err, "mode 0644 lets every user read the secret key") != NULL,
	    "a secret file others can read is refused");
	ok(cert_load(dir, CERT_PUBLIC, &back, err, sizeof err) == -1 &&
	    strstr(err, "not a regular file") != NULL, "a directory is refused");
	snprintf(path, sizeof path, "%s/none.key", dir);
	ok(cert_load(path, CERT_PUBLIC, &back, err, sizeof err) == -1 &&
	    strstr(err, "none.key: No such file") != NULL, "a missing file");
}

int
main(void)
{
	char dir[] = "/tmp/unit_cert.XXXXXX", cmd[64];
	uint8_t key[CERT_KEY_LEN];

	test_foreign();
	test_roundtrip();
	test_derived();
	test_malformed();
	test_lenient();
	ok(cert_decode(PY_PUB, key) == 0 && cert_decode("abc", key) == -1,
	    "cert_decode takes 40 Z85 characters only");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_files(dir);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", dir);
	return tap_done();
}
