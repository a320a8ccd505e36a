#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs the whole test suite and ends with one "N passed, N failed" line.
set -u
BUILD=${1:-build}
meson test -C "$BUILD" --print-errorlogs --num-processes 2
status=$?
log="$BUILD/meson-logs/testlog.json"
if [ -f "$log" ]; then
  passed=$(grep -c '"result": "OK"' "$log" || true)
  failed=$(grep -c -E '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
  skipped=$(grep -c '"result": "SKIP"' "$log" || true)
  echo "tests: $passed passed, $failed failed, $skipped skipped"
fi
exit $status
