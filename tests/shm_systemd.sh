#!/bin/sh
# The shared-memory transport between workers run by the unit as installed
# (DynamicUser=yes with the group fake-servers-shm, sandboxed) and clients
# under a real systemd (tests/sysd.sh), with no drop-in: once the group
# exists (sysusers.d, as make install and the package apply it), root's and
# a member's frames reach the workers through their rings, with the same
# outputs as through the socket; a non-member's ring is refused, and
# fake-client says what to do.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sysd_lib.sh"
PEER=$(fs_bin tests/shm_peer)
[ -x "$PEER" ] || fs_fail "$PEER is not built"

ct=fs-shm-$$
unit=fake-servers.service
stage=$FS_TMP/stage
$SYSD install "$stage" || fs_fail "make install failed"
conf=$(find "$stage" -path '*/fake-servers/fake-servers.conf' -type f | head -n 1)
[ -n "$conf" ] || fs_fail "make install installed no fake-servers.conf"
cat >"$conf" <<'CONF'
workers = (
	{ name = "Seg"; kind = "segmentation"; port = 10001; cost_ms = 2;
	  transport = "shm"; },
	{ name = "Echo"; kind = "echo"; port = 10002; cost_ms = 0;
	  transport = "shm"; },
	{ name = "Tcp"; kind = "segmentation"; port = 10003; cost_ms = 0; }
);
CONF
client=$(find "$stage" -path '*/bin/fake-client' -type f | head -n 1)
[ -n "$client" ] || fs_fail "make install installed no fake-client"
client=${client#"$stage"}
conf=${conf#"$stage"}
mkdir -p "$stage/usr/local/libexec/fs-test"
cp "$PEER" "$stage/usr/local/libexec/fs-test/shm_peer"
peer=/usr/local/libexec/fs-test/shm_peer

sysd_boot
fail() {
	ct journalctl --no-pager -n 40 -u "$unit" >&2 || true
	fs_fail "$@"
}
# The group, as make install makes it (sysusers.d/fake-servers.conf).
ct systemd-sysusers || fail "systemd-sysusers"
ct getent group fake-servers-shm >/dev/null || fail "systemd-sysusers made no group fake-servers-shm"
ct useradd -M -G fake-servers-shm alice || fail "useradd alice"
ct useradd -M bob || fail "useradd bob"
ct systemctl daemon-reload || fail "systemctl daemon-reload failed"
ct systemctl start "$unit" || fail "systemctl start failed"
sock() { ct test -S "/run/fake-servers/$1.0.sock"; }
retry 10 sock Seg && retry 5 sock Echo || fail "no ipc sockets in /run/fake-servers"
uid=$(ct sh -c 'ps -o uid= -C fake-worker | head -n 1')
[ -n "$uid" ] && [ "$uid" -ne 0 ] || fail "the workers do not run as a dynamic user: uid '$uid'"
fs_ok "workers up as uid $uid"

# Root's client: every worker through shared memory, none refusing.
ct "$client" -c "$conf" --transport shm --frames 8 --fps 0 >"$FS_TMP/root.out" 2>&1 ||
	fail "root's fake-client --transport shm failed: $(tail -n 5 "$FS_TMP/root.out")"
grep -q 'refuses shared memory\|not possible' "$FS_TMP/root.out" &&
	fail "a worker refused root's ring: $(grep refuses "$FS_TMP/root.out")"
grep -q '^shared memory: Seg .*Tcp' "$FS_TMP/root.out" ||
	fail "root's frames did not all go through shared memory: $(cat "$FS_TMP/root.out")"
fs_ok "root: $(grep -m 1 '^evaluations' "$FS_TMP/root.out"), all through shared memory"

as_alice() { ct runuser -u alice -- "$peer" "$@"; }
for w in "Seg -k segmentation -w 320 -H 240 -f 12" \
    "Echo -k echo -w 160 -H 120 -n 3 -f 12"; do
	set -- $w
	name=$1
	shift
	ep=ipc:///run/fake-servers/$name.0.sock
	as_alice -m inline "$@" "$ep" >"$FS_TMP/inline.out" 2>"$FS_TMP/inline.log" ||
		fail "$name: alice, frames in the messages: $(tail -3 "$FS_TMP/inline.log")"
	as_alice -m shm "$@" "$ep" >"$FS_TMP/shm.out" 2>"$FS_TMP/shm.log" ||
		fail "$name: alice, frames in shared memory: $(cat "$FS_TMP/shm.out" | tail -3)"
	cmp -s "$FS_TMP/inline.out" "$FS_TMP/shm.out" ||
		fail "$name: the outputs differ: $(diff "$FS_TMP/inline.out" "$FS_TMP/shm.out" | head -5)"
	grep -q 'via shm' "$FS_TMP/shm.log" || fail "$name: no output came through a slot"
	grep -q 'mode 660 group fake-servers-shm' "$FS_TMP/shm.log" ||
		fail "$name: the ring is not 0660 fake-servers-shm: $(grep ^ring "$FS_TMP/shm.log")"
	fs_ok "$name: $(wc -l <"$FS_TMP/shm.out") outputs through shared memory, as through the socket"
	# The lanes' pipes, made by alice for the group, opened by the
	# sandboxed worker: all requests but the first go through them.
	as_alice -m lane "$@" "$ep" >"$FS_TMP/lane.out" 2>"$FS_TMP/lane.log" ||
		fail "$name: alice, through a lane: $(tail -3 "$FS_TMP/lane.log")"
	cmp -s "$FS_TMP/inline.out" "$FS_TMP/lane.out" ||
		fail "$name: the outputs through the lane differ: $(diff "$FS_TMP/inline.out" "$FS_TMP/lane.out" | head -5)"
	[ "$(grep -c 'by lane$' "$FS_TMP/lane.log")" -eq "$(($(wc -l <"$FS_TMP/lane.out") - 1))" ] ||
		fail "$name: $(grep -c 'by lane$' "$FS_TMP/lane.log") requests of $(wc -l <"$FS_TMP/lane.out") through the lane"
	fs_ok "$name: through the lane's pipes too, to the sandboxed worker"
done

# Bob is not in the group: his ring stays his own, and a worker says it
# cannot open it (a client then sends the frames in the messages).
ct runuser -u bob -- "$peer" -m shm -f 3 tcp://127.0.0.1:10003 \
    >"$FS_TMP/bob.out" 2>"$FS_TMP/bob.log" &&
	fail "bob's ring was opened by a worker: $(cat "$FS_TMP/bob.out")"
grep -q 'cannot open shm ring .*Permission denied' "$FS_TMP/bob.out" ||
	fail "no 'Permission denied' for bob's ring: $(cat "$FS_TMP/bob.out" "$FS_TMP/bob.log")"
fs_ok "a non-member's ring is refused: $(head -n 1 "$FS_TMP/bob.out")"
# Bob's fake-client falls back to the socket and names the way out.
ct sh -c 'printf "workers = ({ name = \"Tcp\"; kind = \"segmentation\"; port = 10003; cost_ms = 0; });\n" >/tmp/bob.conf'
ct runuser -u bob -- "$client" -c /tmp/bob.conf --transport shm --frames 3 --fps 0 \
    >"$FS_TMP/bob-client.out" 2>&1 ||
	fail "bob's fake-client did not fall back: $(tail -n 5 "$FS_TMP/bob-client.out")"
grep -q 'refuses shared memory.*usermod -aG fake-servers-shm' "$FS_TMP/bob-client.out" ||
	fail "bob's fallback does not say what to do: $(grep -i 'shared memory' "$FS_TMP/bob-client.out")"
fs_ok "bob's fake-client falls back and says: $(grep -o 'a worker opens.*' "$FS_TMP/bob-client.out" | head -n 1)"
ct systemctl stop "$unit" || fail "systemctl stop failed"
