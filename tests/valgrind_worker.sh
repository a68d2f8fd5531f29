#!/bin/sh
# valgrind_worker.sh: the hostile-input scenario (tests/hostile_worker.sh:
# good requests, every bad header, oversized and random messages, SIGTERM)
# with each worker under valgrind memcheck: no error, nothing definitely
# lost. Suppressions: tests/valgrind.supp.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/valgrind_lib.sh"

# Two kinds keep it short; classification's computing is in unit_worker_kind.
FS_WRAP=$VG FS_HOSTILE_RANDOM=${FS_HOSTILE_RANDOM:-150} \
FS_HOSTILE_KINDS=${FS_HOSTILE_KINDS:-segmentation echo} \
    sh "$top_srcdir/tests/hostile_worker.sh" >"$FS_TMP/hostile.log" 2>&1 ||
	fs_fail "under valgrind: $(cat "$FS_TMP/hostile.log"; vg_errors)"
vg_check 2
fs_ok "$(sed -n 's/^ok: bad/bad/p' "$FS_TMP/hostile.log"); the workers are clean under memcheck"
