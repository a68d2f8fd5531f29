#!/bin/sh
# Workers on other hosts: three network namespaces stand for three machines.
# Hosts b and c each run their own supervisor with their own config, bound to
# their own address; the client on host a reads a config naming both hosts
# and drives frames through all of them over TCP. Shared memory falls back to
# TCP for remote workers, saying so. A partition of host c mid-run makes its
# frames time out; the client finishes on its own and, once the link is back,
# the next run is clean again.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

[ "$(id -u)" -eq 0 ] || fs_skip "network namespaces need root"
command -v ip >/dev/null || fs_skip "ip (iproute2) is not installed"

ns=fsmh$$
net=$(( $$ % 200 + 20 ))
A=$ns-a B=$ns-b C=$ns-c
mh_down() {
	for n in $A $B $C; do ip netns del "$n" 2>/dev/null; done
}
fs_on_exit mh_down
for n in $A $B $C; do
	ip netns add "$n" || fs_skip "cannot create a network namespace"
	ip -n "$n" link set lo up
done
# a <-> b on 10.$net.1.0/24, a <-> c on 10.$net.2.0/24
ip link add ab netns $A type veth peer name ba netns $B || fs_skip "cannot create veth pairs"
ip link add ac netns $A type veth peer name ca netns $C
ip -n $A addr add 10.$net.1.1/24 dev ab; ip -n $B addr add 10.$net.1.2/24 dev ba
ip -n $A addr add 10.$net.2.1/24 dev ac; ip -n $C addr add 10.$net.2.2/24 dev ca
for l in "$A ab" "$B ba" "$A ac" "$C ca"; do
	set -- $l; ip -n "$1" link set "$2" up
done
HB=10.$net.1.2 HC=10.$net.2.2
port=$(fs_free_ports 3)

# host_conf FILE BIND SOCKET WORKERS...: a supervisor's config on one host.
host_conf() {
	f=$1 bind=$2 sock=$3; shift 3
	{
		echo "bind = \"$bind\"; control = \"$sock\";"
		echo "workers = ("
		sep=
		for w in "$@"; do printf '%s { %s }\n' "$sep" "$w"; sep=,; done
		echo ");"
	} >"$f"
}
SEG1="name = \"Seg1\"; kind = \"segmentation\"; port = $port; cost_ms = 3;"
CLS="name = \"Cls\"; kind = \"classification\"; port = $((port + 1)); cost_ms = 5; window = 4;"
SEG2="name = \"Seg2\"; kind = \"segmentation\"; port = $((port + 2)); cost_ms = 4;"
host_conf "$FS_TMP/b.conf" "$HB" "$FS_TMP/b.sock" "$SEG1" "$CLS"
host_conf "$FS_TMP/c.conf" "$HC" "$FS_TMP/c.sock" "$SEG2"
# The client's view: every worker with the host it runs on.
host_conf "$FS_TMP/client.conf" 127.0.0.1 "$FS_TMP/unused.sock" \
	"$SEG1 host = \"$HB\";" "$CLS host = \"$HB\";" "$SEG2 host = \"$HC\";"

fs_spawn servers-b ip netns exec $B "$SRV" -c "$FS_TMP/b.conf" --worker "$WORKER"
fs_spawn servers-c ip netns exec $C "$SRV" -c "$FS_TMP/c.conf" --worker "$WORKER"
ready() { "$CTL" -s "$1" status 2>/dev/null | grep -q "$2/$2 workers ready"; }
retry 15 ready "$FS_TMP/b.sock" 2 || fs_fail "host b: workers not ready"
retry 15 ready "$FS_TMP/c.sock" 1 || fs_fail "host c: workers not ready"
# Bound to their host's address, not to loopback or the other hosts.
ip netns exec $B ss -Hltn "sport = :$port" | grep -q "$HB:$port" ||
	fs_fail "Seg1 does not listen on $HB:$port"
fs_ok "two hosts, each with its own supervisor, 3 workers ready"

run() {
	name=$1; shift
	ip netns exec $A "$CLIENT" -c "$FS_TMP/client.conf" run "$@" \
		>"$FS_TMP/$name.out" 2>"$FS_TMP/$name.log"
}
run remote --frames 12 --fps 0 --json "$FS_TMP/remote.json" ||
	fs_fail "client on host a failed: $(cat "$FS_TMP/remote.log")"
cl_py "$FS_TMP/remote.json" '
assert d["evaluations"] == 9 and d["ok"] == 9, d
assert d["timeout"] == 0 and d["error"] == 0, d
assert all(x >= d["ideal_us"] for x in d["latencies_us"]), d["latencies_us"]'
grep -q '^mean: ' "$FS_TMP/remote.out" || fs_fail "no seed-style line"
fs_ok "9 evaluations across hosts b and c, none below the ideal"

run remote-shm --frames 8 --fps 0 --transport shm ||
	fs_fail "shm run against remote workers failed: $(cat "$FS_TMP/remote-shm.log")"
grep -Eqi 'not on this host|another host|remote' "$FS_TMP/remote-shm.log" ||
	fs_fail "no word that shared memory fell back: $(cat "$FS_TMP/remote-shm.log")"
fs_ok "shared memory falls back to TCP for remote workers, and says so"

# Partition host c while a run is under way.
run partition --frames 150 --fps 50 --timeout-ms 300 --csv "$FS_TMP/p.csv" &
cpid=$!
sleep 1	# let part of the run go through before the cut
ip -n $A link set ac down
t0=$(date +%s)
i=0
while kill -0 $cpid 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 1500 ] || { kill -9 $cpid; fs_fail "client hung after the partition"; }
	sleep 0.02
done
wait $cpid; rc=$?
[ $rc -eq 1 ] || fs_fail "partitioned run exited $rc, expected 1"
grep -q timeout "$FS_TMP/p.csv" || fs_fail "no timed-out frame in the CSV"
grep -q ',ok' "$FS_TMP/p.csv" || grep -q 'ok$' "$FS_TMP/p.csv" ||
	fs_fail "no frame went through before the partition"
fs_ok "partition: the client finished on its own in $(( $(date +%s) - t0 )) s, exit 1, timeouts recorded"

ip -n $A link set ac up
run healed --frames 8 --fps 0 || fs_fail "run after the partition healed failed: $(cat "$FS_TMP/healed.log")"
fs_ok "after the link is back, a new run is clean"
