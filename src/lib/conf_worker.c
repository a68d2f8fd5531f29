/* conf_worker.c: what a worker's entry means to the programs: its
 * effective cost, its endpoints, and whether a reload must restart it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf_priv.h"

double
conf_worker_cost_ms(const struct conf *c, const struct conf_worker *w)
{
	return w->cost_ms * c->coef * w->coef;
}

int
conf_worker_endpoint(const struct conf *c, const struct conf_worker *w,
    int replica, int bind, char *buf, size_t len)
{
	const char *host = bind ? c->bind : w->host;
	int n;

	if (replica < 0 || replica >= w->replicas || len == 0)
		return -1;
	if (w->transport != TRANSPORT_TCP)	/* shm: its ZeroMQ side is ipc */
		n = snprintf(buf, len, "ipc://%s/%s.%d.sock", c->ipc_dir,
		    w->name, replica);
	else if (strchr(host, ':') != NULL && host[0] != '[')	/* IPv6 */
		n = snprintf(buf, len, "tcp://[%s]:%d", host,
		    w->port + replica);
	else
		n = snprintf(buf, len, "tcp://%s:%d", host, w->port + replica);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* By the keys' reload classes: the worker's keys it is started with, the
 * top-level keys in its endpoints; not those it takes live (CR_LIVE: the
 * reload hands them over, servers_live.c). */
int
conf_worker_same(const struct conf *ca, const struct conf_worker *a,
    const struct conf *cb, const struct conf_worker *b)
{
	unsigned top = 1u << CR_RESTART |
	    1u << (a->transport == TRANSPORT_TCP ? CR_TCP : CR_IPC);

	return conf_key_equal(conf_worker_keys, WK__MAX, a, b,
	    1u << CR_RESTART) &&
	    conf_key_equal(conf_top_keys, TK__MAX, ca, cb, top);
}
