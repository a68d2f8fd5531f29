/* conf_priv.h: what the conf_*.c files share and nobody else needs.
 *
 * Each group of the file (top level, "restart", a worker) is described by a
 * table of keys: its type, where the value lives in the struct, and its
 * valid range and default. The parser (conf_parse.c) stores values by the
 * table, the validator (conf_validate.c) checks them by the same table, so
 * a key's name, type, range and default are written once (conf_key.c).
 */
#ifndef FS_CONF_PRIV_H
#define FS_CONF_PRIV_H

#include <stddef.h>

#include "conf.h"

#define CONF_FILE_MAX	(16 * 1024 * 1024)	/* bytes in one file */
#define CONF_ERRORS_MAX	1000			/* then "too many errors" */
#define CONF_COST_MAX_MS 86400000.0		/* effective cost: a day */
#define CONF_SUN_PATH_MAX 107			/* a unix socket path, sans NUL */

enum conf_vtype {
	CV_INT,		/* int; a float is accepted if integral */
	CV_I64,		/* long long; the same */
	CV_NUM,		/* double; any number */
	CV_STR,		/* char[size] */
	CV_ENUM,	/* int-sized enum, by the names in names[] */
	CV_BOOL,	/* int, 0 or 1 */
	CV_ISTR,	/* const char *, interned: at most size - 1 characters */
	CV_INTS,	/* struct conf_ints: [ ... ] of integers, each in range */
	CV_GROUP,	/* { ... }: handled by the caller */
	CV_LIST		/* ( ... ): handled by the caller */
};

/* What a new value of a key does to a running worker on reload
 * (conf_worker_same). Unsaid, a key restarts the workers: a key forgotten
 * here costs a restart, not a worker left with an old value. */
enum conf_reload {
	CR_RESTART,	/* the worker is started with it: restart it */
	CR_KEEP,	/* not given to workers (the supervisor applies it) */
	CR_LIVE,	/* given to workers, and changed while they run
			 * (conf_live.c, fake-serversctl set): no restart */
	CR_TCP,		/* top: in the endpoints of workers over TCP */
	CR_IPC		/* top: in the endpoints of the others (ipc, shm) */
};
#define CR_ALL	(~0u)	/* every class, for conf_key_equal */

/* A key: its name and type, where its value lives, its valid range and
 * its default. The default is def (a number, or an enum's index) or def_str
 * (a string), set before the group is parsed; or, for a key whose default
 * depends on others, what derive computes after the group was parsed when
 * the key was not set. A required key has neither. */
struct conf_key {
	const char	*name;
	enum conf_vtype	 type;
	size_t		 off;		/* of the value in its struct */
	size_t		 size;		/* CV_STR: the buffer's; CV_ISTR: the
				 * most characters + 1 */
	double		 min, max;	/* CV_INT, CV_I64, CV_NUM */
	int		 min_open;	/* the value must be > min */
	const char *const *names;	/* CV_ENUM: NULL-terminated */
	int		 required;	/* no default: the key must be set */
	double		 def;
	const char	*def_str;
	void		(*derive)(const struct conf *, void *base);
	enum conf_reload reload;
	const struct conf_key *sub;	/* CV_GROUP: its keys, nsub of them */
	size_t		 nsub;
};

extern const struct conf_key conf_top_keys[TK__MAX];
extern const struct conf_key conf_restart_keys[RK__MAX];
extern const struct conf_key conf_worker_keys[WK__MAX];
extern const struct conf_key conf_curve_keys[CK__MAX];
extern const struct conf_key conf_faults_keys[FK__MAX];
extern const struct conf_key conf_batch_keys[BK__MAX];
extern const struct conf_key conf_device_keys[DK__MAX];

/* Where a group's values are, for the table-driven code. */
struct conf_group {
	const struct conf_key *keys;
	size_t		 nkeys;
	void		*base;		/* the struct the offsets refer to */
	int		*key_line;
	unsigned	*invalid;
	const char	*label;		/* message prefix: "", "worker 'a': " */
};

/* conf_text.c: check a file's bytes and make them safe for libconfig 1.5.
 * Returns a malloc'ed copy, or NULL with an error appended. *empty is set
 * when the text holds nothing but blanks and comments. */
char	*conf_text_prepare(const char *buf, size_t len, const char *file,
	    struct conf_errors *errs, int *empty);

/* conf_value.c: store setting s by key k into its place in g (file: for
 * messages): 0, or -1 with the problem appended (a wrong type, a value
 * the struct cannot hold). What a setting is, for messages ("a list"). */
struct config_setting_t;
int	 conf_value_set(const struct conf_group *g, const struct conf_key *k,
	    const struct config_setting_t *s, const char *file,
	    struct conf_errors *errs);
const char *conf_value_type(const struct config_setting_t *s);

/* conf_parse.c: parse one file's text into c (main: every top-level key;
 * otherwise only workers). 0, or -1 after a syntax error. */
int	 conf_parse_text(struct conf *c, const char *text, const char *file,
	    int main, struct conf_errors *errs);

/* conf_key.c: set every key of a group to its default; then, after the
 * group was parsed, the keys not set to their derived default. */
void	 conf_key_defaults(const struct conf_group *g);
void	 conf_key_derive(const struct conf_group *g, const struct conf *c);
/* Are the values of a and b (structs of the table keys) equal for every
 * key whose reload class is in mask (1u << CR_x), groups included? */
int	 conf_key_equal(const struct conf_key *keys, size_t nkeys,
	    const void *a, const void *b, unsigned mask);
/* Is v within the key's range? Its range for people ("1..65535"), and the
 * error "label key value is out of range (range)". */
int	 conf_key_in_range(const struct conf_key *k, double v);
void	 conf_key_range(const struct conf_key *k, char *buf, size_t len);
/* Every number of a group, set or defaulted, by its key's range (at the
 * line of the key, or line when it was not set); not those invalid. */
void	 conf_key_check_ranges(const struct conf_group *g, const char *file,
	    int line, struct conf_errors *errs);
void	 conf_key_range_error(struct conf_errors *errs, const char *file,
	    int line, const char *label, const struct conf_key *k,
	    const char *value);

/* conf_curve.c: a curve group after its own keys were parsed over what it
 * inherits (what a worker's keys clear of the top's, the public key's
 * default); the checks of a group (a worker's, merged with the top's, when
 * it has one of its own). */
void	 conf_curve_finish(struct conf_curve *cv, int worker);
void	 conf_curve_check(const struct conf_curve *cv, int worker,
	    const char *file, int line, const char *label,
	    struct conf_errors *errs);

/* conf_cost.c: a worker's cost_file, relative to the directory of file
 * (where the worker is defined), made absolute; the checks across its
 * cost keys (invalid: those already reported). */
void	 conf_cost_resolve(struct conf_worker *w, const char *file,
	    const char *label, struct conf_errors *errs);
void	 conf_cost_check(const struct conf_worker *w, unsigned invalid,
	    const char *label, struct conf_errors *errs);

/* conf_batch.c: a worker's batch group, its ranges and the checks across
 * its keys (batch_check), at line (the group's). */
void	 conf_batch_check(const struct conf_batch *b, const char *file,
	    int line, const char *label, struct conf_errors *errs);

/* conf_device.c: the devices' checks (slots, names defined once) and
 * each worker's device defined. */
void	 conf_device_check(const struct conf *c, struct conf_errors *errs);

/* conf_errors.c: sort the errors from index from on by file (in the
 * order they were read), then line. */
void	 conf_errors_sort(struct conf_errors *e, size_t from);

#endif
