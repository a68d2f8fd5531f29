"""A worker as the seed wrote them: a pyzmq REP socket that receives a JSON
header and a raw numpy array, sleeps its cost and answers with send_json and
an array (no "frame" id, no service time). A request that names a
shared-memory ring (a header with "shm") gets an error reply, as from a
worker that cannot use the ring.

A FIRST_MS makes it a cold server: its first request takes that long.

usage: client_seed_server.py PORT COST_MS [echo|segmentation [FIRST_MS]]
"""
import sys
import time

import numpy as np
import zmq


def recv_array(socket):
    md = socket.recv_json()
    msg = socket.recv()
    if "shm" in md:
        return None
    return np.frombuffer(msg, dtype=md["dtype"]).reshape(md["shape"])


def send_array(socket, a):
    socket.send_json(dict(dtype=str(a.dtype), shape=a.shape), zmq.SNDMORE)
    socket.send(np.ascontiguousarray(a), copy=False)


def main():
    port, cost = int(sys.argv[1]), float(sys.argv[2]) / 1000.0
    mode = sys.argv[3] if len(sys.argv) > 3 else "segmentation"
    first = float(sys.argv[4]) / 1000.0 if len(sys.argv) > 4 else cost
    socket = zmq.Context().socket(zmq.REP)
    socket.bind("tcp://127.0.0.1:%d" % port)
    while True:
        a = recv_array(socket)
        if a is None:
            socket.send_json({"error": "cannot open the shm ring"}, zmq.SNDMORE)
            socket.send(b"")
            continue
        time.sleep(first)
        first = cost
        send_array(socket, a if mode == "echo" else a[..., 0])


if __name__ == "__main__":
    main()
