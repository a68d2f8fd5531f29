/* cert.h: CURVE key pairs in CZMQ's zcert text format.
 *
 * A key file is ZPL text (ZeroMQ RFC 4) with a "metadata" and a "curve"
 * section; the curve section holds
 *     public-key = "40 Z85 characters"
 *     secret-key = "40 Z85 characters"      (only in NAME.key_secret)
 * CZMQ's zcert, pyzmq's zmq.auth and fake-serversctl keygen all write and
 * read it. Errors are "file:line: why" in the caller's buffer.
 */
#ifndef FS_CERT_H
#define FS_CERT_H

#include <stddef.h>
#include <stdint.h>

#define CERT_Z85_LEN	40		/* a 32-byte key in Z85 */
#define CERT_KEY_LEN	32
#define CERT_FILE_MAX	(64 * 1024)	/* larger is not a key file */
#define CERT_NAME_MAX	128		/* keygen's NAME */

struct cert {
	char	public_txt[CERT_Z85_LEN + 1];
	char	secret_txt[CERT_Z85_LEN + 1];	/* "" when the file has none */
};

/* What a file must hold: the public key alone, or the pair. */
enum cert_need {
	CERT_PUBLIC,
	CERT_SECRET
};

/* Parse key-file text (not NUL-terminated); name is for the messages. */
int	cert_parse(const char *name, const char *text, size_t len,
	    enum cert_need, struct cert *, char *err, size_t errlen);
/* Read and parse a key file. A secret one must not be readable by others. */
int	cert_load(const char *path, enum cert_need, struct cert *,
	    char *err, size_t errlen);
/* The text of a key file: with the secret key when secret is set. Returns
 * the length, as snprintf does. */
int	cert_format(const struct cert *, const char *name, int secret,
	    char *buf, size_t len);
/* Write DIR/NAME.key and DIR/NAME.key_secret (mode 0600); never replaces
 * a file. */
int	cert_save(const struct cert *, const char *dir, const char *name,
	    char *err, size_t errlen);
/* Is this a usable keygen NAME? NULL, or why not. */
const char *cert_bad_name(const char *name);
/* The 32-byte form of a Z85 key. */
int	cert_decode(const char *txt, uint8_t key[CERT_KEY_LEN]);
/* Forget the secret key. */
void	cert_clear(struct cert *);

#endif
