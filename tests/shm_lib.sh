# tests/shm_lib.sh: what the shared-memory scenarios share; sourced.
. "$top_srcdir/tests/lib.sh"

WORKER=$(fs_bin fake-worker)
PEER=$(fs_bin tests/shm_peer)
[ -x "$WORKER" ] || fs_fail "$WORKER is not built"
[ -x "$PEER" ] || fs_fail "$PEER is not built"
[ -d /dev/shm ] && [ -w /dev/shm ] || fs_skip "no writable /dev/shm"

# sw_start NAME KIND ENDPOINT [OPTION...]: start a worker, wait until it
# listens (tcp://127.0.0.1:PORT or ipc://PATH).
sw_start() {
	_n=$1 _k=$2 _e=$3
	shift 3
	fs_spawn "$_n" "$WORKER" --name "$_n" --kind "$_k" --endpoint "$_e" \
	    --cost-ms 1 -vv "$@"
	SW_PID=$FS_LASTPID
	case $_e in
	tcp://*) fs_wait_port "${_e##*:}" ;;
	ipc://*) retry 10 test -S "${_e#ipc://}" ||
	    fs_fail "$_n: ${_e#ipc://} is not bound" ;;
	esac
}

# Rings in /dev/shm created by process PID.
sw_rings() { ls /dev/shm 2>/dev/null | grep -c "^fake-servers-[0-9]*-$1-[0-9]*\$"; }
# The lane pipes (doc/shm.md) a client made: two per endpoint.
sw_lanes() { ls /dev/shm 2>/dev/null | grep -c "^fake-servers-[0-9]*-$1-[0-9]*\.[0-9]*\.re[qp]\$"; }
