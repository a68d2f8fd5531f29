/* client_curve.c: fake-client's CURVE keys, and what a failed handshake
 * means to the user.
 *
 * An endpoint uses CURVE when its worker's public key is known: from
 * --curve-server-key (every worker's), else from the public_key_file of
 * its worker in the config. Then our own key pair (--curve-key) is needed.
 * A worker that refuses us, or that we cannot talk to, is said so per
 * worker, with what to check, as soon as its handshake fails.
 */
#include "config.h"

#include <string.h>

#include "client_curve.h"
#include "exitcode.h"
#include "log.h"

/* The public key file of endpoint i's worker, or NULL: no CURVE. *blind:
 * the worker uses CURVE, but the config does not say its public key. */
static const char *
server_key_file(const struct client *c, int i, int *blind)
{
	const struct conf_worker *w;

	*blind = 0;
	if (c->o->curve_server_key != NULL)
		return c->o->curve_server_key;
	if (c->conf == NULL || (w = conf_find_worker(c->conf,
	    c->t[c->ep[i].target].name)) == NULL)
		return NULL;
	if (w->curve.public_key_file[0] != '\0')
		return w->curve.public_key_file;
	*blind = w->curve.secret_key_file[0] != '\0';
	return NULL;
}

/* Each endpoint's server key; the number of endpoints with one, or -1. */
static int
server_keys(struct client *c)
{
	const char *file, *last = NULL, *name;
	struct cert k;
	char err[1024];
	int i, blind, n = 0;

	for (i = 0; i < c->nep; i++) {
		name = c->t[c->ep[i].target].name;
		if ((file = server_key_file(c, i, &blind)) == NULL && blind) {
			log_warnx("worker %s uses CURVE, but the configuration "
			    "names no public_key_file for it: set one, or give "
			    "--curve-server-key FILE", name);
			return -1;
		}
		if (file == NULL)
			continue;
		if ((last == NULL || strcmp(file, last) != 0) &&
		    cert_load(file, CERT_PUBLIC, &k, err, sizeof err) == -1) {
			log_warnx("worker %s's public key: %s", name, err);
			return -1;
		}
		last = file;
		memcpy(c->ep[i].curve_server, k.public_txt,
		    sizeof c->ep[i].curve_server);
		c->ep[i].curve_file = file;
		n++;
	}
	return n;
}

int
client_curve_setup(struct client *c)
{
	const char *key = c->o->curve_key;
	char err[1024];
	int n;

	if ((n = server_keys(c)) == -1)
		return c->o->curve_server_key ? FS_EXIT_USAGE : FS_EXIT_CONFIG;
	if (n > 0 && key == NULL) {
		log_warnx("%s uses CURVE: give --curve-key FILE, our key pair "
		    "(fake-serversctl keygen DIR NAME makes one; NAME.key goes "
		    "into the workers' allow_dir)", c->o->curve_server_key ?
		    "--curve-server-key" : "the configuration");
		return FS_EXIT_USAGE;
	}
	if (key == NULL)
		return FS_EXIT_OK;
	if (n == 0)
		log_warnx("--curve-key: no worker uses CURVE (the configuration "
		    "names no public_key_file and no --curve-server-key was "
		    "given)");
	if (cert_load(key, CERT_SECRET, &c->curve, err, sizeof err) == -1) {
		log_warnx("--curve-key: %s", err);
		return FS_EXIT_USAGE;
	}
	return FS_EXIT_OK;
}

void
client_curve_failed(const struct client *c, int i)
{
	const struct client_ep *ep = &c->ep[i];
	const char *name = c->t[ep->target].name;

	switch (ep->hs) {
	case HS_REFUSED:
		log_warnx("worker %s (%s) refused our key %.8s...: is the "
		    "public half of %s in its allow_dir?", name, ep->url,
		    c->curve.public_txt, c->o->curve_key);
		break;
	case HS_REJECTED:
		log_warnx("worker %s (%s) did not accept the handshake: is its "
		    "public key right? (%.8s... from %s)", name, ep->url,
		    ep->curve_server, ep->curve_file);
		break;
	case HS_MECHANISM:
		if (ep->curve_server[0] != '\0')
			log_warnx("worker %s (%s) does not use CURVE, but %s is "
			    "given as its public key", name, ep->url,
			    ep->curve_file);
		else
			log_warnx("worker %s (%s) uses CURVE: give --curve-key "
			    "and its public key (public_key_file in the "
			    "configuration, or --curve-server-key)", name,
			    ep->url);
		break;
	case HS_PROTOCOL:
		log_warnx("worker %s (%s): the handshake failed (a ZeroMQ "
		    "protocol error)", name, ep->url);
		break;
	case HS_PENDING:
	case HS_UP:
		break;
	}
}
