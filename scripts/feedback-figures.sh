#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Figures of docs/conceal.md (sender half): artic-send -> artic-netem
# (seeded random loss) -> artic-recv, with and without the feedback path,
# one line per run from artic-recv's summary. "served" = sampling instants
# with a correct frame at most 1 s old (fresh + repeated - stale) over all
# instants of the run (2 per second for DURATION s, default 5; artic-recv
# stops DURATION s after the first packet).
# Usage:
#   scripts/feedback-figures.sh [BUILD] [LOSS...]   (default: build 0 10 20)
set -eu
BUILD=${1:-build}
[ $# -gt 0 ] && shift
LOSSES=${*:-0 10 20}
CLIP=data/media/box-10s.mp4
DURATION=${DURATION:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
port=46300

run() { # loss label send-options...
  loss=$1; label=$2; shift 2
  port=$((port + 2))
  "$BUILD/artic-netem" --listen 127.0.0.1:$port --to 127.0.0.1:$((port + 1)) \
    --loss "$loss" --seed 7 --duration 30 > "$out/netem.txt" 2>&1 &
  netem=$!
  "$BUILD/artic-recv" --transport rtp --port $((port + 1)) --address 127.0.0.1 \
    --output-dir "$out/recv" --duration "$DURATION" --idle-timeout 3 --wait 20 --quiet \
    > "$out/recv.txt" &
  recv=$!
  sleep 0.5
  "$BUILD/artic-send" --transport rtp --input "$CLIP" --port $port --duration "$DURATION" --size 320x240 \
    --bitrate 600 --quiet "$@" > "$out/send.txt"
  wait $recv
  kill $netem 2>/dev/null; wait $netem 2>/dev/null || true
  sed -n 's/^artic-recv: conceal: \([0-9]*\) good and \([0-9]*\) broken.*instants: \([0-9]*\) fresh, \([0-9]*\) repeated (\([0-9]*\) stale), \([0-9]*\) unserved$/\1 \2 \3 \4 \5 \6/p' \
    "$out/recv.txt" | {
    read -r good broken fresh repeated stale unserved || {
      echo "| $loss% | $label | nothing decoded | | 0 of $((DURATION * 2)) | |"; return; }
    total=$((DURATION * 2))
    served=$((fresh + repeated - stale))
    keys=$(sed -n 's/^artic-send: references: .* \([0-9]*\) key frames.*/\1/p' "$out/send.txt")
    echo "| $loss% | $label | $good / $broken | $fresh / $repeated ($stale) / $unserved | $served of $total = $((100 * served / (total > 0 ? total : 1)))% | ${keys:--} |"
  }
}

echo "| loss | sender | good / broken frames | instants fresh / repeated (stale) / unserved | served fresh and correct | key frames |"
echo "|---|---|---|---|---|---|"
for loss in $LOSSES; do
  run "$loss" "feedback"
  run "$loss" "no feedback, key/15" --no-feedback --keyframe-interval 15
  run "$loss" "no feedback, key/300" --no-feedback
done
