/* zap_dir.h: an allow_dir's client keys (the *.key files of a directory),
 * read for the ZAP handler (zap.c) and for a configuration check.
 *
 * Reading them needs no ZeroMQ socket: the supervisor checks a worker's
 * allow_dir without linking libzmq.
 */
#ifndef FS_ZAP_DIR_H
#define FS_ZAP_DIR_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"

struct zap_dir_key {
	uint8_t	key[CERT_KEY_LEN];
	char	name[64];		/* its file's name without .key */
};

/* Orders keys by their bytes (qsort, bsearch). */
int	zap_dir_key_cmp(const void *, const void *);
/* Every key of DIR, sorted, in *keys (free() it): their number, or -1
 * after calling bad(arg, why) for each problem (logged when bad is
 * NULL), with *keys NULL. */
int	zap_dir_read(const char *dir, struct zap_dir_key **keys, size_t *n,
	    void (*bad)(void *arg, const char *why), void *arg);
/* Read DIR's keys as the ZAP handler does, for a configuration check:
 * their number, or -1 after reporting each problem as zap_dir_read(). */
int	zap_dir_check(const char *dir,
	    void (*bad)(void *arg, const char *why), void *arg);

#endif
