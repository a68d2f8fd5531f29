#!/bin/sh
# GET /metrics: a page in the text format 0.0.4 that promtool accepts, with
# Triton's per-model counters equal to the requests a client made, the same
# figures in `fake-serversctl stats`; 404 and 405 for anything else; a
# reload counted; a metrics address already taken stops the daemon at
# startup with a message that says so.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/metrics_lib.sh"

p=$(fs_free_ports 4)
mt_setup
sv_conf <<EOF
Echo:echo:$p:replicas = 2; cost_ms = 2;
Cls:classification:$((p + 2)):cost_ms = 5;
Slow:echo:$((p + 3)):cost_ms = 800;
EOF
sv_start
retry 10 sv_all READY || fs_fail "workers not READY: $(sv_states)"

set -- $($MT code GET "$MURL")
[ "$1" = 200 ] || fs_fail "GET /metrics: $*"
[ "$2 $3" = "text/plain; version=0.0.4;" ] || fs_fail "Content-Type: $2 $3 $4"
[ "$($MT code HEAD "$MURL" | cut -d' ' -f1)" = 200 ] || fs_fail "HEAD /metrics is not 200"
[ "$($MT code GET "http://127.0.0.1:$MPORT/" | cut -d' ' -f1)" = 404 ] || fs_fail "GET / is not 404"
[ "$($MT code GET "http://127.0.0.1:$MPORT/metricsx" | cut -d' ' -f1)" = 404 ] || fs_fail "GET /metricsx is not 404"
out=$($MT code POST "$MURL")
case $out in "405 text/plain GET, HEAD") ;; *) fs_fail "POST /metrics: $out (want 405 with Allow: GET, HEAD)" ;; esac
[ "$($MT code DELETE "$MURL" | cut -d' ' -f1)" = 405 ] || fs_fail "DELETE /metrics is not 405"
fs_ok "GET and HEAD /metrics 200 text/plain 0.0.4; other paths 404, other methods 405"

# Requests: 7 to replica 0, 3 to replica 1, none to Cls.
n0=$($MT hello "tcp://127.0.0.1:$p" 7) && [ "$n0" = 7 ] || fs_fail "7 Hellos to Echo:0: $n0"
n1=$($MT hello "tcp://127.0.0.1:$((p + 1))" 3) && [ "$n1" = 3 ] || fs_fail "3 Hellos to Echo:1: $n1"
retry 5 mt_is 7 nv_inference_request_success model=Echo version=0 kind=echo ||
	fs_fail "Echo:0 success is $(mt_value nv_inference_request_success model=Echo version=0)"
mt_is 3 nv_inference_request_success model=Echo version=1 || fs_fail "Echo:1 success"
mt_is 0 nv_inference_request_success model=Cls version=0 kind=classification || fs_fail "Cls success"
for m in nv_inference_count nv_inference_exec_count; do
	mt_is 7 $m model=Echo version=0 || fs_fail "$m of Echo:0 is $(mt_value $m model=Echo version=0)"
done
mt_is 0 nv_inference_request_failure model=Echo version=0 || fs_fail "Echo:0 has failures"
mt_is 0 nv_inference_pending_request_count model=Echo version=0 || fs_fail "Echo:0 has pending requests"
us=$(mt_value nv_inference_request_duration_us model=Echo version=0)
[ "$us" -ge 14000 ] && [ "$us" -lt 1000000 ] || fs_fail "7 requests of 2 ms took $us us"
mt_is 7 fake_servers_request_duration_seconds_count model=Echo version=0 || fs_fail "histogram count"
mt_is 7 fake_servers_request_duration_seconds_bucket model=Echo version=0 le=+Inf || fs_fail "+Inf bucket"
mt_is 0 fake_servers_request_duration_seconds_bucket model=Echo version=0 le=0.001 || fs_fail "a 2 ms request under 1 ms"
mt_is 1 fake_servers_worker_up model=Cls version=0 || fs_fail "Cls is not up"
mt_is 1 fake_servers_worker_state model=Cls state=READY || fs_fail "Cls state READY is not 1"
mt_is 0 fake_servers_worker_state model=Cls state=FAILED || fs_fail "Cls state FAILED is not 0"
mt_is 0 fake_servers_worker_restarts_total model=Cls || fs_fail "Cls restarts"
st=$(mt_value fake_servers_worker_start_time_seconds model=Cls)
now=$(date +%s)
[ "${st%.*}" -le "$now" ] && [ "${st%.*}" -gt $((now - 60)) ] || fs_fail "Cls start time $st, now $now"
fs_ok "Triton's counters: 7 and 3 requests, durations, histogram; up, state, restarts, start time"

