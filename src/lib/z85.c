/* z85.c: the Z85 codec of ZeroMQ RFC 32, so that reading and checking key
 * files does not need libzmq (zmq_z85_encode and zmq_z85_decode give the
 * same text for the same bytes; tests/unit_z85.c checks it). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "z85.h"

static const char z85_chars[] =
    "0123456789abcdefghijklmnopqrstuvwxyz"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

int
z85_encode(char *dst, const uint8_t *src, size_t len)
{
	uint32_t v;
	size_t i;
	int j;

	if (len % 4 != 0) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < len; i += 4) {
		v = (uint32_t)src[i] << 24 | (uint32_t)src[i + 1] << 16 |
		    (uint32_t)src[i + 2] << 8 | src[i + 3];
		for (j = 4; j >= 0; j--) {
			dst[i / 4 * 5 + (size_t)j] = z85_chars[v % 85];
			v /= 85;
		}
	}
	dst[len / 4 * 5] = '\0';
	return 0;
}

int
z85_value(char ch)
{
	const char *p;

	if (ch == '\0' || (p = strchr(z85_chars, ch)) == NULL)
		return -1;
	return (int)(p - z85_chars);
}

int
z85_decode(uint8_t *dst, size_t len, const char *txt)
{
	uint64_t v;
	size_t i;
	int j, d;

	if (len % 4 != 0 || strnlen(txt, len / 4 * 5 + 1) != len / 4 * 5)
		goto bad;
	for (i = 0; i < len; i += 4) {
		v = 0;
		for (j = 0; j < 5; j++) {
			if ((d = z85_value(txt[i / 4 * 5 + (size_t)j])) == -1)
				goto bad;
			v = v * 85 + (uint64_t)d;
		}
		if (v > UINT32_MAX)
			goto bad;
		dst[i] = (uint8_t)(v >> 24);
		dst[i + 1] = (uint8_t)(v >> 16);
		dst[i + 2] = (uint8_t)(v >> 8);
		dst[i + 3] = (uint8_t)v;
	}
	return 0;
bad:
	memset(dst, 0, len);
	errno = EINVAL;
	return -1;
}
