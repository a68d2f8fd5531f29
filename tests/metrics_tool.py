"""metrics_tool.py: the client side of the metrics scenarios.

usage: metrics_tool.py get URL [SOURCE_IP]      body of a 200, else exit 1
       metrics_tool.py code METHOD URL           the HTTP status code
       metrics_tool.py value URL NAME [K=V...]   one sample's value (exit 1
                                                 if none matches)
       metrics_tool.py watch URL NAME OUT SECONDS [K=V...]
                                                 scrape every 50 ms, write
                                                 each value to OUT
       metrics_tool.py hello ENDPOINT N          N "Hello" requests, one at
                                                 a time; prints the replies
       metrics_tool.py load ENDPOINT SECONDS OUT "Hello" requests for that
                                                 long, resending after a
                                                 lost reply; the number of
                                                 replies goes to OUT
       metrics_tool.py hostile HOST PORT SECONDS garbage, huge headers, slow
                                                 and idle clients, a flood
                                                 of connections, at once
       metrics_tool.py query PROM_URL PROMQL     a Prometheus query's value
       metrics_tool.py restart SOCKET ID         SIGKILL the worker, print
                                                 the ms until the daemon's
                                                 status shows it READY with
                                                 a new pid (polled each ms)
"""
import os
import signal
import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


def http(method, url, source=None):
    u = urllib.parse.urlsplit(url)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    if source:
        s.bind((source, 0))
    s.connect((u.hostname, u.port))
    path = u.path + ("?" + u.query if u.query else "")
    s.sendall(("%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
               % (method, path, u.netloc)).encode())
    data = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        data += b
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(l.split(": ", 1) for l in lines[1:] if ": " in l)
    return int(lines[0].split()[1]), headers, body.decode()


def samples(text, name, want):
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        metric, value = line.rsplit(" ", 1)
        n, _, labels = metric.partition("{")
        if n != name:
            continue
        got = dict(kv.split("=", 1) for kv in labels.rstrip("}").split(",")
                   if kv)
        got = {k: v.strip('"') for k, v in got.items()}
        if all(got.get(k) == v for k, v in want.items()):
            yield float(value)


def value(url, name, kvs):
    code, _, body = http("GET", url)
    if code != 200:
        return None
    want = dict(kv.split("=", 1) for kv in kvs)
    v = list(samples(body, name, want))
    return v[0] if len(v) == 1 else None


def req_socket(ctx, endpoint, zmq):
    s = ctx.socket(zmq.REQ)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVTIMEO, 1000)
    s.connect(endpoint)
    return s


def hello(endpoint, n, seconds=None, out=None):
    import zmq
    ctx = zmq.Context()
    s = req_socket(ctx, endpoint, zmq)
    got, end = 0, time.time() + (seconds or 1e9)
    while (n is None or got < n) and time.time() < end:
        s.send(b"Hello")
        try:
            s.recv()
            got += 1
        except zmq.Again:
            s.close()
            s = req_socket(ctx, endpoint, zmq)
            if n is not None:
                sys.exit("no reply within 1 s")
    s.close()
    ctx.term()
    if out:
        open(out, "w").write("%d\n" % got)
    else:
        print(got)


def hostile_garbage(host, port, end):
    while time.time() < end:
        try:
            s = socket.create_connection((host, port), timeout=1)
            s.sendall(bytes(range(256)) * 4 + b"\r\n\r\n")
            s.recv(4096)
            s.close()
        except OSError:
            pass


def hostile_huge(host, port, end):
    while time.time() < end:
        try:
            s = socket.create_connection((host, port), timeout=1)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ")
            for _ in range(256):
                s.sendall(b"a" * 4096)
            s.sendall(b"\r\n\r\n")
            s.recv(4096)
            s.close()
        except OSError:
            pass


def hostile_slow(host, port, end):
    req = b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
    while time.time() < end:
        try:
            s = socket.create_connection((host, port), timeout=1)
            for b in req:
                if time.time() >= end:
                    break
                s.sendall(bytes([b]))
                time.sleep(0.5)
            s.close()
        except OSError:
            time.sleep(0.05)


def hostile_flood(host, port, end):
    held = []
    while time.time() < end:
        try:
            held.append(socket.create_connection((host, port), timeout=1))
        except OSError:
            pass
        if len(held) > 200:
            for s in held:
                s.close()
            held = []
        time.sleep(0.005)


def hostile(host, port, seconds):
    end = time.time() + seconds
    kinds = [hostile_garbage, hostile_huge, hostile_flood] + [hostile_slow] * 6
    ts = [threading.Thread(target=k, args=(host, port, end)) for k in kinds]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def query(prom, q):
    url = prom + "/api/v1/query?" + urllib.parse.urlencode({"query": q})
    r = json.load(urllib.request.urlopen(url, timeout=5))
    res = r["data"]["result"]
    if r["status"] != "success" or len(res) != 1:
        sys.exit("query %s: %s" % (q, r))
    print(res[0]["value"][1])


def worker(sock, wid):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    c.connect(sock)
    c.send(b'{"v":1,"cmd":"status"}')
    r = json.loads(c.recv(1 << 20))
    c.close()
    return [w for w in r["workers"] if w["id"] == wid][0]


def restart(sock, wid):
    old = worker(sock, wid)["pid"]
    t0 = time.monotonic()
    os.kill(old, signal.SIGKILL)
    while time.monotonic() < t0 + 10:
        w = worker(sock, wid)
        if w["pid"] not in (0, old) and w["state"] == "READY":
            print("%.0f" % ((time.monotonic() - t0) * 1e3))
            return
        time.sleep(0.001)
    sys.exit("%s was not restarted within 10 s" % wid)


def main():
    a = sys.argv[1:]
    if a[0] == "get":
        code, _, body = http("GET", a[1], a[2] if len(a) > 2 else None)
        sys.stdout.write(body)
        sys.exit(code != 200)
    elif a[0] == "code":
        code, headers, _ = http(a[1], a[2])
        print(code, headers.get("Content-Type", "-"), headers.get("Allow", "-"))
    elif a[0] == "value":
        v = value(a[1], a[2], a[3:])
        if v is None:
            sys.exit(1)
        print("%.17g" % v)
    elif a[0] == "watch":
        end = time.time() + float(a[4])
        with open(a[3], "w") as out:
            while time.time() < end:
                v = value(a[1], a[2], a[5:])
                if v is not None:
                    out.write("%.17g\n" % v)
                    out.flush()
                time.sleep(0.05)
    elif a[0] == "hello":
        hello(a[1], int(a[2]))
    elif a[0] == "load":
        hello(a[1], None, float(a[2]), a[3])
    elif a[0] == "hostile":
        hostile(a[1], int(a[2]), float(a[3]))
    elif a[0] == "restart":
        restart(a[1], a[2])
    elif a[0] == "query":
        query(a[1], a[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
