/* conf.c: what the programs ask of a loaded configuration.
 *
 * A worker by name, equality of two configurations (reload does nothing
 * when the file did not change), the names of the enumerated values, the
 * default path, and the strings shared across reloads.
 */
#include "config.h"

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

static int
restart_equal(const struct conf_restart *a, const struct conf_restart *b)
{
	return a->mode == b->mode && a->backoff_min_ms == b->backoff_min_ms &&
	    a->backoff_max_ms == b->backoff_max_ms && a->burst == b->burst &&
	    a->interval_s == b->interval_s &&
	    a->min_uptime_ms == b->min_uptime_ms &&
	    a->start_timeout_ms == b->start_timeout_ms &&
	    a->stop_timeout_ms == b->stop_timeout_ms;
}

int
conf_equal(const struct conf *a, const struct conf *b)
{
	const struct conf_worker *wa, *wb;
	size_t i;

	if (a->coef != b->coef || strcmp(a->bind, b->bind) != 0 ||
	    strcmp(a->control, b->control) != 0 ||
	    strcmp(a->control_group, b->control_group) != 0 ||
	    a->max_frame_bytes != b->max_frame_bytes ||
	    strcmp(a->ipc_dir, b->ipc_dir) != 0 ||
	    strcmp(a->metrics, b->metrics) != 0 ||
	    !restart_equal(&a->restart, &b->restart) ||
	    a->nworkers != b->nworkers)
		return 0;
	for (i = 0; i < a->nworkers; i++) {
		wa = &a->workers[i];
		wb = &b->workers[i];
		if (!conf_worker_same(a, wa, b, wb) || wa->cost_ms != wb->cost_ms ||
		    wa->coef != wb->coef ||
		    !restart_equal(&wa->restart, &wb->restart))
			return 0;
	}
	return 1;
}
