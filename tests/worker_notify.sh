#!/bin/sh
# fake-worker tells $NOTIFY_SOCKET its state itself (sd_notify(3)'s
# protocol, no libsystemd): STATUS while it loads, READY=1 with its
# endpoint once it listens, STOPPING=1 on SIGTERM, each datagram from its
# own pid; to a path and to an abstract name. Without NOTIFY_SOCKET it
# runs as before, and it does not link libsystemd at all.
. "$top_srcdir/tests/worker_lib.sh"

notify_run() {	# ADDR: a worker told to stop once READY; its datagrams
	_port=$(fs_free_ports 1)
	"$PY" "$top_srcdir/tests/py/notify_peer.py" "$1" -- sh -c '
		"$0" --name N --kind echo --endpoint "tcp://127.0.0.1:$1" \
		    --cost-ms 1 --start-delay-ms 50 -q & w=$!
		i=0
		while ! kill -0 "$w" 2>/dev/null || ! ss -Hltn "sport = :$1" | grep -q .; do
			i=$((i + 1)); [ $i -lt 200 ] || break; sleep 0.02
		done
		kill -TERM "$w"; wait "$w"' "$WORKER" "$_port" >"$FS_TMP/notify.out" ||
		fs_fail "no datagram at $1: $(cat "$FS_TMP/notify.out")"
}

check_run() {	# ADDR
	notify_run "$1"
	out=$(cat "$FS_TMP/notify.out")
	sh_pid=$(sed -n 's/^child //p' "$FS_TMP/notify.out")
	# The worker is the shell's only child: its pid sent every datagram.
	pids=$(grep -v '^child' "$FS_TMP/notify.out" | cut -d: -f1 | sort -u)
	[ "$(echo "$pids" | wc -l)" -eq 1 ] && [ "$pids" != "$sh_pid" ] && [ "$pids" != "?" ] ||
		fs_fail "$1: datagrams not all from the worker's pid: $out"
	echo "$out" | grep -q ': STATUS=loading for 50 ms$' || fs_fail "$1: no loading STATUS: $out"
	echo "$out" | grep -q ": READY=1 STATUS=echo on tcp://127.0.0.1:[0-9]*, cost 1.000 ms$" ||
		fs_fail "$1: no READY=1 with its STATUS: $out"
	echo "$out" | grep -q ': STOPPING=1$' || fs_fail "$1: no STOPPING=1: $out"
	[ "$(grep -v '^child' "$FS_TMP/notify.out" | sed 's/^[0-9]*: //' | cut -c1-8 | xargs)" = "STATUS=l READY=1 STOPPING" ] ||
		fs_fail "$1: out of order: $out"
	fs_ok "$1: $(grep -v '^child' "$FS_TMP/notify.out" | cut -d' ' -f2 | xargs), from pid $pids"
}

fs_need_python
check_run "$FS_TMP/notify.sock"
check_run "@fs-notify-$$"

# Without NOTIFY_SOCKET: nothing to tell, and it serves as usual.
fw_start plain echo 1
peer hello "$FW_EP" 1 >/dev/null || fs_fail "no reply without NOTIFY_SOCKET"
fs_ok "no NOTIFY_SOCKET: serves"

if command -v readelf >/dev/null; then
	readelf -d "$WORKER" | grep -q 'NEEDED.*libsystemd' &&
		fs_fail "fake-worker links libsystemd"
	fs_ok "fake-worker links: $(readelf -d "$WORKER" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | xargs)"
fi
