#!/bin/sh
# Each kind gives the same output for the same frames whether they come in
# the message over tcp or through shared memory over ipc, with requests
# and replies over ZeroMQ or through a lane, including windows that wrap
# around the ring and outputs written to output slots.
. "$top_srcdir/tests/shm_lib.sh"

port=$(fs_free_ports 1)
check() {	# KIND PEER-OPTIONS... (after -k KIND)
	kind=$1
	shift
	"$PEER" -m inline -k "$kind" "$@" "tcp://127.0.0.1:$port" \
	    >"$FS_TMP/tcp.out" 2>"$FS_TMP/tcp.log" ||
		fs_fail "$kind $*: over tcp: $(tail -3 "$FS_TMP/tcp.log")"
	"$PEER" -m shm -k "$kind" "$@" "ipc://$FS_TMP/w.sock" \
	    >"$FS_TMP/shm.out" 2>"$FS_TMP/shm.log" ||
		fs_fail "$kind $*: over shm: $(tail -3 "$FS_TMP/shm.log")"
	[ -s "$FS_TMP/tcp.out" ] || fs_fail "$kind $*: no output"
	cmp -s "$FS_TMP/tcp.out" "$FS_TMP/shm.out" ||
		fs_fail "$kind $*: outputs differ: $(diff "$FS_TMP/tcp.out" \
		    "$FS_TMP/shm.out" | head -5)"
	grep -q WRONG "$FS_TMP/shm.out" && fs_fail "$kind $*: a bad output"
	"$PEER" -m lane -k "$kind" "$@" "ipc://$FS_TMP/w.sock" \
	    >"$FS_TMP/lane.out" 2>"$FS_TMP/lane.log" ||
		fs_fail "$kind $*: through a lane: $(tail -3 "$FS_TMP/lane.log")"
	cmp -s "$FS_TMP/tcp.out" "$FS_TMP/lane.out" ||
		fs_fail "$kind $*: outputs through the lane differ: $(diff \
		    "$FS_TMP/tcp.out" "$FS_TMP/lane.out" | head -5)"
	# All but the first request, which opens the lane over ZeroMQ.
	[ "$(grep -c 'by lane$' "$FS_TMP/lane.log")" -eq \
	    "$(($(wc -l <"$FS_TMP/lane.out") - 1))" ] ||
		fs_fail "$kind $*: $(grep -c 'by lane$' "$FS_TMP/lane.log") of $(wc -l <"$FS_TMP/lane.out") requests went through the lane"
	fs_ok "$kind $*: $(wc -l <"$FS_TMP/shm.out") outputs identical, over ZeroMQ and through a lane"
}
stop() { kill "$TCP_PID" "$SW_PID"; wait "$TCP_PID" "$SW_PID" 2>/dev/null; }

sw_start tcp segmentation "tcp://127.0.0.1:$port"; TCP_PID=$SW_PID
sw_start shm segmentation "ipc://$FS_TMP/w.sock"
check segmentation -w 800 -H 600 -f 40
grep -q 'via shm' "$FS_TMP/shm.log" || fs_fail "no output came in a slot"
check segmentation -w 64 -H 48 -c 1 -n 3 -f 30
stop

sw_start tcp segmentation "tcp://127.0.0.1:$port" -o float64; TCP_PID=$SW_PID
sw_start shm segmentation "ipc://$FS_TMP/w.sock" -o float64
check segmentation -w 160 -H 120 -n 2 -f 40
stop

sw_start tcp classification "tcp://127.0.0.1:$port" --n-classes 7; TCP_PID=$SW_PID
sw_start shm classification "ipc://$FS_TMP/w.sock" --n-classes 7
check classification -w 800 -H 600 -n 16 -f 60
stop

sw_start tcp echo "tcp://127.0.0.1:$port"; TCP_PID=$SW_PID
sw_start shm echo "ipc://$FS_TMP/w.sock"
check echo -w 320 -H 240 -n 5 -f 40
grep -q 'via shm' "$FS_TMP/shm.log" || fs_fail "no echo came in a slot"
check echo -w 8 -H 8 -n 1 -f 5
stop
