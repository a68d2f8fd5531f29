"""seed_format.py: the seed's message format, as its zmq_utils.py speaks it.

A request or reply is a JSON header (dtype, shape) sent with send_json,
then the raw C-order array bytes. Imported by the scenario peers in
tests/py; needs Debian's python3-zmq and python3-numpy.
"""
import time

import numpy as np
import zmq


def send_array(socket, A, flags=0, copy=True, track=False, **extra):
    """Send a numpy array with its metadata, exactly as the seed does."""
    md = dict(dtype=str(A.dtype), shape=A.shape, **extra)
    socket.send_json(md, flags | zmq.SNDMORE)
    return socket.send(A, flags, copy=copy, track=track)


def recv_array(socket, flags=0, copy=True, track=False):
    """Receive a header and an array; returns (header dict, array)."""
    md = socket.recv_json(flags=flags)
    msg = socket.recv(flags=flags, copy=copy, track=track)
    if "error" in md:
        return md, None
    A = np.frombuffer(msg, dtype=md["dtype"])
    return md, A.reshape(md["shape"])


def connect(kind, endpoint, timeout_ms=5000, ctx=None):
    """A socket with receive/send timeouts so a test never hangs."""
    ctx = ctx or zmq.Context.instance()
    s = ctx.socket(kind)
    s.setsockopt(zmq.RCVTIMEO, timeout_ms)
    s.setsockopt(zmq.SNDTIMEO, timeout_ms)
    s.setsockopt(zmq.LINGER, 0)
    s.connect(endpoint)
    return s


def segmentation_reference(A, out_dtype="uint8"):
    """What a segmentation worker must return for image or stack A."""
    if A.ndim >= 4:
        A = A.reshape((-1,) + A.shape[-3:])[-1]
    A = A.astype(np.float64)
    if A.ndim == 2:
        c0 = c1 = A
    else:
        c0 = A[..., 0]
        c1 = A[..., 1] if A.shape[-1] > 1 else c0
    out = 0.75 * c0 + 0.25 * c1
    if out_dtype == "float64":
        return out
    return np.nan_to_num(np.clip(out, 0, 255)).astype(np.uint8)


def timed(fn, *args, **kw):
    t = time.monotonic()
    r = fn(*args, **kw)
    return r, time.monotonic() - t
