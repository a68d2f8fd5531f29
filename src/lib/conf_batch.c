/* conf_batch.c: a worker's "batch" group: its checks (each key's range,
 * then batch_check's across them) and what the batcher is given.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf_priv.h"

void
conf_batch_conf(const struct conf_batch *b, struct batch_conf *bc)
{
	int i;

	bc->max = b->max;
	bc->npreferred = b->preferred.n;
	for (i = 0; i < b->preferred.n && i < BATCH_PREFERRED_MAX; i++)
		bc->preferred[i] = b->preferred.v[i];
	bc->max_queue_delay_ns = (uint64_t)(b->max_queue_delay_us * 1e3);
	bc->queue_max = b->queue_max;
	bc->cost_per_item_ns = (uint64_t)(b->cost_per_item_ms * 1e6);
}

/* batch_check's message without its own "batch " (the label says it). */
static const char *
conf_batch_reason(const char *err)
{
	static const char pre[] = "batch ";

	return strncmp(err, pre, sizeof pre - 1) == 0 ? err + sizeof pre - 1 :
	    err;
}

/* What batch_check refuses, said with the keys' values: 0, or -1 when
 * reported. */
static int
conf_batch_across(const struct conf_batch *b, const char *file, int line,
    const char *label, struct conf_errors *errs)
{
	const struct conf_ints *p = &b->preferred;
	int i, ln;

	ln = b->key_line[BK_QUEUE_MAX] ? b->key_line[BK_QUEUE_MAX] : line;
	if (b->queue_max < b->max) {
		conf_errors_add(errs, file, ln, "%squeue_max %d is less than "
		    "max %d", label, b->queue_max, b->max);
		return -1;
	}
	ln = b->key_line[BK_PREFERRED] ? b->key_line[BK_PREFERRED] : line;
	for (i = 0; i < p->n; i++) {
		if (i > 0 && p->v[i] <= p->v[i - 1]) {
			conf_errors_add(errs, file, ln, "%spreferred sizes "
			    "must increase (%d after %d)", label, p->v[i],
			    p->v[i - 1]);
			return -1;
		}
		if (p->v[i] > b->max) {
			conf_errors_add(errs, file, ln, "%spreferred size %d "
			    "is more than max %d", label, p->v[i], b->max);
			return -1;
		}
	}
	return 0;
}

void
conf_batch_check(const struct conf_batch *b, const char *file, int line,
    const char *label, struct conf_errors *errs)
{
	struct conf_batch bcopy = *b;
	struct conf_group g = { conf_batch_keys, BK__MAX, &bcopy,
	    bcopy.key_line, &bcopy.invalid, label };
	struct batch_conf bc;
	size_t n = errs->n;
	char err[256];

	conf_key_check_ranges(&g, file, line, errs);
	if (errs->n != n || b->invalid != 0 ||
	    conf_batch_across(b, file, line, label, errs) == -1)
		return;
	conf_batch_conf(b, &bc);
	if (batch_check(&bc, err, sizeof err) == -1)
		conf_errors_add(errs, file, line, "%s%s", label,
		    conf_batch_reason(err));
}
