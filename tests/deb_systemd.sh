#!/bin/sh
# The Debian package under a real systemd (tests/sysd.sh): the .deb built
# from this tree (tests/deb_lib.sh) is installed into a booted container by
# the package's autopkgtest (debian/tests: the service is active and
# fake-client --frames 25 succeeds). The package enabled and started the
# service, which reached READY with the shipped config; an edited config is
# applied by `systemctl reload`, and a config with an error makes the reload
# fail and keeps the running one; reinstalling keeps the edited conffile;
# `apt-get remove` stops the service and leaves the config; purge removes it.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sysd_lib.sh"
. "$top_srcdir/tests/deb_lib.sh"

# Every program this scenario runs is the package's, built apart without
# sanitizers: a sanitizer build's run would repeat the plain build's.
deb_sanitized &&
	fs_skip "a sanitizer build: this scenario runs only the package, built without sanitizers (the plain build's run tests it)"
deb_get
ct=fs-deb-$$
unit=fake-servers.service
conf=/etc/fake-servers/fake-servers.conf
stage=$FS_TMP/stage
mkdir -p "$stage/var/cache/fs-test"
cp "$DEB" "$stage/var/cache/fs-test/"
# autopkgtest reads debian/tests from a source tree: the package's part.
mkdir -p "$stage/var/cache/fs-test/src"
cp -r "$top_srcdir/debian" "$stage/var/cache/fs-test/src/"
pkg=/var/cache/fs-test/${DEB##*/}
t0=$(date +%s%N)
sysd_boot
fs_ok "booted: $(cat "$FS_TMP/boot.log") in $(( ($(date +%s%N) - t0) / 1000000 )) ms"

fail() {
	ct journalctl --no-pager -n 40 -u "$unit" >&2 || true
	fs_fail "$@"
}
ms() { echo $(( ($(date +%s%N) - t0) / 1000000 )); }
prop() { ct systemctl show -P "$1" "$unit"; }
apt() { ct env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 "$@" >"$FS_TMP/apt.log" 2>&1; }
deb_prepare_ct || fail "cannot prepare the container for packages"

# The package's autopkgtest installs it, as on a testbed, and runs
# debian/tests/service: the service is active and fake-client --frames 25
# succeeds against it.
t0=$(date +%s%N)
ct autopkgtest --output-dir /tmp/autopkgtest /var/cache/fs-test/src "$pkg" -- null \
	>"$FS_TMP/autopkgtest.log" 2>&1 ||
	fail "autopkgtest failed: $(tail -n 30 "$FS_TMP/autopkgtest.log")"
grep -q '^service *PASS' "$FS_TMP/autopkgtest.log" ||
	fail "autopkgtest did not pass debian/tests/service: $(tail -n 10 "$FS_TMP/autopkgtest.log")"
fs_ok "autopkgtest installed the package and passed in $(ms) ms: $(grep -m 1 '^evaluations' "$FS_TMP/autopkgtest.log")"
[ "$(prop ActiveState)" = active ] || fail "not active after install: $(prop ActiveState)"
[ "$(ct systemctl is-enabled "$unit")" = enabled ] || fail "the package did not enable $unit"
case $(prop StatusText) in
*3/3*) ;;
*) fail "StatusText is '$(prop StatusText)', not '3/3 workers ready'" ;;
esac
ct getent group fake-servers-shm >/dev/null || fail "no group fake-servers-shm after install"
exe=$(prop ExecStart | sed -n 's/.*path=\([^ ;]*\).*/\1/p')
[ "$exe" = /usr/bin/fake-servers ] || fail "ExecStart runs '$exe', not /usr/bin/fake-servers"
fs_ok "installed: $unit enabled and active, '$(prop StatusText)', group fake-servers-shm made"

# costs NAME: the cost of a worker as the supervisor runs it.
cost() {
	ct fake-serversctl -j status | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(*[w["cost_ms"] for w in d["workers"] if w["name"] == sys.argv[1]])' "$1"
}
main=$(prop MainPID)
ct sed -i 's/cost_ms = 30;/cost_ms = 35;/' "$conf" || fail "cannot edit $conf"
t0=$(date +%s%N)
ct systemctl reload "$unit" || fail "systemctl reload failed"
[ "$(cost FakeSegmentation1)" = 35.0 ] || fail "the reload did not apply the edit: cost $(cost FakeSegmentation1)"
[ "$(prop MainPID)" = "$main" ] || fail "the reload restarted the daemon"
fs_ok "edited $conf, systemctl reload applied it in $(ms) ms (FakeSegmentation1 now costs 35 ms)"

# A config with an error: the reload fails, and says why in the journal.
ct sh -c "echo 'workers = ( { name = \"Bad\" } ' >/etc/fake-servers/fake-servers.d/bad.conf"
ct systemctl reload "$unit" 2>"$FS_TMP/reload.err" &&
	fail "systemctl reload succeeded on a config with a syntax error"
ct journalctl --no-pager -u "$unit" -n 20 >"$FS_TMP/reload-journal.log" 2>&1
grep -q 'fake-servers.d/bad.conf:[0-9]' "$FS_TMP/reload-journal.log" ||
	fail "no file:line of the error in the journal: $(tail -n 8 "$FS_TMP/reload-journal.log")"
[ "$(prop ActiveState)" = active ] || fail "not active after a failed reload: $(prop ActiveState)"
[ "$(cost FakeSegmentation1)" = 35.0 ] || fail "a failed reload changed the running config"
fs_ok "a syntax error makes systemctl reload fail ($(head -n 1 "$FS_TMP/reload.err")); the journal has $(grep -o 'bad.conf:[0-9]*' "$FS_TMP/reload-journal.log" | head -n 1)"
ct rm /etc/fake-servers/fake-servers.d/bad.conf

t0=$(date +%s%N)
apt install --reinstall "$pkg" || fail "reinstall failed: $(tail -n 20 "$FS_TMP/apt.log")"
ct grep -q 'cost_ms = 35;' "$conf" || fail "reinstalling overwrote the edited $conf"
[ "$(prop ActiveState)" = active ] || fail "not active after reinstall: $(prop ActiveState)"
[ "$(cost FakeSegmentation1)" = 35.0 ] || fail "after reinstall the service does not run the edited config"
fs_ok "reinstalled in $(ms) ms: the edited conffile is kept and in use"

t0=$(date +%s%N)
apt remove fake-servers || fail "apt-get remove failed: $(tail -n 20 "$FS_TMP/apt.log")"
[ "$(prop ActiveState)" = inactive ] || fail "still $(prop ActiveState) after remove"
ct pgrep -x fake-worker >/dev/null && fail "workers left after remove: $(ct pgrep -a fake-worker)"
ct test -e /usr/bin/fake-servers && fail "/usr/bin/fake-servers is still there after remove"
ct grep -q 'cost_ms = 35;' "$conf" || fail "remove did not leave the edited $conf"
fs_ok "removed in $(ms) ms: service stopped, no worker left, $conf kept"

apt purge fake-servers || fail "apt-get purge failed: $(tail -n 20 "$FS_TMP/apt.log")"
ct test -e /etc/fake-servers && fail "/etc/fake-servers is left after purge: $(ct find /etc/fake-servers)"
ct sh -c 'dpkg-query -W -f="\${Status}" fake-servers 2>/dev/null' | grep -q installed &&
	fail "still known to dpkg after purge"
fs_ok "purged: /etc/fake-servers is gone"

