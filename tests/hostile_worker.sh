#!/bin/sh
# hostile_worker.sh: garbage sent to fake-worker of every kind.
#
# Truncated and oversized payloads, every wrong header, shapes whose size
# overflows, too many frames, a frame over --max-frame-bytes (libzmq drops
# that connection) and a few thousand random messages: each one gets an
# error reply (or an echo: a lone frame that is not a header is echoed) or,
# for the oversized frame, a dropped connection. Never a crash: after each
# kind of abuse a good request is served, and at the end every worker is
# alive and exits 0 on SIGTERM. FS_HOSTILE_RANDOM sets the random messages
# per worker (default 1500), FS_HOSTILE_KINDS the kinds of worker tried,
# FS_WRAP a command prefix for the workers (tests/valgrind_worker.sh).
. "$top_srcdir/tests/lib.sh"
fs_need_python

: "${FS_HOSTILE_KINDS:=segmentation classification echo}"
port=$(fs_free_ports 3)
pids=
i=0
for kind in $FS_HOSTILE_KINDS; do
	fs_spawn "worker-$kind" ${FS_WRAP:-} "$(fs_bin fake-worker)" \
	    --name "Hostile-$kind" --kind "$kind" \
	    --endpoint "tcp://127.0.0.1:$((port + i))" --cost-ms 0.2 \
	    --max-frame-bytes 1048576
	pids="$pids $FS_LASTPID"
	i=$((i + 1))
done
i=0
for kind in $FS_HOSTILE_KINDS; do
	fs_wait_port $((port + i)) 20
	i=$((i + 1))
done

cat >"$FS_TMP/hostile.py" <<'EOF'
import json, os, random, struct, sys, time
import zmq

ctx = zmq.Context()
rng = random.Random(int(os.environ.get("FS_SEED", "0")) or None)
tried = 0


def sock(ep):
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVTIMEO, 5000)
    s.connect(ep)
    return s


def expect_reply(s, what, timeout_ms=5000):
    if not s.poll(timeout_ms):
        sys.exit("no reply to %s" % what)
    return s.recv_multipart()


def expect_error(s, frames, what):
    global tried
    tried += 1
    s.send_multipart([b""] + frames)
    r = expect_reply(s, what)
    if len(r) != 3 or r[0] != b"":
        sys.exit("%s: reply has %d frames: %r" % (what, len(r), r[:4]))
    h = json.loads(r[1])
    if "error" not in h or not h["error"]:
        sys.exit("%s: no error in the reply %r" % (what, h))
    if r[2] != b"":
        sys.exit("%s: error reply with a payload" % what)


def good(s, what):
    hdr = json.dumps({"dtype": "uint8", "shape": [6, 8, 3], "frame": 42})
    s.send_multipart([b"", hdr.encode(), bytes(6 * 8 * 3)])
    r = expect_reply(s, "a good request after " + what)
    h = json.loads(r[1])
    if "error" in h or h.get("frame") != 42:
        sys.exit("good request after %s: %r" % (what, h))


def bad_headers():
    big = 2**62
    yield [b"", b"x"], "empty header"
    yield [b"{", b""], "unterminated JSON"
    yield [b"[1,2]", b""], "array header"
    yield [b'"dtype"', b""], "string header"
    yield [b"{}", b""], "no dtype, no shape"
    yield [b'{"dtype":"uint8"}', b""], "no shape"
    yield [b'{"shape":[1]}', b"x"], "no dtype"
    for dt in [b"7", b"null", b'"int7"', b'""', b'">f8"', b'"float128"',
               b'"' + b"u" * 300 + b'"', b'"\\u0000"', b"[]", b"{}"]:
        yield [b'{"dtype":' + dt + b',"shape":[1]}', b"x"], "dtype " + dt[:20].decode()
    for sh in [b'"x"', b"[-1]", b"[1.5]", b"[null]", b'["1"]', b"[[1]]",
               b"[" + b"1," * 40 + b"1]", b"[18446744073709551616]",
               b"[9223372036854775807,9223372036854775807]",
               ("[%d,%d,%d]" % (big, big, big)).encode(),
               b"[4294967296,4294967296]", b"[1e3]", b"{}"]:
        yield [b'{"dtype":"uint8","shape":' + sh + b"}", b"x"], "shape " + sh[:20].decode()
    yield [b'{"dtype":"uint8","shape":[2,2,3]}', b"x" * 11], "truncated payload"
    yield [b'{"dtype":"uint8","shape":[2,2,3]}', b"x" * 13], "long payload"
    yield [b'{"dtype":"float64","shape":[2,2,3]}', b"x" * 12], "payload of uint8 size"
    yield [b'{"dtype":"uint8","shape":[2,2,3]}', b""], "empty payload"
    yield [b'{"dtype":"uint8","shape":[2,2,3]}'], "header without payload"
    yield [b'{"dtype":"uint8","shape":[1]}', b"x", b"y"], "three frames"
    yield [b'{"error":"I am a reply","dtype":"uint8","shape":[1]}', b"x"], "error in a request"
    yield [b'{"dtype":"uint8","shape":[1]}\xff', b"x"], "trailing garbage"
    yield [b'{"dtype":"uint8","sh\xc3\x28pe":[1]}', b"x"], "invalid UTF-8"
    yield [b"[" * 100000, b""], "deep nesting"
    yield [b" " * 900000 + b"{", b""], "a long header"


