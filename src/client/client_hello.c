/* client_hello.c: the seed's basic example: one "Hello" to each endpoint,
 * all at once or one after another, and the time it all took. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_hello.h"
#include "client_path.h"
#include "client_pyrepr.h"
#include "clock.h"
#include "exitcode.h"
#include "log.h"

static int
hello_send(struct client *c, int i, char *want)
{
	printf("Sending request to %s\n", c->ep[i].url);
	fflush(stdout);
	if (client_path_send_msg(c, i, -1, "Hello", 5, NULL, 0, NULL, NULL) == -1) {
		log_warn("%s: not sent", c->ep[i].url);
		return -1;
	}
	want[i] = 1;
	return 0;
}

/* Wait for the replies wanted; 0 when all came. */
static int
hello_collect(struct client *c, char *want, int n, uint64_t deadline)
{
	struct client_reply r;
	char text[WIRE_HDRMAX * 4];
	int i;

	while (n > 0) {
		if ((i = client_path_wait(c, want, deadline, &r)) < 0) {
			for (i = 0; i < c->nep; i++)
				if (want[i])
					log_warnx("%s: no reply in %.0f ms",
					    c->ep[i].url, c->timeout_ms);
			return -1;
		}
		client_pyrepr_bytes(text, sizeof text, r.raw,
		    r.rawn < sizeof r.raw ? r.rawn : sizeof r.raw);
		printf("Received reply from %s: b'%s'\n", c->ep[i].url, text);
		fflush(stdout);
		want[i] = 0;
		n--;
	}
	return 0;
}

int
client_hello(struct client *c)
{
	char want[CLIENT_MAX_ENDPOINTS] = { 0 }, el[32];
	uint64_t t0, tmo = (uint64_t)(c->timeout_ms * 1e6);
	int i, n = 0, failed = 0;

	printf("Connecting to hello world server\xe2\x80\xa6\n");
	t0 = clock_now_ns();
	for (i = 0; i < c->nep; i++) {
		if (hello_send(c, i, want) == -1) {
			failed++;
			continue;
		}
		if (c->o->sequential) {
			if (hello_collect(c, want, 1, clock_now_ns() + tmo) == -1)
				failed++;
			memset(want, 0, sizeof want);
		} else
			n++;
	}
	if (!c->o->sequential && hello_collect(c, want, n, t0 + tmo) == -1)
		failed++;
	client_pyrepr_float(el, sizeof el, (double)(clock_now_ns() - t0) / 1e9);
	printf("Elapse: %s\n", el);
	return failed ? FS_EXIT_FAILURE : FS_EXIT_OK;
}
