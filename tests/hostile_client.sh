#!/bin/sh
# hostile_client.sh: fake-client against servers that answer garbage.
#
# A ROUTER peer that, request by request, replies random bytes, the wrong
# number of frames, headers that lie about the payload, someone else's
# frame id, an error, two replies or none at all. The client must finish
# on its own with every frame in its CSV, the bad replies counted as
# errors or timeouts (exit 1), never crash; and a good server answering
# the same client at the same time sees all its frames succeed. FS_WRAP is
# a command prefix for the client (tests/valgrind_client.sh).
. "$top_srcdir/tests/lib.sh"
fs_need_python
CLIENT=$(fs_bin fake-client)
[ -x "$CLIENT" ] || fs_skip "fake-client is not built"

p=$(fs_free_ports 2)
cat >"$FS_TMP/liar.py" <<'EOF'
import json, os, random, sys
import zmq

port, honest = int(sys.argv[1]), sys.argv[2] == "honest"
rng = random.Random(int(os.environ.get("FS_SEED", "0")) or None)
ctx = zmq.Context()
s = ctx.socket(zmq.ROUTER)
s.setsockopt(zmq.LINGER, 0)
s.bind("tcp://127.0.0.1:%d" % port)


def hdr(d):
    return json.dumps(d).encode()


while True:
    m = s.recv_multipart()
    env, body = m[:-2], m[-2:]
    try:
        h = json.loads(body[0])
    except ValueError:
        h = {}
    frame = h.get("frame", 0)
    shape = h.get("shape", [1, 1, 3])[:2]
    good = [hdr({"dtype": "uint8", "shape": shape, "frame": frame}),
            bytes(shape[0] * shape[1])]
    if honest:
        s.send_multipart(env + good)
        continue
    lie = rng.randrange(14)
    if lie == 0:
        s.send_multipart(env + good)
    elif lie == 1:
        s.send_multipart(env + [os.urandom(rng.randrange(0, 100))])
    elif lie == 2:
        s.send_multipart(env + [os.urandom(20) for _ in range(rng.randrange(2, 6))])
    elif lie == 3:
        s.send_multipart(env + [hdr({"dtype": "uint8", "shape": [2**40, 2**40], "frame": frame}), b"x"])
    elif lie == 4:
        s.send_multipart(env + [hdr({"dtype": "uint8", "shape": shape, "frame": frame}), b"short"])
    elif lie == 5:
        s.send_multipart(env + [hdr({"dtype": "uint8", "shape": shape, "frame": frame + 7}), good[1]])
    elif lie == 6:
        s.send_multipart(env + [hdr({"error": "I refuse", "frame": frame}), b""])
    elif lie == 7:
        s.send_multipart(env + good)
        s.send_multipart(env + good)
    elif lie == 8:
        pass            # no reply: the client times out
    elif lie == 9:
        s.send_multipart(env + [hdr({"dtype": "int7", "shape": shape, "frame": frame}), good[1]])
    elif lie == 10:
        s.send_multipart(env + [b"[" * 5000, b""])
    elif lie == 11:
        s.send_multipart(env + [hdr({"dtype": "float64", "shape": [-1], "frame": "x"}), b""])
    elif lie == 12:
        s.send_multipart(env + [hdr({"dtype": "uint8", "shape": shape, "frame": frame,
                                     "service_us": "slow", "overrun": 3}), good[1]])
    else:
        s.send_multipart(env + [b"", b"", b""])
EOF
fs_spawn liar $PY "$FS_TMP/liar.py" "$p" liar
fs_spawn honest $PY "$FS_TMP/liar.py" $((p + 1)) honest
fs_wait_port "$p"
fs_wait_port $((p + 1))

n=400
${FS_WRAP:-} "$CLIENT" --no-config -e "Liar=tcp://127.0.0.1:$p" -e "Honest=tcp://127.0.0.1:$((p + 1))" \
    --width 32 --height 24 --frames $n --fps 400 --in-flight 4 --timeout-ms 200 \
    --csv "$FS_TMP/run.csv" >"$FS_TMP/client.out" 2>"$FS_TMP/client.log"
rc=$?
[ $rc -eq 1 ] || fs_fail "fake-client exits $rc, not 1: $(tail -5 "$FS_TMP/client.log")"
out=$($PY - "$FS_TMP/run.csv" $n 2>&1 <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
n = int(sys.argv[2])
assert len(rows) == n, "%d rows for %d frames" % (len(rows), n)
st = [r["status"] for r in rows]
assert all(s in ("ok", "timeout", "error") for s in st), set(st)
assert all(r["Honest_status"] == "ok" for r in rows), \
    [r["frame"] for r in rows if r["Honest_status"] != "ok"][:10]
bad = sum(r["Liar_status"] != "ok" for r in rows)
assert bad > n // 2, "only %d of the liar's replies refused" % bad
print("%d frames: the liar's %d bad replies refused, the honest server's all ok" % (n, bad))
EOF
) || fs_fail "the CSV does not add up: $out"
fs_ok "$out"
