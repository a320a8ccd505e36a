#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# artic-recv's loss count per codec against what artic-netem really dropped:
# artic-send -> artic-netem (10% random loss) -> artic-recv, 2.5 s each at
# 320x240/300 kbps, where nearly every frame fits one RTP packet. VP8/VP9
# count pictures from picture-id gaps, H.264 packets from sequence gaps; a
# drop before the first or after the last received packet cannot be seen,
# nor (for VP8/VP9) a lost second packet of a frame, so the count must be
# within 2 + (packets - frames) + (RTCP packets forwarded) of netem's drops,
# and never above them.
# The sender runs --no-fec: netem would count lost repair packets, and
# artic-recv would not count the packets they rebuild.
set -u
SEND=$1
RECV=$2
NETEM=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
# Ports from the process id: several checkouts run this test at once on
# one machine, and fixed ports made their streams cross.
recv_port=$((20000 + ($$ % 20000) * 2))
relay_port=$((recv_port + 1))

for codec in vp8 vp9 h264; do
  "$RECV" --transport rtp --codec "$codec" --port $recv_port --address 127.0.0.1 \
    --output-dir "$tmp/$codec" --idle-timeout 1.5 --wait 15 --quiet \
    > "$tmp/recv.out" 2>&1 &
  recv=$!
  "$NETEM" --listen 127.0.0.1:$relay_port --to 127.0.0.1:$recv_port \
    --loss 10 --seed 1 --duration 60 > "$tmp/netem.out" 2>&1 &
  netem=$!
  sleep 0.4
  "$SEND" --transport rtp --codec "$codec" --size 320x240 --bitrate 300 --duration 2.5 \
    --port $relay_port --keyframe-interval 30 --fixed-framerate --no-fec --quiet \
    > "$tmp/send.out" 2>&1
  wait $recv
  # Stopped once the receiver is done, not after a fixed time: an
  # instrumented (ASan) sender takes over 4 s to send its first packet.
  kill -TERM $netem
  wait $netem
  lost=$(sed -n 's/.* key frames, \([0-9]*\) \(packets \)\{0,1\}lost).*/\1/p' "$tmp/recv.out")
  dropped=$(sed -n 's/^forward:.*dropped by loss \([0-9]*\) pkts.*/\1/p' "$tmp/netem.out")
  packets=$(sed -n 's/.* in \([0-9]*\) RTP packets.*/\1/p' "$tmp/send.out")
  frames=$(sed -n 's/.*sent \([0-9]*\) frames.*/\1/p' "$tmp/send.out")
  forwarded=$(sed -n 's/^forward: in \([0-9]*\) pkts.*/\1/p' "$tmp/netem.out")
  if [ -z "$lost" ] || [ -z "$dropped" ] || [ -z "$packets" ] || [ -z "$forwarded" ]; then
    echo "FAIL $codec: no summary"; cat "$tmp/recv.out" "$tmp/netem.out" "$tmp/send.out"
    failures=$((failures + 1)); continue
  fi
  # RTCP shares the 5-tuple: the sender reports netem forwarded beyond the
  # RTP packets may be among its drops, and no receiver counts them.
  slack=$((2 + packets - frames + forwarded - packets))
  if [ "$dropped" -lt 3 ] || [ "$lost" -gt "$dropped" ] || [ "$lost" -lt $((dropped - slack)) ]; then
    echo "FAIL $codec: counted $lost lost, netem dropped $dropped"
    cat "$tmp/recv.out"; failures=$((failures + 1)); continue
  fi
  echo "ok $codec: counted $lost lost, netem dropped $dropped of $packets"
done
[ $failures -eq 0 ]
