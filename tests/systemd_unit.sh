#!/bin/sh
# The installed systemd unit passes `systemd-analyze verify` without a word
# (parse errors there only warn) and `systemd-analyze security` rates it 2.0
# or better.  Both run offline against a `make install DESTDIR` tree that
# also holds the standard units, so ExecStart is checked at its real path.
. "$top_srcdir/tests/lib.sh"
command -v systemd-analyze >/dev/null 2>&1 || fs_skip "systemd-analyze is not installed"
[ -d /lib/systemd/system ] || fs_skip "systemd's units are not in /lib/systemd/system"
max=2.0

gen=$top_builddir/systemd/fake-servers.service
[ -f "$gen" ] || fs_fail "$gen was not generated"
grep -n '@[a-z_]*@' "$gen" && fs_fail "$gen has unsubstituted @variables@"

stage=$FS_TMP/stage
mkdir -p "$stage/lib/systemd"
cp -a /lib/systemd/system "$stage/lib/systemd/"
bash "$top_srcdir/tests/sysd.sh" install "$stage" || fs_fail "make install failed"
# sysd.sh install copies a unit outside systemd's search path (a distcheck
# prefix) to /etc/systemd/system, so it is found by its name in $stage.
unit=fake-servers.service
inst=$(find "$stage" -path "*/systemd/system/$unit" -type f)
[ -n "$inst" ] || fs_fail "make install installed no $unit"
for f in $inst; do
	cmp -s "$f" "$gen" || fs_fail "the installed unit ${f#"$stage"} differs from $gen"
done
fs_ok "installed as $(echo "$inst" | sed "s|^$stage||" | xargs)"

# The staging tree stands for the system: the commands the unit runs that
# are not the project's (/bin/kill, ...) come from the host.
for c in $(sed -n 's/^Exec[A-Za-z]*=[-@:+!|]*\([^ ]*\).*/\1/p' "$gen"); do
	[ -e "$stage$c" ] && continue
	h=$(command -v "$c") || continue
	case $c in /*) ;; *) c=/usr/bin/$c ;; esac
	mkdir -p "$stage${c%/*}"
	cp -L "$h" "$stage$c"
done

systemd-analyze verify --man=no --root="$stage" "$unit" >"$FS_TMP/verify.log" 2>&1 ||
	fs_fail "systemd-analyze verify failed: $(cat "$FS_TMP/verify.log")"
[ ! -s "$FS_TMP/verify.log" ] || fs_fail "systemd-analyze verify warns: $(cat "$FS_TMP/verify.log")"
fs_ok "systemd-analyze verify is silent"

systemd-analyze security --offline=true --root="$stage" "$unit" >"$FS_TMP/security.log" 2>&1 ||
	fs_fail "systemd-analyze security failed: $(cat "$FS_TMP/security.log")"
score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$FS_TMP/security.log")
[ -n "$score" ] || fs_fail "no exposure level in: $(cat "$FS_TMP/security.log")"
awk -v s="$score" -v m="$max" 'BEGIN { exit !(s <= m) }' ||
	fs_fail "exposure level $score is above $max: $(grep -v '^✓' "$FS_TMP/security.log")"
fs_ok "exposure level $score (at most $max)"
