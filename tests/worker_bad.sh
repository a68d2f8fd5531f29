#!/bin/sh
# Every kind of bad request gets an error reply, and the worker goes on.
. "$top_srcdir/tests/worker_lib.sh"
fs_need_python

fw_start Seg1 segmentation 1
peer bad "$FW_EP" || fs_fail "bad requests"
fs_gone "$FW_PID" && fs_fail "the worker died"
fs_ok "bad requests answered with errors"
