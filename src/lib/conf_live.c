/* conf_live.c: the keys of a worker it takes while it runs, those whose
 * row's reload class is CR_LIVE (conf_key.c): one given as "KEY=VALUE"
 * (fake-serversctl set) checked as the file's value would be, by its
 * row's range and the distribution it belongs to, then the checks across
 * them the worker makes itself (cost.c, fault.c) and the effective cost.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"
#include "fault.h"

#define FAULTS_PREFIX	"faults."

/* The live key called name: its row and where its value is in w, or
 * NULL. A fault is "error_rate" or "faults.error_rate". */
static const struct conf_key *
conf_live_find(struct conf_worker *w, const char *name, size_t len,
    void **base, int **line)
{
	size_t i, pre = sizeof FAULTS_PREFIX - 1;

	for (i = 0; i < WK__MAX; i++)
		if (conf_worker_keys[i].reload == CR_LIVE &&
		    strlen(conf_worker_keys[i].name) == len &&
		    strncmp(conf_worker_keys[i].name, name, len) == 0) {
			*base = w;
			*line = &w->key_line[i];
			return &conf_worker_keys[i];
		}
	if (len > pre && strncmp(name, FAULTS_PREFIX, pre) == 0) {
		name += pre;
		len -= pre;
	}
	for (i = 0; i < FK__MAX; i++)
		if (conf_faults_keys[i].reload == CR_LIVE &&
		    strlen(conf_faults_keys[i].name) == len &&
		    strncmp(conf_faults_keys[i].name, name, len) == 0) {
			*base = &w->faults;
			*line = &w->faults.key_line[i];
			return &conf_faults_keys[i];
		}
	return NULL;
}

void
conf_live_names(char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < WK__MAX && n < len; i++)
		if (conf_worker_keys[i].reload == CR_LIVE)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n ? " " : "", conf_worker_keys[i].name);
	for (i = 0; i < FK__MAX && n < len; i++)
		if (conf_faults_keys[i].reload == CR_LIVE)
			n += (size_t)snprintf(buf + n, len - n, " %s",
			    conf_faults_keys[i].name);
}

static int
conf_live_number(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return errno == 0 && end != s && *end == '\0' && isfinite(*v) &&
	    strspn(s, " \t") == 0 ? 0 : -1;
}

int
conf_live_set(struct conf_worker *w, const char *assign, char *err,
    size_t errlen)
{
	const char *eq = strchr(assign, '=');
	const struct conf_key *k;
	char names[256], range[64];
	int *line, i;
	void *base;
	double v;

	if (eq == NULL || eq == assign) {
		snprintf(err, errlen, "'%.64s' is not KEY=VALUE", assign);
		return -1;
	}
	if ((k = conf_live_find(w, assign, (size_t)(eq - assign), &base,
	    &line)) == NULL || k->type != CV_NUM) {
		conf_live_names(names, sizeof names);
		snprintf(err, errlen, "'%.*s' is not a key a running worker "
		    "takes (%s)", (int)(eq - assign > 64 ? 64 : eq - assign),
		    assign, names);
		return -1;
	}
	if (conf_live_number(eq + 1, &v) == -1) {
		snprintf(err, errlen, "%s '%.64s' is not a number", k->name,
		    eq + 1);
		return -1;
	}
	if (!conf_key_in_range(k, v)) {
		conf_key_range(k, range, sizeof range);
		snprintf(err, errlen, "%s %.15g is out of range (%s)", k->name,
		    v, range);
		return -1;
	}
	i = (int)(k - conf_worker_keys);
	if (base == w && !conf_cost_applies(w, i)) {
		snprintf(err, errlen, "%s is not a parameter of cost_dist "
		    "\"%s\", this worker's", k->name, cost_dist_name(w->cost_dist));
		return -1;
	}
	*(double *)(void *)((char *)base + k->off) = v;
	if (*line == 0)		/* set: passed to it when it starts again */
		*line = w->line > 0 ? w->line : 1;
	return 0;
}

int
conf_live_check(const struct conf *c, const struct conf_worker *w,
    char *err, size_t errlen)
{
	const struct conf_faults *f = &w->faults;
	struct fault_rates r = { f->error_rate, f->drop_rate, f->stall_rate,
	    f->stall_ms, f->crash_rate };
	double cost = conf_worker_cost_ms(c, w);
	struct cost k;

	cost_init(&k, w->cost_ms);
	k.dist = w->cost_dist;
	k.sd_ms = w->cost_sd_ms;
	k.sigma = w->cost_sigma;
	k.shape = w->cost_shape;
	k.min_ms = w->cost_min_ms;
	k.max_ms = w->cost_max_ms;
	k.coef = c->coef * w->coef;
	k.nemp = 1;	/* its cost_file was read at load */
	if (cost_check(&k, err, errlen) == -1 ||
	    fault_check(&r, err, errlen) == -1)
		return -1;
	if (!(cost <= CONF_COST_MAX_MS)) {
		snprintf(err, errlen, "effective cost %g ms (cost_ms x coef x "
		    "global coef) is more than a day", cost);
		return -1;
	}
	return 0;
}
