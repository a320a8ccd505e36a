#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# artic-recv --mllm end to end: artic-send streams the shipped clip over
# loopback, artic-recv asks the in-process test-double chat server
# (mllm-test-server, real HTTP on 127.0.0.1) and prints the streamed answers
# with their latency. Then the new options' argument errors.
set -u
SEND=$1
RECV=$2
SERVER=$3
CLIP=$4
failures=0
tmp=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "FAIL $*"; failures=$((failures + 1)); }

"$SERVER" ok > "$tmp/url" &
server=$!
for _ in $(seq 1 50); do
  [ -s "$tmp/url" ] && break
  sleep 0.1
done
url=$(cat "$tmp/url")
printf '1\tWhat is on the box?\n# a comment\n3\tAnd now?\n' > "$tmp/questions"

# A free UDP port (meson needs python3, so it is there).
port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'Typed?\n' | "$RECV" --transport rtp --port "$port" --address 127.0.0.1 \
  --output-dir "$tmp/frames" --idle-timeout 2 --wait 20 --mllm "$url" \
  --question "First look?" --questions "$tmp/questions" --questions-stdin \
  > "$tmp/recv.out" 2> "$tmp/recv.err" &
recv=$!
for _ in $(seq 1 100); do
  grep -q listening "$tmp/recv.out" 2>/dev/null && break
  sleep 0.1
done
"$SEND" --transport rtp --input "$CLIP" --port "$port" --duration 5 --quiet > /dev/null 2>&1 \
  || fail "artic-send"
wait $recv || fail "artic-recv exit status $?"
cat "$tmp/recv.out"

# The answers come in order, echo what the server received (the newest 3
# frames as complete JPEGs, 1 for the question asked with the first frame)
# and carry their latency.
grep -q "^artic-recv: A1: images=1 jpegs=1 question=First look?$" "$tmp/recv.out" \
  || fail "first answer"
grep -q -E "^artic-recv: A2: images=([0-9]) jpegs=\1 question=Typed\?$" "$tmp/recv.out" \
  || fail "question from stdin"
# How many frames were sampled by the first timed question depends on how
# fast the pipeline started (slow under sanitizers); the later one has the
# full window of 3.
grep -q -E "^artic-recv: A3: images=([1-3]) jpegs=\1 question=What is on the box\?$" "$tmp/recv.out" \
  || fail "timed answer"
grep -q "^artic-recv: A4: images=3 jpegs=3 question=And now?$" "$tmp/recv.out" \
  || fail "second timed answer"
[ "$(grep -c 'ms to the first token' "$tmp/recv.out")" -eq 4 ] || fail "latency lines"
grep -q "4 answers (0 failed); chunk cache: 4 requests" "$tmp/recv.out" \
  || fail "summary"
if grep -q -E 'CRITICAL|assertion|WARNING|warning' "$tmp/recv.err"; then
  fail "noise on stderr:"; cat "$tmp/recv.err"
fi

expect_error() {
  name=$1; pattern=$2; shift 2
  "$@" > "$tmp/out" 2> "$tmp/err"
  status=$?
  if [ $status -ne 2 ]; then
    fail "$name: exit status $status"; return
  fi
  if [ "$(wc -l < "$tmp/err")" -ne 1 ] || ! grep -q -- "$pattern" "$tmp/err"; then
    fail "$name: expected one line matching '$pattern', got:"; cat "$tmp/err"
    return
  fi
  echo "ok $name: $(cat "$tmp/err")"
}
printf '1\tfine\nsoon\tbroken\n' > "$tmp/bad-questions"
expect_error question-without-mllm "need --mllm" "$RECV" --question hi
expect_error mllm-not-http "not an http" "$RECV" --mllm ftp://127.0.0.1/v1
expect_error bad-questions "line 2" "$RECV" --mllm "$url" --questions "$tmp/bad-questions"
expect_error missing-questions "bad questions file" "$RECV" --mllm "$url" --questions /nonexistent/q.txt
expect_error bad-window "frame window" "$RECV" --mllm "$url" --frame-window 0
expect_error bad-image-size "mllm-image-size 8 is out of range" "$RECV" --mllm "$url" --mllm-image-size 8

if [ $failures -ne 0 ]; then
  echo "$failures failures"
  exit 1
fi
