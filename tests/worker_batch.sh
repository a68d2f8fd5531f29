#!/bin/sh
# A batching worker: with 8 requests in flight, batches of the preferred 4
# follow each other at one cost plus the cost per item; fewer requests
# wait out the queue delay and go as a smaller batch; a full queue
# refuses at once.
. "$top_srcdir/tests/worker_lib.sh"
fs_need_python
bpeer() { "$PY" "$top_srcdir/tests/py/batch_peer.py" "$@"; }

fw_start B4 echo 20 --batch-max 4 --batch-preferred 4 \
    --batch-max-queue-delay-us 20000 --batch-cost-per-item-ms 2
bpeer inflight "$FW_EP" 8 40 4 20 2 || fs_fail "8 in flight"
bpeer partial "$FW_EP" 2 20 20 2 || fs_fail "a partial batch"
fs_ok "batches of 4 at 26 ms; 2 after the queue delay"

fw_start Q4 echo 100 --batch-max 4 --batch-queue-max 4 \
    --batch-max-queue-delay-us 50000
bpeer full "$FW_EP" 4 100 || fs_fail "a full queue"
fs_ok "a full queue refuses at once"

# The counters the supervisor publishes: a batch is one execution of
# four inferences, and the requests that waited for the batch before
# theirs count their queue time.
port=$(fs_free_ports 1)
"$(fs_bin tests/wkstats_run)" sh -c '"$1" --name S --kind echo \
    --endpoint "$2" --cost-ms 20 --batch-max 4 --batch-preferred 4 \
    --batch-max-queue-delay-us 20000 --stats-fd 4 --stats-slot 0 & pid=$!
	until ss -Hltn "sport = :${2##*:}" | grep -q .; do sleep 0.02; done
	"$3" "$4" inflight "$2" 8 40 4 20 0; rc=$?
	kill -TERM $pid; wait $pid; exit $rc' sh "$WORKER" \
    tcp://127.0.0.1:$port "$PY" "$top_srcdir/tests/py/batch_peer.py" \
    >"$FS_TMP/stats.out" 2>&1 || fs_fail "counted: $(cat "$FS_TMP/stats.out")"
stats=$(tail -1 "$FS_TMP/stats.out")
echo "$stats" | grep -q "^success=40 failure=0 inferences=40 execs=10 " ||
	fs_fail "counters: $stats"
q=$(echo "$stats" | sed 's/.*queue_ns=\([0-9]*\).*/\1/')
[ "$q" -gt $((20 * 20000000)) ] || fs_fail "queue time: $stats"
fs_ok "counted: $stats"

# Options: a usage error each.
for bad in "--batch-max 0 --batch-preferred 2" "--batch-max 4 --batch-preferred 2,2" \
    "--batch-max 4 --batch-preferred 5" "--batch-max 4 --batch-queue-max 3" \
    "--batch-max 2000" "--batch-max 4 --batch-preferred x" "--device-fd 2"; do
	# shellcheck disable=SC2086
	"$WORKER" --kind echo --endpoint tcp://127.0.0.1:1 $bad \
	    >"$FS_TMP/bad.out" 2>&1
	rc=$?
	[ $rc -eq 64 ] || fs_fail "'$bad': exit $rc: $(cat "$FS_TMP/bad.out")"
done
"$WORKER" --kind echo --endpoint tcp://127.0.0.1:1 --device-fd 9 \
    >"$FS_TMP/bad.out" 2>&1 9</dev/null
[ $? -eq 64 ] && grep -q "device-fd 9" "$FS_TMP/bad.out" ||
	fs_fail "--device-fd on a plain file: $(cat "$FS_TMP/bad.out")"
fs_ok "bad batch and device options are usage errors"
