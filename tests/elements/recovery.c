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

/* Recovery after a burst without a key frame, in process with the real
 * elements: articenc (reference control) ! rtpvp8pay (+ articframemark)
 * -> a burst that drops three whole frames -> rtpvp8depay (frame-status
 * watch) ! vp8dec. Acknowledgements go from the watch back to articenc as
 * artic-send would deliver them; the first broken frame triggers the
 * force-key-unit request a PLI would. The frame that restores the chain
 * must be a recovery point, not a key frame, and decode to its source. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/rtp/gstrtphdrext.h>
#include <gst/video/video.h>
#include <string.h>

#include "artic-quality.h"
#include "artic-rtp.h"
#include "gstarticelements.h"
#include "gstarticframestatus.h"

#define W 160
#define H 120
#define N_FRAMES 60
#define BURST_AT 30
#define BURST_FRAMES 3
#define FRAME_NS (GST_SECOND / 30)

/* Texture with a moving square: a prediction from the wrong reference
 * shows. */
static guint8 *
make_luma (guint index)
{
  guint8 *y = g_malloc (W * H);
  guint i, j, x0 = (index * 3) % (W - 32), y0 = (index * 2) % (H - 32);

  for (j = 0; j < H; j++)
    for (i = 0; i < W; i++)
      y[j * W + i]
          = (guint8) (i * 5 + j * 3 + ((i / 8 + j / 8) % 2) * 50
                      + ((i >= x0 && i < x0 + 32 && j >= y0 && j < y0 + 32)
                              ? 80
                              : 0));
  return y;
}

static GstBuffer *
make_frame (guint index, const guint8 *luma)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, W * H * 3 / 2, NULL);

  gst_buffer_fill (buffer, 0, luma, W * H);
  gst_buffer_memset (buffer, W * H, 128, W * H / 2);
  GST_BUFFER_PTS (buffer) = index * FRAME_NS;
  GST_BUFFER_DURATION (buffer) = FRAME_NS;
  return buffer;
}

static gdouble
psnr_against (GstBuffer *decoded, const guint8 *luma)
{
  GstMapInfo map;
  gdouble psnr;

  fail_unless (gst_buffer_map (decoded, &map, GST_MAP_READ));
  psnr = artic_quality_psnr_plane (map.data, W, luma, W, W, H);
  gst_buffer_unmap (decoded, &map);
  return psnr;
}

static void
send_acks (GstHarness *enc, GstElement *depay, guint64 *serial_sent)
{
  ArticRtcpAck ack;
  guint64 serial = 0;
  guint i;

  if (!gst_artic_frame_status_get_ack (depay, &ack, &serial)
      || serial == *serial_sent)
    return;
  *serial_sent = serial;
  for (i = 0; i < ack.n_acked; i++)
    fail_unless (gst_harness_push_upstream_event (
        enc, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM,
                 gst_structure_new ("GstArticFrameAck", "frame-id", G_TYPE_UINT,
                     (guint) ack.acked[i], NULL))));
}

