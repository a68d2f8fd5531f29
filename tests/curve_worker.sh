#!/bin/sh
# fake-worker as a CURVE server, with pyzmq clients (the seed's side): a
# client whose key is in --curve-allow gets its reply, another gets none
# (its handshake is refused: HANDSHAKE_FAILED_AUTH), a plain client gets
# none either; SIGHUP reads the directory again, the worker's pid the
# same; --curve-allow-any admits any key. Bad options exit 64, a bad key
# file 78 with file:line.
. "$top_srcdir/tests/worker_lib.sh"
fs_need_python
CTL=$(fs_bin fake-serversctl)
K=$FS_TMP/keys
mkdir "$K" "$FS_TMP/allow"
for k in workers alice bob; do
	"$CTL" keygen "$K" $k >/dev/null || fs_fail "keygen $k"
done
cp "$K/alice.key" "$FS_TMP/allow/"

# ask KEY [SERVERKEY]: one request from a pyzmq CURVE client (KEY "plain":
# no CURVE); prints "reply", "refused" (HANDSHAKE_FAILED_AUTH) or
# "nothing" after 2 s.
ask() {
	$PY - "$FW_EP" "$K" "$@" <<'PYEOF'
import sys, zmq, zmq.auth
from zmq.utils.monitor import recv_monitor_message
ep, k, me = sys.argv[1:4]
srv = sys.argv[4] if len(sys.argv) > 4 else "workers"
ctx = zmq.Context()
s = ctx.socket(zmq.REQ)
s.linger = 0
if me != "plain":
    s.curve_serverkey = zmq.auth.load_certificate(k + "/" + srv + ".key")[0]
    s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate(
        k + "/" + me + ".key_secret")
mon = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH)
s.connect(ep)
s.send(b"Hello")
p = zmq.Poller()
p.register(s, zmq.POLLIN)
p.register(mon, zmq.POLLIN)
for sock, _ in p.poll(2000):
    if sock is s and s.recv() == b"Hello":
        print("reply")
        break
    if sock is mon:
        print("refused")
        break
else:
    print("nothing")
PYEOF
}

"$WORKER" --kind echo --endpoint tcp://127.0.0.1:1 --curve-secret "$K/workers.key_secret" 2>"$FS_TMP/o1.log"
[ $? -eq 64 ] || fs_fail "--curve-secret alone is not a usage error"
"$WORKER" --kind echo --endpoint tcp://127.0.0.1:1 --curve-allow "$FS_TMP/allow" 2>/dev/null
[ $? -eq 64 ] || fs_fail "--curve-allow alone is not a usage error"
"$WORKER" --kind echo --endpoint tcp://127.0.0.1:1 --curve-secret "$K/workers.key" \
	--curve-allow-any 2>"$FS_TMP/o2.log"
[ $? -eq 78 ] || fs_fail "a secret key every user can read: not exit 78"
grep -q "mode 0644 lets every user read the secret key" "$FS_TMP/o2.log" ||
	fs_fail "$(cat "$FS_TMP/o2.log")"
install -m 0600 "$K/workers.key" "$FS_TMP/public-only.key"
"$WORKER" --kind echo --endpoint tcp://127.0.0.1:1 --curve-secret "$FS_TMP/public-only.key" \
	--curve-allow-any 2>"$FS_TMP/o3.log"
[ $? -eq 78 ] || fs_fail "a public key as --curve-secret: not exit 78"
grep -q "public-only.key:[0-9]*: no secret-key" "$FS_TMP/o3.log" || fs_fail "no file:line: $(cat "$FS_TMP/o3.log")"
fs_ok "bad CURVE options exit 64; a key others can read or without its secret 78, saying why (file:line)"

fw_start cv echo 0 --curve-secret "$K/workers.key_secret" --curve-allow "$FS_TMP/allow"
pid=$FW_PID
[ "$(ask alice)" = reply ] || fs_fail "alice (allowed) got no reply"
[ "$(ask bob)" = refused ] || fs_fail "bob (not allowed) was not refused"
[ "$(ask plain)" = nothing ] || fs_fail "a plain client got a reply"
[ "$(ask alice bob)" = nothing ] || fs_fail "a client with a wrong server key got a reply"
grep -q "cv: refused client key" "$FS_TMP/cv.log" || fs_fail "the refusal is not logged: $(cat "$FS_TMP/cv.log")"
fs_ok "alice answered; bob refused and logged; plain and wrong-server-key clients get nothing"

# CURVE's buffers stay mapped (heap_keep): a 1.44 MB request does
# not fault its megabytes in again each time (858 page faults without).
if ! grep -q __asan_init "$WORKER"; then
	$PY - "$FW_EP" "$K" "$pid" <<'PYEOF' || fs_fail "page faults per request"
import sys, zmq, zmq.auth
ep, k, pid = sys.argv[1:4]
def minflt():
    return int(open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()[7])
s = zmq.Context().socket(zmq.DEALER)
s.curve_serverkey = zmq.auth.load_certificate(k + "/workers.key")[0]
s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate(k + "/alice.key_secret")
s.connect(ep)
data = bytes(800 * 600 * 3)
for i in range(25):
    if i == 5:
        f0 = minflt()
    s.send_multipart([b"", data])
    s.recv_multipart()
per = (minflt() - f0) / 20
print("page faults per request: %.0f" % per)
sys.exit(per > 100)
PYEOF
fi
cp "$K/bob.key" "$FS_TMP/allow/"
kill -HUP $pid
retry 5 grep -q "allow_dir $FS_TMP/allow: 2 client keys" "$FS_TMP/cv.log" ||
	fs_fail "SIGHUP did not read the directory again: $(cat "$FS_TMP/cv.log")"
[ "$(ask bob)" = reply ] || fs_fail "bob not admitted after SIGHUP"
kill -0 $pid || fs_fail "the worker died of SIGHUP"
fs_ok "SIGHUP: bob admitted, same worker ($pid)"
kill $pid; fw_exit $pid
[ $FW_RC -eq 0 ] || fs_fail "the worker exited $FW_RC"

fw_start any echo 0 --curve-secret "$K/workers.key_secret" --curve-allow-any
[ "$(ask bob)" = reply ] || fs_fail "--curve-allow-any refused bob"
grep -q "encryption without authentication" "$FS_TMP/any.log" || fs_fail "allow-any not said"
kill -HUP $FW_PID
sleep 0.2
[ "$(ask alice)" = reply ] && kill -0 $FW_PID || fs_fail "allow-any worker after SIGHUP"
fs_ok "--curve-allow-any admits any key, says it is encryption without authentication"
