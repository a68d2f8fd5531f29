"""servers_notify.py: stand in for systemd's notify socket around a command.

usage: servers_notify.py LOG PORTS -- COMMAND...

Binds a unix datagram socket with SO_PASSCRED, runs COMMAND with
NOTIFY_SOCKET pointing at it (and WATCHDOG_USEC from the environment, if
set), and appends one line per message to LOG: "SENDER_PID<TAB>MESSAGE"
(newlines in the message as "|"). The first line is "child<TAB>PID". When a
message carries READY=1 it also writes "ports<TAB>all" or "ports<TAB>missing
N" after trying to connect to each of PORTS (comma-separated, 127.0.0.1),
so the test knows whether READY came only once every worker listened. Exits
with the command's status once it has ended and the socket is drained.
SIGTERM and SIGINT are passed on to the command, so a test's teardown that
stops this program stops the command too.
"""
import array
import os
import signal
import socket
import subprocess
import sys
import tempfile


def port_listens(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1)
    try:
        s.connect(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def main():
    log_path, ports = sys.argv[1], [int(p) for p in sys.argv[2].split(",") if p]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    d = tempfile.mkdtemp(prefix="fs-notify-")
    path = os.path.join(d, "notify.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    s.settimeout(0.05)
    log = open(log_path, "a", buffering=1)
    p = subprocess.Popen(cmd, env=dict(os.environ, NOTIFY_SOCKET=path))
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signo, frame: p.send_signal(signo))
    log.write("child\t%d\n" % p.pid)
    while True:
        try:
            data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4) + socket.CMSG_SPACE(12))
        except socket.timeout:
            if p.poll() is not None:
                break
            continue
        pid = 0
        for level, typ, payload in anc:
            if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                fds = array.array("i")
                fds.frombytes(payload[: len(payload) - len(payload) % 4])
                for fd in fds:
                    os.close(fd)
            if level == socket.SOL_SOCKET and typ == socket.SCM_CREDENTIALS:
                pid = array.array("i", payload[:12])[0]
        msg = data.decode(errors="replace")
        log.write("%d\t%s\n" % (pid, msg.replace("\n", "|")))
        if "READY=1" in msg.split("\n"):
            missing = [q for q in ports if not port_listens(q)]
            log.write("ports\t%s\n" % ("all" if not missing else "missing %s" % missing))
    s.close()
    os.unlink(path)
    os.rmdir(d)
    log.write("exit\t%d\n" % p.returncode)
    sys.exit(p.returncode)


main()
