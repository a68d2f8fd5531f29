#!/bin/sh
# fake-servers --daemon, started with relative paths only (-c, --worker,
# --pidfile, --log, the config's control socket): the parent exits 0 once
# every worker is READY and prints nothing; the daemon runs in "/", its
# logs and its workers' in the --log file, its reloads read the same file,
# its pidfile is where it was asked. When a worker cannot start, the parent
# says which and why and exits 1, after the daemon has stopped. Without
# --log the daemon logs to syslog and tells its workers to.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

p=$(fs_free_ports 2)
mkdir "$FS_TMP/d"
cd "$FS_TMP/d" || fs_fail "cd"
cp "$WORKER" ./fake-worker
cat >fs.conf <<EOF
control = "run/control.sock";
workers = (
  { name = "Seg"; kind = "segmentation"; port = $p; cost_ms = 1; },
  { name = "Echo"; kind = "echo"; port = $((p + 1)); cost_ms = 1; }
);
EOF
SOCK=$FS_TMP/d/run/control.sock
D=
stop_daemon() { [ -n "$D" ] && kill -TERM "$D" 2>/dev/null; }
fs_on_exit stop_daemon

rc=0
timeout 20 "$SRV" -c fs.conf --worker ./fake-worker --daemon --pidfile fs.pid \
	--log fs.log >"$FS_TMP/parent.out" 2>&1 || rc=$?
[ $rc -eq 0 ] || fs_fail "--daemon exits $rc: $(cat "$FS_TMP/parent.out" fs.log)"
[ ! -s "$FS_TMP/parent.out" ] || fs_fail "the parent printed: $(cat "$FS_TMP/parent.out")"
D=$(cat fs.pid) || fs_fail "no pidfile in the directory it was started in"
kill -0 "$D" || fs_fail "no daemon behind fs.pid"
sv_all READY || fs_fail "the parent exited before every worker was READY: $(sv_states)"
[ "$(readlink "/proc/$D/cwd")" = / ] || fs_fail "the daemon runs in $(readlink "/proc/$D/cwd")"
[ "$(readlink "/proc/$D/fd/1")" = "$FS_TMP/d/fs.log" ] || fs_fail "stdout: $(readlink "/proc/$D/fd/1")"
[ "$(readlink "/proc/$D/fd/2")" = "$FS_TMP/d/fs.log" ] || fs_fail "stderr: $(readlink "/proc/$D/fd/2")"
grep -q "^fake-servers: ready: 2/2 workers ready" fs.log || fs_fail "no daemon lines in fs.log: $(cat fs.log)"
grep -q "^fake-worker: Seg: segmentation on" fs.log || fs_fail "no worker lines in fs.log: $(cat fs.log)"
fs_ok "--daemon with relative paths: exit 0 once READY, pid $D in /, logs in fs.log"

sed -i 's/cost_ms = 1; },/cost_ms = 2; },/' fs.conf
sv_ctl reload >/dev/null || fs_fail "the reload failed: $(tail -3 fs.log)"
cost2() { [ "$(sv_get Seg cost_ms)" = 2.0 ]; }
retry 10 cost2 || fs_fail "the reload did not apply: $(tail -3 fs.log)"
grep -q "reloaded $FS_TMP/d/fs.conf" fs.log || fs_fail "the reload read another file: $(tail -3 fs.log)"
kill -TERM "$D"
retry 10 fs_gone "$D" || fs_fail "the daemon did not stop"
[ ! -e fs.pid ] || fs_fail "the pidfile was left behind"
[ ! -e "$SOCK" ] || fs_fail "the control socket was left behind"
fs_ok "a reload reads fs.conf again; stopped, pidfile removed"

