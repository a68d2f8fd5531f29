#!/bin/sh
# A shared device under the supervisor. The daemon makes each device's
# file once (a memfd) and gives it to every worker that names it as
# --device-fd N: the workers on gpu0 hold the same file, the one on gpu1
# another, a worker restarted gets the same file again, and a worker's
# batch group is passed as its --batch-* options. A reload that adds a
# device and a worker naming it starts that worker with its file; one
# that changes a device's slots is refused, saying so. Then, with
# fake-worker's side of the device: two segmentation workers of 20 ms on
# one slot make an evaluation of about 40 ms, on two slots about 20 ms.
# A worker with a batch group gets READY with its options. fake-serversctl
# -j status shows each worker's device and batch max.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

p=$(fs_free_ports 5)
SV_GLOBAL='devices = ( { name = "gpu0"; slots = 1; }, { name = "gpu1"; slots = 2; } );'
WORKERS="A:segmentation:$p:cost_ms = 20; device = \"gpu0\";
B:segmentation:$((p + 1)):cost_ms = 20; device = \"gpu0\"; batch = { max = 8; preferred = [4, 8]; max_queue_delay_us = 2000; queue_max = 64; cost_per_item_ms = 1.5; };
C:segmentation:$((p + 2)):cost_ms = 20; device = \"gpu1\";
D:segmentation:$((p + 3)):cost_ms = 20;"
echo "$WORKERS" | sv_conf

# A stand-in worker that keeps what it was given: its argv in argv.PID,
# then it sleeps holding its descriptors (never READY: the start timeout
# restarts it, as a crash would).
STUB=$FS_TMP/stub-worker
cat >"$STUB" <<EOF2
#!/bin/sh
echo "\$*" >"$FS_TMP/argv.\$\$"
exec sleep 30
EOF2
chmod +x "$STUB"
SV_WORKER=$STUB
sv_start

# dev_of ID: the device file worker ID holds as its --device-fd (its
# inode), "none" without one; fails until the worker recorded its argv.
dev_of() {
	_pid=$(sv_get "$1" pid) && [ -n "$_pid" ] && [ "$_pid" != 0 ] &&
		[ -s "$FS_TMP/argv.$_pid" ] || return 1
	_fd=$(sed -n 's/.*--device-fd \([0-9]*\).*/\1/p' "$FS_TMP/argv.$_pid")
	if [ -z "$_fd" ]; then
		echo none
		return 0
	fi
	_link=$(readlink "/proc/$_pid/fd/$_fd") || return 1
	case $_link in
	/memfd:*) ;;
	*) echo "fd $_fd of $1 is $_link, not a memfd" >&2; return 1 ;;
	esac
	stat -L -c %i "/proc/$_pid/fd/$_fd"
}

for w in A B C D; do
	retry 10 dev_of $w || fs_fail "$w: no argv or device: $(sv_states)"
done
a=$(dev_of A) b=$(dev_of B) c=$(dev_of C) d=$(dev_of D)
[ "$a" = "$b" ] || fs_fail "A and B name gpu0 but hold files $a and $b"
[ "$c" != "$a" ] && [ "$c" != none ] ||
	fs_fail "C names gpu1 but holds file $c (gpu0's is $a)"
[ "$d" = none ] || fs_fail "D names no device but holds file $d"
fs_ok "A and B hold gpu0's memfd (inode $a), C gpu1's ($c), D none"
[ "$(sv_get A device)" = gpu0 ] && [ "$(sv_get D device)" = "" ] &&
	[ "$(sv_get B batch_max)" = 8 ] && [ "$(sv_get A batch_max)" = 0 ] ||
	fs_fail "status -j: $(sv_ctl -j status)"
fs_ok "status -j: A's device gpu0, D's none; B's batch_max 8, A's 0"

argv=$(cat "$FS_TMP/argv.$(sv_get B pid)")
case $argv in
*"--batch-max 8 --batch-preferred 4,8 --batch-max-queue-delay-us 2000 --batch-queue-max 64 --batch-cost-per-item-ms 1.5"*) ;;
*) fs_fail "B's argv: $argv" ;;
esac
case $(cat "$FS_TMP/argv.$(sv_get A pid)") in
*--batch-*) fs_fail "A has no batch group but: $(cat "$FS_TMP/argv.$(sv_get A pid)")" ;;
esac
fs_ok "B started with its batch group's options, A without"

