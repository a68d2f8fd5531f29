# tests/chaos_lib.sh: the chaos scenarios' set-up, fault injector and
# checks, sourced after tests/lib.sh and tests/servers_lib.sh.
#
# Six workers at small costs under a restart policy that tolerates
# injected kills (a kill after min_uptime_ms of READY is not a failed
# start) while the client runs a few thousand frames with several in
# flight. tests/chaos_driver.py (written below) starts the client and,
# until it ends, SIGKILLs a random worker every 200 ms, SIGSTOPs one for a
# second, SIGHUPs the daemon twice with a config where C3's cost and seed
# changed (the seed restarts C3; a cost alone would apply live) and, with
# --restart, SIGKILLs the daemon mid-run and starts a new one. It then
# checks the client's CSV: every frame has a row and a status, and every
# failed part of a frame met a fault of that worker.
CLIENT=$(fs_bin fake-client)
[ -x "$CLIENT" ] || fs_skip "fake-client is not built"
: "${CHAOS_FRAMES:=3000}"
: "${CHAOS_FPS:=250}"

# The restart policy: injected kills come after min_uptime_ms of READY, so
# they are not failed starts; 20 failed starts in 10 s still mean FAILED
# (tests/chaos_crashloop.sh).
CHAOS_RESTART="restart = { backoff_min_ms = 20; backoff_max_ms = 200; \
burst = 20; interval_s = 10; min_uptime_ms = 50; \
start_timeout_ms = 3000; stop_timeout_ms = 500; };"

# chaos_conf PORT COST3: the six workers, all used by the client: C1-C4
# segmentation, C5-C6 classification of one frame; C3 costs COST3 ms.
chaos_conf() {
	{
		echo "control = \"$SOCK\";"
		echo "$CHAOS_RESTART"
		echo "workers = ("
		for i in 1 2 3 4 5 6; do
			kind=segmentation extra= cost=$((i % 3 + 1))
			[ $i -gt 4 ] && kind=classification extra="window = 1; "
			[ $i -eq 3 ] && cost=$2
			[ $i -gt 1 ] && echo ","
			printf '  { name = "C%d"; kind = "%s"; port = %d; %scost_ms = %s; }\n' \
				"$i" "$kind" $(($1 + i - 1)) "$extra" "$cost"
		done
		echo ");"
	} >"$CONF"
	CHAOS_PORTS="$1 $(($1 + 1)) $(($1 + 2)) $(($1 + 3)) $(($1 + 4)) $(($1 + 5))"
	export CHAOS_PORTS
}

# The daemon's descriptors, resident memory (kB), children and zombies.
chaos_nfds() { ls "/proc/$1/fd" | wc -l; }
chaos_rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
chaos_children() { pgrep -P "$1" | sort -n | xargs; }
chaos_zombies() { ps -o pid=,stat= --ppid "$1" | awk '$2 ~ /^Z/' | wc -l; }

# chaos_settled PID FDS: every worker READY, no zombie, no more
# descriptors than FDS.
chaos_settled() {
	sv_all READY && [ "$(chaos_zombies "$1")" -eq 0 ] &&
		[ "$(chaos_nfds "$1")" -le "$2" ]
}

# chaos_end PID FDS: the checks after the run, then SIGKILL of the daemon
# leaves no worker behind.
chaos_end() {
	if ! retry 10 chaos_settled "$1" "$2"; then
		fs_fail "not settled: $(sv_states); zombies $(chaos_zombies "$1"), fds $(chaos_nfds "$1") (before: $2)"
	fi
	! grep -q 'FAILED' "$SV_LOG" || fs_fail "a worker ended FAILED: $(grep FAILED "$SV_LOG" | head -3)"
	fs_ok "daemon alive, every worker READY, no zombie, $(chaos_nfds "$1") descriptors (before: $2)"
	# A leak per restart would show here; an ASan build keeps freed
	# memory in quarantine, so only a plain build is held to it.
	rss=$(chaos_rss "$1")
	if ! ldd "$SRV" 2>/dev/null | grep -q libasan; then
		[ "$rss" -le $((CHAOS_RSS + 2048)) ] ||
			fs_fail "the daemon's memory grew from $CHAOS_RSS kB to $rss kB"
	fi
	fs_ok "daemon resident memory $rss kB (before: $CHAOS_RSS kB)"
	kids=$(chaos_children "$1")
	[ -n "$kids" ] || fs_fail "the daemon has no worker processes"
	kill -KILL "$1"
	for k in $kids; do
		retry 5 fs_gone "$k" || fs_fail "worker $k outlived the daemon"
	done
	fs_ok "SIGKILL of the daemon: its workers $kids are gone"
}

cat >"$FS_TMP/chaos_driver.py" <<'EOF'
import csv, json, os, random, signal, subprocess, sys, time

args = sys.argv[1:]
restart = "--restart" in args
if restart:
    args.remove("--restart")
