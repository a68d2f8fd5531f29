#!/bin/sh
# Bad options are one line and exit 64, an endpoint of a transport other
# than tcp and ipc or with a port over 65535 too; a busy port exits 69. The
# usage shows --name and --cost-ms as optional, as they are; a worker
# without a name does not log its default name twice.
. "$top_srcdir/tests/worker_lib.sh"

bad() {
	"$WORKER" "$@" >"$FS_TMP/out" 2>&1
	rc=$?
	[ $rc -eq 64 ] || fs_fail "fake-worker $*: exit $rc, want 64"
	[ "$(wc -l <"$FS_TMP/out")" -eq 1 ] ||
		fs_fail "fake-worker $*: not one line: $(cat "$FS_TMP/out")"
}
ep=tcp://127.0.0.1:1
bad --kind echo
bad --endpoint $ep
bad --kind nope --endpoint $ep
bad --kind echo --endpoint $ep --cost-ms -1
bad --kind echo --endpoint $ep --cost-ms abc
bad --kind echo --endpoint $ep --coef nan
bad --kind echo --endpoint $ep --n-classes 0
bad --kind echo --endpoint $ep --n-classes 65537
bad --kind echo --endpoint $ep --cost-ms 86400000 --coef 1000000
bad --kind echo --endpoint $ep --n-classes 2.5
bad --kind echo --endpoint $ep --output-dtype int8
bad --kind echo --endpoint $ep --max-frame-bytes 0
bad --kind echo --endpoint $ep --max-frame-bytes 12X
bad --kind echo --endpoint $ep --name 'a b'
bad --kind echo --endpoint $ep --bogus
bad --kind echo --endpoint $ep --cost-dist pareto
bad --kind echo --endpoint $ep --cost-dist uniform
grep -q "needs cost_max_ms" "$FS_TMP/out" || fs_fail "uniform: $(cat "$FS_TMP/out")"
bad --kind echo --endpoint $ep --cost-dist gamma --cost-ms 5
bad --kind echo --endpoint $ep --cost-sd-ms -1
bad --kind echo --endpoint $ep --cost-min-ms 5 --cost-max-ms 4
bad --kind echo --endpoint $ep --cost-file /nonexistent
bad --kind echo --endpoint $ep --cost-dist empirical --cost-file /nonexistent
grep -q "/nonexistent: No such file" "$FS_TMP/out" || fs_fail "cost-file: $(cat "$FS_TMP/out")"
printf '1\n2\nslow\n' >"$FS_TMP/lat"
bad --kind echo --endpoint $ep --cost-dist empirical --cost-file "$FS_TMP/lat"
grep -q "lat:3: not a latency" "$FS_TMP/out" || fs_fail "bad latency: $(cat "$FS_TMP/out")"
bad --kind echo --endpoint $ep --seed -3
bad --kind echo --endpoint $ep --warmup-requests 1.5 --warmup-cost-ms 40
grep -q -- "--warmup-requests: '1.5' is not an integer" "$FS_TMP/out" ||
	fs_fail "warmup-requests: $(cat "$FS_TMP/out")"
bad --kind echo --endpoint $ep --warmup-requests -1
bad --kind echo --endpoint $ep --warmup-requests 5 --warmup-cost-ms 9e7
bad --kind echo --endpoint $ep --warmup-requests 5 --warmup-cost-ms 86400000 --coef 100000
bad --kind echo --endpoint $ep --start-delay-ms -1
bad --kind echo --endpoint $ep --start-delay-ms x
bad --kind echo --endpoint $ep --error-rate 1.5
bad --kind echo --endpoint $ep --drop-rate -0.1
bad --kind echo --endpoint $ep --stall-ms 9e7
bad --kind echo --endpoint $ep --crash-rate x
bad --kind echo --endpoint $ep --error-rate 0.6 --stall-rate 0.5
grep -q "the fault rates sum to 1.1, more than 1" "$FS_TMP/out" ||
	fs_fail "fault rates: $(cat "$FS_TMP/out")"
bad --kind echo --endpoint $ep extra
bad -k echo -e $ep -c
bad -k echo -e bogus://x
bad -k echo -e udp://127.0.0.1:9999
grep -q "expected tcp://HOST:PORT or ipc://PATH" "$FS_TMP/out" || fs_fail "udp: $(cat "$FS_TMP/out")"
bad -k echo -e tcp://127.0.0.1:99999
grep -q "port '99999' is not 0..65535" "$FS_TMP/out" || fs_fail "port 99999: $(cat "$FS_TMP/out")"
bad -k echo -e tcp://127.0.0.1:65536
bad -k echo -e tcp://127.0.0.1:x
bad -k echo -e tcp://127.0.0.1
bad -k echo -e ipc://
"$WORKER" --help | grep -q '^usage: fake-worker' || fs_fail "--help"
"$WORKER" --help | grep -q -- '--kind KIND --endpoint ENDPOINT \[--name NAME\] \[--cost-ms MS\]' ||
	fs_fail "--help: $("$WORKER" --help | head -1)"
"$WORKER" --help | grep -q -- '\[--warmup-requests N --warmup-cost-ms MS\] \[--start-delay-ms MS\]' ||
	fs_fail "--help: no warm-up or start delay: $("$WORKER" --help)"
"$WORKER" --help | grep -q -- '\[--error-rate P\] \[--drop-rate P\]' ||
	fs_fail "--help: no faults: $("$WORKER" --help)"
"$WORKER" -V | grep -q '^fake-worker [0-9]' || fs_fail "-V"

fw_start Echo1 echo 0
"$WORKER" -k echo -e "$FW_EP" >"$FS_TMP/out" 2>&1
rc=$?
[ $rc -eq 69 ] || fs_fail "a busy port: exit $rc, want 69"
grep -q 'in use' "$FS_TMP/out" || fs_fail "a busy port: $(cat "$FS_TMP/out")"

port=$(fs_free_ports 1)
fs_spawn nameless "$WORKER" -k echo -e "tcp://127.0.0.1:$port"
fs_wait_port "$port"
grep -q "^fake-worker: echo on tcp://127.0.0.1:$port" "$FS_TMP/nameless.log" ||
	fs_fail "a nameless worker logs: $(cat "$FS_TMP/nameless.log")"
fs_ok "options checked"
