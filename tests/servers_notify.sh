#!/bin/sh
# fake-servers and its own supervisor: with a NOTIFY_SOCKET owned by the
# test, READY=1 comes from the daemon's pid only once every worker port
# listens, then STATUS=, WATCHDOG=1 pings (WATCHDOG_USEC small), RELOADING=1
# and READY=1 around a SIGHUP, STOPPING=1 on SIGTERM; the workers do not
# inherit the daemon's NOTIFY_SOCKET or WATCHDOG_USEC.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

p=$(fs_free_ports 3)
sv_conf <<EOF
Seg:segmentation:$p:cost_ms = 30;
Cls:classification:$((p + 1))
Echo:echo:$((p + 2))
EOF
NLOG=$FS_TMP/notify-msgs.log
WATCHDOG_USEC=200000 fs_spawn servers $PY "$top_srcdir/tests/servers_notify.py" "$NLOG" \
	"$p,$((p + 1)),$((p + 2))" -- "$SRV" -c "$CONF" -s "$SOCK" --worker "$WORKER" -v
retry 5 grep -q '^child' "$NLOG" || fs_fail "the notify receiver did not start"
D=$(awk '$1 == "child" { print $2 }' "$NLOG")

retry 10 grep -q 'READY=1' "$NLOG" || fs_fail "no READY=1: $(cat "$NLOG")"
grep -A1 'READY=1' "$NLOG" | head -2 | grep -q '^ports.all$' ||
	fs_fail "READY=1 came before every worker port listened: $(cat "$NLOG")"
from=$(grep 'READY=1' "$NLOG" | head -1 | cut -f1)
[ "$from" = "$D" ] || fs_fail "READY=1 came from pid $from, not the daemon ($D)"
fs_ok "READY=1 from the daemon (pid $D) once all 3 ports listened"

retry 5 grep -q 'STATUS=3/3 workers ready' "$NLOG" || fs_fail "no STATUS=3/3 workers ready: $(cat "$NLOG")"
fs_ok "STATUS=$(grep -o 'STATUS=[^|]*' "$NLOG" | tail -1 | cut -d= -f2)"

wd() { [ "$(grep -c 'WATCHDOG=1' "$NLOG")" -ge 5 ]; }
retry 5 wd || fs_fail "fewer than 5 WATCHDOG=1 pings with WATCHDOG_USEC=200000: $(cat "$NLOG")"
fs_ok "WATCHDOG=1 pings ($(grep -c 'WATCHDOG=1' "$NLOG") so far)"

# The workers get the daemon's own notify socket, not ours.
SV_PID=$D
for w in $(sv_children); do
	env=$(tr '\0' '\n' <"/proc/$w/environ")
	ns=$(echo "$env" | sed -n 's/^NOTIFY_SOCKET=//p')
	case $ns in @*) ;; *) fs_fail "worker $w has NOTIFY_SOCKET='$ns'" ;; esac
	echo "$env" | grep -q '^WATCHDOG_' && fs_fail "worker $w inherited WATCHDOG_*"
done
fs_ok "workers have the daemon's notify socket and no WATCHDOG_*"

kill -HUP "$D"
reloaded() { grep -A100 'RELOADING=1' "$NLOG" | grep -q 'READY=1'; }
retry 5 reloaded || fs_fail "no RELOADING=1 then READY=1 after SIGHUP: $(cat "$NLOG")"
fs_ok "SIGHUP: RELOADING=1 then READY=1"

kill -TERM "$D"
retry 10 grep -q '^exit' "$NLOG" || fs_fail "the daemon did not exit on SIGTERM"
grep -q 'STOPPING=1' "$NLOG" || fs_fail "no STOPPING=1: $(cat "$NLOG")"
grep -q '^exit.0$' "$NLOG" || fs_fail "the daemon exited with $(grep '^exit' "$NLOG")"
fs_ok "SIGTERM: STOPPING=1, exit 0"
