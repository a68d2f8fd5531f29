#!/bin/sh
# fake-serversctl against fake-servers: a -c file that is missing or wrong
# is reported as file:line with exit 78 (not a fallback socket); stop of a
# stopped worker and start of a running one say "already"; the status
# table keeps its columns with long ipc endpoints; the ipc socket files are
# gone after a clean shutdown. As a user, a control socket directory that
# cannot be created suggests -s.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

# -c FILE: its problems, exit 78.
ctl_conf() {
	rc=0
	"$CTL" -c "$1" status >"$FS_TMP/out" 2>&1 || rc=$?
	[ $rc -eq 78 ] || fs_fail "-c $1: exit $rc, not 78: $(cat "$FS_TMP/out")"
	grep -q "^$2" "$FS_TMP/out" || fs_fail "-c $1: $(cat "$FS_TMP/out")"
	grep -q "is fake-servers running" "$FS_TMP/out" && fs_fail "-c $1 fell back to a socket"
	echo "-c $1: $(head -1 "$FS_TMP/out")"
}
ctl_conf "$FS_TMP/nosuch.conf" "$FS_TMP/nosuch.conf: cannot read: No such file or directory"
printf 'control = "%s";\nworkers = ( { name = "x"; kind = "nope"; port = 1; cost_ms = 1; } );\n' \
	"$SOCK" >"$FS_TMP/bad.conf"
ctl_conf "$FS_TMP/bad.conf" "$FS_TMP/bad.conf:2: worker 'x': unknown kind 'nope'"
fs_ok "-c with a missing or bad file: file:line, exit 78"

# Workers on ipc endpoints under a long directory name.
IPC=$FS_TMP/a-rather-long-directory-name-for-the-ipc-sockets
mkdir "$IPC"
SV_GLOBAL="ipc_dir = \"$IPC\";"
sv_conf <<EOF
Seg:segmentation:1:transport = "ipc";
Cls:classification:1:transport = "ipc"; replicas = 2;
EOF
sv_start
retry 10 sv_all READY || fs_fail "not READY: $(sv_states)"

sv_ctl status >"$FS_TMP/status"
# Every line's columns start (text) or end (numbers) where the header's do.
$PY - "$FS_TMP/status" <<'PYEOF' || fs_fail "status columns: $(cat "$FS_TMP/status")"
import sys
lines = open(sys.argv[1]).read().splitlines()
head = lines[0]
left = [head.index(c) for c in ("KIND", "ENDPOINT", "STATE")]
right = [head.index(c) + len(c) for c in ("COST_MS", "RESTARTS")]
for l in lines[1:-1]:
    for s in left:
        assert l[s - 1] == " " and l[s] != " ", (s, l)
    for e in right:
        assert l[e - 1] != " " and l[e] == " ", (e, l)
print("columns at", left, right)
PYEOF
fs_ok "status keeps its columns with $(grep -c ipc:// "$FS_TMP/status") long endpoints"

sv_ctl stop Seg >"$FS_TMP/out" || fs_fail "stop Seg failed"
[ "$(cat "$FS_TMP/out")" = "Seg: stop" ] || fs_fail "stop Seg says: $(cat "$FS_TMP/out")"
retry 5 sv_is Seg STOPPED || fs_fail "Seg is not STOPPED: $(sv_states)"
sv_ctl stop Seg >"$FS_TMP/out" || fs_fail "a second stop of Seg failed"
[ "$(cat "$FS_TMP/out")" = "Seg: already stopped" ] || fs_fail "a second stop says: $(cat "$FS_TMP/out")"
sv_ctl start Cls >"$FS_TMP/out" || fs_fail "start Cls failed"
[ "$(cat "$FS_TMP/out" | xargs)" = "Cls:0: already running Cls:1: already running" ] ||
	fs_fail "start of running workers says: $(cat "$FS_TMP/out")"
sv_ctl -j stop all | $PY -c '
import json, sys
o = json.load(sys.stdin)
assert o["workers"] == ["Seg", "Cls:0", "Cls:1"] and o["already"] == ["Seg"], o' ||
	fs_fail "stop all: not the expected JSON"
retry 5 sv_all STOPPED || fs_fail "not all STOPPED: $(sv_states)"
sv_ctl start all >/dev/null && retry 10 sv_all READY || fs_fail "not READY again: $(sv_states)"
fs_ok "stop of a stopped worker, start of running ones: already stopped, already running"

ls "$IPC"/*.sock >/dev/null 2>&1 || fs_fail "no ipc socket files in $IPC"
kill -TERM "$SV_PID"
retry 10 fs_gone "$SV_PID" || fs_fail "the daemon did not stop"
left=$(ls "$IPC")
[ -z "$left" ] || fs_fail "left in $IPC: $left"
fs_ok "no ipc socket file left after a clean shutdown"

# As a user who may not create the control socket's directory.
chmod 0711 "$FS_TMP"
cp "$SRV" "$WORKER" "$FS_TMP/" && chmod 0755 "$FS_TMP/fake-servers" "$FS_TMP/fake-worker"
chmod 0644 "$CONF"
sed -i "s|^control = \"[^\"]*\";|control = \"$FS_TMP/no/control.sock\";|" "$CONF"
rc=0
setpriv --reuid=nobody --regid=nogroup --clear-groups "$FS_TMP/fake-servers" -c "$CONF" \
	>"$FS_TMP/out" 2>&1 || rc=$?
[ $rc -eq 1 ] || fs_fail "as nobody: exit $rc: $(cat "$FS_TMP/out")"
grep -q "^fake-servers: cannot create directory $FS_TMP/no: Permission denied (-s SOCKET puts the control socket where you may write)\$" \
	"$FS_TMP/out" || fs_fail "as nobody: $(cat "$FS_TMP/out")"
fs_ok "as nobody: $(cat "$FS_TMP/out")"
