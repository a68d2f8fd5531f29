#!/bin/sh
# A worker's start under the supervisor: start_delay_ms keeps it STARTING
# (no READY=1) for that long, a SIGTERM meanwhile stops everything at once,
# and fake-servers -n warns of a delay the start timeout does not allow;
# warmup_requests and warmup_cost_ms make the first requests after each
# start cost that instead.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

p=$(fs_free_ports 2)
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# -n: a delay not below the start timeout (3000 ms in sv_conf) is said
# at its line, and the configuration is still OK.
sv_conf <<EOF2
S:echo:$p:start_delay_ms = 3000;
EOF2
"$SRV" -n -c "$CONF" >"$FS_TMP/n.out" 2>"$FS_TMP/n.err" ||
	fs_fail "-n refuses a start delay: $(cat "$FS_TMP/n.err")"
line=$(grep -n start_delay_ms "$CONF" | cut -d: -f1)
grep -q "^$CONF:$line: warning: worker 'S': start_delay_ms 3000 is not below its restart start_timeout_ms 3000" \
	"$FS_TMP/n.err" || fs_fail "-n: no warning at $CONF:$line: $(cat "$FS_TMP/n.err")"
grep -q "configuration OK" "$FS_TMP/n.out" || fs_fail "-n: $(cat "$FS_TMP/n.out")"
fs_ok "-n warns at $CONF:$line of start_delay_ms 3000 with start_timeout_ms 3000"

sv_conf <<EOF2
W:segmentation:$p:cost_ms = 2; warmup_requests = 5; warmup_cost_ms = 40;
S:segmentation:$((p + 1)):start_delay_ms = 1500;
EOF2
"$SRV" -n -c "$CONF" >"$FS_TMP/n.out" 2>"$FS_TMP/n.err" ||
	fs_fail "-n: $(cat "$FS_TMP/n.err")"
[ -s "$FS_TMP/n.err" ] && fs_fail "-n warns of 1500 ms: $(cat "$FS_TMP/n.err")"

# SIGTERM while S loads (for 2800 ms here, so that a slow start of the
# daemon still finds it loading): the daemon and S gone within a few
# seconds, S having exited by itself (not killed at the stop timeout).
sed 's/start_delay_ms = 1500/start_delay_ms = 2800/' "$CONF" >"$FS_TMP/c" &&
	mv "$FS_TMP/c" "$CONF"
sv_start
retry 5 sv_is S STARTING || fs_fail "S not STARTING: $(sv_states)"
spid=$(sv_get S pid)
t0=$(now_ms)
kill -TERM "$SV_PID"
retry 4 fs_gone "$SV_PID" || fs_fail "fake-servers did not exit on SIGTERM while S loads"
wait "$SV_PID"; rc=$?
t=$(($(now_ms) - t0))
[ $rc -eq 0 ] || fs_fail "fake-servers exited $rc on SIGTERM"
fs_gone "$spid" || fs_fail "S ($spid) is still running"
grep -q "killed by signal" "$SV_LOG" && fs_fail "a worker was killed: $(cat "$SV_LOG")"
fs_ok "SIGTERM while S loads: all stopped in $t ms, S exited by itself"

# STARTING, not READY, for the delay; READY after.
sed 's/start_delay_ms = 2800/start_delay_ms = 1500/' "$CONF" >"$FS_TMP/c" &&
	mv "$FS_TMP/c" "$CONF"
t0=$(now_ms)
sv_start
seen=0
while :; do
	st=$(sv_get S state) || fs_fail "no status"
	t=$(($(now_ms) - t0))
	case $st in
	STARTING) seen=1 ;;
	READY) break ;;
	*) fs_fail "S is $st at $t ms" ;;
	esac
	[ $t -lt 10000 ] || fs_fail "S not READY after $t ms: $(sv_states)"
	sleep 0.05
done
[ $seen -eq 1 ] || fs_fail "S never seen STARTING"
[ $t -ge 1400 ] || fs_fail "S READY after $t ms, before its 1500 ms delay"
retry 5 sv_is W READY || fs_fail "W not READY: $(sv_states)"
fs_ok "S STARTING then READY at $t ms (start_delay_ms 1500)"

# warm_run NAME N: N requests one at a time; W's service times in ms, one
# a line, in NAME.ms; the first 5 at least 40 ms, the median of the
# others well below.
warm_run() {
	cl_expect 0 "$1" run -c "$CONF" -n "$2" --fps 0 -k 1 --width 8 \
	    --height 8 --csv "$FS_TMP/$1.csv" -q
	$PY - "$FS_TMP/$1.csv" <<'PYEOF' || fs_fail "$1: $(cut -d, -f1-8 "$FS_TMP/$1.csv" | head -8)"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert all(r["W_status"] == "ok" for r in rows), "not all ok"
v = [float(r["W_service_us"]) / 1000 for r in rows]
rest = sorted(v[5:])
med = rest[len(rest) // 2]
print("W service ms: first 5 %s, then median %.3f" %
    (" ".join("%.1f" % x for x in v[:5]), med))
assert all(x >= 39.9 for x in v[:5]), "a warm-up request under 40 ms"
assert med < 20, "after the warm-up: median %g ms, not about 2" % med
PYEOF
}

warm_run a 25
fs_ok "warm-up: the first 5 requests at least 40 ms, then about 2 ms"

# After a restart, warm again.
wpid=$(sv_get W pid)
kill -KILL "$wpid"
restarted() { new=$(sv_get W pid) && [ "$new" != "$wpid" ] && sv_is W READY; }
retry 5 restarted || fs_fail "W not restarted: $(sv_states)"
warm_run b 15
fs_ok "warm-up again after W was restarted"
