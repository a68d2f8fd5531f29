/* client_net.h: an endpoint's DEALER: the one place its sockets are made
 * and their options set; zero-copy sends, replies read whole. */
#ifndef FS_CLIENT_NET_H
#define FS_CLIENT_NET_H

#include <stddef.h>
#include <stdint.h>

#include "client_types.h"

/* A DEALER connected to the endpoint's url, its sends on the I/O threads
 * of its affinity, a CURVE client as me when it has a server key; with
 * mon, also a socket that reports its handshakes (id names it). NULL when
 * it cannot connect (logged). */
void	*client_net_open(void *zctx, const struct client_ep *ep,
	    const struct cert *me, void **mon, int id);
void	 client_net_close(void **sock);
/* Wait for the handshakes the monitors mon[0..n) report, until every
 * socket is up or has failed (c->ep[i].hs), or the timeout; failed(c, i)
 * is called at once for each failure. Returns how many are up, and
 * closes the monitors. */
int	 client_net_wait_connected(void *const *sock, void **mon, int n,
	    double timeout_ms, struct client *c,
	    void (*failed)(const struct client *, int i));
/* [empty][header][data]: see client_net.c. 0, or -1 with errno. */
int	 client_net_send(void *sock, const char *hdr, size_t hlen, void *data,
	    size_t len, void (*ffn)(void *, void *), void *hint);
/* 1 with a message in r, 0 when there is none, -1 on a socket error;
 * url names the endpoint in a log line. */
int	 client_net_recv(void *sock, const char *url, struct client_reply *r);
/* Does url name this host: an ipc:// path, or a tcp:// host whose address
 * is one of this host's interfaces' (loopback or not)? */
int	 client_net_is_local(const char *url);

#endif
