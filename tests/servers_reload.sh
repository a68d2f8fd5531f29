#!/bin/sh
# Reload (SIGHUP and `fake-serversctl reload`): an unchanged worker keeps
# its process, a changed one restarts, an added one starts, a removed one
# stops and frees its port; a bad config changes nothing, and its errors are
# logged as file:line; a changed max_frame_bytes restarts its worker.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

p=$(fs_free_ports 4)
sv_conf <<EOF
Keep:echo:$p
Change:echo:$((p + 1))
Remove:echo:$((p + 2))
EOF
sv_start
retry 10 sv_all READY || fs_fail "not all READY: $(sv_states)"
keep=$(sv_get Keep pid) change=$(sv_get Change pid) remove=$(sv_get Remove pid)

sv_conf <<EOF
Keep:echo:$p
Change:echo:$((p + 1)):seed = 5;
Add:echo:$((p + 3))
EOF
kill -HUP "$SV_PID"
applied() {
	[ "$(sv_states)" = "Add=READY Change=READY Keep=READY" ] &&
		[ "$(sv_get Change pid)" != "$change" ]
}
retry 10 applied || fs_fail "reload not applied: $(sv_states)"
[ "$(sv_get Keep pid)" = "$keep" ] || fs_fail "Keep was restarted ($keep -> $(sv_get Keep pid))"
fs_gone "$change" || fs_fail "the old Change process $change is still running"
retry 5 fs_gone "$remove" || fs_fail "Remove ($remove) is still running"
retry 5 sh -c "! ss -Hltn 'sport = :$((p + 2))' | grep -q ." || fs_fail "Remove's port still listens"
fs_listening $((p + 3)) || fs_fail "Add's port does not listen"
grep -q "Remove: removed from the configuration" "$SV_LOG" || fs_fail "the removal was not logged"
fs_ok "SIGHUP: Keep kept pid $keep, Change restarted, Remove stopped, Add started"

# A bad config: nothing changes, every error is logged as file:line.
pids=$(sv_children)
before=$(sv_states)
cp "$CONF" "$FS_TMP/good.conf"
{ cat "$FS_TMP/good.conf"; echo 'bogus_key = 1;'; } >"$CONF"
line=$(grep -n bogus_key "$CONF" | cut -d: -f1)
kill -HUP "$SV_PID"
retry 5 grep -q "reload failed" "$SV_LOG" || fs_fail "no reload failure logged"
grep -q "$CONF:$line:" "$SV_LOG" || fs_fail "the error is not logged as $CONF:$line: $(tail -5 "$SV_LOG")"
sv_ctl reload 2>"$FS_TMP/err" && fs_fail "fake-serversctl reload of a bad config succeeded"
grep -q "$CONF:$line:" "$FS_TMP/err" || fs_fail "fake-serversctl reload does not say where: $(cat "$FS_TMP/err")"
[ "$(sv_states)" = "$before" ] || fs_fail "a bad reload changed the states: $(sv_states)"
[ "$(sv_children)" = "$pids" ] || fs_fail "a bad reload changed the processes: $pids -> $(sv_children)"
fs_ok "bad reload: error at $CONF:$line, processes $pids untouched"

# fake-serversctl reload of a good config.
cp "$FS_TMP/good.conf" "$CONF"
sed -i "s/name = \"Add\"; kind = \"echo\"/name = \"Add\"; kind = \"segmentation\"/" "$CONF"
sv_ctl reload >/dev/null || fs_fail "fake-serversctl reload failed"
retry 10 sh -c "[ \"\$($CTL -s $SOCK -j status | grep -c segmentation)\" -ge 1 ]" ||
	fs_fail "Add did not become a segmentation worker"
retry 10 sv_all READY || fs_fail "not all READY after reload: $(sv_states)"
[ "$(sv_get Keep pid)" = "$keep" ] || fs_fail "Keep was restarted by the second reload"
fs_ok "fake-serversctl reload applied a change of kind"

# A changed frame limit restarts that worker with the new --max-frame-bytes.
sed -i "s/name = \"Keep\"; kind = \"echo\";/& max_frame_bytes = 4096;/" "$CONF"
sv_ctl reload >/dev/null || fs_fail "reload of a new max_frame_bytes failed"
limited() {
	pid=$(sv_get Keep pid)
	[ "$pid" != "$keep" ] && [ "$(sv_get Keep state)" = READY ] &&
		tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--max-frame-bytes 4096 "
}
retry 10 limited || fs_fail "Keep not restarted with --max-frame-bytes 4096: $(sv_states)"
fs_ok "a changed max_frame_bytes restarted Keep with --max-frame-bytes 4096"
