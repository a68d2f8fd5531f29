#!/bin/sh
# fake-servers under a real systemd: boot a throw-away systemd as PID 1 in
# new namespaces (tests/sysd.sh), install this build into it, and check
# start (READY and STATUS reach systemd, the workers listen), the control
# tool, reload (workers kept), a killed worker being respawned, and stop
# (no worker left).  The host is not touched: the container's / is an
# overlay with a tmpfs upper layer, and the trap tears it down.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/sysd_lib.sh"

ct=fs-live-$$
unit=fake-servers.service

# Install into a staging tree that is copied onto the container's / at the
# same paths (the build may be under /tmp, which is a fresh tmpfs inside;
# sysd.sh install puts the unit where systemd finds it).
stage=$FS_TMP/stage
$SYSD install "$stage" || fs_fail "make install failed"
in_stage() { find "$stage" -path "*/$1" \( -type f -o -type l \) | head -n 1; }
ctl=$(in_stage bin/fake-serversctl)
conf=$(in_stage fake-servers/fake-servers.conf)
[ -n "$(in_stage "systemd/system/$unit")" ] || fs_fail "make install installed no $unit"
[ -n "$ctl" ] || fs_fail "make install installed no fake-serversctl"
[ -n "$conf" ] || fs_fail "make install installed no fake-servers.conf"
ctl=${ctl#"$stage"}
san=$(sysd_sanitizers "$unit")
# The worker ports of the shipped configuration.
ports=$(grep -oE 'port[[:space:]]*[=:][[:space:]]*[0-9]+' "$conf" | grep -oE '[0-9]+$' | sort -u | xargs)
[ "$(echo "$ports" | wc -w)" -eq 3 ] || fs_fail "expected 3 worker ports in ${conf#"$stage"}, found: $ports"

t0=$(date +%s%N)
sysd_boot
fs_ok "booted: $(cat "$FS_TMP/boot.log") in $(( ($(date +%s%N) - t0) / 1000000 )) ms"

# Show the service's log, and what the sandbox denied, before failing.
fail() {
	ct journalctl --no-pager -n 40 -u "$unit" >"$FS_TMP/journal.log" 2>&1 || true
	cat "$FS_TMP/journal.log" >&2
	grep -q 'Operation not permitted (src/thread.cpp' "$FS_TMP/journal.log" &&
		echo "hint: libzmq's threads call pthread_setschedparam (sched_setscheduler)," \
			"which the unit's SystemCallFilter denies" >&2
	grep -q 'Address family not supported by protocol (src/ip_resolver.cpp' "$FS_TMP/journal.log" &&
		echo "hint: libzmq resolves a bind address as an interface name first" \
			"(getifaddrs, a netlink socket): the unit's RestrictAddressFamilies needs AF_NETLINK" >&2
	fs_fail "$@"
}
prop() { ct systemctl show -P "$1" "$unit"; }
workers() { ct pgrep -x fake-worker | sort -n | xargs; }
nworkers() { workers | wc -w; }
listening() {
	for p in $ports; do
		ct ss -Hltn "sport = :$p" | grep -q . || return 1
	done
}
all_ready() {
	out=$(ct "$ctl" status 2>&1) || return 1
	[ "$(echo "$out" | grep -cw READY)" -eq 3 ]
}

ct systemctl daemon-reload || fail "systemctl daemon-reload failed"
exe=$(prop ExecStart | sed -n 's/.*path=\([^ ;]*\).*/\1/p')
[ -n "$exe" ] && ct test -x "$exe" || fail "ExecStart ($exe) is not an executable inside"

t0=$(date +%s%N)
ct systemctl start "$unit" || fail "systemctl start failed"
fs_ok "systemctl start in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
[ "$(prop ActiveState)" = active ] || fail "not active after start: $(prop ActiveState)"
status=$(prop StatusText)
case $status in
*3/3*) ;;
*) fail "StatusText is '$status', not the daemon's '3/3 workers ready'" ;;
esac
fs_ok "active, StatusText '$status'"
# The sandbox is applied: a dynamic user, no new privileges, seccomp.
main=$(prop MainPID)
sandbox=$(ct awk '/^(Uid|NoNewPrivs|Seccomp):/ { printf "%s%s ", $1, $2 }' "/proc/$main/status")
case $sandbox in
Uid:0*|*NoNewPrivs:0*|*Seccomp:0*|'') fail "the daemon runs without its sandbox: $sandbox" ;;
esac
fs_ok "the daemon runs sandboxed: $sandbox"
# READY=1 reached systemd only once every worker was READY: no waiting.
listening || fail "the worker ports $ports do not listen inside"
fs_ok "ports $ports listen"
all_ready || fail "fake-serversctl status: $(ct "$ctl" status 2>&1)"
fs_ok "fake-serversctl status lists 3 workers READY"
# Each worker's lines are filed under its name, with its pid.
wlog() { ct journalctl --no-pager -u "$unit" -t FakeSegmentation1 | grep -q 'FakeSegmentation1\[[0-9]*\]: .*segmentation on'; }
retry 5 wlog || fail "no line of FakeSegmentation1 under its name: $(ct journalctl --no-pager -u "$unit" | grep -m 2 'segmentation on')"
fs_ok "journalctl -t FakeSegmentation1: $(ct journalctl --no-pager -u "$unit" -t FakeSegmentation1 -o cat | head -n 1)"
# ... sent by the worker itself (its pid, not the daemon's), at its level.
s1=$(ct pgrep -f 'fake-worker --name FakeSegmentation1 ' | head -n 1)
fields=$(ct journalctl --no-pager -u "$unit" -t FakeSegmentation1 -o export | grep -E '^(_PID|PRIORITY)=' | head -n 2 | sort | xargs)
[ "$fields" = "PRIORITY=5 _PID=$s1" ] || fail "FakeSegmentation1 (pid $s1): its first entry has '$fields', not PRIORITY=5 and its pid"
fs_ok "its entry: $fields"

