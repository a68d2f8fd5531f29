#!/bin/sh
# deploy/ansible with the distribution's ansible-core, against three hosts:
# each a network namespace on one bridge with a systemd booted in it
# (tests/sysd.sh) running sshd; the controller is a fourth namespace on the
# bridge. The inventory is deploy/ansible/inventory.yml, the package the
# .deb built from this tree (tests/deb_lib.sh); the client on the controller
# is this build's, so a sanitizer build runs it under ASan and UBSan.
# fs-c uses CURVE: its key pair and alice's public key are made here
# (fake-serversctl keygen), on the controller, as the inventory says.
#   1. the first run installs, configures and starts every host, writes
#      the client's config, and fake-client drives the workers of all hosts;
#      on fs-c the key pair is root's alone (0600) and reaches the workers
#      as the unit's credential; alice is answered by all workers, bob's
#      key is refused by fs-c's and answered by the others;
#   2. a second run changes nothing (changed=0 on every host), and no
#      run's output has the secret key in it;
#   3. a changed worker on one host reloads that host only;
#   4. a rolling restart (-e fake_servers_restart=true, serial: 1) under a
#      running client restarts every host, each once its predecessor is
#      back, and the client loses frames on a host only while that host
#      restarts, none on the others.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sysd_lib.sh"
. "$top_srcdir/tests/deb_lib.sh"

for t in ansible-playbook ssh ssh-keygen ip; do
	command -v $t >/dev/null 2>&1 || fs_skip "$t is not installed (sh scripts/deps)"
done
[ -x /usr/sbin/sshd ] || fs_skip "sshd is not installed (openssh-server)"
CLIENT=$(fs_bin fake-client) CTL=$(fs_bin fake-serversctl)
[ -x "$CLIENT" ] && [ -x "$CTL" ] || fs_fail "$CLIENT or $CTL is not built"
deb_get

play=$top_srcdir/deploy/ansible
inv=$play/inventory.yml
hosts="fs-a fs-b fs-c"
addr() { sed -n "/^    $1:/,/ansible_host/s/.*ansible_host: *//p" "$inv"; }
for h in $hosts; do
	[ -n "$(addr $h)" ] || fs_fail "no ansible_host for $h in $inv"
done

# The network: a bridge in a namespace of its own, a namespace per host
# and one for the controller, all on the inventory's /24.
ns=fsan$$
net=$(addr fs-a | cut -d. -f1-3)
net_down() { for n in sw ctl $hosts; do ip netns del "$ns-$n" 2>/dev/null; done; }
fs_on_exit net_down
ip netns add "$ns-sw" || fs_skip "cannot create a network namespace"
ip -n "$ns-sw" link add br0 type bridge && ip -n "$ns-sw" link set br0 up ||
	fs_skip "cannot create a bridge"
i=0
for n in ctl $hosts; do
	i=$((i + 1))
	ip netns add "$ns-$n"
	ip -n "$ns-$n" link set lo up
	ip link add eth0 netns "$ns-$n" type veth peer name v$i netns "$ns-sw" ||
		fs_skip "cannot create veth pairs"
	ip -n "$ns-sw" link set v$i master br0 up
	if [ $n = ctl ]; then a=$net.1; else a=$(addr $n); fi
	ip -n "$ns-$n" addr add "$a/24" dev eth0
	ip -n "$ns-$n" link set eth0 up
done

# Every host: root logs in with the test's key, to Debian's shell start-up
# files (this machine's, which the containers would inherit, may do
# anything on each login, and every Ansible task is one); the package
# comes later, from Ansible.
ssh-keygen -q -t ed25519 -N '' -f "$FS_TMP/id" || fs_fail "ssh-keygen failed"
stage=$FS_TMP/stage
mkdir -p "$stage/root/.ssh"
cp /etc/skel/.bashrc /etc/skel/.profile "$stage/root/"
chmod 700 "$stage/root/.ssh"
cp "$FS_TMP/id.pub" "$stage/root/.ssh/authorized_keys"
chmod 600 "$stage/root/.ssh/authorized_keys"

# The CURVE keys, on the controller: fs-c's workers' and two clients'.
keys=$FS_TMP/keys
mkdir -p "$keys"
for k in fs-c alice bob; do
	"$CTL" keygen "$keys" $k >/dev/null || fs_fail "fake-serversctl keygen $keys $k failed"
done

ct_of() { echo "fs-an$$-$1"; }
on() { h=$1; shift; $SYSD exec "$(ct_of $h)" "$@"; }
stop_all() { for h in $hosts; do $SYSD stop "$(ct_of $h)" & done; wait; }
fs_on_exit stop_all
t0=$(date +%s%N)
for h in $hosts; do
	SYSD_NETNS=$ns-$h SYSD_PREPARE=$stage $SYSD start "$(ct_of $h)" \
		>"$FS_TMP/boot-$h.log" 2>&1 &
