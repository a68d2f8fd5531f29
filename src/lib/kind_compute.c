/* kind_compute.c: each kind's computation, one row a kind, for the worker.
 *
 * Apart from kind_table (kind.c) because only the worker computes: the
 * other programs reach a kind's file through its plan alone, and the link
 * keeps no function a program does not reach (configure.ac's section
 * flags). So fake-servers and fake-serversctl carry none of the kinds'
 * arithmetic, and do not load libm.
 */
#include "config.h"

#include "kind.h"

static kind_compute_fn *const kind_computes[KIND__MAX] = {
	[KIND_SEGMENTATION] = kind_segmentation,
	[KIND_CLASSIFICATION] = kind_classification,
	[KIND_ECHO] = kind_echo,
	[KIND_DETECTION] = kind_detection,
};

kind_compute_fn *
kind_compute(enum kind_id k)
{
	return (unsigned)k < KIND__MAX ? kind_computes[k] : NULL;
}
