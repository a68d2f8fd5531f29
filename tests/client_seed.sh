#!/bin/sh
# fake-client against workers written like the seed's: pyzmq REP sockets
# speaking recv_json + raw array, send_json + array back, without frame ids
# or service times.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client_lib.sh"
fs_need_python

p=$(fs_free_ports 3)
srv=$top_srcdir/tests/py/client_seed_server.py
fs_spawn seg1 $PY "$srv" "$p" 3 segmentation
fs_spawn seg2 $PY "$srv" "$((p + 1))" 4 segmentation
fs_spawn echo $PY "$srv" "$((p + 2))" 0 echo
for i in 0 1 2; do fs_wait_port $((p + i)) 15; done

cl_expect 0 run --no-config --endpoint "seg1=tcp://127.0.0.1:$p" \
	--endpoint "seg2=tcp://127.0.0.1:$((p + 1))" --frames 10 --fps 50 \
	--json "$FS_TMP/run.json"
grep -q '^mean: .* len: 10$' "$FS_TMP/run.out" || fs_fail "$(cat "$FS_TMP/run.out")"
cl_py "$FS_TMP/run.json" '
assert d["ok"] == 10 and d["late_replies"] == 0, d
assert all(x >= 4000 for x in d["latencies_us"]), d["latencies_us"]
assert [w["window"] for w in d["workers"]] == [1, 1]'
fs_ok "run against two seed-style REP workers: 10 evaluations"

cl_expect 0 pipe --no-config --endpoint "seg1=tcp://127.0.0.1:$p" \
	--endpoint "seg2=tcp://127.0.0.1:$((p + 1))" --frames 20 --fps 0 --in-flight 2 -q
fs_ok "two evaluations in flight on REP workers, replies matched in order"

cl_expect 0 shm --no-config --endpoint "seg1=tcp://127.0.0.1:$p" \
	--endpoint "seg2=tcp://127.0.0.1:$((p + 1))" --frames 10 --fps 0 --in-flight 2 \
	--transport shm --json "$FS_TMP/shm.json"
[ "$(grep -c "refuses shared memory (cannot open the shm ring): frames go in the messages" "$FS_TMP/shm.log")" -eq 2 ] ||
	fs_fail "not one fallback warning a worker: $(cat "$FS_TMP/shm.log")"
cl_py "$FS_TMP/shm.json" '
assert d["ok"] == 10 and all(w["transport"] == "socket" and w["ok"] == 10 for w in d["workers"]), d'
fs_ok "workers that refuse shared memory get the frames in the messages, none lost"

cl_expect 0 echo echo --no-config --endpoint "tcp://127.0.0.1:$((p + 2))" --samples 10
grep -q '^time_elapsed=' "$FS_TMP/echo.out" || fs_fail "$(cat "$FS_TMP/echo.out")"
fs_ok "echo against a seed-style echo server: $(head -1 "$FS_TMP/echo.out")"
