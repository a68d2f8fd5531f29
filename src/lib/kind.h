/* kind.h: the kinds of fake model, one row of a table each.
 *
 * A row says everything the programs need to know of a kind: its default
 * window, the options it takes and the array it returns for an input.
 * How the worker computes that array is the kind's row in a second table,
 * kind_compute.c, which only the worker links: the config, the daemon
 * and the control tool describe kinds without linking their arithmetic
 * (nor libm). Everything else asks the tables (kind_get, kind_compute)
 * and names no kind. A new kind is a row in kind.c and in kind_compute.c,
 * its own file (kind_<name>.c, declared here) and its lines in the man
 * pages.
 */
#ifndef FS_KIND_H
#define FS_KIND_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"
#include "wire.h"

/* In the order of kind_names[]. */
enum kind_id {
	KIND_SEGMENTATION,
	KIND_CLASSIFICATION,
	KIND_ECHO,
	KIND_DETECTION,
	KIND__MAX
};

#define KIND_MAX_CLASSES	65536
#define KIND_MAX_BOXES		4096

/* The options a kind may take: fake-worker's --n-classes,
 * --output-dtype, --boxes-min and --boxes-max, the configuration's
 * n_classes, output_dtype, boxes_min and boxes_max. */
#define KIND_OPT_N_CLASSES	0x1
#define KIND_OPT_OUTPUT_DTYPE	0x2
#define KIND_OPT_BOXES		0x4

struct kind_opts {
	int	 n_classes;	/* KIND_OPT_N_CLASSES, default 4 */
	int	 out_float64;	/* KIND_OPT_OUTPUT_DTYPE: float64, not uint8 */
	int	 boxes_min;	/* KIND_OPT_BOXES: boxes per frame, drawn */
	int	 boxes_max;	/* from boxes_min to boxes_max (0, 16) */
};

/* What a computation may use besides its input: the options and the
 * worker's random numbers. */
struct kind_ctx {
	struct kind_opts o;
	struct rng rng;		/* seeded once per process */
};

struct kind {
	int	 window;	/* frames a client sends, by default */
	unsigned opts;		/* the options it takes: KIND_OPT_* */
	/* Its output is its input, unchanged: a worker may send the
	 * request's payload back as it is, and fake-client's echo mode
	 * measures the transport with it. */
	int	 same;
	/* Computed at the end of the cost rather than at its start (see
	 * worker_serve.c): for outputs whose computing takes a while. */
	int	 late;
	/* The output array for the input array in: dtype, shape and
	 * nbytes in out (wire_header_array), its size drawn from rng where
	 * it varies, the largest it can be when rng is NULL. 0, or -1 with
	 * the reason in err (the request's error reply). */
	int	 (*plan)(const struct kind_opts *, struct rng *rng,
		    const struct wire_header *in, struct wire_header *out,
		    char *err, size_t errlen);
};

/* How the worker computes a kind's output: fill out->nbytes bytes at dst
 * from the input (in->nbytes bytes at src, possibly unaligned), out as
 * the kind's plan made it. dst is aligned for any type. */
typedef void kind_compute_fn(struct kind_ctx *, const struct wire_header *in,
    const void *src, const struct wire_header *out, void *dst);

/* The kinds' names, NULL-terminated, for the configuration's key table. */
extern const char *const kind_names[KIND__MAX + 1];

/* The row of a kind. */
const struct kind *kind_get(enum kind_id);
const char	*kind_name(enum kind_id);
/* A kind by name: 0 with *out, or -1. */
int	 kind_lookup(const char *name, enum kind_id *out);
/* "a, b or c": the names, for messages. */
const char	*kind_list(void);
/* The bytes of a kind's output for the input in (the most, where it
 * varies), 0 when it refuses it. */
uint64_t kind_out_bytes(enum kind_id, const struct kind_opts *,
	    const struct wire_header *in);
/* A kind's computation (kind_compute.c), NULL for no kind. */
kind_compute_fn *kind_compute(enum kind_id);


/* The kinds' own code, one file each: kind_<name>.c. */
int	 kind_segmentation_plan(const struct kind_opts *, struct rng *,
	    const struct wire_header *in, struct wire_header *out, char *err,
	    size_t errlen);
kind_compute_fn kind_segmentation;
int	 kind_classification_plan(const struct kind_opts *, struct rng *,
	    const struct wire_header *in, struct wire_header *out, char *err,
	    size_t errlen);
kind_compute_fn kind_classification;
int	 kind_echo_plan(const struct kind_opts *, struct rng *,
	    const struct wire_header *in, struct wire_header *out, char *err,
	    size_t errlen);
kind_compute_fn kind_echo;
int	 kind_detection_plan(const struct kind_opts *, struct rng *,
	    const struct wire_header *in, struct wire_header *out, char *err,
	    size_t errlen);
kind_compute_fn kind_detection;

#endif
