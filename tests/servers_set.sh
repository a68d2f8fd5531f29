#!/bin/sh
# A running worker's cost and faults changed without a restart:
# `fake-serversctl set` changes them in every replica with their pids
# unchanged (the client's service times follow, an error_rate of 1 makes
# every reply an error), refuses a bad value, key or worker with a
# message and changes nothing then; a set value survives a restart of
# the worker; a reload gives back the config's values, and a reload
# whose only change is a fault rate or cost_ms restarts nothing and
# applies it.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

p=$(fs_free_ports 2)
sv_conf <<EOF2
W:segmentation:$p:cost_ms = 10; replicas = 2;
EOF2
cl_up
# The replicas' pids and restart counts: kept by all but a kill.
procs() { echo "$(sv_get W:0 pid),$(sv_get W:1 pid) restarts" \
    "$(sv_get W:0 restarts),$(sv_get W:1 restarts)"; }
pids=$(procs)
same_pids() {
	now=$(procs)
	[ "$now" = "$pids" ] || fs_fail "$1: $pids -> $now: $(sv_ctl status)"
}

# run NAME STATUS LO HI: 16 frames one at a time, every reply of W
# STATUS, the median of W's service times (ms) within LO..HI when ok.
run() {
	"$CLIENT" run -c "$CONF" -n 16 --fps 0 -k 1 --width 8 --height 8 \
	    -t 2000 --csv "$FS_TMP/$1.csv" -q >"$FS_TMP/$1.log" 2>&1
	$PY - "$FS_TMP/$1.csv" "$2" "${3:-0}" "${4:-0}" <<'PYEOF' ||
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
st = [r["W_status"] for r in rows]
assert len(rows) == 16 and all(s == sys.argv[2] for s in st), st
if sys.argv[2] == "ok":
    v = sorted(float(r["W_service_us"]) / 1000 for r in rows)
    med = v[len(v) // 2]
    print("W: median service %.3f ms (%.1f..%.1f)" % (med, v[0], v[-1]))
    assert float(sys.argv[3]) <= med <= float(sys.argv[4]), med
else:
    print("W: %d of %d replies %s" % (len(st), len(rows), sys.argv[2]))
PYEOF
	fs_fail "$1: $(cut -d, -f1-12 "$FS_TMP/$1.csv" | head -4) $(cat "$FS_TMP/$1.log")"
}

# cost ID: its effective cost in the status; fault ID KEY: a rate or "".
cost() { sv_get "$1" cost_ms; }
fault() {
	sv_ctl -j status | $PY -c 'import json, sys
w = [w for w in json.load(sys.stdin)["workers"] if w["id"] == sys.argv[1]][0]
print(w["faults"].get(sys.argv[2], ""))' "$1" "$2"
}

run a ok 9.5 25
sv_ctl set W cost_ms=30 >"$FS_TMP/set.out" || fs_fail "set cost_ms=30 refused"
[ "$(cat "$FS_TMP/set.out")" = "W:0: set
W:1: set" ] || fs_fail "set says: $(cat "$FS_TMP/set.out")"
[ "$(cost W:0) $(cost W:1)" = "30.0 30.0" ] || fs_fail "status: $(sv_ctl status)"
run b ok 29.5 45
same_pids "set cost_ms=30"
fs_ok "set W cost_ms=30: both replicas at 30 ms in the status and the replies, pids $pids kept"

sv_ctl set W error_rate=1 >/dev/null || fs_fail "set error_rate=1 refused"
[ "$(fault W:1 error_rate)" = 1.0 ] || fs_fail "status: $(sv_ctl -j status)"
sv_ctl status | grep -q "^W:0 .* error=1 " || fs_fail "no FAULTS column: $(sv_ctl status)"
run c error
same_pids "set error_rate=1"
fs_ok "set W error_rate=1: every reply an error, pids kept"

# Refused: a bad value, a key it does not take, a worker it does not
# have, rates summing past 1; each says why, nothing changes.
refused() {
	want=$1; shift
	sv_ctl "$@" >/dev/null 2>"$FS_TMP/err" && fs_fail "$* was taken"
	grep -q -- "$want" "$FS_TMP/err" || fs_fail "$*: $(cat "$FS_TMP/err")"
	echo "  $*: $(cat "$FS_TMP/err")"
}
refused "worker 'W': cost_ms -1 is out of range (0..86400000)" set W cost_ms=-1
refused "'nosuchkey' is not a key a running worker takes (cost_ms coef" set W nosuchkey=1
refused "unknown worker 'X'" set X cost_ms=1
refused "sum to 1.5, more than 1" set W cost_ms=5 drop_rate=0.5
refused "not a parameter of cost_dist \"fixed\"" set W cost_sd_ms=2
refused "is not KEY=VALUE" set W cost_ms
[ "$(cost W:0) $(fault W:0 error_rate) $(fault W:0 drop_rate)" = "30.0 1.0 " ] ||
	fs_fail "a refused set changed something: $(sv_ctl -j status)"
same_pids "refused sets"
fs_ok "bad values, keys and workers refused with their reason, nothing changed"

# A set value survives a restart: the new process is given it.
sv_ctl set W error_rate=0 >/dev/null || fs_fail "set error_rate=0 refused"
old=$(sv_get W:0 pid)
kill -KILL "$old"
back() { new=$(sv_get W:0 pid) && [ -n "$new" ] && [ "$new" != "$old" ] && sv_is W:0 READY; }
retry 10 back || fs_fail "W:0 not restarted: $(sv_states)"
argv=$(tr '\0' ' ' <"/proc/$(sv_get W:0 pid)/cmdline")
case $argv in *" --cost-ms 30 "*) ;; *) fs_fail "W:0's argv: $argv" ;; esac
run d ok 29.5 45
fs_ok "W:0 killed: started again with cost_ms 30 (--cost-ms 30), still 30 ms"
pids=$(procs)

# A reload gives back the config's values (cost_ms 10), restarting
# nothing: its only changes are keys a running worker takes.
sv_ctl reload >/dev/null || fs_fail "reload refused"
[ "$(cost W:0) $(cost W:1)" = "10.0 10.0" ] || fs_fail "status: $(sv_ctl status)"
run e ok 9.5 25
same_pids "a reload of the same config"
fs_ok "a reload of the unchanged config: cost_ms 10 again, pids kept"

sv_conf <<EOF2
W:segmentation:$p:cost_ms = 10; replicas = 2; faults = { error_rate = 1; };
EOF2
kill -HUP "$SV_PID"
retry 10 sh -c "[ \"\$($CTL -s $SOCK -j status | grep -c '\"error_rate\": 1.0')\" = 2 ]" ||
	fs_fail "the reload did not apply: $(sv_ctl -j status)"
run f error
same_pids "a reload changing error_rate"
grep -q "configuration changed" "$SV_LOG" && fs_fail "a worker restarted: $(grep "configuration changed" "$SV_LOG")"
fs_ok "SIGHUP with only error_rate changed (to 1): every reply an error, pids and restart counts kept"

sv_conf <<EOF2
W:segmentation:$p:cost_ms = 30; replicas = 2;
EOF2
sv_ctl reload >/dev/null || fs_fail "reload refused"
[ "$(cost W:0) $(cost W:1) $(fault W:0 error_rate)" = "30.0 30.0 " ] ||
	fs_fail "status: $(sv_ctl -j status)"
run g ok 29.5 45
same_pids "a reload changing cost_ms"
fs_ok "reload with only cost_ms changed (to 30): 30 ms, pids and restart counts kept"
