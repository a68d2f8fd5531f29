# tests/servers_lib.sh: helpers of the fake-servers scenarios (sourced after
# tests/lib.sh): a generated config with its own control socket under
# $FS_TMP, starting the daemon, and reading `fake-serversctl -j status`.
SRV=$(fs_bin fake-servers)
CTL=$(fs_bin fake-serversctl)
WORKER=$(fs_bin fake-worker)
[ -x "$SRV" ] && [ -x "$CTL" ] || fs_skip "fake-servers is not built"
[ -x "$WORKER" ] || fs_skip "fake-worker is not built"
[ -x "$PY" ] || fs_skip "$PY is not installed"
SOCK=$FS_TMP/run/control.sock
CONF=$FS_TMP/fake-servers.conf
SV_LOG=$FS_TMP/servers.log

# sv_conf [FILE] <<EOF workers EOF: a config with a quick restart policy
# (the workers' list, "name:kind:port[:extra keys]" per line, on stdin;
# more top-level settings in $SV_GLOBAL).
sv_conf() {
	file=${1:-$CONF}
	{
		echo "control = \"$SOCK\"; ${SV_GLOBAL:-}"
		echo "restart = { backoff_min_ms = 50; backoff_max_ms = 400;" \
			"burst = 4; interval_s = 30; min_uptime_ms = 300;" \
			"start_timeout_ms = 3000; stop_timeout_ms = 1000; };"
		echo "workers = ("
		sep=
		while IFS=: read -r name kind port extra; do
			[ -n "$name" ] || continue
			case $extra in *cost_ms*) ;; *) extra="cost_ms = 1; $extra" ;; esac
			printf '%s  { name = "%s"; kind = "%s"; port = %s; %s }\n' \
				"$sep" "$name" "$kind" "$port" "$extra"
			sep=,
		done
		echo ");"
	} >"$file"
}

sv_ctl() { "$CTL" -s "$SOCK" "$@"; }

# sv_start [options]: start the daemon on $CONF and wait for its socket.
sv_start() {
	fs_spawn servers "$SRV" -c "$CONF" -s "$SOCK" --worker "${SV_WORKER:-$WORKER}" "$@"
	SV_PID=$FS_LASTPID
	retry 10 sv_ctl status || fs_fail "fake-servers did not answer on $SOCK"
}

# sv_get ID FIELD: one field of one worker from the JSON status.
sv_get() {
	sv_ctl -j status | $PY -c '
import json, sys
for w in json.load(sys.stdin)["workers"]:
    if w["id"] == sys.argv[1]:
        v = w[sys.argv[2]]
        print("" if v is None else v)
        sys.exit(0)
sys.exit(1)' "$1" "$2"
}

# sv_states: "ID=STATE ..." of every worker, sorted.
sv_states() {
	sv_ctl -j status | $PY -c '
import json, sys
print(" ".join(sorted("%s=%s" % (w["id"], w["state"]) for w in json.load(sys.stdin)["workers"])))'
}

# sv_all STATE: are all workers (and at least one) in STATE?
sv_all() {
	s=$(sv_states) || return 1
	[ -n "$s" ] && [ -z "$(echo "$s" | tr ' ' '\n' | grep -v "=$1\$")" ]
}

sv_is() { [ "$(sv_get "$1" state)" = "$2" ]; }

# The pids of the processes whose parent is the daemon.
sv_children() { pgrep -P "$SV_PID" | sort -n | xargs; }
