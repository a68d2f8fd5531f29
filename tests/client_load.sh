#!/bin/sh
# fake-client as a load generator: --warmup leaves the first evaluations
# out of every figure but the seed's own lines and marks them in the CSV;
# --duration runs for a time instead of --frames; --arrivals poisson
# spaces the frames as a Poisson process of the same mean rate, and a
# frame's age still counts from its due time.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

p=$(fs_free_ports 2)
sv_conf <<EOF2
S:segmentation:$p:cost_ms = 2;
C:classification:$((p + 1)):cost_ms = 3; window = 4;
EOF2
cl_up
opts="-c $CONF --width 64 --height 48"

cl_expect 0 warm $opts --frames 30 --fps 50 --warmup 5 --json "$FS_TMP/warm.json" \
	--csv "$FS_TMP/warm.csv"
grep -q "^mean: .* len: 27$" "$FS_TMP/warm.out" || fs_fail "the seed's line without the warm-up: $(cat "$FS_TMP/warm.out")"
grep -q "^warm-up:   5 evaluations left out" "$FS_TMP/warm.out" || fs_fail "$(cat "$FS_TMP/warm.out")"
cl_py "$FS_TMP/warm.json" '
assert d["settings"]["warmup"] == 5 and d["evaluations"] == 27, d["settings"]
assert d["ok"] == 22 and d["latency_us"]["count"] == 22 and d["age_us"]["count"] == 22, d
assert all(w["ok"] == 22 and w["service_us"]["count"] == 22 for w in d["workers"]), d["workers"]
assert len(d["latencies_us"]) == 27
rows = [l.rstrip("\n").split(",") for l in open(sys.argv[1].replace(".json", ".csv"))]
assert rows[0][-1] == "warmup", rows[0]
assert [r[-1] for r in rows[1:]] == ["1"] * 5 + ["0"] * 22, [r[-1] for r in rows[1:]]'
fs_ok "--warmup 5: 27 evaluations, 22 in the figures, the 5 first marked in the CSV"

cl_expect 0 dur $opts --duration 1 --fps 50 --warmup 3 --json "$FS_TMP/dur.json" -q
cl_py "$FS_TMP/dur.json" '
assert d["evaluations"] == 53 and d["ok"] == 50, (d["evaluations"], d["ok"])
assert d["settings"]["duration_s"] == 1 and d["settings"]["frames"] == 56, d["settings"]
assert 1.0e6 <= d["elapsed_us"] < 3.0e6, d["elapsed_us"]
print("--duration 1 --fps 50: %d evaluations in %.2f s" % (d["evaluations"], d["elapsed_us"] / 1e6))'
cl_expect 0 dur0 $opts --duration 0.5 --fps 0 --json "$FS_TMP/dur0.json" -q
cl_py "$FS_TMP/dur0.json" '
assert d["evaluations"] > 10 and d["ok"] == d["evaluations"], d["evaluations"]
assert 0.5e6 <= d["elapsed_us"] < 2.5e6, d["elapsed_us"]'
fs_ok "--duration: 50 evaluations a second measured after the warm-up, or as many as fit"

# 200 arrivals at 100 a second: exponential gaps (mean 10 ms, as spread as
# their mean), against constant ones (all 10 ms).
gaps() {
	cl_py "$FS_TMP/$1.json" '
rows = [l.split(",") for l in open(sys.argv[1].replace(".json", ".csv"))][1:]
sched = [float(r[1]) for r in rows]
sent = [float(r[2]) for r in rows]
g = [b - a for a, b in zip(sched, sched[1:])]
m = sum(g) / len(g)
cv = (sum((x - m) ** 2 for x in g) / len(g)) ** 0.5 / m
assert all(s >= t for s, t in zip(sent, sched)), "an evaluation sent before its frame was due"
assert all(x["age_us"]["p50"] >= x["latency_us"]["p50"] for x in [d])
print("%s: %d gaps, mean %.2f ms, cv %.2f" % (d["settings"]["arrivals"], len(g), m / 1e3, cv))
'"$2"
}
cl_expect 0 poisson $opts --frames 203 --fps 100 --arrivals poisson -k 4 \
	--json "$FS_TMP/poisson.json" --csv "$FS_TMP/poisson.csv"
grep -q "(parallel, in flight 4, 100 fps poisson)" "$FS_TMP/poisson.out" ||
	fs_fail "the arrivals not named: $(cat "$FS_TMP/poisson.out")"
gaps poisson 'assert d["settings"]["arrivals"] == "poisson" and 7500 < m < 12500 and 0.7 < cv < 1.3, (m, cv)'
cl_expect 0 constant $opts --frames 203 --fps 100 -k 4 \
	--json "$FS_TMP/constant.json" --csv "$FS_TMP/constant.csv" -q
gaps constant 'assert abs(m - 10000) < 1 and cv < 0.001, (m, cv)'
fs_ok "--arrivals poisson: exponential gaps of the rate's mean; constant: even ones"

cl_expect 64 both $opts --frames 10 --duration 1
cl_expect 64 arr $opts --arrivals bursty
grep -q "expected constant or poisson" "$FS_TMP/arr.log" || fs_fail "$(cat "$FS_TMP/arr.log")"
cl_expect 64 toomany $opts --frames 10 --warmup 7
grep -q "warmup 7 leaves nothing to measure" "$FS_TMP/toomany.log" || fs_fail "$(cat "$FS_TMP/toomany.log")"
fs_ok "bad combinations exit 64"
