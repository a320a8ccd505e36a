#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# devibench on the real question sets, its bad arguments, and the lite suite
# end to end: generation is deterministic by seed, and a 3-item suite is
# rendered, read clean by Tesseract, encoded with VP8 and previewed.
set -u
DEVIBENCH=$1
DATA=$2
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL $*"; failures=$((failures + 1))
}

# expect_output NAME PATTERN COMMAND...: exit 0 and stdout matches.
expect_output() {
  name=$1; pattern=$2; shift 2
  if ! "$@" > "$tmp/out" 2> "$tmp/err"; then
    fail "$name: exit status $?"; cat "$tmp/err"; return
  fi
  if ! grep -q -E -- "$pattern" "$tmp/out"; then
    fail "$name: no line matching '$pattern' in:"; cat "$tmp/out"; return
  fi
  echo "ok $name"
}

# expect_error NAME PATTERN COMMAND...: exit 2, one stderr line matching.
expect_error() {
  name=$1; pattern=$2; shift 2
  "$@" > "$tmp/out" 2> "$tmp/err"
  status=$?
  if [ $status -ne 2 ]; then
    fail "$name: exit status $status, expected 2"; cat "$tmp/err"; return
  fi
  if [ "$(wc -l < "$tmp/err")" -ne 1 ] || ! grep -q -- "$pattern" "$tmp/err"; then
    fail "$name: expected one line matching '$pattern', got:"; cat "$tmp/err"
    return
  fi
  echo "ok $name: $(cat "$tmp/err")"
}

V2=$DATA/datasets_v2.csv
V1=$DATA/datasets_v1.csv

# stats: the counts of the published README.
"$DEVIBENCH" stats "$V2" > "$tmp/stats" 2> "$tmp/err" || fail "stats v2 failed"
for line in "items: 1968" "rejected rows: 0" \
    "Text-Rich Understanding +1611" "Attribute Perception +227" \
    "Object Perception +67" "Counting +50" "Action Perception +7" \
    "Spatial Understanding +6" "Single +1805" "Multi +163"; do
  grep -q -E "^ *$line\$" "$tmp/stats" || fail "stats v2: no '$line'"
done
[ -s "$tmp/err" ] && fail "stats v2 wrote to stderr"
expect_output stats-v1 "^items: 1074$" "$DEVIBENCH" stats "$V1"
expect_output stats-json '"Counting":50' "$DEVIBENCH" stats --json "$V2"

# list with filters.
n=$("$DEVIBENCH" list "$V2" --task-type counting | wc -l)
[ "$n" -eq 50 ] || fail "list --task-type counting: $n lines, expected 50"
n=$("$DEVIBENCH" list "$V2" --frame multi | wc -l)
[ "$n" -eq 163 ] || fail "list --frame multi: $n lines, expected 163"
n=$("$DEVIBENCH" list "$V2" -t "Text-Rich Understanding" -f single -n 7 --json | wc -l)
[ "$n" -eq 7 ] || fail "list --limit 7: $n lines"
# v1 options keep their newlines, escaped to one line.
expect_output list-v1 'A\) Ramon Sanchez-Pizuan  \\nB\)' "$DEVIBENCH" list "$V1" --limit 1
expect_output prompt-v2 "^What is the time displayed on the scoreboard\?$" \
  "$DEVIBENCH" prompt "$V2" 2
expect_output prompt-v1 "^D\) Ramon Sanchez-Pizjuan Stadium$" \
  "$DEVIBENCH" prompt "$V1" 1

# A file with bad rows: they are reported, the rest loads.
printf 'sample_id,start_time,question,std_answer,Frame,task_type\r\n1,5,Q?,a,Single,Counting\r\n2,x,Q?,a,Single,Counting\r\n3,5,"Q?,a,Single,Counting\r\n4,5,Q?,a,Multi,Counting\r\n' > "$tmp/bad.csv"
"$DEVIBENCH" stats "$tmp/bad.csv" > "$tmp/out" 2> "$tmp/err"
[ $? -eq 0 ] || fail "stats on bad rows: non-zero exit"
grep -q "^items: 2$" "$tmp/out" || fail "bad rows: expected 2 items"
grep -q "line 3: start_time 'x'" "$tmp/err" || fail "bad rows: no line 3 error"
grep -q "line 4: quoted field is never closed" "$tmp/err" || fail "bad rows: no line 4 error"
echo "ok bad-rows"

