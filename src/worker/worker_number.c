/* worker_number.c: a numeric option of fake-worker's, checked, for
 * worker.c and its option modules. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "log.h"
#include "worker_number.h"

double
worker_number(const char *opt, const char *s, double lo, double hi)
{
	char *end;
	double v;

	v = strtod(s, &end);
	if (end == s || *end != '\0' || !isfinite(v))
		log_usage_error("--%s: '%s' is not a number", opt, s);
	if (v < lo || v > hi)
		log_usage_error("--%s: %s is out of range [%g, %g]", opt, s,
		    lo, hi);
	return v;
}
