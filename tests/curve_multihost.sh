#!/bin/sh
# CURVE across hosts: two network namespaces stand for the client's host a
# and the workers' host b, whose supervisor runs CURVE workers admitting
# the client keys of a directory, and one plain worker. What crosses the
# link is captured (an AF_PACKET socket): the wire header's text without
# CURVE, never with it. An allowed client gets replies; an unknown key is
# refused and told so, and the worker logs it once; a wrong idea of the
# workers' public key is told within a second; a key added to allow_dir is
# admitted after a reload with every worker's pid unchanged; garbage
# handshakes and a truncated key file crash nothing.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

[ "$(id -u)" -eq 0 ] || fs_skip "network namespaces need root"
command -v ip >/dev/null || fs_skip "ip (iproute2) is not installed"
$PY -c 'import socket; socket.AF_PACKET' 2>/dev/null || fs_skip "no AF_PACKET in $PY"

ns=fscv$$
net=$(( $$ % 200 + 20 ))
A=$ns-a B=$ns-b
cv_down() { for n in $A $B; do ip netns del "$n" 2>/dev/null; done; }
fs_on_exit cv_down
for n in $A $B; do
	ip netns add "$n" || fs_skip "cannot create a network namespace"
	ip -n "$n" link set lo up
done
ip link add ab netns $A type veth peer name ba netns $B || fs_skip "cannot create veth pairs"
ip -n $A addr add 10.$net.3.1/24 dev ab; ip -n $B addr add 10.$net.3.2/24 dev ba
ip -n $A link set ab up; ip -n $B link set ba up
HB=10.$net.3.2
port=$(fs_free_ports 3)

# Keys: the workers' pair (named in b.conf as a systemd credential),
# clients alice (admitted), mallory (not yet), carol (whose public key a
# client takes for the workers' by mistake).
K=$FS_TMP/keys
mkdir "$K" "$FS_TMP/clients"
for k in workers alice mallory carol; do
	"$CTL" keygen "$K" $k >/dev/null || fs_fail "keygen $k failed"
done
cp "$K/alice.key" "$FS_TMP/clients/"

SEG="name = \"Seg\"; kind = \"segmentation\"; port = $port; cost_ms = 3;"
CLS="name = \"Cls\"; kind = \"classification\"; port = $((port + 1)); cost_ms = 5; window = 4;"
PLAIN="name = \"Plain\"; kind = \"echo\"; port = $((port + 2)); cost_ms = 0; curve = { secret_key_file = \"\"; };"
cat >"$FS_TMP/b.conf" <<EOF
bind = "$HB"; control = "$FS_TMP/b.sock";
curve = { secret_key_file = "workers.key_secret"; allow_dir = "$FS_TMP/clients"; };
workers = ( { $SEG }, { $CLS }, { $PLAIN } );
EOF
cat >"$FS_TMP/client.conf" <<EOF
curve = { public_key_file = "$K/workers.key"; };
workers = ( { $SEG host = "$HB"; }, { $CLS host = "$HB"; } );
EOF
cat >"$FS_TMP/plain.conf" <<EOF
workers = ( { name = "Plain"; kind = "echo"; port = $((port + 2)); cost_ms = 0; host = "$HB"; } );
EOF

# The key pair as a systemd credential, as LoadCredential= hands it over.
fs_spawn servers-b ip netns exec $B env CREDENTIALS_DIRECTORY="$K" \
	"$SRV" -c "$FS_TMP/b.conf" --worker "$WORKER"
