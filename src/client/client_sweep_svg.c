/* client_sweep_svg.c: a sweep's --svg: latency and age percentiles
 * against the offered load, with the threshold and the knee; and the
 * rate achieved against the rate offered. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "client_file.h"
#include "client_plot.h"
#include "client_stats.h"
#include "client_sweep.h"

/* One percentile (k) of latency or age, step by step. */
static void
curve(FILE *f, const struct client_sweep *sw, const struct client_plot *p,
    int age, int k, const char *colour, const char *dash)
{
	const struct client_sweep_step *st;
	double x, y;
	int i;

	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" "
	    "stroke-dasharray=\"%s\" points=\"", colour, dash);
	for (i = 0; i < sw->nstep; i++) {
		st = &sw->step[i];
		fprintf(f, "%.1f,%.1f ", client_plot_x(p, client_sweep_load(sw,
		    st)), client_plot_y(p, client_stats_ms(age ? st->age[k] :
		    st->lat[k])));
	}
	fputs("\"/>\n", f);
	for (i = 0; i < sw->nstep; i++) {
		st = &sw->step[i];
		x = client_plot_x(p, client_sweep_load(sw, st));
		y = client_plot_y(p, client_stats_ms(age ? st->age[k] :
		    st->lat[k]));
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
		    "fill=\"%s\"/>\n", x, y, colour);
	}
}

static double
xmax(const struct client_sweep *sw)
{
	double m = 0;
	int i;

	for (i = 0; i < sw->nstep; i++)
		m = fmax(m, client_sweep_load(sw, &sw->step[i]));
	return m > 0 ? m * 1.05 : 1;
}

static void
latency(FILE *f, const struct client_sweep *sw, double top)
{
	double max = sw->c->o->sweep.max_p99_ms, ymax = max * 1.5, x;
	struct client_plot p;
	char title[160];
	int i;

	for (i = 0; i < sw->nstep; i++)	/* the step past it, cut */
		ymax = fmax(ymax, fmin(client_stats_ms(sw->step[i].age[2]),
		    3 * max) * 1.05);
	client_plot_panel(&p, top, xmax(sw), ymax);
	p.xcount = sw->c->o->sweep.by == 'k';
	snprintf(title, sizeof title, "Latency p50, p90, p99 (blue), age p99 "
	    "(grey) against the load; red: --max-p99-ms; green: the knee");
	client_plot_axes(f, &p, title, client_sweep_unit(sw), "ms");
	fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#d62728\" stroke-dasharray=\"6,4\"/>\n", p.x0, p.x0 + p.w,
	    client_plot_y(&p, max), client_plot_y(&p, max));
	curve(f, sw, &p, 1, 2, "#999", "4,3");
	curve(f, sw, &p, 0, 0, "#9ec3f0", "none");
	curve(f, sw, &p, 0, 1, "#4f8fdf", "none");
	curve(f, sw, &p, 0, 2, "#1f3f9f", "none");
	if (sw->knee < 0)
		return;
	x = client_plot_x(&p, client_sweep_load(sw, &sw->step[sw->knee]));
	fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#2ca02c\" stroke-dasharray=\"6,4\"/><text x=\"%.1f\" "
	    "y=\"%.1f\" fill=\"#2ca02c\">knee: %g %s</text>\n", x, x, p.y0,
	    p.y0 + p.h, x + 4, p.y0 + 14,
	    client_sweep_load(sw, &sw->step[sw->knee]), client_sweep_unit(sw));
}

static void
achieved(FILE *f, const struct client_sweep *sw, double top)
{
	struct client_plot p;
	double ymax = 0;
	int i;

	for (i = 0; i < sw->nstep; i++)
		ymax = fmax(ymax, fmax(sw->step[i].achieved, sw->step[i].fps));
	client_plot_panel(&p, top, xmax(sw), ymax > 0 ? ymax * 1.1 : 1);
	p.xcount = sw->c->o->sweep.by == 'k';
	client_plot_axes(f, &p, "Evaluations answered a second against the "
	    "load", client_sweep_unit(sw), "per second");
	fputs("<polyline fill=\"none\" stroke=\"#1f3f9f\" stroke-width=\"1.6\" "
	    "points=\"", f);
	for (i = 0; i < sw->nstep; i++)
		fprintf(f, "%.1f,%.1f ", client_plot_x(&p, client_sweep_load(sw,
		    &sw->step[i])), client_plot_y(&p, sw->step[i].achieved));
	fputs("\"/>\n", f);
}

int
client_sweep_svg(const struct client_sweep *sw, const char *path)
{
	FILE *f = client_file_open(path);

	if (f == NULL)
		return -1;
	client_plot_begin(f, CLIENT_PLOT_W, 2 * CLIENT_PLOT_PANEL_H);
	latency(f, sw, CLIENT_PLOT_TOP);
	achieved(f, sw, CLIENT_PLOT_PANEL_H + CLIENT_PLOT_TOP);
	fputs("</svg>\n", f);
	return client_file_close(f, path);
}
