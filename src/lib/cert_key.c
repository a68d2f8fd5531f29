/* cert_key.c: a CURVE key pair's maths with libsodium, exactly as libzmq's
 * zmq_curve_public() and zmq_curve_keypair() do it (X25519: the public
 * key is the base point times the secret one), with our Z85 (z85.c).
 * tests/unit_cert.c compares them with libzmq's. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "cert.h"
#include "cert_key.h"
#include "z85.h"

/* libsodium, ready: sodium_init() may be called any number of times, from
 * any thread. */
static int
cert_key_sodium(void)
{
	if (sodium_init() == -1) {
		errno = ENOSYS;
		return -1;
	}
	return 0;
}

int
cert_key_public(char pub_txt[CERT_Z85_LEN + 1], const char *sec_txt)
{
	uint8_t sec[CERT_KEY_LEN], pub[CERT_KEY_LEN];
	int rc = -1;

	if (cert_key_sodium() == 0 &&
	    z85_decode(sec, sizeof sec, sec_txt) == 0) {
		if (crypto_scalarmult_base(pub, sec) == 0)
			rc = z85_encode(pub_txt, pub, sizeof pub);
		else
			errno = EINVAL;
	}
	explicit_bzero(sec, sizeof sec);
	return rc;
}

int
cert_key_generate(struct cert *c)
{
	uint8_t pub[CERT_KEY_LEN], sec[CERT_KEY_LEN];
	int rc = 0;

	memset(c, 0, sizeof *c);
	if (cert_key_sodium() == -1)
		return -1;
	if (crypto_box_keypair(pub, sec) == 0) {
		z85_encode(c->public_txt, pub, sizeof pub);
		z85_encode(c->secret_txt, sec, sizeof sec);
	} else {
		errno = EIO;
		rc = -1;
	}
	explicit_bzero(sec, sizeof sec);
	return rc;
}
