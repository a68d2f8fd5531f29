#!/bin/sh
# fake-client --hgrm and --trace, read back by their formats' rules
# (tests/py/client_outputs_check.py): the latency and age distributions as
# HdrHistogram's percentile-distribution text, recomputed from the run's
# own latencies; the run as Chrome trace-event JSON whose spans nest on
# every track, a request split into send, transfer and service (by the
# worker's clock over shared memory), each failed part an instant event.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"
fs_need_python
CHECK=$top_srcdir/tests/py/client_outputs_check.py

p=$(fs_free_ports 3)
sv_conf <<EOF2
S:segmentation:$p:cost_ms = 2; transport = "shm";
C:classification:$((p + 1)):cost_ms = 3; window = 4;
EOF2
cl_up

cl_expect 0 run -c "$CONF" --width 64 --height 48 --frames 63 --fps 100 -k 3 --warmup 4 \
	--hgrm "$FS_TMP/run.hgrm" --trace "$FS_TMP/trace.json" \
	--json "$FS_TMP/run.json" --csv "$FS_TMP/run.csv"
$PY "$CHECK" hgrm "$FS_TMP/run.hgrm" "$FS_TMP/run.json" latency || fs_fail "latency hgrm"
$PY "$CHECK" hgrm "$FS_TMP/run-age.hgrm" "$FS_TMP/run.json" age || fs_fail "age hgrm"
$PY "$CHECK" trace "$FS_TMP/trace.json" "$FS_TMP/run.json" "$FS_TMP/run.csv" || fs_fail "trace"
cl_py "$FS_TMP/trace.json" '
req = [e for e in d["traceEvents"] if e["name"] == "request"]
clock = {e["pid"]: e["args"].get("clock") for e in req}
assert clock == {2: "worker", 3: "estimated: the two legs split evenly"}, clock'
fs_ok "--hgrm and --trace of 60 evaluations, 3 in flight, 4 of warm-up"

cl_expect 0 out -c "$CONF" --width 64 --height 48 --frames 20 --fps 0 --hgrm - -q
head -1 "$FS_TMP/out.out" | grep -q "^       Value     Percentile TotalCount 1/(1-Percentile)$" ||
	fs_fail "no distribution on the standard output: $(cat "$FS_TMP/out.out")"
grep -q "^mean: " "$FS_TMP/out.log" || fs_fail "the seed's lines not on the standard error"
fs_ok "--hgrm - writes the latency to the standard output, the text to the standard error"

# Timeouts, as instant events: a cold server.
q=$(fs_free_ports 1)
fs_spawn cold $PY "$top_srcdir/tests/py/client_seed_server.py" "$q" 2 segmentation 400
fs_wait_port "$q" 15
cl_expect 1 cold --no-config --endpoint "seg=tcp://127.0.0.1:$q" --frames 30 --fps 50 \
	--timeout-ms 150 --trace "$FS_TMP/cold.json" --json "$FS_TMP/coldrun.json" \
	--csv "$FS_TMP/coldrun.csv"
$PY "$CHECK" trace "$FS_TMP/cold.json" "$FS_TMP/coldrun.json" "$FS_TMP/coldrun.csv" || fs_fail "trace"
cl_py "$FS_TMP/cold.json" '
i = [e for e in d["traceEvents"] if e["ph"] == "i"]
assert i and all(e["name"] == "timeout" for e in i), i'
fs_ok "a cold server: its timeouts are instant events on its track"
