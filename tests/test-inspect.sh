#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# gst-inspect-1.0 finds the plugin in the build tree and lists every element
# with a description.
set -eu
out=$(gst-inspect-1.0 artic 2>&1)
echo "$out"
for element in articstamp articsampler articabscapturetime articroi articmllmsink articenc articconceal articrtcpdemux articframemark articpeer articpeersrc articfecenc articfecdec; do
  line=$(echo "$out" | grep -E "^ *$element: " || true)
  if [ -z "$line" ]; then
    echo "FAIL: $element is not listed" >&2
    exit 1
  fi
  description=${line#*: }
  if [ ${#description} -lt 10 ]; then
    echo "FAIL: $element has no description" >&2
    exit 1
  fi
  gst-inspect-1.0 "$element" > /dev/null
done
echo "$out" | grep -q "LGPL" || { echo "FAIL: license not LGPL" >&2; exit 1; }
