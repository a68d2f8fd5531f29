/* worker_live.c: a running worker takes the cost and faults its
 * supervisor wrote into its slot (fake-serversctl set, a reload; see
 * wklive.h). Called from the request path only when the block's
 * generation moved, so a request pays one relaxed load for it. The
 * values are checked as the options are: a block that fails is logged
 * and left, the worker keeps what it had. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "wklive.h"
#include "worker_live.h"

static int
worker_live_check(const struct worker *w, const struct cost *k,
    const struct fault_rates *f)
{
	char err[256];

	if (cost_check(k, err, sizeof err) == -1 ||
	    fault_check(f, err, sizeof err) == -1)
		;
	else if (!(k->ms * k->coef <= WORKER_MAX_BUDGET_MS) ||
	    !(w->o->warmup_cost_ms * k->coef <= WORKER_MAX_BUDGET_MS))
		snprintf(err, sizeof err, "cost %g ms x coef %g is over %g ms",
		    k->ms, k->coef, WORKER_MAX_BUDGET_MS);
	else
		return 0;
	log_warnx("%s: live parameters refused: %s", w->o->name, err);
	return -1;
}

void
worker_live_apply(struct worker *w)
{
	const struct wkstats *slot = w->o->stats.slot;
	struct wklive_vals v;
	struct cost k = w->cost;
	uint64_t gen;

	if (wklive_read(&slot->live, &v, &gen) == -1)
		return;		/* being written: at the next request */
	w->live_gen = gen;
	k.ms = v.cost_ms;
	k.sd_ms = v.sd_ms;
	k.sigma = v.sigma;
	k.shape = v.shape;
	k.min_ms = v.min_ms;
	k.max_ms = v.max_ms;
	k.coef = v.coef;
	if (k.ms == w->cost.ms && k.sd_ms == w->cost.sd_ms &&
	    k.sigma == w->cost.sigma && k.shape == w->cost.shape &&
	    k.min_ms == w->cost.min_ms && k.max_ms == w->cost.max_ms &&
	    k.coef == w->cost.coef &&
	    memcmp(&v.faults, &w->faults, sizeof v.faults) == 0)
		return;		/* what it was started with */
	if (worker_live_check(w, &k, &v.faults) == -1)
		return;
	w->cost = k;
	w->faults = v.faults;
	w->faulty = fault_any(&w->faults);
	w->cost_ns = (uint64_t)(k.ms * k.coef * 1e6 + 0.5);
	w->warm_ns = (uint64_t)(w->o->warmup_cost_ms * k.coef * 1e6 + 0.5);
	log_info("%s: now cost_ms %g x coef %g (%s), error_rate %g, drop_rate "
	    "%g, stall_rate %g, stall_ms %g, crash_rate %g", w->o->name,
	    k.ms, k.coef, cost_dist_name(k.dist), v.faults.error_rate,
	    v.faults.drop_rate, v.faults.stall_rate, v.faults.stall_ms,
	    v.faults.crash_rate);
}
