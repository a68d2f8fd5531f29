/* kind.c: the table of kinds of fake model, and what every kind shares.
 *
 * A kind is a name here and a row in kind_table; its plan and its
 * computation are in its own file (kind_<name>.c), the computation's row
 * in kind_compute.c. The worker, the daemon, the config and the client
 * ask this table and know no kind by name.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "kind.h"

const char *const kind_names[KIND__MAX + 1] = {
	[KIND_SEGMENTATION] = "segmentation",
	[KIND_CLASSIFICATION] = "classification",
	[KIND_ECHO] = "echo",
	[KIND_DETECTION] = "detection",
	[KIND__MAX] = NULL
};

static const struct kind kind_table[KIND__MAX] = {
	[KIND_SEGMENTATION] = {
		.window = 1, .opts = KIND_OPT_OUTPUT_DTYPE, .late = 1,
		.plan = kind_segmentation_plan,
	},
	[KIND_CLASSIFICATION] = {
		.window = 16, .opts = KIND_OPT_N_CLASSES,
		.plan = kind_classification_plan,
	},
	[KIND_ECHO] = {
		.window = 1, .same = 1,
		.plan = kind_echo_plan,
	},
	[KIND_DETECTION] = {
		.window = 1, .opts = KIND_OPT_BOXES | KIND_OPT_N_CLASSES,
		.plan = kind_detection_plan,
	},
};

const struct kind *
kind_get(enum kind_id k)
{
	return (unsigned)k < KIND__MAX ? &kind_table[k] : NULL;
}

const char *
kind_name(enum kind_id k)
{
	return (unsigned)k < KIND__MAX ? kind_names[k] : "?";
}

int
kind_lookup(const char *name, enum kind_id *out)
{
	int i;

	for (i = 0; i < KIND__MAX; i++)
		if (strcmp(name, kind_names[i]) == 0) {
			*out = (enum kind_id)i;
			return 0;
		}
	return -1;
}

const char *
kind_list(void)
{
	static char buf[256];
	size_t n = 0;
	int i;

	if (buf[0] != '\0')
		return buf;
	for (i = 0; i < KIND__MAX && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s",
		    i == 0 ? "" : i == KIND__MAX - 1 ? " or " : ", ",
		    kind_names[i]);
	return buf;
}

uint64_t
kind_out_bytes(enum kind_id k, const struct kind_opts *o,
    const struct wire_header *in)
{
	struct wire_header out;
	char err[WIRE_ERRLEN];

	if (kind_get(k) == NULL)
		return 0;
	wire_header_init(&out);
	if (kind_table[k].plan(o, NULL, in, &out, err, sizeof err) == -1)
		return 0;
	return out.nbytes;
}
