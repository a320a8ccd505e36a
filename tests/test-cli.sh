#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad arguments give one clear error line and a non-zero exit, never a
# GStreamer assertion or a crash.
set -u
SEND=$1
RECV=$2
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect_error() {
  name=$1; pattern=$2; shift 2
  "$@" > "$tmp/out" 2> "$tmp/err"
  status=$?
  lines=$(wc -l < "$tmp/err")
  if [ $status -eq 0 ] || [ $status -gt 2 ] && [ $status -ne 1 ]; then
    echo "FAIL $name: exit status $status"; failures=$((failures + 1)); return
  fi
  if [ "$lines" -ne 1 ] || ! grep -q -- "$pattern" "$tmp/err"; then
    echo "FAIL $name: expected one line matching '$pattern', got:"
    cat "$tmp/err"; failures=$((failures + 1)); return
  fi
  if grep -q -E 'CRITICAL|assertion|WARNING' "$tmp/err" "$tmp/out"; then
    echo "FAIL $name: GStreamer noise"; failures=$((failures + 1)); return
  fi
  echo "ok $name: $(cat "$tmp/err")"
}

echo "not a video" > "$tmp/not-a-video.mp4"
expect_error missing-file "does not exist" "$SEND" --input /nonexistent/clip.mp4
expect_error unknown-codec "unknown codec 'theora'" "$SEND" --codec theora
expect_error nonsense-bitrate "bitrate 'lots'" "$SEND" --bitrate lots
expect_error negative-bitrate "out of range" "$SEND" --bitrate -300
expect_error huge-bitrate "out of range" "$SEND" --bitrate 1e12
expect_error bad-size "WIDTHxHEIGHT" "$SEND" --size 640by480
expect_error bad-host "not an IP address" "$SEND" --host nowhere
expect_error two-sources "only one of" "$SEND" --pattern ball --input x.mp4
expect_error unknown-option "Unknown option" "$SEND" --frobnicate
expect_error undecodable-file "artic-send: error" "$SEND" --transport rtp --input "$tmp/not-a-video.mp4" --duration 5
expect_error unknown-codec-upper "unknown codec 'av1'" "$SEND" --codec AV1
expect_error bad-roi-json "bad ROI boxes in --roi-boxes" "$SEND" --roi-boxes '[[[450,200],[750'
expect_error bad-roi-type "bad ROI boxes" "$SEND" --roi-boxes '[["a",1,2,3]]'
expect_error missing-roi-file "cannot read ROI boxes file '/nonexistent/boxes.json'" "$SEND" --roi-boxes @/nonexistent/boxes.json
echo '[[[1,2],[3' > "$tmp/bad-boxes.json"
expect_error bad-roi-file "bad ROI boxes in $tmp/bad-boxes.json" "$SEND" --roi-boxes "@$tmp/bad-boxes.json"
expect_error missing-live-roi-file "cannot read ROI boxes file" "$SEND" --roi-boxes-file /nonexistent/live.json
expect_error endless-roi-file "larger than 65536 bytes" "$SEND" --roi-boxes @/dev/zero
expect_error empty-roi-boxes "box feedback is empty" "$SEND" --roi-boxes ''
expect_error device-live-roi-file "not a regular file" "$SEND" --roi-boxes-file /dev/null
expect_error unknown-roi-mode "unknown ROI mode 'all'" "$SEND" --roi all
expect_error roi-boxes-without-boxes "need --roi boxes" "$SEND" --roi off --roi-boxes '[]'
expect_error roi-boxes-mode-without-boxes "needs --roi-boxes" "$SEND" --roi boxes
expect_error roi-follow-without-boxes "--roi-follow needs --roi boxes" "$SEND" --roi-follow
expect_error roi-bad-capture-time "capture-time\" must be a non-negative integer" "$SEND" --roi-boxes '{"boxes": [1,2,3,4], "capture-time": -5}'
expect_error send-bad-local-port "local port 70000 is out of range" "$SEND" --transport rtp --local-port 70000
expect_error send-negative-local-port "out of range" "$SEND" --transport rtp --local-port -5
expect_error recv-unknown-codec "unknown codec 'theora'" "$RECV" --codec theora
expect_error recv-bad-port "out of range" "$RECV" --port 99999
expect_error recv-bad-rate "sample rate" "$RECV" --sample-rate 0
expect_error recv-bad-address "not an IP address" "$RECV" --address nowhere
expect_error recv-bad-output "cannot create" "$RECV" --transport rtp --port 45124 --output-dir /proc/forbidden

