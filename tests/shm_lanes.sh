#!/bin/sh
# Lanes (doc/shm.md): what is not a request of a lane gets an error reply
# through it, a malformed message nothing, and the worker keeps serving;
# a worker killed mid-run sends the client's requests back to ZeroMQ, and
# its successor's lanes carry the next run's.
. "$top_srcdir/tests/shm_lib.sh"

sw_start w segmentation "ipc://$FS_TMP/w.sock"
"$PEER" -m lanebad -w 64 -H 48 -f 4 "ipc://$FS_TMP/w.sock" \
    >"$FS_TMP/bad.out" 2>"$FS_TMP/bad.log" ||
	fs_fail "bad lane messages: $(tail -5 "$FS_TMP/bad.out") $(tail -3 "$FS_TMP/bad.log")"
grep -q '^10 of 10 bad requests refused' "$FS_TMP/bad.out" ||
	fs_fail "not every bad request through the lane got its error: $(cat "$FS_TMP/bad.out")"
grep -q 'slot 999999 is out of range' "$FS_TMP/bad.out" ||
	fs_fail "the ring's own checks did not answer through the lane"
kill -0 "$SW_PID" || fs_fail "the worker died"
grep -q 'do not fit' "$FS_TMP/w.log" ||
	fs_fail "the worker did not log the malformed lane message"
fs_ok "bad lane messages: errors through the lane, malformed ones dropped and logged, the worker serves"
kill "$SW_PID"; wait "$SW_PID" 2>/dev/null

# Under the supervisor: a worker killed in the middle of a run.
SERVERS=$(fs_bin fake-servers)
CTL=$(fs_bin fake-serversctl)
CLIENT=$(fs_bin fake-client)
cat >"$FS_TMP/c.conf" <<EOC
control = "$FS_TMP/ctl.sock"; ipc_dir = "$FS_TMP";
workers = (
 { name = "Seg"; kind = "segmentation"; port = 1; cost_ms = 5; transport = "shm"; },
 { name = "Cls"; kind = "classification"; port = 2; cost_ms = 8; window = 4; transport = "shm"; }
);
EOC
fs_spawn servers "$SERVERS" -c "$FS_TMP/c.conf" -s "$FS_TMP/ctl.sock" \
    --worker "$WORKER"
ready() { [ "$("$CTL" -s "$FS_TMP/ctl.sock" status 2>/dev/null | grep -cw READY)" -eq 2 ]; }
retry 10 ready || fs_fail "workers not ready: $(cat "$FS_TMP/servers.log")"
pid_of() { "$CTL" -s "$FS_TMP/ctl.sock" status 2>/dev/null | awk -v n="$1" '$1 == n { print $6 }'; }
cls=$(pid_of Cls)
fs_spawn client "$CLIENT" -c "$FS_TMP/c.conf" --frames 400 --fps 0 \
    --timeout-ms 300 --json "$FS_TMP/run1.json"
c1=$FS_LASTPID
# Kill Cls in the middle of the run: once it has served some of its
# requests (its counters, from the daemon), while the client still runs.
served() { "$CTL" -s "$FS_TMP/ctl.sock" stats 2>/dev/null | awk '$1 == "Cls" { print $3 }'; }
busy() { [ "$(served)" -ge 20 ] 2>/dev/null; }
retry 20 busy || fs_fail "Cls served nothing: $(tail -5 "$FS_TMP/client.log")"
kill -0 "$c1" 2>/dev/null || fs_fail "the client finished before the kill"
kill -KILL "$cls"
retry 20 fs_gone "$c1" || fs_fail "the client did not finish after a worker was killed"
wait "$c1" 2>/dev/null
[ -s "$FS_TMP/run1.json" ] || fs_fail "no report: $(tail -5 "$FS_TMP/client.log")"
/usr/bin/python3 - "$FS_TMP/run1.json" <<'EOP' || fs_fail "first run: $(tail -5 "$FS_TMP/client.log")"
import json, sys
d = json.load(open(sys.argv[1]))
w = {x["name"]: x for x in d["workers"]}
assert d["ok"] + d["timeout"] + d["error"] == d["evaluations"], d
# The request Cls held when it died is lost, or sent again over ZeroMQ to
# its new process in time: either way every evaluation is accounted for,
# and Cls's requests after the kill left its lane.
assert d["ok"] > 0, (d["ok"], d["timeout"], d["error"])
assert w["Cls"]["requests_by_lane"] <= d["evaluations"] - 2, w["Cls"]
assert w["Seg"]["requests_by_lane"] >= d["evaluations"] - 2, w["Seg"]
print("first run: %d ok, %d timeout, %d error; Cls by lane %d" % (d["ok"], d["timeout"], d["error"], w["Cls"]["requests_by_lane"]))
EOP
retry 10 ready || fs_fail "the killed worker was not restarted"
[ "$(pid_of Cls)" != "$cls" ] || fs_fail "Cls has its old pid"
"$CLIENT" -c "$FS_TMP/c.conf" --frames 40 --fps 0 --json "$FS_TMP/run2.json" \
    >"$FS_TMP/run2.out" 2>&1 || fs_fail "second run: $(tail -5 "$FS_TMP/run2.out")"
/usr/bin/python3 - "$FS_TMP/run2.json" <<'EOP' || fs_fail "second run: $(cat "$FS_TMP/run2.out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] == d["evaluations"], d
for w in d["workers"]:
    assert w["requests_by_lane"] == d["evaluations"] - 1, w
EOP
fs_ok "a worker killed mid-run: the run goes on over ZeroMQ, the next one through the restarted worker's lanes"

# A reply too large for a lane message (a mask of 4032 bytes, inline):
# the worker says so through the lane, and the client sends that request,
# and the next ones to that worker, over ZeroMQ.
cat >"$FS_TMP/e.conf" <<EOC
control = "$FS_TMP/ctl2.sock"; ipc_dir = "$FS_TMP";
workers = ( { name = "Mask"; kind = "segmentation"; port = 3; cost_ms = 2; transport = "shm"; } );
EOC
fs_spawn mask "$WORKER" --name Mask --kind segmentation --endpoint "ipc://$FS_TMP/Mask.0.sock" --cost-ms 2
retry 10 test -S "$FS_TMP/Mask.0.sock" || fs_fail "the worker is not bound"
"$CLIENT" -c "$FS_TMP/e.conf" --frames 20 --fps 0 --width 64 --height 63 \
    --json "$FS_TMP/echo.json" >"$FS_TMP/echo.out" 2>&1 ||
	fs_fail "mask run: $(tail -5 "$FS_TMP/echo.out")"
grep -q 'does not fit a lane message.*its requests go over ZeroMQ' "$FS_TMP/echo.out" ||
	fs_fail "no word of the reply too large for the lane: $(cat "$FS_TMP/echo.out")"
/usr/bin/python3 - "$FS_TMP/echo.json" <<'EOP' || fs_fail "mask run: $(cat "$FS_TMP/echo.out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] == d["evaluations"] == 20, d
assert d["workers"][0]["requests_by_lane"] == 1, d["workers"][0]
assert d["workers"][0]["transport"] == "shm", d["workers"][0]
EOP
fs_ok "a reply too large for a lane: said once, that worker's requests over ZeroMQ, every one served"
