/* tests/tap.h: the Test Anything Protocol for the C unit programs.
 * ok() prints one result line; tap_done() prints the plan and gives main's
 * exit status. Included once per test program. */
#ifndef FS_TAP_H
#define FS_TAP_H

#include <stdio.h>

static int tap_count, tap_failed;

static void
ok(int cond, const char *what)
{
	tap_count++;
	tap_failed += !cond;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, what);
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
