#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# artic-send --roi-boxes-file: the boxes are applied at start and again when
# the file changes while streaming; a bad edit is warned about once and the
# stream goes on. Streams a small test pattern to a loopback port (UDP: no
# receiver needed).
set -u
SEND=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; cat "$tmp/out" "$tmp/err"; exit 1; }

echo '[[[450,200],[750,330]]]' > "$tmp/boxes.json"
"$SEND" --transport rtp --pattern ball --size 320x240 --bitrate 300 \
  --duration 2.5 --port 45127 --roi-boxes-file "$tmp/boxes.json" > "$tmp/out" 2> "$tmp/err" &
pid=$!
sleep 0.8
echo '[100,100,300,300]' > "$tmp/boxes.json.new"
mv "$tmp/boxes.json.new" "$tmp/boxes.json"
sleep 0.6
echo '[100,100,' > "$tmp/boxes.json.new"
mv "$tmp/boxes.json.new" "$tmp/boxes.json"
wait $pid
status=$?

[ $status -eq 0 ] || fail "exit status $status"
grep -q "ROI boxes" "$tmp/out" || fail "no ROI mode in the start line"
updates=$(grep -c "ROI boxes updated from the file" "$tmp/out")
[ "$updates" -eq 2 ] || fail "expected 2 updates (start, edit), got $updates"
warnings=$(grep -c "artic-send: warning: bad ROI boxes" "$tmp/err")
[ "$warnings" -eq 1 ] || fail "expected 1 warning for the bad edit, got $warnings"
grep -q "sent [1-9][0-9]* frames" "$tmp/out" || fail "no frames sent"
if grep -q -E 'CRITICAL|assertion' "$tmp/err"; then fail "GStreamer noise"; fi
echo "ok: $updates updates, $warnings warning"
