#!/bin/sh
# Workers made by the worker program's fork server (src/servers/forksrv.h):
# each is still fake-servers' own child, in a process group of its own,
# with the argv, name, program, descriptors and signal state an exec'd
# worker has, and less resident memory. A fork server that is killed is
# replaced for the next worker; a --worker script is exec'd for every
# worker, as a wrapper; a program that does not answer as a fork server
# is said so and exec'd; --no-fork-server execs every worker.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

p=$(fs_free_ports 2)
sv_conf <<EOF
Seg:segmentation:$p
Echo:echo:$((p + 1))
EOF

field() { awk -v f="$2" '$1 == f ":" { print $2 }' "/proc/$1/status"; }
argv() { tr '\0' ' ' <"/proc/$1/cmdline" | sed 's/ *$//'; }
forksrv() { pgrep -P "$SV_PID" -x fake-forkserver; }
# What a forked and an exec'd worker must share: the kinds of their
# descriptors and their signal state.
what() {
	for fd in /proc/"$1"/fd/*; do readlink "$fd"; done |
		sed 's/[0-9][0-9]*/N/g' | sort | xargs
	grep -E '^Sig(Blk|Ign|Cgt):' "/proc/$1/status" | xargs
}
asan() { ldd "$SRV" 2>/dev/null | grep -q libasan; }

sv_start
retry 10 sv_all READY || fs_fail "not READY: $(sv_states)"
fsrv=$(forksrv)
[ -n "$fsrv" ] && [ "$(echo "$fsrv" | wc -w)" -eq 1 ] ||
	fs_fail "not one fork server among the children: $(pgrep -a -P "$SV_PID")"
[ "$(argv "$fsrv")" = "$WORKER --fork-server" ] ||
	fs_fail "the fork server's command line: '$(argv "$fsrv")'"
for w in Seg Echo; do
	pid=$(sv_get $w pid)
	[ "$(awk '{ print $4, $5 }' "/proc/$pid/stat")" = "$SV_PID $pid" ] ||
		fs_fail "$w: parent and group $(awk '{ print $4, $5 }' "/proc/$pid/stat"), not $SV_PID $pid"
	[ "$(cat "/proc/$pid/comm")" = fake-worker ] || fs_fail "$w: named $(cat "/proc/$pid/comm")"
	[ "$(readlink "/proc/$pid/exe")" = "$(readlink "/proc/$fsrv/exe")" ] ||
		fs_fail "$w runs $(readlink "/proc/$pid/exe")"
	case $(argv "$pid") in
	"$WORKER --name $w --kind "*" --stats-fd 3 --stats-slot "*) ;;
	*) fs_fail "$w: command line '$(argv "$pid")'" ;;
	esac
done
seg=$(sv_get Seg pid)
forked=$(what "$seg")
frss=$(field "$seg" VmRSS)
fs_ok "workers $seg $(sv_get Echo pid) forked by $fsrv, children of $SV_PID: $(argv "$seg" | cut -c1-70)..."

# The fork server killed: the workers go on; the next one gets another.
echo=$(sv_get Echo pid)
kill -KILL "$fsrv"
retry 5 grep -q "the fork server of $WORKER: killed by signal 9 (Killed); the next worker starts another" "$SV_LOG" ||
	fs_fail "the lost fork server is not logged: $(tail -5 "$SV_LOG")"
sv_ctl restart Seg >/dev/null || fs_fail "restart Seg failed"
new() { n=$(sv_get Seg pid) && [ "$n" != "$seg" ] && [ "$n" != 0 ] && sv_is Seg READY; }
retry 10 new || fs_fail "Seg was not started again: $(sv_states)"
n=$(sv_get Seg pid)
fsrv2=$(forksrv)
[ -n "$fsrv2" ] && [ "$fsrv2" != "$fsrv" ] || fs_fail "no new fork server: $(pgrep -a -P "$SV_PID")"
[ "$(awk '{ print $4 }' "/proc/$n/stat")" = "$SV_PID" ] || fs_fail "the new Seg is not the daemon's child"
[ "$(sv_get Echo pid)" = "$echo" ] && sv_is Echo READY || fs_fail "Echo was disturbed: $(sv_states)"
fs_ok "fork server $fsrv killed: logged, Echo untouched, Seg started again as $n by fork server $fsrv2"

kids=$(sv_children)
kill -TERM "$SV_PID"
retry 5 fs_gone "$SV_PID" || fs_fail "fake-servers did not stop"
for k in $kids; do retry 5 fs_gone "$k" || fs_fail "$k ($(argv "$k")) outlived the daemon"; done
fs_ok "SIGTERM: the workers and the fork server gone ($kids)"

# --no-fork-server: the same worker, exec'd.
: >"$SV_LOG"
sv_start --no-fork-server
retry 10 sv_all READY || fs_fail "not READY: $(sv_states)"
[ -z "$(forksrv)" ] || fs_fail "a fork server with --no-fork-server"
pid=$(sv_get Seg pid)
[ "$(what "$pid")" = "$forked" ] ||
	fs_fail "forked and exec'd workers differ: forked: $forked; exec'd: $(what "$pid")"
erss=$(field "$pid" VmRSS)
if ! asan; then
	[ "$frss" -lt "$erss" ] || fs_fail "a forked worker has $frss kB resident, an exec'd one $erss kB"
fi
kill -TERM "$SV_PID"
retry 5 fs_gone "$SV_PID" || fs_fail "fake-servers did not stop"
fs_ok "--no-fork-server: exec'd, the same descriptors and signals; resident $erss kB, forked $frss kB"

# A script is a wrapper: exec'd for every worker.
SV_WORKER=$FS_TMP/wrap.sh
printf '#!/bin/sh\necho "$2" >>"%s"\nexec "%s" "$@"\n' "$FS_TMP/ran" "$WORKER" >"$SV_WORKER"
chmod +x "$SV_WORKER"
: >"$SV_LOG"
sv_start -v
retry 10 sv_all READY || fs_fail "not READY: $(sv_states)"
[ -z "$(forksrv)" ] || fs_fail "a fork server for a script"
grep -q "$SV_WORKER is not an ELF program: it is exec'd for every worker, as a wrapper" "$SV_LOG" ||
	fs_fail "not said: $(head -5 "$SV_LOG")"
[ "$(sort "$FS_TMP/ran" | xargs)" = "Echo Seg" ] || fs_fail "the script ran for: $(xargs <"$FS_TMP/ran")"
kill -TERM "$SV_PID"
retry 5 fs_gone "$SV_PID" || fs_fail "fake-servers did not stop"
fs_ok "a --worker script runs for each worker"

# A program that is no fork server: said, then exec'd (and here failing).
SV_WORKER=$(command -v sleep)
: >"$SV_LOG"
sv_start
retry 10 grep -q "the fork server of $SV_WORKER: it exited; every worker is started with exec from now on" "$SV_LOG" ||
	fs_fail "not said: $(head -5 "$SV_LOG")"
retry 10 grep -q "Seg: exited with status 1" "$SV_LOG" || fs_fail "Seg was not exec'd: $(tail -5 "$SV_LOG")"
kill -0 "$SV_PID" || fs_fail "the daemon died"
fs_ok "$(grep -o "the fork server of $SV_WORKER: it exited.*" "$SV_LOG")"
