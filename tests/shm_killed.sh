#!/bin/sh
# A client killed in the middle of a request leaves its ring behind; the
# worker keeps serving others, and the next client start removes the ring.
. "$top_srcdir/tests/shm_lib.sh"

sw_start w segmentation "ipc://$FS_TMP/w.sock" --cost-ms 200
fs_spawn hang "$PEER" -m hang -w 320 -H 240 "ipc://$FS_TMP/w.sock"
hang=$FS_LASTPID
retry 10 grep -q '^ring ' "$FS_TMP/hang.log" || fs_fail "no ring made"
ring=$(sed -n 's/^ring \/\([^ ]*\).*/\1/p' "$FS_TMP/hang.log")
kill -KILL "$hang"
retry 5 fs_gone "$hang" || fs_fail "the client did not die"
[ -e "/dev/shm/$ring" ] || fs_fail "the killed client's ring $ring is gone already"
"$PEER" -m shm -w 320 -H 240 -f 4 "ipc://$FS_TMP/w.sock" >"$FS_TMP/next.out" \
    2>"$FS_TMP/next.log" || fs_fail "the worker does not serve the next client"
[ -e "/dev/shm/$ring" ] && fs_fail "the next client did not remove $ring"
kill -0 "$SW_PID" || fs_fail "the worker died"
fs_ok "ring $ring removed, the worker still serves"
