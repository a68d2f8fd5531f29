/* worker_model.c: fake-worker's options of a modelled cost, its warm-up,
 * start delay and injected faults (see worker_model.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "log.h"
#include "worker_model.h"
#include "worker_number.h"

enum {
	O_DIST = WORKER_MODEL_OPT0, O_SD, O_SIGMA, O_SHAPE, O_MIN, O_MAX,
	O_FILE, O_SEED, O_WARM_N, O_WARM_MS, O_START, O_ERROR, O_DROP, O_STALL,
	O_STALL_MS, O_CRASH
};

const struct option worker_model_longopts[WORKER_MODEL_NOPTS] = {
	{ "cost-dist", required_argument, NULL, O_DIST },
	{ "cost-sd-ms", required_argument, NULL, O_SD },
	{ "cost-sigma", required_argument, NULL, O_SIGMA },
	{ "cost-shape", required_argument, NULL, O_SHAPE },
	{ "cost-min-ms", required_argument, NULL, O_MIN },
	{ "cost-max-ms", required_argument, NULL, O_MAX },
	{ "cost-file", required_argument, NULL, O_FILE },
	{ "seed", required_argument, NULL, O_SEED },
	{ "warmup-requests", required_argument, NULL, O_WARM_N },
	{ "warmup-cost-ms", required_argument, NULL, O_WARM_MS },
	{ "start-delay-ms", required_argument, NULL, O_START },
	{ "error-rate", required_argument, NULL, O_ERROR },
	{ "drop-rate", required_argument, NULL, O_DROP },
	{ "stall-rate", required_argument, NULL, O_STALL },
	{ "stall-ms", required_argument, NULL, O_STALL_MS },
	{ "crash-rate", required_argument, NULL, O_CRASH },
};

static double
worker_model_number(int c, const char *s)
{
	const char *opt = worker_model_longopts[c - WORKER_MODEL_OPT0].name;
	double v = worker_number(opt, s, 0, c == O_WARM_N ? 1e9 :
	    c >= O_ERROR && c != O_STALL_MS ? 1 : 864e5);

	if (c == O_WARM_N && v != (long)v)
		log_usage_error("--%s: '%s' is not an integer", opt, s);
	return v;
}

void
worker_model_option(struct worker_opts *o, int c, const char *arg)
{
	struct cost *k = &o->cost;
	char *end;

	switch (c) {
	case O_DIST:
		if (cost_dist_lookup(arg, &k->dist) == -1)
			log_usage_error("--cost-dist: '%s' is not fixed, normal, "
			    "lognormal, gamma, uniform or empirical", arg);
		break;
	case O_SD:	k->sd_ms = worker_model_number(c, arg); break;
	case O_SIGMA:	k->sigma = worker_model_number(c, arg); break;
	case O_SHAPE:	k->shape = worker_model_number(c, arg); break;
	case O_MIN:	k->min_ms = worker_model_number(c, arg); break;
	case O_MAX:	k->max_ms = worker_model_number(c, arg); break;
	case O_FILE:	o->cost_file = arg; break;
	case O_WARM_N:	o->warmup_requests = (long)worker_model_number(c, arg);
		break;
	case O_WARM_MS:	o->warmup_cost_ms = worker_model_number(c, arg); break;
	case O_START:	o->start_delay_ms = worker_model_number(c, arg); break;
	case O_ERROR:	o->faults.error_rate = worker_model_number(c, arg);
		break;
	case O_DROP:	o->faults.drop_rate = worker_model_number(c, arg);
		break;
	case O_STALL:	o->faults.stall_rate = worker_model_number(c, arg);
		break;
	case O_STALL_MS: o->faults.stall_ms = worker_model_number(c, arg);
		break;
	case O_CRASH:	o->faults.crash_rate = worker_model_number(c, arg);
		break;
	case O_SEED:
		errno = 0;
		o->seed = strtoull(arg, &end, 0);
		if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-')
			log_usage_error("--seed: '%s' is not a number from 0 "
			    "to 2^64-1", arg);
		o->has_seed = 1;
		break;
	}
}

void
worker_model_finish(struct worker_opts *o)
{
	struct cost *k = &o->cost;
	char err[512];
	double *v;
	size_t n;

	k->ms = o->cost_ms;
	k->coef = o->coef;
	if (o->cost_file != NULL) {
		if (k->dist != COST_EMPIRICAL)
			log_usage_error("--cost-file goes with --cost-dist "
			    "empirical");
		if (cost_load(o->cost_file, &v, &n, err, sizeof err) == -1)
			log_usage_error("--cost-file: %s", err);
		k->emp = v;
		k->nemp = n;
	}
	if (cost_check(k, err, sizeof err) == -1)
		log_usage_error("%s", err);
	if (o->warmup_cost_ms * o->coef > WORKER_MAX_BUDGET_MS)
		log_usage_error("warm-up cost %g ms x coef %g is over %g ms",
		    o->warmup_cost_ms, o->coef, WORKER_MAX_BUDGET_MS);
	if (fault_check(&o->faults, err, sizeof err) == -1)
		log_usage_error("%s", err);
	if (!o->has_seed)
		o->seed = rng_seed_name(o->name, 0);
}