ready() { "$CTL" -s "$FS_TMP/b.sock" status 2>/dev/null | grep -q "3/3 workers ready"; }
retry 15 ready || fs_fail "host b: workers not ready: $("$CTL" -s "$FS_TMP/b.sock" status 2>&1)"
pids() { "$CTL" -s "$FS_TMP/b.sock" -j status | $PY -c '
import json, sys
print(" ".join(str(w["pid"]) for w in json.load(sys.stdin)["workers"]))'; }
before=$(pids)
fs_ok "host b: 2 CURVE workers and a plain one ready ($before)"
# Its supervisor checked the key pair and allow_dir with libsodium, without
# libzmq.
dpid=$(ps -o ppid= -p "${before%% *}" | tr -d ' ')
grep -q libsodium "/proc/$dpid/maps" || fs_fail "host b's supervisor ($dpid) does not map libsodium"
grep -q libzmq "/proc/$dpid/maps" && fs_fail "host b's supervisor ($dpid) maps libzmq"
fs_ok "host b's supervisor maps libsodium, not libzmq"

# client NAME ARGS...: fake-client on host a; its stderr in NAME.log, its
# exit status in RC, its wall time in MS.
client() {
	name=$1; shift
	t0=$(date +%s%N)
	ip netns exec $A "$CLIENT" "$@" >"$FS_TMP/$name.out" 2>"$FS_TMP/$name.log"
	RC=$?
	MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
# sniff NAME CMD...: CMD with the link a-b captured; the capture's figures
# in NAME.cap (tests/py/sniff.py).
sniff() {
	name=$1; shift
	rm -f "$FS_TMP/sniff.ready"
	ip netns exec $A $PY "$top_srcdir/tests/py/sniff.py" ab "$FS_TMP/sniff.ready" \
		>"$FS_TMP/$name.cap" 2>"$FS_TMP/$name.sniff.log" &
	spid=$!
	retry 5 test -f "$FS_TMP/sniff.ready" || fs_fail "the capture did not start: $(cat "$FS_TMP/$name.sniff.log")"
	"$@"
	sleep 0.2	# the last segments
	kill -TERM $spid; wait $spid
}
cap() { $PY -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$FS_TMP/$1.cap" "$2"; }

# Without CURVE the headers cross in clear; with it, never.
sniff plain client plain echo -c "$FS_TMP/plain.conf" --samples 5 --width 64 --height 48
[ $RC -eq 0 ] || fs_fail "echo to the plain worker failed: $(cat "$FS_TMP/plain.log")"
[ "$(cap plain header_text)" -gt 0 ] || fs_fail "no header text seen without CURVE: $(cat "$FS_TMP/plain.cap")"
fs_ok "without CURVE the link shows the header text: $(cat "$FS_TMP/plain.cap")"
# Small frames and a long timeout: a loaded machine is no failure here.
RUN="run --fps 0 --width 160 --height 120 -t 10000"
sniff curve client allowed -c "$FS_TMP/client.conf" $RUN --frames 12 \
	--curve-key "$K/alice.key_secret" --json "$FS_TMP/allowed.json"
[ $RC -eq 0 ] || fs_fail "alice's run failed ($RC): $(cat "$FS_TMP/allowed.log")"
cl_py "$FS_TMP/allowed.json" '
assert d["evaluations"] == 9 and d["ok"] == 9, d'
[ "$(cap curve greeting_curve)" -gt 0 ] || fs_fail "no CURVE handshake seen: $(cat "$FS_TMP/curve.cap")"
[ "$(cap curve payload_bytes)" -gt $((12 * 160 * 120 * 3)) ] ||
	fs_fail "too little traffic captured: $(cat "$FS_TMP/curve.cap")"
[ "$(cap curve header_text)" -eq 0 ] || fs_fail "header text crossed with CURVE: $(cat "$FS_TMP/curve.cap")"
fs_ok "alice (in allow_dir): 9 evaluations; the link shows no header text: $(cat "$FS_TMP/curve.cap")"

# An unknown key: refused at once, per worker, exit 77; logged once.
client refused -c "$FS_TMP/client.conf" run --frames 8 --curve-key "$K/mallory.key_secret"
[ $RC -eq 77 ] || fs_fail "mallory's run exited $RC, not 77: $(cat "$FS_TMP/refused.log")"
for w in Seg Cls; do
	grep -q "worker $w .* refused our key" "$FS_TMP/refused.log" ||
		fs_fail "not told that $w refused the key: $(cat "$FS_TMP/refused.log")"
done
[ $MS -lt 1000 ] || fs_fail "told after $MS ms"
client refused2 -c "$FS_TMP/client.conf" hello --curve-key "$K/mallory.key_secret"
[ $RC -eq 77 ] || fs_fail "mallory's second try exited $RC"
mk=$(sed -n 's/.*public-key = "\(.\{8\}\).*/\1/p' "$K/mallory.key")
n=$(grep -cF "refused client key $mk" "$FS_TMP/servers-b.log")
[ "$n" -eq 2 ] || fs_fail "mallory's refusals logged $n times, not once per worker: $(grep refused "$FS_TMP/servers-b.log")"
fs_ok "mallory: exit 77 in $MS ms, told per worker; each worker logged it once ($mk...)"

# A wrong public key of the workers: told within a second.
client wrongkey -c "$FS_TMP/client.conf" run --frames 8 --curve-key "$K/alice.key_secret" \
	--curve-server-key "$K/carol.key"
[ $RC -eq 77 ] || fs_fail "a wrong server key: exit $RC, not 77: $(cat "$FS_TMP/wrongkey.log")"
grep -q "worker Seg .*did not accept the handshake: is its public key right?" "$FS_TMP/wrongkey.log" ||
	fs_fail "not told: $(cat "$FS_TMP/wrongkey.log")"
[ $MS -lt 1000 ] || fs_fail "told after $MS ms"
fs_ok "a wrong server key: told in $MS ms"

# A garbage handshake, a ZMTP greeting with a garbage CURVE HELLO, a lone
# signature: the workers stay.
ip netns exec $A $PY - "$HB" "$port" "$((port + 1))" <<'PYEOF' || fs_fail "garbage: the script failed"
import os, socket, sys
host = sys.argv[1]
greeting = b"\xff" + b"\0" * 8 + b"\x7f" + b"\x03\x00" + b"CURVE".ljust(20, b"\0") + b"\0" * 32
hello = b"\x04\xc8" + b"\x05HELLO" + os.urandom(194)
for port in map(int, sys.argv[2:]):
    for data in (os.urandom(300), greeting + hello, greeting[:10], b""):
        s = socket.create_connection((host, port), timeout=2)
        s.sendall(data)
        s.settimeout(0.3)
        try:
            s.recv(4096)
        except OSError:
            pass
        s.close()
PYEOF
# A truncated key file in allow_dir: the reload keeps the keys it had.
head -c 150 "$K/mallory.key" >"$FS_TMP/clients/truncated.key"
"$CTL" -s "$FS_TMP/b.sock" reload >/dev/null 2>&1
retry 5 grep -q "truncated.key:[0-9]*:" "$FS_TMP/servers-b.log" ||
	fs_fail "the truncated key file was not reported with file:line"
rm "$FS_TMP/clients/truncated.key"
client after -c "$FS_TMP/client.conf" $RUN --frames 8 --curve-key "$K/alice.key_secret"
[ $RC -eq 0 ] || fs_fail "alice refused after garbage: $(cat "$FS_TMP/after.log")"
[ "$(pids)" = "$before" ] || fs_fail "workers changed: $before -> $(pids)"
fs_ok "garbage handshakes and a truncated key file: no worker restarted, alice still served"

# mallory's key added, a reload: admitted, same workers.
cp "$K/mallory.key" "$FS_TMP/clients/"
"$CTL" -s "$FS_TMP/b.sock" reload >/dev/null || fs_fail "reload failed"
admitted() {
	client admitted -c "$FS_TMP/client.conf" $RUN --frames 8 \
		--curve-key "$K/mallory.key_secret"
	[ $RC -eq 0 ]
}
retry 5 admitted || fs_fail "mallory not admitted after the reload: $(cat "$FS_TMP/admitted.log")"
[ "$(pids)" = "$before" ] || fs_fail "the reload restarted workers: $before -> $(pids)"
fs_ok "mallory admitted after a reload; worker pids unchanged ($before)"
