/* client_csv.c: a run's evaluations as CSV (microseconds since its
 * start), each worker's reply, service time and status in columns of its
 * own, then each worker's reason for a failed part, the cost it drew,
 * its wait in the worker and its batch (-1, -1, 0 unknown), and whether the
 * evaluation was part of the warm-up (1) or measured (0). */
#include "config.h"

#include <stdio.h>

#include "client_csv.h"
#include "client_file.h"

static const char *const status_name[] = { "unfinished", "ok", "timeout", "error" };

static void
csv_row(FILE *f, const struct client *c, long e)
{
	const struct client_eval *ev = &c->ev[e];
	const struct client_part *p;
	int t;

	fprintf(f, "%lld,%.1f,%.1f,%.1f,%s", (long long)ev->frame,
	    client_stats_us(ev->sched_ns - c->t0_ns),
	    client_stats_us(ev->sent_ns - c->t0_ns),
	    ev->status == ST_OK ? client_stats_us(ev->done_ns - ev->sent_ns) :
	    -1.0, status_name[ev->status]);
	for (t = 0; t < c->nt; t++) {
		p = client_part(c, e, t);
		fprintf(f, ",%.1f,%.1f,%s", p->status == ST_OK ?
		    client_stats_us(p->reply_ns - c->t0_ns) : -1.0,
		    p->service_us, status_name[p->status]);
	}
	for (t = 0; t < c->nt; t++)
		fprintf(f, ",%s", client_reason_key(client_part(c, e, t)->reason));
	for (t = 0; t < c->nt; t++) {
		p = client_part(c, e, t);
		fprintf(f, ",%.1f,%.1f,%d", p->cost_us, p->queue_us, p->batch);
	}
	fprintf(f, ",%d\n", e < c->o->warmup);
}

int
client_csv_write(const struct client *c, const struct client_stats *s,
    const char *path)
{
	FILE *f = client_file_open(path);
	long e;
	int t;

	(void)s;			/* the records, not their sums */
	if (f == NULL)
		return -1;
	fputs("frame,scheduled_us,sent_us,latency_us,status", f);
	for (t = 0; t < c->nt; t++)
		fprintf(f, ",%s_reply_us,%s_service_us,%s_status", c->t[t].name,
		    c->t[t].name, c->t[t].name);
	/* Added after the columns of old, which keep their places. */
	for (t = 0; t < c->nt; t++)
		fprintf(f, ",%s_reason", c->t[t].name);
	for (t = 0; t < c->nt; t++)
		fprintf(f, ",%s_cost_us,%s_queue_us,%s_batch", c->t[t].name,
		    c->t[t].name, c->t[t].name);
	fputs(",warmup\n", f);
	for (e = 0; e < c->nev; e++)
		csv_row(f, c, e);
	return client_file_close(f, path);
}
