#!/bin/sh
# valgrind_client.sh: fake-servers, fake-serversctl and fake-client under
# valgrind memcheck (the workers run natively): start, status, stop/start,
# a reload, a worker killed and restarted, a client run, a client run
# that loses frames to a hung then killed worker, SIGTERM, and the client
# against servers that answer garbage. Every program exits as it should,
# with no error and nothing definitely lost.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/valgrind_lib.sh"
CLIENT=$(fs_bin fake-client)
[ -x "$CLIENT" ] || fs_skip "fake-client is not built"

p=$(fs_free_ports 3)
sv_conf <<EOF2
A:segmentation:$p:cost_ms = 2;
B:segmentation:$((p + 1)):cost_ms = 3;
C:classification:$((p + 2)):cost_ms = 4; window = 4;
EOF2
fs_spawn servers $VG "$SRV" -c "$CONF" -s "$SOCK" --worker "$WORKER"
SV_PID=$FS_LASTPID
retry 20 sv_all READY || fs_fail "not READY under valgrind: $(sv_states)"
vctl() { $VG "$CTL" -s "$SOCK" "$@" >"$FS_TMP/ctl.out" 2>&1 || fs_fail "fake-serversctl $*: $(cat "$FS_TMP/ctl.out")"; }
vctl -j status
vctl stop A
vctl start A
retry 10 sv_all READY || fs_fail "A did not come back: $(sv_states)"
sed -i 's/cost_ms = 3;/cost_ms = 2;/' "$CONF"
vctl reload
kill -KILL "$(sv_get C pid)"
retry 10 sv_all READY || fs_fail "C did not come back: $(sv_states)"
fs_ok "daemon and control tool under valgrind: status, stop, start, reload, a killed worker"

$VG "$CLIENT" -c "$CONF" --width 64 --height 48 --frames 100 --fps 200 \
    --in-flight 2 --timeout-ms 1000 --csv "$FS_TMP/run.csv" --json "$FS_TMP/run.json" \
    >"$FS_TMP/client.log" 2>&1 || fs_fail "fake-client: $(tail -5 "$FS_TMP/client.log"; vg_errors)"
[ "$(wc -l <"$FS_TMP/run.csv")" -eq 98 ] || fs_fail "$(wc -l <"$FS_TMP/run.csv") CSV lines, not 98"
fs_ok "fake-client: 100 frames under valgrind"

fs_spawn lossy $VG "$CLIENT" -c "$CONF" --width 64 --height 48 --frames 150 \
    --fps 100 --timeout-ms 300
cpid=$FS_LASTPID
# Frames are flowing once B has received a few of them (9216 B each).
flowing() {
	n=$(ss -Htni state established "sport = :$((p + 1))" |
	    sed -n 's/.*bytes_received:\([0-9]*\).*/\1/p' | head -1)
	[ "${n:-0}" -gt 30000 ]
}
retry 20 flowing || fs_fail "no frames reach B"
# B hangs for twice the timeout (a fault's length, not a wait), then dies.
b=$(sv_get B pid)
kill -STOP "$b"
sleep 0.6
kill -KILL "$b"
retry 30 fs_gone "$cpid" || fs_fail "the client hangs after a worker died"
wait "$cpid"
rc=$?
[ $rc -eq 1 ] || fs_fail "fake-client exits $rc, not 1, with lost frames: $(tail -5 "$FS_TMP/lossy.log"; vg_errors)"
fs_ok "fake-client losing frames to a hung worker: exit 1 under valgrind"

retry 10 sv_all READY || fs_fail "B did not come back: $(sv_states)"
kill -TERM "$SV_PID"
wait "$SV_PID"
rc=$?
[ $rc -eq 0 ] || fs_fail "fake-servers exits $rc after SIGTERM: $(vg_errors)"

# The client against servers that answer garbage (tests/hostile_client.sh).
FS_WRAP=$VG sh "$top_srcdir/tests/hostile_client.sh" >"$FS_TMP/hostile.log" 2>&1 ||
	fs_fail "hostile_client under valgrind: $(tail -5 "$FS_TMP/hostile.log"; vg_errors)"
fs_ok "under valgrind: $(sed -n 's/^ok: //p' "$FS_TMP/hostile.log")"
vg_check 8
fs_ok "$(ls "$FS_TMP"/vg.*.log | wc -l) processes clean under memcheck"
