#!/bin/sh
# A detector under the supervisor, over tcp and over shared memory: the
# daemon passes its boxes, every frame is answered, and over shared memory
# boxes too many for a message inline (200 to 400 of 24 bytes) come back in
# output slots sized for the most a frame may have, whatever n was drawn.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/client_lib.sh"
[ -d /dev/shm ] && [ -w /dev/shm ] || fs_skip "no writable /dev/shm"

p=$(fs_free_ports 2)
sv_conf <<EOF2
Det:detection:$p:cost_ms = 3; n_classes = 80; boxes_min = 1; boxes_max = 40;
DetShm:detection:$((p + 1)):cost_ms = 3; boxes_min = 200; boxes_max = 400; transport = "shm";
EOF2
cl_up
pid=$(sv_get Det pid) || fs_fail "no pid for Det: $(sv_states)"
tr '\0' ' ' </proc/"$pid"/cmdline | grep -q -- '--n-classes 80 --boxes-min 1 --boxes-max 40' ||
	fs_fail "Det's options: $(tr '\0' ' ' </proc/"$pid"/cmdline)"

cl_expect 0 det -c "$CONF" --frames 40 --in-flight 2 --json "$FS_TMP/det.json" -vv
cl_py "$FS_TMP/det.json" '
assert d["ok"] == 40 and d["error"] == 0, d
det, shm = d["workers"]
assert det["transport"] == "socket" and shm["transport"] == "shm", d
assert shm["outputs_in_slots"] == 40, shm'
fs_ok "40 frames through a detector over tcp and one over shared memory"
