#!/bin/sh
# The daemon's life: -n checks the config, a second daemon on the same
# control socket refuses, SIGKILL of the daemon leaves no worker and no
# port, the stale socket it left is taken over, --daemon --pidfile, and a
# worker ignoring SIGTERM is SIGKILLed after its stop timeout.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

p=$(fs_free_ports 2)
sv_conf <<EOF
One:echo:$p
Two:classification:$((p + 1))
EOF

out=$("$SRV" -n -c "$CONF") || fs_fail "-n of a good config failed"
[ "$out" = "configuration OK" ] || fs_fail "-n says: $out"
printf 'workers = ( { name = "x"; kind = "nope"; port = 0; } );\n' >"$FS_TMP/bad.conf"
"$SRV" -n -c "$FS_TMP/bad.conf" 2>"$FS_TMP/err"; rc=$?
[ $rc -eq 78 ] || fs_fail "-n of a bad config exits $rc, not 78"
[ "$(grep -c "^$FS_TMP/bad.conf:1: " "$FS_TMP/err")" -ge 2 ] ||
	fs_fail "not every error as file:line: $(cat "$FS_TMP/err")"
"$SRV" -c "$FS_TMP/bad.conf" -s "$FS_TMP/x.sock" 2>/dev/null; rc=$?
[ $rc -eq 78 ] || fs_fail "starting on a bad config exits $rc, not 78"
"$SRV" --bogus 2>/dev/null; rc=$?
[ $rc -eq 64 ] || fs_fail "a bad option exits $rc, not 64"
fs_ok "-n: configuration OK / every error, exit 78; usage 64"

sv_start
retry 10 sv_all READY || fs_fail "not all READY: $(sv_states)"
first=$SV_PID
"$SRV" -c "$CONF" -s "$SOCK" --worker "$WORKER" 2>"$FS_TMP/err"; rc=$?
[ $rc -eq 1 ] || fs_fail "a second daemon exits $rc, not 1"
grep -q "already running" "$FS_TMP/err" || fs_fail "unclear refusal: $(cat "$FS_TMP/err")"
sv_all READY || fs_fail "the first daemon was disturbed: $(sv_states)"
fs_ok "a second daemon on $SOCK refuses: $(cat "$FS_TMP/err")"

kids=$(sv_children)
kill -KILL "$first"
for k in $kids; do retry 5 fs_gone "$k" || fs_fail "worker $k outlived the SIGKILLed daemon"; done
retry 5 sh -c "! ss -Hltn 'sport = :$p' | grep -q . && ! ss -Hltn 'sport = :$((p + 1))' | grep -q ." ||
	fs_fail "ports still listen after the daemon was SIGKILLed"
fs_ok "SIGKILL of the daemon: workers $kids gone, ports free"

[ -S "$SOCK" ] || fs_fail "expected the stale socket to be left behind"
sv_start
retry 10 sv_all READY || fs_fail "not all READY on the stale socket: $(sv_states)"
kill -TERM "$SV_PID"
retry 5 fs_gone "$SV_PID" || fs_fail "the daemon did not stop"
fs_ok "a new daemon takes over the stale socket"

PIDF=$FS_TMP/fake-servers.pid
kill_daemon() { [ -s "$PIDF" ] && kill -TERM "$(cat "$PIDF")" 2>/dev/null; }
fs_on_exit kill_daemon
"$SRV" -c "$CONF" -s "$SOCK" --worker "$WORKER" --daemon --pidfile "$PIDF" 2>>"$SV_LOG" ||
	fs_fail "--daemon failed"
D=$(cat "$PIDF")
[ -n "$D" ] && kill -0 "$D" || fs_fail "no daemon behind the pidfile"
[ "$(awk '{ print $6 }' "/proc/$D/stat")" = "$D" ] || fs_fail "the daemon is not a session leader"
retry 10 sv_all READY || fs_fail "not all READY with --daemon: $(sv_states)"
kill -TERM "$D"
retry 5 fs_gone "$D" || fs_fail "the detached daemon did not stop"
[ -e "$PIDF" ] && fs_fail "the pidfile was left behind"
fs_ok "--daemon --pidfile: detached as $D, stopped, pidfile removed"

# A worker that ignores SIGTERM: SIGKILL after its stop timeout, exit 0.
SV_WORKER=$FS_TMP/stubborn.sh
cat >"$SV_WORKER" <<EOF2
#!/bin/sh
exec $PY -c '
import os, signal, socket, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
addr = os.environ["NOTIFY_SOCKET"]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"READY=1", "\0" + addr[1:] if addr[0] == "@" else addr)
time.sleep(60)'
EOF2
chmod +x "$SV_WORKER"
sv_conf <<EOF
Stubborn:echo:$p:restart = { stop_timeout_ms = 300; };
EOF
sv_start
retry 10 sv_all READY || fs_fail "a worker speaking sd_notify itself is not READY: $(sv_states)"
kid=$(sv_get Stubborn pid)
t0=$(date +%s%N)
kill -TERM "$SV_PID"
retry 5 fs_gone "$SV_PID" || fs_fail "the daemon did not exit"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
wait "$SV_PID"; rc=$?
[ $rc -eq 0 ] || fs_fail "the daemon exited $rc"
fs_gone "$kid" || fs_fail "Stubborn ($kid) is still running"
grep -q "Stubborn: did not stop within 300 ms of SIGTERM" "$SV_LOG" || fs_fail "no SIGKILL logged"
[ $ms -ge 250 ] || fs_fail "SIGKILL came after $ms ms, before the stop timeout"
fs_ok "a worker ignoring SIGTERM was SIGKILLed after the stop timeout (exit after $ms ms)"
