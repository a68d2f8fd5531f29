"""worker_peer.py: a client of fake-worker for the shell scenarios.

    worker_peer.py kind ENDPOINT KIND [--out-dtype D] [--n-classes N] [--cost-ms MS]
    worker_peer.py hello ENDPOINT COST_MS
    worker_peer.py dealer ENDPOINT N COST_MS
    worker_peer.py bad ENDPOINT
    worker_peer.py oversize ENDPOINT MAX_BYTES
    worker_peer.py interrupt ENDPOINT PID
    worker_peer.py notify-listen PATH OUTFILE

Requests go out exactly as the seed's client sends them (seed_format).
Exit status 0 when every check passed, 1 with the failures on stderr.
"""
import argparse
import json
import os
import signal
import socket
import sys
import time

import numpy as np
import zmq

from seed_format import (connect, recv_array, segmentation_reference,
                         send_array, timed)

FAILURES = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what,
          file=sys.stdout if cond else sys.stderr)
    if not cond:
        FAILURES.append(what)


def request(s, A, **extra):
    send_array(s, A, copy=False, track=True, **extra)
    return recv_array(s)


def images(rng):
    yield rng.integers(0, 256, (480, 640, 3), dtype=np.uint8)
    yield rng.integers(0, 256, (48, 64), dtype=np.uint8)
    yield rng.integers(0, 256, (4, 24, 32, 3), dtype=np.uint8)
    yield (rng.random((10, 12, 3), dtype=np.float32) * 400 - 50)
    yield rng.integers(-300, 300, (6, 7, 2), dtype=np.int16)
    yield rng.random((5, 6, 1))


def kind_segmentation(s, args, rng):
    for i, A in enumerate(images(rng)):
        md, out = request(s, A, frame=i)
        ref = segmentation_reference(A, args.out_dtype)
        what = "segmentation %s %s" % (A.dtype, list(A.shape))
        check(md.get("dtype") == args.out_dtype and
              md.get("shape") == list(ref.shape), what + ": header " +
              json.dumps(md))
        check(out is not None and np.array_equal(out, ref),
              what + ": values match numpy")
        check(md.get("frame") == i and isinstance(md.get("overrun"), bool) and
              isinstance(md.get("worker"), str), what + ": extra keys")
        check(md.get("service_us", 0) >= args.cost_ms * 1000 * 0.999,
              what + ": service_us %s covers the cost" % md.get("service_us"))


def kind_classification(s, args, rng):
    stack = rng.integers(0, 256, (16, 48, 64, 3), dtype=np.uint8)
    seen = []
    for A in (stack, np.zeros(0, np.float32), np.arange(7.0)):
        md, out = request(s, A)
        what = "classification of %s %s" % (A.dtype, list(A.shape))
        check(md.get("dtype") == "float64" and
              md.get("shape") == [args.n_classes], what + ": header")
        check(out is not None and abs(out.sum() - 1) < 1e-9 and
              (out >= 0).all(), what + ": probabilities sum to 1")
        check("frame" not in md, what + ": no frame unless sent")
        seen.append(out.tobytes())
    check(len(set(seen)) == len(seen), "classification: draws differ")


def kind_echo(s, args, rng):
    arrays = [rng.integers(0, 256, (480, 640, 3), dtype=np.uint8),
              rng.random((3, 4)), np.arange(10, dtype=np.int64),
              np.array(3.5, dtype=np.float32), np.zeros((0, 3), np.uint16)]
    for i, A in enumerate(arrays):
        md, out = request(s, A, frame=100 + i)
        what = "echo %s %s" % (A.dtype, list(A.shape))
        check(out is not None and out.dtype == A.dtype and
              np.array_equal(out, A) and md.get("frame") == 100 + i, what)
    # A "<f8"-style dtype is the same array.
    A = rng.random(5)
    s.send_json(dict(dtype="<f8", shape=[5]), zmq.SNDMORE)
    s.send(A)
    md, out = recv_array(s)
    check(out is not None and np.array_equal(out, A), "echo of '<f8'")


def kind_detection(s, args, rng):
    counts = set()
    for i in range(60):
        A = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
        md, out = request(s, A, frame=i)
        what = "detection %d: %s" % (i, json.dumps(md))
        n = md.get("shape", [0])[0]
        counts.add(n)
        check(md.get("dtype") == "float32" and
              md.get("shape") == [n, 6] and
              args.boxes_min <= n <= args.boxes_max and
              out is not None and out.shape == (n, 6), what + ": header")
        if out is None or n == 0:
            continue
        x1, y1, x2, y2, score, cls = out.T
        check(bool((0 <= x1).all() and (x1 <= x2).all() and
                   (x2 <= 64).all() and (0 <= y1).all() and
                   (y1 <= y2).all() and (y2 <= 48).all()),
              what + ": boxes in the frame")
        check(bool((score > 0).all() and (score <= 1).all() and
                   (np.diff(score) <= 0).all()), what + ": scores fall")
        check(bool((cls == np.floor(cls)).all() and (cls >= 0).all() and
                   (cls < args.n_classes).all()), what + ": classes")
    check(len(counts) >= min(3, args.boxes_max - args.boxes_min + 1),
          "detection: box counts drawn per frame: %s" % sorted(counts))


