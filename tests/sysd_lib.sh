# tests/sysd_lib.sh: helpers of the scenarios run under a throw-away systemd
# (tests/sysd.sh), sourced after tests/lib.sh. Skips where the machine cannot
# boot one. The scenario sets $ct (the container's name) and $stage (a tree
# copied onto the container's /), then calls sysd_boot; ct CMD... runs a
# command inside.
SYSD="bash $top_srcdir/tests/sysd.sh"
$SYSD check || fs_skip "cannot boot systemd in a container: see above"
SYSD_DIR=$FS_TMP/sysd
export SYSD_DIR

stop_ct() { $SYSD stop "$ct"; }
ct() { $SYSD exec "$ct" "$@"; }

# Boot the container; it is stopped and cleaned up at teardown.
sysd_boot() {
	fs_on_exit stop_ct
	SYSD_PREPARE=$stage $SYSD start "$ct" >"$FS_TMP/boot.log" 2>&1 || {
		cat "$FS_TMP/boot.log" >&2; fs_fail "the container did not boot"; }
}

# sysd_sanitizers UNIT: in a sanitizer build (configure --enable-sanitizers),
# a drop-in for UNIT in $stage that turns LeakSanitizer off: it needs
# ptrace, which the unit's sandbox rightly denies, so every exit of a
# program there (the daemon, its `-n` check on reload) would fail. The rest
# of ASan and UBSan stay on, with the options of this run. Prints "yes" when
# the build is one.
sysd_sanitizers() {
	d=$(find "$stage" -path '*/bin/fake-servers' -type f | head -n 1)
	grep -q -e __asan_init -e __ubsan_handle "$d" 2>/dev/null || return 0
	mkdir -p "$stage/etc/systemd/system/$1.d"
	printf '[Service]\nEnvironment="ASAN_OPTIONS=%s" "UBSAN_OPTIONS=%s"\n' \
		"${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "${UBSAN_OPTIONS:-}" \
		>"$stage/etc/systemd/system/$1.d/sanitizers.conf"
	echo yes
}
