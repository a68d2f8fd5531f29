#!/bin/sh
# hostile_control.sh: garbage on the daemon's control socket.
#
# Malformed, oversized, non-UTF-8, unknown commands, wrong or missing
# protocol versions, bad set requests (each refused, changing nothing)
# and a couple of thousand random messages each get an
# error reply ({"v":1,"ok":false,"error":...}); an empty message or a
# client that never reads its replies may be dropped. More clients than the
# daemon serves at once, and one that holds its connection open, do not
# stop the others. Afterwards the daemon answers, its worker kept its pid
# and its descriptors did not grow. The worker listens on 127.0.0.1 by
# default and is exec'd directly; an unprivileged user cannot connect.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/servers_lib.sh"

p=$(fs_free_ports 1)
sv_conf <<EOF
Steady:echo:$p
EOF
sv_start
retry 10 sv_all READY || fs_fail "not READY: $(sv_states)"
pid=$(sv_get Steady pid)
fds=$(ls "/proc/$SV_PID/fd" | wc -l)

cat >"$FS_TMP/hostile_control.py" <<'EOF'
import json, os, random, socket, sys

path = sys.argv[1]
rng = random.Random(int(os.environ.get("FS_SEED", "0")) or None)
tried = 0


def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)     # blocking: waits while the backlog is full
    s.settimeout(5)
    return s


def ask(s, msg, what, may_drop=False):
    """Send one request; the reply must be an error (None if dropped)."""
    global tried
    tried += 1
    s.send(msg)
    try:
        r = s.recv(1 << 20)
    except ConnectionResetError:
        r = b""
    if not r:
        if may_drop:
            return None
        sys.exit("%s: no reply, connection closed" % what)
    try:
        o = json.loads(r)
    except ValueError:
        sys.exit("%s: the reply is not JSON: %r" % (what, r[:200]))
    if o.get("v") != 1 or o.get("ok") is not False or not o.get("error"):
        sys.exit("%s: not an error reply: %r" % (what, o))
    return o["error"]


def status_ok(s, what):
    s.send(b'{"v":1,"cmd":"status"}')
    o = json.loads(s.recv(1 << 20))
    if o.get("ok") is not True:
        sys.exit("status after %s: %r" % (what, o))


BAD = [
    (b"{", "unterminated JSON"),
    (b"}", "a closing brace"),
    (b"[]", "an array"),
    (b'"status"', "a string"),
    (b"null", "null"),
    (b"{}", "an empty object"),
    (b'{"cmd":"status"}', "no version"),
    (b'{"v":2,"cmd":"status"}', "version 2"),
    (b'{"v":0,"cmd":"status"}', "version 0"),
    (b'{"v":-1,"cmd":"status"}', "version -1"),
    (b'{"v":"1","cmd":"status"}', "version as a string"),
    (b'{"v":1.0,"cmd":"status"}', "version as a real"),
    (b'{"v":99999999999999999999,"cmd":"status"}', "a huge version"),
    (b'{"v":1}', "no command"),
    (b'{"v":1,"cmd":7}', "a numeric command"),
    (b'{"v":1,"cmd":"explode"}', "an unknown command"),
    (b'{"v":1,"cmd":"STATUS"}', "a command in capitals"),
    (b'{"v":1,"cmd":"' + b"x" * 3000 + b'"}', "a long unknown command"),
    (b'{"v":1,"cmd":"' + b"a" * 63 + "\u00e9\u00e9".encode() + b'"}', "a command cut in UTF-8"),
    (b'{"v":1,"cmd":"stop"}', "stop without a name"),
    (b'{"v":1,"cmd":"stop","name":""}', "stop with an empty name"),
    (b'{"v":1,"cmd":"stop","name":7}', "stop with a numeric name"),
    (b'{"v":1,"cmd":"stop","name":"nobody"}', "stop of an unknown worker"),
    (b'{"v":1,"cmd":"stop","name":"' + b"n" * 200 + b'"}', "a long name"),
    (b'{"v":1,"cmd":"stop","name":"../../etc"}', "a path as a name"),
    (b'{"v":1,"cmd":"stop","name":"\\u00e9\\u0001"}', "control characters in a name"),
    (b'{"v":1,"cmd":"set","name":"Steady"}', "set without assignments"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":[]}', "set of nothing"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":"cost_ms=5"}', "set as a string"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":[5]}', "set of a number"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":[""]}', "set of an empty string"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":["cost_ms=5\u0000x"]}', "set with a NUL"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":["cost_ms=' + b"5" * 200 + b'"]}', "a long assignment"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":[' + b",".join([b'"cost_ms=5"'] * 17) + b']}', "17 assignments"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":["cost_ms"]}', "set without ="),
    (b'{"v":1,"cmd":"set","name":"Steady","set":["=5"]}', "set without a key"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":["port=5"]}', "set of a key it does not take live"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":["cost_ms=-1"]}', "set out of range"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":["cost_ms=1e999"]}', "set of an infinite cost"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":["cost_ms=nan"]}', "set of NaN"),
    (b'{"v":1,"cmd":"set","name":"Steady","set":["cost_ms=5","error_rate=0.7","drop_rate=0.7"]}', "rates past 1"),
    (b'{"v":1,"cmd":"set","name":"nobody","set":["cost_ms=5"]}', "set of an unknown worker"),
    (b'{"v":1,"v":1,"cmd":"status"}', "a duplicate key"),
    (b'{"v":1,"cmd":"status"}\xff', "trailing garbage"),
    (b'{"v":1,"cmd":"st\xc3\x28tus"}', "invalid UTF-8"),
    (b'{"v":1,"cmd":"status","x":"\\ud800"}', "a lone surrogate"),
    (b"[" * 4000, "deep nesting"),
    (b" " * 4097, "one byte over the limit"),
    (b'{"v":1,"cmd":"status","pad":"' + b"p" * 100000 + b'"}', "100 kB"),
    (b"\x00" * 64, "NUL bytes"),
]