daemon_pid, conf, sock, ctl, csvpath, faultlog = args[:6]
daemon_pid = int(daemon_pid)
rest = args[6:]
sep = rest.index("--")
client_cmd, daemon_cmd = rest[:sep], rest[sep + 1:]
timeout_ms = int(client_cmd[client_cmd.index("--timeout-ms") + 1])
rng = random.Random(int(os.environ.get("FS_SEED", "0")) or None)
now = time.monotonic_ns
faults = []     # (start_ns, end_ns, worker name or "*", what)


def children(ppid):
    kids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read().rsplit(")", 1)[1].split()
            if int(st[1]) == ppid and st[0] != "Z":
                with open("/proc/%s/cmdline" % d, "rb") as f:
                    argv = f.read().split(b"\0")
                name = argv[argv.index(b"--name") + 1].decode()
                kids.append((int(d), name))
        except (OSError, ValueError, IndexError):
            pass
    return kids


def status():
    """{worker: (state, pid)}, empty if the daemon does not answer."""
    r = subprocess.run([ctl, "-s", sock, "-j", "status"], capture_output=True)
    if r.returncode != 0:
        return {}
    return dict((w["id"], (w["state"], w["pid"])) for w in json.loads(r.stdout)["workers"])


def all_ready():
    st = status()
    return len(st) == 6 and all(v[0] == "READY" for v in st.values())


def settle():
    """A fault ends once its worker is READY again in a new process (or,
    for a stop, once it is continued), plus AFTER for the client to
    reconnect and for the requests in flight to time out."""
    st = status()
    for f in faults:
        if f[1] is not None:
            continue
        ws = [w for w in st if f[2] in (w, "*")]
        if ws and all(st[w][0] == "READY" and st[w][1] not in f[4] for w in ws):
            f[1] = now() + AFTER


def rewrite_cost(cost):
    """C3's cost and seed: a new seed restarts it."""
    with open(conf) as f:
        text = f.read()
    old = [l for l in text.splitlines() if '"C3"' in l][0]
    new = old.split("cost_ms")[0] + "cost_ms = %s; seed = %s; }" % (cost, cost)
    with open(conf + ".new", "w") as f:
        f.write(text.replace(old, new))
    os.rename(conf + ".new", conf)


def established(ports):
    n = 0
    for line in open("/proc/net/tcp").readlines()[1:]:
        f = line.split()
        if f[3] == "01" and int(f[2].split(":")[1], 16) in ports:
            n += 1
    return n


launch = now()
client = subprocess.Popen(client_cmd, stdout=subprocess.DEVNULL,
                          stderr=open(faultlog + ".client", "w"))
# The client's clock starts once it is connected to every worker it uses.
ports = set(int(x) for x in os.environ["CHAOS_PORTS"].split())
while established(ports) < len(ports) and client.poll() is None:
    if now() - launch > 10 * 10**9:
        sys.exit("the client did not connect to the %d workers" % len(ports))
    time.sleep(0.002)
launch = now()
kills = 0
stopped = None
hups = 0
restarted = False
expected = 1.0 * int(client_cmd[client_cmd.index("--frames") + 1]) / \
    float(client_cmd[client_cmd.index("--fps") + 1]) * 1e9
# Faults for the first 70 % of the expected run, then quiet: the frames
# sent once every fault is over must all succeed. A fault is [start, end,
# worker or "*", what, pids it took down].
AFTER = (timeout_ms + 300) * 10**6
while client.poll() is None:
    frac = (now() - launch) / expected
    time.sleep(0.2 if frac < 0.7 else 0.05)
    settle()
    if frac >= 0.7:
        continue
    kids = [k for k in children(daemon_pid) if stopped is None or k[0] != stopped[0]]
    if kids:
        pid, name = kids.pop(rng.randrange(len(kids)))
        try:
            os.kill(pid, signal.SIGKILL)
            faults.append([now(), None, name, "kill", [pid]])
            kills += 1
        except ProcessLookupError:
            pass
    if stopped is None and frac > 0.15 and kids and not any(f[3] == "stop" for f in faults):
        pid, name = rng.choice(kids)
        try:
            os.kill(pid, signal.SIGSTOP)
            stopped = (pid, name, now())
        except ProcessLookupError:
            pass        # gone meanwhile: stop another next time
    elif stopped is not None and now() - stopped[2] >= 10**9:
        try:
            os.kill(stopped[0], signal.SIGCONT)
        except ProcessLookupError:
            pass        # a reload replaced it meanwhile
        faults.append([stopped[2], now() + AFTER, stopped[1], "stop", []])
        stopped = None
    if (hups == 0 and frac > 0.3) or (hups == 1 and frac > 0.55):
        c3 = [k[0] for k in children(daemon_pid) if k[1] == "C3"]
        rewrite_cost(2 if hups == 0 else 1)
        os.kill(daemon_pid, signal.SIGHUP)
        faults.append([now(), None, "C3", "hup", c3])
        hups += 1
    if restart and not restarted and frac > 0.45:
        old = [k[0] for k in children(daemon_pid)]
        faults.append([now(), None, "*", "restart", old])
        os.kill(daemon_pid, signal.SIGKILL)
        new = subprocess.Popen(daemon_cmd, stdout=open(faultlog + ".daemon2", "w"),
                               stderr=subprocess.STDOUT)
        with open(faultlog + ".pid", "w") as f:
            f.write("%d\n" % new.pid)
        daemon_pid = new.pid
        deadline = now() + 15 * 10**9
        while not all_ready():
            if now() > deadline:
                sys.exit("the restarted daemon did not get every worker READY")
            time.sleep(0.02)
        for p in old:
            if os.path.exists("/proc/%d" % p):
                with open("/proc/%d/stat" % p) as f:
                    if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                        sys.exit("worker %d outlived its daemon" % p)
        restarted = True
