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

/* articfecenc / articfecdec with real packets: articenc (reference control)
 * ! rtpvp8pay (+ articframemark) ! articfecenc; two packets of the key
 * frame are lost; articfecdec rebuilds them byte for byte from the
 * repairs, and the key frame decodes to its source. Frames that are
 * neither key nor long-term get no repairs; malformed repairs are dropped
 * and counted. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/rtp/gstrtpbuffer.h>
#include <gst/rtp/gstrtphdrext.h>
#include <string.h>

#include "artic-quality.h"
#include "artic-rtp.h"

#define W 160
#define H 120
#define FRAME_NS (GST_SECOND / 30)

static guint8 *
make_luma (guint index)
{
  guint8 *y = g_malloc (W * H);
  guint i, j;

  for (j = 0; j < H; j++)
    for (i = 0; i < W; i++)
      y[j * W + i]
          = (guint8) (i * 5 + j * 3 + ((i / 8 + j / 8) % 2) * 60 + index * 2);
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

/* The sender: articenc ! rtpvp8pay (frame mark) ! articfecenc. */
static GstHarness *
make_sender (const gchar *fec_options)
{
  gchar *description
      = g_strdup_printf ("articenc bitrate=600 keyframe-max-dist=0"
                         " ! rtpvp8pay name=pay picture-id-mode=15-bit mtu=300"
                         " ! articfecenc name=fec %s",
          fec_options);
  GstHarness *h = gst_harness_new_parse (description);
  GstElement *pay = gst_bin_get_by_name (GST_BIN (h->element), "pay");
  GstRTPHeaderExtension *ext
      = gst_rtp_header_extension_create_from_uri (ARTIC_FRAME_MARK_URI);

  fail_unless (ext != NULL);
  gst_rtp_header_extension_set_id (ext, ARTIC_RTP_EXT_ID_FRAME_MARK);
  g_signal_emit_by_name (pay, "add-extension", ext);
  gst_object_unref (ext);
  gst_object_unref (pay);
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=I420,width=160,height=120,framerate=30/1");
  g_free (description);
  return h;
}

static guint
payload_type (GstBuffer *buffer)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint pt;

  fail_unless (gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp));
  pt = gst_rtp_buffer_get_payload_type (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  return pt;
}

static guint16
sequence (GstBuffer *buffer)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint16 seq;

  fail_unless (gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp));
  seq = gst_rtp_buffer_get_seq (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  return seq;
}

static gboolean
same_bytes (GstBuffer *a, GstBuffer *b)
{
  GstMapInfo ma, mb;
  gboolean same;

  fail_unless (gst_buffer_map (a, &ma, GST_MAP_READ));
  fail_unless (gst_buffer_map (b, &mb, GST_MAP_READ));
  same = ma.size == mb.size && memcmp (ma.data, mb.data, ma.size) == 0;
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  return same;
}

static gint
compare_seq (gconstpointer a, gconstpointer b)
{
  return (gint) sequence (*(GstBuffer **) a)
         - (gint) sequence (*(GstBuffer **) b);
}

GST_START_TEST (test_key_frame_rebuilt)
{
  GstHarness *send = make_sender ("");
  GstHarness *fec = gst_harness_new ("articfecdec");
  GstHarness *dec = gst_harness_new_parse (
      "rtpvp8depay wait-for-keyframe=false request-keyframe=false ! vp8dec");
  guint8 *luma = make_luma (0);
  GPtrArray *media
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  GPtrArray *out
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  GstBuffer *buffer, *decoded;
  GstStructure *stats;
  guint i, repairs = 0, lost = 0, rebuilt = 0;
  guint64 recovered = 0, repairs_taken = 0;
  gdouble psnr;
  GstMapInfo map;

  gst_harness_set_src_caps_str (fec,
      "application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,"
      "payload=96");
  gst_harness_set_src_caps_str (dec,
      "application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,"
      "payload=96");
  /* Frame 0 is a key frame: its packets, then its repairs. */
  fail_unless_equals_int (
      gst_harness_push (send, make_frame (0, luma)), GST_FLOW_OK);
  while ((buffer = gst_harness_try_pull (send)) != NULL) {
    if (payload_type (buffer) == ARTIC_RTP_PT_FEC) {
      repairs++;
      /* Repairs follow the whole frame. */
      fail_unless (media->len > 0);
      fail_unless_equals_int (
          gst_harness_push (fec, gst_buffer_ref (buffer)), GST_FLOW_OK);
    } else {
      fail_unless_equals_int (repairs, 0);
      g_ptr_array_add (media, gst_buffer_ref (buffer));
      /* The second and fourth packets are lost. */
      if (media->len == 2 || media->len == 4)
        lost++;
      else
        fail_unless_equals_int (
            gst_harness_push (fec, gst_buffer_ref (buffer)), GST_FLOW_OK);
    }
    gst_buffer_unref (buffer);
  }
  fail_unless (media->len >= 5, "key frame of %u packets", media->len);
  /* ceil(k / 2) + 1 repairs. */
  fail_unless_equals_int (repairs, (media->len + 1) / 2 + 1);

  /* The decoder hands on every media packet, the two lost ones rebuilt
   * byte for byte, and never a repair. */
  while ((buffer = gst_harness_try_pull (fec)) != NULL) {
    fail_unless (payload_type (buffer) != ARTIC_RTP_PT_FEC);
    g_ptr_array_add (out, buffer);
  }
  fail_unless_equals_int (out->len, media->len);
  g_ptr_array_sort (out, compare_seq);
  for (i = 0; i < media->len; i++) {
    fail_unless (
        same_bytes (media->pdata[i], out->pdata[i]), "packet %u differs", i);
    rebuilt += i == 1 || i == 3;
  }
  fail_unless_equals_int (rebuilt, lost);
  g_object_get (fec->element, "stats", &stats, NULL);
  gst_structure_get (stats, "recovered", G_TYPE_UINT64, &recovered, "repairs",
      G_TYPE_UINT64, &repairs_taken, NULL);
  gst_structure_free (stats);
  fail_unless_equals_int (recovered, 2);
  fail_unless (repairs_taken >= 2);

  /* In order, the key frame decodes to its source. */
  for (i = 0; i < out->len; i++)
    fail_unless_equals_int (
        gst_harness_push (dec, gst_buffer_ref (out->pdata[i])), GST_FLOW_OK);
  decoded = gst_harness_pull (dec);
  fail_unless (decoded != NULL);
  fail_unless (gst_buffer_map (decoded, &map, GST_MAP_READ));
  psnr = artic_quality_psnr_plane (map.data, W, luma, W, W, H);
  gst_buffer_unmap (decoded, &map);
  fail_unless (psnr >= 30.0, "rebuilt key frame at %.1f dB", psnr);
  gst_buffer_unref (decoded);

  g_ptr_array_unref (media);
  g_ptr_array_unref (out);
  g_free (luma);
  gst_harness_teardown (dec);
  gst_harness_teardown (fec);
  gst_harness_teardown (send);
}