s = conn()
status_ok(s, "connecting")
for msg, what in BAD:
    ask(s, msg, what)
    status_ok(s, what)

# Random messages: bytes, mangled requests.
for i in range(int(os.environ.get("FS_HOSTILE_RANDOM", "2000"))):
    if rng.random() < 0.5:
        m = bytearray(rng.choice([b'{"v":1,"cmd":"stop","name":"Steady"}',
                                  b'{"v":1,"cmd":"status"}']))
        for _ in range(rng.randrange(1, 4)):
            m[rng.randrange(len(m))] = rng.randrange(256)
        m = bytes(m)
        if b"Steady" in m or m == b'{"v":1,"cmd":"status"}':
            continue            # might be a valid request
    else:
        m = os.urandom(rng.randrange(1, 300))
    ask(s, m, "random message %d: %r" % (i, m[:40]))
status_ok(s, "random messages")

# An empty message: an error or a dropped connection.
ask(s, b"", "an empty message", may_drop=True)
s.close()

# More clients than the daemon serves at once; one idle all along.
idle = conn()
many = [conn() for _ in range(80)]
for c in many[-10:]:
    status_ok(c, "80 connections")
for c in many:
    c.close()
# A client that never reads its replies.
deaf = conn()
deaf.setblocking(False)
for _ in range(3000):
    try:
        deaf.send(b'{"v":1,"cmd":"status"}')
    except (BlockingIOError, BrokenPipeError, ConnectionResetError):
        break
deaf.close()
s = conn()
status_ok(s, "a client that does not read")
s.close()
idle.close()
print("bad control messages tried: %d" % tried)
EOF

$PY "$FS_TMP/hostile_control.py" "$SOCK" >"$FS_TMP/hostile.out" 2>&1 ||
	fs_fail "$(tail -5 "$FS_TMP/hostile.out")"
fs_ok "$(cat "$FS_TMP/hostile.out")"

kill -0 "$SV_PID" 2>/dev/null || fs_fail "the daemon died"
[ "$(sv_states)" = "Steady=READY" ] || fs_fail "states changed: $(sv_states)"
[ "$(sv_get Steady pid)" = "$pid" ] || fs_fail "Steady was restarted"
[ "$(sv_get Steady cost_ms)" = 1.0 ] || fs_fail "a bad set changed Steady's cost: $(sv_get Steady cost_ms)"
fds_now() { [ "$(ls "/proc/$SV_PID/fd" | wc -l)" -le "$fds" ]; }
retry 5 fds_now || fs_fail "the daemon's descriptors grew from $fds to $(ls "/proc/$SV_PID/fd" | wc -l)"
fs_ok "daemon unharmed: Steady kept pid $pid, $fds descriptors"

# Security defaults: with no "bind" key the worker listens on loopback
# only, and it is the fake-worker program itself, no shell in between.
addr=$(ss -Hltn "sport = :$p" | awk '{print $4}' | xargs)
[ "$addr" = "127.0.0.1:$p" ] || fs_fail "the worker listens on '$addr', not 127.0.0.1:$p"
exe=$(readlink "/proc/$pid/exe")
[ "$exe" = "$(readlink -f "$WORKER")" ] || fs_fail "the worker runs '$exe', not $WORKER"
fs_ok "the worker listens on $addr only and runs $exe directly"

# Only the owner may connect: the socket is 0600, its directories are
# open to all here so that the socket's own mode is what refuses.
mode=$(stat -c '%a %U' "$SOCK")
[ "$mode" = "600 $(id -un)" ] || fs_fail "control socket is '$mode', not '600 $(id -un)'"
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	fs_ok "unprivileged connection not tried (needs root and setpriv)"
	exit 0
fi
chmod 0755 "$FS_TMP" "$(dirname "$SOCK")"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
nobody $PY -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
try:
    s.connect(sys.argv[1])
except PermissionError:
    sys.exit(0)
sys.exit("connected as an unprivileged user")' "$SOCK" ||
	fs_fail "an unprivileged user could connect"
nobody "$CTL" -s "$SOCK" status >"$FS_TMP/ctl.out" 2>&1 &&
	fs_fail "fake-serversctl status worked as an unprivileged user"
grep -qi 'permission denied' "$FS_TMP/ctl.out" ||
	fs_fail "fake-serversctl does not say why: $(cat "$FS_TMP/ctl.out")"
fs_ok "unprivileged user refused: $(head -1 "$FS_TMP/ctl.out")"
