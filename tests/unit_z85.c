/* unit_z85.c: our Z85 codec (src/lib/z85.c) against ZeroMQ RFC 32's test
 * vector and against libzmq's own zmq_z85_encode/zmq_z85_decode: the same
 * text for the same bytes, the same verdict on any text, and every bad
 * length or character refused. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include <sodium.h>

#include "tap.h"
#include "z85.h"

#define NKEYS	1000

static void
test_rfc(void)
{
	static const uint8_t hello[8] = {
		0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B
	};
	static const uint8_t ones[4] = { 0xff, 0xff, 0xff, 0xff };
	uint8_t bin[8];
	char txt[11];

	ok(z85_encode(txt, hello, sizeof hello) == 0 &&
	    strcmp(txt, "HelloWorld") == 0, "RFC 32: the bytes encode to "
	    "HelloWorld");
	ok(z85_decode(bin, sizeof bin, "HelloWorld") == 0 &&
	    memcmp(bin, hello, sizeof hello) == 0, "RFC 32: HelloWorld "
	    "decodes to its bytes");
	ok(z85_encode(txt, ones, 4) == 0 && strcmp(txt, "%nSc0") == 0 &&
	    z85_decode(bin, 4, "%nSc0") == 0 && memcmp(bin, ones, 4) == 0,
	    "2^32 - 1 is %nSc0 both ways");
	ok(z85_decode(bin, 0, "") == 0 && z85_encode(txt, ones, 0) == 0 &&
	    txt[0] == '\0', "nothing is the empty text");
}

/* Random keys: the text of libzmq, and back to the same bytes. */
static void
test_keys(void)
{
	uint8_t key[32], ours[32], theirs[32];
	char a[41], b[41];
	int i, same = 0;

	for (i = 0; i < NKEYS; i++) {
		randombytes_buf(key, sizeof key);
		if (z85_encode(a, key, sizeof key) == 0 &&
		    zmq_z85_encode(b, key, sizeof key) != NULL &&
		    strcmp(a, b) == 0 &&
		    z85_decode(ours, sizeof ours, a) == 0 &&
		    zmq_z85_decode(theirs, a) != NULL &&
		    memcmp(ours, key, sizeof key) == 0 &&
		    memcmp(theirs, key, sizeof key) == 0)
			same++;
		else
			printf("# key %d: ours %s, libzmq's %s\n", i, a, b);
	}
	ok(same == NKEYS, "1000 random 32-byte keys: libzmq's text, and "
	    "decoded back to the same bytes");
}

/* Random 10-character texts of any printable byte, most of them near the
 * alphabet's top (groups above 2^32 - 1): accepted exactly when libzmq
 * accepts them, and to the same bytes. */
static void
test_verdicts(void)
{
	static const char top[] = "#$%&@{}[]()<>=^!/*?+-.:";
	uint8_t ours[8], theirs[8], r[10];
	int i, j, same = 0, good = 0;
	char txt[11];

	for (i = 0; i < 20000; i++) {
		randombytes_buf(r, sizeof r);
		for (j = 0; j < 10; j++)
			txt[j] = i % 2 ? top[r[j] % (sizeof top - 1)] :
			    (char)(0x20 + r[j] % 0x5f);
		if (i % 4 == 1)
			txt[r[0] % 10] = "0123456789abcdef"[r[1] % 16];
		txt[10] = '\0';
		if ((z85_decode(ours, 8, txt) == 0) ==
		    (zmq_z85_decode(theirs, txt) != NULL) &&
		    (zmq_z85_decode(theirs, txt) == NULL ||
		    memcmp(ours, theirs, 8) == 0))
			same++;
		else
			printf("# '%s': ours and libzmq's differ\n", txt);
		good += zmq_z85_decode(theirs, txt) != NULL;
	}
	ok(same == 20000 && good > 100 && good < 19000, "20000 random texts: "
	    "the verdict and the bytes of libzmq");
}

static void
test_refused(void)
{
	static const char bad[] = " \"',;\\_`|~\x7f\x80\xff\t\n";
	uint8_t bin[32], one[4] = { 1, 2, 3, 4 };
	char txt[41], msg[80];
	size_t i;
	int refused = 0;

	ok(z85_decode(bin, 32, "HelloWorld") == -1 &&
	    z85_decode(bin, 8, "HelloWorl") == -1 &&
	    z85_decode(bin, 8, "HelloWorldH") == -1 &&
	    z85_decode(bin, 8, "HelloWorldHello") == -1 &&
	    z85_decode(bin, 6, "HelloWorld") == -1 &&
	    z85_decode(bin, 2, "Hel") == -1,
	    "a text not of exactly the bytes' length is refused");
	ok(z85_encode(txt, one, 3) == -1 && z85_encode(txt, one, 5) == -1,
	    "bytes not a multiple of 4 are not encoded");
	for (i = 0; i < sizeof bad - 1; i++) {
		snprintf(txt, sizeof txt, "Hello%corld", bad[i]);
		refused += z85_decode(bin, 8, txt) == -1;
		snprintf(txt, sizeof txt, "%celloWorld", bad[i]);
		refused += z85_decode(bin, 8, txt) == -1;
	}
	snprintf(msg, sizeof msg, "%zu characters outside the alphabet are "
	    "refused, wherever they are", sizeof bad - 1);
	ok(refused == 2 * (int)(sizeof bad - 1), msg);
	memset(bin, 0xaa, sizeof bin);
	ok(z85_decode(bin, 8, "%nSc1World") == -1 &&
	    z85_decode(bin, 8, "#####World") == -1 && bin[0] == 0 &&
	    bin[7] == 0, "a group above 2^32 - 1 is refused, the output "
	    "cleared");
	ok(z85_value('0') == 0 && z85_value('#') == 84 &&
	    z85_value('~') == -1 && z85_value('\0') == -1,
	    "z85_value: the alphabet's order, -1 outside it");
}

int
main(void)
{
	if (sodium_init() == -1) {
		printf("Bail out! sodium_init failed\n");
		return 1;
	}
	test_rfc();
	test_keys();
	test_verdicts();
	test_refused();
	return tap_done();
}
