#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# devibench lite-select end to end with the real answerer (artic-answerer,
# started by the program on loopback): of lite2-seed1's items 8-10, item 9
# (a 13-px low-contrast code on a navy screen) is not read on the clean
# stream and must be dropped; the kept items are renumbered, answered right
# again by devibench run, and the same with two workers; --each-frame
# drops an item of lite3-seed1 that is read right from its three images
# together but not from each alone, --count 0 keeps every item read right;
# too few right answers, an endpoint that is down and bad arguments are
# clear errors.
set -u
DEVIBENCH=$1
SRC=$2
SUITE=$SRC/data/devibench/lite2-seed1
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL $*"; failures=$((failures + 1))
}

# expect_status NAME STATUS PATTERN ARGS...: that exit status and one stderr
# line matching.
expect_status() {
  name=$1; want=$2; pattern=$3; shift 3
  "$DEVIBENCH" lite-select "$@" > "$tmp/out" 2> "$tmp/err"
  status=$?
  if [ $status -ne "$want" ]; then
    fail "$name: exit status $status, expected $want"; cat "$tmp/err"; return
  fi
  if ! grep -q -- "$pattern" "$tmp/err" ||
     [ "$(grep -c '^devibench: error' "$tmp/err")" -ne 1 ]; then
    fail "$name: expected one error line matching '$pattern', got:"; cat "$tmp/err"
    return
  fi
  echo "ok $name: $(grep '^devibench: error' "$tmp/err")"
}

# --- select 2 of items 8-10 ------------------------------------------------
out=$tmp/sel
if ! "$DEVIBENCH" lite-select --suite "$SUITE" --items 8-10 --count 2 \
    --out "$out" > "$tmp/sel.out" 2> "$tmp/sel.err"; then
  fail "select: exit status $?"; cat "$tmp/sel.err"
fi
grep -q '^kept 2 of 3 items checked (1 answered wrong)' "$tmp/sel.out" ||
  { fail "select: summary line"; cat "$tmp/sel.out"; }
# Progress: one line per item checked.
[ "$(grep -c '^devibench: lite-00' "$tmp/sel.err")" -eq 3 ] ||
  { fail "select: progress lines"; cat "$tmp/sel.err"; }
csv=$out/selection.csv
grep -q '^lite-0009,53,,false,' "$csv" || { fail "select: item 9 not dropped"; cat "$csv"; }
grep -q '^lite-0008,51,lite-0001,true,"METER MAGENTA"$' "$csv" ||
  { fail "select: item 8 not kept as lite-0001"; cat "$csv"; }
grep -q '^lite-0010,58,lite-0002,true,"VENUS"$' "$csv" ||
  { fail "select: item 10 not kept as lite-0002"; cat "$csv"; }
# The new suite: two items, renumbered, the generator's profile and seed.
[ "$(grep -c '"candidate" :' "$out/manifest.json")" -eq 2 ] || fail "select: not 2 items"
grep -q '"profile" : 2' "$out/manifest.json" || fail "select: profile lost"
grep -q '"candidate" : 53' "$out/manifest.json" && fail "select: item 9 in the manifest"
[ "$(wc -l < "$out/questions.csv")" -eq 3 ] || fail "select: questions.csv"
echo "ok select"

# --- the kept items are answered right again by devibench run ------------
"$DEVIBENCH" run --suite "$out" --out "$tmp/run" --bitrate clean \
  --image-size 1280 -q --no-plots || fail "rerun: exit status $?"
[ "$(grep -c '"correct":true' "$tmp/run/results.jsonl")" -eq 2 ] ||
  { fail "rerun: not both right"; cat "$tmp/run/results.jsonl"; }
echo "ok rerun"

# --- two workers: the same selection --------------------------------------
"$DEVIBENCH" lite-select --suite "$SUITE" --items 8-10 --count 2 -j 2 -q \
  --out "$tmp/sel2" > /dev/null 2>&1 || fail "-j 2: exit status $?"
cmp -s "$out/manifest.json" "$tmp/sel2/manifest.json" || fail "-j 2: another manifest"
echo "ok jobs"

