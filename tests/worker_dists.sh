#!/bin/sh
# Every cost distribution, as the client sees it: 2,000 requests to a
# worker drawing from it, and the costs its replies say they drew
# ("cost_us" in the client's CSV) pass a Kolmogorov-Smirnov test at 1 %
# against the configured law (the empirical one a chi-square test over
# its values); the service times follow the draws (their median excess is
# the worker's own time, under 1 ms). The same seed gives the same
# sequence, another seed another.
. "$top_srcdir/tests/worker_lib.sh"
fs_need_python
$PY -c 'import scipy.stats' 2>/dev/null ||
	fs_skip "python3-scipy is not installed (scripts/deps installs it)"
CLIENT=$(fs_bin fake-client)

# dist_run NAME OPTION...: 2,000 requests to a worker with those options;
# the CSV in NAME.csv.
dist_run() {
	_n=$1
	shift
	fw_start "$_n" classification 0 "$@"
	"$CLIENT" run --no-config -e "FakeClassification=$FW_EP" -n 2000 -k 2 \
	    --width 4 --height 4 --csv "$FS_TMP/$_n.csv" -q \
	    >"$FS_TMP/$_n.out" 2>&1 ||
		fs_fail "$_n: fake-client: $(tail -3 "$FS_TMP/$_n.out")"
	kill "$FW_PID"
}

printf '0.5\n0.5\n1.0\n2.0\n3.5\n' >"$FS_TMP/lat.txt"
dist_run normal --cost-ms 1.5 --cost-dist normal --cost-sd-ms 0.3 --seed 1
dist_run lognormal --cost-ms 1 --cost-dist lognormal --cost-sigma 0.5 --seed 2
dist_run gamma --cost-ms 1.5 --cost-dist gamma --cost-shape 3 --seed 3
dist_run uniform --cost-ms 1 --cost-dist uniform --cost-min-ms 0.5 \
    --cost-max-ms 2.5 --seed 4
dist_run empirical --cost-dist empirical --cost-file "$FS_TMP/lat.txt" --seed 5
dist_run normal2 --cost-ms 1.5 --cost-dist normal --cost-sd-ms 0.3 --seed 1
dist_run normal3 --cost-ms 1.5 --cost-dist normal --cost-sd-ms 0.3 --seed 6

"$PY" - "$FS_TMP" <<'PYEOF' || fs_fail "the draws do not follow their laws"
import csv, sys
import numpy as np
from scipy import stats
d = sys.argv[1]
def col(name, key):
    rows = [r for r in csv.DictReader(open("%s/%s.csv" % (d, name)))
            if r["status"] == "ok"]
    return np.array([float(r["FakeClassification_" + key]) for r in rows]) / 1e3
laws = {"normal": stats.norm(1.5, 0.3), "lognormal": stats.lognorm(0.5, scale=1),
        "gamma": stats.gamma(3, scale=0.5), "uniform": stats.uniform(0.5, 2.0)}
bad = 0
for name, law in laws.items():
    c, s = col(name, "cost_us"), col(name, "service_us")
    p = stats.kstest(c, law.cdf).pvalue
    excess = np.median(s - c)
    print("%-9s n %d  KS p %.3f  mean %.3f ms  service - cost median %.3f ms"
          % (name, len(c), p, c.mean(), excess))
    bad += len(c) != 2000 or p < 0.01 or not 0 <= excess < 1.0
c = col("empirical", "cost_us")
vals = [0.5, 1.0, 2.0, 3.5]
obs = [int(np.sum(np.isclose(c, v))) for v in vals]
p = stats.chisquare(obs, [len(c) * f for f in (0.4, 0.2, 0.2, 0.2)]).pvalue
print("empirical n %d  counts %s  chi-square p %.3f" % (len(c), obs, p))
bad += len(c) != 2000 or sum(obs) != len(c) or p < 0.01
a, b, o = col("normal", "cost_us"), col("normal2", "cost_us"), col("normal3", "cost_us")
print("seed 1 twice: %s; seed 6: %d of 2000 equal" % (
    "the same" if np.array_equal(a, b) else "DIFFERENT", np.sum(a == o)))
bad += not np.array_equal(a, b) or np.sum(a == o) > 20
sys.exit(1 if bad else 0)
PYEOF
fs_ok "normal, lognormal, gamma, uniform and empirical: 2,000 draws each follow their law; a seed repeats"
