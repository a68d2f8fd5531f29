#!/bin/sh
# Crash loops: a worker that always exits 3, one whose port is taken and one
# that never sends READY=1 each end FAILED after the burst of failed starts
# while a good worker keeps serving with the same pid; READY=1 reaches our
# supervisor once they are all settled; reset and start bring them back.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

p=$(fs_free_ports 4)
# The worker program: the real one, except for two names.
SV_WORKER=$FS_TMP/worker.sh
cat >"$SV_WORKER" <<EOF
#!/bin/sh
case "\$2" in
Crash) echo "crashing on purpose" >&2; exit 3 ;;
Hang) exec sleep 30 ;;
esac
exec "$WORKER" "\$@"
EOF
chmod +x "$SV_WORKER"

# Someone else holds the port of "Taken".
fs_spawn squatter $PY -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); time.sleep(60)' $((p + 1))
SQUAT=$FS_LASTPID
fs_wait_port $((p + 1)) 5

sv_conf <<EOF
Good:echo:$p
Taken:echo:$((p + 1))
Crash:echo:$((p + 2))
Hang:echo:$((p + 3)):restart = { start_timeout_ms = 200; };
EOF
NLOG=$FS_TMP/notify-msgs.log
fs_spawn servers $PY "$top_srcdir/tests/servers_notify.py" "$NLOG" "$p" -- \
	"$SRV" -c "$CONF" -s "$SOCK" --worker "$SV_WORKER"
retry 5 sv_ctl status || fs_fail "fake-servers did not answer on $SOCK"
SV_PID=$(awk '$1 == "child" { print $2 }' "$NLOG")

retry 10 sv_is Good READY || fs_fail "Good is not READY: $(sv_states)"
good=$(sv_get Good pid)
failed() { [ "$(sv_states)" = "Crash=FAILED Good=READY Hang=FAILED Taken=FAILED" ]; }
retry 15 failed || fs_fail "not Crash, Hang and Taken FAILED: $(sv_states)"
[ "$(sv_get Good pid)" = "$good" ] || fs_fail "Good was restarted"
[ "$(sv_get Good restarts)" = 0 ] || fs_fail "Good has restarts"
fs_listening "$p" || fs_fail "Good's port $p does not listen"
for w in Crash Hang Taken; do
	grep -q "$w: FAILED: .*4 failed starts" "$SV_LOG" || fs_fail "no FAILED line for $w in the log"
	[ "$(sv_get $w restarts)" = 3 ] || fs_fail "$w has $(sv_get $w restarts) restarts, not 3"
done
grep -q "Crash: exited with status 3" "$SV_LOG" || fs_fail "the exit status of Crash was not logged"
grep -q "Hang: no READY=1 within 200 ms" "$SV_LOG" || fs_fail "the start timeout of Hang was not logged"
[ "$(sv_get Crash last_exit)" = "exited with status 3" ] || fs_fail "status does not show Crash's last exit"
sv_ctl status | grep -q "1/4 workers ready, 3 failed" || fs_fail "no failure in the summary"
fs_ok "Crash, Hang and Taken FAILED; Good kept pid $good"

grep -q 'READY=1' "$NLOG" || fs_fail "no READY=1 once every worker was READY or FAILED"
grep -B3 'READY=1' "$NLOG" | grep -q '3 failed' ||
	fs_fail "READY=1 came before the failures settled: $(cat "$NLOG")"
fs_ok "READY=1 to our supervisor once all settled"

# reset: a new series of attempts; it fails again, Good still untouched.
sv_ctl reset Crash >/dev/null || fs_fail "reset Crash failed"
retry 5 sh -c "grep -c 'Crash: FAILED' '$SV_LOG' | grep -q 2" || fs_fail "Crash did not fail again after reset"
# start of Taken once the port is free: READY.
kill "$SQUAT"
retry 5 sh -c "! ss -Hltn 'sport = :$((p + 1))' | grep -q ." || fs_fail "the squatter still holds $((p + 1))"
sv_ctl start Taken >/dev/null || fs_fail "start Taken failed"
retry 5 sv_is Taken READY || fs_fail "Taken is not READY once its port is free: $(sv_states)"
[ "$(sv_get Good pid)" = "$good" ] || fs_fail "Good was restarted"
fs_ok "reset retries Crash; start brings Taken up once its port is free"
