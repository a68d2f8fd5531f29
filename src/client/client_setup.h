/* client_setup.h: a run's targets and their endpoints, connected. */
#ifndef FS_CLIENT_SETUP_H
#define FS_CLIENT_SETUP_H

#include "client_types.h"

/* The targets and their endpoints, connected; free undoes it (and
 * whatever a mode left). Return the exit code. */
int	client_setup(struct client *, struct client_opts *);
void	client_setup_free(struct client *);

#endif
