#!/bin/sh
# Every malformed shared-memory request (unknown ring, a path for a name,
# slots, counts and output slots out of range, a stale generation) gets an
# error reply saying what was wrong, and the worker goes on serving; so
# does a ring truncated under the worker.
. "$top_srcdir/tests/shm_lib.sh"

sw_start w segmentation "ipc://$FS_TMP/w.sock"
"$PEER" -m bad "ipc://$FS_TMP/w.sock" >"$FS_TMP/bad.out" 2>&1 ||
	fs_fail "$(cat "$FS_TMP/bad.out")"
grep -q '10 of 10 bad requests refused' "$FS_TMP/bad.out" ||
	fs_fail "not every bad request was refused: $(cat "$FS_TMP/bad.out")"
for says in "is not /fake-servers-" "slot 999999 is out of range" \
    "count 0 is out of range" "output slot 99999 is out of range" \
    "the request names 1" "cannot open shm ring"; do
	grep -q "$says" "$FS_TMP/bad.out" || fs_fail "no error saying '$says'"
done
"$PEER" -m shm -n 1 -f 3 "ipc://$FS_TMP/w.sock" >/dev/null 2>&1 ||
	fs_fail "the worker no longer serves after bad requests"
kill -0 "$SW_PID" || fs_fail "the worker died"
fs_ok "bad requests refused, the worker still serves"

# A ring cut short under the worker (it would die of SIGBUS reading it).
"$PEER" -m truncate -w 320 -H 240 "ipc://$FS_TMP/w.sock" >"$FS_TMP/trunc.out" \
    2>&1 || fs_fail "truncated ring: $(cat "$FS_TMP/trunc.out")"
grep -q "but the object has" "$FS_TMP/trunc.out" ||
	fs_fail "no error for a truncated ring: $(cat "$FS_TMP/trunc.out")"
kill -0 "$SW_PID" || fs_fail "the worker died of a truncated ring"
"$PEER" -m shm -n 1 -f 3 "ipc://$FS_TMP/w.sock" >/dev/null 2>&1 ||
	fs_fail "the worker no longer serves after a truncated ring"
fs_ok "a ring truncated under the worker: refused, the worker lives"
