/* client_svg.c: --svg: latency (and age) per evaluation against the ideal,
 * and the latency histogram, as plain SVG any browser shows. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "client_file.h"
#include "client_plot.h"
#include "client_svg.h"

#define SVG_BINS	50

/* Latency or age (ms) of each ok evaluation, as one polyline. */
static void
series(FILE *f, const struct client *c, const struct client_plot *p, int age,
    const char *colour)
{
	const struct client_eval *ev;
	long e;

	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.2\" "
	    "points=\"", colour);
	for (e = 0; e < c->nev; e++) {
		ev = &c->ev[e];
		if (ev->status == ST_OK)
			fprintf(f, "%.1f,%.1f ", client_plot_x(p, (double)e),
			    client_plot_y(p, (double)(ev->done_ns -
			    (age ? ev->sched_ns : ev->sent_ns)) / 1e6));
	}
	fputs("\"/>\n", f);
}

static double
max_age_ms(const struct client *c)
{
	double m = 0;
	long e;

	for (e = 0; e < c->nev; e++)
		if (c->ev[e].status == ST_OK)
			m = fmax(m, (double)(c->ev[e].done_ns -
			    c->ev[e].sched_ns) / 1e6);
	return m;
}

static void
per_eval(FILE *f, const struct client *c, const struct hist *lat, double top)
{
	struct client_plot p;
	long e;

	client_plot_panel(&p, top, c->nev > 1 ? c->nev - 1 : 1, 0);
	p.xcount = 1;
	p.ymax = fmax(hist_max(lat) / 1e6, c->ideal_ms) * 1.1;
	if (max_age_ms(c) < 4 * p.ymax)	/* else the age runs off the top */
		p.ymax = fmax(p.ymax, max_age_ms(c) * 1.05);
	if (p.ymax <= 0)
		p.ymax = 1;
	client_plot_axes(f, &p, "Latency per evaluation (blue: send to last "
	    "reply; "
	    "grey: age from the scheduled frame; red: ideal)", "evaluation",
	    "ms");
	series(f, c, &p, 1, "#aaa");
	series(f, c, &p, 0, "#1f5fbf");
	fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#d62728\" stroke-dasharray=\"6,4\"/>\n", p.x0, p.x0 + p.w,
	    client_plot_y(&p, c->ideal_ms), client_plot_y(&p, c->ideal_ms));
	for (e = 0; e < c->nev; e++)	/* failed evaluations on the axis */
		if (c->ev[e].status != ST_OK)
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
			    "fill=\"#d62728\"/>\n", client_plot_x(&p, (double)e),
			    p.y0 + p.h);
}

static void
histogram(FILE *f, const struct client *c, const struct hist *lat, double top)
{
	struct client_plot p;
	double bins[SVG_BINS] = { 0 }, width, x;
	uint64_t lo, hi, n;
	size_t cur = 0;
	int b;

	client_plot_panel(&p, top, 0, 0);
	p.ycount = 1;
	p.xmax = fmax(hist_max(lat) / 1e6, c->ideal_ms) * 1.05;
	if (p.xmax <= 0)
		p.xmax = 1;
	width = p.xmax / SVG_BINS;
	while (hist_next_bucket(lat, &cur, &lo, &hi, &n)) {
		b = (int)(((double)lo + (double)hi) / 2e6 / width);
		bins[b < SVG_BINS ? b : SVG_BINS - 1] += (double)n;
	}
	for (b = 0; b < SVG_BINS; b++)
		if (bins[b] > p.ymax)
			p.ymax = bins[b];
	p.ymax = p.ymax > 0 ? p.ymax * 1.1 : 1;
	client_plot_axes(f, &p, "Latency histogram (red: ideal)", "ms",
	    "evaluations");
	for (b = 0; b < SVG_BINS; b++) {
		if (bins[b] == 0)
			continue;
		x = client_plot_x(&p, b * width);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"#1f5fbf\"/>\n", x,
		    client_plot_y(&p, bins[b]),
		    client_plot_x(&p, (b + 1) * width) - x - 1,
		    p.y0 + p.h - client_plot_y(&p, bins[b]));
	}
	fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#d62728\" stroke-dasharray=\"6,4\"/>\n",
	    client_plot_x(&p, c->ideal_ms), client_plot_x(&p, c->ideal_ms),
	    p.y0, p.y0 + p.h);
}

int
client_svg_write(const struct client *c, const struct client_stats *s,
    const char *path)
{
	FILE *f = client_file_open(path);

	if (f == NULL)
		return -1;
	client_plot_begin(f, CLIENT_PLOT_W, 2 * CLIENT_PLOT_PANEL_H);
	per_eval(f, c, s->lat, CLIENT_PLOT_TOP);
	histogram(f, c, s->lat, CLIENT_PLOT_PANEL_H + CLIENT_PLOT_TOP);
	fputs("</svg>\n", f);
	return client_file_close(f, path);
}