# The stand-ins never say READY: the start timeout restarts them.
pid=$(sv_get A pid)
a_restarted() { [ "$(sv_get A pid)" != "$pid" ] && dev_of A >/dev/null; }
retry 15 a_restarted || fs_fail "A was not restarted: $(sv_states)"
[ "$(dev_of A)" = "$a" ] || fs_fail "A restarted holds $(dev_of A), not gpu0's $a"
fs_ok "A restarted (pid $pid -> $(sv_get A pid)) holds the same gpu0"

# A reload adding gpu2 and a worker on it; then one changing gpu0's slots.
SV_GLOBAL='devices = ( { name = "gpu0"; slots = 1; }, { name = "gpu1"; slots = 2; }, { name = "gpu2"; slots = 4; } );'
printf '%s\nE:segmentation:%d:cost_ms = 20; device = "gpu2";\n' \
	"$WORKERS" "$((p + 4))" | sv_conf
sv_ctl reload >"$FS_TMP/reload.out" 2>&1 ||
	fs_fail "reload adding gpu2: $(cat "$FS_TMP/reload.out")"
retry 10 dev_of E || fs_fail "E: no argv or device: $(sv_states)"
e=$(dev_of E)
[ "$e" != none ] && [ "$e" != "$a" ] && [ "$e" != "$c" ] ||
	fs_fail "E names the new gpu2 but holds $e"
fs_ok "a reload adding gpu2 and E on it: E holds a new memfd ($e)"

sed 's/name = "gpu0"; slots = 1;/name = "gpu0"; slots = 2;/' "$CONF" >"$FS_TMP/c" &&
	mv "$FS_TMP/c" "$CONF"
if sv_ctl reload >"$FS_TMP/reload.out" 2>&1; then
	fs_fail "a reload changing gpu0's slots was accepted"
fi
grep -q "devices cannot change on reload: restart the daemon" \
	"$FS_TMP/reload.out" || fs_fail "reload: $(cat "$FS_TMP/reload.out")"
fs_ok "a reload changing gpu0's slots is refused: $(cat "$FS_TMP/reload.out")"
kill "$SV_PID"
retry 10 fs_gone "$SV_PID" || fs_fail "fake-servers did not stop"

# End to end: only with fake-worker's side of the device.
"$WORKER" -h 2>&1 | grep -q -- --device-fd ||
	fs_skip "fake-worker has no --device-fd yet: the evaluations on a shared device are not measured"

# dev_run NAME PORT: 40 frames, one at a time, against the two workers at
# PORT and PORT + 1; the evaluations' median latency in ms.
dev_run() {
	cl_expect 0 "$1" run --no-config -e "x=tcp://127.0.0.1:$2" \
	    -e "y=tcp://127.0.0.1:$(($2 + 1))" -n 40 --fps 0 --width 8 \
	    --height 8 -q --json "$FS_TMP/$1.json"
	$PY -c "import json, sys
d = json.load(open(sys.argv[1]))
assert d['ok'] == 40, d['ok']
print('%.1f' % (d['latency_us']['p50'] / 1000))" "$FS_TMP/$1.json" ||
		fs_fail "$1: $(cat "$FS_TMP/$1.log")"
}

SV_GLOBAL='devices = ( { name = "one"; slots = 1; }, { name = "two"; slots = 2; } );'
sv_conf <<EOF2
A:segmentation:$p:cost_ms = 20; device = "one";
B:segmentation:$((p + 1)):cost_ms = 20; device = "one";
C:segmentation:$((p + 2)):cost_ms = 20; device = "two";
D:segmentation:$((p + 3)):cost_ms = 20; device = "two";
E:echo:$((p + 4)):batch = { max = 8; preferred = [4, 8]; max_queue_delay_us = 2000; queue_max = 64; cost_per_item_ms = 1.5; };
EOF2
SV_WORKER=
cl_up	# E too: fake-worker takes the batch group's options
one=$(dev_run one "$p")
two=$(dev_run two "$((p + 2))")
echo "median latency: one slot $one ms, two slots $two ms"
awk -v v="$one" 'BEGIN { exit !(v >= 32 && v <= 60) }' ||
	fs_fail "two 20 ms workers on one slot: $one ms, not about 40"
awk -v v="$two" 'BEGIN { exit !(v >= 16 && v <= 30) }' ||
	fs_fail "two 20 ms workers on two slots: $two ms, not about 20"
fs_ok "two 20 ms workers: $one ms on one slot, $two ms on two"
