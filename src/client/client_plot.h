/* client_plot.h: the pieces of fake-client's SVG plots (client_svg.c, a
 * run's; client_sweep_svg.c, a sweep's): panels with their axes, in
 * plain SVG any browser shows. */
#ifndef FS_CLIENT_PLOT_H
#define FS_CLIENT_PLOT_H

#include <stdio.h>

#define CLIENT_PLOT_W		900
#define CLIENT_PLOT_PANEL_H	300
#define CLIENT_PLOT_LEFT	70
#define CLIENT_PLOT_RIGHT	20
#define CLIENT_PLOT_TOP		40
#define CLIENT_PLOT_BOTTOM	50

struct client_plot {
	double	x0, y0, w, h;		/* plot area */
	double	xmax, ymax;		/* data range, from 0 */
	int	xcount, ycount;		/* an axis of counts: whole ticks */
};

/* A panel of the plot's width from top, for data up to xmax and ymax. */
void	client_plot_panel(struct client_plot *, double top, double xmax,
	    double ymax);
/* The document's start (close it with "</svg>"). */
void	client_plot_begin(FILE *, int width, int height);
/* A panel's frame, grid, ticks, title and axis labels. */
void	client_plot_axes(FILE *, const struct client_plot *, const char *title,
	    const char *xlabel, const char *ylabel);
/* Where x and y (y cut at ymax) are drawn. */
double	client_plot_x(const struct client_plot *, double x);
double	client_plot_y(const struct client_plot *, double y);

#endif