# A request being computed is pending until its reply leaves.
$MT hello "tcp://127.0.0.1:$((p + 3))" 1 >"$FS_TMP/slow.out" 2>&1 &
slow=$!
retry 10 mt_is 1 nv_inference_pending_request_count model=Slow version=0 ||
	fs_fail "Slow has $(mt_value nv_inference_pending_request_count model=Slow version=0) pending, not 1"
wait $slow || fs_fail "the Hello to Slow: $(cat "$FS_TMP/slow.out")"
retry 5 mt_is 0 nv_inference_pending_request_count model=Slow version=0 ||
	fs_fail "Slow still has a request pending after its reply"
fs_ok "pending: 1 while a 0.8 s request computes, 0 once answered"

$MT get "$MURL" >"$FS_TMP/page.txt" || fs_fail "GET /metrics failed"
if command -v promtool >/dev/null; then
	mt_promtool "$FS_TMP/page.txt" || fs_fail "promtool check metrics: $(cat "$FS_TMP/promtool.out")"
	fs_ok "promtool check metrics: nothing but Triton's own names ($(wc -l <"$FS_TMP/promtool.out") of those)"
else
	echo "promtool (Debian's prometheus) is not installed: the page is not linted"
fi

# fake-serversctl stats: the same figures.
sv_ctl -j stats >"$FS_TMP/stats.json" || fs_fail "stats -j failed"
$PY - "$FS_TMP/stats.json" <<'PYEOF' || fs_fail "stats -j: $(cat "$FS_TMP/stats.json")"
import json, sys
o = json.load(open(sys.argv[1]))
w = {x["id"]: x for x in o["workers"]}
assert w["Echo:0"]["success"] == 7 and w["Echo:1"]["success"] == 3, w
assert w["Echo:0"]["inferences"] == 7 and w["Cls"]["success"] == 0, w
assert w["Echo:0"]["histogram"][-1] == [None, 7], w["Echo:0"]["histogram"]
assert w["Cls"]["up"] is True and w["Cls"]["state"] == "READY"
assert "req/s" in o["summary"], o["summary"]
PYEOF
sv_ctl stats >"$FS_TMP/stats.txt" || fs_fail "stats failed"
grep -q '^Echo:0 .* READY  *7  *0 ' "$FS_TMP/stats.txt" || fs_fail "stats: $(cat "$FS_TMP/stats.txt")"
grep -q "req/s; 0 reloads; metrics on $MURL" "$FS_TMP/stats.txt" || fs_fail "stats: $(cat "$FS_TMP/stats.txt")"
fs_ok "fake-serversctl stats and stats -j agree"

mt_is 0 fake_servers_reloads_total || fs_fail "reloads before any"
sv_ctl reload >/dev/null || fs_fail "reload failed"
mt_is 1 fake_servers_reloads_total || fs_fail "reloads_total after a reload: $(mt_value fake_servers_reloads_total)"
mt_is 7 nv_inference_request_success model=Echo version=0 || fs_fail "a reload lost Echo:0's count"
fs_ok "a reload counted, counters kept"

# A second daemon on the same metrics address: exit 1, saying why.
SOCK2=$FS_TMP/run2/control.sock
sed "s|$SOCK|$SOCK2|; s/port = $p;/port = $((p + 10));/; s/port = $((p + 2));/port = $((p + 12));/" \
	"$CONF" >"$FS_TMP/two.conf"
"$SRV" -c "$FS_TMP/two.conf" -s "$SOCK2" --worker "$WORKER" >"$FS_TMP/two.log" 2>&1
rc=$?
[ $rc -eq 1 ] || fs_fail "a taken metrics address: exit $rc, not 1: $(cat "$FS_TMP/two.log")"
grep -q "metrics: cannot listen on 127.0.0.1:$MPORT: Address already in use" "$FS_TMP/two.log" ||
	fs_fail "no reason given: $(cat "$FS_TMP/two.log")"
fs_ok "a taken metrics address: exit 1, 'Address already in use'"
