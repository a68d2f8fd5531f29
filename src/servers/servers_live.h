/* servers_live.h: what a running worker takes without a restart (its
 * cost's factors and parameters, its faults: conf_live_set), from
 * fake-serversctl set and from a reload, written to each replica's slot
 * (wklive.h); and what status shows of them. */
#ifndef FS_SERVERS_LIVE_H
#define FS_SERVERS_LIVE_H

#include <jansson.h>

#include "ctlproto.h"
#include "servers_wk.h"

/* Write the replica's values (its cw, its coef) to its slot, when they
 * are not there already: before each start, and when a reload or set
 * changed them. */
void	 servers_live_publish(struct servers *, struct wk *);
/* The replica's config with r's assignments, checked: 0, or -1 with
 * the reason in err (nothing changed). */
int	 servers_live_try(const struct servers *, const struct wk *,
	    const struct ctl_req *, struct conf_worker *out, char *err,
	    size_t errlen);
/* Take what servers_live_try made: the replica runs with it now, and is
 * started with it until a reload gives it the config's again. */
void	 servers_live_take(struct servers *, struct wk *,
	    const struct conf_worker *);
/* Add the replica's live values to its status object: cost_dist and
 * the parameters it takes, "faults" with the rates set. */
void	 servers_live_json(const struct wk *, json_t *o);

#endif
