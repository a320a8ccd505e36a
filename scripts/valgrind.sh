#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs the unit and element tests under valgrind memcheck (definite leaks and
# memory errors fail). Uses the normal build in build/. test-chunk-cache is
# not in the list: its frames come from FFmpeg's H.264 decoder, whose SIMD
# output valgrind reports as uninitialised all the way into the cache's
# feature code (libavcodec itself trips the same check). The signaling
# server's tests (element-articpeer, test-peer-server, test-signal-server) need the suppression
# of libsoup 3.2's own leak of each accepted GSocket (tests/valgrind.supp,
# shown without artic by tests/valgrind/soup-accept-leak.c).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export GST_PLUGIN_PATH="$PWD/$BUILD/plugins" GST_REGISTRY_1_0="$PWD/$BUILD/valgrind-registry.bin"
export CK_FORK=no G_SLICE=always-malloc G_DEBUG=gc-friendly
export ARTIC_CLIP="$PWD/data/media/box-10s.mp4"
gst-inspect-1.0 artic > /dev/null
failed=0
for t in "$BUILD"/tests/test-capture-time "$BUILD"/tests/test-sampler \
    "$BUILD"/tests/test-vp8-descriptor "$BUILD"/tests/test-vp9-descriptor \
    "$BUILD"/tests/test-sender-codec "$BUILD"/tests/test-stats \
    "$BUILD"/tests/test-sender-config "$BUILD"/tests/test-qp-map-meta \
    "$BUILD"/tests/test-roi-* "$BUILD"/tests/test-srtp "$BUILD"/tests/test-demux \
    "$BUILD"/tests/test-dcep "$BUILD"/tests/test-context "$BUILD"/tests/test-peer-cli \
    "$BUILD"/tests/element-articstamp \
    "$BUILD"/tests/element-articsampler \
    "$BUILD"/tests/element-articabscapturetime "$BUILD"/tests/element-articroi \
    "$BUILD"/tests/test-rtcp "$BUILD"/tests/test-ref-control \
    "$BUILD"/tests/element-articrtcpdemux "$BUILD"/tests/test-conceal \
    "$BUILD"/tests/test-frame-rate "$BUILD"/tests/test-video-encoder \
    "$BUILD"/tests/test-loss-metrics \
    "$BUILD"/tests/test-devibench-run "$BUILD"/tests/test-udp \
    "$BUILD"/tests/element-articconceal "$BUILD"/tests/element-recovery \
    "$BUILD"/tests/element-articpeer "$BUILD"/tests/test-peer-server \
    "$BUILD"/tests/test-signal-server; do
  [ -f "$t" ] && [ -x "$t" ] || continue
  # These link the elements and register them statically: with the plugin
  # file visible as well the same types would be registered twice.
  case "$t" in
    */element-articconceal | */element-recovery)
      plugin_path="" ;;
    *) plugin_path="$GST_PLUGIN_PATH" ;;
  esac
  if GST_PLUGIN_PATH="$plugin_path" GST_PLUGIN_PATH_1_0="$plugin_path" \
      ARTIC_DEVIBENCH_DATA="$PWD/data/devibench" GIO_USE_PROXY_RESOLVER=dummy \
      ARTIC_NETEM="$PWD/$BUILD/artic-netem" ARTIC_TEST_IDLE_MS=15000 \
      ARTIC_TLS_DIR="$PWD/data/tls" \
      valgrind -q --error-exitcode=9 --leak-check=full \
      --errors-for-leak-kinds=definite --show-leak-kinds=definite \
      --suppressions=tests/valgrind.supp "$t" > "$t.valgrind.log" 2>&1; then
    echo "valgrind clean: $t"
  else
    echo "valgrind FAILED: $t (see $t.valgrind.log)"
    failed=1
  fi
done
exit $failed
