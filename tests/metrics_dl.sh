#!/bin/sh
# libmicrohttpd is loaded only when metrics are configured: a daemon
# without `metrics` maps neither it nor GnuTLS; the reload that adds
# `metrics` loads it and /metrics is served; a daemon started with it maps
# it at once. A libmicrohttpd.so.12 that cannot be loaded (a file that is
# not a library, first on LD_LIBRARY_PATH) stops the daemon at startup,
# exit 69, with a message naming the library, dlerror()'s reason and the
# package; and refuses a reload that adds `metrics`, with nothing lost.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/metrics_lib.sh"

# mapped PATTERN: has the daemon a mapping of that file?
mapped() { grep -q "$1" "/proc/$SV_PID/maps"; }
stop_daemon() {
	kill -TERM "$SV_PID"
	retry 10 fs_gone "$SV_PID" || fs_fail "the daemon did not stop"
}

p=$(fs_free_ports 4)
sv_conf <<EOF
Echo:echo:$p:
EOF
sv_start
retry 10 sv_all READY || fs_fail "Echo not READY: $(sv_states)"
! mapped libmicrohttpd || fs_fail "no metrics, but libmicrohttpd is mapped: $(grep -o '/[^ ]*microhttpd[^ ]*' "/proc/$SV_PID/maps" | sort -u)"
! mapped libgnutls || fs_fail "no metrics, but libgnutls is mapped"
fs_ok "no metrics: neither libmicrohttpd nor libgnutls mapped"

mt_setup
sv_conf <<EOF
Echo:echo:$p:
EOF
sv_ctl reload >/dev/null || fs_fail "the reload that adds metrics failed: $(tail -3 "$SV_LOG")"
mapped libmicrohttpd || fs_fail "metrics added by a reload, libmicrohttpd not mapped"
fs_wait_port "$MPORT"
[ "$($MT code GET "$MURL" | cut -d' ' -f1)" = 200 ] || fs_fail "GET /metrics after the reload is not 200"
mt_is 1 fake_servers_reloads_total || fs_fail "reloads_total: $(mt_value fake_servers_reloads_total)"
mt_is 1 fake_servers_worker_up model=Echo || fs_fail "Echo is not up on the page"
fs_ok "a reload adds metrics: libmicrohttpd mapped, GET /metrics 200"
stop_daemon

sv_conf <<EOF
Echo:echo:$((p + 1)):
EOF
sv_start
retry 10 sv_all READY || fs_fail "Echo not READY: $(sv_states)"
mapped libmicrohttpd || fs_fail "metrics at start, libmicrohttpd not mapped"
fs_wait_port "$MPORT"
n=$($MT hello "tcp://127.0.0.1:$((p + 1))" 3) && [ "$n" = 3 ] || fs_fail "3 Hellos to Echo: $n"
retry 5 mt_is 3 nv_inference_request_success model=Echo || fs_fail "Echo's success is $(mt_value nv_inference_request_success model=Echo)"
fs_ok "metrics at start: libmicrohttpd mapped, 3 requests counted on /metrics"
stop_daemon

# A libmicrohttpd.so.12 that dlopen() refuses.
mkdir "$FS_TMP/lib"
echo 'not a library' >"$FS_TMP/lib/libmicrohttpd.so.12"
LD_LIBRARY_PATH=$FS_TMP/lib "$SRV" -c "$CONF" -s "$SOCK" --worker "$WORKER" >"$FS_TMP/nolib.log" 2>&1
rc=$?
[ $rc -eq 69 ] || fs_fail "libmicrohttpd not loadable: exit $rc, not 69: $(cat "$FS_TMP/nolib.log")"
want="metrics: cannot load libmicrohttpd.so.12 (install libmicrohttpd12): $FS_TMP/lib/libmicrohttpd.so.12: file too short"
grep -qF "$want" "$FS_TMP/nolib.log" || fs_fail "no clear reason: $(cat "$FS_TMP/nolib.log")"
! fs_listening "$MPORT" && ! fs_listening $((p + 1)) || fs_fail "a port was left open"
fs_ok "libmicrohttpd not loadable at start: exit 69, '$want'"

SV_GLOBAL=
sv_conf <<EOF
Echo:echo:$((p + 2)):
EOF
export LD_LIBRARY_PATH="$FS_TMP/lib"
sv_start
unset LD_LIBRARY_PATH
retry 10 sv_all READY || fs_fail "Echo not READY: $(sv_states)"
pid0=$(sv_get Echo pid)
mt_setup
sv_conf <<EOF
Echo:echo:$((p + 2)):
Cls:classification:$((p + 3)):
EOF
out=$(sv_ctl reload 2>&1) && fs_fail "a reload adding metrics without the library succeeded: $out"
case $out in
*"reload failed, running configuration kept: $want"*) ;;
*) fs_fail "the refused reload says: $out" ;;
esac
grep -qF "reload failed: $want; keeping the running configuration" "$SV_LOG" ||
	fs_fail "the log does not say why: $(tail -3 "$SV_LOG")"
[ "$(sv_states)" = "Echo=READY" ] || fs_fail "the refused reload changed the workers: $(sv_states)"
[ "$(sv_get Echo pid)" = "$pid0" ] || fs_fail "the refused reload restarted Echo"
! fs_listening "$MPORT" || fs_fail "the refused reload opened the metrics port"
sv_ctl stats | grep -q '0 reloads' || fs_fail "the refused reload was counted: $(sv_ctl stats | tail -1)"
fs_ok "libmicrohttpd not loadable on reload: refused, said why, Echo untouched, no Cls, no port"
