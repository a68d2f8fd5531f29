#!/bin/sh
# Each kind answers the seed's REQ client in the seed's format, with the
# values numpy computes; over tcp and ipc.
. "$top_srcdir/tests/worker_lib.sh"
fs_need_python

fw_start Seg1 segmentation 5
peer kind "$FW_EP" segmentation --cost-ms 5 || fs_fail "segmentation"
grep -q 'Seg1: segmentation on tcp://127.0.0.1:[0-9]*, cost 5.000 ms' \
    "$FS_TMP/Seg1.log" || fs_fail "no start line in the log"

fs_spawn Seg64 "$WORKER" -n Seg64 -k segmentation -e "ipc://$FS_TMP/seg.sock" \
    -c 40 --coef 0.5 -o float64
retry 10 test -S "$FS_TMP/seg.sock" || fs_fail "ipc socket not bound"
peer kind "ipc://$FS_TMP/seg.sock" segmentation --out-dtype float64 \
    --cost-ms 20 || fs_fail "segmentation, float64 output, over ipc"

fw_start Cls1 classification 3 --n-classes 5
peer kind "$FW_EP" classification --n-classes 5 || fs_fail "classification"

fw_start Echo1 echo 0
peer kind "$FW_EP" echo || fs_fail "echo"

fw_start Det1 detection 1 --n-classes 80 --boxes-min 1 --boxes-max 6
peer kind "$FW_EP" detection --n-classes 80 --boxes-min 1 --boxes-max 6 ||
	fs_fail "detection"
fs_ok "segmentation, classification, echo and detection"
