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
