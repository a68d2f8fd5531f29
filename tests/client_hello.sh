#!/bin/sh
# fake-client hello: the seed's basic example against two workers that take
# 300 ms: in parallel about one cost, sequentially about two.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

p=$(fs_free_ports 2)
sv_conf <<EOF2
server1:echo:$p:cost_ms = 300;
server2:echo:$((p + 1)):cost_ms = 300;
EOF2
cl_up

elapse() { sed -n 's/^Elapse: //p' "$FS_TMP/$1.out"; }
cl_expect 0 par hello -c "$CONF"
for i in 0 1; do
	grep -qx "Received reply from tcp://127.0.0.1:$((p + i)): b'Hello'" "$FS_TMP/par.out" ||
		fs_fail "no reply line for port $((p + i)): $(cat "$FS_TMP/par.out")"
done
head -1 "$FS_TMP/par.out" | grep -q '^Connecting to hello world server' || fs_fail "no greeting"
[ "$(sed -n 2,3p "$FS_TMP/par.out" | grep -c '^Sending request')" -eq 2 ] ||
	fs_fail "parallel: both requests are not sent first: $(cat "$FS_TMP/par.out")"
awk -v e="$(elapse par)" 'BEGIN { exit !(e >= 0.3 && e < 0.55) }' ||
	fs_fail "parallel hello took $(elapse par) s, not about 0.3"
fs_ok "parallel hello: Elapse $(elapse par) s"

cl_expect 0 seq hello -c "$CONF" --sequential
sed -n 3p "$FS_TMP/seq.out" | grep -q "^Received reply from tcp://127.0.0.1:$p: b'Hello'" ||
	fs_fail "sequential: the first reply does not come before the second request: $(cat "$FS_TMP/seq.out")"
awk -v e="$(elapse seq)" 'BEGIN { exit !(e >= 0.6 && e < 0.9) }' ||
	fs_fail "sequential hello took $(elapse seq) s, not about 0.6"
fs_ok "sequential hello: Elapse $(elapse seq) s"
