#!/bin/sh
# chaos_restart.sh: the chaos scenario (tests/chaos.sh) with the daemon
# SIGKILLed mid-run and a new one started on the same config: its old
# workers die with it, the new one brings all six back to READY, and the
# client still finishes with only the frames that met a fault failed.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/chaos_lib.sh"

chaos_run --restart
