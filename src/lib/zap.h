/* zap.h: a ZAP handler (ZeroMQ RFC 27) that admits CURVE clients by key.
 *
 * zap_new() binds the context's ZAP endpoint, inproc://zeromq.zap.01. It
 * must come before any CURVE server socket of that context is bound: with
 * no handler there, libzmq admits every client without asking. The owner
 * polls zap_socket() in its own loop and calls zap_serve(); there is no
 * thread. A client is admitted when its public key is in the
 * allow list (the *.key files of a directory, re-read by zap_allow_dir()
 * on reload) or when any key is allowed. Refusals are logged with the
 * first characters of the key, at most once a minute per key.
 */
#ifndef FS_ZAP_H
#define FS_ZAP_H

#include <stddef.h>
#include <stdint.h>

#define ZAP_ENDPOINT	"inproc://zeromq.zap.01"
#define ZAP_BATCH	64		/* requests per zap_serve() */

struct zap;

struct zap_stats {
	uint64_t	admitted;
	uint64_t	refused;
	uint64_t	malformed;	/* requests not of ZAP 1.0 */
};

/* name prefixes its log lines ("Seg: refused client key ..."). */
struct zap	*zap_new(void *zctx, const char *name, char *err,
		    size_t errlen);
void		 zap_free(struct zap **);
void		*zap_socket(const struct zap *);
/* Admit the keys of DIR's *.key files from now on: their number, or -1
 * (each bad file logged as "file:line: why") with the list unchanged. */
int		 zap_allow_dir(struct zap *, const char *dir);
/* Admit every client: encryption without authentication. */
void		 zap_allow_any(struct zap *);
/* Answer the requests waiting on zap_socket(): 0 when a receive found
 * none, or failed (from then on its ZMQ_FD signals the next: zfd.h), 1
 * when some may be left (at most ZAP_BATCH are answered a call). */
int		 zap_serve(struct zap *);
void		 zap_get_stats(const struct zap *, struct zap_stats *);

#endif