def cmd_kind(args):
    rng = np.random.default_rng(1)
    s = connect(zmq.REQ, args.endpoint)
    {"segmentation": kind_segmentation,
     "classification": kind_classification,
     "echo": kind_echo,
     "detection": kind_detection}[args.kind](s, args, rng)


def cmd_hello(args):
    s = connect(zmq.REQ, args.endpoint)
    for _ in range(2):
        s.send(b"Hello")
        reply, dt = timed(s.recv)
        check(reply == b"Hello", "Hello comes back")
        check(dt >= args.cost_ms / 1000 * 0.99,
              "Hello took %.1f ms, cost %g ms" % (dt * 1000, args.cost_ms))
    s.send(b"{not JSON")
    check(s.recv() == b"{not JSON", "a lone frame that is not JSON is echoed")


def cmd_dealer(args):
    s = connect(zmq.DEALER, args.endpoint)
    A = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)
    t = time.monotonic()
    for i in range(args.n):
        s.send(b"", zmq.SNDMORE)
        send_array(s, A, frame=i)
    frames = []
    for i in range(args.n):
        parts = s.recv_multipart()
        check(len(parts) == 3 and parts[0] == b"",
              "reply %d keeps the delimiter" % i)
        frames.append(json.loads(parts[1]).get("frame"))
    dt = time.monotonic() - t
    check(frames == list(range(args.n)), "replies in order: %s" % frames)
    check(dt >= args.n * args.cost_ms / 1000 * 0.99,
          "%d requests took %.1f ms: one at a time" % (args.n, dt * 1000))
    # Without a delimiter, the identity alone is the envelope.
    send_array(s, A, frame=99)
    md, out = recv_array(s)
    check(md.get("frame") == 99 and np.array_equal(out, A),
          "DEALER without a delimiter")
    s.send(b"Hello")
    check(s.recv_multipart() == [b"Hello"], "DEALER Hello without delimiter")


BAD = [
    # (frames after the delimiter, expected substring of the error)
    ([b"a", b"b", b"c"], "3 frames"),
    ([b'{"dtype":"uint8","shape":[1]}'], "1 frame"),
    ([b' {"frame":7}'], "1 frame"),
    ([], "0 frames"),
    ([b"{bad", b""], "not JSON"),
    ([b"Hello", b"x"], "not JSON"),
    ([b"[1,2]", b""], "not a JSON object"),
    ([b'{"shape":[1]}', b"x"], 'no "dtype"'),
    ([b'{"dtype":3,"shape":[1]}', b"x"], '"dtype" is not a string'),
    ([b'{"dtype":"int7","shape":[1]}', b"x"], "not a numpy dtype"),
    ([b'{"dtype":">f8","shape":[1]}', b"x" * 8], "big-endian"),
    ([b'{"dtype":"uint8"}', b"x"], 'no "shape"'),
    ([b'{"dtype":"uint8","shape":"1"}', b"x"], "not an array"),
    ([b'{"dtype":"uint8","shape":[1.5]}', b"x"], "not an integer"),
    ([b'{"dtype":"uint8","shape":[2,-2,3]}', b"x"], "negative"),
    ([b'{"dtype":"float64","shape":[4611686018427387904,4]}', b"x"],
     "overflows"),
    ([b'{"dtype":"uint8","shape":[2,2,3]}', b"x" * 11], "11 bytes"),
    ([b'{"dtype":"uint8","shape":[12]}', b"x" * 12], "dimensions"),
    ([b'{"dtype":"uint8","shape":[2,2,3],"frame":7}', b"x"], "1 bytes"),
]


def cmd_bad(args):
    s = connect(zmq.DEALER, args.endpoint)
    good = np.arange(12, dtype=np.uint8).reshape(2, 2, 3)
    for frames, want in BAD:
        s.send_multipart([b""] + frames)
        parts = s.recv_multipart()
        md = json.loads(parts[1]) if len(parts) == 3 else {}
        check(len(parts) == 3 and parts[2] == b"" and
              want in md.get("error", "") and "worker" in md,
              "%r -> %s" % (frames[:1], md.get("error", parts)))
        if b'"frame":7' in b"".join(frames[:1]):  # known even when refused
            check(md.get("frame") == 7, "the error reply keeps the frame id")
        s.send(b"", zmq.SNDMORE)
        send_array(s, good, frame=1)
        parts = s.recv_multipart()
        check(len(parts) == 3 and
              parts[2] == segmentation_reference(good).tobytes(),
              "served after it")
    # The seed's REQ client gets an error header and an empty payload.
    r = connect(zmq.REQ, args.endpoint)
    r.send_json(dict(dtype="uint8", shape=[5]), zmq.SNDMORE)
    r.send(b"x")
    md, payload = r.recv_json(), r.recv()
    check("error" in md and payload == b"" and not r.getsockopt(zmq.RCVMORE),
          "REQ gets two frames: %s" % md)


