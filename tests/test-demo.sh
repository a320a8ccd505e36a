#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The Quick start demo runs to the end, prints the stream summary, and the
# answerer reads the sign the question is about.
set -u
SOURCE_ROOT=$1
BUILD=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
signal_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cd "$SOURCE_ROOT" || exit 1
ARTIC_DEMO_OUT="$out/demo" ARTIC_DEMO_PORT=$port ARTIC_DEMO_SIGNAL_PORT=$signal_port sh scripts/demo.sh "$BUILD" > "$out/log" 2>&1
status=$?
cat "$out/log"
[ $status -eq 0 ] || { echo "FAIL: demo exit status $status"; exit 1; }
for pattern in '^artic-send: sent [0-9]+ frames' \
    '^artic-recv: received [0-9]+ frames' '^artic-recv: decoded [0-9]+ frames, sampled [0-9]+' \
    '^artic-recv: latency capture->arrival p50 [0-9.]+ ms' \
    '^artic-recv: A1: BURGER GATE$' '^expected answer: BURGER GATE' \
    '^artic-recv: question 1 from the sender' \
    '^artic-send: boxes for Q1 from the receiver -> articroi: \[\[\[[0-9]'; do
  grep -q -E "$pattern" "$out/log" || { echo "FAIL: no line matching $pattern"; exit 1; }
done
ls "$out/demo/stream"/frame-*.jpg > /dev/null || { echo "FAIL: no sampled frames"; exit 1; }
