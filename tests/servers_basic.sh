#!/bin/sh
# fake-servers basics: every worker READY and listening, the daemon without
# libzmq, the status table and its JSON, the control socket's mode, a
# SIGKILLed worker restarted with a new pid, control errors, and SIGTERM
# leaving no process and no port.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

p=$(fs_free_ports 4)
sv_conf <<EOF
Seg:segmentation:$p
Cls:classification:$((p + 1)):replicas = 2;
Echo:echo:$((p + 3))
EOF
sv_start
retry 10 sv_all READY || fs_fail "not all READY: $(sv_states)"
for i in 0 1 2 3; do fs_listening $((p + i)) || fs_fail "port $((p + i)) does not listen"; done
fs_ok "4 workers READY, ports $p..$((p + 3)) listen"

# The supervisor opens no ZeroMQ socket: it neither links nor maps libzmq
# (nor what libzmq brings: Kerberos, OpenPGM, NORM; libstdc++ too, but a
# sanitizer's runtime brings that one).
if command -v readelf >/dev/null; then
	needed=$(readelf -d "$SRV" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | xargs)
	case " $needed" in *" libzmq"*) fs_fail "fake-servers links libzmq: $needed";; esac
	fs_ok "fake-servers links: $needed"
	# Nor libm: the kinds' arithmetic stays in the worker (kind_compute.c).
	# A sanitizer build keeps code the link would drop, and may link it.
	case " $needed" in
	*" libasan"*|*" libubsan"*) ;;
	*" libm.so"*) fs_fail "fake-servers links libm: $needed";;
	*) fs_ok "fake-servers does not link libm" ;;
	esac
fi
grep -Eq 'libzmq|libgssapi|libpgm|libnorm' "/proc/$SV_PID/maps" &&
	fs_fail "fake-servers maps $(grep -Eo '/[^ ]*(libzmq|libgssapi|libpgm|libnorm)[^ ]*' "/proc/$SV_PID/maps" | sort -u | xargs)"
fs_ok "fake-servers maps none of libzmq, libgssapi, libpgm, libnorm"

out=$(sv_ctl status) || fs_fail "status failed"
for id in Seg Cls:0 Cls:1 Echo; do
	echo "$out" | grep -q "^$id .*READY" || fs_fail "no READY line for $id in: $out"
done
echo "$out" | grep -q "4/4 workers ready" || fs_fail "no summary in: $out"
sv_ctl -j status | $PY -c '
import json, sys
d = json.load(sys.stdin)
assert d["v"] == 1 and d["ok"] is True, d
ws = {w["id"]: w for w in d["workers"]}
assert sorted(ws) == ["Cls:0", "Cls:1", "Echo", "Seg"], ws
assert ws["Cls:1"]["endpoint"].endswith(":%d" % (int(sys.argv[1]) + 2)), ws["Cls:1"]
for w in ws.values():
    assert w["pid"] > 0 and w["restarts"] == 0 and w["uptime_s"] >= 0, w
' "$p" || fs_fail "status --json is not what it should be"
fs_ok "status table and --json"

mode=$(stat -c %a "$SOCK")
[ "$mode" = 600 ] || fs_fail "control socket mode is $mode, not 600"
fs_ok "control socket mode 0600"

# A worker killed by SIGKILL after a long time up comes back with a new pid.
old=$(sv_get Seg pid)
t0=$(date +%s%N)
kill -KILL "$old"
back() {
	new=$(sv_get Seg pid) && [ -n "$new" ] && [ "$new" != "$old" ] &&
		[ "$new" != 0 ] && sv_is Seg READY
}
retry 5 back || fs_fail "Seg was not restarted: $(sv_states)"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
new=$(sv_get Seg pid)
grep -q "Seg: killed by signal 9 (Killed)" "$SV_LOG" || fs_fail "the death of Seg was not logged"
[ "$(sv_get Seg restarts)" = 1 ] || fs_fail "restarts of Seg is not 1"
fs_ok "Seg killed (pid $old), READY again as pid $new within $ms ms"

# Errors: unknown worker, bad requests on the socket, daemon unharmed.
sv_ctl stop nosuch 2>"$FS_TMP/err"; rc=$?
[ $rc -eq 1 ] || fs_fail "stop of an unknown worker exits $rc, not 1"
grep -q "unknown worker 'nosuch'" "$FS_TMP/err" || fs_fail "no clear error: $(cat "$FS_TMP/err")"
sv_ctl frobnicate 2>/dev/null; rc=$?
[ $rc -eq 64 ] || fs_fail "an unknown command exits $rc, not 64"
$PY - "$SOCK" <<'PYEOF' || fs_fail "bad control requests were not answered with errors"
import json, socket, sys
bad = [b"", b"{", b"[]", b'{"cmd":"status"}', b'{"v":2,"cmd":"status"}',
       b'{"v":1,"cmd":"explode"}', b'{"v":1,"cmd":"stop"}', b'{"v":1}',
       b'{"v":1,"cmd":"start","name":7}', b"\xff\xfe", b"x" * 100000]
for req in bad:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    s.connect(sys.argv[1])
    if not req:
        s.close()
        continue
    s.send(req)
    r = json.loads(s.recv(1 << 20))
    assert r["v"] == 1 and r["ok"] is False and r["error"], (req[:40], r)
    print("ok:", req[:30], "->", r["error"])
    s.close()
PYEOF
sv_all READY || fs_fail "the daemon was disturbed by bad requests: $(sv_states)"
fs_ok "bad requests get error replies"

# Operator stop and start of one replica.
sv_ctl stop Cls:1 >/dev/null || fs_fail "stop Cls:1 failed"
retry 5 sv_is Cls:1 STOPPED || fs_fail "Cls:1 is not STOPPED"
retry 5 sh -c "! ss -Hltn 'sport = :$((p + 2))' | grep -q ." || fs_fail "port $((p + 2)) still listens"
sv_ctl start Cls >/dev/null || fs_fail "start Cls failed"
retry 5 sv_all READY || fs_fail "not all READY after start: $(sv_states)"
old=$(sv_get Echo pid)
sv_ctl restart Echo >/dev/null || fs_fail "restart Echo failed"
restarted() { new=$(sv_get Echo pid) && [ "$new" != "$old" ] && sv_is Echo READY; }
retry 5 restarted || fs_fail "Echo was not restarted: $(sv_states)"
fs_gone "$old" || fs_fail "the old Echo ($old) is still running"
fs_ok "stop and start of a replica, restart of a worker"

# SIGTERM: every worker gone, every port free, exit 0.
kids=$(sv_children)
[ -n "$kids" ] || fs_fail "no worker processes found"
kill -TERM "$SV_PID"
retry 5 fs_gone "$SV_PID" || fs_fail "fake-servers did not exit on SIGTERM"
wait "$SV_PID"; rc=$?
[ $rc -eq 0 ] || fs_fail "fake-servers exited $rc on SIGTERM"
for k in $kids; do fs_gone "$k" || fs_fail "worker $k is still running"; done
for i in 0 1 2 3; do fs_listening $((p + i)) && fs_fail "port $((p + i)) still listens"; done
[ -e "$SOCK" ] && fs_fail "the control socket was left behind"
sv_ctl status 2>"$FS_TMP/err"; rc=$?
[ $rc -eq 69 ] || fs_fail "status without a daemon exits $rc, not 69"
grep -q "is fake-servers running" "$FS_TMP/err" || fs_fail "unclear error: $(cat "$FS_TMP/err")"
fs_ok "SIGTERM: exit 0, workers ($kids) gone, ports free"
