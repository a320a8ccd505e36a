/* artic - real-time video for AI video chat
 * Copyright (C) 2026 The artic authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 *
 * You should have received a copy of the GNU Library General Public
 * License along with this library; if not, write to the
 * Free Software Foundation, Inc., 51 Franklin St, Fifth Floor,
 * Boston, MA 02110-1301, USA.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/rtp/gstrtpbuffer.h>
#include <gst/rtp/gstrtphdrext.h>

#include "artic-capture-time.h"

#define EXT_ID 3
#define CAPTURE_NS (G_GUINT64_CONSTANT (1800000000) * GST_SECOND + 123456000)

static GstRTPHeaderExtension *
make_extension (void)
{
  GstRTPHeaderExtension *ext
      = gst_rtp_header_extension_create_from_uri (ARTIC_ABS_CAPTURE_TIME_URI);

  fail_unless (ext != NULL, "no element registered for the URI");
  gst_rtp_header_extension_set_id (ext, EXT_ID);
  return ext;
}

/* One real VP8 key frame, from the stock encoder. */
static GstBuffer *
encode_one_frame (void)
{
  GstHarness *h = gst_harness_new_parse ("vp8enc deadline=1");
  GstBuffer *raw, *encoded;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=I420,width=64,height=48,framerate=30/1");
  raw = gst_harness_create_buffer (h, 64 * 48 * 3 / 2);
  gst_buffer_memset (raw, 0, 0x80, 64 * 48 * 3 / 2);
  GST_BUFFER_PTS (raw) = 0;
  GST_BUFFER_DURATION (raw) = GST_SECOND / 30;
  fail_unless_equals_int (gst_harness_push (h, raw), GST_FLOW_OK);
  gst_harness_push_event (h, gst_event_new_eos ());
  encoded = gst_harness_pull (h);
  fail_unless (encoded != NULL);
  gst_harness_teardown (h);
  return encoded;
}

GST_START_TEST (test_write_read_api)
{
  GstRTPHeaderExtension *ext = make_extension ();
  GstBuffer *in = gst_buffer_new (), *out = gst_buffer_new ();
  guint8 data[16];
  guint64 read_ns;

  fail_unless_equals_int (gst_rtp_header_extension_get_max_size (ext, in), 8);
  /* No capture time on the frame: nothing is written. */
  fail_unless_equals_int (
      gst_rtp_header_extension_write (
          ext, in, GST_RTP_HEADER_EXTENSION_ONE_BYTE, out, data, sizeof (data)),
      0);
  artic_capture_time_set (in, CAPTURE_NS);
  fail_unless_equals_int (
      gst_rtp_header_extension_write (
          ext, in, GST_RTP_HEADER_EXTENSION_ONE_BYTE, out, data, sizeof (data)),
      8);
  fail_unless (gst_rtp_header_extension_read (
      ext, GST_RTP_HEADER_EXTENSION_ONE_BYTE, data, 8, out));
  fail_unless (artic_capture_time_get (out, &read_ns));
  fail_unless_equals_uint64 (read_ns, CAPTURE_NS);
  gst_buffer_unref (in);
  gst_buffer_unref (out);
  gst_object_unref (ext);
}

GST_END_TEST;

GST_START_TEST (test_malformed_data_is_ignored)
{
  GstRTPHeaderExtension *ext = make_extension ();
  GstBuffer *out = gst_buffer_new ();
  guint8 data[5] = { 1, 2, 3, 4, 5 };
  guint64 read_ns;

  /* The stream goes on; the frame just has no capture time. */
  fail_unless (gst_rtp_header_extension_read (
      ext, GST_RTP_HEADER_EXTENSION_ONE_BYTE, data, sizeof (data), out));
  fail_if (artic_capture_time_get (out, &read_ns));
  gst_buffer_unref (out);
  gst_object_unref (ext);
}

GST_END_TEST;

GST_START_TEST (test_through_vp8_payloader_and_depayloader)
{
  GstHarness *pay = gst_harness_new ("rtpvp8pay");
  GstHarness *depay = gst_harness_new ("rtpvp8depay");
  GstRTPHeaderExtension *ext;
  GstBuffer *frame = encode_one_frame (), *packet, *out;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gpointer ext_data;
  guint ext_size, n, i;
  guint64 read_ns;

  gst_util_set_object_arg (
      G_OBJECT (pay->element), "picture-id-mode", "15-bit");
  ext = make_extension ();
  g_signal_emit_by_name (pay->element, "add-extension", ext);
  gst_object_unref (ext);
  ext = make_extension ();
  g_signal_emit_by_name (depay->element, "add-extension", ext);
  gst_object_unref (ext);

  gst_harness_set_src_caps_str (
      pay, "video/x-vp8,width=64,height=48,framerate=30/1");
  artic_capture_time_set (frame, CAPTURE_NS);
  fail_unless_equals_int (gst_harness_push (pay, frame), GST_FLOW_OK);

  n = gst_harness_buffers_in_queue (pay);
  fail_unless (n >= 1);
  gst_harness_set_src_caps (depay, gst_pad_get_current_caps (pay->sinkpad));
  for (i = 0; i < n; i++) {
    packet = gst_harness_pull (pay);
    fail_unless (gst_rtp_buffer_map (packet, GST_MAP_READ, &rtp));
    fail_unless (gst_rtp_buffer_get_extension_onebyte_header (
        &rtp, EXT_ID, 0, &ext_data, &ext_size));
    fail_unless_equals_int (ext_size, 8);
    fail_unless (artic_capture_time_read (ext_data, ext_size, &read_ns));
    fail_unless_equals_uint64 (read_ns, CAPTURE_NS);
    gst_rtp_buffer_unmap (&rtp);
    fail_unless_equals_int (gst_harness_push (depay, packet), GST_FLOW_OK);
  }
  out = gst_harness_pull (depay);
  fail_unless (artic_capture_time_get (out, &read_ns));
  fail_unless_equals_uint64 (read_ns, CAPTURE_NS);
  gst_buffer_unref (out);
  gst_harness_teardown (pay);
  gst_harness_teardown (depay);
}

GST_END_TEST;

static Suite *
articabscapturetime_suite (void)
{
  Suite *s = suite_create ("articabscapturetime");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_write_read_api);
  tcase_add_test (tc, test_malformed_data_is_ignored);
  tcase_add_test (tc, test_through_vp8_payloader_and_depayloader);
  return s;
}

GST_CHECK_MAIN (articabscapturetime);
