#!/usr/bin/python3
"""bench/seed_client.py: a client in the seed's style, for comparison.

Modelled on the seed's fake_zmq_client.py and zmq_utils.py: one REQ socket
per server, each array sent as send_json(header) + send(array) with pyzmq's
default copy=True, the classifier given np.stack() of the last 16 frames,
every reply read back with recv_json + recv + np.frombuffer. Each evaluation
(stack, send to all, receive from all) is timed with time.perf_counter.

    seed_client.py run --seg E --seg E --cls E --frames N --width W --height H
                       [--window 16] [--warmup 5] --json FILE
    seed_client.py echo --endpoint E --samples N --width W --height H --json FILE

The JSON summary has the per-evaluation latencies in microseconds. Needs
Debian's python3-zmq and python3-numpy.
"""
import argparse
import collections
import json
import time

import numpy as np
import zmq


def send_array(sock, a, flags=0, copy=True, track=False, frame=None):
    md = dict(dtype=str(a.dtype), shape=a.shape)
    if frame is not None:
        md["frame"] = frame
    sock.send_json(md, flags | zmq.SNDMORE)
    return sock.send(a, flags, copy=copy, track=track)


def recv_array(sock, flags=0, copy=True, track=False):
    md = sock.recv_json(flags=flags)
    msg = sock.recv(flags=flags, copy=copy, track=track)
    if "error" in md:
        raise RuntimeError("worker error: %s" % md["error"])
    a = np.frombuffer(msg, dtype=md["dtype"])
    return a.reshape(md["shape"])


def connect(ctx, endpoint):
    s = ctx.socket(zmq.REQ)
    s.setsockopt(zmq.LINGER, 0)
    s.connect(endpoint)
    return s


def fake_video(width, height, n=8):
    """A few random frames, cycled: generating them is not what we time."""
    rng = np.random.default_rng(1)
    frames = [rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
              for _ in range(n)]
    i = 0
    while True:
        yield frames[i % n]
        i += 1


def summary(lat_s, extra):
    us = sorted(x * 1e6 for x in lat_s)
    n = len(us)

    def pct(q):
        return us[min(n - 1, int(q * (n - 1) + 0.5))]
    out = dict(extra)
    out["latency_us"] = {"mean": sum(us) / n, "p50": pct(0.5), "p90": pct(0.9),
                         "p99": pct(0.99), "min": us[0], "max": us[-1]}
    out["samples"] = n
    out["raw_us"] = [x * 1e6 for x in lat_s]
    return out


def run(args):
    ctx = zmq.Context()
    segs = [connect(ctx, e) for e in args.seg]
    cls = [connect(ctx, e) for e in args.cls]
    video = fake_video(args.width, args.height)
    window = collections.deque(maxlen=args.window)
    lat = []
    for i in range(args.warmup + args.frames):
        frame = next(video)
        t0 = time.perf_counter()
        window.append(frame)
        stacked = np.stack(window)
        for s in segs:
            send_array(s, frame, frame=i)
        for s in cls:
            send_array(s, stacked, frame=i)
        for s in segs + cls:
            recv_array(s)
        if i >= args.warmup:
            lat.append(time.perf_counter() - t0)
    ctx.destroy(linger=0)
    return summary(lat, {"mode": "run", "width": args.width,
                         "height": args.height, "window": args.window})


def echo(args):
    ctx = zmq.Context()
    s = connect(ctx, args.endpoint)
    a = next(fake_video(args.width, args.height, 1))
    lat = []
    for i in range(args.warmup + args.samples):
        t0 = time.perf_counter()
        send_array(s, a, frame=i)
        recv_array(s)
        if i >= args.warmup:
            lat.append(time.perf_counter() - t0)
    ctx.destroy(linger=0)
    return summary(lat, {"mode": "echo", "width": args.width,
                         "height": args.height})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--seg", action="append", default=[])
    r.add_argument("--cls", action="append", default=[])
    r.add_argument("--frames", type=int, default=100)
    r.add_argument("--window", type=int, default=16)
    e = sub.add_parser("echo")
    e.add_argument("--endpoint", required=True)
    e.add_argument("--samples", type=int, default=100)
    for p in (r, e):
        p.add_argument("--width", type=int, default=800)
        p.add_argument("--height", type=int, default=600)
        p.add_argument("--warmup", type=int, default=5)
        p.add_argument("--json", required=True)
    args = ap.parse_args()
    out = run(args) if args.cmd == "run" else echo(args)
    with open(args.json, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
