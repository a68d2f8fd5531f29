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

/* Everything a worker process is started with; not its restart policy,
 * which the supervisor applies without a restart. */
int
conf_worker_same(const struct conf *ca, const struct conf_worker *a,
    const struct conf *cb, const struct conf_worker *b)
{
	return strcmp(a->name, b->name) == 0 && a->kind == b->kind &&
	    a->port == b->port && a->replicas == b->replicas &&
	    conf_worker_cost_ms(ca, a) == conf_worker_cost_ms(cb, b) &&
	    a->n_classes == b->n_classes && a->window == b->window &&
	    strcmp(a->host, b->host) == 0 &&
	    strcmp(a->output_dtype, b->output_dtype) == 0 &&
	    a->transport == b->transport &&
	    a->max_frame_bytes == b->max_frame_bytes &&
	    (a->transport == TRANSPORT_TCP ? strcmp(ca->bind, cb->bind) :
	    strcmp(ca->ipc_dir, cb->ipc_dir)) == 0;
}
