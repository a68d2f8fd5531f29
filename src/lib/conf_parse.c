/* conf_parse.c: from libconfig's tree to struct conf.
 *
 * This pass reports what the struct cannot hold: syntax errors, unknown
 * keys, wrong types, unknown names of kinds, transports and policies,
 * strings too long for their buffer and integers beyond int. A key that is
 * present but unusable is marked invalid so that conf_validate, which checks
 * everything else, does not report it a second time.
 */
#include "config.h"

#include <libconfig.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

struct conf_ctx {
	struct conf	*conf;
	struct conf_errors *errs;
	const char	*file;
	int		 main;		/* the main file, not fake-servers.d */
	int		 toomany;	/* said "too many workers" */
};

/* Every member of a group by the key table; the settings of the group and
 * list keys are left in sub[] for the caller. */
static void
parse_group(struct conf_ctx *x, const config_setting_t *grp,
    const struct conf_group *g, const config_setting_t **sub)
{
	const config_setting_t *s;
	const char *name;
	size_t i;
	int n;

	for (n = 0; (s = config_setting_get_elem(grp, (unsigned)n)); n++) {
		name = config_setting_name(s);
		for (i = 0; i < g->nkeys; i++)
			if (strcmp(name, g->keys[i].name) == 0)
				break;
		if (i == g->nkeys) {
			conf_errors_add(x->errs, x->file,
			    (int)config_setting_source_line(s),
			    "%sunknown key '%s'", g->label, name);
			continue;
		}
		if (!x->main && g->keys == conf_top_keys && i != TK_WORKERS) {
			conf_errors_add(x->errs, x->file,
			    (int)config_setting_source_line(s), "%s may only be "
			    "set in the main file (fake-servers.d files define "
			    "workers)", name);
			continue;
		}
		g->key_line[i] = (int)config_setting_source_line(s);
		if (conf_value_set(g, &g->keys[i], s, x->file,
		    x->errs) == -1)
			*g->invalid |= 1u << i;
		else if (sub != NULL)
			sub[i] = s;
	}
}

static void
parse_restart(struct conf_ctx *x, const config_setting_t *grp,
    struct conf_restart *r, const char *label)
{
	struct conf_group g = { conf_restart_keys, RK__MAX, r, r->key_line,
	    &r->invalid, label };

	parse_group(x, grp, &g, NULL);
}

static void
parse_faults(struct conf_ctx *x, const config_setting_t *grp,
    struct conf_faults *f, const char *label)
{
	struct conf_group g = { conf_faults_keys, FK__MAX, f, f->key_line,
	    &f->invalid, label };

	parse_group(x, grp, &g, NULL);
}

/* A batch group: its defaults, then what it sets, then derived ones. */
static void
parse_batch(struct conf_ctx *x, const config_setting_t *grp,
    struct conf_batch *b, const char *label)
{
	struct conf_group g = { conf_batch_keys, BK__MAX, b, b->key_line,
	    &b->invalid, label };

	conf_key_defaults(&g);
	parse_group(x, grp, &g, NULL);
	conf_key_derive(&g, x->conf);
}

/* A curve group over what it inherits; worker: a worker's own. */
static void
parse_curve(struct conf_ctx *x, const config_setting_t *grp,
    struct conf_curve *cv, const char *label, int worker)
{
	struct conf_group g = { conf_curve_keys, CK__MAX, cv, cv->key_line,
	    &cv->invalid, label };

	parse_group(x, grp, &g, NULL);
	conf_curve_finish(cv, worker);
}

/* "worker 'name': " for messages, long names cut short. */
static void
worker_label(char *buf, size_t len, const char *name)
{
	int cut = strlen(name) >= CONF_NAME_MAX;

	snprintf(buf, len, "worker '%.*s%s': ", CONF_NAME_MAX - 1, name,
	    cut ? "..." : "");
}

static struct conf_worker *
worker_new(struct conf_ctx *x, const config_setting_t *grp)
{
	struct conf *c = x->conf;
	struct conf_worker *w;
	size_t n = c->nworkers;

	if (n == CONF_WORKERS_MAX) {
		if (!x->toomany++)
			conf_errors_add(x->errs, x->file,
			    (int)config_setting_source_line(grp),
			    "too many workers (at most %d)", CONF_WORKERS_MAX);
		return NULL;
	}
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
		w = realloc(c->workers, (n == 0 ? 8 : 2 * n) * sizeof *w);
		if (w == NULL) {
			conf_errors_add(x->errs, x->file, 0, "out of memory");
			return NULL;
		}
		c->workers = w;
	}
	w = &c->workers[c->nworkers++];
	memset(w, 0, sizeof *w);
	return w;
}

