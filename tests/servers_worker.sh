#!/bin/sh
# Which worker program fake-servers runs: without --worker, the fake-worker
# beside its own executable (a build tree's), else the installed one; with
# none at all, one line and exit 69 at start, as for a --worker that does
# not exist. A program that goes away later is logged with the reason at
# each attempt, and a process started again at once is logged with both
# pids.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

p=$(fs_free_ports 1)
sv_conf <<EOF
Echo:echo:$p
EOF

# One line, exit 69, no control socket: for what "$@" asks.
no_worker() {
	rc=0
	timeout 10 "$@" -c "$CONF" -s "$SOCK" >"$FS_TMP/out" 2>&1 || rc=$?
	[ $rc -eq 69 ] || fs_fail "$*: exit $rc, not 69: $(cat "$FS_TMP/out")"
	[ "$(wc -l <"$FS_TMP/out")" -eq 1 ] || fs_fail "$*: not one line: $(cat "$FS_TMP/out")"
	[ ! -e "$SOCK" ] || fs_fail "$*: the control socket was created"
}

# A copy of fake-servers alone in a directory: nothing beside it.
mkdir "$FS_TMP/alone" "$FS_TMP/pair"
cp "$SRV" "$FS_TMP/alone/fake-servers"
installed=${BINDIR:-/usr/local/bin}/fake-worker
if [ -x "$installed" ]; then
	echo "the installed $installed exists: not checking its absence"
else
	no_worker env -u FAKE_WORKER "$FS_TMP/alone/fake-servers"
	grep -q "^fake-servers: no worker program at $FS_TMP/alone/fake-worker or $installed (No such file or directory)" \
		"$FS_TMP/out" || fs_fail "unclear: $(cat "$FS_TMP/out")"
	fs_ok "no worker program anywhere: $(cat "$FS_TMP/out")"
fi
no_worker "$SRV" --worker "$FS_TMP/nosuch"
grep -q "^fake-servers: cannot run the worker program $FS_TMP/nosuch: No such file or directory\$" \
	"$FS_TMP/out" || fs_fail "unclear: $(cat "$FS_TMP/out")"
no_worker env FAKE_WORKER="$FS_TMP" "$SRV"
grep -q "Is a directory" "$FS_TMP/out" || fs_fail "unclear: $(cat "$FS_TMP/out")"
fs_ok "a --worker or FAKE_WORKER that cannot run: exit 69, $(cat "$FS_TMP/out")"

# fake-servers and fake-worker side by side, as in a build tree.
cp "$SRV" "$WORKER" "$FS_TMP/pair/"
fs_spawn servers env -u FAKE_WORKER "$FS_TMP/pair/fake-servers" -c "$CONF" -s "$SOCK"
SV_PID=$FS_LASTPID
retry 10 sv_all READY || fs_fail "not READY with the worker beside: $(sv_states) $(cat "$SV_LOG")"
exe=$(readlink "/proc/$(sv_get Echo pid)/exe")
[ "$exe" = "$FS_TMP/pair/fake-worker" ] || fs_fail "runs $exe, not the fake-worker beside"
kill -TERM "$SV_PID"
retry 5 fs_gone "$SV_PID" || fs_fail "the daemon did not stop"
fs_ok "without --worker: the fake-worker beside fake-servers"

# A worker program that goes away: the reason at each attempt.
SV_WORKER=$FS_TMP/worker.sh
printf '#!/bin/sh\nexec "%s" "$@"\n' "$WORKER" >"$SV_WORKER"
chmod +x "$SV_WORKER"
: >"$SV_LOG"
sv_start
retry 10 sv_all READY || fs_fail "not READY: $(sv_states)"
old=$(sv_get Echo pid)
sv_ctl restart Echo >/dev/null || fs_fail "restart Echo failed"
restarted() { new=$(sv_get Echo pid) && [ "$new" != "$old" ] && [ "$new" != 0 ] && sv_is Echo READY; }
retry 10 restarted || fs_fail "Echo was not restarted: $(sv_states)"
grep -q "Echo: exited with status 0 (pid $old); started again as pid $new \[STOPPING -> STARTING\]" \
	"$SV_LOG" || fs_fail "the restart does not name both pids: $(grep Echo: "$SV_LOG")"
fs_ok "$(grep -o "Echo: exited with status 0 (pid $old).*" "$SV_LOG")"

rm "$SV_WORKER"
sv_ctl restart Echo >/dev/null || fs_fail "restart Echo failed"
retry 10 sh -c "grep -q 'Echo: cannot execute $SV_WORKER: No such file or directory' '$SV_LOG'" ||
	fs_fail "no reason for the failed execution: $(grep Echo: "$SV_LOG")"
grep -q "Echo: exited with status 127" "$SV_LOG" || fs_fail "the failed start is not an exit 127"
grep -q "cannot execute\$" "$SV_LOG" && fs_fail "a line without its reason: $(grep 'cannot execute' "$SV_LOG")"
fs_ok "$(grep -m1 -o 'Echo: cannot execute.*' "$SV_LOG")"
