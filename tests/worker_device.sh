#!/bin/sh
# Two workers of 20 ms sharing a device (tests/device_fd makes it, as
# fake-servers would): with one slot, requests sent to both at once end
# 40 ms later, the second having queued for the first's cost; with two,
# 20 ms. A worker killed while it holds the device does not stall the
# other for longer than about one cost, and one waiting for the device
# still stops at once on SIGTERM.
. "$top_srcdir/tests/worker_lib.sh"
fs_need_python
bpeer() { "$PY" "$top_srcdir/tests/py/batch_peer.py" "$@"; }
DEVFD=$(fs_bin tests/device_fd)

# dev_pair NAME SLOTS COST_A COST_B: two workers on one device of SLOTS.
# Sets EP_A, EP_B, PID_A, PID_B.
dev_pair() {
	_p=$(fs_free_ports 2)
	EP_A=tcp://127.0.0.1:$_p EP_B=tcp://127.0.0.1:$((_p + 1))
	fs_spawn "$1" "$DEVFD" "$2" sh -c '
		"$0" --name "$1"A --kind echo --endpoint "$2" --cost-ms "$4" \
		    --device-fd 3 -vv & echo $! >"$6/$1.a"
		"$0" --name "$1"B --kind echo --endpoint "$3" --cost-ms "$5" \
		    --device-fd 3 -vv & echo $! >"$6/$1.b"
		wait' "$WORKER" "$1" "$EP_A" "$EP_B" "$3" "$4" "$FS_TMP"
	fs_wait_port "$_p"
	fs_wait_port $((_p + 1))
	PID_A=$(cat "$FS_TMP/$1.a") PID_B=$(cat "$FS_TMP/$1.b")
	FS_PIDS="$PID_A $PID_B $FS_PIDS"
}

dev_pair one 1 20 20
bpeer pair "$EP_A" "$EP_B" 20 1 || fs_fail "one slot"
dev_pair two 2 20 20
bpeer pair "$EP_A" "$EP_B" 20 2 || fs_fail "two slots"
fs_ok "one slot: 40 ms; two: 20 ms"

dev_pair kill 1 2000 20
bpeer killed "$EP_A" "$EP_B" "$PID_A" 20 || fs_fail "a holder killed"
fs_ok "a worker killed on the device stalls the other no longer"

dev_pair term 1 5000 20
bpeer queue "$EP_A" "$EP_B" || fs_fail "queueing for the device"
t0=$(date +%s%N)
kill -TERM "$PID_B"
retry 2 fs_gone "$PID_B" || fs_fail "SIGTERM did not end the wait for the device"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
grep -q "termB: Terminated, exiting" "$FS_TMP/term.log" ||
	fs_fail "no exit line: $(cat "$FS_TMP/term.log")"
fs_ok "SIGTERM ends a wait for the device ($ms ms)"
