#!/bin/sh
# chaos.sh: while the client runs a few thousand frames through six
# workers, a random worker is SIGKILLed every 200 ms, one is SIGSTOPped for
# a second and the daemon is SIGHUPped twice with a changed config. The
# client finishes on its own with a status for every frame; only frames
# that met a fault failed; the daemon is alive with every worker READY, no
# zombie and no more descriptors than before; SIGKILL of the daemon leaves
# no worker behind. See tests/chaos_lib.sh.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/chaos_lib.sh"

chaos_run
