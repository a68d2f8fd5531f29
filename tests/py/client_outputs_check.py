"""Read back fake-client's --hgrm and --trace files by their formats' rules.

usage: client_outputs_check.py hgrm FILE.hgrm RUN.json [latency|age]
       client_outputs_check.py trace FILE.json RUN.json RUN.csv

hgrm: HdrHistogram's outputPercentileDistribution text: the header, then
one line per reporting level (value, percentile as a fraction, count to
it, 1/(1-percentile)), the last at 1.0 without the fourth column, then the
#[Mean ...], #[Max ...] and #[Buckets ...] lines. The lines are recomputed
here from the run's own latencies (its JSON) with HdrHistogram's
percentile iteration over fake-client's buckets (exact below 256 ns, then
128 per power of two) and must be the same.

trace: Chrome trace-event JSON: every event has its ph, name, pid and tid,
a ts (and a dur for a complete event, an s for an instant one); the spans
of each track nest and never overlap; every track is named; one "frame"
span per evaluation, one "request" span per part sent, its pieces inside
it, and an instant event per failed part, named by its reason (the
run's CSV says which parts were sent, answered or failed).
"""
import csv
import json
import math
import re
import sys

TICKS = 5


def bucket(v):
    if v < 256:
        return v, v
    shift = v.bit_length() - 1 - 7
    lo = (v >> shift) << shift
    return lo, lo + (1 << shift) - 1


def next_level(level):
    ticks = TICKS * 2 ** (int(math.log(100.0 / (100.0 - level)) / math.log(2)) + 1)
    return level + 100.0 / ticks


def expected_lines(values):
    counts = {}
    for v in values:
        lo, hi = bucket(v)
        counts[hi] = counts.get(hi, 0) + 1
    total, cum, level, out = len(values), 0, 0.0, []
    hi = 0
    for hi in sorted(counts):
        cum += counts[hi]
        if cum == total:
            out.append((hi, level, cum))
            break
        while 100.0 * cum / total >= level:
            out.append((hi, level, cum))
            level = next_level(level)
    out.append((hi, 100.0, total))
    return out


def check_hgrm(path, run, which):
    d = json.load(open(run))
    warm = d["settings"]["warmup"]
    lat = [x for x in d["latencies_us"][warm:] if x is not None]
    if which == "age":
        values = None       # not in the JSON per evaluation: shape only
    else:
        values = [int(round(x * 1000)) for x in lat]
    lines = open(path).read().split("\n")
    assert lines[0] == "%12s %14s %10s %14s" % ("Value", "Percentile", "TotalCount",
                                                  "1/(1-Percentile)"), lines[0]
    assert lines[1] == "", lines[1]
    body = [l for l in lines[2:] if l and not l.startswith("#")]
    rows = []
    for i, l in enumerate(body):
        last = i == len(body) - 1
        m = re.match(r"^ *(\d+\.\d{3}) (\d\.\d{12}) +(\d+)" + ("$" if last else r" +(\d+\.\d{2})$"), l)
        assert m, "bad line %r" % l
        v, p, n = float(m.group(1)), float(m.group(2)), int(m.group(3))
        if not last:
            assert abs(float(m.group(4)) - 1 / (1 - p)) <= 0.006, l
        rows.append((v, p, n))
    assert rows[-1][1] == 1.0, rows[-1]
    for a, b in zip(rows, rows[1:]):
        assert a[0] <= b[0] and a[1] <= b[1] and a[2] <= b[2], (a, b)
    foot = [l for l in lines if l.startswith("#")]
    assert len(foot) == 3, foot
    m1 = re.match(r"^#\[Mean    = +(\d+\.\d{3}), StdDeviation   = +(\d+\.\d{3})\]$", foot[0])
    m2 = re.match(r"^#\[Max     = +(\d+\.\d{3}), Total count    = +(\d+)\]$", foot[1])
    m3 = re.match(r"^#\[Buckets = +(\d+), SubBuckets     = +(\d+)\]$", foot[2])
    assert m1 and m2 and m3, foot
    total = int(m2.group(2))
    assert rows[-1][2] == total, (rows[-1], total)
    key = "latency_us" if which == "latency" else "age_us"
    assert total == d[key]["count"], (total, d[key]["count"])
    assert abs(float(m2.group(1)) * 1000 - d[key]["max"]) < 1, (m2.group(1), d[key]["max"])
    assert abs(float(m1.group(1)) * 1000 - d[key]["mean"]) < 1, (m1.group(1), d[key]["mean"])
    if values is not None:
        want = [("%12.3f" % (v / 1e6), "%2.12f" % (p / 100), n) for v, p, n in expected_lines(values)]
        got = [("%12.3f" % v, "%2.12f" % p, n) for v, p, n in rows]
        assert got == want, "lines differ from HdrHistogram's iteration:\n%s\n%s" % (got, want)
    print("%s: %d lines, %d values, max %s ms" % (path, len(rows), total, m2.group(1)))


