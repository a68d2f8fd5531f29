#!/bin/sh
# Readiness through NOTIFY_SOCKET; SIGTERM exits 0 at once, also in the
# middle of a 1000 ms cost, after replying "interrupted".
. "$top_srcdir/tests/worker_lib.sh"
fs_need_python

fs_spawn notify "$PY" "$top_srcdir/tests/py/worker_peer.py" notify-listen \
    "$FS_TMP/notify" "$FS_TMP/notify.out"
retry 10 test -S "$FS_TMP/notify" || fs_fail "notify listener not ready"
NOTIFY_SOCKET=$FS_TMP/notify fw_start Idle1 echo 10
retry 10 grep -q READY=1 "$FS_TMP/notify.out" || fs_fail "no READY=1"
grep -q "STATUS=echo on tcp:" "$FS_TMP/notify.out" || fs_fail "no STATUS"

kill -TERM "$FW_PID"
fw_exit "$FW_PID"
[ "$FW_RC" -eq 0 ] || fs_fail "idle worker exited $FW_RC on SIGTERM"
[ "$FW_MS" -lt 1000 ] || fs_fail "idle worker took $FW_MS ms to exit"
echo "idle worker exited 0 in $FW_MS ms"

fw_start Slow1 segmentation 1000
peer interrupt "$FW_EP" "$FW_PID" || fs_fail "interrupted request"
fw_exit "$FW_PID"
[ "$FW_RC" -eq 0 ] || fs_fail "busy worker exited $FW_RC on SIGTERM"
echo "busy worker exited 0 in $FW_MS ms after its reply"

# Requests queued behind each other are served without polling, but the
# signals are still polled at least every millisecond: under a flood that
# never lets the queue empty, SIGTERM still ends the worker at once.
fw_start Flood1 segmentation 0.1
"$PY" - "$FW_EP" "$FS_TMP/flood.started" <<'PYEOF' &
import sys, time, zmq
ep, mark = sys.argv[1:3]
s = zmq.Context().socket(zmq.DEALER)
s.setsockopt(zmq.LINGER, 0)
s.connect(ep)
hdr, body = b'{"dtype": "uint8", "shape": [2, 2, 3]}', bytes(12)
inflight = got = 0
quiet = end = time.monotonic()
end += 5
while time.monotonic() - quiet < 2 and time.monotonic() < end:
    while inflight < 256:
        s.send_multipart([b"", hdr, body])
        inflight += 1
    if s.poll(100):
        s.recv_multipart()
        inflight -= 1
        got += 1
        quiet = time.monotonic()
        if got == 500:
            open(mark, "w").close()
PYEOF
flood=$!
retry 10 test -e "$FS_TMP/flood.started" || fs_fail "no replies under the flood"
kill -TERM "$FW_PID"
fw_exit "$FW_PID"
wait "$flood"
[ "$FW_RC" -eq 0 ] || fs_fail "flooded worker exited $FW_RC on SIGTERM"
[ "$FW_MS" -lt 1000 ] || fs_fail "flooded worker took $FW_MS ms to exit"
echo "flooded worker exited 0 in $FW_MS ms"
fs_ok "SIGTERM: exit 0, idle, mid-cost and under a flood"
