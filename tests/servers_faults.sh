#!/bin/sh
# Injected faults under the supervisor: a worker with error_rate 0.2 and
# drop_rate 0.1 is started with those options; over 2,000 frames the
# client counts error replies and timeouts each within their 99.9 %
# binomial bounds, and every frame is accounted for (ok + error +
# timeout); likewise the stalled replies (a service time of 20 ms or more)
# of a worker with stall_rate 0.1 of 20 ms. (A stall's own worker is apart:
# a drop's timeout resets the client's socket, and the requests queued
# behind a stall on it would be lost with it.) A worker
# with crash_rate 0.05 aborts now and then: the supervisor restarts it and
# the client's run completes, every frame accounted for; each restart is
# seeded anew (the replica's seed plus restarts x 0x9e3779b97f4a7c15), so
# the crash does not come back at the same request every time.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

ulimit -c 0	# the crashes abort(): no core files
p=$(fs_free_ports 3)
sv_conf <<EOF2
F:segmentation:$p:seed = 4; faults = { error_rate = 0.2; drop_rate = 0.1; };
S:segmentation:$((p + 2)):seed = 4; faults = { stall_rate = 0.1; stall_ms = 20; };
C:segmentation:$((p + 1)):faults = { crash_rate = 0.05; }; restart = { burst = 32; min_uptime_ms = 1; };
EOF2
cl_up
argv=$(tr '\0' ' ' <"/proc/$(sv_get F pid)/cmdline")
case $argv in
*" --error-rate 0.2 --drop-rate 0.1 "*|*" --error-rate 0.2 --drop-rate 0.1") ;;
*) fs_fail "F's argv: $argv" ;;
esac
fs_ok "started with --error-rate 0.2 --drop-rate 0.1"

# faults_run NAME PORT FRAMES FPS: a run against one worker (exit 0, or 1
# for the frames it lost), its JSON in NAME.json.
faults_run() {
	"$CLIENT" run --no-config -e "w=tcp://127.0.0.1:$2" -n "$3" --fps "$4" \
	    -k 8 -t 300 --width 8 --height 8 -q --json "$FS_TMP/$1.json" \
	    --csv "$FS_TMP/$1.csv" \
	    >"$FS_TMP/$1.log" 2>&1
	rc=$?
	[ "$rc" -le 1 ] || fs_fail "$1: exit $rc: $(tail -5 "$FS_TMP/$1.log")"
}

# accounted NAME FRAMES: ok + error + timeout = FRAMES, none unfinished.
accounted() {
	cl_py "$FS_TMP/$1.json" "
n = $2
print('$1: ok %d error %d timeout %d unfinished %d' % (d['ok'], d['error'],
    d['timeout'], d['unfinished']))
assert d['evaluations'] == n and d['unfinished'] == 0, d['evaluations']
assert d['ok'] + d['error'] + d['timeout'] == n"
}

faults_run a "$p" 2000 400
accounted a 2000
faults_run s "$((p + 2))" 2000 400
accounted s 2000
# Each count within the central 99.9 % of its binomial distribution.
cl_py "$FS_TMP/a.json" "
from math import exp, lgamma, log
def bounds(n, p, a=0.0005):
    pmf = [exp(lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) +
               k * log(p) + (n - k) * log(1 - p)) for k in range(n + 1)]
    lo, c = 0, 0
    while c + pmf[lo] < a:
        c += pmf[lo]; lo += 1
    hi, c = n, 0
    while c + pmf[hi] < a:
        c += pmf[hi]; hi -= 1
    return lo, hi
import csv
rows = list(csv.DictReader(open('$FS_TMP/s.csv')))
d['stalled'] = sum(1 for r in rows if r['w_status'] == 'ok' and
                   float(r['w_service_us']) >= 20000)
for what, p in (('error', 0.2), ('timeout', 0.1), ('stalled', 0.1)):
    lo, hi = bounds(2000, p)
    print('%s: %d in %d..%d' % (what, d[what], lo, hi))
    assert lo <= d[what] <= hi, (what, d[what], lo, hi)"
fs_ok "2,000 frames each: error replies, timeouts and stalls within their bounds, all accounted for"

pid=$(sv_get C pid)
seed0=$(tr '\0' '\n' <"/proc/$pid/cmdline" | sed -n '/^--seed$/{n;p;}')
faults_run b "$((p + 1))" 200 40
accounted b 200
restarts=$(sv_get C restarts)
[ "$restarts" -gt 0 ] || fs_fail "C never restarted: $(sv_ctl status)"
[ "$(sv_get C pid)" != "$pid" ] || fs_fail "C has its first pid"
grep -q "injected crash" "$SV_LOG" || fs_fail "no crash in the log"
seed=$(tr '\0' '\n' <"/proc/$(sv_get C pid)/cmdline" | sed -n '/^--seed$/{n;p;}')
restarts=$(sv_get C restarts)
[ "$seed" = "$($PY -c "print(($seed0 + $restarts * 0x9e3779b97f4a7c15) % 2**64)")" ] ||
	fs_fail "after $restarts restarts the seed is $seed, first $seed0"
fs_ok "crash_rate 0.05: C restarted $restarts times, each seeded anew, the run completed"
