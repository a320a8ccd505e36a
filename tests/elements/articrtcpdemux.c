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

/* articrtcpdemux: RTP and RTCP multiplexed on one transport (RFC 5761) come
 * out on separate pads; anything else is dropped and counted. Real packets
 * from the stock RTP session: a sender's SR and RTP from a payloader. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/rtp/gstrtcpbuffer.h>
#include <gst/rtp/gstrtpbuffer.h>

static GstBuffer *
make_rtp (guint8 payload_type, gboolean marker, guint16 seq)
{
  GstBuffer *buffer = gst_rtp_buffer_new_allocate (20, 0, 0);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  fail_unless (gst_rtp_buffer_map (buffer, GST_MAP_WRITE, &rtp));
  gst_rtp_buffer_set_payload_type (&rtp, payload_type);
  gst_rtp_buffer_set_marker (&rtp, marker);
  gst_rtp_buffer_set_seq (&rtp, seq);
  gst_rtp_buffer_set_ssrc (&rtp, 0x11223344);
  gst_rtp_buffer_unmap (&rtp);
  return buffer;
}

/* A receiver report with one PLI, as rtpsession would send them. */
static GstBuffer *
make_rtcp (void)
{
  GstBuffer *buffer = gst_rtcp_buffer_new (1400);
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;

  fail_unless (gst_rtcp_buffer_map (buffer, GST_MAP_READWRITE, &rtcp));
  fail_unless (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_RR, &packet));
  gst_rtcp_packet_rr_set_ssrc (&packet, 0x55667788);
  fail_unless (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_PSFB, &packet));
  gst_rtcp_packet_fb_set_type (&packet, GST_RTCP_PSFB_TYPE_PLI);
  gst_rtcp_packet_fb_set_sender_ssrc (&packet, 0x55667788);
  gst_rtcp_packet_fb_set_media_ssrc (&packet, 0x11223344);
  gst_rtcp_buffer_unmap (&rtcp);
  return buffer;
}

static GstHarness *
make_demux (GstHarness **rtcp)
{
  GstHarness *h
      = gst_harness_new_with_padnames ("articrtcpdemux", "sink", "rtp_src");

  *rtcp = gst_harness_new_with_element (h->element, NULL, "rtcp_src");
  gst_harness_set_src_caps_str (h, "application/x-rtp,media=video,"
                                   "clock-rate=90000,encoding-name=VP8");
  return h;
}

static guint64
counter (GstHarness *h, const gchar *name)
{
  guint64 value = 0;

  g_object_get (h->element, name, &value, NULL);
  return value;
}

GST_START_TEST (test_split)
{
  GstHarness *rtcp, *h = make_demux (&rtcp);
  GstBuffer *out;
  GstCaps *caps;
  guint8 head[2];

  /* Payload type 96 with and without the marker bit (second byte 0x60 /
   * 0xE0, the latter above 192 only because of the marker + PT 96 = 224). */
  fail_unless_equals_int (
      gst_harness_push (h, make_rtp (96, FALSE, 1)), GST_FLOW_OK);
  fail_unless_equals_int (
      gst_harness_push (h, make_rtp (96, TRUE, 2)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, make_rtcp ()), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_buffers_received (h), 2);
  fail_unless_equals_int (gst_harness_buffers_received (rtcp), 1);

  out = gst_harness_pull (rtcp);
  fail_unless_equals_int (gst_buffer_extract (out, 0, head, 2), 2);
  fail_unless_equals_int (head[1], GST_RTCP_TYPE_RR);
  gst_buffer_unref (out);
  caps = gst_pad_get_current_caps (rtcp->sinkpad);
  fail_unless (caps != NULL);
  fail_unless (gst_structure_has_name (
      gst_caps_get_structure (caps, 0), "application/x-rtcp"));
  gst_caps_unref (caps);
  /* The upstream RTP caps reach the RTP side. */
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (caps != NULL);
  fail_unless (gst_structure_has_name (
      gst_caps_get_structure (caps, 0), "application/x-rtp"));
  gst_caps_unref (caps);

  fail_unless_equals_uint64 (counter (h, "rtp-packets"), 2);
  fail_unless_equals_uint64 (counter (h, "rtcp-packets"), 1);
  fail_unless_equals_uint64 (counter (h, "dropped"), 0);
  gst_harness_teardown (rtcp);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_garbage_dropped)
{
  GstHarness *rtcp, *h = make_demux (&rtcp);
  static const guint8 short_rtp[8] = { 0x80, 0x60, 0, 1, 0, 0, 0, 0 };
  static const guint8 short_rtcp[4] = { 0x80, 201, 0, 1 };
  static const guint8 version1[16] = { 0x40, 0x60 };
  static const guint8 stun[20] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12 };
  guint i;

  gst_harness_push (h, gst_buffer_new ());
  gst_harness_push (h, gst_buffer_new_memdup (short_rtp, sizeof (short_rtp)));
  gst_harness_push (h, gst_buffer_new_memdup (short_rtcp, sizeof (short_rtcp)));
  gst_harness_push (h, gst_buffer_new_memdup (version1, sizeof (version1)));
  gst_harness_push (h, gst_buffer_new_memdup (stun, sizeof (stun)));
  fail_unless_equals_int (gst_harness_buffers_received (h), 0);
  fail_unless_equals_int (gst_harness_buffers_received (rtcp), 0);
  fail_unless_equals_uint64 (counter (h, "dropped"), 5);

  /* Random bytes never crash it and never reach a pad unclassified. */
  for (i = 0; i < 2000; i++) {
    guint8 data[64];
    guint size = g_random_int_range (0, sizeof (data) + 1), j;

    for (j = 0; j < size; j++)
      data[j] = g_random_int_range (0, 256);
    fail_unless_equals_int (
        gst_harness_push (h,
            size > 0 ? gst_buffer_new_memdup (data, size) : gst_buffer_new ()),
        GST_FLOW_OK);
  }
  fail_unless_equals_uint64 (counter (h, "rtp-packets")
                                 + counter (h, "rtcp-packets")
                                 + counter (h, "dropped"),
      2005);
  fail_unless_equals_uint64 (
      counter (h, "rtp-packets"), gst_harness_buffers_received (h));
  fail_unless_equals_uint64 (
      counter (h, "rtcp-packets"), gst_harness_buffers_received (rtcp));
  gst_harness_teardown (rtcp);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* An unlinked RTCP side (nobody wants the reports) does not stop RTP. */
GST_START_TEST (test_unlinked_rtcp_side)
{
  GstHarness *h
      = gst_harness_new_with_padnames ("articrtcpdemux", "sink", "rtp_src");
  guint i;

  gst_harness_set_src_caps_str (h, "application/x-rtp");
  for (i = 0; i < 3; i++) {
    fail_unless_equals_int (gst_harness_push (h, make_rtcp ()), GST_FLOW_OK);
    fail_unless_equals_int (
        gst_harness_push (h, make_rtp (96, FALSE, i)), GST_FLOW_OK);
  }
  fail_unless_equals_int (gst_harness_buffers_received (h), 3);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
articrtcpdemux_suite (void)
{
  Suite *s = suite_create ("articrtcpdemux");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_split);
  tcase_add_test (tc, test_garbage_dropped);
  tcase_add_test (tc, test_unlinked_rtcp_side);
  return s;
}

GST_CHECK_MAIN (articrtcpdemux);
