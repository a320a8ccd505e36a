#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# artic-netem: bad arguments give one clear error line and exit status 2;
# --help works; --duration stops the relay and prints the summary.
set -u
NETEM=$1
TRACES=$2
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect_error() {
  name=$1; pattern=$2; shift 2
  "$NETEM" "$@" > "$tmp/out" 2> "$tmp/err"
  status=$?
  lines=$(wc -l < "$tmp/err")
  if [ $status -ne 2 ]; then
    echo "FAIL $name: exit status $status"; failures=$((failures + 1)); return
  fi
  if [ "$lines" -ne 1 ] || ! grep -q -- "^artic-netem: error: .*$pattern" "$tmp/err"; then
    echo "FAIL $name: expected one line matching '$pattern', got:"
    cat "$tmp/err"; failures=$((failures + 1)); return
  fi
  echo "ok $name: $(cat "$tmp/err")"
}

printf '0\n5\nfast\n' > "$tmp/garbage.up"
printf '5\n3\n' > "$tmp/decreasing.up"
: > "$tmp/empty.up"
TO="--to 127.0.0.1:45200"
expect_error no-destination "--to HOST:PORT is required"
expect_error bad-destination "not an IP address" --to example.com:80
expect_error no-port "not HOST:PORT" --to 127.0.0.1
expect_error bad-port "out of range" --to 127.0.0.1:70000
expect_error bad-listen "not an IP address" --listen nowhere:5 $TO
expect_error unknown-option "Unknown option" --frobnicate $TO
expect_error extra-argument "unexpected argument" $TO stray
expect_error loss-range "out of range" $TO --loss 101
expect_error loss-nan "not a number" $TO --loss lots
expect_error negative-delay "out of range" $TO --delay -5
expect_error reverse-jitter "--reverse-jitter 'x' is not a number" $TO --reverse-jitter x
expect_error zero-rate "above 0" $TO --rate 0
expect_error rate-text "not a whole number" $TO --rate 2M
expect_error trace-and-rate "only one of --trace and --rate" $TO --rate 100 --trace "$TRACES/ATT-LTE-driving-2016.up"
expect_error two-queues "only one of --queue-bytes" $TO --queue-bytes 10 --queue-packets 3
expect_error burst-fields "P,R" $TO --burst 5
expect_error burst-range "out of range" $TO --burst 5,200
expect_error burst-no-recovery "bursts never end" $TO --burst 5,0
expect_error missing-trace "--trace: " $TO --trace /nonexistent.up
expect_error empty-trace "empty trace" $TO --trace "$tmp/empty.up"
expect_error garbage-trace "garbage.up:3: not a timestamp" $TO --trace "$tmp/garbage.up"
expect_error decreasing-trace "decreasing.up:2: timestamps decrease" $TO --reverse-trace "$tmp/decreasing.up"
expect_error bad-seed "--seed" $TO --seed -1
expect_error bad-duration "--duration" $TO --duration 0
expect_error bad-stats "cannot write" $TO --listen 127.0.0.1:0 --stats /nonexistent/dir/stats.txt

# A port that another socket holds (a free one, so that another suite on
# the machine cannot be holding it; --duration so that nothing can hang).
busy=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$NETEM" --listen 127.0.0.1:$busy $TO --duration 5 > /dev/null 2>&1 &
holder=$!
sleep 0.5
expect_error port-in-use "cannot listen on 127.0.0.1:$busy" --listen 127.0.0.1:$busy $TO --duration 3
kill $holder; wait $holder 2>/dev/null

if ! "$NETEM" --help | grep -q "Usage:"; then
  echo "FAIL: --help"; failures=$((failures + 1))
fi
if ! "$NETEM" --help-reverse | grep -q -- "--reverse-trace"; then
  echo "FAIL: --help-reverse"; failures=$((failures + 1))
fi

# A clean stop after --duration, with a summary per direction.
if ! "$NETEM" --listen 127.0.0.1:0 $TO --trace "$TRACES/Verizon-LTE-short.up" \
    --duration 0.3 > "$tmp/out" 2> "$tmp/err"; then
  echo "FAIL: --duration run"; cat "$tmp/err"; failures=$((failures + 1))
elif ! grep -q "^forward: in 0 pkts" "$tmp/out" || ! grep -q "^reverse: " "$tmp/out"; then
  echo "FAIL: summary"; cat "$tmp/out"; failures=$((failures + 1))
else
  echo "ok duration: $(head -1 "$tmp/out")"
fi

if [ $failures -ne 0 ]; then
  echo "$failures failures"
  exit 1
fi
