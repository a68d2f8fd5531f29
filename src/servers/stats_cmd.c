/* stats_cmd.c: the reply to `fake-serversctl stats`: the figures of the
 * metrics page (expo.h's table, the histogram, the supervisor's own) as
 * JSON, one object per replica. */
#include "config.h"

#include <unistd.h>

#include "ctlproto.h"
#include "expo.h"
#include "metrics.h"
#include "servers_wk.h"

/* [[le_seconds, cumulative count], ..., [null, count]]: null is +Inf. */
static json_t *
stats_cmd_hist(const struct wkstats *st)
{
	json_t *a = json_array();
	uint64_t n = 0;
	uint32_t i;

	for (i = 0; i <= st->nbounds; i++) {
		n += st->bucket[i];
		json_array_append_new(a, json_pack("[o, I]", i < st->nbounds ?
		    json_real((double)st->bound_ns[i] / 1e9) : json_null(),
		    (json_int_t)n));
	}
	return a;
}

static json_t *
stats_cmd_wk(const struct servers *s, const struct wk *w)
{
	struct wkstats st;
	json_t *o;
	size_t i;

	o = json_pack("{s:s, s:s, s:i, s:s, s:s, s:b, s:i, s:f}", "id", w->id,
	    "name", w->cw.name, "replica", w->replica,
	    "kind", conf_kind_name(w->cw.kind),
	    "state", sup_state_name(w->sup.state),
	    "up", w->pid > 0 && w->sup.state == SUP_READY,
	    "restarts", (int)w->sup.restarts,
	    "start_time", w->sup.started == 0 ? 0 : stats_wall(s, w->sup.started));
	if (o == NULL || stats_wk_read(s, w, &st) == -1)
		return o;
	for (i = 0; i < expo_nfigures; i++)
		json_object_set_new(o, expo_figures[i].key,
		    json_integer((json_int_t)expo_value(&expo_figures[i], &st)));
	json_object_set_new(o, "histogram", stats_cmd_hist(&st));
	return o;
}

char *
stats_cmd(struct servers *s)
{
	json_t *arr = json_array(), *o;
	char sum[128];
	size_t i;

	for (i = 0; i < s->nw; i++)
		if (!s->w[i].removed)
			json_array_append_new(arr, stats_cmd_wk(s, &s->w[i]));
	servers_wk_summary(s, sum, sizeof sum);
	o = json_pack("{s:i, s:s, s:f, s:I, s:s, s:o}", "pid", (int)getpid(),
	    "summary", sum, "rate", s->stats.rate,
	    "reloads", (json_int_t)s->stats.reloads, "metrics",
	    s->stats.http ? metrics_address(s->stats.http) : "", "workers", arr);
	if (o == NULL)
		return ctlproto_reply_error("out of memory");
	return ctlproto_reply_ok(o);
}
