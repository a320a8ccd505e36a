#!/bin/sh
# artic-answerer's command line: --help works; bad arguments give one
# "artic-answerer: error: ..." line and exit 2; runtime failures (no OCR
# data, port taken) exit 1 with one line; never a crash or GStreamer noise.
set -u
ANSWERER=$1
failures=0
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

expect_error() {
  name=$1; want=$2; pattern=$3; shift 3
  "$@" > "$tmp/out" 2> "$tmp/err"
  status=$?
  lines=$(wc -l < "$tmp/err")
  if [ $status -ne "$want" ]; then
    echo "FAIL $name: exit status $status, expected $want"; cat "$tmp/err"
    failures=$((failures + 1)); return
  fi
  if [ "$lines" -ne 1 ] || ! grep -q -- "^artic-answerer: error: .*$pattern" "$tmp/err"; then
    echo "FAIL $name: expected one line matching '$pattern', got:"
    cat "$tmp/err"; failures=$((failures + 1)); return
  fi
  if grep -q -E 'CRITICAL|assertion|WARNING' "$tmp/err" "$tmp/out"; then
    echo "FAIL $name: GStreamer noise"; failures=$((failures + 1)); return
  fi
  echo "ok $name: $(cat "$tmp/err")"
}

if "$ANSWERER" --help > "$tmp/help" 2>&1 && grep -q -- "--listen" "$tmp/help" \
    && grep -q -- "--api-key-env" "$tmp/help" && grep -q -- "--port-file" "$tmp/help"; then
  echo "ok help"
else
  echo "FAIL help"; cat "$tmp/help"; failures=$((failures + 1))
fi

unset ARTIC_CLI_TEST_UNSET_KEY
expect_error unknown-option 2 "Unknown option" "$ANSWERER" --frobnicate
expect_error stray-argument 2 "unexpected argument 'extra'" "$ANSWERER" extra
expect_error host-name 2 "literal address" "$ANSWERER" --listen localhost:8090
expect_error no-port 2 "HOST:PORT" "$ANSWERER" --listen 127.0.0.1
expect_error big-port 2 "HOST:PORT" "$ANSWERER" --listen 127.0.0.1:99999
expect_error body-zero 2 "max-body-mb must be" "$ANSWERER" --max-body-mb 0
expect_error body-huge 2 "max-body-mb must be" "$ANSWERER" --max-body-mb 100000
expect_error body-text 2 "max-body-mb" "$ANSWERER" --max-body-mb lots
expect_error images-zero 2 "max-images must be" "$ANSWERER" --max-images 0
expect_error empty-model 2 "model must not be empty" "$ANSWERER" --model ""
expect_error unset-key 2 "ARTIC_CLI_TEST_UNSET_KEY is not set" \
  "$ANSWERER" --api-key-env ARTIC_CLI_TEST_UNSET_KEY
expect_error no-tessdata 1 "no eng.traineddata" \
  "$ANSWERER" --listen 127.0.0.1:0 --tessdata "$tmp"

# A port that is taken: one line, exit 1.
"$ANSWERER" --listen 127.0.0.1:0 --port-file "$tmp/port" > "$tmp/first" 2>&1 &
pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
if [ -s "$tmp/port" ]; then
  port=$(cat "$tmp/port")
  expect_error port-taken 1 "cannot listen on 127.0.0.1:$port" \
    "$ANSWERER" --listen "127.0.0.1:$port"
  kill -INT "$pid"
  wait "$pid"
  status=$?
  pid=""
  if [ $status -eq 0 ] && grep -q "stopped after 0 requests" "$tmp/first"; then
    echo "ok sigint: clean exit"
  else
    echo "FAIL sigint: status $status"; cat "$tmp/first"; failures=$((failures + 1))
  fi
else
  echo "FAIL first server did not start"; cat "$tmp/first"; failures=$((failures + 1))
fi

[ $failures -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all answerer CLI checks passed"
