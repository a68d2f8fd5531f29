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
fs_ok "SIGTERM: exit 0, idle and mid-cost"
