#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the tree with AddressSanitizer + UndefinedBehaviorSanitizer in
# build-asan/ and runs the suite there, less the two tests that only run
# uninstrumented tools (gst-inspect-1.0 and clang-format); the element tests
# load the same instrumented plugin.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-asan}
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debug
fi
meson compile -C "$BUILD" || exit 1
export ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Scan plugins in-process (the scanner helper is not instrumented), and only
# the stock plugins the suite uses: others start threads of their own
# (fontconfig, udev) whose allocations would drown the report.
export GST_REGISTRY_FORK=no
system_dir=$(pkg-config --variable=pluginsdir gstreamer-1.0)
plugins_dir="$PWD/$BUILD/system-plugins"
mkdir -p "$plugins_dir"
for p in coreelements app videoconvertscale videorate videotestsrc vpx rtp \
    rtpmanager udp jpeg multifile playback typefindfunctions isomp4 libav \
    videoparsersbad srtp pango png jpegformat videocrop cairo matroska \
    videofilter; do
  ln -sf "$system_dir/libgst$p.so" "$plugins_dir/"
done
export GST_PLUGIN_SYSTEM_PATH_1_0="$plugins_dir"
rm -f "$BUILD"/tests/registry-*.bin
# LeakSanitizer itself crashes at the exit of the signaling server test
# (glib-networking's TLS threads): that one runs with leak detection off.
no_leak_check="signal-server"
# answerer-interop drives the instrumented plugin from gst-launch-1.0, which
# is not instrumented (like the plugin and style suites).
tests=$(meson test -C "$BUILD" --list --no-suite plugin --no-suite style \
  2>/dev/null | sed 's|^.* / ||' | grep -v -x -F -e "$no_leak_check" \
  -e answerer-interop)
# Named tests on the command line replace the list.
[ $# -gt 0 ] && tests="$*"
# shellcheck disable=SC2086
meson test -C "$BUILD" --print-errorlogs --timeout-multiplier 3 $tests
status=$?
ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 meson test -C "$BUILD" \
  --print-errorlogs --timeout-multiplier 3 $no_leak_check || status=1
exit $status
