# tests/lib.sh: helpers for the shell scenarios, sourced by each tests/*.sh.
#
# Each scenario runs in its own temporary directory, on its own free ports,
# waits with retry loops rather than sleeps, and is torn down by a trap that
# kills everything it started (fs_spawn) and removes the directory.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
PY=/usr/bin/python3

FS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/fs-test.XXXXXX")
FS_PIDS=
FS_CLEANUP=

fs_teardown() {
	rc=$?
	set +e
	for c in $FS_CLEANUP; do "$c"; done
	for p in $FS_PIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $FS_PIDS; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.02; i=$((i + 1))
		done
		kill -KILL "$p" 2>/dev/null
	done
	if [ $rc -ne 0 ] && [ $rc -ne 77 ] && [ -z "${FS_KEEP:-}" ]; then
		for f in "$FS_TMP"/*.log; do
			[ -f "$f" ] || continue
			echo "---- $f (last 30 lines)"; tail -30 "$f"
		done
	fi
	[ -n "${FS_KEEP:-}" ] && echo "kept $FS_TMP" || rm -rf "$FS_TMP"
	exit $rc
}
trap fs_teardown EXIT
trap 'exit 130' INT TERM

# Run a command after the others at teardown (a function name).
fs_on_exit() { FS_CLEANUP="$1 $FS_CLEANUP"; }

fs_skip() { echo "SKIP: $*" >&2; exit 77; }
fs_fail() { echo "FAIL: $*" >&2; exit 1; }
fs_ok()   { echo "ok: $*"; }

# The path of a built program.
fs_bin() { echo "$top_builddir/$1"; }

# Start a command in the background, logging to $FS_TMP/NAME.log; it is
# killed at teardown. Sets FS_LASTPID.
fs_spawn() {
	name=$1; shift
	"$@" >"$FS_TMP/$name.log" 2>&1 &
	FS_LASTPID=$!
	FS_PIDS="$FS_PIDS $FS_LASTPID"
}

# retry SECONDS CMD...: run CMD every 20 ms until it succeeds; 1 on timeout.
retry() {
	_deadline=$(( $(date +%s%N) + $(echo "$1" | awk '{printf "%.0f", $1 * 1e9}') ))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(date +%s%N)" -lt "$_deadline" ] || return 1
		sleep 0.02
	done
}

# Is a TCP port listening on this host?
fs_listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# Is any TCP socket (listening or connected) using a local port?
fs_port_used() { ss -Hatn "sport = :$1" 2>/dev/null | grep -q .; }

# fs_free_ports N: print the first of N consecutive free TCP ports, chosen
# below the kernel's ephemeral range so that no outgoing connection can
# take one between this check and the bind.
fs_free_ports() {
	n=${1:-1}
	low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	[ -n "$low" ] && [ "$low" -gt 12000 ] || low=32768
	span=$((low - 10000 - n))
	while :; do
		base=$(( ($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % span) + 10000 ))
		ok=1 i=0
		while [ $i -lt "$n" ]; do
			if fs_port_used $((base + i)); then ok=0; break; fi
			i=$((i + 1))
		done
		[ $ok -eq 1 ] && { echo "$base"; return 0; }
	done
}

fs_wait_port() { retry "${2:-10}" fs_listening "$1" || fs_fail "port $1 is not listening after ${2:-10} s"; }

# Is a process gone (or a zombie)?
fs_gone() { st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null); [ -z "$st" ] || [ "$st" = Z ]; }

fs_need_python() {
	$PY -c 'import zmq, numpy' 2>/dev/null ||
		fs_skip "Debian's python3-zmq and python3-numpy are not installed (/usr/bin/python3)"
}
