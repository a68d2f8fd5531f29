#!/bin/sh
# fake-client against a cold server (a pyzmq REP whose first reply takes
# longer than the timeout, the later ones 2 ms): the socket is reset, the
# frames due meanwhile wait for the new connection instead of failing, and
# most frames succeed; each failed part says why (here: timeout), in the
# summary, the CSV and the JSON, and -v says the first of each reason.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client_lib.sh"
fs_need_python

p=$(fs_free_ports 1)
fs_spawn cold $PY "$top_srcdir/tests/py/client_seed_server.py" "$p" 2 segmentation 400
fs_wait_port "$p" 15

cl_expect 1 cold --no-config --endpoint "seg=tcp://127.0.0.1:$p" --frames 40 \
	--fps 50 --timeout-ms 150 -v --json "$FS_TMP/cold.json" --csv "$FS_TMP/cold.csv"
cl_py "$FS_TMP/cold.json" '
w = d["workers"][0]
assert d["ok"] >= 35 and d["error"] == 0 and d["timeout"] >= 1, d
assert w["failed"] == {"timeout": d["timeout"], "error_reply": 0, "queue_full": 0, "unavailable": 0, "not_sent": 0}, w["failed"]
assert d["failed_parts"] == w["failed"], d["failed_parts"]
rows = [l.rstrip("\n").split(",") for l in open(sys.argv[1].replace(".json", ".csv"))]
assert rows[0][8:] == ["seg_reason", "seg_cost_us", "seg_queue_us", "seg_batch", "warmup"], rows[0]
for r in rows[1:]:
    assert (r[7], r[8]) in (("ok", ""), ("timeout", "timeout")), r
print("ok %d, timeout %d of %d" % (d["ok"], d["timeout"], d["evaluations"]))'
grep -q "^failed parts: seg: [0-9]* timeout$" "$FS_TMP/cold.out" ||
	fs_fail "no failed parts line: $(cat "$FS_TMP/cold.out")"
[ "$(grep -c "seg: frame [0-9]*: timeout: no reply within 150 ms (the first" "$FS_TMP/cold.log")" -eq 1 ] ||
	fs_fail "-v does not say the first timeout once: $(cat "$FS_TMP/cold.log")"
fs_ok "a cold server: its socket reset once or twice, the later frames wait for the new connection and succeed"
