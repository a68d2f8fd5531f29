/* metrics_dl.c: libmicrohttpd opened with dlopen() and its functions
 * resolved into a table, the first time metrics are configured (see
 * metrics_dl.h). */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "metrics_dl.h"

#define DL_ROW(f)	{ "MHD_" #f, offsetof(struct metrics_dl, f) }

static const struct {
	const char *name;
	size_t	 off;		/* its pointer in struct metrics_dl */
} metrics_dl_syms[] = {
	DL_ROW(start_daemon),
	DL_ROW(stop_daemon),
	DL_ROW(get_daemon_info),
	DL_ROW(get_timeout),
	DL_ROW(run),
	DL_ROW(create_response_from_buffer),
	DL_ROW(add_response_header),
	DL_ROW(queue_response),
	DL_ROW(destroy_response),
};

/* POSIX: a function's address goes through dlsym()'s void *. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
    "function pointers are not the size of void *");

static struct metrics_dl metrics_dl_table;
static int metrics_dl_loaded;

static void
metrics_dl_error(char *err, size_t errlen, const char *what)
{
	const char *e = dlerror();

	snprintf(err, errlen, "cannot load %s (install %s): %s", MHD_SONAME,
	    MHD_PACKAGE, e != NULL ? e : what);
}

/* Kept for the daemon's life once loaded: never dlclose()d, as the
 * listener may come back on a later reload. */
const struct metrics_dl *
metrics_dl_load(char *err, size_t errlen)
{
	struct metrics_dl t;
	void *h, *f;
	size_t i;

	if (metrics_dl_loaded)
		return &metrics_dl_table;
	if ((h = dlopen(MHD_SONAME, RTLD_NOW)) == NULL) {
		metrics_dl_error(err, errlen, "dlopen failed");
		return NULL;
	}
	for (i = 0; i < sizeof metrics_dl_syms / sizeof metrics_dl_syms[0];
	    i++) {
		dlerror();
		if ((f = dlsym(h, metrics_dl_syms[i].name)) == NULL) {
			metrics_dl_error(err, errlen, metrics_dl_syms[i].name);
			dlclose(h);
			return NULL;
		}
		memcpy((char *)&t + metrics_dl_syms[i].off, &f, sizeof f);
	}
	metrics_dl_table = t;
	metrics_dl_loaded = 1;
	return &metrics_dl_table;
}
