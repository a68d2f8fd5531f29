# tests/worker_lib.sh: what the fake-worker scenarios share; sourced.
. "$top_srcdir/tests/lib.sh"

WORKER=$(fs_bin fake-worker)
[ -x "$WORKER" ] || fs_fail "$WORKER is not built"
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE

# Run the Python peer (tests/py/worker_peer.py) with the given subcommand.
peer() { "$PY" "$top_srcdir/tests/py/worker_peer.py" "$@"; }

# fw_start NAME KIND COST_MS [OPTION...]: start a worker on a free TCP port
# and wait until it listens. Sets FW_EP (its endpoint) and FW_PID.
fw_start() {
	_name=$1 _kind=$2 _cost=$3
	shift 3
	_port=$(fs_free_ports 1)
	FW_EP=tcp://127.0.0.1:$_port
	fs_spawn "$_name" "$WORKER" --name "$_name" --kind "$_kind" \
	    --endpoint "$FW_EP" --cost-ms "$_cost" -vv "$@"
	FW_PID=$FS_LASTPID
	fs_wait_port "$_port"
}

# fw_exit PID: wait for a worker to exit. Sets FW_RC (its exit status) and
# FW_MS (milliseconds waited).
fw_exit() {
	_t0=$(date +%s%N)
	wait "$1"
	FW_RC=$?
	FW_MS=$(( ($(date +%s%N) - _t0) / 1000000 ))
}
