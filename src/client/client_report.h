/* client_report.h: a run's report: the seed's lines, the summary, and the
 * files --csv, --json and --svg ask for. */
#ifndef FS_CLIENT_REPORT_H
#define FS_CLIENT_REPORT_H

#include "client.h"

/* Returns the run's exit status. */
int	client_report(const struct client *);

#endif