GST_START_TEST (test_recovery_after_burst)
{
  GstHarness *enc = gst_harness_new_parse (
      "articenc name=enc bitrate=300 keyframe-max-dist=0"
      " ! rtpvp8pay name=pay picture-id-mode=15-bit mtu=400");
  GstHarness *dec = gst_harness_new_parse (
      "rtpvp8depay name=depay wait-for-keyframe=false request-keyframe=false"
      " ! vp8dec");
  GstElement *pay = gst_bin_get_by_name (GST_BIN (enc->element), "pay");
  GstElement *depay = gst_bin_get_by_name (GST_BIN (dec->element), "depay");
  GstElement *encoder = gst_bin_get_by_name (GST_BIN (enc->element), "enc");
  GstRTPHeaderExtension *ext
      = gst_rtp_header_extension_create_from_uri (ARTIC_FRAME_MARK_URI);
  guint8 *sources[N_FRAMES];
  guint64 serial_sent = 0, keyframes = 0, recoveries = 0, restorations = 0;
  gboolean requested = FALSE, broken_seen = FALSE, restored = FALSE;
  guint i, dropped = 0, broken = 0;
  GstStructure *stats;

  fail_unless (ext != NULL);
  gst_rtp_header_extension_set_id (ext, ARTIC_RTP_EXT_ID_FRAME_MARK);
  g_signal_emit_by_name (pay, "add-extension", ext);
  fail_unless (gst_artic_frame_status_watch (depay));
  gst_harness_set_src_caps_str (
      enc, "video/x-raw,format=I420,width=160,height=120,framerate=30/1");
  gst_harness_set_src_caps_str (dec,
      "application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,"
      "payload=96");

  for (i = 0; i < N_FRAMES; i++) {
    GstBuffer *packet, *decoded;

    sources[i] = make_luma (i);
    fail_unless_equals_int (
        gst_harness_push (enc, make_frame (i, sources[i])), GST_FLOW_OK);
    while ((packet = gst_harness_try_pull (enc)) != NULL) {
      /* The burst: every packet of three frames. */
      if (i >= BURST_AT && i < BURST_AT + BURST_FRAMES) {
        gst_buffer_unref (packet);
        dropped++;
        continue;
      }
      fail_unless_equals_int (gst_harness_push (dec, packet), GST_FLOW_OK);
    }
    while ((decoded = gst_harness_try_pull (dec)) != NULL) {
      GstArticFrameStatusMeta *meta
          = gst_buffer_get_artic_frame_status_meta (decoded);
      guint index = (guint) (GST_BUFFER_PTS (decoded) / FRAME_NS);

      fail_unless (meta != NULL);
      fail_unless (index < N_FRAMES);
      if (!meta->chain_intact) {
        broken++;
        broken_seen = TRUE;
        /* The first broken frame: articconceal's request, as a PLI. */
        if (!requested) {
          fail_unless (gst_harness_push_upstream_event (
              enc, gst_video_event_new_upstream_force_key_unit (
                       GST_CLOCK_TIME_NONE, TRUE, 1)));
          requested = TRUE;
        }
      } else if (broken_seen && !restored) {
        /* The frame that restored the chain: a recovery point, decoded
         * correctly without a key frame. */
        gdouble psnr = psnr_against (decoded, sources[index]);

        GST_INFO ("frame %u restored the chain: %.1f dB", index, psnr);
        fail_unless (meta->recovery_point);
        fail_if (meta->keyframe);
        fail_unless (psnr >= 30.0, "recovery frame %u: %.1f dB", index, psnr);
        restored = TRUE;
      } else if (restored) {
        fail_unless (psnr_against (decoded, sources[index]) >= 30.0);
      }
      gst_buffer_unref (decoded);
    }
    send_acks (enc, depay, &serial_sent);
  }
  fail_unless (dropped > 0);
  fail_unless (requested);
  fail_unless (restored);
  /* Broken only until the recovery frame: the frame the request came from
   * and those in flight with it (none here, no round trip). */
  fail_unless (broken >= 1 && broken <= 2, "%u broken frames", broken);

  /* The receiver counted one chain mended by a recovery point. */
  stats = gst_artic_frame_status_get_stats (depay);
  gst_structure_get (
      stats, "recovery-points", G_TYPE_UINT64, &restorations, NULL);
  gst_structure_free (stats);
  fail_unless_equals_uint64 (restorations, 1);
  g_object_get (encoder, "reference-stats", &stats, NULL);
  gst_structure_get (stats, "keyframes", G_TYPE_UINT64, &keyframes,
      "recoveries", G_TYPE_UINT64, &recoveries, NULL);
  gst_structure_free (stats);
  /* The number of key frames did not grow: only the first one. */
  fail_unless_equals_uint64 (keyframes, 1);
  fail_unless_equals_uint64 (recoveries, 1);

  for (i = 0; i < N_FRAMES; i++)
    g_free (sources[i]);
  gst_object_unref (ext);
  gst_object_unref (pay);
  gst_object_unref (depay);
  gst_object_unref (encoder);
  gst_harness_teardown (enc);
  gst_harness_teardown (dec);
}

GST_END_TEST;

/* Without an acknowledgement (no feedback came back) the same request can
 * only be answered by a key frame. */
GST_START_TEST (test_key_frame_without_ack)
{
  GstHarness *enc = gst_harness_new_parse (
      "articenc name=enc bitrate=300 keyframe-max-dist=0");
  GstElement *encoder = gst_bin_get_by_name (GST_BIN (enc->element), "enc");
  guint64 keyframes = 0, recoveries = 0;
  GstStructure *stats;
  guint i, keys = 0;

  gst_harness_set_src_caps_str (
      enc, "video/x-raw,format=I420,width=160,height=120,framerate=30/1");
  for (i = 0; i < 20; i++) {
    guint8 *luma = make_luma (i);
    GstBuffer *out;

    if (i == 12)
      gst_harness_push_upstream_event (
          enc, gst_video_event_new_upstream_force_key_unit (
                   GST_CLOCK_TIME_NONE, TRUE, 1));
    fail_unless_equals_int (
        gst_harness_push (enc, make_frame (i, luma)), GST_FLOW_OK);
    out = gst_harness_pull (enc);
    keys += !GST_BUFFER_FLAG_IS_SET (out, GST_BUFFER_FLAG_DELTA_UNIT);
    gst_buffer_unref (out);
    g_free (luma);
  }
  g_object_get (encoder, "reference-stats", &stats, NULL);
  gst_structure_get (stats, "keyframes", G_TYPE_UINT64, &keyframes,
      "recoveries", G_TYPE_UINT64, &recoveries, NULL);
  gst_structure_free (stats);
  fail_unless_equals_int (keys, 2);
  fail_unless_equals_uint64 (keyframes, 2);
  fail_unless_equals_uint64 (recoveries, 0);
  gst_object_unref (encoder);
  gst_harness_teardown (enc);
}

GST_END_TEST;

static Suite *
recovery_suite (void)
{
  Suite *s = suite_create ("recovery");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_recovery_after_burst);
  tcase_add_test (tc, test_key_frame_without_ack);
  return s;
}

/* Links the elements (meta API): registers them statically. */
int
main (int argc, char **argv)
{
  gst_check_init (&argc, &argv);
  if (!gst_artic_elements_register_static ())
    return 1;
  return gst_check_run_suite (recovery_suite (), "recovery", __FILE__);
}
