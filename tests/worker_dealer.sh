#!/bin/sh
# A DEALER keeps 8 requests in flight: they are served one at a time, in
# order, and each reply carries the envelope back.
. "$top_srcdir/tests/worker_lib.sh"
fs_need_python

fw_start Echo1 echo 20
peer dealer "$FW_EP" 8 20 || fs_fail "dealer"
fs_ok "8 requests in flight"
