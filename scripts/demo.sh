#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The demo, in two parts, over loopback through a peer session (signaling
# with a random bearer token written to a file, SRTP media, the context
# channel):
#  1. the shipped clip from artic-send to artic-recv, and what arrived;
#  2. a question about a sign in the scene: a lite-suite item rendered from the
#     shipped footage is streamed at 1280x720; the question, typed at the
#     sender, travels on the context channel to artic-recv, whose MLLM client
#     asks artic-answerer (the offline OCR reference endpoint) about the
#     sampled frames and prints the streamed answer and its latency; the
#     model's boxes for the question go back to the sender's articroi.
set -eu
BUILD=${1:-build}
OUT=${ARTIC_DEMO_OUT:-artic-demo-out}
PORT=${ARTIC_DEMO_PORT:-5004}
SIGNAL_PORT=${ARTIC_DEMO_SIGNAL_PORT:-5005}
CLIP=data/media/box-10s.mp4
SUITE=data/devibench/lite-seed1
ITEM=${ARTIC_DEMO_ITEM:-1}

pids=""
cleanup() {
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

rm -rf "$OUT"
mkdir -p "$OUT/stream" "$OUT/mllm"
# A fresh random token for this run, readable only by us.
(umask 077 && head -c 32 /dev/urandom | base64 | tr -d '=+/\n' > "$OUT/token")

# Waits until the receiver's signaling server accepts connections.
wait_for_receiver() {
  python3 - "$SIGNAL_PORT" <<'PY'
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

echo "demo 1/2: streaming $CLIP (10 s) through a peer session (SRTP over 127.0.0.1:$PORT) as VP8 at 800 kbps, sampling 2 fps"
"$BUILD/artic-recv" --port "$PORT" --address 127.0.0.1 --signal-port "$SIGNAL_PORT" \
  --token-file "$OUT/token" --output-dir "$OUT/stream" \
  --idle-timeout 2 --wait 30 --quiet > "$OUT/stream/recv-summary.txt" &
recv_pid=$!
pids="$recv_pid"
wait_for_receiver
"$BUILD/artic-send" --input "$CLIP" --signal-url "http://127.0.0.1:$SIGNAL_PORT" \
  --token-file "$OUT/token" --bitrate 800 --size 640x480 --log "$OUT/stream/sent.csv" --quiet \
  > "$OUT/stream/send-summary.txt"
wait "$recv_pid"
cat "$OUT/stream/send-summary.txt" "$OUT/stream/recv-summary.txt"

echo
echo "demo 2/2: asking about a sign in the scene (lite-suite item $ITEM)"
"$BUILD/devibench/devibench" lite-render --suite "$SUITE" --item "$ITEM" \
  --out "$OUT/mllm/item.webm" > "$OUT/mllm/item.txt"
question=$(sed -n 's/^question: //p' "$OUT/mllm/item.txt")
expected=$(sed -n 's/^answer: //p' "$OUT/mllm/item.txt")
"$BUILD/artic-answerer" --listen 127.0.0.1:0 --port-file "$OUT/mllm/answerer.port" \
  > "$OUT/mllm/answerer.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 1 100); do
  [ -s "$OUT/mllm/answerer.port" ] && break
  sleep 0.1
done
url="http://127.0.0.1:$(cat "$OUT/mllm/answerer.port")/v1"
# Asked at the sender 2 s into the stream, about the frames sampled so far.
printf '2\t%s\n' "$question" > "$OUT/mllm/questions.txt"
"$BUILD/artic-recv" --port "$PORT" --address 127.0.0.1 --signal-port "$SIGNAL_PORT" \
  --token-file "$OUT/token" --output-dir "$OUT/mllm/frames" --idle-timeout 2 --wait 30 --mllm "$url" \
  > "$OUT/mllm/recv.txt" 2>&1 &
recv_pid=$!
pids="$pids $recv_pid"
wait_for_receiver
"$BUILD/artic-send" --input "$OUT/mllm/item.webm" --signal-url "http://127.0.0.1:$SIGNAL_PORT" \
  --token-file "$OUT/token" --size 1280x720 --bitrate 2500 --questions-file "$OUT/mllm/questions.txt" \
  > "$OUT/mllm/send.txt" 2>&1
wait "$recv_pid"
grep -E 'question [0-9]+ from the sender|: (Q|A)1|A1 took|chunk cache|boxes for question' "$OUT/mllm/recv.txt" || true
grep -E 'boxes for Q[0-9]+' "$OUT/mllm/send.txt" || true
echo "expected answer: $expected (the answerer is a text-reading proxy for a real MLLM; see docs/answerer.md)"
echo
echo "demo: outputs in $OUT/ (stream/ and mllm/)"