def hostile_fixed(ep, kind):
    s = sock(ep)
    good(s, "connecting")
    for frames, what in bad_headers():
        expect_error(s, frames, what)
        good(s, what)
    if kind == "segmentation":
        for sh in [[5], [], [2, 2, 0], [0, 2, 2, 3]]:
            n = 1
            for d in sh:
                n *= d
            expect_error(s, [json.dumps({"dtype": "uint8", "shape": sh}).encode(),
                             bytes(n)], "segmentation of shape %r" % sh)
        expect_error(s, [b'{"dtype":"complex64","shape":[2,2]}', bytes(32)],
                     "segmentation of complex numbers")
    # A frame over --max-frame-bytes: libzmq drops the connection.
    global tried
    tried += 1
    s.send_multipart([b"", b'{"dtype":"uint8","shape":[2000000]}', bytes(2000000)])
    if s.poll(1000):
        r = s.recv_multipart()
        if b"error" not in r[1]:
            sys.exit("oversized frame accepted: %r" % r[1][:100])
    s.close()
    s = sock(ep)
    good(s, "an oversized frame")
    # Many frames: more than the worker keeps, with the envelope's end
    # (an empty frame) in every place around that limit.
    for n in range(58, 70):
        for at in (n - 3, n - 2, n - 1):
            frames = [b"a"] * n
            frames[at] = b""
            if at == n - 3:
                frames[-2:] = [b'{"dtype":"uint8","shape":[1]}', b"x"]
            tried += 1
            s.send_multipart(frames)
            expect_reply(s, "%d frames, empty at %d" % (n, at))
            good(s, "%d frames" % n)
    s.close()


def random_frame():
    r = rng.random()
    if r < 0.3:
        return os.urandom(rng.randrange(0, 64))
    if r < 0.5:
        d = {"dtype": rng.choice(["uint8", "float64", "<f4", "bool", "x", 1]),
             "shape": [rng.choice([0, 1, 2, 3, 7, -1, 2**40]) for _ in range(rng.randrange(0, 5))]}
        if rng.random() < 0.3:
            d["frame"] = rng.choice([1, -1, 2**63 - 1, "x", None])
        s = json.dumps(d).encode()
        if rng.random() < 0.3:
            s = bytearray(s)
            s[rng.randrange(len(s))] = rng.randrange(256)
            s = bytes(s)
        return s
    if r < 0.6:
        return b""
    return bytes(rng.randrange(0, 256) for _ in range(rng.randrange(0, 300)))


def hostile_random(ep, n):
    global tried
    s = sock(ep)
    batch = 50
    for start in range(0, n, batch):
        for _ in range(batch):
            frames = [random_frame() for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 4, 70]))]
            s.send_multipart(frames)
            tried += 1
        for k in range(batch):
            expect_reply(s, "random message %d" % (start + k))
    good(s, "random messages")
    s.close()


port = int(sys.argv[1])
n = int(os.environ.get("FS_HOSTILE_RANDOM", "1500"))
for i, kind in enumerate(sys.argv[2:]):
    ep = "tcp://127.0.0.1:%d" % (port + i)
    hostile_fixed(ep, kind)
    hostile_random(ep, n)
print("bad inputs tried: %d" % tried)
EOF

$PY "$FS_TMP/hostile.py" "$port" $FS_HOSTILE_KINDS >"$FS_TMP/hostile.out" 2>&1 ||
	fs_fail "$(tail -5 "$FS_TMP/hostile.out")"
fs_ok "$(cat "$FS_TMP/hostile.out")"

for p in $pids; do
	kill -0 "$p" 2>/dev/null || fs_fail "a worker died (pid $p)"
	kill -TERM "$p"
done
for p in $pids; do
	wait "$p"
	rc=$?
	[ $rc -eq 0 ] || fs_fail "worker $p exited $rc after SIGTERM"
done
fs_ok "every worker alive, and exited 0 on SIGTERM"
