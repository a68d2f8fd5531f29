#!/bin/sh
# control_group under the shipped unit (a throw-away systemd, tests/sysd.sh):
# with the drop-in fake-servers.8 describes (Group=GROUP), the control
# socket is 0660 and GROUP's, a member runs fake-serversctl status and
# anyone else gets "Permission denied". The group and the user exist only
# inside the container.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sysd_lib.sh"

ct=fs-group-$$
unit=fake-servers.service
sock=/run/fake-servers/control.sock

stage=$FS_TMP/stage
$SYSD install "$stage" || fs_fail "make install failed"
in_stage() { find "$stage" -path "*/$1" \( -type f -o -type l \) | head -n 1; }
ctl=$(in_stage bin/fake-serversctl)
conf=$(in_stage fake-servers/fake-servers.conf)
[ -n "$ctl" ] && [ -n "$conf" ] || fs_fail "make install installed no fake-serversctl or config"
ctl=${ctl#"$stage"}
sed -i '1i control_group = "fsctl";' "$conf"
mkdir -p "$stage/etc/systemd/system/$unit.d"
printf '[Service]\nGroup=fsctl\n' >"$stage/etc/systemd/system/$unit.d/group.conf"
sysd_sanitizers "$unit" >/dev/null

sysd_boot
fail() {
	ct journalctl --no-pager -n 30 -u "$unit" >&2
	fs_fail "$@"
}

ct groupadd -r fsctl || fs_fail "groupadd inside"
ct useradd -r -M -N -g nogroup -G fsctl -s /usr/sbin/nologin -d / fsu ||
	fs_fail "useradd inside"
ct systemctl daemon-reload || fail "systemctl daemon-reload failed"
ct systemctl start "$unit" || fail "systemctl start failed"
mode=$(ct stat -c '%a %G' "$sock")
[ "$mode" = "660 fsctl" ] || fail "control socket is $mode, not 660 fsctl"
fs_ok "under the unit the control socket is $mode"

out=$(ct setpriv --reuid=fsu --regid=nogroup --init-groups "$ctl" status 2>&1) ||
	fail "fsu, in fsctl: status failed: $out"
echo "$out" | grep -q "workers ready" || fail "fsu, in fsctl: status says: $out"
fs_ok "fsu, in fsctl, runs status"

rc=0
out=$(ct setpriv --reuid=nobody --regid=nogroup --clear-groups "$ctl" status 2>&1) || rc=$?
case $rc:$out in
0:*) fail "nobody, outside fsctl, got a status: $out" ;;
*"Permission denied"*) ;;
*) fail "nobody, outside fsctl: $out" ;;
esac
fs_ok "nobody, outside fsctl: exit $rc, Permission denied"
ct systemctl stop "$unit" || fail "systemctl stop failed"
