#!/bin/sh
# control_group: the control socket is 0660 and the group's, so a member
# of the group runs fake-serversctl and anyone else gets "Permission
# denied"; an unknown group is a config error (exit 78) at startup.
# Needs root: it adds a throw-away group and user, removed at teardown.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

[ "$(id -u)" = 0 ] || fs_skip "not root: cannot add a group and a user"
for t in groupadd useradd userdel groupdel setpriv; do
	command -v $t >/dev/null || fs_skip "$t is not installed"
done

G=fsg$$
U=fsu$$
del_group() { groupdel "$G" 2>/dev/null; }
del_user() { userdel "$U" 2>/dev/null; }
groupadd -r "$G" || fs_fail "groupadd $G"
fs_on_exit del_group
useradd -r -M -N -g nogroup -G "$G" -s /usr/sbin/nologin -d / "$U" ||
	fs_fail "useradd $U"
fs_on_exit del_user

# Others must reach the socket's directory and the control tool.
chmod 0711 "$FS_TMP"
cp "$CTL" "$FS_TMP/fake-serversctl" && chmod 0755 "$FS_TMP/fake-serversctl"

p=$(fs_free_ports 1)
SV_GLOBAL="control_group = \"no-such-group-$$\";"
echo "Echo:echo:$p" | sv_conf
rc=0
timeout 10 "$SRV" -c "$CONF" -s "$SOCK" --worker "$WORKER" \
	>"$FS_TMP/nogroup.out" 2>&1 || rc=$?
[ $rc = 78 ] || fs_fail "unknown group: exit $rc, not 78: $(cat "$FS_TMP/nogroup.out")"
grep -q "^$CONF:1: control_group: no group named 'no-such-group-$$'\$" \
	"$FS_TMP/nogroup.out" || fs_fail "unknown group: $(cat "$FS_TMP/nogroup.out")"
[ ! -e "$SOCK" ] || fs_fail "unknown group: the socket was created"
fs_ok "an unknown group: exit 78, $(cat "$FS_TMP/nogroup.out")"

SV_GLOBAL="control_group = \"$G\";"
echo "Echo:echo:$p" | sv_conf
sv_start
retry 10 sv_all READY || fs_fail "not READY: $(sv_states)"
mode=$(stat -c '%a %G' "$SOCK")
[ "$mode" = "660 $G" ] || fs_fail "control socket is $mode, not 660 $G"
fs_ok "control socket: $mode"

out=$(setpriv --reuid="$U" --regid=nogroup --init-groups "$FS_TMP/fake-serversctl" \
	-s "$SOCK" status 2>&1) || fs_fail "$U in $G: status failed: $out"
echo "$out" | grep -q "^Echo .*READY" || fs_fail "$U in $G: status says: $out"
fs_ok "$U, in $G, runs status"

rc=0
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$FS_TMP/fake-serversctl" \
	-s "$SOCK" status 2>&1) || rc=$?
[ $rc != 0 ] || fs_fail "nobody, outside $G, got a status: $out"
case $out in
*"Permission denied"*) ;;
*) fs_fail "nobody, outside $G: $out" ;;
esac
fs_ok "nobody, outside $G: exit $rc, $out"
