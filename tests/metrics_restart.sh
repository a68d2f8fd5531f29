#!/bin/sh
# A worker killed mid-run: while a client keeps sending it requests and the
# page is scraped every 50 ms, its counters never go down; after the
# restart they go on from where they were and end equal to the replies the
# client got, give or take one: a reply is counted once it is handed to
# libzmq, so the SIGKILL can land after the hand-over and before the count
# (one reply not counted) or before libzmq sent it (one counted, not
# received); its restarts counter and start time move; the STATUS line
# shows a rate.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/metrics_lib.sh"

p=$(fs_free_ports 1)
mt_setup
sv_conf <<EOF
Echo:echo:$p:cost_ms = 2;
EOF
NLOG=$FS_TMP/notify-msgs.log
fs_spawn servers $PY "$top_srcdir/tests/servers_notify.py" "$NLOG" "$p" -- \
	"$SRV" -c "$CONF" -s "$SOCK" --worker "$WORKER"
retry 10 sv_all READY || fs_fail "Echo is not READY: $(sv_states)"
pid0=$(sv_get Echo pid)
start0=$(mt_value fake_servers_worker_start_time_seconds model=Echo)

fs_spawn load $MT load "tcp://127.0.0.1:$p" 7 "$FS_TMP/replies"
LOAD=$FS_LASTPID
fs_spawn watch $MT watch "$MURL" nv_inference_request_success "$FS_TMP/seen" 8 model=Echo
WATCH=$FS_LASTPID
some() { [ "$(mt_value nv_inference_request_success model=Echo)" -ge 100 ]; }
retry 10 some || fs_fail "no 100 requests counted: $(mt_value nv_inference_request_success model=Echo)"
before=$(mt_value nv_inference_request_success model=Echo)
kill -KILL "$pid0"
restarted() { pid=$(sv_get Echo pid) && [ "$pid" != "$pid0" ] && [ "$pid" != 0 ] && sv_is Echo READY; }
retry 10 restarted || fs_fail "Echo was not restarted: $(sv_states)"
fs_ok "Echo killed at $before requests, restarted (pid $pid0 -> $(sv_get Echo pid))"

more() { [ "$(mt_value nv_inference_request_success model=Echo)" -ge $((before + 100)) ]; }
retry 10 more || fs_fail "the count did not go on after the restart: $(mt_value nv_inference_request_success model=Echo)"
rate() { grep -q 'STATUS=1/1 workers ready, [1-9][0-9]* req/s' "$NLOG"; }
retry 12 rate || fs_fail "no request rate in the STATUS line: $(grep -o 'STATUS=[^|]*' "$NLOG" | tail -3)"
fs_ok "STATUS line: $(grep -o 'STATUS=[^|]*' "$NLOG" | grep req/s | tail -1)"
wait "$LOAD" || fs_fail "the client failed"
wait "$WATCH" || fs_fail "the scraper failed"

$PY - "$FS_TMP/seen" <<'PYEOF' || fs_fail "a counter went down: $(tr '\n' ' ' <"$FS_TMP/seen")"
import sys
v = [float(x) for x in open(sys.argv[1])]
assert len(v) > 20, "only %d scrapes" % len(v)
assert all(b >= a for a, b in zip(v, v[1:])), "went down"
PYEOF
final=$(mt_value nv_inference_request_success model=Echo)
replies=$(cat "$FS_TMP/replies")
[ "$final" -ge $((replies - 1)) ] && [ "$final" -le $((replies + 1)) ] ||
	fs_fail "$final requests counted, the client got $replies replies"
mt_is 1 fake_servers_worker_restarts_total model=Echo || fs_fail "restarts_total is not 1"
start1=$(mt_value fake_servers_worker_start_time_seconds model=Echo)
$PY -c 'import sys; sys.exit(not float(sys.argv[2]) > float(sys.argv[1]))' "$start0" "$start1" ||
	fs_fail "start time $start0 -> $start1"
fs_ok "$(wc -l <"$FS_TMP/seen") scrapes, never down; $final counted for $replies replies; restarts 1"
