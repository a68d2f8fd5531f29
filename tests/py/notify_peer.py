"""notify_peer.py ADDR: play systemd's side of sd_notify(3) for one process.

Binds a datagram socket at ADDR (a path, or "@name" in the abstract
namespace), runs the command after "--" with NOTIFY_SOCKET=ADDR, and prints
each datagram it gets as "PID: KEY=VALUE ..." (the sender's pid from its
credentials), until the command exits. Exits 1 when nothing came."""
import os
import select
import socket
import struct
import subprocess
import sys

addr, cmd = sys.argv[1], sys.argv[3:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + addr[1:] if addr.startswith("@") else addr)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
p = subprocess.Popen(cmd, env=dict(os.environ, NOTIFY_SOCKET=addr))
print("child %d" % p.pid, flush=True)
got = 0
while True:
    r, _, _ = select.select([s], [], [], 0.05)
    if r:
        msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
        pid = [struct.unpack("iII", d)[0] for lvl, t, d in anc
               if lvl == socket.SOL_SOCKET and t == socket.SCM_CREDENTIALS]
        print("%s: %s" % (pid[0] if pid else "?",
                          " ".join(msg.decode().split("\n"))), flush=True)
        got += 1
    elif p.poll() is not None:
        break
sys.exit(0 if got else 1)
