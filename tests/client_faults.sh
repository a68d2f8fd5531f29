#!/bin/sh
# fake-client faults: bad options exit 64, a bad config 78 with file:line,
# no worker reachable 69; a worker killed mid-run or hung: the run finishes,
# the lost frames are reported (exit 1), nothing hangs.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

cl_expect 64 u1 --fps abc
grep -q "fps: 'abc' is not a number" "$FS_TMP/u1.log" || fs_fail "$(cat "$FS_TMP/u1.log")"
cl_expect 64 u2 frobnicate
cl_expect 64 u3 --frames 0
cl_expect 64 u4 --endpoint nourl
cl_expect 64 u5 --no-config
cl_expect 64 u6 --bogus
cl_expect 64 u7 --fps
grep -q "unknown option '--bogus' (fake-client -h for the usage)" "$FS_TMP/u6.log" ||
	fs_fail "$(cat "$FS_TMP/u6.log")"
grep -q "frames: 0 is out of range 1..100000000 " "$FS_TMP/u3.log" ||
	fs_fail "not integers: $(cat "$FS_TMP/u3.log")"
# Options the mode does not use are refused, not ignored.
cl_expect 64 m1 hello --json "$FS_TMP/hello.json"
cl_expect 64 m2 hello -k 2
cl_expect 64 m3 echo --fps 10
cl_expect 64 m4 echo --transport shm
cl_expect 64 m5 hello --frames 10
cl_expect 64 m6 echo --in-flight 2
cl_expect 64 m7 --csv - --json -
grep -q "in-flight is for the run and sweep modes, not hello" "$FS_TMP/m2.log" || fs_fail "$(cat "$FS_TMP/m2.log")"
grep -q "only one of --csv, --json, --svg, --hgrm and --trace can write to the standard output" "$FS_TMP/m7.log" ||
	fs_fail "$(cat "$FS_TMP/m7.log")"
[ ! -e "$FS_TMP/hello.json" ] || fs_fail "hello wrote its --json"
for u in u1 u2 u3 u4 u5 u6 u7 m1 m2 m3 m4 m5 m6 m7; do
	[ "$(wc -l <"$FS_TMP/$u.log")" -eq 1 ] || fs_fail "not one line: $(cat "$FS_TMP/$u.log")"
done
fs_ok "bad options exit 64 with one line"

printf 'workers = (\n  { name = "a"; kind = "segmentation"; port = 0; cost_ms = 1; }\n);\n' >"$FS_TMP/bad.conf"
cl_expect 78 c1 -c "$FS_TMP/bad.conf"
grep -q "bad.conf:2: " "$FS_TMP/c1.log" || fs_fail "no file:line: $(cat "$FS_TMP/c1.log")"
printf 'workers = ( { name = \n' >"$FS_TMP/syntax.conf"
cl_expect 78 c2 -c "$FS_TMP/syntax.conf"
grep -q "syntax.conf:[0-9]*: " "$FS_TMP/c2.log" || fs_fail "no file:line: $(cat "$FS_TMP/c2.log")"
cl_expect 78 c3 -c "$FS_TMP/missing.conf"
fs_ok "bad configs exit 78 with file:line"

p=$(fs_free_ports 3)
cl_expect 69 none --no-config --endpoint "a=tcp://127.0.0.1:$p" --connect-timeout-ms 300
grep -q "no worker reachable" "$FS_TMP/none.log" || fs_fail "$(cat "$FS_TMP/none.log")"
fs_ok "no worker reachable exits 69"

sv_conf <<EOF2
A:segmentation:$p:cost_ms = 3;
B:segmentation:$((p + 1)):cost_ms = 4;
C:classification:$((p + 2)):cost_ms = 5;
EOF2
cl_up

# An output file that cannot be written fails before the first frame (the
# run would take 40 s), and one that could is left as it was.
echo keep >"$FS_TMP/kept.json"
for f in "--csv $FS_TMP/nonexistent/x.csv" "--json $FS_TMP" "--svg $FS_TMP/nonexistent/x.svg"; do
	# shellcheck disable=SC2086
	cl_expect 64 out -c "$CONF" --frames 1000 --fps 25 --json "$FS_TMP/kept.json" $f
	grep -q "^fake-client: ${f% *} ${f#* }: cannot write it: " "$FS_TMP/out.log" ||
		fs_fail "$f: $(cat "$FS_TMP/out.log")"
	[ "$(cat "$FS_TMP/kept.json")" = keep ] || fs_fail "$FS_TMP/kept.json was written"
done
[ ! -e "$FS_TMP/out.out" ] || [ ! -s "$FS_TMP/out.out" ] || fs_fail "frames were run: $(cat "$FS_TMP/out.out")"
fs_ok "output files that cannot be written: exit 64 before the first frame"

# Kill B once it has answered the client (a reply of 64x48 is 3 kB), with a
# request of the client's waiting for it: stopped until one is in its
# socket's receive queue, that request is lost; the supervisor restarts B,
# and the client's parts for it wait for the new connection meanwhile.
fs_spawn kill "$CLIENT" -c "$CONF" --width 64 --height 48 --fps 100 --frames 200 \
	--timeout-ms 300 --connect-timeout-ms 1000 --json "$FS_TMP/kill.json" \
	--csv "$FS_TMP/kill.csv"
