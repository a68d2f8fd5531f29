/* client_svg.c: --svg: latency (and age) per evaluation against the ideal,
 * and the latency histogram, as plain SVG any browser shows. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "client_file.h"
#include "client_svg.h"

#define SVG_W		900
#define SVG_PANEL_H	300
#define SVG_LEFT	70
#define SVG_RIGHT	20
#define SVG_TOP		40
#define SVG_BOTTOM	50
#define SVG_BINS	50

struct panel {
	double	x0, y0, w, h;		/* plot area */
	double	xmax, ymax;		/* data range, from 0 */
	int	xcount, ycount;		/* an axis of counts: whole ticks */
};

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

static double
px(const struct panel *p, double x)
{
	return p->x0 + p->w * x / p->xmax;
}

static double
py(const struct panel *p, double y)
{
	return p->y0 + p->h - p->h * (y > p->ymax ? p->ymax : y) / p->ymax;
}

static void
axes(FILE *f, const struct panel *p, const char *title, const char *xl,
    const char *yl)
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
		    py(p, v), py(p, v), p->x0 - 6, py(p, v) + 4, v);
	step = nice_step(p->xmax, p->xcount);
	for (v = 0; v <= p->xmax * 1.0001; v += step)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
		    "%g</text>\n", px(p, v), p->y0 + p->h + 16, v);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s"
	    "</text>\n", p->x0 + p->w / 2, p->y0 + p->h + 36, xl);
	fprintf(f, "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" "
	    "text-anchor=\"middle\">%s</text>\n", p->x0 - 50, p->y0 + p->h / 2,
	    yl);
}

/* Latency or age (ms) of each ok evaluation, as one polyline. */
static void
series(FILE *f, const struct client *c, const struct panel *p, int age,
    const char *colour)
{
	const struct client_eval *ev;
	long e;

	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.2\" "
	    "points=\"", colour);
	for (e = 0; e < c->nev; e++) {
		ev = &c->ev[e];
		if (ev->status == ST_OK)
			fprintf(f, "%.1f,%.1f ", px(p, (double)e),
			    py(p, (double)(ev->done_ns - (age ? ev->sched_ns :
			    ev->sent_ns)) / 1e6));
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
			m = fmax(m, (double)(c->ev[e].done_ns - c->ev[e].sched_ns) / 1e6);
	return m;
}

static void
per_eval(FILE *f, const struct client *c, const struct hist *lat, double top)
{
	struct panel p = { SVG_LEFT, top, SVG_W - SVG_LEFT - SVG_RIGHT,
	    SVG_PANEL_H - SVG_TOP - SVG_BOTTOM, c->nev > 1 ? c->nev - 1 : 1, 0,
	    1, 0 };
	long e;

	p.ymax = fmax(hist_max(lat) / 1e6, c->ideal_ms) * 1.1;
	if (max_age_ms(c) < 4 * p.ymax)	/* else the age runs off the top */
		p.ymax = fmax(p.ymax, max_age_ms(c) * 1.05);
	if (p.ymax <= 0)
		p.ymax = 1;
	axes(f, &p, "Latency per evaluation (blue: send to last reply; "
	    "grey: age from the scheduled frame; red: ideal)", "evaluation",
	    "ms");
	series(f, c, &p, 1, "#aaa");
	series(f, c, &p, 0, "#1f5fbf");
	fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#d62728\" stroke-dasharray=\"6,4\"/>\n", p.x0, p.x0 + p.w,
	    py(&p, c->ideal_ms), py(&p, c->ideal_ms));
	for (e = 0; e < c->nev; e++)	/* failed evaluations on the axis */
		if (c->ev[e].status != ST_OK)
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
			    "fill=\"#d62728\"/>\n", px(&p, (double)e), p.y0 + p.h);
}

static void
histogram(FILE *f, const struct client *c, const struct hist *lat, double top)
{
	struct panel p = { SVG_LEFT, top, SVG_W - SVG_LEFT - SVG_RIGHT,
	    SVG_PANEL_H - SVG_TOP - SVG_BOTTOM, 0, 0, 0, 1 };
	double bins[SVG_BINS] = { 0 }, width, x;
	uint64_t lo, hi, n;
	size_t cur = 0;
	int b;

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
	axes(f, &p, "Latency histogram (red: ideal)", "ms", "evaluations");
	for (b = 0; b < SVG_BINS; b++) {
		if (bins[b] == 0)
			continue;
		x = px(&p, b * width);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"#1f5fbf\"/>\n", x, py(&p, bins[b]),
		    px(&p, (b + 1) * width) - x - 1, p.y0 + p.h - py(&p, bins[b]));
	}
	fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#d62728\" stroke-dasharray=\"6,4\"/>\n",
	    px(&p, c->ideal_ms), px(&p, c->ideal_ms), p.y0, p.y0 + p.h);
}

int
client_svg_write(const struct client *c, const struct client_stats *s,
    const char *path)
{
	FILE *f = client_file_open(path);

	if (f == NULL)
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
	    "font-size=\"12\">\n<style>.t { font-weight: bold; }</style>\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
	    SVG_W, 2 * SVG_PANEL_H, SVG_W, 2 * SVG_PANEL_H);
	per_eval(f, c, s->lat, SVG_TOP);
	histogram(f, c, s->lat, SVG_PANEL_H + SVG_TOP);
	fputs("</svg>\n", f);
	return client_file_close(f, path);
}
