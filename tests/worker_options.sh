#!/bin/sh
# Bad options are one line and exit 64; a busy port exits 69.
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
bad --kind echo --endpoint $ep extra
bad -k echo -e $ep -c
bad -k echo -e bogus://x
"$WORKER" --help | grep -q '^usage: fake-worker' || fs_fail "--help"
"$WORKER" -V | grep -q '^fake-worker [0-9]' || fs_fail "-V"

fw_start Echo1 echo 0
"$WORKER" -k echo -e "$FW_EP" >"$FS_TMP/out" 2>&1
rc=$?
[ $rc -eq 69 ] || fs_fail "a busy port: exit $rc, want 69"
grep -q 'in use' "$FS_TMP/out" || fs_fail "a busy port: $(cat "$FS_TMP/out")"
fs_ok "options checked"
