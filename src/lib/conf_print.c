/* conf_print.c: the normalised configuration, in libconfig syntax.
 *
 * Every key with its effective value, workers' restart policies (and
 * curve groups, where CURVE is used) in full, numbers printed so that
 * they read back exactly: the output parses again to an equal
 * configuration (conf_equal), which the unit test checks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

/* The shortest %g that reads back as d, always with a '.' or exponent so
 * that libconfig types it a float. */
static void
print_num(FILE *f, double d)
{
	char buf[64];
	int prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof buf, "%.17g", d);
	if (strpbrk(buf, ".e") == NULL)
		strcat(buf, ".0");
	fputs(buf, f);
}

static void
print_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void
print_ints(FILE *f, const struct conf_ints *v)
{
	int i;

	fputc('[', f);
	for (i = 0; i < v->n; i++)
		fprintf(f, "%s%d", i ? ", " : "", v->v[i]);
	fputc(']', f);
}

/* key = value; for each key of a table that holds a value. */
static void
print_keys(FILE *f, const struct conf_key *keys, size_t nkeys,
    const void *base, const char *indent)
{
	const char *p;
	size_t i;

	for (i = 0; i < nkeys; i++) {
		p = (const char *)base + keys[i].off;
		if (keys[i].type == CV_GROUP || keys[i].type == CV_LIST)
			continue;
		fprintf(f, "%s%s = ", indent, keys[i].name);
		switch (keys[i].type) {
		case CV_INT:
			fprintf(f, "%d", *(const int *)(const void *)p);
			break;
		case CV_I64:
			fprintf(f, "%lld", *(const long long *)(const void *)p);
			break;
		case CV_NUM:
			print_num(f, *(const double *)(const void *)p);
			break;
		case CV_STR:
			print_str(f, p);
			break;
		case CV_ENUM:
			print_str(f, keys[i].names[*(const int *)
			    (const void *)p]);
			break;
		case CV_BOOL:
			fputs(*(const int *)(const void *)p ? "true" : "false",
			    f);
			break;
		case CV_ISTR:
			print_str(f, *(const char *const *)(const void *)p);
			break;
		case CV_INTS:
			print_ints(f, (const struct conf_ints *)(const void *)p);
			break;
		case CV_GROUP:
		case CV_LIST:
			break;
		}
		fputs(";\n", f);
	}
}

static void
print_restart(FILE *f, const struct conf_restart *r, const char *indent)
{
	char in[16];

	snprintf(in, sizeof in, "%s\t", indent);
	fprintf(f, "%srestart = {\n", indent);
	print_keys(f, conf_restart_keys, RK__MAX, r, in);
	fprintf(f, "%s};\n", indent);
}

/* Only for a worker with a faults group, so that other configurations
 * print as they always did. */
static void
print_faults(FILE *f, const struct conf_worker *w, const char *indent)
{
	char in[16];

	if (w->key_line[WK_FAULTS] == 0)
		return;
	snprintf(in, sizeof in, "%s\t", indent);
	fprintf(f, "%sfaults = {\n", indent);
	print_keys(f, conf_faults_keys, FK__MAX, &w->faults, in);
	fprintf(f, "%s};\n", indent);
}

/* A worker's device and batch group, where set. */
static void
print_batch(FILE *f, const struct conf_worker *w, const char *indent)
{
	char in[16];

	if (w->key_line[WK_DEVICE] > 0)
		print_keys(f, &conf_worker_keys[WK_DEVICE], 1, w, indent);
	if (w->key_line[WK_BATCH] == 0)
		return;
	snprintf(in, sizeof in, "%s\t", indent);
	fprintf(f, "%sbatch = {\n", indent);
	print_keys(f, conf_batch_keys, BK__MAX, &w->batch, in);
	fprintf(f, "%s};\n", indent);
}

/* The devices, where there are any. */
static void
print_devices(FILE *f, const struct conf *c)
{
	size_t i;

	if (c->ndevices == 0)
		return;
	fputs("devices = (\n", f);
	for (i = 0; i < c->ndevices; i++) {
		fputs("\t{\n", f);
		print_keys(f, conf_device_keys, DK__MAX, &c->devices[i],
		    "\t\t");
		fprintf(f, "\t}%s\n", i + 1 < c->ndevices ? "," : "");
	}
	fputs(");\n", f);
}

/* Only where CURVE is used, so that other configurations print as they
 * always did; allow_any is said to be what it is. */
static void
print_curve(FILE *f, const struct conf_curve *cv, const char *indent)
{
	char in[16];

	snprintf(in, sizeof in, "%s\t", indent);
	if (cv->allow_any && cv->secret_key_file[0] != '\0')
		fprintf(f, "%s# allow_any: encryption without authentication: "
		    "any client key is admitted\n", indent);
	fprintf(f, "%scurve = {\n", indent);
	print_keys(f, conf_curve_keys, CK__MAX, cv, in);
	fprintf(f, "%s};\n", indent);
}

/* The keys of a modelled cost, where one is modelled or a key of it set,
 * so that other configurations print as they always did: those that apply
 * to its distribution, and the seed when it is set. */
static void
print_cost(FILE *f, const struct conf_worker *w, const char *indent)
{
	int k, set = 0;

	for (k = WK_COST_DIST; k <= WK_SEED; k++)
		set |= w->key_line[k] > 0;
	if (!set && !conf_cost_on(w))
		return;
	for (k = WK_COST_DIST; k < WK_SEED; k++)
		if (conf_cost_applies(w, k))
			print_keys(f, &conf_worker_keys[k], 1, w, indent);
	if (w->key_line[WK_SEED] > 0)
		print_keys(f, &conf_worker_keys[WK_SEED], 1, w, indent);
	else
		fprintf(f, "%s# seed: from the name and replica\n", indent);
}

/* The warm-up, the start's delay and a detector's boxes, where set. */
static void
print_start(FILE *f, const struct conf_worker *w, const char *indent)
{
	int k;

	for (k = WK_WARMUP_REQUESTS; k <= WK_BOXES_MAX; k++)
		if (w->key_line[k] > 0)
			print_keys(f, &conf_worker_keys[k], 1, w, indent);
}

void
conf_print(FILE *f, const struct conf *c)
{
	int curve = conf_curve_on(&c->curve);
	size_t i;

	print_keys(f, conf_top_keys, TK__MAX, c, "");
	print_restart(f, &c->restart, "");
	for (i = 0; i < c->nworkers && !curve; i++)
		curve = conf_curve_on(&c->workers[i].curve);
	if (curve)
		print_curve(f, &c->curve, "");
	print_devices(f, c);
	fputs("workers = (\n", f);
	for (i = 0; i < c->nworkers; i++) {
		fputs("\t{\n", f);
		print_keys(f, conf_worker_keys, WK_COST_DIST, &c->workers[i],
		    "\t\t");
		print_cost(f, &c->workers[i], "\t\t");
		print_start(f, &c->workers[i], "\t\t");
		print_faults(f, &c->workers[i], "\t\t");
		print_batch(f, &c->workers[i], "\t\t");
		print_restart(f, &c->workers[i].restart, "\t\t");
		if (curve)
			print_curve(f, &c->workers[i].curve, "\t\t");
		fprintf(f, "\t}%s\n", i + 1 < c->nworkers ? "," : "");
	}
	fputs(");\n", f);
}
