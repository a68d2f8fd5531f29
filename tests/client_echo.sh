#!/bin/sh
# fake-client echo: the seed's overhead test against the config's echo
# worker and against an --endpoint, with time_elapsed/mean and the JSON.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"

p=$(fs_free_ports 2)
sv_conf <<EOF2
seg:segmentation:$p:cost_ms = 1;
overhead:echo:$((p + 1)):cost_ms = 0;
EOF2
cl_up

cl_expect 0 echo echo -c "$CONF" --samples 20 --json "$FS_TMP/echo.json"
grep -Eq '^time_elapsed=[0-9.e-]+ mean=[0-9.e-]+$' "$FS_TMP/echo.out" ||
	fs_fail "no time_elapsed line: $(cat "$FS_TMP/echo.out")"
grep -q "round trip of 6000000 bytes to tcp://127.0.0.1:$((p + 1))" "$FS_TMP/echo.out" ||
	fs_fail "not 2000x1000x3 to the echo worker: $(cat "$FS_TMP/echo.out")"
cl_py "$FS_TMP/echo.json" '
assert d["samples"] == 20 and d["failed"] == 0, d
assert abs(d["mean_us"] * 20 - d["elapsed_us"]) < 1, d
assert 0 < d["round_trip_us"]["p50"] <= d["round_trip_us"]["max"]
assert d["settings"]["width"] == 2000 and d["settings"]["height"] == 1000'
fs_ok "echo 2000x1000x3 from the config: $(head -1 "$FS_TMP/echo.out")"

cl_expect 0 ep echo --no-config --endpoint "tcp://127.0.0.1:$((p + 1))" \
	--width 800 --height 600 --samples 10
grep -q "round trip of 1440000 bytes" "$FS_TMP/ep.out" || fs_fail "$(cat "$FS_TMP/ep.out")"
fs_ok "echo 800x600x3 to an --endpoint: $(head -1 "$FS_TMP/ep.out")"

# A segmentation worker does not echo: the client says so and fails.
cl_expect 1 notecho echo --no-config --endpoint "tcp://127.0.0.1:$p" --samples 2 \
	--width 8 --height 8
grep -q "not the array sent" "$FS_TMP/notecho.log" || fs_fail "$(cat "$FS_TMP/notecho.log")"
# Nothing succeeded: said, with the reason, rather than times of 0.
grep -q "^no sample succeeded (2 failed): tcp://127.0.0.1:$p: sample 1: the reply is not the array sent$" \
	"$FS_TMP/notecho.out" || fs_fail "$(cat "$FS_TMP/notecho.out")"
grep -Eq "time_elapsed|p50" "$FS_TMP/notecho.out" && fs_fail "times of nothing: $(cat "$FS_TMP/notecho.out")"
fs_ok "a worker that does not echo is reported"
