#!/bin/sh
# make install and the configs (into a DESTDIR): the shipped configs and an
# empty fake-servers.d/ are installed; installing again keeps an edited
# config; make uninstall removes the configs as shipped and keeps the
# edited one.
. "$top_srcdir/tests/lib.sh"

d=$FS_TMP/dest
# As tests/sysd.sh install: one install at a time in a build directory,
# without the make command line of the test run.
mk() {
	flock "$top_builddir" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -s -C "$top_builddir" "$@" DESTDIR="$d" >"$FS_TMP/make.log" 2>&1 ||
		fs_fail "make $* failed: $(tail -n 20 "$FS_TMP/make.log")"
}
mk install
etc=$(find "$d" -path '*/fake-servers/fake-servers.conf' -type f)
[ -n "$etc" ] || fs_fail "make install installed no fake-servers.conf"
etc=${etc%/*}
[ -d "$etc/fake-servers.d" ] || fs_fail "make install made no ${etc#"$d"}/fake-servers.d"
n=$(ls "$etc"/*.conf | wc -l)
fs_ok "installed $n configs and an empty fake-servers.d in ${etc#"$d"}"

echo '# edited' >>"$etc/fake-servers.conf"
mk install
grep -q '^# edited' "$etc/fake-servers.conf" || fs_fail "make install overwrote the edited fake-servers.conf"
grep -q "keeping .*fake-servers.conf" "$FS_TMP/make.log" || fs_fail "make install did not say it kept the config"
fs_ok "installing again keeps the edited config: $(grep -m 1 'keeping .*fake-servers.conf' "$FS_TMP/make.log" | sed "s|$d||")"

mk uninstall
[ -f "$etc/fake-servers.conf" ] || fs_fail "make uninstall removed the edited fake-servers.conf"
left=$(find "$d" -type f | sed "s|^$d||")
[ "$left" = "${etc#"$d"}/fake-servers.conf" ] || fs_fail "make uninstall left: $left"
fs_ok "make uninstall removed everything but the edited config"
