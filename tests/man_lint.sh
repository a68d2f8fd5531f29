#!/bin/sh
# Every man page is mdoc and `mandoc -Tlint` clean: those in man/ and those
# the build generates from man/*.in with the install paths, which must name
# no placeholder left unfilled. No page hard-codes an install path: the
# configuration and the run-time directory come from configure's.
. "$top_srcdir/tests/lib.sh"
[ -n "${MANDOC:-}" ] && [ -x "$MANDOC" ] || MANDOC=$(command -v mandoc) || fs_skip "mandoc is not installed"
n=0
for m in "$top_srcdir"/man/*.[158] "$top_srcdir"/man/*.[158].in; do
	[ -f "$m" ] || continue
	! grep -n '/etc/fake-servers\|/run/fake-servers' "$m" ||
		fs_fail "$m: a path that configure chooses is written out (@sysconfdir@, @runstatedir@)"
	case $m in
	*.in)
		m=$top_builddir/man/$(basename "$m" .in)
		[ -f "$m" ] || fs_fail "$m was not generated"
		! grep -n '@[a-z_]*@' "$m" || fs_fail "$m: a path left unfilled"
		;;
	esac
	out=$("$MANDOC" -Tlint -Wwarning "$m" 2>&1) || true
	[ -z "$out" ] || fs_fail "mandoc -Tlint $m: $out"
	n=$((n + 1))
done
[ $n -gt 0 ] || fs_skip "no man pages yet"
fs_ok "$n man pages lint clean"
