#!/bin/sh
# chaos_crashloop.sh: under the chaos scenarios' tolerant restart policy,
# a worker that really crash-loops still ends FAILED after its burst of
# failed starts, while its neighbour keeps serving with the same pid.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
. "$top_srcdir/tests/chaos_lib.sh"

p=$(fs_free_ports 2)
SV_WORKER=$FS_TMP/worker.sh
cat >"$SV_WORKER" <<EOF2
#!/bin/sh
[ "\$2" = Loop ] && { echo "Loop: crashing on purpose" >&2; exit 3; }
exec "$WORKER" "\$@"
EOF2
chmod +x "$SV_WORKER"
cat >"$CONF" <<EOF2
control = "$SOCK";
$CHAOS_RESTART
workers = (
  { name = "Good"; kind = "segmentation"; port = $p; cost_ms = 1; },
  { name = "Loop"; kind = "segmentation"; port = $((p + 1)); cost_ms = 1; }
);
EOF2
sv_start
retry 10 sv_is Good READY || fs_fail "Good is not READY: $(sv_states)"
good=$(sv_get Good pid)
retry 15 sv_is Loop FAILED || fs_fail "Loop did not end FAILED: $(sv_states)"
grep -q "Loop: FAILED: .*20 failed starts" "$SV_LOG" ||
	fs_fail "no FAILED line for Loop: $(grep Loop "$SV_LOG" | tail -3)"
[ "$(sv_states)" = "Good=READY Loop=FAILED" ] || fs_fail "states: $(sv_states)"
[ "$(sv_get Good pid)" = "$good" ] || fs_fail "Good was restarted"
[ "$(chaos_zombies "$SV_PID")" -eq 0 ] || fs_fail "zombies left"
fs_ok "Loop FAILED after $(sv_get Loop restarts) restarts; Good kept pid $good"
