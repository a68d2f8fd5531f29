#!/bin/sh
# hostile_conf.sh: the daemon itself, given each broken config of the
# golden corpus (tests/conf/*.ok ending "exit 78"), exits 78 with that
# config's every file:line: message, starts no worker, binds no port and
# leaves no control socket. Then a running daemon is pointed at each of
# them in turn (`fake-serversctl reload`): every reload is refused with the
# errors, and the daemon and its worker carry on untouched, as they do
# through a storm of SIGHUPs.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"
# libconfig 1.5 leaks on some syntax errors (fuzz/lsan.supp).
: "${LSAN_OPTIONS:=suppressions=$top_srcdir/fuzz/lsan.supp}"
export LSAN_OPTIONS

CORPUS=$top_srcdir/tests/conf
[ -d "$CORPUS" ] || fs_skip "no config corpus in $CORPUS"

# A worker program that only says it was run.
STARTED=$FS_TMP/started
cat >"$FS_TMP/worker.sh" <<EOF
#!/bin/sh
echo "\$*" >>"$STARTED"
exec "$WORKER" "\$@"
EOF
chmod +x "$FS_TMP/worker.sh"

# The listening TCP sockets of this host, to compare.
listening() { ss -Hltn | awk '{print $4}' | sort; }

# run_bad NAME FILE: the daemon on one broken config.
run_bad() {
	rm -f "$STARTED" "$SOCK"
	( cd "$CORPUS" && exec timeout 10 "$SRV" -c "$2" -s "$SOCK" \
	    --worker "$FS_TMP/worker.sh" ) >"$FS_TMP/out" 2>&1
	rc=$?
	[ $rc -eq 78 ] || { cat "$FS_TMP/out" >&2; fs_fail "$1: exit $rc, not 78"; }
	# @CORPUS@: the directory a relative cost_file is made absolute in.
	sed -e '$d' -e "s#@CORPUS@/#$(cd "$CORPUS" && pwd -P)/#g" \
	    "$CORPUS/$1.ok" >"$FS_TMP/want"
	[ -s "$FS_TMP/want" ] || fs_fail "$1: the .ok file has no error line"
	while IFS= read -r line; do
		grep -qF -- "$line" "$FS_TMP/out" ||
			fs_fail "$1: '$line' is not in the daemon's output: $(cat "$FS_TMP/out")"
	done <"$FS_TMP/want"
	[ ! -e "$STARTED" ] || fs_fail "$1: a worker was started: $(cat "$STARTED")"
	[ ! -e "$SOCK" ] || fs_fail "$1: the control socket $SOCK was left behind"
}

mkdir -p "$FS_TMP/run"
before=$(listening)
n=0 nlines=0
for ok in "$CORPUS"/*.ok; do
	[ "$(tail -1 "$ok")" = "exit 78" ] || continue
	name=$(basename "$ok" .ok)
	file=$name.conf
	[ -d "$CORPUS/$name" ] && file=$name/fake-servers.conf
	run_bad "$name" "$file"
	n=$((n + 1))
	nlines=$((nlines + $(wc -l <"$FS_TMP/want")))
done
[ $n -ge 30 ] || fs_fail "only $n broken configs in $CORPUS (30 wanted)"
after=$(listening)
# Other tests run at the same time: only a port of our configs would matter.
new=$(printf '%s\n' "$after" | grep -vxF -- "$before" | sed 's/.*://' | sort -u)
for port in $new; do
	if grep -qw -- "$port" "$CORPUS"/*.conf 2>/dev/null; then
		fs_fail "port $port of a broken config is listening"
	fi
done
fs_ok "$n broken configs: exit 78, their $nlines file:line: messages, no worker, no socket"

# A running daemon, reloaded with each broken single-file config.
p=$(fs_free_ports 1)
sv_conf <<EOF
Steady:echo:$p
EOF
cp "$CONF" "$FS_TMP/good.conf"
SV_WORKER=$FS_TMP/worker.sh sv_start
retry 10 sv_all READY || fs_fail "not READY: $(sv_states)"
pid=$(sv_get Steady pid)
fds=$(ls "/proc/$SV_PID/fd" | wc -l)
nr=0
for ok in "$CORPUS"/*.ok; do
	[ "$(tail -1 "$ok")" = "exit 78" ] || continue
	name=$(basename "$ok" .ok)
	[ -f "$CORPUS/$name.conf" ] || continue
	cp "$CORPUS/$name.conf" "$CONF"
	sv_ctl reload >"$FS_TMP/out" 2>&1 && fs_fail "$name: the reload was accepted"
	# The first error, with our file's name instead of the corpus's
	# (and its directory's).
	want=$(sed -n "1{s|$name\\.conf|$CONF|g;s|@CORPUS@/|$(cd "$FS_TMP" && pwd -P)/|g;p}" "$ok")
	grep -qF -- "$want" "$FS_TMP/out" ||
		fs_fail "$name: the reload does not say '$want': $(cat "$FS_TMP/out")"
	nr=$((nr + 1))
done
kill -0 "$SV_PID" 2>/dev/null || fs_fail "the daemon died"
[ "$(sv_states)" = "Steady=READY" ] || fs_fail "states changed: $(sv_states)"
[ "$(sv_get Steady pid)" = "$pid" ] || fs_fail "Steady was restarted"
[ "$(wc -l <"$STARTED")" -eq 1 ] || fs_fail "workers started: $(cat "$STARTED")"
fds2=$(ls "/proc/$SV_PID/fd" | wc -l)
[ "$fds2" -le "$fds" ] || fs_fail "the daemon's descriptors grew from $fds to $fds2"
cp "$FS_TMP/good.conf" "$CONF"
sv_ctl reload >/dev/null || fs_fail "the good config does not reload"
fs_ok "$nr broken reloads refused; Steady kept pid $pid, $fds descriptors"

# A storm of SIGHUPs with an unchanged config changes nothing either.
i=0
while [ $i -lt 100 ]; do kill -HUP "$SV_PID"; i=$((i + 1)); done
retry 5 sv_ctl status >/dev/null || fs_fail "the daemon does not answer after 100 SIGHUPs"
kill -0 "$SV_PID" 2>/dev/null || fs_fail "the daemon died of 100 SIGHUPs"
[ "$(sv_get Steady pid)" = "$pid" ] || fs_fail "Steady was restarted by unchanged reloads"
[ "$(ls "/proc/$SV_PID/fd" | wc -l)" -le "$fds" ] ||
	fs_fail "the daemon's descriptors grew after 100 SIGHUPs"
fs_ok "100 SIGHUPs: Steady kept pid $pid"
