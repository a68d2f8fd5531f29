#!/bin/sh
# A modelled cost under the supervisor: a worker with cost_dist "uniform"
# (2..6 ms) and a seed is started with those options; the service times of
# 300 requests measured by the client spread over the range and stay in
# it (but for the timing noise of a loaded machine); a reload that changes the seed restarts the worker and its sequence
# changes, and the same seed again gives the same sequence again.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

p=$(fs_free_ports 1)
# cost_conf SEED: the config with that seed.
cost_conf() {
	sv_conf <<EOF2
U:segmentation:$p:cost_ms = 4; cost_dist = "uniform"; cost_min_ms = 2; cost_max_ms = 6; seed = $1;
EOF2
}

# cost_run NAME: 300 requests, one at a time; their service times in ms,
# one a line, in NAME.ms.
cost_run() {
	cl_expect 0 "$1" run -c "$CONF" -n 300 --fps 0 --width 8 --height 8 \
	    --csv "$FS_TMP/$1.csv" -q
	$PY - "$FS_TMP/$1.csv" >"$FS_TMP/$1.ms" <<'PYEOF' ||
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 300 and all(r["U_status"] == "ok" for r in rows), (len(rows), [r for r in rows if r["U_status"] != "ok"][:3])
for r in rows:
    print(float(r["U_service_us"]) / 1000)
PYEOF
		fs_fail "$1: not 300 good replies: $(head -3 "$FS_TMP/$1.csv")"
}

# cost_restarted OLDPID: is U running as another process?
cost_restarted() {
	sv_is U READY && [ "$(sv_get U pid)" != "$1" ]
}

cost_conf 11
cl_up
pid=$(sv_get U pid)
argv=$(tr '\0' ' ' <"/proc/$pid/cmdline")
case $argv in
*"--seed 11 --cost-dist uniform --cost-min-ms 2 --cost-max-ms 6 "*) ;;
*) fs_fail "U's argv: $argv" ;;
esac
fs_ok "started with --seed 11 --cost-dist uniform --cost-min-ms 2 --cost-max-ms 6"

cost_run a
$PY - "$FS_TMP/a.ms" <<'PYEOF' || fs_fail "uniform 2..6 ms: $(sort -n "$FS_TMP/a.ms" | sed -n '1p;$p' | xargs)"
import sys
v = sorted(float(x) for x in open(sys.argv[1]))
n = len(v)
print("service ms: min %.3f p10 %.3f p50 %.3f p90 %.3f max %.3f" %
    (v[0], v[n // 10], v[n // 2], v[9 * n // 10], v[-1]))
assert v[0] >= 2.0, "a draw below cost_min_ms: %g" % v[0]
# Above 6 ms only by the timing noise of a loaded machine (which only
# ever adds), and not for most.
late = sum(x > 6.2 for x in v)
assert late <= n // 4, "%d of %d above cost_max_ms: %r" % (late, n, v[-5:])
assert 3.5 <= v[n // 2] <= 5, "median %g, not about 4" % v[n // 2]
assert v[9 * n // 10] - v[n // 10] > 2.5, "not spread over 2..6"
assert len(set(round(x, 1) for x in v)) > 20, "too few distinct values"
PYEOF
fs_ok "300 service times within 2..6 ms, spread"

# same_seq A B: are two runs' service times the same request by request,
# but for timing noise: is the median of their differences under 0.4 ms?
# Two independent sequences of uniform draws over 2..6 ms differ by
# 1.17 ms in the median, the same sequence by the noise alone, whatever
# a loaded machine adds to a few of them.
same_seq() {
	$PY - "$FS_TMP/$1.ms" "$FS_TMP/$2.ms" <<'PYEOF'
import sys
a = [float(x) for x in open(sys.argv[1])]
b = [float(x) for x in open(sys.argv[2])]
d = sorted(abs(x - y) for x, y in zip(a, b))
m = d[len(d) // 2]
print("%s vs %s: differences median %.3f ms, p90 %.3f ms" %
    (sys.argv[1][-4:], sys.argv[2][-4:], m, d[9 * len(d) // 10]))
sys.exit(0 if m < 0.4 else 1)
PYEOF
}

cost_conf 12
sv_ctl reload >/dev/null || fs_fail "reload refused"
retry 10 cost_restarted "$pid" || fs_fail "U not restarted by a new seed: $(sv_states)"
pid=$(sv_get U pid)
cost_run b
same_seq a b && fs_fail "seed 12 drew the sequence of seed 11"
fs_ok "a new seed: U restarted, another sequence"

cost_conf 11
sv_ctl reload >/dev/null || fs_fail "reload refused"
retry 10 cost_restarted "$pid" || fs_fail "U not restarted by seed 11: $(sv_states)"
cost_run c
same_seq a c || fs_fail "seed 11 twice: not the same sequence"
fs_ok "seed 11 again: the same sequence"
