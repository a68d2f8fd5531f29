/* fault.c: drawing a request's injected fault (see fault.h). */
#include "config.h"

#include <stdio.h>

#include "fault.h"

static const char *const fault_names[FAULT__MAX] = {
	[FAULT_NONE] = "none",
	[FAULT_ERROR] = "error",
	[FAULT_DROP] = "drop",
	[FAULT_STALL] = "stall",
	[FAULT_CRASH] = "crash",
};

const char *
fault_name(enum fault f)
{
	return f >= 0 && f < FAULT__MAX ? fault_names[f] : "?";
}

int
fault_check(const struct fault_rates *f, char *err, size_t errlen)
{
	const double r[] = { f->error_rate, f->drop_rate, f->stall_rate,
	    f->crash_rate };
	double sum = 0;
	size_t i;

	for (i = 0; i < sizeof r / sizeof r[0]; i++) {
		if (!(r[i] >= 0 && r[i] <= 1)) {
			snprintf(err, errlen, "%s_rate %g is not a probability "
			    "(0..1)", fault_names[i + 1], r[i]);
			return -1;
		}
		sum += r[i];
	}
	if (sum > 1) {
		snprintf(err, errlen, "the fault rates sum to %g, more than 1",
		    sum);
		return -1;
	}
	if (!(f->stall_ms >= 0 && f->stall_ms <= 864e5)) {
		snprintf(err, errlen, "stall_ms %g is out of range (0..86400000)",
		    f->stall_ms);
		return -1;
	}
	return 0;
}

int
fault_any(const struct fault_rates *f)
{
	return f->error_rate > 0 || f->drop_rate > 0 || f->stall_rate > 0 ||
	    f->crash_rate > 0;
}

enum fault
fault_draw(const struct fault_rates *f, struct rng *r)
{
	double u;

	if (!fault_any(f))
		return FAULT_NONE;
	u = 1 - rng_unit(r);	/* [0, 1) */
	if ((u -= f->error_rate) < 0)
		return FAULT_ERROR;
	if ((u -= f->drop_rate) < 0)
		return FAULT_DROP;
	if ((u -= f->stall_rate) < 0)
		return FAULT_STALL;
	if ((u -= f->crash_rate) < 0)
		return FAULT_CRASH;
	return FAULT_NONE;
}
