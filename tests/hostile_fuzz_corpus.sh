#!/bin/sh
# hostile_fuzz_corpus.sh: replay every fuzz seed and every input that once
# made a fuzz target fail (tests/fuzz/<target>/) through that target's code,
# built without libFuzzer: no crash, no broken promise (and, in the
# sanitizer build, no ASan/UBSan report).
. "$top_srcdir/tests/lib.sh"
# libconfig 1.5 leaks on some syntax errors (see the file).
: "${LSAN_OPTIONS:=suppressions=$top_srcdir/fuzz/lsan.supp}"
export LSAN_OPTIONS

n=0
for dir in "$top_srcdir"/tests/fuzz/*/; do
	t=$(basename "$dir")
	bin=$(fs_bin "fuzz/replay_$t")
	[ -x "$bin" ] || fs_fail "fuzz/replay_$t is not built"
	out=$("$bin" "$dir" 2>&1) || fs_fail "replay_$t: $out"
	fs_ok "$out"
	n=$((n + 1))
done
[ $n -gt 0 ] || fs_skip "no fuzz corpora under $top_srcdir/tests/fuzz"
