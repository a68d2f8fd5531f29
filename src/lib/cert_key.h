/* cert_key.h: the maths of CURVE key pairs, as libzmq does it, with
 * libsodium alone: a program that only reads or makes key files (the
 * supervisor, keygen) does not need libzmq for it. */
#ifndef FS_CERT_KEY_H
#define FS_CERT_KEY_H

#include "cert.h"

/* The public key of a secret one, both in Z85, as zmq_curve_public()
 * derives it: 0, or -1 with errno. */
int	cert_key_public(char pub_txt[CERT_Z85_LEN + 1], const char *sec_txt);
/* A new random key pair, as zmq_curve_keypair() makes it: 0, or -1 with
 * errno. */
int	cert_key_generate(struct cert *);

#endif
