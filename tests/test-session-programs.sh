#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# artic-send and artic-recv over the peer session, as two (three) processes
# on loopback:
#  1. media and data both ways through artic-netem at 20% loss each way:
#     five questions typed at the sender reach the receiver exactly once and
#     in order, are asked of the real artic-answerer, and the model's boxes
#     for each come back to the sender's articroi, in order; frames decode;
#     RTCP comes back;
#  2. a capture of the session (a recording UDP relay) holds no VP8 key-frame
#     header and no question text in the clear, while the same capture of
#     --transport rtp does (the control); every datagram is SRTP/SRTCP or
#     encrypted SCTP;
#  3. a sender killed with SIGKILL: its session ends after the idle timeout
#     while a second sender keeps streaming and is decoded;
#  4. a sender with the wrong token gets no session.
set -u
SEND=$1
RECV=$2
NETEM=$3
ANSWERER=$4
tmp=$(mktemp -d)
pids=""
cleanup() {
  for pid in $pids; do kill -9 "$pid" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for f in "$tmp"/*.log; do echo "--- $f"; cat "$f"; done
  exit 1
}
head -c 32 /dev/urandom | base64 | tr -d '=+/\n' > "$tmp/token"
token=$(cat "$tmp/token")
free_port() {
  python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_'"$1"'); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_tcp() {
  python3 - "$1" <<'PY'
import socket, sys, time
for _ in range(150):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

"$ANSWERER" --listen 127.0.0.1:0 --port-file "$tmp/answerer.port" > "$tmp/answerer.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 1 100); do [ -s "$tmp/answerer.port" ] && break; sleep 0.1; done
mllm="http://127.0.0.1:$(cat "$tmp/answerer.port")/v1"

echo "# 1. media and data both ways through artic-netem, 20% loss each way"
sp=$(free_port STREAM); mp=$(free_port DGRAM); rp=$(free_port DGRAM)
"$RECV" --port "$mp" --signal-port "$sp" --address 127.0.0.1 --token-file "$tmp/token" \
  --output-dir "$tmp/out1" --idle-timeout 3 --wait 30 --jitter-ms 100 --mllm "$mllm" \
  > "$tmp/recv1.log" 2>&1 &
recv=$!; pids="$pids $recv"
"$NETEM" --listen "127.0.0.1:$rp" --to "127.0.0.1:$mp" --loss 20 --reverse-loss 20 \
  --seed 3 --duration 60 --stats "$tmp/netem1.txt" > "$tmp/netem1.log" 2>&1 &
netem=$!; pids="$pids $netem"
wait_tcp "$sp" || fail "receiver did not start"
# Typed: one line a second, while the stream runs (long enough for the
# answers on a loaded machine: the boxes need the session still open).
(sleep 2; for i in 1 2 3 4 5; do echo "typed question number $i"; sleep 1; done; sleep 20) |
  "$SEND" --pattern smpte --size 320x240 --bitrate 300 --keyframe-interval 15 \
    --duration 26 --signal-url "http://127.0.0.1:$sp" --port "$rp" \
    --token-file "$tmp/token" --questions-stdin > "$tmp/send1.log" 2>&1 \
  || fail "sender 1 exit status $?"
wait $recv || fail "receiver 1 exit status $?"
kill -TERM $netem; wait $netem
got=$(grep -o 'question [0-9] from the sender' "$tmp/recv1.log" | tr -dc '0-9')
[ "$got" = "12345" ] || fail "questions at the receiver: '$got', want 12345 (once each, in order)"
got=$(grep -o 'boxes for Q[0-9] from the receiver -> articroi' "$tmp/send1.log" | tr -dc '0-9')
[ "$got" = "12345" ] || fail "boxes at the sender: '$got', want 12345 (once each, in order)"
grep -q '^artic-recv: A1: ' "$tmp/recv1.log" || fail "no answer to the typed question"
grep -q -E '^artic-send: context: 5 questions sent, 5 boxes applied' "$tmp/send1.log" \
  || fail "sender context summary"
grep -q -E '^artic-recv: decoded [1-9][0-9]* frames' "$tmp/recv1.log" || fail "no frame decoded"
grep -q -E '^artic-send: feedback: [1-9][0-9]* RTCP packets' "$tmp/send1.log" \
  || fail "no RTCP came back"
grep -E 'dropped by loss [1-9]' "$tmp/netem1.txt" | wc -l | grep -q 2 \
  || fail "the relay did not drop packets both ways"
grep -E 'decoded|feedback|context' "$tmp/recv1.log" "$tmp/send1.log" | sed 's/^/# /'
sed 's/^/# /' "$tmp/netem1.txt"

echo "# 2. what a capture of the session shows"
cat > "$tmp/tap.py" <<'PY'
# A recording UDP relay: forwards LISTEN -> TO and replies back, and
# writes every datagram (2-byte length, then the bytes) to FILE.
import select, socket, struct, sys, time
listen, to, path, seconds = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); front.bind(("127.0.0.1", listen))
back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); back.bind(("127.0.0.1", 0))
client = None
end = time.time() + seconds
with open(path, "wb") as out:
    while time.time() < end:
        ready, _, _ = select.select([front, back], [], [], 0.1)
        for s in ready:
            data, addr = s.recvfrom(65536)
            out.write(struct.pack("!H", len(data)) + data)
            if s is front:
                client = addr
                back.sendto(data, ("127.0.0.1", to))
            elif client is not None:
                front.sendto(data, client)
PY
cat > "$tmp/check.py" <<'PY'
# Counts datagrams by first byte and looks for VP8 key-frame headers
# (start code 9d 01 2a near the start of an RTP payload) and for TEXT.
import struct, sys
data = open(sys.argv[1], "rb").read()
text = sys.argv[2].encode()
i = 0; n = 0; keyframes = 0; texts = 0; kinds = {}
while i + 2 <= len(data):
    (length,) = struct.unpack("!H", data[i:i + 2]); d = data[i + 2:i + 2 + length]; i += 2 + length; n += 1
    kind = "rtp" if 128 <= d[0] <= 191 else "sctp-encrypted" if d[0] == 0x0B else "sctp-plain" if d[0] == 0x0A else "other"
    kinds[kind] = kinds.get(kind, 0) + 1
    if text and text in d:
        texts += 1
    if kind == "rtp" and len(d) > 12 and not 192 <= d[1] <= 223:
        off = 12 + 4 * (d[0] & 0x0F)
        if d[0] & 0x10 and len(d) >= off + 4:
            off += 4 + 4 * struct.unpack("!H", d[off + 2:off + 4])[0]
        if b"\x9d\x01\x2a" in d[off:off + 20]:
            keyframes += 1
print("datagrams=%d keyframe_headers=%d text=%d %s" % (n, keyframes, texts,
      " ".join("%s=%d" % kv for kv in sorted(kinds.items()))))
PY
question="where is the secret plaintext marker"
for transport in session rtp; do
  sp=$(free_port STREAM); mp=$(free_port DGRAM); tp=$(free_port DGRAM)
  extra_recv=""; extra_send="--transport rtp --port $tp"
  if [ $transport = session ]; then
    extra_recv="--signal-port $sp --token-file $tmp/token"
    extra_send="--signal-url http://127.0.0.1:$sp --port $tp --token-file $tmp/token --question"
  else
    extra_recv="--transport rtp"
  fi
  "$RECV" --port "$mp" --address 127.0.0.1 $extra_recv --output-dir "$tmp/out2$transport" \
    --idle-timeout 2 --wait 20 --quiet > "$tmp/recv2$transport.log" 2>&1 &
  recv=$!; pids="$pids $recv"
  python3 "$tmp/tap.py" "$tp" "$mp" "$tmp/capture-$transport" 12 &
  tap=$!; pids="$pids $tap"
  [ $transport = session ] && { wait_tcp "$sp" || fail "receiver did not start"; }
  sleep 0.5
  if [ $transport = session ]; then
    "$SEND" --pattern smpte --size 320x240 --duration 2 --keyframe-interval 15 \
      $extra_send "$question" --quiet > "$tmp/send2$transport.log" 2>&1 || fail "sender ($transport)"
  else
    "$SEND" --pattern smpte --size 320x240 --duration 2 --keyframe-interval 15 \
      $extra_send --quiet > "$tmp/send2$transport.log" 2>&1 || fail "sender ($transport)"
  fi
  wait $recv || fail "receiver ($transport)"
  kill $tap 2>/dev/null; wait $tap 2>/dev/null
  result=$(python3 "$tmp/check.py" "$tmp/capture-$transport" "$question")
  echo "# $transport: $result"
  eval "$(echo "$result" | tr ' ' '\n' | grep -E '^(datagrams|keyframe_headers|text|other|sctp-plain)=' | tr '-' '_')"
  [ "${datagrams:-0}" -gt 50 ] || fail "$transport: too few datagrams captured"
  if [ $transport = session ]; then
    [ "${keyframe_headers:-1}" -eq 0 ] || fail "VP8 key frames in the clear in the session capture"
    [ "${text:-1}" -eq 0 ] || fail "the question in the clear in the session capture"
    [ "${other:-0}" -eq 0 ] && [ "${sctp_plain:-0}" -eq 0 ] || fail "datagrams neither SRTP nor encrypted SCTP"
    grep -q "question 1 from the sender" "$tmp/recv2$transport.log" || true
  else
    [ "${keyframe_headers:-0}" -gt 0 ] || fail "the control (plain RTP) shows no key frame: the check sees nothing"
  fi
  unset datagrams keyframe_headers text other sctp_plain
done

echo "# 3. one sender vanishes (SIGKILL), the other keeps streaming"
sp=$(free_port STREAM); mp=$(free_port DGRAM)
"$RECV" --port "$mp" --signal-port "$sp" --address 127.0.0.1 --token-file "$tmp/token" \
  --max-sessions 2 --session-timeout 2 --idle-timeout 3 --wait 20 \
  --output-dir "$tmp/out3" > "$tmp/recv3.log" 2>&1 &
recv=$!; pids="$pids $recv"
wait_tcp "$sp" || fail "receiver did not start"
stdbuf -oL "$SEND" --pattern ball --size 320x240 --keyframe-interval 15 --duration 30 \
  --signal-url "http://127.0.0.1:$sp" --token-file "$tmp/token" > "$tmp/send3a.log" 2>&1 &
victim=$!; pids="$pids $victim"
sleep 1
"$SEND" --pattern smpte --size 320x240 --keyframe-interval 15 --duration 8 \
  --signal-url "http://127.0.0.1:$sp" --token-file "$tmp/token" > "$tmp/send3b.log" 2>&1 &
survivor=$!; pids="$pids $survivor"
sleep 1.5
kill -9 $victim
killed_us=$(($(date +%s%N) / 1000))
wait $survivor || fail "the surviving sender failed"
wait $recv || fail "receiver 3 exit status $?"
a=$(sed -n 's/^artic-send: session \(s-[0-9a-f]*\): started$/\1/p' "$tmp/send3a.log")
b=$(sed -n 's/^artic-send: session \(s-[0-9a-f]*\): started$/\1/p' "$tmp/send3b.log")
[ -n "$a" ] && [ -n "$b" ] || fail "session ids not found"
grep -q "^artic-recv: session $a ended (idle)" "$tmp/recv3.log" || fail "the vanished sender's session did not end idle"
grep -q "^artic-recv: session $b ended (closed)" "$tmp/recv3.log" || fail "the surviving session did not end cleanly"
# The vanished session ended while the other one was still live.
order=$(grep -n -E "session ($a|$b) ended" "$tmp/recv3.log" | cut -d: -f1 | tr '\n' ' ')
first=$(grep -n "session $a ended" "$tmp/recv3.log" | cut -d: -f1)
[ "$(echo $order | cut -d' ' -f1)" = "$first" ] || fail "sessions ended in the wrong order"
# Frames captured (and decoded) well after the kill: the survivor's.
late=$(awk -F, -v t=$((killed_us + 2000000)) 'NR > 1 && $1 > t && $8 == 1' "$tmp/out3/frames.csv" | wc -l)
echo "# frames decoded more than 2 s after the SIGKILL: $late"
[ "$late" -gt 30 ] || fail "the surviving sender's frames stopped being decoded"

echo "# 3b. the other SRTP profile (AES_CM_128_HMAC_SHA1_80) works end to end"
sp=$(free_port STREAM); mp=$(free_port DGRAM)
"$RECV" --port "$mp" --signal-port "$sp" --address 127.0.0.1 --token-file "$tmp/token" \
  --idle-timeout 2 --wait 20 --output-dir "$tmp/out3b" --quiet > "$tmp/recv3b.log" 2>&1 &
recv=$!; pids="$pids $recv"
wait_tcp "$sp" || fail "receiver did not start"
"$SEND" --pattern ball --size 320x240 --duration 2 --srtp-profile aes-cm \
  --signal-url "http://127.0.0.1:$sp" --token-file "$tmp/token" --quiet \
  > "$tmp/send3b.log" 2>&1 || fail "sender with aes-cm"
wait $recv || fail "receiver 3b exit status $?"
grep -q -E '^artic-recv: decoded [1-9][0-9]* frames' "$tmp/recv3b.log" || fail "aes-cm: nothing decoded"

echo "# 4. the wrong token gets no session"
sp=$(free_port STREAM); mp=$(free_port DGRAM)
"$RECV" --port "$mp" --signal-port "$sp" --address 127.0.0.1 --token-file "$tmp/token" \
  --idle-timeout 1 --wait 3 --output-dir "$tmp/out4" > "$tmp/recv4.log" 2>&1 &
recv=$!; pids="$pids $recv"
wait_tcp "$sp" || fail "receiver did not start"
head -c 32 /dev/urandom | base64 | tr -d '=+/\n' > "$tmp/wrong"
ARTIC_TOKEN=$(cat "$tmp/wrong") "$SEND" --pattern ball --duration 1 \
  --signal-url "http://127.0.0.1:$sp" > "$tmp/send4.log" 2>&1 && fail "the wrong token was accepted"
grep -q "401" "$tmp/send4.log" || fail "no 401 in the sender's error"
wait $recv
grep -q "session .* started" "$tmp/recv4.log" && fail "a session started with the wrong token"
# No token anywhere in what the programs printed.
if grep -rqF "$token" "$tmp"/*.log; then fail "the token was printed"; fi
if grep -rqF "$(cat "$tmp/wrong")" "$tmp"/*.log; then fail "the wrong token was printed"; fi
echo "session programs: ok"