static void
parse_worker(struct conf_ctx *x, const config_setting_t *grp)
{
	struct conf_worker *w;
	const config_setting_t *sub[WK__MAX] = { NULL };
	const char *name = NULL;
	char label[CONF_NAME_MAX + 32];
	struct conf_group g = { conf_worker_keys, WK__MAX, NULL, NULL, NULL,
	    label };

	if ((w = worker_new(x, grp)) == NULL)
		return;
	g.base = w;
	g.key_line = w->key_line;
	g.invalid = &w->invalid;
	conf_key_defaults(&g);
	w->restart = x->conf->restart;
	memset(w->restart.key_line, 0, sizeof w->restart.key_line);
	w->restart.invalid = 0;
	w->curve = x->conf->curve;
	memset(w->curve.key_line, 0, sizeof w->curve.key_line);
	w->curve.invalid = 0;
	w->file = conf_intern(x->file);
	w->line = (int)config_setting_source_line(grp);

	if (config_setting_lookup_string(grp, "name", &name) == CONFIG_TRUE &&
	    strlen(name) < CONF_NAME_MAX)
		worker_label(label, sizeof label, name);
	else
		snprintf(label, sizeof label, "worker at line %d: ", w->line);
	parse_group(x, grp, &g, sub);
	if (sub[WK_RESTART] != NULL) {
		char rlabel[sizeof label + 16];

		snprintf(rlabel, sizeof rlabel, "%srestart: ", label);
		parse_restart(x, sub[WK_RESTART], &w->restart, rlabel);
	}
	if (sub[WK_FAULTS] != NULL) {
		char flabel[sizeof label + 16];

		snprintf(flabel, sizeof flabel, "%sfaults: ", label);
		parse_faults(x, sub[WK_FAULTS], &w->faults, flabel);
	}
	if (sub[WK_BATCH] != NULL) {
		char blabel[sizeof label + 16];

		snprintf(blabel, sizeof blabel, "%sbatch: ", label);
		parse_batch(x, sub[WK_BATCH], &w->batch, blabel);
	}
	if (sub[WK_CURVE] != NULL) {
		char clabel[sizeof label + 16];

		snprintf(clabel, sizeof clabel, "%scurve: ", label);
		parse_curve(x, sub[WK_CURVE], &w->curve, clabel, 1);
	}
	conf_cost_resolve(w, x->file, label, x->errs);
	conf_key_derive(&g, x->conf);
}

static void
parse_workers(struct conf_ctx *x, const config_setting_t *list)
{
	const config_setting_t *s;
	unsigned i;

	for (i = 0; (s = config_setting_get_elem(list, i)) != NULL; i++) {
		if (config_setting_is_group(s))
			parse_worker(x, s);
		else
			conf_errors_add(x->errs, x->file,
			    (int)config_setting_source_line(s),
			    "workers: element %u must be a group { ... }, not %s",
			    i + 1, conf_value_type(s));
	}
}

/* The devices list: each a group of the device keys. */
static void
parse_devices(struct conf_ctx *x, const config_setting_t *list)
{
	struct conf *c = x->conf;
	const config_setting_t *s;
	struct conf_device *d;
	struct conf_group g = { conf_device_keys, DK__MAX, NULL, NULL, NULL,
	    "device: " };
	unsigned i;

	for (i = 0; (s = config_setting_get_elem(list, i)) != NULL; i++) {
		if (!config_setting_is_group(s)) {
			conf_errors_add(x->errs, x->file,
			    (int)config_setting_source_line(s), "devices: "
			    "element %u must be a group { ... }, not %s",
			    i + 1, conf_value_type(s));
			continue;
		}
		if (c->ndevices == CONF_DEVICES_MAX) {
			conf_errors_add(x->errs, x->file,
			    (int)config_setting_source_line(s), "too many "
			    "devices (at most %d)", CONF_DEVICES_MAX);
			return;
		}
		d = &c->devices[c->ndevices++];
		memset(d, 0, sizeof *d);
		d->line = (int)config_setting_source_line(s);
		g.base = d;
		g.key_line = d->key_line;
		g.invalid = &d->invalid;
		conf_key_defaults(&g);
		parse_group(x, s, &g, NULL);
	}
}

static void
parse_root(struct conf_ctx *x, const config_setting_t *root)
{
	struct conf *c = x->conf;
	const config_setting_t *sub[TK__MAX] = { NULL };
	int top_line[TK__MAX] = { 0 };
	unsigned top_invalid = 0;
	struct conf_group g = { conf_top_keys, TK__MAX, c, c->key_line,
	    &c->invalid, "" };

	if (!x->main) {		/* the main file's keys stay its own */
		g.key_line = top_line;
		g.invalid = &top_invalid;
	}
	parse_group(x, root, &g, sub);
	if (sub[TK_RESTART] != NULL)
		parse_restart(x, sub[TK_RESTART], &c->restart, "restart: ");
	if (sub[TK_CURVE] != NULL)
		parse_curve(x, sub[TK_CURVE], &c->curve, "curve: ", 0);
	if (sub[TK_DEVICES] != NULL)
		parse_devices(x, sub[TK_DEVICES]);
	if (sub[TK_WORKERS] != NULL)
		parse_workers(x, sub[TK_WORKERS]);
}

int
conf_parse_text(struct conf *c, const char *text, const char *file,
    int main, struct conf_errors *errs)
{
	struct conf_ctx x = { c, errs, file, main, 0 };
	config_t cfg;

	config_init(&cfg);
	if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		conf_errors_add(errs, file, config_error_line(&cfg), "%s",
		    config_error_text(&cfg));
		config_destroy(&cfg);
		return -1;
	}
	parse_root(&x, config_root_setting(&cfg));
	config_destroy(&cfg);
	return 0;
}
