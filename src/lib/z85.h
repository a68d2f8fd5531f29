/* z85.h: Z85 (ZeroMQ RFC 32), the text form of CURVE keys.
 *
 * Every 4 bytes, read as a big-endian number, become 5 characters of an
 * 85-character alphabet. Lengths are exact: the bytes are a multiple of 4,
 * the text a multiple of 5, and a text that is not exactly the form of
 * the bytes asked for is refused rather than cut or padded.
 */
#ifndef FS_Z85_H
#define FS_Z85_H

#include <stddef.h>
#include <stdint.h>

/* The text of len bytes (a multiple of 4), NUL-terminated, in dst, which
 * holds len / 4 * 5 + 1 characters: 0, or -1 (EINVAL) for a bad len. */
int	z85_encode(char *dst, const uint8_t *src, size_t len);
/* The len bytes (a multiple of 4) of txt, which must be exactly
 * len / 4 * 5 Z85 characters: 0, or -1 (EINVAL) for a bad length, a
 * character outside the alphabet or a group of 5 above 2^32 - 1; dst is
 * then cleared. */
int	z85_decode(uint8_t *dst, size_t len, const char *txt);
/* A character's value (0 to 84), or -1 when it is not of the alphabet. */
int	z85_value(char ch);

#endif