cpid=$FS_LASTPID
replied() {
	ss -Htni state established "dport = :$((p + 1))" |
		grep -Eq "bytes_received:([3-9][0-9]{3}|[0-9]{5,})"
}
queued() {	# Recv-Q of B's connection from the client
	ss -Htn state established "sport = :$((p + 1))" | awk '$1 > 0 { q = 1 } END { exit !q }'
}
retry 10 replied || fs_fail "B did not answer the client"
b=$(sv_get B pid)
kill -STOP "$b"
retry 5 queued || { kill -CONT "$b"; fs_fail "no request reached the stopped B"; }
kill -KILL "$b"
retry 15 fs_gone "$cpid" || fs_fail "the client hangs after a worker died"
wait "$cpid"; rc=$?
[ $rc -eq 1 ] || fs_fail "exit $rc, not 1, with lost frames"
cl_py "$FS_TMP/kill.json" '
assert d["evaluations"] == 185, d["evaluations"]
assert d["ok"] > 0 and d["timeout"] + d["error"] > 0, d
b = d["workers"][1]
assert b["name"] == "B" and b["timeout"] + b["error"] > 0, b
assert d["workers"][0]["timeout"] + d["workers"][0]["error"] == 0
assert sum(b["failed"].values()) == b["timeout"] + b["error"], b
assert all(n == sum(w["failed"][k] for w in d["workers"]) for k, n in d["failed_parts"].items()), d["failed_parts"]
rows = [l.rstrip("\n").split(",") for l in open(sys.argv[1].replace(".json", ".csv"))]
assert rows[0][14:17] == ["A_reason", "B_reason", "C_reason"], rows[0]
rows = rows[1:]
reasons = ("timeout", "error_reply", "unavailable", "not_sent")
for r in rows:
    for w in range(3):
        st, why = r[7 + 3 * w], r[14 + w]
        assert (st == "ok") == (why == "") and why in ("",) + reasons, r
sent = [float(r[2]) for r in rows]
gap = max(b - a for a, b in zip(sent, sent[1:]))
# The longest stall: the timeout of the lost request, then at most the
# wait for B to come back (--connect-timeout-ms), and some slack.
assert len(rows) == 185 and gap < 300000 + 1000000 + 300000, gap
print("ok %d, timeout %d, error %d, longest gap between sends %.0f ms; B failed: %s" % (d["ok"], d["timeout"], d["error"], gap / 1e3, b["failed"]))'
grep -q "^evaluations: [0-9]* ok, [0-9]* timeout, [0-9]* error" "$FS_TMP/kill.log" ||
	fs_fail "no summary: $(cat "$FS_TMP/kill.log")"
grep -q "^failed parts: B: [0-9]* [a-z]" "$FS_TMP/kill.log" ||
	fs_fail "no failed parts by reason: $(cat "$FS_TMP/kill.log")"
retry 10 sv_all READY || fs_fail "B did not come back: $(sv_states)"
fs_ok "a worker killed mid-run: the run finished, its frames reported lost"

# A hung worker: its frames time out, its socket is reset (and cannot
# reconnect while it is stopped: the frames after it wait for it up to
# --connect-timeout-ms, then fail as unavailable), no hang.
fs_spawn hung "$CLIENT" -c "$CONF" --width 64 --height 48 --fps 50 --frames 66 \
	--timeout-ms 200 --connect-timeout-ms 1000 --json "$FS_TMP/hung.json"
cpid=$FS_LASTPID
answered() {	# a few of C's replies (about 130 bytes each) came
	ss -Htni state established "dport = :$((p + 2))" |
		grep -Eq "bytes_received:([5-9][0-9]{2}|[0-9]{4,})"
}
retry 10 answered || fs_fail "C did not answer the client"
cpid_c=$(sv_get C pid)
kill -STOP "$cpid_c"
retry 15 fs_gone "$cpid" || fs_fail "the client hangs on a stopped worker"
kill -CONT "$cpid_c"
wait "$cpid"; rc=$?
[ $rc -eq 1 ] || fs_fail "exit $rc, not 1, with a hung worker"
cl_py "$FS_TMP/hung.json" '
c = d["workers"][2]
assert d["evaluations"] == 51 and c["ok"] + c["timeout"] + c["error"] == 51, c
assert c["ok"] >= 1 and c["timeout"] >= 1 and c["resets"] >= 1, c
assert d["workers"][0]["ok"] == 51, d["workers"][0]
f = c["failed"]
assert f["timeout"] >= 1 and f["unavailable"] >= 1 and f["error_reply"] == 0, f
assert sum(f.values()) == c["timeout"] + c["error"], c
print("C: ok %d, timeout %d, error %d, resets %d; failed: %s" % (c["ok"], c["timeout"], c["error"], c["resets"], f))'
fs_ok "a hung worker: timeouts, Lazy Pirate resets; the frames after wait --connect-timeout-ms, then are unavailable"

# Once it answers again, so does the client.
cl_expect 0 after -c "$CONF" --width 64 --height 48 --frames 20 --timeout-ms 2000
fs_ok "the client works again once the worker answers"
