#!/bin/sh
# curve_keygen.sh: fake-serversctl keygen writes key files that pyzmq's
# zmq.auth reads (the same keys, the secret one mode 0600), and the files
# pyzmq writes are read here; keygen never replaces a key and refuses bad
# names with exit 64.
. "$top_srcdir/tests/lib.sh"
fs_need_python
CTL=$(fs_bin fake-serversctl)
CHECK=$(fs_bin tests/cert_check)
d=$FS_TMP/keys
mkdir "$d"

out=$("$CTL" keygen "$d" alice) || fs_fail "keygen failed: $out"
[ "$(stat -c %a "$d/alice.key_secret")" = 600 ] || fs_fail "alice.key_secret is not mode 0600"
ours=$("$CHECK" -s "$d/alice.key_secret") || fs_fail "cert_check: $ours"
theirs=$($PY -c '
import sys, zmq.auth
p, s = zmq.auth.load_certificate(sys.argv[1] + "/alice.key_secret")
p2, s2 = zmq.auth.load_certificate(sys.argv[1] + "/alice.key")
assert p2 == p and s2 is None, (p, p2, s2)
assert zmq.curve_public(s) == p
print(sys.argv[1] + "/alice.key_secret", p.decode(), s.decode())' "$d") ||
	fs_fail "pyzmq cannot read them"
[ "$ours" = "$theirs" ] || fs_fail "pyzmq reads other keys: '$ours' vs '$theirs'"
echo "$out" | grep -qF "$(echo "$ours" | cut -d' ' -f2)" || fs_fail "keygen does not print the public key: $out"
fs_ok "keygen's files read by pyzmq: the same pair"

$PY -c 'import sys, zmq.auth; zmq.auth.create_certificates(sys.argv[1], "bob")' "$d"
chmod 600 "$d/bob.key_secret"
ours=$("$CHECK" -s "$d/bob.key_secret" && "$CHECK" "$d/bob.key") || fs_fail "pyzmq's files refused: $ours"
fs_ok "pyzmq's files read here"

"$CTL" keygen "$d" alice 2>"$FS_TMP/again.log" && fs_fail "keygen replaced a key"
grep -q "alice.key_secret: File exists" "$FS_TMP/again.log" || fs_fail "no reason: $(cat "$FS_TMP/again.log")"
"$CTL" keygen "$d" ../evil 2>/dev/null; [ $? -eq 64 ] || fs_fail "a bad name is not a usage error"
"$CTL" keygen "$d" 2>/dev/null; [ $? -eq 64 ] || fs_fail "a missing name is not a usage error"
fs_ok "an existing key is never replaced; bad names and arguments are usage errors"