done
wait
for h in $hosts; do
	grep -q 'state=' "$FS_TMP/boot-$h.log" || { cat "$FS_TMP/boot-$h.log" >&2; fs_fail "$h did not boot"; }
	# sysd.sh masks what this machine enables, ssh among it.
	on $h sh -c 'rm -f /etc/ssh/sshd_not_to_be_run; systemctl unmask -q ssh.service &&
		systemctl start ssh.service' || fs_fail "$h: sshd did not start"
	ct=$(ct_of $h)
	deb_prepare_ct || fs_fail "$h: cannot prepare it for packages"
done
# systemd mounts a service's credentials (fs-c's CURVE key) in a mount
# namespace of its own and relies on / being shared to see them in the
# service's; the container's / is private (tests/sysd.sh), so share it as
# a booted system's is.
on fs-c mount --make-rshared / || fs_fail "fs-c: cannot make / shared"
fs_ok "3 hosts booted with sshd in $(( ($(date +%s%N) - t0) / 1000000 )) ms"

# The controller: this machine's ansible, in its own namespace, keeping
# its files in the test's directory.
cat >"$FS_TMP/ansible.cfg" <<EOF
[defaults]
inventory = $inv
remote_user = root
private_key_file = $FS_TMP/id
host_key_checking = False
interpreter_python = /usr/bin/python3
local_tmp = $FS_TMP/ansible-tmp
forks = 3
[ssh_connection]
pipelining = True
ssh_args = -F /dev/null -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=/dev/null
control_path_dir = $FS_TMP/cp
EOF
client_conf=$FS_TMP/clients.conf
deploy() {
	name=$1; shift
	t0=$(date +%s%N)
	ip netns exec "$ns-ctl" env ANSIBLE_CONFIG="$FS_TMP/ansible.cfg" \
		ANSIBLE_HOME="$FS_TMP/ansible-home" ANSIBLE_FORCE_COLOR=0 \
		ansible-playbook "$play/site.yml" -e fake_servers_deb="$DEB" \
		-e fake_servers_client_conf="$client_conf" -e fake_servers_keys="$keys" \
		"$@" >"$FS_TMP/$name.log" 2>&1
	rc=$?
	took=$(( ($(date +%s%N) - t0) / 1000000 ))
	return $rc
}
# changed COUNT for a host in the play recap of run NAME.
changed() { sed -n "s/^$2 *: .*changed=\([0-9]*\).*/\1/p" "$FS_TMP/$1.log"; }
recap() { sed -n '/PLAY RECAP/,$p' "$FS_TMP/$1.log" | grep -o '^[a-z-]* *: ok=[0-9]* *changed=[0-9]*' | tr -s ' ' | xargs; }
ssh_exit() {
	for s in "$FS_TMP"/cp/*; do
		[ -S "$s" ] && ip netns exec "$ns-ctl" ssh -o ControlPath="$s" -O exit x >/dev/null 2>&1
	done
	return 0
}
fs_on_exit ssh_exit
prop() { on $1 systemctl show -P "$2" fake-servers.service; }
# client NAME KEY ARGS: fake-client on the controller with KEY's pair.
client() {
	name=$1 key=$2; shift 2
	ip netns exec "$ns-ctl" "$CLIENT" -c "$client_conf" --curve-key "$keys/$key.key_secret" \
		"$@" >"$FS_TMP/$name.out" 2>"$FS_TMP/$name.err"
}

# 1. Deploy.
deploy first || fs_fail "the first run failed: $(tail -n 30 "$FS_TMP/first.log")"
fs_ok "first run in $took ms: $(recap first)"
for h in $hosts; do
	[ "$(prop $h ActiveState)" = active ] || fs_fail "$h: fake-servers is $(prop $h ActiveState)"
	on $h grep -q "bind = \"$(addr $h)\"" /etc/fake-servers/fake-servers.conf ||
		fs_fail "$h: the config does not bind $(addr $h)"
done
for w in SegA ClsA SegB EchoC SegC; do
	grep -q "name = \"$w\"" "$client_conf" || fs_fail "the client's config lacks $w: $(cat "$client_conf")"
done
grep -q "host = \"$(addr fs-c)\"" "$client_conf" || fs_fail "no host = for fs-c in $(cat "$client_conf")"
client first alice --frames 25 --fps 0 --json "$FS_TMP/first.json" ||
	fs_fail "fake-client on the controller failed: $(tail -n 5 "$FS_TMP/first.err" "$FS_TMP/first.out")"
$PY - "$FS_TMP/first.json" <<'EOF' || fs_fail "the client did not drive every host: $(cat "$FS_TMP/first.out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] == d["evaluations"] > 0 and d["timeout"] == 0 and d["error"] == 0, d
EOF
fs_ok "fake-client drives the 3 hosts: $(grep -m 1 '^evaluations' "$FS_TMP/first.out")"

# fs-c's CURVE: the key pair root's alone, given to the workers (a dynamic
# user) as the unit's credential; the client's config has the public key
# for fs-c's workers only; bob's key is refused there, answered elsewhere.
[ "$(on fs-c stat -c '%a %U' /etc/fake-servers/curve/workers.key_secret)" = "600 root" ] ||
	fs_fail "fs-c: the key pair is not root's alone"
pid=$(on fs-c pgrep -x -n fake-worker)
on fs-c cat "/proc/$pid/cmdline" | tr '\0' ' ' |
	grep -q -- "--curve-secret /run/credentials/fake-servers.service/workers.key_secret" ||
	fs_fail "fs-c: the worker was not given the credential: $(on fs-c cat "/proc/$pid/cmdline" | tr '\0' ' ')"
[ "$(grep -c "public_key_file = \"$FS_TMP/server-keys/fs-c.key\"" "$client_conf")" = 2 ] &&
	cmp -s "$FS_TMP/server-keys/fs-c.key" "$keys/fs-c.key" ||
	fs_fail "the client's config should name fs-c's public key for EchoC and SegC: $(cat "$client_conf")"
client bob bob hello -t 3000
for w in EchoC SegC; do
	grep -q "worker $w (tcp://$(addr fs-c):[0-9]*) refused our key" "$FS_TMP/bob.err" ||
		fs_fail "fs-c's $w did not refuse bob: $(cat "$FS_TMP/bob.out" "$FS_TMP/bob.err")"
done
! grep -q "Received reply from tcp://$(addr fs-c):" "$FS_TMP/bob.out" &&
	[ "$(grep -c "Received reply from tcp://$net\." "$FS_TMP/bob.out")" = 3 ] ||
	fs_fail "bob should be answered by fs-a and fs-b alone: $(cat "$FS_TMP/bob.out" "$FS_TMP/bob.err")"
fs_ok "fs-c's workers use CURVE: alice answered, bob refused by them ($(grep -c 'refused our key' "$FS_TMP/bob.err") endpoints) and answered by the other hosts"

# 2. Again: nothing to do.
deploy second || fs_fail "the second run failed: $(tail -n 30 "$FS_TMP/second.log")"
for h in $hosts localhost; do
	[ "$(changed second $h)" = 0 ] || fs_fail "the second run changed $h: $(recap second)"
done
secret=$(sed -n 's/^ *secret-key = "\(.*\)"$/\1/p' "$keys/fs-c.key_secret")
[ ${#secret} = 40 ] || fs_fail "no secret key in $keys/fs-c.key_secret"
! grep -qF -e "$secret" "$FS_TMP"/first.log "$FS_TMP"/second.log ||
	fs_fail "a run's output has fs-c's secret key"
fs_ok "second run in $took ms changes nothing: $(recap second)"

# 3. A worker's cost changes on fs-b: fs-b reloads, the others do not.
mains=
for h in $hosts; do mains="$mains $(prop $h MainPID)"; done
reloads() { on $1 journalctl --no-pager -q -o cat -u fake-servers.service | grep -c '^reloaded '; }
before_b=$(reloads fs-b) before_a=$(reloads fs-a) before_c=$(reloads fs-c)
sed 's/name: SegB, kind: segmentation, port: 10001, cost_ms: 4/name: SegB, kind: segmentation, port: 10001, cost_ms: 6/' \
	"$inv" >"$FS_TMP/inventory.yml"
grep -q 'cost_ms: 6' "$FS_TMP/inventory.yml" || fs_fail "cannot edit the inventory"
deploy third -i "$FS_TMP/inventory.yml" || fs_fail "the third run failed: $(tail -n 30 "$FS_TMP/third.log")"
[ "$(changed third fs-b)" -gt 0 ] && [ "$(changed third fs-a)" = 0 ] && [ "$(changed third fs-c)" = 0 ] ||
	fs_fail "the third run should change fs-b only: $(recap third)"
grep -q 'RUNNING HANDLER \[fake_servers : Reload fake-servers\]' "$FS_TMP/third.log" ||
	fs_fail "no reload handler ran"
reloaded_b() { [ "$(reloads fs-b)" -gt "$before_b" ]; }
retry 5 reloaded_b || fs_fail "fs-b did not reload"
[ "$(reloads fs-a)" = "$before_a" ] && [ "$(reloads fs-c)" = "$before_c" ] ||
	fs_fail "a host other than fs-b reloaded"
now=
for h in $hosts; do now="$now $(prop $h MainPID)"; done
[ "$now" = "$mains" ] || fs_fail "a supervisor restarted: $mains -> $now"
cost=$(on fs-b fake-serversctl -j status | $PY -c 'import json,sys; print(json.load(sys.stdin)["workers"][0]["cost_ms"])')
[ "$cost" = 6.0 ] || fs_fail "fs-b's SegB costs $cost, not 6"
fs_ok "third run in $took ms: only fs-b reloaded, SegB now costs 6 ms ($(recap third))"

# 4. A rolling restart under a running client: one host at a time. The
# client's frames may be lost on a host only while that host restarts
# (from systemd's "Stopping" to its "Started", as its journal has them,
# widened by the client's timeout and its reconnection).
t_start=$(date +%s.%N)
ip netns exec "$ns-ctl" "$CLIENT" -c "$client_conf" --curve-key "$keys/alice.key_secret" --frames 100000 --fps 10 \
	--timeout-ms 1000 --csv "$FS_TMP/rolling.csv" >"$FS_TMP/rolling.out" 2>"$FS_TMP/rolling.err" &
cpid=$!
FS_PIDS="$FS_PIDS $cpid"
sleep 3	# some frames on every host before the first restart
deploy fourth -i "$FS_TMP/inventory.yml" -e fake_servers_restart=true ||
	fs_fail "the rolling restart failed: $(tail -n 30 "$FS_TMP/fourth.log")"
sleep 3	# and some after the last one
kill -INT $cpid
i=0
while kill -0 $cpid 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 500 ] || fs_fail "the client did not stop on SIGINT"
	sleep 0.02
done
wait $cpid
now=
for h in $hosts; do now="$now $(prop $h MainPID)"; done
: >"$FS_TMP/restarts.txt"
for h in $hosts; do
	[ "$(prop $h ActiveState)" = active ] || fs_fail "$h: $(prop $h ActiveState) after the restart"
	on $h journalctl --no-pager -q -o short-unix -u fake-servers.service --since "@${t_start%.*}" |
		sed -n "s/^\([0-9.]*\) .*systemd\[1\]: \(Stopping\|Started\) fake-servers.*/$(addr $h) \1 \2/p" \
		>>"$FS_TMP/restarts.txt"
done
set -- $mains
for p in $now; do
	[ "$p" != "$1" ] || fs_fail "not every supervisor restarted: $mains -> $now"
	shift
done
$PY - "$FS_TMP/rolling.csv" "$client_conf" "$FS_TMP/restarts.txt" "$t_start" <<'EOF' >"$FS_TMP/rolling.txt" 2>&1 ||
import csv, re, sys
csvf, conf, restarts, t0 = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
host = dict(re.findall(r'name = "([^"]+)";.*?host = "([^"]+)";', open(conf).read()))
win, begin = {}, {}
for line in open(restarts):
    h, t, what = line.split()
    if what == "Stopping":
        begin[h] = float(t)
    elif h in begin:
        win.setdefault(h, []).append((begin.pop(h), float(t)))
assert sorted(win) == sorted(set(host.values())), "restarts seen: %s" % win
order = sorted((a, b, h) for h, ws in win.items() for a, b in ws)
for (a, b, h), (c, d, g) in zip(order, order[1:]):
    assert b <= c, "%s restarted before %s was back: %s" % (g, h, order)
rows = [r for r in csv.DictReader(open(csvf)) if r["status"] != "unfinished"]
lost = {}
for r in rows:
    us = float(r["sent_us"]) if float(r["sent_us"]) >= 0 else float(r["scheduled_us"])
    t = t0 + us / 1e6
    for k, v in r.items():
        if not k.endswith("_status") or v == "ok":
            continue
        h = host[k[:-len("_status")]]
        assert any(a - 2.5 <= t <= b + 3.0 for a, b in win[h]), \
            "frame %s lost on %s (%s %s) at +%.1f s, outside its restarts %s" % (
                r["frame"], h, k, v, t - t0, [(round(a - t0, 1), round(b - t0, 1)) for a, b in win[h]])
        lost[h] = lost.get(h, 0) + 1
assert len(rows) > 100, "only %d frames" % len(rows)
print("%d frames, lost only while their host restarted: %s; restarts at (s) %s" % (
    len(rows), lost or "none",
    ", ".join("%s %.1f-%.1f" % (h, a - t0, b - t0) for a, b, h in order)))
EOF
	fs_fail "the rolling restart lost frames beyond the restarting host: $(cat "$FS_TMP/rolling.txt")"
fs_ok "rolling restart in $took ms ($(recap fourth)) under a running client: $(cat "$FS_TMP/rolling.txt")"
