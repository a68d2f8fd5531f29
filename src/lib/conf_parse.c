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

static const char *
type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:	return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:	return "an integer";
	case CONFIG_TYPE_FLOAT:	return "a float";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL:	return "a boolean";
	case CONFIG_TYPE_ARRAY:	return "an array";
	case CONFIG_TYPE_LIST:	return "a list";
	}
	return "nothing";
}

static const char *
want_name(enum conf_vtype t)
{
	switch (t) {
	case CV_INT:
	case CV_I64:	return "an integer";
	case CV_NUM:	return "a number";
	case CV_STR:
	case CV_PATH:
	case CV_ENUM:	return "a string";
	case CV_BOOL:	return "a boolean (true or false)";
	case CV_GROUP:	return "a group { ... }";
	case CV_LIST:	return "a list of groups ( { ... }, ... )";
	}
	return "?";
}

static int
type_ok(enum conf_vtype t, const config_setting_t *s)
{
	switch (t) {
	case CV_INT:
	case CV_I64:
	case CV_NUM:	return config_setting_is_number(s);
	case CV_STR:
	case CV_PATH:
	case CV_ENUM:	return config_setting_type(s) == CONFIG_TYPE_STRING;
	case CV_BOOL:	return config_setting_type(s) == CONFIG_TYPE_BOOL;
	case CV_GROUP:	return config_setting_is_group(s);
	case CV_LIST:	return config_setting_is_list(s);
	}
	return 0;
}

/* An integer setting, or an integral float, into *ll; -1 when reported. */
static int
get_integer(struct conf_ctx *x, const struct conf_group *g,
    const struct conf_key *k, const config_setting_t *s, long long *ll,
    char *v, size_t vlen)
{
	int line = (int)config_setting_source_line(s);
	double d;

	if (config_setting_type(s) != CONFIG_TYPE_FLOAT) {
		*ll = config_setting_get_int64(s);
		snprintf(v, vlen, "%lld", *ll);
		return 0;
	}
	d = config_setting_get_float(s);
	snprintf(v, vlen, "%g", d);
	if (!(d >= -9e18 && d <= 9e18)) {	/* beyond long long, or NaN */
		conf_key_range_error(x->errs, x->file, line, g->label, k, v);
		return -1;
	}
	if (d != (double)(long long)d) {
		conf_errors_add(x->errs, x->file, line,
		    "%s%s %s is not an integer", g->label, k->name, v);
		return -1;
	}
	*ll = (long long)d;
	return 0;
}

static int
set_int(struct conf_ctx *x, const struct conf_group *g,
    const struct conf_key *k, const config_setting_t *s, int *dst)
{
	long long ll;
	char v[64];

	if (get_integer(x, g, k, s, &ll, v, sizeof v) == -1)
		return -1;
	if (ll < INT_MIN || ll > INT_MAX) {
		conf_key_range_error(x->errs, x->file,
		    (int)config_setting_source_line(s), g->label, k, v);
		return -1;
	}
	*dst = (int)ll;
	return 0;
}

static int
set_str(struct conf_ctx *x, const struct conf_group *g,
    const struct conf_key *k, const config_setting_t *s, char *dst)
{
	const char *v = config_setting_get_string(s);
	size_t n = strlen(v);

	snprintf(dst, k->size, "%s", v);	/* cut short if too long */
	if (n < k->size)
		return 0;
	conf_errors_add(x->errs, x->file, (int)config_setting_source_line(s),
	    "%s%s '%.*s...' is too long (%zu characters, at most %zu)",
	    g->label, k->name, 20, v, n, k->size - 1);
	return -1;
}

/* A path, interned: the tables of the supervisor keep one copy. */
static int
set_path(struct conf_ctx *x, const struct conf_group *g,
    const struct conf_key *k, const config_setting_t *s, const char **dst)
{
	const char *v = config_setting_get_string(s);

	if (strlen(v) < CONF_PATH_MAX) {
		*dst = conf_intern(v);
		return 0;
	}
	conf_errors_add(x->errs, x->file, (int)config_setting_source_line(s),
	    "%s%s '%.*s...' is too long (%zu characters, at most %d)",
	    g->label, k->name, 20, v, strlen(v), CONF_PATH_MAX - 1);
	return -1;
}

static int
set_enum(struct conf_ctx *x, const struct conf_group *g,
    const struct conf_key *k, const config_setting_t *s, int *dst)
{
	const char *v = config_setting_get_string(s);
	char list[128] = "";
	size_t i;

	for (i = 0; k->names[i] != NULL; i++) {
		if (strcmp(v, k->names[i]) == 0) {
			*dst = (int)i;
			return 0;
		}
		if (i > 0)
			strncat(list, k->names[i + 1] ? ", " : " or ",
			    sizeof list - strlen(list) - 1);
		strncat(list, k->names[i], sizeof list - strlen(list) - 1);
	}
	conf_errors_add(x->errs, x->file, (int)config_setting_source_line(s),
	    "%sunknown %s '%.64s' (expected %s)", g->label, k->name, v, list);
	return -1;
}

/* Store one setting by its key. 0, or -1 when it was reported. */
static int
set_value(struct conf_ctx *x, const struct conf_group *g,
    const struct conf_key *k, const config_setting_t *s)
{
	char *dst = (char *)g->base + k->off;
	char v[64];

	if (!type_ok(k->type, s)) {
		conf_errors_add(x->errs, x->file,
		    (int)config_setting_source_line(s),
		    "%s%s must be %s, not %s", g->label, k->name,
		    want_name(k->type), type_name(s));
		return -1;
	}
	switch (k->type) {
	case CV_INT:
		return set_int(x, g, k, s, (int *)(void *)dst);
	case CV_I64:
		return get_integer(x, g, k, s, (long long *)(void *)dst, v,
		    sizeof v);
	case CV_NUM:
		if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
			*(double *)(void *)dst = config_setting_get_float(s);
		else
			*(double *)(void *)dst =
			    (double)config_setting_get_int64(s);
		return 0;
	case CV_STR:
		return set_str(x, g, k, s, dst);
	case CV_ENUM:
		return set_enum(x, g, k, s, (int *)(void *)dst);
	case CV_PATH:
		return set_path(x, g, k, s, (const char **)(void *)dst);
	case CV_BOOL:
		*(int *)(void *)dst = config_setting_get_bool(s) != 0;
		return 0;
	case CV_GROUP:
	case CV_LIST:
		break;
	}
	return 0;
}

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
		if (set_value(x, g, &g->keys[i], s) == -1)
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
			    i + 1, type_name(s));
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
