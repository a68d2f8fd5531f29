# tests/valgrind_lib.sh: run programs under valgrind memcheck (sourced
# after tests/lib.sh). $VG is the command prefix: any error, or a block
# definitely lost, makes the program exit 99; each process logs to
# $FS_TMP/vg.PID.log. Suppressions (tests/valgrind.supp) cover only
# libraries' known reports.
command -v valgrind >/dev/null 2>&1 || fs_skip "valgrind is not installed"
for _p in fake-worker fake-servers fake-client; do
	[ -x "$(fs_bin $_p)" ] || continue
	# A sanitizer build cannot run under valgrind.
	if ldd "$(fs_bin $_p)" 2>/dev/null | grep -q 'libasan\|libubsan'; then
		fs_skip "$_p is built with sanitizers"
	fi
done
VG="valgrind -q --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite --show-leak-kinds=definite \
--suppressions=$top_srcdir/tests/valgrind.supp --log-file=$FS_TMP/vg.%p.log"

# The valgrind reports of the processes that had any.
vg_errors() {
	for f in "$FS_TMP"/vg.*.log; do
		[ -s "$f" ] && { echo "---- $f"; head -60 "$f"; }
	done
	return 0
}

# vg_check N: at least N processes ran under valgrind, none reported.
vg_check() {
	n=$(ls "$FS_TMP"/vg.*.log 2>/dev/null | wc -l)
	[ "$n" -ge "$1" ] || fs_fail "$n processes ran under valgrind, not $1"
	for f in "$FS_TMP"/vg.*.log; do
		[ -s "$f" ] && fs_fail "valgrind reported: $(vg_errors)"
	done
	return 0
}
