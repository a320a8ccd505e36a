#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The launch line of articroi's documentation works as written: the pipeline
# runs to EOS and the element uses the boxes it was given.
set -eu
log=$(GST_DEBUG=articroi:5 GST_DEBUG_NO_COLOR=1 gst-launch-1.0 -e \
  videotestsrc num-buffers=60 ! \
  articroi boxes='[[[100,100],[400,400]]]' ! fakesink 2>&1) || {
  echo "$log" >&2
  echo "FAIL: the documented pipeline failed" >&2
  exit 1
}
echo "$log" | grep -q "source now boxes" || {
  echo "$log" >&2
  echo "FAIL: articroi did not use the boxes" >&2
  exit 1
}
# Bad JSON is a warning, not a failure, and keeps the pipeline running.
log=$(GST_DEBUG=articroi:2 GST_DEBUG_NO_COLOR=1 gst-launch-1.0 \
  videotestsrc num-buffers=10 ! articroi boxes='[[[100,' ! fakesink 2>&1) || {
  echo "$log" >&2
  echo "FAIL: bad boxes stopped the pipeline" >&2
  exit 1
}
echo "$log" | grep -q "Invalid region-of-interest feedback" || {
  echo "$log" >&2
  echo "FAIL: no warning for bad boxes" >&2
  exit 1
}
echo "articroi launch lines: ok"
