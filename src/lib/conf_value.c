/* conf_value.c: one setting of libconfig's tree into its place in a
 * struct, by its key's row: the type checked, integers that fit, strings
 * that fit their buffer, names of enumerated values, lists of integers.
 */
#include "config.h"

#include <libconfig.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

/* Where the messages go. */
struct vctx {
	const char	*file;
	struct conf_errors *errs;
};

const char *
conf_value_type(const config_setting_t *s)
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
	case CV_ISTR:
	case CV_ENUM:	return "a string";
	case CV_BOOL:	return "a boolean (true or false)";
	case CV_GROUP:	return "a group { ... }";
	case CV_LIST:	return "a list of groups ( { ... }, ... )";
	case CV_INTS:	return "a list of integers [ ... ]";
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
	case CV_ISTR:
	case CV_ENUM:	return config_setting_type(s) == CONFIG_TYPE_STRING;
	case CV_BOOL:	return config_setting_type(s) == CONFIG_TYPE_BOOL;
	case CV_GROUP:	return config_setting_is_group(s);
	case CV_LIST:	return config_setting_is_list(s);
	case CV_INTS:	return config_setting_is_array(s) ||
			    config_setting_is_list(s);
	}
	return 0;
}

/* An integer setting, or an integral float, into *ll; -1 when reported. */
static int
get_integer(const struct vctx *x, const struct conf_group *g,
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
set_int(const struct vctx *x, const struct conf_group *g,
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
set_str(const struct vctx *x, const struct conf_group *g,
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

/* A string interned: the tables of the supervisor keep one copy, however
 * many workers name it. */
static int
set_istr(const struct vctx *x, const struct conf_group *g,
    const struct conf_key *k, const config_setting_t *s, const char **dst)
{
	const char *v = config_setting_get_string(s);
	size_t n = strlen(v);

	if (n < k->size) {
		*dst = conf_intern(v);
		return 0;
	}
	conf_errors_add(x->errs, x->file, (int)config_setting_source_line(s),
	    "%s%s '%.*s...' is too long (%zu characters, at most %zu)",
	    g->label, k->name, 20, v, n, k->size - 1);
	return -1;
}

static int
set_enum(const struct vctx *x, const struct conf_group *g,
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

/* Integers, each within the key's range: [4, 8]. */
static int
set_ints(const struct vctx *x, const struct conf_group *g,
    const struct conf_key *k, const config_setting_t *s,
    struct conf_ints *dst)
{
	const config_setting_t *e;
	int n = config_setting_length(s), i, v;
	char num[64];

	if (n > CONF_INTS_MAX) {
		conf_errors_add(x->errs, x->file,
		    (int)config_setting_source_line(s), "%s%s has %d values, "
		    "at most %d", g->label, k->name, n, CONF_INTS_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, (unsigned)i);
		if (!config_setting_is_number(e)) {
			conf_errors_add(x->errs, x->file,
			    (int)config_setting_source_line(s), "%s%s must be "
			    "%s, not one of %s", g->label, k->name,
			    want_name(k->type), conf_value_type(e));
			return -1;
		}
		if (set_int(x, g, k, e, &v) == -1)
			return -1;
		snprintf(num, sizeof num, "%d", v);
		if (!conf_key_in_range(k, v)) {
			conf_key_range_error(x->errs, x->file,
			    (int)config_setting_source_line(s), g->label, k,
			    num);
			return -1;
		}
		dst->v[i] = v;
	}
	dst->n = n;
	return 0;
}

/* Store one setting by its key. 0, or -1 when it was reported. */
int
conf_value_set(const struct conf_group *g, const struct conf_key *k,
    const config_setting_t *s, const char *file, struct conf_errors *errs)
{
	const struct vctx ctx = { file, errs }, *x = &ctx;
	char *dst = (char *)g->base + k->off;
	char v[64];

	if (!type_ok(k->type, s)) {
		conf_errors_add(x->errs, x->file,
		    (int)config_setting_source_line(s),
		    "%s%s must be %s, not %s", g->label, k->name,
		    want_name(k->type), conf_value_type(s));
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
	case CV_ISTR:
		return set_istr(x, g, k, s, (const char **)(void *)dst);
	case CV_BOOL:
		*(int *)(void *)dst = config_setting_get_bool(s) != 0;
		return 0;
	case CV_INTS:
		return set_ints(x, g, k, s, (struct conf_ints *)(void *)dst);
	case CV_GROUP:
	case CV_LIST:
		break;
	}
	return 0;
}

