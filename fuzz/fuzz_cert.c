/* fuzz_cert.c: fuzz the CURVE key-file parser of fake-servers.
 *
 * The input is a key file's text. Besides not crashing: a refused file
 * leaves no key behind and is explained as "in:LINE: reason" with a line
 * of the input and printable ASCII only; an accepted one holds a public
 * key that decodes and, with a secret key, the pair libzmq's own
 * zmq_curve_public() derives (cert.c derives it with libsodium); what is accepted as a pair is accepted as a public key too,
 * and the file keygen would write for it reads back the same keys.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "cert.h"
#include "fuzz.h"
#include "log.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init("fuzz_cert", LOG_LVL_QUIET);
	return 0;
}

static void
fuzz_refused(const char *err, const struct cert *c, const uint8_t *data,
    size_t size)
{
	size_t i, lines = 1;
	long line;
	char *end;

	FUZZ_ASSERT(c->public_txt[0] == '\0' && c->secret_txt[0] == '\0');
	FUZZ_ASSERT(strncmp(err, "in:", 3) == 0);
	line = strtol(err + 3, &end, 10);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	FUZZ_ASSERT(line >= 1 && (size_t)line <= lines);
	FUZZ_ASSERT(strncmp(end, ": ", 2) == 0 && end[2] != '\0');
	for (i = 0; err[i] != '\0'; i++)
		FUZZ_ASSERT(err[i] >= 0x20 && err[i] < 0x7f);
}

static void
fuzz_accepted(const struct cert *c, enum cert_need need)
{
	char derived[CERT_Z85_LEN + 1], buf[1024], err[512];
	uint8_t key[CERT_KEY_LEN];
	struct cert back;
	int n;

	FUZZ_ASSERT(cert_decode(c->public_txt, key) == 0);
	FUZZ_ASSERT((need == CERT_SECRET) == (c->secret_txt[0] != '\0'));
	if (need == CERT_SECRET) {
		FUZZ_ASSERT(zmq_curve_public(derived, c->secret_txt) == 0);
		FUZZ_ASSERT(strcmp(derived, c->public_txt) == 0);
	}
	n = cert_format(c, "fuzz", need == CERT_SECRET, buf, sizeof buf);
	FUZZ_ASSERT(n > 0 && (size_t)n < sizeof buf);
	FUZZ_ASSERT(cert_parse("out", buf, (size_t)n, need, &back, err,
	    sizeof err) == 0);
	FUZZ_ASSERT(memcmp(&back, c, sizeof back) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cert pair, pub;
	char err[512];
	int rc;

	memset(err, 0, sizeof err);
	rc = cert_parse("in", (const char *)data, size, CERT_SECRET, &pair, err,
	    sizeof err);
	if (rc == 0)
		fuzz_accepted(&pair, CERT_SECRET);
	else
		fuzz_refused(err, &pair, data, size);
	memset(err, 0, sizeof err);
	if (cert_parse("in", (const char *)data, size, CERT_PUBLIC, &pub, err,
	    sizeof err) == 0) {
		fuzz_accepted(&pub, CERT_PUBLIC);
		FUZZ_ASSERT(rc == -1 || strcmp(pub.public_txt,
		    pair.public_txt) == 0);
	} else {
		fuzz_refused(err, &pub, data, size);
		FUZZ_ASSERT(rc == -1);
	}
	return 0;
}
