/* client_curve.h: fake-client's CURVE keys (client_curve.c). */
#ifndef FS_CLIENT_CURVE_H
#define FS_CLIENT_CURVE_H

#include "client_types.h"

/* Our key pair and each endpoint's public key: an exit code. */
int	client_curve_setup(struct client *);
/* What a failed handshake of endpoint i means, said once. */
void	client_curve_failed(const struct client *, int i);

#endif
