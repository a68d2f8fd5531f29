#!/bin/sh
# A message over --max-frame-bytes drops that connection only.
. "$top_srcdir/tests/worker_lib.sh"
fs_need_python

fw_start Seg1 segmentation 1 --max-frame-bytes 1M
peer oversize "$FW_EP" 1048576 || fs_fail "oversize"
fs_gone "$FW_PID" && fs_fail "the worker died"
fs_ok "oversized message dropped with its connection"
