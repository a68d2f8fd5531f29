#!/bin/sh
# Bad HTTP clients against the metrics listener: garbage, a 1 MiB header,
# clients that send a byte every half second, a flood of idle connections,
# all at once. The daemon neither crashes nor slows its supervision: a
# worker killed during the attack is back as fast as one killed without it;
# a scrape from another address (127.0.0.2) is still answered meanwhile.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/metrics_lib.sh"

p=$(fs_free_ports 1)
mt_setup
sv_conf <<EOF
Echo:echo:$p:restart = { backoff_min_ms = 20; backoff_max_ms = 20; };
EOF
sv_start
retry 10 sv_all READY || fs_fail "Echo is not READY: $(sv_states)"

# restart_ms: kill Echo, print how long until it is READY again (ms).
restart_ms() {
	sleep 0.4	# past min_uptime_ms: a good start, no growing backoff
	$MT restart "$SOCK" Echo || fs_fail "Echo was not restarted: $(sv_states)"
}
median() { tr ' ' '\n' | sort -n | sed -n 3p; }

base=
for i in 1 2 3 4 5; do base="$base $(restart_ms)"; done
fs_ok "restarts without an attack:$base ms"

fs_spawn hostile $MT hostile 127.0.0.1 "$MPORT" 12
ATTACK=$FS_LASTPID
sleep 1
during=
for i in 1 2 3 4 5; do during="$during $(restart_ms)"; done
$MT get "$MURL" 127.0.0.2 >"$FS_TMP/during.txt" || fs_fail "a scrape from 127.0.0.2 failed during the attack"
grep -q '^fake_servers_worker_restarts_total{model="Echo",version="0",kind="echo"} [0-9]' "$FS_TMP/during.txt" ||
	fs_fail "the page during the attack: $(head "$FS_TMP/during.txt")"
fs_ok "restarts during the attack:$during ms; a scrape from 127.0.0.2 answered"

kill -0 "$SV_PID" 2>/dev/null || fs_fail "the daemon died"
mb=$(echo $base | median) md=$(echo $during | median)
[ "$md" -le $((2 * mb + 200)) ] || fs_fail "restarts took $md ms (median) during the attack, $mb ms without"
wait "$ATTACK"
$MT get "$MURL" >/dev/null || fs_fail "GET /metrics after the attack failed"
mt_is 10 fake_servers_worker_restarts_total model=Echo || fs_fail "restarts_total is not 10"
grep -q -i "sanitizer\|segmentation\|abort" "$SV_LOG" && fs_fail "the daemon's log: $(grep -i "sanitizer\|segmentation\|abort" "$SV_LOG")"
fs_ok "median restart $md ms under attack vs $mb ms; the daemon serves on"
