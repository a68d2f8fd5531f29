#!/bin/sh
# The benchmark's floor program runs and prints sane figures, so `make bench`
# cannot rot unnoticed: a few round trips over tcp and ipc (and tcp with
# CURVE), a memcpy, a few accurate waits and a few processes started.
. "$top_srcdir/tests/lib.sh"
FLOOR=$(fs_bin bench/floor)
[ -x "$FLOOR" ] || fs_skip "bench/floor is not built"
[ -x "$PY" ] || fs_skip "$PY is not installed"

# sane FILE MODE: one JSON object of that mode, 0 < min <= p50 <= max < 10 s.
sane() {
	$PY - "$1" "$2" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["mode"] == sys.argv[2], r
s = r["latency_us"]
assert 0 < s["min"] <= s["p50"] <= s["p99"] <= s["max"] < 1e7, s
if r["mode"] == "scatter":
    assert r["evals_per_s"] > 0 and r["samples"] == 20, r
    o = r["overhead_us"]
    assert 0 <= o["p50"] <= s["p50"], (o, s)
PYEOF
}

for t in tcp ipc; do
	TMPDIR=$FS_TMP timeout 20 "$FLOOR" scatter -t "$t" -n 20 -w 2 1:1 \
	    >"$FS_TMP/rtt-$t.json" 2>"$FS_TMP/rtt-$t.log" ||
		fs_fail "floor scatter over $t failed: $(cat "$FS_TMP/rtt-$t.log")"
	sane "$FS_TMP/rtt-$t.json" scatter || fs_fail "floor scatter over $t: $(cat "$FS_TMP/rtt-$t.json")"
done
# The same over CURVE.
timeout 20 "$FLOOR" scatter -C -t tcp -n 20 -w 2 9216:8 \
    >"$FS_TMP/curve.json" 2>"$FS_TMP/curve.log" ||
	fs_fail "floor scatter -C failed: $(cat "$FS_TMP/curve.log")"
sane "$FS_TMP/curve.json" scatter || fs_fail "floor scatter -C: $(cat "$FS_TMP/curve.json")"
grep -q '"curve":true' "$FS_TMP/curve.json" || fs_fail "floor scatter -C does not say curve"
# Three peers of different sizes, one with a cost, two in flight.
timeout 20 "$FLOOR" scatter -n 20 -k 2 9216:8 9216:8 147456:32:1000 \
    >"$FS_TMP/scatter.json" 2>"$FS_TMP/scatter.log" ||
	fs_fail "floor scatter to 3 peers failed: $(cat "$FS_TMP/scatter.log")"
sane "$FS_TMP/scatter.json" scatter || fs_fail "3 peers: $(cat "$FS_TMP/scatter.json")"
$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["latency_us"]["min"] >= 1000, r' \
    "$FS_TMP/scatter.json" || fs_fail "a 1000 us cost took less: $(cat "$FS_TMP/scatter.json")"
"$FLOOR" memcpy -n 20 65536 >"$FS_TMP/memcpy.json" || fs_fail "floor memcpy failed"
sane "$FS_TMP/memcpy.json" memcpy || fs_fail "memcpy: $(cat "$FS_TMP/memcpy.json")"
"$FLOOR" wait -n 20 100 >"$FS_TMP/wait.json" || fs_fail "floor wait failed"
$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); e=r["error_us"]; assert r["mode"] == "wait" and 0 <= e["min"] <= e["p50"] <= e["max"] < 1e7, r' \
    "$FS_TMP/wait.json" || fs_fail "floor wait: $(cat "$FS_TMP/wait.json")"
timeout 20 "$FLOOR" spawn -n 2 3 >"$FS_TMP/spawn.json" || fs_fail "floor spawn failed"
$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); s=r["ready_us"]; assert r["children"] == 3 and 0 < s["min"] <= s["max"] < 2e7, r' \
    "$FS_TMP/spawn.json" || fs_fail "floor spawn: $(cat "$FS_TMP/spawn.json")"
"$FLOOR" scatter 0 >/dev/null 2>&1 && fs_fail "floor accepted a 0-byte peer"
fs_ok "floor prints sane figures"
