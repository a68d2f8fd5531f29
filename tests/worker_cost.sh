#!/bin/sh
# A worker drawing its cost from a distribution: with uniform 2..6 ms,
# every service time the client measures is at least 2 ms and they spread
# over the range (a fixed cost would not). The laws themselves and the
# seed's repeatability are checked exactly by tests/unit_cost.
. "$top_srcdir/tests/worker_lib.sh"
CLIENT=$(fs_bin fake-client)

fw_start U classification 4 --cost-dist uniform --cost-min-ms 2 \
    --cost-max-ms 6 --seed 7
"$CLIENT" run --no-config -e "FakeClassification=$FW_EP" -n 200 \
    --width 8 --height 8 --csv "$FS_TMP/u.csv" -q >"$FS_TMP/run.out" 2>&1 ||
	fs_fail "fake-client: $(cat "$FS_TMP/run.out")"
"$PY" - "$FS_TMP/u.csv" <<'PYEOF' || fs_fail "uniform service times"
import csv, sys
v = sorted(float(r["FakeClassification_service_us"]) / 1000
    for r in csv.DictReader(open(sys.argv[1])) if r["status"] == "ok")
n = len(v)
print(n, v[0], v[n // 10], v[n // 2], v[9 * n // 10])
assert n == 200, n
assert v[0] >= 2.0, "a draw below cost_min_ms: %g" % v[0]
assert v[9 * n // 10] - v[n // 10] > 1.5, "no spread: %r" % v[:5]
PYEOF
