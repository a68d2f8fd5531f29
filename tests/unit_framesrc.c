/* unit_framesrc.c: the frame history: every window is the frames it should
 * hold, contiguous, across the ring's wrap; held slots are not refilled. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framesrc.h"
#include "tap.h"



/* Fill n frames; each window of k <= window ending at a frame must equal
 * the frames kept aside as they were made. */
static void
test_windows(size_t fb, int window, int depth)
{
	struct framesrc *fs = framesrc_new(fb, window, depth, 7);
	enum { N = 60 };
	unsigned char *copy = malloc(fb * N);
	char what[128];
	int f, k, good = 1, distinct = 1;

	for (f = 0; f < N; f++) {
		framesrc_fill(fs, f);
		memcpy(copy + fb * (size_t)f, framesrc_block(fs, f, 1), fb);
		if (f > 0 && memcmp(copy + fb * (size_t)f,
		    copy + fb * (size_t)(f - 1), fb) == 0)
			distinct = 0;
		for (k = 1; k <= window && k <= f + 1; k++)
			if (memcmp(framesrc_block(fs, f, k),
			    copy + fb * (size_t)(f - k + 1), fb * (size_t)k) != 0)
				good = 0;
	}
	snprintf(what, sizeof what, "%zu-byte frames, window %d, depth %d: "
	    "every window holds its frames, contiguous", fb, window, depth);
	ok(good, what);
	ok(distinct, "each frame differs from the one before");
	free(copy);
	framesrc_free(&fs);
	ok(fs == NULL, "framesrc_free NULLs the pointer");
}

static void
test_holds(void)
{
	struct framesrc *fs = framesrc_new(64, 4, 1, 1);	/* 6 slots */
	int f;

	for (f = 0; f <= 10; f++)
		framesrc_fill(fs, f);
	ok(framesrc_slots(fs) == 6, "window 4 + depth 1 + 1 slots");
	framesrc_hold(fs, 10, 4);			/* frames 7..10 */
	ok(framesrc_held(fs) == 4, "a block of 4 holds 4 slots");
	ok(framesrc_can_fill(fs, 11) && framesrc_can_fill(fs, 12),
	    "slots of frames 5 and 6 may be refilled");
	ok(!framesrc_can_fill(fs, 13) && !framesrc_can_fill(fs, 16),
	    "slots of frames 7..10 may not");
	framesrc_hold(fs, 10, 1);
	framesrc_release(framesrc_block(fs, 10, 4), framesrc_hint(fs, 4));
	ok(framesrc_can_fill(fs, 13) && !framesrc_can_fill(fs, 16),
	    "a release frees the block, a second hold keeps its slot");
	framesrc_release(framesrc_block(fs, 10, 1), framesrc_hint(fs, 1));
	ok(framesrc_held(fs) == 0, "everything released");
	framesrc_free(&fs);
	ok(framesrc_new(0, 1, 0, 1) == NULL && framesrc_new(8, 0, 0, 1) == NULL &&
	    framesrc_new(8, FRAMESRC_WINDOW_MAX + 1, 0, 1) == NULL,
	    "impossible geometries are refused");
}

int
main(void)
{
	test_windows(1440, 16, 1);
	test_windows(27, 4, 3);		/* odd sizes: unaligned words */
	test_windows(8, 1, 0);
	test_holds();
	return tap_done();
}
