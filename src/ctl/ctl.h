/* ctl.h: what the files of fake-serversctl share. */
#ifndef FS_CTL_H
#define FS_CTL_H

#include <jansson.h>

/* ctl_stats.c: the reply to "stats" as a table for a person. */
void	ctl_print_stats(json_t *reply);

#endif
