/* client_pyrepr.h: numbers and bytes as the seed's Python printed them
 * (repr()), so its scripts read our lines. */
#ifndef FS_CLIENT_PYREPR_H
#define FS_CLIENT_PYREPR_H

#include <stddef.h>

/* repr() of a float: the shortest digits that read back. */
void	client_pyrepr_float(char *buf, size_t len, double x);
/* repr() of bytes, without the b'' around it. */
void	client_pyrepr_bytes(char *buf, size_t len, const char *s, size_t n);

#endif
