/* client_plot.c: panels and axes for fake-client's SVG plots. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "client_plot.h"

/* About 5 ticks at 1, 2 or 5 times a power of ten; counts have no
 * fractions, so their step is at least 1 (a power of ten of 1 or more
 * makes a whole step). */
static double
nice_step(double range, int count)
{
	double mag = pow(10, floor(log10(range / 5))), r = range / 5 / mag;

	if (count && mag < 1)
		return 1;
	return mag * (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10);
}

double
client_plot_x(const struct client_plot *p, double x)
{
	return p->x0 + p->w * x / p->xmax;
}

double
client_plot_y(const struct client_plot *p, double y)
{
	return p->y0 + p->h - p->h * (y > p->ymax ? p->ymax : y) / p->ymax;
}

void
client_plot_panel(struct client_plot *p, double top, double xmax, double ymax)
{
	p->x0 = CLIENT_PLOT_LEFT;
	p->y0 = top;
	p->w = CLIENT_PLOT_W - CLIENT_PLOT_LEFT - CLIENT_PLOT_RIGHT;
	p->h = CLIENT_PLOT_PANEL_H - CLIENT_PLOT_TOP - CLIENT_PLOT_BOTTOM;
	p->xmax = xmax;
	p->ymax = ymax;
	p->xcount = p->ycount = 0;
}

void
client_plot_begin(FILE *f, int width, int height)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
	    "font-size=\"12\">\n<style>.t { font-weight: bold; }</style>\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
	    width, height, width, height);
}

void
client_plot_axes(FILE *f, const struct client_plot *p, const char *title,
    const char *xl, const char *yl)
{
	double v, step;

	fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" class=\"t\">%s</text>\n",
	    p->x0, p->y0 - 14, title);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
	    "fill=\"none\" stroke=\"#888\"/>\n", p->x0, p->y0, p->w, p->h);
	step = nice_step(p->ymax, p->ycount);
	for (v = 0; v <= p->ymax * 1.0001; v += step)
		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"end\">%g</text>\n", p->x0, p->x0 + p->w,
		    client_plot_y(p, v), client_plot_y(p, v), p->x0 - 6,
		    client_plot_y(p, v) + 4, v);
	step = nice_step(p->xmax, p->xcount);
	for (v = 0; v <= p->xmax * 1.0001; v += step)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
		    "%g</text>\n", client_plot_x(p, v), p->y0 + p->h + 16, v);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s"
	    "</text>\n", p->x0 + p->w / 2, p->y0 + p->h + 36, xl);
	fprintf(f, "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" "
	    "text-anchor=\"middle\">%s</text>\n", p->x0 - 50, p->y0 + p->h / 2,
	    yl);
}