# The peer session (the default transport): the token comes from a file or
# $ARTIC_TOKEN, never the command line; session options need it.
unset ARTIC_TOKEN
printf '\n' > "$tmp/empty-token"
expect_error send-no-token "no bearer token" "$SEND" --duration 1
expect_error send-missing-token-file "token" "$SEND" --token-file /nonexistent/token --duration 1
expect_error send-empty-token-file "is empty" "$SEND" --token-file "$tmp/empty-token" --duration 1
expect_error send-bad-transport "unknown transport 'udp'" "$SEND" --transport udp
expect_error send-bad-signal-url "is not http://HOST:PORT" "$SEND" --signal-url ftp://x
expect_error send-session-option-with-rtp "need --transport session" "$SEND" --transport rtp --token-file "$tmp/empty-token"
expect_error send-question-with-rtp "need --transport session" "$SEND" --transport rtp --question hi
expect_error send-local-port-with-session "needs --transport rtp" "$SEND" --local-port 5000
expect_error send-bad-questions-file "bad questions file" "$SEND" --questions-file /nonexistent/q.txt
expect_error send-bad-session-timeout "session timeout" "$SEND" --session-timeout 100000
expect_error send-missing-ca "CA file" "$SEND" --tls-ca /nonexistent/ca.pem
expect_error send-bad-srtp-profile "unknown SRTP profile 'rot13'" "$SEND" --srtp-profile rot13
expect_error send-srtp-profile-with-rtp "need --transport session" "$SEND" --transport rtp --srtp-profile aes-cm
expect_error recv-no-token "no bearer token" "$RECV" --output-dir "$tmp/c"
expect_error recv-bad-transport "unknown transport 'udp'" "$RECV" --transport udp
expect_error recv-bad-signal-port "signaling port 70000" "$RECV" --signal-port 70000
expect_error recv-bad-max-sessions "max sessions 0" "$RECV" --max-sessions 0
expect_error recv-bad-session-timeout "session timeout" "$RECV" --session-timeout -3
expect_error recv-key-without-cert "needs --tls-cert" "$RECV" --tls-key /nonexistent/key.pem
expect_error recv-bad-cert "bad TLS certificate" "$RECV" --tls-cert "$tmp/empty-token"
expect_error recv-session-option-with-rtp "need --transport session" "$RECV" --transport rtp --signal-port 6000
expect_error recv-bad-signal-address "not an IP address" "$RECV" --signal-address nowhere
# A secret on the command line is not an option.
expect_error send-no-token-option "Unknown option" "$SEND" --token abc

# A port that another socket holds.
"$RECV" --transport rtp --port 45123 --address 127.0.0.1 --output-dir "$tmp/a" > "$tmp/holder.out" 2>&1 &
holder=$!
# The holder prints its "listening" line once the socket is bound.
for _ in $(seq 1 100); do
  grep -q listening "$tmp/holder.out" 2>/dev/null && break
  sleep 0.1
done
expect_error port-in-use "cannot listen on 127.0.0.1:45123" "$RECV" --transport rtp --port 45123 --address 127.0.0.1 --output-dir "$tmp/b" --wait 3
expect_error send-local-port-in-use "cannot bind UDP port 45123" "$SEND" --transport rtp --local-port 45123 --duration 1
kill $holder; wait $holder 2>/dev/null

for prog in "$SEND" "$RECV"; do
  if ! "$prog" --help | grep -q "Usage:"; then
    echo "FAIL: $prog --help"; failures=$((failures + 1))
  fi
done

if [ $failures -ne 0 ]; then
  echo "$failures failures"
  exit 1
fi