def check_trace(path, run, csvpath):
    d = json.load(open(run))
    t = json.load(open(path))
    assert isinstance(t, dict) and isinstance(t["traceEvents"], list), "no traceEvents"
    ev = t["traceEvents"]
    tracks, named, procs = {}, set(), {}
    for e in ev:
        assert e["ph"] in ("X", "i", "M"), e
        assert isinstance(e["name"], str) and isinstance(e["pid"], int) and isinstance(e["tid"], int), e
        if e["ph"] == "M":
            assert e["name"] in ("process_name", "thread_name") and isinstance(e["args"]["name"], str), e
            if e["name"] == "thread_name":
                named.add((e["pid"], e["tid"]))
            else:
                procs[e["pid"]] = e["args"]["name"]
            continue
        assert isinstance(e["ts"], (int, float)) and e["ts"] >= 0, e
        if e["ph"] == "X":
            assert isinstance(e["dur"], (int, float)) and e["dur"] >= 0, e
        else:
            assert e["s"] in ("t", "p", "g"), e
        tracks.setdefault((e["pid"], e["tid"]), []).append(e)
    for k, es in tracks.items():
        assert k in named, "track %s has no name" % (k,)
        stack = []
        for e in sorted((e for e in es if e["ph"] == "X"), key=lambda e: (e["ts"], -e["dur"])):
            end = e["ts"] + e["dur"]
            while stack and stack[-1] <= e["ts"] + 1e-9:
                stack.pop()
            if stack:
                assert end <= stack[-1] + 1e-6, "track %s: %s overlaps its neighbour" % (k, e)
            stack.append(end)
    x = [e for e in ev if e["ph"] == "X"]
    frames = [e for e in x if e["name"] == "frame"]
    assert len(frames) == d["evaluations"] and all(e["pid"] == 1 for e in frames), len(frames)
    assert sum(e["args"]["warmup"] for e in frames) == d["settings"]["warmup"]
    rows = list(csv.DictReader(open(csvpath)))
    assert len(rows) == len(frames)
    for i, w in enumerate(d["workers"]):
        n = w["name"]
        assert procs[2 + i] == n, procs
        st = [(r[n + "_status"], r[n + "_reason"]) for r in rows]
        req = [e for e in x if e["pid"] == 2 + i and e["name"] == "request"]
        sent = [s for s in st if s[1] not in ("unavailable", "not_sent")]
        assert len(req) == len(sent), (n, len(req), len(sent))
        assert sum(e["args"]["status"] == "ok" for e in req) == sum(s[0] == "ok" for s in st), n
        inst = [e for e in ev if e["ph"] == "i" and e["pid"] == 2 + i]
        for r in ("timeout", "error_reply", "unavailable", "not_sent"):
            got = sum(e["name"] == r.replace("_", " ") for e in inst)
            want = sum(s[1] == r for s in st)
            assert got == want, "%s: %d instant %s events for %d failed parts" % (n, got, r, want)
        svc = [e for e in x if e["pid"] == 2 + i and e["name"] == "service"]
        assert len(svc) == sum(e["args"]["status"] == "ok" and e["args"]["service_us"] >= 0 for e in req)
        kids = [e for e in x if e["pid"] == 2 + i and e["name"] in ("send", "transfer", "service")]
        assert len(kids) >= len(req), n
    print("%s: %d events, %d tracks, %d frames, %d instant" % (path, len(ev), len(tracks), len(frames),
                                                         sum(e["ph"] == "i" for e in ev)))


if __name__ == "__main__":
    if sys.argv[1] == "hgrm":
        check_hgrm(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "latency")
    else:
        check_trace(sys.argv[2], sys.argv[3], sys.argv[4])
