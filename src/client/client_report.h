/* client_report.h: a run's report: the seed's lines, the summary, and the
 * files --csv, --json, --svg, --hgrm and --trace ask for. */
#ifndef FS_CLIENT_REPORT_H
#define FS_CLIENT_REPORT_H

#include "client_types.h"

/* Returns the run's exit status. */
int	client_report(const struct client *);
/* Can every file asked for be written? Said before the run: 0, or -1
 * (logged). */
int	client_report_check(const struct client_opts *);
/* "--csv, --json ... and --trace", for a message. */
const char *client_report_names(void);
/* How many files go to the standard output ("-") in *n, and the option
 * of the first, or NULL. */
const char *client_report_stdout(const struct client_opts *, int *n);

#endif
