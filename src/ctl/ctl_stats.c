/* ctl_stats.c: `fake-serversctl stats` for a person: per replica, its
 * requests, mean times and the histogram's percentiles (as the upper
 * bound of the bucket they fall in), then the summary with the rate. */
#include "config.h"

#include <stdio.h>

#include "ctl.h"

static double
ctl_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : 0;
}

/* The bound (ms) of the bucket where the p-quantile falls: "1.25",
 * ">50" past the last bound, "-" without requests. */
static void
ctl_quantile(json_t *hist, double p, char *buf, size_t len)
{
	json_t *b, *last = NULL;
	double total;
	size_t i;

	/* Cumulative counts: the last, +Inf's, is the total. */
	total = json_number_value(json_array_get(json_array_get(hist,
	    json_array_size(hist) - 1), 1));
	snprintf(buf, len, "-");
	if (total <= 0)
		return;
	json_array_foreach(hist, i, b) {
		if (json_number_value(json_array_get(b, 1)) >= p * total) {
			if (json_is_number(json_array_get(b, 0)))
				snprintf(buf, len, "%.3f", 1e3 *
				    json_number_value(json_array_get(b, 0)));
			else
				snprintf(buf, len, ">%.3f", last == NULL ? 0 :
				    1e3 * json_number_value(json_array_get(last, 0)));
			return;
		}
		last = b;
	}
}

void
ctl_print_stats(json_t *o)
{
	json_t *ws = json_object_get(o, "workers"), *w;
	char p50[32], p99[32];
	double n;
	size_t i;

	printf("%-24s %-8s %10s %8s %7s %9s %10s %9s %9s %8s\n", "NAME",
	    "STATE", "REQUESTS", "FAILED", "PENDING", "MEAN_MS", "COMPUTE_MS",
	    "P50_MS", "P99_MS", "RESTARTS");
	json_array_foreach(ws, i, w) {
		n = ctl_num(w, "success");
		ctl_quantile(json_object_get(w, "histogram"), 0.5, p50, sizeof p50);
		ctl_quantile(json_object_get(w, "histogram"), 0.99, p99, sizeof p99);
		printf("%-24s %-8s %10.0f %8.0f %7.0f %9.3f %10.3f %9s %9s %8.0f\n",
		    json_string_value(json_object_get(w, "id")),
		    json_string_value(json_object_get(w, "state")), n,
		    ctl_num(w, "failure"), ctl_num(w, "pending"),
		    n > 0 ? ctl_num(w, "request_us") / n / 1e3 : 0,
		    n > 0 ? ctl_num(w, "compute_infer_us") / n / 1e3 : 0,
		    p50, p99, ctl_num(w, "restarts"));
	}
	printf("%s; %.0f reload%s", json_string_value(json_object_get(o,
	    "summary")), ctl_num(o, "reloads"), ctl_num(o, "reloads") == 1 ?
	    "" : "s");
	if (json_string_length(json_object_get(o, "metrics")) > 0)
		printf("; metrics on http://%s/metrics",
		    json_string_value(json_object_get(o, "metrics")));
	putchar('\n');
}
