#!/bin/sh
# fake-client run against fake-servers on a small-cost copy of the default
# config (3, 4, 5 ms; the classifier's window is 16): 25 frames give 10
# evaluations and the seed's lines, no latency is below the ideal, the CSV,
# JSON and SVG are written, and --sequential takes about the sum of the
# costs where parallel takes about the slowest.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

p=$(fs_free_ports 3)
cl_pipeline_conf "$p"
cl_up

cl_expect 0 run -c "$CONF" --frames 25 --json "$FS_TMP/run.json" \
	--csv "$FS_TMP/run.csv" --svg "$FS_TMP/run.svg"
head -1 "$FS_TMP/run.out" | grep -Eq '^mean: [0-9.e-]+, std: [0-9.e-]+ len: 10$' ||
	fs_fail "no seed line: $(cat "$FS_TMP/run.out")"
sed -n 2p "$FS_TMP/run.out" | $PY -c '
import ast, sys
l = ast.literal_eval(sys.stdin.read())
assert len(l) == 10 and all(x >= 0.005 for x in l), l' ||
	fs_fail "the list is not 10 latencies of at least 5 ms: $(sed -n 2p "$FS_TMP/run.out")"
grep -q '^latency: .*p99.9' "$FS_TMP/run.out" || fs_fail "no latency summary"
fs_ok "25 frames: 10 evaluations, the seed's lines, each at least the ideal"

cl_py "$FS_TMP/run.json" '
assert d["evaluations"] == 10 and d["ok"] == 10, d
assert d["ideal_us"] == 5000, d["ideal_us"]
assert all(x >= d["ideal_us"] for x in d["latencies_us"]), d["latencies_us"]
assert d["latency_us"]["p50"] >= 5000 and d["age_us"]["p50"] >= d["latency_us"]["min"]
assert [w["name"] for w in d["workers"]] == ["FakeSegmentation1", "FakeSegmentation2", "FakeClassification"]
assert [w["window"] for w in d["workers"]] == [1, 1, 16]
assert all(w["ok"] == 10 and w["service_us"]["p50"] >= w["cost_us"] for w in d["workers"]), d["workers"]
assert d["settings"]["frames"] == 25 and d["settings"]["window"] == 16
cp = d["critical_path_us"]
assert cp["evaluations"] == 10, cp
assert abs(cp["client_send"] + cp["service_beyond_ideal"] + cp["transport"] - d["overhead_mean_us"]) < 1, (cp, d["overhead_mean_us"])
# The client waits out most of the run: its CPU is a small part of it,
# and more than nothing (3 threads at most could run at once).
assert 0 < d["cpu_us"] < d["elapsed_us"] / 2, (d["cpu_us"], d["elapsed_us"])'
[ "$(wc -l <"$FS_TMP/run.csv")" -eq 11 ] || fs_fail "the CSV has not 1 + 10 lines"
head -1 "$FS_TMP/run.csv" | grep -q '^frame,scheduled_us,sent_us,latency_us,status,FakeSegmentation1_reply_us' ||
	fs_fail "CSV header: $(head -1 "$FS_TMP/run.csv")"
[ "$(cut -d, -f5 "$FS_TMP/run.csv" | sort | uniq -c | awk '{print $1 $2}' | xargs)" = "10ok 1status" ] ||
	fs_fail "CSV status column: $(cut -d, -f5 "$FS_TMP/run.csv" | xargs)"
$PY -c '
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
assert r.tag.endswith("svg"), r.tag' "$FS_TMP/run.svg" || fs_fail "the SVG does not parse"
fs_ok "JSON, CSV (a row per evaluated frame) and SVG"

# Small frames, as fast as possible: the costs dominate, not the copies.
small="--width 64 --height 48 --fps 0 --frames 40 -q"
cl_expect 0 par -c "$CONF" $small --json "$FS_TMP/par.json"
cl_expect 0 seq -c "$CONF" $small --sequential --json "$FS_TMP/seq.json"
cl_py "$FS_TMP/seq.json" '
par = json.load(open(sys.argv[1].replace("seq", "par")))
s, p = d["latencies_us"], par["latencies_us"]
assert len(s) == 25 and len(p) == 25
assert d["ideal_us"] == 12000 and min(s) >= 12000, (d["ideal_us"], min(s))
assert min(p) >= 5000, min(p)
assert d["latency_us"]["p50"] < 12000 + 20000, d["latency_us"]
assert par["latency_us"]["p50"] < d["latency_us"]["p50"], (par["latency_us"], d["latency_us"])
print("parallel p50 %.2f ms, sequential p50 %.2f ms" % (par["latency_us"]["p50"] / 1e3, d["latency_us"]["p50"] / 1e3))'
fs_ok "sequential takes the sum of the costs (>= 12 ms), parallel the slowest (>= 5 ms)"

# A timeout below the ideal: a warning first, and with no evaluation ok the
# report still shows the workers' table that names the culprit.
cl_expect 1 tmo -c "$CONF" --width 64 --height 48 --fps 0 --frames 17 --timeout-ms 2
grep -q "^fake-client: --timeout-ms 2 is below the ideal of 5 ms (the slowest cost): every evaluation will time out" \
	"$FS_TMP/tmo.log" || fs_fail "no warning: $(cat "$FS_TMP/tmo.log")"
grep -q "^evaluations: 0 ok" "$FS_TMP/tmo.out" || fs_fail "$(cat "$FS_TMP/tmo.out")"
# Which parts time out depends on the machine's load; the table must be there.
grep -q "^FakeClassification *5.000 " "$FS_TMP/tmo.out" ||
	fs_fail "no workers' table: $(cat "$FS_TMP/tmo.out")"
fs_ok "a timeout below the ideal: warned, and the workers' table with nothing ok"

# Without a configuration the costs, and so the ideal, are unknown.
cl_expect 0 nocf --no-config -e "seg=tcp://127.0.0.1:$p" -e "cls=tcp://127.0.0.1:$((p + 2))" \
	--width 64 --height 48 --fps 0 --frames 3
grep -q "^ideal: *unknown: no cost for seg, cls (not in a configuration)$" "$FS_TMP/nocf.out" ||
	fs_fail "$(cat "$FS_TMP/nocf.out")"
grep -Eq "^overhead:|0\.000 ms \(the slowest" "$FS_TMP/nocf.out" && fs_fail "an ideal of 0: $(cat "$FS_TMP/nocf.out")"
grep -q "^seg *? " "$FS_TMP/nocf.out" || fs_fail "a cost for seg: $(cat "$FS_TMP/nocf.out")"
fs_ok "--no-config: the costs and the ideal are unknown"

# Counts on the SVG's axes are whole: the histogram's evaluations and the
# evaluation numbers, even with few of them (3 here).
cl_expect 0 few -c "$CONF" --width 64 --height 48 --fps 0 --frames 18 -q --svg "$FS_TMP/few.svg"
$PY - "$FS_TMP/few.svg" <<'EOP' || fs_fail "fractional counts on an axis"
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
t = [(float(e.get("y")), e.get("text-anchor"), e.text)
     for e in ET.parse(sys.argv[1]).getroot().iter(ns + "text") if e.get("y") and e.get("text-anchor") in ("end", "middle")]
counts = [x for y, a, x in t if (a == "end" and y > 300) or (a == "middle" and y < 300 and x[0].isdigit())]
assert len(counts) >= 3, t
bad = [x for x in counts if not x.isdigit()]
assert not bad, bad
print("count ticks:", " ".join(counts))
EOP
fs_ok "whole counts on the SVG's axes"
