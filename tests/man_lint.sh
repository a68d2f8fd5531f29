#!/bin/sh
# Every man page is mdoc and `mandoc -Tlint` clean.
. "$top_srcdir/tests/lib.sh"
[ -n "${MANDOC:-}" ] && [ -x "$MANDOC" ] || MANDOC=$(command -v mandoc) || fs_skip "mandoc is not installed"
n=0
for m in "$top_srcdir"/man/*.[158]; do
	[ -f "$m" ] || continue
	out=$("$MANDOC" -Tlint -Wwarning "$m" 2>&1) || true
	[ -z "$out" ] || fs_fail "mandoc -Tlint $m: $out"
	n=$((n + 1))
done
[ $n -gt 0 ] || fs_skip "no man pages yet"
fs_ok "$n man pages lint clean"
