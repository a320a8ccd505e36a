#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The demo: streams the shipped clip from artic-send to artic-recv over
# loopback UDP and prints what arrived.
set -eu
BUILD=${1:-build}
OUT=${ARTIC_DEMO_OUT:-artic-demo-out}
PORT=${ARTIC_DEMO_PORT:-5004}
CLIP=data/media/box-10s.mp4

rm -rf "$OUT"
mkdir -p "$OUT"
echo "demo: streaming $CLIP (10 s) over 127.0.0.1:$PORT at 800 kbps, sampling 2 fps"
"$BUILD/artic-recv" --port "$PORT" --address 127.0.0.1 --output-dir "$OUT" \
  --idle-timeout 2 --wait 30 --quiet > "$OUT/recv-summary.txt" &
recv_pid=$!
sleep 0.5
if ! "$BUILD/artic-send" --input "$CLIP" --port "$PORT" --bitrate 800 \
    --size 640x480 --log "$OUT/sent.csv" --quiet > "$OUT/send-summary.txt"; then
  kill "$recv_pid" 2>/dev/null || true
  echo "demo: artic-send failed" >&2
  exit 1
fi
wait "$recv_pid"
echo "--- summary"
cat "$OUT/send-summary.txt" "$OUT/recv-summary.txt"
