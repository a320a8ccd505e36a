#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# loss-bench (docs/loss-bench.md): bad arguments give one clear error line
# and exit status 2; a short real run of both stacks at 10% loss produces
# the table, the baseline really retransmitted (RTX packets on the wire)
# and its key-frame requests reached the sender, every hand-on carries a
# checksum that was checked against the sender's lossless decode, and artic
# handed on no corrupted frame.
set -u
BENCH=$1
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL $*"; failures=$((failures + 1))
}

expect_error() {
  name=$1; pattern=$2; shift 2
  "$BENCH" "$@" > "$tmp/out" 2> "$tmp/err"
  status=$?
  lines=$(wc -l < "$tmp/err")
  if [ $status -ne 2 ] || [ "$lines" -ne 1 ] \
      || ! grep -q -- "^loss-bench: error: .*$pattern" "$tmp/err"; then
    fail "$name: status $status, expected one line matching '$pattern':"
    cat "$tmp/err"; return
  fi
  echo "ok $name: $(cat "$tmp/err")"
}

expect_error duration "out of range" --duration 0
expect_error duration-nan "Cannot parse" --duration lots
expect_error condition "unknown condition 'loss11'" --conditions loss10,loss11
expect_error stack "unknown stack" --stacks artic,webrtc
expect_error size "not WxH" --size 641x360x2
expect_error bitrate "out of range" --bitrate 5
expect_error clip "not found" --clip /nonexistent.mp4
expect_error role "unknown role" --role baseline-relay
expect_error role-port "out of range" --role baseline-send --port 0 \
  --dump-frames "$tmp/x.ivf"
expect_error extra "unexpected argument" stray
"$BENCH" --help > "$tmp/help" 2>&1 && grep -q -- "--conditions" "$tmp/help" \
  || fail "--help"

# The two options the bench adds to the artic programs fail cleanly.
if [ -n "${ARTIC_SEND:-}" ] && [ -n "${ARTIC_RECV:-}" ]; then
  "$ARTIC_SEND" --transport rtp --pattern ball --duration 1 --dump-frames /nonexistent/d/x.ivf \
    > "$tmp/out" 2> "$tmp/err"
  status=$?
  if [ $status -ne 2 ] || ! grep -q "^artic-send: error: cannot write '/nonexistent/d/x.ivf'" "$tmp/err"; then
    fail "artic-send --dump-frames to a missing folder: status $status"; cat "$tmp/err"
  else
    echo "ok send-dump-error: $(cat "$tmp/err")"
  fi
  port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$ARTIC_RECV" --transport rtp --address 127.0.0.1 --port "$port" --output-dir "$tmp/recv" \
    --handed-log /nonexistent/d/h.csv > "$tmp/out" 2> "$tmp/err"
  status=$?
  if [ $status -ne 1 ] || ! grep -q "^artic-recv: error: cannot write '/nonexistent/d/h.csv'" "$tmp/err"; then
    fail "artic-recv --handed-log to a missing folder: status $status"; cat "$tmp/err"
  else
    echo "ok recv-handed-error: $(cat "$tmp/err")"
  fi
fi

out="$tmp/run"
"$BENCH" --conditions loss10 --duration 4 --output "$out" > "$tmp/bench.out" 2>&1
status=$?
cat "$tmp/bench.out"
[ $status -eq 0 ] || fail "bench exit status $status"
artic=$(grep '^| loss10 | artic |' "$out/results.md")
baseline=$(grep '^| loss10 | baseline |' "$out/results.md")
[ -n "$artic" ] && [ -n "$baseline" ] || fail "no table rows in results.md"
grep -q '^loss-bench: \[2/2\] loss10, baseline: latency' "$tmp/bench.out" \
  || fail "no progress line"
# Column 7: corrupted frames (instants).
corrupted=$(echo "$artic" | awk -F'|' '{ gsub(/ /, "", $7); print $7 }')
[ "$corrupted" = "0(0)" ] || fail "artic handed on corrupted frames: $corrupted"
rtx=$(sed -n 's/^rtx-packets=//p' "$out/loss10/baseline/send-stats.ini")
[ "${rtx:-0}" -gt 0 ] || fail "the baseline sent no RTX packet (${rtx:-none})"
requests=$(sed -n 's/^keyunit-requests=//p' "$out/loss10/baseline/send-stats.ini")
[ "${requests:-0}" -gt 0 ] || fail "no key-frame request reached the baseline sender"
# Every hand-on carries a real checksum of the picture (not a format miss).
for stack in artic baseline; do
  log="$out/loss10/$stack/handed.csv"
  served=$(awk -F, 'NR > 1 && $2 != 0' "$log" | wc -l)
  zero=$(awk -F, 'NR > 1 && $2 != 0 && $4 == "0000000000000000"' "$log" | wc -l)
  [ "$served" -ge 3 ] || fail "$stack: only $served instants served"
  [ "$zero" -eq 0 ] || fail "$stack: $zero hand-ons without a checksum"
done
# Every missed instant is explained: the miss table's count for a run equals
# its scored instants minus the correct ones, and misses.csv has a line each.
for stack in artic baseline; do
  row=$(grep "^| loss10/$stack |" "$out/results.md")
  [ -n "$row" ] || fail "$stack: no row in the table of missed instants"
  missed=$(echo "$row" | awk -F'|' '{ gsub(/ /, "", $3); print $3 }')
  scored=$(grep "^| loss10 | $stack |" "$out/results.md" \
    | sed 's/.*% (\([0-9]*\)\/\([0-9]*\)).*/\2 - \1/')
  [ "$missed" = "$(($scored))" ] || fail "$stack: $missed missed, scored $scored"
  lines=$(($(wc -l < "$out/loss10/$stack/misses.csv") - 1))
  [ "$lines" = "$missed" ] || fail "$stack: misses.csv has $lines lines, $missed missed"
done
# artic's 0 corrupted is a real verdict: each of its served frames (with a
# checksum, above) matched the sender's lossless decode; a wrong checksum or
# reference would count them as corrupted (the mismatch side is unit-tested
# in loss-metrics, the baseline's count depends on the loss pattern).
echo "artic:    $artic"
echo "baseline: $baseline"
[ $failures -eq 0 ]