# Bad arguments.
echo "not,a,devibench,file" > "$tmp/other.csv"
expect_error no-command "missing command" "$DEVIBENCH"
expect_error unknown-command "unknown command 'frobnicate'" "$DEVIBENCH" frobnicate
expect_error missing-file "does not exist" "$DEVIBENCH" stats /nonexistent/x.csv
expect_error no-file "takes one FILE" "$DEVIBENCH" stats
expect_error bad-frame "neither single nor multi" "$DEVIBENCH" list "$V2" --frame triple
expect_error bad-limit "not a whole number" "$DEVIBENCH" list "$V2" --limit -1
expect_error bad-task "unknown task type 'Juggling'" "$DEVIBENCH" list "$V2" -t Juggling
expect_error unknown-option "Unknown option" "$DEVIBENCH" list "$V2" --frobnicate
expect_error bad-item "item 5000 does not exist" "$DEVIBENCH" prompt "$V2" 5000
expect_error zero-item "not a number from 1" "$DEVIBENCH" prompt "$V2" 0
expect_error bad-seed "not a whole number" "$DEVIBENCH" lite-generate --seed x --out "$tmp/x"
expect_error bad-count "out of range" "$DEVIBENCH" lite-generate --count 0 --out "$tmp/x"
expect_error huge-count "out of range" "$DEVIBENCH" lite-generate --count 99999999999 --out "$tmp/x"
expect_error no-out "--out DIR is required" "$DEVIBENCH" lite-generate --seed 1
expect_error bad-profile "--profile '3' is not 1 or 2" "$DEVIBENCH" lite-generate --profile 3 --out "$tmp/x"
expect_error bad-rates "not a list of kbps" "$DEVIBENCH" lite-calibrate --suite "$tmp" --bitrate 200,abc
expect_error no-suite "does not exist" "$DEVIBENCH" lite-calibrate --suite "$tmp/none"
"$DEVIBENCH" stats "$tmp/other.csv" > "$tmp/out" 2> "$tmp/err"
[ $? -eq 1 ] && grep -q "not a DeViBench header" "$tmp/err" || fail "wrong header: $(cat "$tmp/err")"
for cmd in "" stats list prompt lite-generate lite-calibrate lite-preview; do
  # shellcheck disable=SC2086
  "$DEVIBENCH" $cmd --help | grep -q "Usage:" || fail "$cmd --help"
done

# Lite suite: determinism by seed (specs only).
"$DEVIBENCH" lite-generate --seed 11 --count 100 --no-verify -q --out "$tmp/a" > /dev/null || fail "generate a"
"$DEVIBENCH" lite-generate --seed 11 --count 100 --no-verify -q --out "$tmp/b" > /dev/null || fail "generate b"
"$DEVIBENCH" lite-generate --seed 12 --count 100 --no-verify -q --out "$tmp/c" > /dev/null || fail "generate c"
cmp -s "$tmp/a/manifest.json" "$tmp/b/manifest.json" || fail "same seed, different manifests"
cmp -s "$tmp/a/questions.csv" "$tmp/b/questions.csv" || fail "same seed, different questions"
cmp -s "$tmp/a/manifest.json" "$tmp/c/manifest.json" && fail "different seeds, same manifest"
expect_output lite-questions "^items: 100$" "$DEVIBENCH" stats "$tmp/a/questions.csv"
# The default is profile 2 (recorded); --profile 1 makes the first suite's items.
grep -q '"profile" : 2' "$tmp/a/manifest.json" || fail "default profile not 2"
"$DEVIBENCH" lite-generate --seed 1 --profile 1 --count 5 --no-verify -q --out "$tmp/p1" > /dev/null || fail "generate profile 1"
grep -q '"profile"' "$tmp/p1/manifest.json" && fail "profile 1 manifest names a profile"
python3 - "$tmp/p1/manifest.json" "$DATA/lite-seed1/manifest.json" <<'PY' || fail "profile 1 differs from lite-seed1"
import json, sys
a = json.load(open(sys.argv[1]))["items"]
b = {i["candidate"]: i for i in json.load(open(sys.argv[2]))["items"]}
for i in a:
    if i["candidate"] in b:
        assert i["signs"] == b[i["candidate"]]["signs"], i["candidate"]
PY
# Camera noise (profile 2): the same frame twice is identical, and differs
# from the frame without noise.
"$DEVIBENCH" lite-preview --suite "$DATA/lite2-seed1" --item 1 --time 1 --out "$tmp/n1.png" || fail "preview noise"
"$DEVIBENCH" lite-preview --suite "$DATA/lite2-seed1" --item 1 --time 1 --out "$tmp/n2.png" || fail "preview noise again"
cmp -s "$tmp/n1.png" "$tmp/n2.png" || fail "camera noise not deterministic"
mkdir -p "$tmp/quiet"
grep -v '"noise" :' "$DATA/lite2-seed1/manifest.json" > "$tmp/quiet/manifest.json"
"$DEVIBENCH" lite-preview --suite "$tmp/quiet" --item 1 --time 1 --out "$tmp/n0.png" || fail "preview without noise"
cmp -s "$tmp/n1.png" "$tmp/n0.png" && fail "camera noise changed nothing"

# 3 items end to end: rendered, verified clean with Tesseract (twice: the
# verified suite is deterministic too), calibrated through VP8, previewed.
"$DEVIBENCH" lite-generate --seed 3 --count 3 --out "$tmp/e2e" > "$tmp/gen.out" 2> "$tmp/gen.err" \
  || { fail "lite-generate 3 items"; cat "$tmp/gen.err"; }
