#!/bin/sh
# CURVE under a real systemd (tests/sysd.sh): the workers' secret key is
# root's alone (mode 0600) and the unit runs as a dynamic user, so it
# reaches the workers only through LoadCredential= in a drop-in, the
# configuration naming the credential. A client whose key is in allow_dir
# is answered, another is refused; a key added and `systemctl reload`
# (which checks the configuration first, credentials included) admits it
# with the worker's pid unchanged.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sysd_lib.sh"

ct=fs-curve-$$
unit=fake-servers.service
stage=$FS_TMP/stage
$SYSD install "$stage" || fs_fail "make install failed"
conf=$(find "$stage" -path '*/fake-servers/fake-servers.conf' -type f | head -n 1)
[ -n "$conf" ] || fs_fail "make install installed no fake-servers.conf"
etc=$(dirname "${conf#"$stage"}")
in_stage() { p=$(find "$stage" -path "*/bin/$1" -type f | head -n 1); echo "${p#"$stage"}"; }
client=$(in_stage fake-client) ctl=$(in_stage fake-serversctl)
[ -n "$client" ] && [ -n "$ctl" ] || fs_fail "make install installed no fake-client or fake-serversctl"
cat >"$conf" <<CONF
curve = {
	secret_key_file = "workers.key_secret";
	public_key_file = "$etc/curve/workers.key";
	allow_dir = "$etc/clients";
};
workers = ( { name = "Sealed"; kind = "echo"; port = 10001; cost_ms = 1; } );
CONF
mkdir -p "$stage/etc/systemd/system/$unit.d"
printf '[Service]\nLoadCredential=workers.key_secret:%s/curve/workers.key_secret\n' "$etc" \
	>"$stage/etc/systemd/system/$unit.d/curve.conf"
sysd_sanitizers "$unit" >/dev/null

sysd_boot
fail() {
	ct journalctl --no-pager -n 40 -u "$unit" >&2 || true
	fs_fail "$@"
}
# systemd mounts a service's credentials in a mount namespace of its own
# and relies on / being shared to see them in the service's; the
# container's / is private (tests/sysd.sh), so share it as a booted
# system's is.
ct mount --make-rshared / || fail "cannot make / shared inside"
ct sh -c "mkdir -p $etc/curve $etc/clients /root/keys &&
	$ctl keygen $etc/curve workers && $ctl keygen /root/keys alice &&
	$ctl keygen /root/keys bob && cp /root/keys/alice.key $etc/clients/" >/dev/null ||
	fail "cannot make the keys"
[ "$(ct stat -c '%a %U' "$etc/curve/workers.key_secret")" = "600 root" ] ||
	fail "the secret key is not root's alone"
ct systemctl daemon-reload || fail "systemctl daemon-reload failed"
ct systemctl start "$unit" || fail "systemctl start failed"
up() { ct "$ctl" status 2>/dev/null | grep -q "1/1 workers ready"; }
retry 10 up || fail "the CURVE worker is not ready: $(ct "$ctl" status 2>&1)"
pid=$(ct pgrep -x fake-worker)
uid=$(ct ps -o uid= -p "$pid" | tr -d ' ')
[ -n "$uid" ] && [ "$uid" -ne 0 ] || fail "the worker runs as uid '$uid', not a dynamic user"
ct cat "/proc/$pid/cmdline" | tr '\0' ' ' | grep -q -- "--curve-secret /run/credentials/$unit/workers.key_secret" ||
	fail "the worker was not given the credential: $(ct cat "/proc/$pid/cmdline" | tr '\0' ' ')"
fs_ok "worker $pid (uid $uid) reads its key pair from the credential; the file stays root's"

hello() {
	ct "$client" hello --no-config -e "Sealed=tcp://127.0.0.1:10001" -t 2000 \
		--curve-key "/root/keys/$1.key_secret" --curve-server-key "$etc/curve/workers.key" \
		>"$FS_TMP/$1.out" 2>&1
}
hello alice || fail "alice (in allow_dir) not answered: $(cat "$FS_TMP/alice.out")"
hello bob; rc=$?
[ $rc -eq 77 ] && grep -q "refused our key" "$FS_TMP/bob.out" ||
	fail "bob (not in allow_dir): exit $rc: $(cat "$FS_TMP/bob.out")"
fs_ok "alice answered, bob refused (exit 77, told so)"

ct cp /root/keys/bob.key "$etc/clients/" || fail "cp bob.key"
ct systemctl reload "$unit" || fail "systemctl reload failed: the check (-n) needs the credential too"
retry 5 hello bob || fail "bob not admitted after the reload: $(cat "$FS_TMP/bob.out")"
[ "$(ct pgrep -x fake-worker)" = "$pid" ] || fail "the reload restarted the worker: $pid -> $(ct pgrep -x fake-worker)"
fs_ok "bob's key added, systemctl reload: bob answered, worker $pid kept"
ct systemctl stop "$unit" || fail "systemctl stop failed"
