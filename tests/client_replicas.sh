#!/bin/sh
# fake-client --in-flight with replicas: a worker too slow for the frame
# rate (30 ms at 50 fps) is warned about; with two replicas and two
# evaluations in flight the frames share the replicas and keep up, with one
# in flight the frames age.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

p=$(fs_free_ports 3)
sv_conf <<EOF2
Slow:segmentation:$p:cost_ms = 30; replicas = 2;
Fast:segmentation:$((p + 2)):cost_ms = 2;
EOF2
cl_up
opts="-c $CONF --width 64 --height 48 --fps 50 --frames 60"

cl_expect 0 two $opts --in-flight 2 --json "$FS_TMP/two.json"
grep -q "Slow: cost 30 ms x 50 fps = 0.75 per replica" "$FS_TMP/two.log" &&
	fs_fail "a warning for a worker that keeps up: $(cat "$FS_TMP/two.log")"
cl_py "$FS_TMP/two.json" '
s = d["workers"][0]
assert d["ok"] == 60 and s["sent"][0] + s["sent"][1] == 60, s
assert min(s["sent"]) >= 25, s["sent"]
assert d["age_us"]["p50"] < 100000, d["age_us"]
print("two in flight: sent %s, age p50 %.1f ms p99 %.1f ms" % (s["sent"], d["age_us"]["p50"] / 1e3, d["age_us"]["p99"] / 1e3))'
fs_ok "two in flight on two replicas keep up"

cl_expect 0 one $opts --json "$FS_TMP/one.json"
grep -q "with --in-flight 1 frames will age; --in-flight 2 would keep up" "$FS_TMP/one.log" ||
	fs_fail "no warning: $(cat "$FS_TMP/one.log")"
cl_py "$FS_TMP/one.json" '
assert d["ok"] == 60
assert d["age_us"]["max"] > 300000 and d["age_us"]["max"] > 3 * d["latency_us"]["max"], (d["age_us"], d["latency_us"])
print("one in flight: age max %.1f ms, latency max %.1f ms" % (d["age_us"]["max"] / 1e3, d["latency_us"]["max"] / 1e3))'
fs_ok "one in flight: the frames age, the latency does not show it"

sv_conf <<EOF2
Slow:segmentation:$p:cost_ms = 30;
EOF2
cl_expect 0 warn -c "$CONF" --fps 50 --frames 1
grep -q "Slow: cost 30 ms x 50 fps = 1.50 per replica: it cannot keep up; 2 replicas would" "$FS_TMP/warn.log" ||
	fs_fail "no replica warning: $(cat "$FS_TMP/warn.log")"
fs_ok "a worker too slow for the rate: warned, with the replicas it needs"
