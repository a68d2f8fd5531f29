/* client_echo.c: the seed's overhead test: one array sent to an echo
 * worker --samples times, one round trip at a time. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_echo.h"
#include "client_json.h"
#include "client_path.h"
#include "client_pyrepr.h"
#include "clock.h"
#include "exitcode.h"
#include "log.h"

static void
echo_keep(void *data, void *hint)
{
	(void)data;
	(void)hint;			/* the array outlives the context */
}

struct echo_run {
	int	stop;			/* a signal came */
	char	why[256];		/* why the last sample failed */
};

/* A sample failed: said, and kept as the last reason. */
static void echo_failed(struct echo_run *, const char *, ...) FS_PRINTF(2, 3);

static void
echo_failed(struct echo_run *er, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(er->why, sizeof er->why, fmt, ap);
	va_end(ap);
	log_warnx("%s", er->why);
}

/* One round trip: its time, or 0 when it failed. */
static uint64_t
echo_once(struct client *c, int ep, long i, size_t len, struct echo_run *er)
{
	struct client_reply r;
	char hdr[WIRE_HDRMAX], want[CLIENT_MAX_ENDPOINTS] = { 0 };
	struct wire_header h;
	uint64_t shape[3] = { (uint64_t)c->height, (uint64_t)c->width,
	    (uint64_t)c->channels }, t0;

	wire_header_init(&h);
	h.has_frame = 1;
	h.frame = i;
	if (wire_header_array(&h, "uint8", shape, 3) == -1 ||
	    wire_header_write(hdr, sizeof hdr, &h) < 0)
		fatalx("header too long");
	want[ep] = 1;
	t0 = clock_now_ns();
	if (client_path_send_msg(c, ep, i, hdr, strlen(hdr), c->buf, len,
	    echo_keep, NULL) == -1) {
		echo_failed(er, "%s: sample %ld not sent: %s", c->ep[ep].url, i,
		    strerror(errno));
		return 0;
	}
	for (;;) {
		switch (client_path_wait(c, want, t0 + (uint64_t)(c->timeout_ms *
		    1e6), &r)) {
		case -2:
			er->stop = 1;
			snprintf(er->why, sizeof er->why, "interrupted");
			return 0;
		case -1:
			echo_failed(er, "%s: sample %ld: no reply in %.0f ms",
			    c->ep[ep].url, i, c->timeout_ms);
			client_path_reset(c, ep, NULL);
			return 0;
		}
		if (r.frame == i)
			break;
		c->late++;
	}
	if (!r.parsed || r.h.is_error || r.paylen != len) {
		echo_failed(er, "%s: sample %ld: %s", c->ep[ep].url, i, r.h.is_error ?
		    r.h.err : "the reply is not the array sent");
		return 0;
	}
	return clock_now_ns() - t0;
}

static void
echo_json(struct client *c, const struct hist *h, uint64_t total, long failed)
{
	json_t *root;

	root = json_pack("{s:o,s:s,s:I,s:I,s:f,s:f,s:o}",
	    "settings", client_json_settings(c), "endpoint", c->ep[0].url,
	    "samples", (json_int_t)hist_count(h), "failed", (json_int_t)failed,
	    "elapsed_us", (double)total / 1e3,
	    "mean_us", hist_count(h) ? (double)total / 1e3 /
	    (double)hist_count(h) : 0.0, "round_trip_us", client_json_hist(h));
	client_json_save(root, c->o->json);
}

/* The seed's line and ours; when no sample succeeded, why instead of
 * times of 0. */
static void
echo_print(struct client *c, const struct hist *h, uint64_t total, long failed,
    const struct echo_run *er)
{
	size_t len = (size_t)(c->width * c->height * c->channels);
	char a[32], b[32];

	if (hist_count(h) == 0) {
		fprintf(c->out, "no sample succeeded (%ld failed): %s\n", failed,
		    er->why[0] ? er->why : "none was sent");
		return;
	}
	client_pyrepr_float(a, sizeof a, (double)total / 1e9);
	client_pyrepr_float(b, sizeof b, (double)total / 1e9 /
	    (double)hist_count(h));
	fprintf(c->out, "time_elapsed=%s mean=%s\n", a, b);
	if (!c->o->quiet)
		fprintf(c->out, "round trip of %zu bytes to %s: p50 %.3f  p90 %.3f  "
		    "p99 %.3f  max %.3f ms  (%llu ok, %ld failed)\n", len,
		    c->ep[0].url, hist_percentile(h, 50) / 1e6,
		    hist_percentile(h, 90) / 1e6, hist_percentile(h, 99) / 1e6,
		    hist_max(h) / 1e6, (unsigned long long)hist_count(h), failed);
}

int
client_echo(struct client *c)
{
	size_t len = (size_t)(c->width * c->height * c->channels);
	struct hist *h = hist_new();
	uint64_t rtt, total = 0, seed = c->o->seed;
	struct echo_run er = { 0 };
	long i, failed = 0;
	int rc;

	if (h == NULL || (c->buf = malloc(len)) == NULL)
		fatal("cannot allocate a %zu-byte array", len);
	framesrc_random(c->buf, len, &seed);
	for (i = 0; i < c->o->samples && !er.stop; i++) {
		if ((rtt = echo_once(c, 0, i, len, &er)) == 0) {
			failed += !er.stop;
			continue;
		}
		hist_record(h, rtt);
		total += rtt;
	}
	echo_print(c, h, total, failed, &er);
	fflush(c->out);
	if (c->o->json != NULL)
		echo_json(c, h, total, failed);
	rc = failed || er.stop || hist_count(h) == 0 ? FS_EXIT_FAILURE : FS_EXIT_OK;
	hist_free(&h);
	return rc;
}