GST_END_TEST;

/* Without long-term protection, only the key frame is protected: the 29
 * ordinary frames after it get no repairs, and the counts say so. */
GST_START_TEST (test_only_important_frames)
{
  GstHarness *send = make_sender ("protect-long-term=false");
  guint64 media = 0, protected = 0, repair_packets = 0, repair_bytes = 0;
  guint i, pulled_media = 0, key_packets = 0, repairs = 0;
  GstStructure *stats;
  GstBuffer *buffer;

  for (i = 0; i < 30; i++) {
    guint8 *luma = make_luma (i);

    fail_unless_equals_int (
        gst_harness_push (send, make_frame (i, luma)), GST_FLOW_OK);
    g_free (luma);
    while ((buffer = gst_harness_try_pull (send)) != NULL) {
      if (payload_type (buffer) == ARTIC_RTP_PT_FEC) {
        fail_unless_equals_int (i, 0);
        repairs++;
      } else {
        pulled_media++;
        key_packets += i == 0;
      }
      gst_buffer_unref (buffer);
    }
  }
  {
    GstElement *fec = gst_bin_get_by_name (GST_BIN (send->element), "fec");

    g_object_get (fec, "stats", &stats, NULL);
    gst_object_unref (fec);
  }
  gst_structure_get (stats, "media-packets", G_TYPE_UINT64, &media,
      "protected-packets", G_TYPE_UINT64, &protected, "repair-packets",
      G_TYPE_UINT64, &repair_packets, "repair-bytes", G_TYPE_UINT64,
      &repair_bytes, NULL);
  gst_structure_free (stats);
  fail_unless_equals_int (media, pulled_media);
  fail_unless_equals_int (protected, key_packets);
  fail_unless_equals_int (repair_packets, repairs);
  fail_unless (repairs >= 2);
  fail_unless (repair_bytes > 0);
  gst_harness_teardown (send);
}

GST_END_TEST;

GST_START_TEST (test_malformed_repair)
{
  GstHarness *h = gst_harness_new ("articfecdec");
  GstBuffer *junk = gst_rtp_buffer_new_allocate (5, 0, 0);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  GstBuffer *not_rtp = gst_buffer_new_wrapped (g_strdup ("xy"), 2);
  GstStructure *stats;
  guint64 malformed = 0;
  GstBuffer *out;

  gst_harness_set_src_caps_str (h, "application/x-rtp");
  fail_unless (gst_rtp_buffer_map (junk, GST_MAP_WRITE, &rtp));
  gst_rtp_buffer_set_payload_type (&rtp, ARTIC_RTP_PT_FEC);
  gst_rtp_buffer_unmap (&rtp);
  /* A repair too short to be one: dropped and counted. */
  fail_unless_equals_int (gst_harness_push (h, junk), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  /* Not RTP at all: not the decoder's to judge, handed on. */
  fail_unless_equals_int (gst_harness_push (h, not_rtp), GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless_equals_int (gst_buffer_get_size (out), 2);
  gst_buffer_unref (out);
  g_object_get (h->element, "stats", &stats, NULL);
  gst_structure_get_uint64 (stats, "malformed", &malformed);
  gst_structure_free (stats);
  fail_unless_equals_int (malformed, 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
articfec_suite (void)
{
  Suite *s = suite_create ("articfec");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_key_frame_rebuilt);
  tcase_add_test (tc, test_only_important_frames);
  tcase_add_test (tc, test_malformed_repair);
  return s;
}

GST_CHECK_MAIN (articfec);
