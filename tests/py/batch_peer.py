"""batch_peer.py: a client of a batching or device-sharing fake-worker for
the shell scenarios (tests/worker_batch.sh, tests/worker_device.sh).

    batch_peer.py inflight ENDPOINT IN_FLIGHT TOTAL BATCH COST_MS ITEM_MS
    batch_peer.py partial ENDPOINT N DELAY_MS COST_MS ITEM_MS
    batch_peer.py full ENDPOINT QUEUE_MAX COST_MS
    batch_peer.py pair ENDPOINT ENDPOINT COST_MS SLOTS
    batch_peer.py killed ENDPOINT ENDPOINT PID COST_MS
    batch_peer.py queue ENDPOINT ENDPOINT

Each request is a small echo array over a DEALER. Exit status 0 when every
check passed, 1 with the failures on stderr. Time bounds are loose.
"""
import json
import os
import signal
import sys
import time

import numpy as np
import zmq

from seed_format import connect, send_array

FAILURES = []
A = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what,
          file=sys.stdout if cond else sys.stderr)
    if not cond:
        FAILURES.append(what)


def send(s, frame):
    s.send(b"", zmq.SNDMORE)
    send_array(s, A, frame=frame)


def recv(s):
    """A reply's header and when it came (monotonic seconds)."""
    parts = s.recv_multipart()
    return json.loads(parts[1]), time.monotonic()


def cmd_inflight(ep, inflight, total, batch, cost_ms, item_ms):
    """Keep IN_FLIGHT requests in flight until TOTAL are answered: every
    batch is BATCH big and they follow each other at their cost."""
    s = connect(zmq.DEALER, ep)
    t0 = time.monotonic()
    for i in range(inflight):
        send(s, i)
    sent, got = inflight, []
    while len(got) < total:
        md, t = recv(s)
        got.append(md)
        if sent < total:
            send(s, sent)
            sent += 1
    dt = time.monotonic() - t0
    sizes = [md.get("batch") for md in got]
    want = cost_ms + (batch - 1) * item_ms
    check(all(b == batch for b in sizes), "batch sizes %s" % sorted(set(
        map(str, sizes))))
    check(all(not md.get("error") for md in got), "no error replies")
    check(all(abs(md.get("cost_us", 0) - want * 1000) < 1 for md in got),
          "cost_us %s, want %.0f" % (got[0].get("cost_us"), want * 1000))
    ideal = total / batch * want
    check(ideal * 0.95 <= dt * 1000 <= ideal * 1.5,
          "%d requests in %.1f ms: %.2f per %.0f ms (ideal %.1f ms)" %
          (total, dt * 1000, total / (dt * 1000) * want, want, ideal))


def cmd_partial(ep, n, delay_ms, cost_ms, item_ms):
    """N < preferred requests at once: served together after the delay."""
    s = connect(zmq.DEALER, ep)
    t0 = time.monotonic()
    for i in range(n):
        send(s, i)
    got = [recv(s) for _ in range(n)]
    want = delay_ms + cost_ms + (n - 1) * item_ms
    for md, t in got:
        dt = (t - t0) * 1000
        check(md.get("batch") == n, "batch %s of %d" % (md.get("batch"), n))
        check(delay_ms * 0.95 <= md.get("queue_us", 0) / 1000 <
              delay_ms + 15, "queue_us %s" % md.get("queue_us"))
        check(want * 0.95 <= dt < want + 30,
              "answered after %.1f ms (%.0f expected)" % (dt, want))


def cmd_full(ep, qmax, cost_ms):
    """A batch of QUEUE_MAX runs; QUEUE_MAX more wait; the rest of a burst
    is refused at once."""
    s = connect(zmq.DEALER, ep)
    for i in range(qmax):
        send(s, i)
    time.sleep(min(cost_ms / 4, 20) / 1000)
    t0 = time.monotonic()
    for i in range(qmax, 3 * qmax):
        send(s, i)
    got = [recv(s) for _ in range(3 * qmax)]
    full = [(md, t) for md, t in got if md.get("queue_full")]
    check(len(full) == qmax, "%d refused, %d expected" % (len(full), qmax))
    for md, t in full:
        dt = (t - t0) * 1000
        check(md.get("error") == "queue full (%d waiting)" % qmax and
              dt < cost_ms / 2, "refused after %.1f ms: %s" % (dt,
                                                               md.get("error")))
    served = sorted(md["frame"] for md, t in got if not md.get("error"))
    check(served == list(range(2 * qmax)), "served %s" % served)


def pair_once(s1, s2):
    t0 = time.monotonic()
    send(s1, 1)
    send(s2, 2)
    (m1, t1), (m2, t2) = recv(s1), recv(s2)
    return (max(t1, t2) - t0) * 1000, max(m1.get("queue_us", -1),
                                           m2.get("queue_us", -1))


def cmd_pair(ep1, ep2, cost_ms, slots):
    """One request to each of two workers at once, ten times: the later
    reply comes after one cost per request that had to wait."""
    s1, s2 = connect(zmq.DEALER, ep1), connect(zmq.DEALER, ep2)
    runs = sorted(pair_once(s1, s2) for _ in range(10))
    dt, q = runs[len(runs) // 2]
    want = cost_ms * (2 if slots == 1 else 1)
    check(want * 0.95 <= dt < want + 15,
          "%d slot(s): both answered after %.1f ms (median), %.0f expected"
          % (slots, dt, want))
    qwant = cost_ms if slots == 1 else 0
    check(qwant * 0.9 - 1 <= q / 1000 < qwant + 10,
          "queue_us %.0f, %.0f expected" % (q, qwant * 1000))


def cmd_killed(ep1, ep2, pid, cost_ms):
    """Worker 1 holds the device for a long cost and is killed: worker 2,
    queued behind it, goes on within about one cost of its own."""
    s1, s2 = connect(zmq.DEALER, ep1), connect(zmq.DEALER, ep2)
    send(s1, 1)
    time.sleep(0.1)
    send(s2, 2)
    time.sleep(0.1)
    t0 = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    md, t = recv(s2)
    dt = (t - t0) * 1000
    check(not md.get("error") and dt < 2 * cost_ms + 50,
          "answered %.1f ms after the holder was killed" % dt)
    check(md.get("queue_us", 0) > 50e3, "queue_us %s: it waited"
          % md.get("queue_us"))


def cmd_queue(ep1, ep2):
    """A request to worker 1, then one to worker 2, which queues for the
    device behind it; no reply is awaited."""
    s1, s2 = connect(zmq.DEALER, ep1), connect(zmq.DEALER, ep2)
    send(s1, 1)
    time.sleep(0.1)
    send(s2, 2)
    time.sleep(0.1)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    num = [int(a) if a.isdigit() else a for a in args]
    {"inflight": cmd_inflight, "partial": cmd_partial, "full": cmd_full,
     "pair": cmd_pair, "killed": cmd_killed,
     "queue": cmd_queue}[cmd](*num)
    if FAILURES:
        sys.exit(1)


if __name__ == "__main__":
    main()
