#!/bin/sh
# The four programs say what was wrong with a command line in one style:
# one line on stderr starting with the program's name (not the path it was
# run by, as getopt's own messages would), exit 64.
. "$top_srcdir/tests/lib.sh"

cd "$top_builddir" || fs_fail "cd $top_builddir"
for p in fake-servers fake-serversctl fake-worker fake-client; do
	[ -x "./$p" ] || fs_skip "$p is not built"
done

# bad PROG WHAT ARG...: ./PROG ARG... is a usage error saying WHAT.
bad() {
	prog=$1 what=$2
	shift 2
	rc=0
	"./$prog" "$@" >"$FS_TMP/out" 2>"$FS_TMP/err" || rc=$?
	[ $rc -eq 64 ] || fs_fail "./$prog $*: exit $rc, not 64"
	[ ! -s "$FS_TMP/out" ] || fs_fail "./$prog $*: wrote to stdout: $(cat "$FS_TMP/out")"
	[ "$(wc -l <"$FS_TMP/err")" -eq 1 ] || fs_fail "./$prog $*: not one line: $(cat "$FS_TMP/err")"
	grep -q "^$prog: .*$what" "$FS_TMP/err" || fs_fail "./$prog $*: $(cat "$FS_TMP/err")"
	echo "./$prog $*: $(cat "$FS_TMP/err")"
}

bad fake-servers "unknown option '--bogus'" --bogus
bad fake-servers "unknown option '-x'" -x
bad fake-servers "-c needs a value" -c
bad fake-servers "unexpected argument 'extra'" extra
bad fake-servers "--pidfile goes with --daemon" --pidfile x.pid
bad fake-serversctl "unknown option '--bogus'" --bogus status
bad fake-serversctl "-s needs a value" status -s
bad fake-serversctl "unknown command 'frobnicate'" frobnicate
bad fake-serversctl "no command"
bad fake-serversctl "'stop' takes a worker NAME or 'all', not an empty one" stop ""
bad fake-serversctl "'status' takes no argument" status x
bad fake-worker "unknown option '--bogus'" --bogus
bad fake-worker "--kind needs a value" --kind
bad fake-client "unknown option '--bogus'" --bogus
bad fake-client "unknown option '-x'" -x
bad fake-client "--fps needs a value" --fps
fs_ok "one line each, the program's name first, exit 64"
