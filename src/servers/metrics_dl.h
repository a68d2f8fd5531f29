/* metrics_dl.h: libmicrohttpd, loaded at run time, only when metrics are
 * configured.
 *
 * fake-servers does not link libmicrohttpd: with its dependencies (GnuTLS,
 * p11-kit, nettle, GMP, libunistring...) it would map about 2.4 MB into a
 * daemon that, without `metrics`, never serves HTTP. The library is opened
 * with dlopen() the first time the configuration sets `metrics` (at start,
 * or on the reload that adds it) and kept for the daemon's life; metrics.c
 * calls it only through this table. The header gives each pointer its
 * exact type; configure checks that the library the header came with has
 * the soname loaded here (MHD_SONAME).
 */
#ifndef FS_METRICS_DL_H
#define FS_METRICS_DL_H

#include <stddef.h>

#include <microhttpd.h>

struct metrics_dl {
	__typeof__(MHD_start_daemon)		*start_daemon;
	__typeof__(MHD_stop_daemon)		*stop_daemon;
	__typeof__(MHD_get_daemon_info)		*get_daemon_info;
	__typeof__(MHD_get_timeout)		*get_timeout;
	__typeof__(MHD_run)			*run;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header)	*add_response_header;
	__typeof__(MHD_queue_response)		*queue_response;
	__typeof__(MHD_destroy_response)	*destroy_response;
};

/* The table, libmicrohttpd loaded on the first call; NULL with why (the
 * library, dlerror()'s text and the package to install) in err. A failed
 * load is tried again on the next call. */
const struct metrics_dl *metrics_dl_load(char *err, size_t errlen);

#endif