if stopped is not None:
    try:
        os.kill(stopped[0], signal.SIGCONT)
    except ProcessLookupError:
        pass
settle()
with open(faultlog, "w") as f:
    for s, e, w, what, pids in faults:
        f.write("%.3f %s %s %s\n" % ((s - launch) / 1e9,
                "-" if e is None else "%.3f" % ((e - launch) / 1e9), what, w))
for f in faults:
    if f[1] is None:
        sys.exit("%s of %s at %.3f s: not READY again by the end" %
                 (f[3], f[2], (f[0] - launch) / 1e9))
rc = client.returncode
if rc not in (0, 1):
    sys.exit("the client exited %d" % rc)

# The client's clock starts a little after launch (within INIT): a frame
# met a fault if it was in flight during the fault or its recovery.
INIT = 500 * 10**6
SLACK = (timeout_ms + 200) * 10**6
quiet = max(f[1] for f in faults) if faults else launch
rows = list(csv.DictReader(open(csvpath)))
nframes = int(client_cmd[client_cmd.index("--frames") + 1])
if len(rows) != nframes:
    sys.exit("%d CSV rows for %d frames" % (len(rows), nframes))
workers = sorted(k[:-len("_status")] for k in rows[0] if k.endswith("_status"))
failed = unexplained = nquiet = 0
for r in rows:
    if r["status"] not in ("ok", "timeout", "error"):
        sys.exit("frame %s has status %r" % (r["frame"], r["status"]))
    sent = launch + int(float(r["sent_us"]) * 1000)
    if sent > quiet:
        nquiet += 1
        if r["status"] != "ok":
            sys.exit("frame %s failed (%s) %.3f s after the last fault" %
                     (r["frame"], r["status"], (sent - quiet) / 1e9))
    if r["status"] == "ok":
        continue
    failed += 1
    for w in workers:
        if r[w + "_status"] == "ok":
            continue
        if not any(f[2] in (w, "*") and sent + INIT >= f[0] - SLACK and sent <= f[1]
                   for f in faults):
            unexplained += 1
            print("frame %s: %s %s with no fault near it" % (r["frame"], w, r[w + "_status"]),
                  file=sys.stderr)
if unexplained:
    sys.exit("%d failed parts of frames met no fault" % unexplained)
if nquiet < 100:
    sys.exit("only %d frames after the last fault" % nquiet)
print("%d frames, %d failed (each met a fault), the %d after the faults all ok; "
      "faults: %d SIGKILL, %d SIGSTOP, %d SIGHUP%s; client exit %d"
      % (nframes, failed, nquiet, kills, sum(f[3] == "stop" for f in faults), hups,
         ", 1 daemon restart" if restarted else "", rc))
EOF

# chaos_run [--restart]: the scenario; the daemon is $SV_PID.
chaos_run() {
	p=$(fs_free_ports 6)
	chaos_conf "$p" 1
	sv_start
	retry 15 sv_all READY || fs_fail "not READY: $(sv_states)"
	fds=$(chaos_nfds "$SV_PID")
	CHAOS_RSS=$(chaos_rss "$SV_PID")
	fs_on_exit chaos_cleanup
	$PY "$FS_TMP/chaos_driver.py" "$@" "$SV_PID" "$CONF" "$SOCK" "$CTL" \
	    "$FS_TMP/chaos.csv" "$FS_TMP/faults.log" \
	    "$CLIENT" -c "$CONF" --width 64 --height 48 --frames "$CHAOS_FRAMES" \
	    --fps "$CHAOS_FPS" --in-flight 4 --timeout-ms 250 --csv "$FS_TMP/chaos.csv" \
	    -- "$SRV" -c "$CONF" -s "$SOCK" --worker "$WORKER" \
	    >"$FS_TMP/driver.out" 2>"$FS_TMP/driver.log" ||
		fs_fail "$(tail -5 "$FS_TMP/driver.log")"
	fs_ok "$(cat "$FS_TMP/driver.out")"
	if [ -f "$FS_TMP/faults.log.pid" ]; then
		wait "$SV_PID"	# the first daemon, killed mid-run
		SV_PID=$(cat "$FS_TMP/faults.log.pid")
		cat "$FS_TMP/faults.log.daemon2" >>"$SV_LOG"
	fi
	chaos_end "$SV_PID" "$fds"
}

# A daemon the driver started is killed at teardown too.
chaos_cleanup() {
	[ -f "$FS_TMP/faults.log.pid" ] && kill -KILL "$(cat "$FS_TMP/faults.log.pid")" 2>/dev/null
	return 0
}
