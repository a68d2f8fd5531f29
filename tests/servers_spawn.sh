#!/bin/sh
# How a worker is started: the argv built from the config (effective cost
# as --cost-ms and the product of the coefficients as --coef, the frame
# limit as --max-frame-bytes (default or per worker), never through
# a shell), its own process group, an empty signal mask, no ignored
# signals and no descriptor beyond stdin, stdout, stderr and the request
# counters' memory file as descriptor 3 (--stats-fd 3, its own slot).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

p=$(fs_free_ports 2)
# A worker program that notes what it inherited, then becomes the real one.
SV_WORKER=$FS_TMP/worker.sh
cat >"$SV_WORKER" <<EOF
#!/bin/sh
# (The shell blocks signals around its own children: python reads the mask.)
{
	grep -E '^SigIgn:' /proc/\$\$/status
	echo "pgid \$(cut -d' ' -f5 /proc/\$\$/stat) pid \$\$"
} >"$FS_TMP/spawn.\$2"
exec $PY -c '
import os, sys
fds = sorted(int(f) for f in os.listdir("/proc/self/fd"))
blk = [l for l in open("/proc/self/status") if l.startswith("SigBlk:")]
with open(sys.argv[1], "a") as f:
    f.write("fds %s\n%s" % (" ".join(map(str, fds[:-1])), blk[0]))
    f.write("fd3 %s\n" % (os.readlink("/proc/self/fd/3") if 3 in fds[:-1] else "-"))
os.execv(sys.argv[2], sys.argv[2:])' "$FS_TMP/spawn.\$2" "$WORKER" "\$@"
EOF
chmod +x "$SV_WORKER"
SV_GLOBAL="coef = 2.0;"
sv_conf <<EOF
Seg:segmentation:$p:cost_ms = 10; coef = 1.5;
Cls:classification:$((p + 1)):n_classes = 7; max_frame_bytes = 2048;
EOF
sv_start
retry 10 sv_all READY || fs_fail "not all READY: $(sv_states)"

pid=$(sv_get Seg pid)
argv=$(tr '\0' ' ' <"/proc/$pid/cmdline")
case $argv in
*"$WORKER --name Seg --kind segmentation --endpoint tcp://127.0.0.1:$p --cost-ms 10 --coef 3 --max-frame-bytes 268435456 "*"--stats-fd 3 --stats-slot 0 "*) ;;
*) fs_fail "unexpected argv of Seg: $argv" ;;
esac
[ "$(sv_get Seg cost_ms)" = 30.0 ] || fs_fail "status shows cost_ms $(sv_get Seg cost_ms), not 30.0"
argv=$(tr '\0' ' ' <"/proc/$(sv_get Cls pid)/cmdline")
case $argv in
*"--kind classification "*"--max-frame-bytes 2048 --n-classes 7"*"--stats-fd 3 --stats-slot 1"*) ;;
*) fs_fail "unexpected argv of Cls: $argv" ;;
esac
fs_ok "argv: $(tr '\0' ' ' <"/proc/$pid/cmdline" | sed "s|$WORKER|fake-worker|")"

for w in Seg Cls; do
	f=$FS_TMP/spawn.$w
	[ -s "$f" ] || fs_fail "the worker program did not run for $w"
	grep -q '^SigBlk:[[:space:]]*0*$' "$f" || fs_fail "$w started with blocked signals: $(cat "$f")"
	# Signals 32 and 33 belong to the C library, which refuses to reset
	# them: they may come ignored from whoever started the test.
	ign=$(awk '$1 == "SigIgn:" { print $2 }' "$f")
	$PY -c 'import sys; sys.exit(int(sys.argv[1], 16) & ~0x180000000 != 0)' "$ign" ||
		fs_fail "$w started with ignored signals: $(cat "$f")"
	awk '$1 == "pgid" { exit !($2 == $4) }' "$f" || fs_fail "$w is not in its own process group: $(cat "$f")"
	grep -q '^fds 0 1 2 3$' "$f" || fs_fail "$w inherited descriptors: $(cat "$f")"
	grep -q '^fd3 /memfd:fake-servers-counters' "$f" || fs_fail "$w: descriptor 3 is not the counters: $(cat "$f")"
	[ "$(awk '$1 == "pgid" { print $4 }' "$f")" = "$(sv_get $w pid)" ] ||
		fs_fail "$w: the pid the daemon knows is not the one it started"
done
fs_ok "own process group, no blocked or ignored signal, only fds 0 1 2 and the counters as 3"