grep -q "wrote 3 items (seed 3" "$tmp/gen.out" || fail "lite-generate summary"
grep -q "item 3/3" "$tmp/gen.err" || fail "lite-generate progress"
n=$(grep -c '"clean_reads" : 5' "$tmp/e2e/manifest.json")
[ "$n" -eq 3 ] || fail "expected 3 items read 5/5 clean, got $n"
"$DEVIBENCH" lite-generate --seed 3 --count 3 -q --out "$tmp/e2e-again" > /dev/null 2>&1
cmp -s "$tmp/e2e/manifest.json" "$tmp/e2e-again/manifest.json" || fail "verified suite not deterministic"
expect_output lite-e2e-stats "^items: 3$" "$DEVIBENCH" stats "$tmp/e2e/questions.csv"
# The clean frames read (most of them: only 5 of the 10 were verified).
expect_output lite-calibrate '^\| \*\*all\*\* \| 1 \| ([5-9][0-9]|100)% \| [0-9]+% \|$' \
  "$DEVIBENCH" lite-calibrate --suite "$tmp/e2e" --limit 1 --bitrate 100
grep -q -E '^\| achieved kbps \| \|  - \| [0-9]+ \|$' "$tmp/out" || fail "lite-calibrate: no achieved bitrate"
"$DEVIBENCH" lite-preview --suite "$tmp/e2e" --item 2 --time 1 --bitrate 200 --out "$tmp/p.png" \
  || fail "lite-preview"
head -c 8 "$tmp/p.png" | od -c | grep -q "P   N   G" || fail "lite-preview: not a PNG"
expect_error preview-bad-item "item 9 does not exist" "$DEVIBENCH" lite-preview --suite "$tmp/e2e" --item 9 --out "$tmp/q.png"
mv "$tmp/e2e/manifest.json" "$tmp/e2e/m.json"
sed 's/box-10s.mp4/..\/secret.mp4/' "$tmp/e2e/m.json" > "$tmp/e2e/manifest.json"
if grep -q secret "$tmp/e2e/manifest.json"; then
  "$DEVIBENCH" lite-calibrate --suite "$tmp/e2e" > "$tmp/out" 2> "$tmp/err"
  [ $? -eq 1 ] && grep -q "'clip' is not one of the suite's clips" "$tmp/err" \
    || fail "manifest with a path as clip: $(cat "$tmp/err")"
fi
# A missing clip: a clear error, not a crash.
"$DEVIBENCH" lite-generate --seed 3 --count 1 --media-dir "$tmp" --out "$tmp/nomedia" > "$tmp/out" 2> "$tmp/err"
[ $? -eq 1 ] && grep -q "does not exist" "$tmp/err" || fail "missing clip: $(cat "$tmp/err")"
# Calibration reports an item it cannot render and goes on with the rest:
# only the hand-held clip is there, so the fixed-camera items are skipped.
mkdir -p "$tmp/onlybox"
cp "$DATA/../media/box-10s.mp4" "$tmp/onlybox/"
"$DEVIBENCH" lite-calibrate --suite "$DATA/lite-seed1" --limit 3 --bitrate 300 \
  --media-dir "$tmp/onlybox" > "$tmp/out" 2> "$tmp/err"
status=$?
skipped=$(grep -c "vtest-20s.mp4' does not exist (item skipped)" "$tmp/err")
if [ $status -ne 0 ] || [ "$skipped" -lt 1 ] \
    || ! grep -q -E "^\| \*\*all\*\* \| $((3 - skipped)) \|" "$tmp/out" \
    || ! grep -q "^| items skipped (errors on stderr) | $skipped |" "$tmp/out"; then
  fail "calibrate with a missing clip: status $status, $skipped skipped"; cat "$tmp/out" "$tmp/err"
else
  echo "ok calibrate-missing-clip: $skipped skipped, the rest calibrated"
fi
"$DEVIBENCH" lite-calibrate --suite "$DATA/lite-seed1" --limit 2 --media-dir "$tmp/nomedia-dir" > "$tmp/out" 2> "$tmp/err"
[ $? -eq 1 ] && grep -q "none of the 2 items could be read" "$tmp/err" || fail "calibrate without clips: $(cat "$tmp/err")"

# A broken clip: the pipeline's error, at once.
head -c 20000 "$DATA/datasets_v2.csv" > "$tmp/box-10s.mp4"
cp "$tmp/box-10s.mp4" "$tmp/vtest-20s.mp4"
"$DEVIBENCH" lite-generate --seed 3 --count 1 --media-dir "$tmp" --out "$tmp/broken" > "$tmp/out" 2> "$tmp/err"
[ $? -eq 1 ] && grep -q -E "^devibench: error: lite-0000 \((box-10s|vtest-20s).mp4\): " "$tmp/err" \
  || fail "broken clip: $(cat "$tmp/err")"

if [ $failures -ne 0 ]; then
  echo "$failures failures"; exit 1
fi
echo "all devibench CLI checks passed"
