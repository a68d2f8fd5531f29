#!/bin/sh
# The seed's "Hello" servers: a lone frame comes back unchanged after the
# cost.
. "$top_srcdir/tests/worker_lib.sh"
fs_need_python

fw_start Hello1 segmentation 100
peer hello "$FW_EP" 100 || fs_fail "hello"
fs_ok "Hello after 100 ms"
