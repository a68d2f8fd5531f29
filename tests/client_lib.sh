# tests/client_lib.sh: helpers of the fake-client scenarios, sourced after
# tests/lib.sh and tests/servers_lib.sh.
CLIENT=$(fs_bin fake-client)
[ -x "$CLIENT" ] || fs_skip "fake-client is not built"

# cl_pipeline_conf PORT: the default config with costs of 3, 4 and 5 ms
# (ports PORT..PORT+2).
cl_pipeline_conf() {
	sv_conf <<EOF2
FakeSegmentation1:segmentation:$1:cost_ms = 3;
FakeSegmentation2:segmentation:$(($1 + 1)):cost_ms = 4;
FakeClassification:classification:$(($1 + 2)):cost_ms = 5; n_classes = 4; window = 16;
EOF2
}

# cl_up: start fake-servers on $CONF and wait until every worker is READY.
cl_up() {
	sv_start
	retry 10 sv_all READY || fs_fail "workers not READY: $(sv_states)"
}

# cl_py FILE 'python code': run code with d = the JSON in FILE.
cl_py() {
	f=$1; shift
	$PY -c "import json, sys
d = json.load(open(sys.argv[1]))
$1" "$f" || fs_fail "$f: check failed: $1"
}

# cl_client NAME ARGS...: run the client, output in $FS_TMP/NAME.out and
# .err; sets CL_RC.
cl_client() {
	n=$1; shift
	"$CLIENT" "$@" >"$FS_TMP/$n.out" 2>"$FS_TMP/$n.log"
	CL_RC=$?
}

# cl_expect RC NAME ARGS...: the client exits RC.
cl_expect() {
	want=$1; shift
	cl_client "$@"
	[ "$CL_RC" -eq "$want" ] || fs_fail "fake-client $* exits $CL_RC, not $want: $(cat "$FS_TMP/$1.log")"
}