before=$(workers)
[ "$(nworkers)" -eq 3 ] || fail "expected 3 fake-worker processes, found: $before"
ct systemctl reload "$unit" || fail "systemctl reload failed"
[ "$(prop ActiveState)" = active ] || fail "not active after reload: $(prop ActiveState)"
[ "$(prop MainPID)" = "$main" ] || fail "the main pid changed on reload: $main -> $(prop MainPID)"
retry 5 all_ready || fail "not all READY after reload: $(ct "$ctl" status 2>&1)"
[ "$(workers)" = "$before" ] || fail "worker pids changed on reload: $before -> $(workers)"
fs_ok "reload kept the unit active and the workers ($before)"
# A config with an error: the reload fails, the journal says where, and
# the running configuration stays.
bad=${conf#"$stage"}
bad=${bad%/*}/fake-servers.d/bad.conf
ct sh -c "echo 'workers = ( {' >$bad" || fail "cannot write $bad"
ct systemctl reload "$unit" 2>/dev/null && fail "systemctl reload succeeded with a syntax error in $bad"
ct journalctl --no-pager -u "$unit" -n 20 | grep -q "$bad:[0-9]" ||
	fail "the journal does not say where the error is: $(ct journalctl --no-pager -u "$unit" -n 5)"
[ "$(prop ActiveState)" = active ] && [ "$(workers)" = "$before" ] ||
	fail "a failed reload changed the service: $(prop ActiveState), workers $(workers)"
ct rm "$bad"
fs_ok "a syntax error makes systemctl reload fail, saying where; workers kept"

victim=$(echo "$before" | awk '{print $1}')
ct kill -9 "$victim" || fail "kill -9 $victim failed"
respawned() {
	now=$(workers)
	[ "$(echo "$now" | wc -w)" -eq 3 ] || return 1
	case " $now" in *" $victim "*) return 1 ;; esac
	all_ready
}
retry 10 respawned || fail "worker $victim was not respawned: $(workers); $(ct "$ctl" status 2>&1)"
[ "$(prop ActiveState)" = active ] || fail "not active after a worker died"
fs_ok "killed worker $victim, now $(workers)"
[ "$(prop NRestarts)" = 0 ] || fail "systemd restarted the daemon $(prop NRestarts) times"
[ "$(prop MainPID)" = "$main" ] || fail "the main pid changed: $main -> $(prop MainPID)"

t0=$(date +%s%N)
ct systemctl stop "$unit" || fail "systemctl stop failed"
fs_ok "systemctl stop in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
[ "$(prop ActiveState)" = inactive ] || fail "not inactive after stop: $(prop ActiveState)"
[ -z "$(workers)" ] || fail "workers left after stop: $(workers)"
fs_ok "stopped, no fake-worker left"
if [ -n "$san" ]; then
	ct journalctl --no-pager -u "$unit" >"$FS_TMP/journal.log" 2>&1
	! grep -E 'ERROR: AddressSanitizer|runtime error:' "$FS_TMP/journal.log" >&2 ||
		fs_fail "sanitizer reports in the journal"
	fs_ok "no sanitizer report in the journal"
fi

# Tear down now to check that nothing is left on the host.
cg=$(ls -d /sys/fs/cgroup/fs-sysd-"$ct" /sys/fs/cgroup/unified/fs-sysd-"$ct" 2>/dev/null || true)
[ -n "$cg" ] || fs_fail "the container's cgroup was not found"
stop_ct || fs_fail "the container did not stop cleanly"
[ ! -d "$cg" ] || fs_fail "cgroup $cg is left on the host"
! grep -q "$FS_TMP" /proc/self/mountinfo || fs_fail "mounts are left on the host: $(grep "$FS_TMP" /proc/self/mountinfo)"
fs_ok "container stopped: no cgroup or mount left on the host"
