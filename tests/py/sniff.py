"""sniff.py: what crosses a network link, for the CURVE scenario.

    sniff.py IFACE READYFILE

Captures every packet on IFACE with an AF_PACKET socket (root, in the
interface's network namespace) until SIGTERM, touches READYFILE once the
socket is bound, then prints one JSON object: the TCP packets and payload
bytes seen, how many payloads hold the wire header's text ("dtype",
"shape") and how many hold a ZMTP greeting naming the NULL or the CURVE
mechanism. Standard library only.
"""
import json
import signal
import socket
import struct
import sys

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800


def tcp_payload(frame):
    """The TCP payload of an Ethernet frame carrying IPv4, or None."""
    if len(frame) < 14 or struct.unpack("!H", frame[12:14])[0] != ETH_P_IP:
        return None
    ip = frame[14:]
    if len(ip) < 20 or ip[9] != socket.IPPROTO_TCP:
        return None
    ihl = (ip[0] & 0x0F) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    tcp = ip[ihl:total]
    if len(tcp) < 20:
        return None
    return tcp[(tcp[12] >> 4) * 4:]


def main():
    iface, ready = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    try:    # room for the bursts of a video frame (root may force it)
        s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)  # SO_RCVBUFFORCE
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
    s.bind((iface, 0))
    s.settimeout(0.1)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    with open(ready, "w"):
        pass
    seen = {"packets": 0, "payload_bytes": 0, "header_text": 0,
            "greeting_null": 0, "greeting_curve": 0}
    while not stop:
        try:
            frame, addr = s.recvfrom(65536)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        if addr[2] == socket.PACKET_OUTGOING and iface == "lo":
            continue            # each loopback packet is seen twice
        p = tcp_payload(frame)
        if not p:
            continue
        seen["packets"] += 1
        seen["payload_bytes"] += len(p)
        if b'"dtype"' in p or b'"shape"' in p:
            seen["header_text"] += 1
        # A ZMTP 3 greeting names its mechanism padded with NULs to 20
        # bytes (libzmq sends the greeting in two or three segments).
        if b"NULL" + b"\0" * 16 in p:
            seen["greeting_null"] += 1
        if b"CURVE" + b"\0" * 15 in p:
            seen["greeting_curve"] += 1
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
