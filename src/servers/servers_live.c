/* servers_live.c: a running worker's cost and faults changed without a
 * restart (doc/live.md). fake-serversctl set checks its assignments as
 * the config's would be (conf_live.c) and changes the replicas' copies of
 * their config; a reload whose only changes are such keys hands them
 * over the same way (conf_worker_same does not count them). Either way
 * the values go to the replica's slot of the counters file, where the
 * worker looks at each request; a restarted worker is given them on its
 * command line and in its slot.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "servers_live.h"
#include "wklive.h"

/* The values as fake-worker has them when started with this config
 * (servers_cost.c passes a parameter only to a modelled cost it applies
 * to; an option not given is cost_init's). */
static void
servers_live_vals(const struct wk *w, struct wklive_vals *v)
{
	const struct conf_worker *cw = &w->cw;
	int on = conf_cost_on(cw);

	memset(v, 0, sizeof *v);
	v->cost_ms = cw->cost_ms;
	v->coef = w->coef;
	v->max_ms = HUGE_VAL;
	if (on) {
		v->sd_ms = conf_cost_applies(cw, WK_COST_SD_MS) ?
		    cw->cost_sd_ms : 0;
		v->sigma = conf_cost_applies(cw, WK_COST_SIGMA) ?
		    cw->cost_sigma : 0;
		v->shape = conf_cost_applies(cw, WK_COST_SHAPE) ?
		    cw->cost_shape : 0;
		v->min_ms = cw->cost_min_ms;
		v->max_ms = cw->cost_max_ms;
	}
	v->faults.error_rate = cw->faults.error_rate;
	v->faults.drop_rate = cw->faults.drop_rate;
	v->faults.stall_rate = cw->faults.stall_rate;
	v->faults.stall_ms = cw->faults.stall_ms;
	v->faults.crash_rate = cw->faults.crash_rate;
}

void
servers_live_publish(struct servers *s, struct wk *w)
{
	struct wkstats *slot = wkstats_file_slot(&s->stats.file,
	    w->stats_slot);
	struct wklive_vals v;

	if (slot == NULL)
		return;
	servers_live_vals(w, &v);
	/* The supervisor is the only writer: a plain read of its own. */
	if (slot->live.gen != 0 && memcmp(&slot->live.v, &v, sizeof v) == 0)
		return;
	wklive_write(&slot->live, &v);
}

int
servers_live_try(const struct servers *s, const struct wk *w,
    const struct ctl_req *r, struct conf_worker *out, char *err,
    size_t errlen)
{
	int i;

	*out = w->cw;
	if (w->stats_slot == STATS_NOSLOT) {
		snprintf(err, errlen, "%s has no slot in the counters file to "
		    "take values while it runs (see the log)", w->id);
		return -1;
	}
	for (i = 0; i < r->nset; i++)
		if (conf_live_set(out, r->set[i], err, errlen) == -1)
			return -1;
	return conf_live_check(s->conf, out, err, errlen);
}

void
servers_live_take(struct servers *s, struct wk *w,
    const struct conf_worker *cw)
{
	w->cw = *cw;
	w->coef = s->conf->coef * cw->coef;
	servers_live_publish(s, w);
}

void
servers_live_json(const struct wk *w, json_t *o)
{
	static const char *const names[] = {
		"error_rate", "drop_rate", "stall_rate", "stall_ms",
		"crash_rate"
	};
	const struct conf_faults *f = &w->cw.faults;
	const double vals[] = { f->error_rate, f->drop_rate, f->stall_rate,
	    f->stall_ms, f->crash_rate };
	const struct conf_worker *cw = &w->cw;
	json_t *fo = json_object();
	size_t i;

	json_object_set_new(o, "cost_dist",
	    json_string(cost_dist_name(cw->cost_dist)));
	if (cw->cost_dist == COST_NORMAL)
		json_object_set_new(o, "cost_sd_ms", json_real(cw->cost_sd_ms));
	if (cw->cost_dist == COST_LOGNORMAL)
		json_object_set_new(o, "cost_sigma", json_real(cw->cost_sigma));
	if (cw->cost_dist == COST_GAMMA)
		json_object_set_new(o, "cost_shape", json_real(cw->cost_shape));
	if (conf_cost_on(cw)) {
		json_object_set_new(o, "cost_min_ms",
		    json_real(cw->cost_min_ms));
		json_object_set_new(o, "cost_max_ms",
		    json_real(cw->cost_max_ms));
	}
	for (i = 0; i < FS_NELEM(names); i++)
		if (vals[i] != 0 || f->key_line[i] > 0)
			json_object_set_new(fo, names[i], json_real(vals[i]));
	json_object_set_new(o, "faults", fo);
}
