#!/bin/sh
# A client killed in the middle of a request leaves its ring behind; the
# worker keeps serving others, and the next client start removes the ring
# (scenarios running at the same time may start a client first: then that
# one has removed it). An idle worker lets go of gone clients' rings.
. "$top_srcdir/tests/shm_lib.sh"

sw_start w segmentation "ipc://$FS_TMP/w.sock" --cost-ms 200
fs_spawn hang "$PEER" -m hang -w 320 -H 240 "ipc://$FS_TMP/w.sock"
hang=$FS_LASTPID
retry 10 grep -q '^ring ' "$FS_TMP/hang.log" || fs_fail "no ring made"
ring=$(sed -n 's/^ring \/\([^ ]*\).*/\1/p' "$FS_TMP/hang.log")
kill -KILL "$hang"
retry 5 fs_gone "$hang" || fs_fail "the client did not die"
# (Another scenario's client, starting meanwhile, may have removed it.)
[ -e "/dev/shm/$ring" ] || echo "note: $ring was removed by another client start"
"$PEER" -m shm -w 320 -H 240 -f 4 "ipc://$FS_TMP/w.sock" >"$FS_TMP/next.out" \
    2>"$FS_TMP/next.log" || fs_fail "the worker does not serve the next client"
[ -e "/dev/shm/$ring" ] && fs_fail "the next client did not remove $ring"
kill -0 "$SW_PID" || fs_fail "the worker died"
fs_ok "ring $ring removed, the worker still serves"

# The same with fake-client: killed mid-run, its ring is removed when the
# next run starts, and that run is served in full.
CLIENT=$(fs_bin fake-client)
[ -x "$CLIENT" ] || fs_fail "$CLIENT is not built"
sw_start seg segmentation "ipc://$FS_TMP/s.sock" --cost-ms 2
seg=$SW_PID
sw_start cls classification "ipc://$FS_TMP/c.sock" --cost-ms 2
eps="-e Seg=ipc://$FS_TMP/s.sock -e Cls=ipc://$FS_TMP/c.sock"
has_ring() { [ "$(sw_rings "$1")" -eq 1 ]; }
fs_spawn client1 "$CLIENT" --no-config $eps --transport shm --frames 100000 \
    --fps 50 --width 320 --height 240
c1=$FS_LASTPID
retry 10 has_ring "$c1" || fs_fail "fake-client made no ring"
[ "$(sw_lanes "$c1")" -eq 4 ] || fs_fail "fake-client made $(sw_lanes "$c1") lane pipes, not 4"
kill -0 "$c1" || fs_fail "fake-client is gone already: $(cat "$FS_TMP/client1.log")"
kill -KILL "$c1"
retry 5 fs_gone "$c1" || fs_fail "fake-client did not die"
[ "$(sw_rings "$c1")" -eq 1 ] || echo "note: the ring of $c1 was removed by another client start"
"$CLIENT" --no-config $eps --transport shm --frames 10 --fps 0 --width 320 \
    --height 240 >"$FS_TMP/client2.out" 2>&1 ||
	fs_fail "the next run failed: $(cat "$FS_TMP/client2.out")"
[ "$(sw_rings "$c1")" -eq 0 ] || fs_fail "the next run did not remove the killed client's ring"
[ "$(sw_lanes "$c1")" -eq 0 ] || fs_fail "the next run did not remove the killed client's lane pipes"
grep -q ' (9 through its lane)' "$FS_TMP/client2.out" ||
	fs_fail "the next run's requests did not go through its lanes: $(grep 'shared memory:' "$FS_TMP/client2.out")"
kill -0 "$SW_PID" || fs_fail "a worker died"
fs_ok "fake-client killed mid-run: its ring and lanes removed by the next run, served in full, through lanes"

# An idle worker lets go of the rings of clients that are gone: both runs
# are over, and no request comes to wake it.
# Rings are mapped from /dev/shm (the build path may contain the name too).
unmapped() { ! grep -q '/dev/shm/fake-servers-' "/proc/$1/maps"; }
retry 5 unmapped "$seg" ||
	fs_fail "an idle worker still maps gone clients' rings: $(grep '/dev/shm/fake-servers-' "/proc/$seg/maps" | head -n 2)"
fs_ok "an idle worker let go of the gone clients' rings"
