#!/bin/sh
# The project's own MLLM client (articmllmsink) against the real answerer
# over loopback HTTP: all three request kinds, streamed, answered from the
# pixels of frames that textoverlay draws.
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

"$ANSWERER" --listen 127.0.0.1:0 --port-file "$tmp/port" > "$tmp/server.log" 2>&1 &
pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -s "$tmp/port" ]; then
  echo "FAIL answerer did not start"; cat "$tmp/server.log"; exit 1
fi
port=$(cat "$tmp/port")

printf '0.5\tWhat is the word printed on the sign?\n' > "$tmp/questions"
printf '1.5\tPredict the bounding box of the region relevant to the question in the next 3 frames. Question: What is the word on the sign?\n' >> "$tmp/questions"
printf '2.5\tRate the readability (0.0-1.0) of the region relevant to the question. Question: What is the word on the sign?\n' >> "$tmp/questions"

timeout 60 gst-launch-1.0 -m videotestsrc pattern=white num-buffers=120 \
  ! video/x-raw,width=640,height=480,framerate=30/1 \
  ! textoverlay text=PHARMACY font-desc="Sans 48" color=0xff000000 \
  ! videoconvert \
  ! articmllmsink endpoint="http://127.0.0.1:$port/v1" model=artic-answerer \
    questions-file="$tmp/questions" sync=true > "$tmp/bus" 2>&1
status=$?
grep "artic-mllm-answer" "$tmp/bus" | sed "s/.*answer=(string)//; s/, ttft=.*//" | tr -d "\\\\" > "$tmp/answers"

check() {
  name=$1; pattern=$2
  if grep -q -E -- "$pattern" "$tmp/answers"; then
    echo "ok $name"
  else
    echo "FAIL $name: no answer matching '$pattern'"; failures=$((failures + 1))
  fi
}
[ $status -eq 0 ] || { echo "FAIL gst-launch exit status $status"; failures=$((failures + 1)); }
check answer '^PHARMACY$'
# three boxes in the ZeCoStream form
check boxes '^"\[(\[\[[0-9]+,[0-9]+\],\[[0-9]+,[0-9]+\]\],?){3}\]"$'
check readability 'readability.*0\.([89][0-9])'
for kind in answer boxes readability; do
  if grep -q "200 kind=$kind images=" "$tmp/server.log"; then
    echo "ok server logged $kind"
  else
    echo "FAIL server log lacks kind=$kind"; failures=$((failures + 1))
  fi
done
if [ $failures -ne 0 ]; then
  echo "--- answers"; cat "$tmp/answers"; echo "--- bus"; tail -5 "$tmp/bus"; echo "--- server"; cat "$tmp/server.log"
  echo "$failures failure(s)"; exit 1
fi
echo "articmllmsink <-> artic-answerer: all checks passed"
