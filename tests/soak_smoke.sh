#!/bin/sh
# make soak in 8 seconds, on small frames: the daemon's pipeline with 1 %
# of each fault on every worker stays up, every frame is accounted for and
# the summary is written.
. "$top_srcdir/tests/lib.sh"
fs_need_python
ulimit -c 0	# injected crashes abort(): no core files
$PY "$top_srcdir/soak/run" --builddir "$(fs_bin .)" --seconds 8 --every 1 \
    --width 64 --height 48 --out "$FS_TMP/soak" >"$FS_TMP/soak.out" 2>&1 ||
	fs_fail "soak/run: $(cat "$FS_TMP/soak.out")"
grep -q '^all checks hold$' "$FS_TMP/soak/soak-summary.txt" ||
	fs_fail "no summary: $(cat "$FS_TMP/soak.out")"
fs_ok "$(sed -n 2p "$FS_TMP/soak/soak-summary.txt")"