# A worker that cannot start: exit 1 with the reason, once the daemon is gone.
printf '#!/bin/sh\nexit 3\n' >bad.sh
chmod +x bad.sh
sed -i 's/^control = .*/control = "run\/control.sock"; restart = { backoff_min_ms = 10; burst = 2; };/' fs.conf
rc=0
timeout 20 "$SRV" -c fs.conf --worker ./bad.sh --daemon --pidfile fs.pid --log fs.log \
	>"$FS_TMP/parent.out" 2>&1 || rc=$?
[ $rc -eq 1 ] || fs_fail "--daemon with failing workers exits $rc, not 1: $(cat "$FS_TMP/parent.out")"
grep -q "^fake-servers: 2 of 2 workers not ready, the daemon stopped: Seg FAILED (exited with status 3;.*), Echo FAILED (exited with status 3;.*) (see $FS_TMP/d/fs.log)\$" \
	"$FS_TMP/parent.out" || fs_fail "unclear: $(cat "$FS_TMP/parent.out")"
[ ! -e "$SOCK" ] && [ ! -e fs.pid ] || fs_fail "the daemon is still there"
fs_ok "failing workers: exit 1, $(cat "$FS_TMP/parent.out")"

# Without --log: syslog, for the daemon and for its workers.
rc=0
timeout 20 "$SRV" -c fs.conf --worker ./fake-worker --daemon --pidfile fs.pid \
	>"$FS_TMP/parent.out" 2>&1 || rc=$?
[ $rc -eq 0 ] || fs_fail "--daemon without --log exits $rc: $(cat "$FS_TMP/parent.out")"
[ ! -s "$FS_TMP/parent.out" ] || fs_fail "the parent printed: $(cat "$FS_TMP/parent.out")"
D=$(cat fs.pid)
for fd in 1 2; do
	[ "$(readlink "/proc/$D/fd/$fd")" = /dev/null ] || fs_fail "fd $fd: $(readlink "/proc/$D/fd/$fd")"
done
tr '\0' '\n' <"/proc/$(sv_get Seg pid)/environ" | grep -qx 'FAKE_SERVERS_SYSLOG=1' ||
	fs_fail "the workers were not told to log to syslog"
kill -TERM "$D"
retry 10 fs_gone "$D" || fs_fail "the daemon did not stop"
fs_ok "without --log: stdout and stderr on /dev/null, FAKE_SERVERS_SYSLOG=1 for the workers"

# And the lines reach syslog: in a mount namespace of its own, /dev holds
# /dev/null and a /dev/log whose listener copies each message to syslog.out.
cat >syslog.py <<'EOF'
import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
open("syslog.up", "w").close()
with open("syslog.out", "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536) + b"\n")
EOF
cat >syslog.sh <<EOF
mount --make-rprivate / && mount -t tmpfs none /dev &&
	mknod -m 666 /dev/null c 1 3 || exit 77
$PY syslog.py &
l=\$!
while [ ! -e syslog.up ]; do sleep 0.02; done
"$SRV" -c fs.conf --worker ./fake-worker --daemon --pidfile fs.pid || exit 1
kill -TERM \$(cat fs.pid)
while [ -e fs.pid ]; do sleep 0.02; done
kill \$l
EOF
rc=0
timeout 30 unshare -m sh syslog.sh >"$FS_TMP/syslog.log" 2>&1 || rc=$?
[ $rc -ne 77 ] || fs_skip "no mount namespace for a /dev/log: $(cat "$FS_TMP/syslog.log")"
[ $rc -eq 0 ] || fs_fail "the syslog run failed ($rc): $(cat "$FS_TMP/syslog.log")"
grep -q '^<29>.*fake-servers\[[0-9]*\]: ready: 2/2 workers ready' syslog.out ||
	fs_fail "no daemon line in syslog: $(cat syslog.out)"
grep -q '^<29>.*fake-worker\[[0-9]*\]: Seg: segmentation on ' syslog.out ||
	fs_fail "no worker line in syslog: $(cat syslog.out)"
fs_ok "syslog: $(grep -c . syslog.out) lines, such as $(grep -m1 'ready: 2/2' syslog.out)"