# --- --each-frame and --count 0 --------------------------------------------
# lite3-seed1's item 1 (BREWERY ZEBRA on a hand-held sign) is answered right
# from its three clean images together, but one image alone reads another
# sign: a lucky reading, dropped with --each-frame; items 2 and 3 read right
# from every image.
L3=$SRC/data/devibench/lite3-seed1
"$DEVIBENCH" lite-select --suite "$L3" --items 1-3 --count 0 --each-frame \
  --out "$tmp/each" > "$tmp/each.out" 2> "$tmp/each.err" ||
  { fail "each-frame: exit status $?"; cat "$tmp/each.err"; }
grep -q '^kept 2 of 3 items checked (1 answered wrong)' "$tmp/each.out" ||
  { fail "each-frame: summary line"; cat "$tmp/each.out"; }
csv=$tmp/each/selection.csv
head -1 "$csv" | grep -q '^source_id,candidate,id,clean_correct,answer,frame_answers$' ||
  { fail "each-frame: header"; cat "$csv"; }
grep -q '^lite-0001,1,,false,"BREWERY ZEBRA",".* | .* | .*"$' "$csv" ||
  { fail "each-frame: item 1 not dropped"; cat "$csv"; }
grep -q '^lite-0002,4,lite-0001,true,"GARDEN TACT","GARDEN TACT | GARDEN TACT | GARDEN TACT"$' "$csv" ||
  { fail "each-frame: item 2 not kept"; cat "$csv"; }
grep -q '^lite-0003,12,lite-0002,true,' "$csv" || { fail "each-frame: item 3 not kept"; cat "$csv"; }
[ "$(grep -c '"candidate" :' "$tmp/each/manifest.json")" -eq 2 ] || fail "each-frame: not 2 items"
# Without it the same three are all kept (--count 0: every item read right).
"$DEVIBENCH" lite-select --suite "$L3" --items 1-3 --count 0 -q \
  --out "$tmp/all" > "$tmp/all.out" 2>&1 || fail "count 0: exit status $?"
grep -q '^kept 3 of 3 items checked (0 answered wrong)' "$tmp/all.out" ||
  { fail "count 0: summary line"; cat "$tmp/all.out"; }
echo "ok each-frame"

# --- errors ---------------------------------------------------------------
expect_status too-few 1 "only 0 of the 1 items are answered right" \
  --suite "$SUITE" --items 9 --count 1 --out "$tmp/few"
expect_status none-right 1 "none of the 1 items is answered right" \
  --suite "$SUITE" --items 9 --count 0 --out "$tmp/none-right"
[ -e "$tmp/few/manifest.json" ] && fail "too-few: a manifest was written"
grep -q '^lite-0009,53,,false,' "$tmp/few/selection.csv" || fail "too-few: no report"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 9)
expect_status endpoint-down 1 "lite-0001: the clean check failed 3 times" \
  --suite "$SUITE" --items 1 --count 1 --endpoint "http://127.0.0.1:$port/v1" \
  --out "$tmp/down" -q
expect_status no-suite 2 "--suite DIR and --out DIR are required" --out "$tmp/x"
expect_status count 2 "--count -1 is out of range" --suite "$SUITE" --out "$tmp/x" --count -1
expect_status sizes 2 "give one frame size" --suite "$SUITE" --out "$tmp/x" \
  --size 1280x720,640x360
expect_status size 2 "--size '641x360'" --suite "$SUITE" --out "$tmp/x" --size 641x360
expect_status items 2 "--items 'x'" --suite "$SUITE" --out "$tmp/x" --items x
expect_status missing 1 "manifest.json" --suite "$tmp/none" --out "$tmp/x"
expect_status option 2 "Unknown option" --suite "$SUITE" --out "$tmp/x" --bogus
"$DEVIBENCH" lite-select --help | grep -q "answered right" || fail "--help"

if [ $failures -ne 0 ]; then
  echo "$failures failures"; exit 1
fi
echo "all passed"
