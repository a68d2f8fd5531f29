#!/bin/sh
# Golden config tests: every tests/conf/NAME.ok is the expected output (with
# the exit status last) of checking NAME.conf, or NAME/fake-servers.conf
# with its fake-servers.d, or a NAME.conf that does not exist, or for
# etc-NAME.ok the shipped etc/NAME.conf. The checker
# is tests/conf_check -v, and fake-servers -n -v when it is built: both
# must print exactly the .ok file. A good config's normalised output must
# itself check OK and print the same again. Every shipped etc/*.conf must
# check OK.
#
# Both read CURVE key files as fake-servers -n does (not those named as
# systemd credentials: the daemon reads them).
#
# FS_GOLDEN_UPDATE=1 rewrites the .ok files from conf_check (review them).
. "$top_srcdir/tests/lib.sh"

CHECK=$(fs_bin tests/conf_check)
SERVERS=$(fs_bin fake-servers)
[ -x "$CHECK" ] || fs_skip "tests/conf_check is not built"
CORPUS="$top_srcdir/tests/conf"

# run CMD...: its output and exit status as in the .ok files, which name
# the default runtime directory as a plain configure sets it, /run, and
# this directory (where a cost_file is made absolute) @CORPUS@.
run() {
	"$@" >"$FS_TMP/run.out" 2>&1
	echo "exit $?" >>"$FS_TMP/run.out"
	sed -e "s#${RUNSTATEDIR:-/run}/fake-servers#/run/fake-servers#g" \
	    -e "s#$HERE/#@CORPUS@/#g" "$FS_TMP/run.out"
}

# same OK GOT LABEL: compare, show the difference.
same() {
	if ! cmp -s "$1" "$2"; then
		echo "FAIL: $3" >&2
		diff -u "$1" "$2" >&2
		return 1
	fi
}

# The normalised output of a good config parses to the same output. Its
# warnings (file:line: warning: ...) are not config, and name the lines
# of the file they were given for: left out of both.
reparse() {
	grep -v ': warning: ' "$1" >"$FS_TMP/norm.want"
	sed '$d' "$FS_TMP/norm.want" | sed '$d' | sed "s#@CORPUS@/#$HERE/#g" \
	    >"$FS_TMP/norm.conf"	# no OK, no exit
	run "$CHECK" -C -v "$FS_TMP/norm.conf" | grep -v ': warning: ' \
	    >"$FS_TMP/norm.out"
	same "$FS_TMP/norm.want" "$FS_TMP/norm.out" \
	    "$2: normalised config does not read back"
}

cd "$CORPUS" || fs_fail "no $CORPUS"
HERE=$(pwd -P)
n=0 bad=0 nservers=0
for ok in *.ok; do
	name=${ok%.ok}
	file=$name.conf
	[ -d "$name" ] && file=$name/fake-servers.conf
	case $name in etc-*) file=../../etc/${name#etc-}.conf ;; esac
	run "$CHECK" -v "$file" >"$FS_TMP/got"
	if [ -n "${FS_GOLDEN_UPDATE:-}" ]; then
		cp "$FS_TMP/got" "$ok"
	fi
	same "$ok" "$FS_TMP/got" "conf_check -v $file" || bad=$((bad + 1))
	if [ -x "$SERVERS" ]; then
		run "$SERVERS" -n -v -c "$file" >"$FS_TMP/got.servers"
		same "$ok" "$FS_TMP/got.servers" "fake-servers -n -v -c $file" ||
			bad=$((bad + 1))
		nservers=$((nservers + 1))
	fi
	if [ "$(tail -1 "$ok")" = "exit 0" ]; then
		reparse "$ok" "$file" || bad=$((bad + 1))
	fi
	n=$((n + 1))
done

for f in "$top_srcdir"/etc/*.conf; do
	run "$CHECK" "$f" >"$FS_TMP/got"
	printf 'configuration OK\nexit 0\n' >"$FS_TMP/want"
	same "$FS_TMP/want" "$FS_TMP/got" "shipped $f" || bad=$((bad + 1))
	run "$CHECK" -v "$f" >"$FS_TMP/got"
	reparse "$FS_TMP/got" "$f" || bad=$((bad + 1))
	n=$((n + 1))
done

[ $bad -eq 0 ] || fs_fail "$bad of $n golden configs differ"
fs_ok "$n golden configs ($nservers also through fake-servers -n)"