def disconnected(mon, timeout_ms):
    """Wait for a DISCONNECTED event on a monitor socket."""
    from zmq.utils.monitor import recv_monitor_message
    poller = zmq.Poller()
    poller.register(mon, zmq.POLLIN)
    end = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < end:
        if not poller.poll(50):
            continue
        if recv_monitor_message(mon)["event"] == zmq.EVENT_DISCONNECTED:
            return True
    return False


def cmd_oversize(args):
    good = np.arange(12, dtype=np.uint8).reshape(2, 2, 3)
    a = connect(zmq.REQ, args.endpoint)
    a.send(b"Hello")
    check(a.recv() == b"Hello", "A is served")
    b = connect(zmq.DEALER, args.endpoint, timeout_ms=1000)
    mon = b.get_monitor_socket(zmq.EVENT_DISCONNECTED)
    b.send(b"", zmq.SNDMORE)
    send_array(b, np.zeros(args.max_bytes + 1, np.uint8))
    check(disconnected(mon, 5000), "the worker drops B's connection")
    try:
        b.recv_multipart()
        check(False, "B got a reply to an oversized message")
    except zmq.Again:
        check(True, "B gets no reply")
    a.send(b"Hello")
    check(a.recv() == b"Hello", "A is still served")
    c = connect(zmq.REQ, args.endpoint)
    md, out = request(c, good)
    check(out is not None, "a new client is served")
    b.send(b"", zmq.SNDMORE)
    send_array(b, good, frame=5)
    parts = b.recv_multipart()
    check(json.loads(parts[1]).get("frame") == 5,
          "B, reconnected, is served again")


def in_deadline_wait(pid):
    """Is the worker's main thread sleeping in ppoll (its cost wait)?
    ppoll is 271 on x86_64 and 73 in the generic table (arm64, riscv64);
    the wait polls one descriptor, zmq_poll two."""
    try:
        with open("/proc/%d/syscall" % pid) as f:
            call = f.read().split()
        return call[0] in ("271", "73") and int(call[2], 16) == 1
    except (OSError, IndexError, ValueError):
        return False


def cmd_interrupt(args):
    s = connect(zmq.REQ, args.endpoint)
    A = np.arange(12, dtype=np.uint8).reshape(2, 2, 3)
    send_array(s, A, frame=3)
    t = time.monotonic()
    while not in_deadline_wait(args.pid) and time.monotonic() - t < 0.5:
        time.sleep(0.005)
    os.kill(args.pid, signal.SIGTERM)
    t_kill = time.monotonic()
    md, out = recv_array(s)
    dt = time.monotonic() - t_kill
    print("reply %.1f ms after SIGTERM: %s" % (dt * 1000, md))
    check(md.get("interrupted") is True and md.get("frame") == 3,
          "the reply says it was interrupted")
    check(dt < 0.5 and md.get("service_us", 1e9) < 900000,
          "the reply comes at once, not after the 1000 ms cost")


def cmd_notify_listen(args):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(args.path)
    sock.settimeout(15)
    with open(args.outfile, "ab", buffering=0) as f:
        while True:
            try:
                f.write(sock.recv(4096) + b"\n")
            except socket.timeout:
                return


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    k = sub.add_parser("kind")
    k.add_argument("endpoint")
    k.add_argument("kind")
    k.add_argument("--out-dtype", default="uint8")
    k.add_argument("--n-classes", type=int, default=4)
    k.add_argument("--boxes-min", type=int, default=0)
    k.add_argument("--boxes-max", type=int, default=16)
    k.add_argument("--cost-ms", type=float, default=0)
    h = sub.add_parser("hello")
    h.add_argument("endpoint")
    h.add_argument("cost_ms", type=float)
    d = sub.add_parser("dealer")
    d.add_argument("endpoint")
    d.add_argument("n", type=int)
    d.add_argument("cost_ms", type=float)
    sub.add_parser("bad").add_argument("endpoint")
    o = sub.add_parser("oversize")
    o.add_argument("endpoint")
    o.add_argument("max_bytes", type=int)
    i = sub.add_parser("interrupt")
    i.add_argument("endpoint")
    i.add_argument("pid", type=int)
    n = sub.add_parser("notify-listen")
    n.add_argument("path")
    n.add_argument("outfile")
    args = p.parse_args()
    globals()["cmd_" + args.cmd.replace("-", "_")](args)
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
