/* client_pyrepr.c: Python's repr() of floats and bytes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_pyrepr.h"

void
client_pyrepr_bytes(char *buf, size_t len, const char *s, size_t n)
{
	size_t i, o = 0;
	unsigned char ch;

	for (i = 0; i < n && o + 5 < len; i++) {
		ch = (unsigned char)s[i];
		if (ch == '\\' || ch == '\'')
			o += (size_t)snprintf(buf + o, len - o, "\\%c", ch);
		else if (ch == '\n')
			o += (size_t)snprintf(buf + o, len - o, "\\n");
		else if (ch < 32 || ch > 126)
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o < len ? o : len - 1] = '\0';
}

void
client_pyrepr_float(char *buf, size_t len, double x)
{
	int p;

	for (p = 1; p <= 17; p++) {
		snprintf(buf, len, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	if (strpbrk(buf, ".eni") == NULL && strlen(buf) + 3 <= len)
		strcat(buf, ".0");
}
