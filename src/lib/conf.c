/* conf.c: what the programs ask of a loaded configuration.
 *
 * A worker by name, equality of two configurations (reload does nothing
 * when the file did not change), the names of the enumerated values, the
 * default path, the strings shared across reloads, and the address the
 * metrics key holds.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

/* The name of value v of an enumerated key, "?" if there is none. */
static const char *
enum_name(const struct conf_key *k, int v)
{
	int i;

	for (i = 0; k->names[i] != NULL; i++)
		if (i == v)
			return k->names[i];
	return "?";
}

const char *
conf_kind_name(enum kind_id k)
{
	return enum_name(&conf_worker_keys[WK_KIND], (int)k);
}

const char *
conf_transport_name(enum conf_transport t)
{
	return enum_name(&conf_worker_keys[WK_TRANSPORT], (int)t);
}

const char *
conf_restart_name(enum conf_restart_mode m)
{
	return enum_name(&conf_restart_keys[RK_POLICY], (int)m);
}

const char *
conf_intern(const char *s)
{
	static struct interned {
		struct interned *next;
		char	s[];
	} *head;
	struct interned *e;
	size_t n = strlen(s);

	for (e = head; e != NULL; e = e->next)
		if (strcmp(e->s, s) == 0)
			return e->s;
	if ((e = malloc(sizeof *e + n + 1)) == NULL)
		return "?";
	memcpy(e->s, s, n + 1);
	e->next = head;
	head = e;
	return e->s;
}

const char *
conf_default_path(void)
{
	return SYSCONFDIR "/fake-servers/fake-servers.conf";
}

void
conf_free(struct conf **cp)
{
	if (cp == NULL || *cp == NULL)
		return;
	free((*cp)->workers);
	free(*cp);
	*cp = NULL;
}

const struct conf_worker *
conf_find_worker(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nworkers; i++)
		if (strcmp(c->workers[i].name, name) == 0)
			return &c->workers[i];
	return NULL;
}

/* Every key of the tables, the restart policies and devices included. */
int
conf_equal(const struct conf *a, const struct conf *b)
{
	size_t i;

	if (a->nworkers != b->nworkers || a->ndevices != b->ndevices ||
	    !conf_key_equal(conf_top_keys, TK__MAX, a, b, CR_ALL))
		return 0;
	for (i = 0; i < a->ndevices; i++)
		if (!conf_key_equal(conf_device_keys, DK__MAX, &a->devices[i],
		    &b->devices[i], CR_ALL))
			return 0;
	for (i = 0; i < a->nworkers; i++)
		if (!conf_key_equal(conf_worker_keys, WK__MAX, &a->workers[i],
		    &b->workers[i], CR_ALL))
			return 0;
	return 1;
}

int
conf_hostport(const char *s, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(s, ':'), *h = s;
	size_t n;
	char *end;
	long v;

	if (colon == NULL || colon == s)
		return -1;
	n = (size_t)(colon - s);
	if (s[0] == '[') {	/* [V6]:PORT */
		if (colon[-1] != ']' || n < 3)
			return -1;
		h = s + 1;
		n -= 2;
	} else if (memchr(s, ':', n) != NULL)
		return -1;	/* a bare IPv6 address: which colon ends it? */
	errno = 0;
	v = strtol(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || errno != 0 ||
	    v < 1 || v > 65535 || n >= hostlen)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	*port = (int)v;
	return 0;
}
