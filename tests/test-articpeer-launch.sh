#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The two launch lines of articpeer's documentation work together as two
# processes on loopback: the sender's VP8 frames arrive through the peer
# session (signaling with the token from a file, SRTP media) and decode at
# the receiver; the sender ends at EOS; the token is never printed.
set -eu
dir=$(mktemp -d)
receiver=
cleanup() {
  if [ -n "$receiver" ]; then kill "$receiver" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
head -c 32 /dev/urandom | base64 | tr -d '=+/\n' > "$dir/token.txt"
token=$(cat "$dir/token.txt")
# Ports of our own: other test runs may use the defaults at the same time.
signal_port=$(shuf -i 20000-40000 -n 1)
media_port=$((signal_port + 20000))
caps='application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,payload=96'

gst-launch-1.0 articpeer role=answer signal-address=127.0.0.1 \
  signal-port="$signal_port" address=127.0.0.1 port="$media_port" \
  token-file="$dir/token.txt" caps="$caps" ! \
  rtpjitterbuffer ! rtpvp8depay ! vp8dec ! videoconvert ! jpegenc ! \
  multifilesink location="$dir/frame-%05d.jpg" > "$dir/receiver.log" 2>&1 &
receiver=$!
# The receiver is ready when its signaling port answers.
i=0
until (exec 3<>"/dev/tcp/127.0.0.1/$signal_port") 2>/dev/null; do
  i=$((i + 1))
  if [ $i -gt 100 ]; then
    cat "$dir/receiver.log" >&2
    echo "FAIL: the receiver did not start" >&2
    exit 1
  fi
  sleep 0.1
done

timeout 60 gst-launch-1.0 videotestsrc is-live=true num-buffers=60 ! \
  video/x-raw,width=320,height=240,framerate=30/1 ! vp8enc deadline=1 ! \
  rtpvp8pay picture-id-mode=15-bit ! \
  articpeer role=offer signal-url="http://127.0.0.1:$signal_port" \
  token-file="$dir/token.txt" > "$dir/sender.log" 2>&1 || {
  cat "$dir/sender.log" "$dir/receiver.log" >&2
  echo "FAIL: the sender pipeline failed" >&2
  exit 1
}
grep -q "Got EOS" "$dir/sender.log" || {
  cat "$dir/sender.log" >&2
  echo "FAIL: the sender did not end at EOS" >&2
  exit 1
}
sleep 0.5
kill -INT "$receiver"
wait "$receiver" || true
receiver=
frames=$(ls "$dir" | grep -c '^frame-' || true)
echo "sender sent 60 frames, receiver decoded and wrote $frames"
if [ "$frames" -lt 40 ]; then
  cat "$dir/sender.log" "$dir/receiver.log" >&2
  echo "FAIL: too few frames arrived" >&2
  exit 1
fi
if grep -qF "$token" "$dir/sender.log" "$dir/receiver.log"; then
  echo "FAIL: the token was printed" >&2
  exit 1
fi
echo "articpeer launch lines: ok"
