#!/bin/sh
# fake-client over the shared-memory transport (doc/shm.md): workers with
# transport = "shm" get only headers, every frame is answered, and the
# client's ring is gone afterwards, the masks come back in output slots;
# --transport socket sends the frames in the messages; frames the ring
# cannot lay out, or a worker that refuses a shared-memory request, fall
# back to the messages with a warning.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"
[ -d /dev/shm ] && [ -w /dev/shm ] || fs_skip "no writable /dev/shm"

p=$(fs_free_ports 3)
sv_conf <<EOF2
FakeSegmentation1:segmentation:$p:cost_ms = 3; transport = "shm";
FakeSegmentation2:segmentation:$((p + 1)):cost_ms = 4; transport = "shm"; output_dtype = "float64";
FakeClassification:classification:$((p + 2)):cost_ms = 5; window = 16; transport = "shm";
EOF2
cl_up

rings() { ls /dev/shm | grep -c "^fake-servers-$(id -u)-$1-"; }
fs_spawn shm "$CLIENT" -c "$CONF" --frames 25 --in-flight 2 --json "$FS_TMP/shm.json"
cpid=$FS_LASTPID
wait "$cpid" || fs_fail "exit $?: $(cat "$FS_TMP/shm.log")"
[ "$(rings "$cpid")" -eq 0 ] || fs_fail "the ring of $cpid is left in /dev/shm"
cl_py "$FS_TMP/shm.json" '
assert d["ok"] == 10 and d["settings"]["transport"] == "config", d
for w in d["workers"]:
    assert w["endpoints"][0].startswith("ipc://"), w
    assert w["ok"] == 10 and w["transport"] == "shm", w
s1, s2, c = d["workers"]
assert s1["outputs_in_slots"] == 10 and s2["outputs_in_slots"] == 10, (s1, s2)
assert c["outputs_in_slots"] == 0, c
print("overhead mean %.2f ms over shared memory" % (d["overhead_mean_us"] / 1e3))'
fs_ok "25 frames over shared memory: 10 evaluations, no ring left"

cl_expect 0 sock -c "$CONF" --frames 20 --transport socket --json "$FS_TMP/sock.json"
cl_py "$FS_TMP/sock.json" '
assert d["ok"] == 5 and all(w["transport"] == "socket" for w in d["workers"]), d
assert all(w["outputs_in_slots"] == 0 for w in d["workers"]), d'
grep -q "shared memory" "$FS_TMP/sock.log" && fs_fail "shared memory with --transport socket"
fs_ok "--transport socket: the frames in the messages"

cl_expect 0 odd -c "$CONF" --frames 20 --width 301 --height 301 --channels 1 --json "$FS_TMP/odd.json"
grep -q "shared memory is not possible: a window of 16 frames of 90601 bytes" "$FS_TMP/odd.log" ||
	fs_fail "no fallback warning: $(cat "$FS_TMP/odd.log")"
cl_py "$FS_TMP/odd.json" 'assert d["ok"] == 5 and all(w["transport"] == "socket" for w in d["workers"]), d'
fs_ok "frames the ring cannot lay out go in the messages"

# This host's own non-loopback address is on this host: shared memory, no
# warning that it is not.
addr=$(ip -o -4 addr show scope global 2>/dev/null | awk '{sub("/.*", "", $4); print $4; exit}')
if [ -n "$addr" ]; then
	q=$(fs_free_ports 1)
	fs_spawn own "$(fs_bin fake-worker)" -k segmentation -e "tcp://0.0.0.0:$q" -c 1
	fs_wait_port "$q"
	cl_expect 0 own --no-config -e "s=tcp://$addr:$q" --transport shm --frames 5 \
		--fps 0 --json "$FS_TMP/own.json"
	grep -q "not on this host" "$FS_TMP/own.log" &&
		fs_fail "$addr is this host's: $(cat "$FS_TMP/own.log")"
	cl_py "$FS_TMP/own.json" 'assert d["workers"][0]["transport"] == "shm", d["workers"]'
	fs_ok "tcp://$addr, this host's own address: shared memory"
else
	echo "no global IPv4 address: the own-address check is left out"
fi
