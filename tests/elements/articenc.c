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

/* articenc through GstHarness: real libvpx/libx264 encodes, decoded again by
 * the stock decoders (vp8dec, vp9dec, avdec_h264). */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "artic-qp-map.h"
#include "gstarticelements.h"
#include "gstarticqpmapmeta.h"

#define FPS 30
#define FRAME_DURATION (GST_SECOND / FPS)

static const gchar *codecs[] = { "vp8", "vp9", "h264" };
static const gchar *decoders[] = { "vp8dec", "vp9dec", "avdec_h264" };
static const gchar *caps_names[]
    = { "video/x-vp8", "video/x-vp9", "video/x-h264" };

typedef enum
{
  CONTENT_TEXTURE, /* moving high-detail texture: needs many bits */
  CONTENT_GRAY,    /* flat mid-gray */
} Content;

static GstBuffer *
make_frame (guint width, guint height, guint index, Content content)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  GstBuffer *buffer;
  guint p, x, y;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, width, height);
  buffer = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  /* Row padding too: encoders may read past the width. */
  gst_buffer_memset (buffer, 0, 0, GST_VIDEO_INFO_SIZE (&info));
  fail_unless (gst_video_frame_map (&frame, &info, buffer, GST_MAP_WRITE));
  for (p = 0; p < 3; p++) {
    guint8 *data = GST_VIDEO_FRAME_COMP_DATA (&frame, p);
    guint stride = GST_VIDEO_FRAME_COMP_STRIDE (&frame, p);
    guint w = GST_VIDEO_FRAME_COMP_WIDTH (&frame, p);
    guint h = GST_VIDEO_FRAME_COMP_HEIGHT (&frame, p);

    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        guint v = 128;

        if (content == CONTENT_TEXTURE && p == 0) {
          /* A scrolling ramp (3 px per frame) with some hashed grain: real
           * camera-like detail the rate control can trade against. */
          guint32 k = (x + 3 * index) * 2654435761u ^ (y * 40503u);
          v = 64 + ((x + 3 * index) * 2 + y) % 96 + ((k >> 13) & 31);
        }
        data[y * stride + x] = v;
      }
  }
  gst_video_frame_unmap (&frame);
  GST_BUFFER_PTS (buffer) = index * FRAME_DURATION;
  GST_BUFFER_DURATION (buffer) = FRAME_DURATION;
  return buffer;
}

static gchar *
raw_caps (guint width, guint height)
{
  return g_strdup_printf (
      "video/x-raw,format=I420,width=%u,height=%u,framerate=%d/1", width,
      height, FPS);
}

static GstHarness *
enc_harness (const gchar *launch, guint width, guint height)
{
  GstHarness *h = gst_harness_new_parse (launch);
  GstElement *enc = gst_harness_find_element (h, "articenc");
  gchar *caps = raw_caps (width, height);

  g_object_set_data_full (G_OBJECT (h->element), "enc", enc, gst_object_unref);
  gst_harness_set_src_caps_str (h, caps);
  g_free (caps);
  return h;
}

static GstElement *
enc_of (GstHarness *h)
{
  return g_object_get_data (G_OBJECT (h->element), "enc");
}

static void
push_frames (GstHarness *h, guint width, guint height, guint start, guint n,
    Content content)
{
  guint i;

  for (i = start; i < start + n; i++)
    fail_unless_equals_int (
        gst_harness_push (h, make_frame (width, height, i, content)),
        GST_FLOW_OK);
}

static gboolean
is_key (GstBuffer *buffer)
{
  return !GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
}

/* Pulls all encoded bufs; returns them in order. */
static GPtrArray *
pull_all (GstHarness *h)
{
  GPtrArray *out
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  GstBuffer *buffer;

  while ((buffer = gst_harness_try_pull (h)) != NULL)
    g_ptr_array_add (out, buffer);
  return out;
}

static guint
count_keys (GPtrArray *bufs, guint from)
{
  guint i, n = 0;

  for (i = from; i < bufs->len; i++)
    n += is_key (g_ptr_array_index (bufs, i));
  return n;
}

/* Decodes @bufs with a stock decoder; returns the number of frames out
 * and checks their size. */
static guint
decode_all (const gchar *decoder, GstCaps *caps, GPtrArray *bufs, gint width,
    gint height)
{
  GstHarness *d = gst_harness_new_parse (decoder);
  GstBuffer *out;
  guint i, n = 0;

  gst_harness_set_src_caps (d, gst_caps_ref (caps));
  for (i = 0; i < bufs->len; i++)
    fail_unless_equals_int (
        gst_harness_push (d, gst_buffer_ref (g_ptr_array_index (bufs, i))),
        GST_FLOW_OK);
  gst_harness_push_event (d, gst_event_new_eos ());
  while ((out = gst_harness_try_pull (d)) != NULL) {
    GstCaps *dcaps = gst_pad_get_current_caps (d->sinkpad);
    GstVideoInfo info;

    fail_unless (gst_video_info_from_caps (&info, dcaps));
    fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&info), width);
    fail_unless_equals_int (GST_VIDEO_INFO_HEIGHT (&info), height);
    gst_caps_unref (dcaps);
    gst_buffer_unref (out);
    n++;
  }
  gst_harness_teardown (d);
  return n;
}

/* Bytes of the buffers whose input frame index (from the PTS) is in
 * [from, to): dropped frames leave no buffer, the kept keep their PTS. */
static gsize
size_between (GPtrArray *bufs, guint from, guint to)
{
  gsize n = 0;
  guint i;

  for (i = 0; i < bufs->len; i++) {
    GstBuffer *b = g_ptr_array_index (bufs, i);
    guint index = (guint) (GST_BUFFER_PTS (b) / FRAME_DURATION);

    if (index >= from && index < to)
      n += gst_buffer_get_size (b);
  }
  return n;
}

static guint
count_between (GPtrArray *bufs, guint from, guint to)
{
  guint i, n = 0;

  for (i = 0; i < bufs->len; i++) {
    guint index = (guint) (GST_BUFFER_PTS (g_ptr_array_index (bufs, i))
                           / FRAME_DURATION);

    n += index >= from && index < to;
  }
  return n;
}

static gsize
total_size (GPtrArray *bufs, guint from, guint to)
{
  gsize n = 0;
  guint i;

  for (i = from; i < to && i < bufs->len; i++)
    n += gst_buffer_get_size (g_ptr_array_index (bufs, i));
  return n;
}

GST_START_TEST (test_caps_and_stock_decode)
{
  guint c = __i__;
  gchar *launch = g_strdup_printf ("articenc codec=%s bitrate=300", codecs[c]);
  GstHarness *h = enc_harness (launch, 160, 120);
  GPtrArray *out;
  GstCaps *caps;
  GstStructure *s;

  push_frames (h, 160, 120, 0, 30, CONTENT_TEXTURE);
  gst_harness_push_event (h, gst_event_new_eos ());
  out = pull_all (h);
  /* lag 0: one output per input, the first a key frame. */
  fail_unless_equals_int (out->len, 30);
  fail_unless (is_key (g_ptr_array_index (out, 0)));
  fail_unless_equals_uint64 (
      GST_BUFFER_PTS (g_ptr_array_index (out, 29)), 29 * FRAME_DURATION);

  caps = gst_pad_get_current_caps (h->sinkpad);
  s = gst_caps_get_structure (caps, 0);
  fail_unless_equals_string (gst_structure_get_name (s), caps_names[c]);
  if (c == 2) {
    fail_unless_equals_string (
        gst_structure_get_string (s, "stream-format"), "byte-stream");
    fail_unless_equals_string (gst_structure_get_string (s, "alignment"), "au");
  }
  fail_unless_equals_int (decode_all (decoders[c], caps, out, 160, 120), 30);

  gst_caps_unref (caps);
  g_ptr_array_unref (out);
  gst_harness_teardown (h);
  g_free (launch);
}

GST_END_TEST;

GST_START_TEST (test_bitrate_change_no_keyframe)
{
  guint c = __i__;
  gchar *launch = g_strdup_printf (
      "articenc codec=%s bitrate=100 keyframe-max-dist=0", codecs[c]);
  GstHarness *h = enc_harness (launch, 320, 240);
  GPtrArray *out;
  gsize low, high;

  push_frames (h, 320, 240, 0, 40, CONTENT_TEXTURE);
  g_object_set (enc_of (h), "bitrate", 1500, NULL);
  push_frames (h, 320, 240, 40, 40, CONTENT_TEXTURE);
  out = pull_all (h);
  /* At 100 kbps this grainy texture is beyond the encoder at 30 fps: the
   * rate guard drops frames (never below 2 fps); at 1500 kbps none. */
  fail_unless (count_between (out, 0, 40) >= 3, "%u frames at 100 kbps",
      count_between (out, 0, 40));
  fail_unless_equals_int (count_between (out, 40, 80), 40);
  /* Only the very first frame is a key frame, and caps were sent once. */
  fail_unless_equals_int (count_keys (out, 0), 1);
  fail_unless (is_key (g_ptr_array_index (out, 0)));
  {
    guint caps_events = 0;
    GstEvent *ev;

    while ((ev = gst_harness_try_pull_event (h)) != NULL) {
      caps_events += GST_EVENT_TYPE (ev) == GST_EVENT_CAPS;
      gst_event_unref (ev);
    }
    fail_unless_equals_int (caps_events, 1);
  }
  /* The new target took effect: the last 20 frames (after the rate control
   * settled) cost several times what 20 frames at 100 kbps do. */
  low = size_between (out, 20, 40);
  high = size_between (out, 60, 80);
  GST_INFO ("%s: 20 frames at 100 kbps %" G_GSIZE_FORMAT
            " bytes, at 1500 kbps %" G_GSIZE_FORMAT,
      codecs[c], low, high);
  fail_unless (high > 3 * low, "%s: %" G_GSIZE_FORMAT " vs %" G_GSIZE_FORMAT,
      codecs[c], high, low);
  {
    guint bitrate;

    g_object_get (enc_of (h), "bitrate", &bitrate, NULL);
    fail_unless_equals_int (bitrate, 1500);
  }
  g_ptr_array_unref (out);
  gst_harness_teardown (h);
  g_free (launch);
}

GST_END_TEST;

GST_START_TEST (test_force_key_unit)
{
  guint c = __i__;
  gchar *launch = g_strdup_printf (
      "articenc codec=%s bitrate=300 keyframe-max-dist=0", codecs[c]);
  GstHarness *h = enc_harness (launch, 160, 120);
  GPtrArray *out;
  guint i;

  push_frames (h, 160, 120, 0, 10, CONTENT_TEXTURE);
  fail_unless (gst_harness_push_upstream_event (
      h, gst_video_event_new_upstream_force_key_unit (
             GST_CLOCK_TIME_NONE, TRUE, 1)));
  push_frames (h, 160, 120, 10, 10, CONTENT_TEXTURE);
  out = pull_all (h);
  fail_unless_equals_int (out->len, 20);
  fail_unless_equals_int (count_keys (out, 0), 2);
  fail_unless_equals_int (count_keys (out, 1), 1);
  for (i = 1; i < 10; i++)
    fail_if (is_key (g_ptr_array_index (out, i)));
  g_ptr_array_unref (out);
  gst_harness_teardown (h);
  g_free (launch);
}

GST_END_TEST;

GST_START_TEST (test_property_ranges)
{
  GstHarness *h = enc_harness ("articenc", 160, 120);
  GstElement *enc = enc_of (h);
  guint bitrate, dist;
  gint cpu;
  gdouble maxfps;

  /* Out-of-range values are refused with a warning and leave the value. */
  ASSERT_WARNING (g_object_set (enc, "bitrate", 0, NULL));
  ASSERT_WARNING (g_object_set (enc, "bitrate", 1000000000, NULL));
  ASSERT_WARNING (g_object_set (enc, "cpu-used", -3, NULL));
  ASSERT_WARNING (g_object_set (enc, "cpu-used", 99, NULL));
  ASSERT_WARNING (g_object_set (enc, "max-framerate", -1.0, NULL));
  ASSERT_WARNING (g_object_set (enc, "max-framerate", 1e9, NULL));
  ASSERT_WARNING (g_object_set (enc, "keyframe-max-dist", 1000000000, NULL));
  g_object_get (enc, "bitrate", &bitrate, "cpu-used", &cpu, "max-framerate",
      &maxfps, "keyframe-max-dist", &dist, NULL);
  fail_unless_equals_int (bitrate, 500);
  fail_unless_equals_int (cpu, 8);
  fail_unless_equals_float (maxfps, 0.0);
  fail_unless_equals_int (dist, 300);

  ASSERT_WARNING (g_object_set (enc, "model-rate", 0.0, NULL));
  ASSERT_WARNING (g_object_set (enc, "loss-fraction", 1.5, NULL));
  ASSERT_WARNING (g_object_set (enc, "loss-fraction", -0.1, NULL));
  {
    gdouble model, loss;

    g_object_get (enc, "model-rate", &model, "loss-fraction", &loss, NULL);
    fail_unless_equals_float (model, 2.0);
    fail_unless_equals_float (loss, 0.0);
  }
  /* background-filter: -1 (each codec's default) .. 32 pixels. */
  ASSERT_WARNING (g_object_set (enc, "background-filter", -2, NULL));
  ASSERT_WARNING (g_object_set (enc, "background-filter", 33, NULL));
  {
    gint filter;

    g_object_get (enc, "background-filter", &filter, NULL);
    fail_unless_equals_int (filter, -1);
    g_object_set (enc, "background-filter", 32, NULL);
    g_object_get (enc, "background-filter", &filter, NULL);
    fail_unless_equals_int (filter, 32);
  }

  /* From a launch line, as gst-launch does it: the extremes are accepted.
   * 10 kbps cannot carry this texture at 30 fps: the first frame is
   * encoded, the rate guard drops some of the rest (the stats count every
   * frame). */
  g_object_set (enc, "bitrate", 10, "cpu-used", 0, NULL);
  push_frames (h, 160, 120, 0, 5, CONTENT_TEXTURE);
  fail_unless (gst_harness_buffers_in_queue (h) >= 1);
  {
    GstStructure *stats;
    guint64 kept = 0, dropped = 0;

    g_object_get (enc, "stats", &stats, NULL);
    fail_unless (gst_structure_get_uint64 (stats, "frames-kept", &kept));
    fail_unless (gst_structure_get_uint64 (stats, "frames-dropped", &dropped));
    fail_unless_equals_int (kept + dropped, 5);
    fail_unless_equals_int (kept, gst_harness_buffers_in_queue (h));
    gst_structure_free (stats);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A map for the wrong frame size is ignored (uniform encode), not a crash. */
GST_START_TEST (test_wrong_size_map_ignored)
{
  GstHarness *h = enc_harness ("articenc codec=vp8", 160, 120);
  ArticRoiBox box = { 0, 0, 100, 100 };
  guint i;

  for (i = 0; i < 10; i++) {
    GstBuffer *frame = make_frame (160, 120, i, CONTENT_TEXTURE);
    ArticQpMap *map = artic_qp_map_from_boxes (
        i % 2 ? 320 : 160, i % 2 ? 240 : 120, &box, 1, NULL);

    gst_buffer_add_artic_qp_map_meta (frame, map);
    fail_unless_equals_int (gst_harness_push (h, frame), GST_FLOW_OK);
  }
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 10);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_resolution_change)
{
  guint c = __i__;
  gchar *launch = g_strdup_printf ("articenc codec=%s bitrate=300", codecs[c]);
  GstHarness *h = enc_harness (launch, 160, 120);
  GPtrArray *before, *after;
  GstCaps *caps1, *caps2;
  gint w;

  push_frames (h, 160, 120, 0, 10, CONTENT_TEXTURE);
  before = pull_all (h);
  caps1 = gst_pad_get_current_caps (h->sinkpad);
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=I420,width=322,height=182,framerate=30/1");
  push_frames (h, 322, 182, 10, 10, CONTENT_TEXTURE);
  after = pull_all (h);
  caps2 = gst_pad_get_current_caps (h->sinkpad);
  fail_unless_equals_int (before->len, 10);
  fail_unless_equals_int (after->len, 10);
  /* The new size starts with a key frame the decoder can start at. */
  fail_unless (is_key (g_ptr_array_index (after, 0)));
  fail_unless (
      gst_structure_get_int (gst_caps_get_structure (caps2, 0), "width", &w));
  fail_unless_equals_int (w, 322);
  fail_unless_equals_int (
      decode_all (decoders[c], caps1, before, 160, 120), 10);
  fail_unless_equals_int (decode_all (decoders[c], caps2, after, 322, 182), 10);
  gst_caps_unref (caps1);
  gst_caps_unref (caps2);
  g_ptr_array_unref (before);
  g_ptr_array_unref (after);
  gst_harness_teardown (h);
  g_free (launch);
}

GST_END_TEST;

GST_START_TEST (test_gray_frames)
{
  guint c = __i__;
  gchar *launch = g_strdup_printf ("articenc codec=%s bitrate=500", codecs[c]);
  GstHarness *h = enc_harness (launch, 176, 144);
  ArticRoiBox box = { 100, 100, 500, 500 };
  GPtrArray *out;
  GstCaps *caps;
  guint i;

  for (i = 0; i < 30; i++) {
    GstBuffer *frame = make_frame (176, 144, i, CONTENT_GRAY);

    /* With and without a map: flat frames must not upset the ROI path. */
    if (i >= 15)
      gst_buffer_add_artic_qp_map_meta (
          frame, artic_qp_map_from_boxes (176, 144, &box, 1, NULL));
    fail_unless_equals_int (gst_harness_push (h, frame), GST_FLOW_OK);
  }
  out = pull_all (h);
  fail_unless_equals_int (out->len, 30);
  /* Flat gray costs almost nothing after the key frame. */
  fail_unless (total_size (out, 1, 30) < 29 * 500, "%" G_GSIZE_FORMAT " bytes",
      total_size (out, 1, 30));
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless_equals_int (decode_all (decoders[c], caps, out, 176, 144), 30);
  gst_caps_unref (caps);
  g_ptr_array_unref (out);
  gst_harness_teardown (h);
  g_free (launch);
}

GST_END_TEST;

GST_START_TEST (test_max_framerate_drops)
{
  GstHarness *h = enc_harness ("articenc max-framerate=10", 160, 120);
  GPtrArray *out;
  GstCaps *caps;
  gint n, d;
  guint i;

  push_frames (h, 160, 120, 0, 30, CONTENT_TEXTURE);
  out = pull_all (h);
  /* 1 s of 30 fps at most 10 fps: every third frame. */
  fail_unless_equals_int (out->len, 10);
  for (i = 0; i < out->len; i++)
    fail_unless_equals_uint64 (
        GST_BUFFER_PTS (g_ptr_array_index (out, i)), i * 3 * FRAME_DURATION);
  g_ptr_array_unref (out);

  /* Lifted while playing: all frames again; the caps keep 30 fps. */
  g_object_set (enc_of (h), "max-framerate", 0.0, NULL);
  push_frames (h, 160, 120, 30, 30, CONTENT_TEXTURE);
  out = pull_all (h);
  fail_unless_equals_int (out->len, 30);
  fail_unless_equals_int (count_keys (out, 0), 0);
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (gst_structure_get_fraction (
      gst_caps_get_structure (caps, 0), "framerate", &n, &d));
  fail_unless_equals_int (n, 30);
  gst_caps_unref (caps);
  g_ptr_array_unref (out);

  /* A new segment restarts running time at 0: the limiter starts over
   * instead of dropping everything until time catches up. */
  g_object_set (enc_of (h), "max-framerate", 10.0, NULL);
  {
    GstSegment segment;

    gst_segment_init (&segment, GST_FORMAT_TIME);
    fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  }
  push_frames (h, 160, 120, 0, 6, CONTENT_TEXTURE);
  out = pull_all (h);
  fail_unless_equals_int (out->len, 2);
  g_ptr_array_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Frames of one still picture (the texture at scroll 0) with rising
 * timestamps: a static scene. With @cut_at < n the picture turns gray there
 * (a scene change). */
static void
push_static (GstHarness *h, guint width, guint height, guint start, guint n,
    guint cut_at)
{
  guint i;

  for (i = start; i < start + n; i++) {
    GstBuffer *frame = make_frame (
        width, height, 0, i >= cut_at ? CONTENT_GRAY : CONTENT_TEXTURE);

    GST_BUFFER_PTS (frame) = i * FRAME_DURATION;
    fail_unless_equals_int (gst_harness_push (h, frame), GST_FLOW_OK);
  }
}

static gdouble
stats_double (GstHarness *h, const gchar *field)
{
  GstStructure *stats;
  gdouble v = -1.0;

  g_object_get (enc_of (h), "stats", &stats, NULL);
  fail_unless (gst_structure_get_double (stats, field, &v));
  gst_structure_free (stats);
  return v;
}

/* adaptive-framerate on a static scene at a low bitrate: the frame rate
 * goes down to the model's 2 fps (3 s of 30 fps -> about 6 frames instead
 * of 90), the bitrate holds, the kept frames keep their own timestamps and
 * decode with the stock decoder. */
GST_START_TEST (test_adaptive_static_low_bitrate)
{
  guint c = __i__;
  gchar *launch = g_strdup_printf (
      "articenc codec=%s bitrate=100 adaptive-framerate=true", codecs[c]);
  gchar *plain_launch
      = g_strdup_printf ("articenc codec=%s bitrate=100", codecs[c]);
  GstHarness *h = enc_harness (launch, 320, 240);
  GstHarness *plain = enc_harness (plain_launch, 320, 240);
  GPtrArray *out, *plain_out;
  GstClockTime last = GST_CLOCK_TIME_NONE;
  gdouble kbps;
  GstCaps *caps;
  guint i;

  push_static (h, 320, 240, 0, 90, G_MAXUINT);
  push_static (plain, 320, 240, 0, 90, G_MAXUINT);
  out = pull_all (h);
  plain_out = pull_all (plain);
  GST_INFO (
      "%s: adaptive %u frames, plain %u", codecs[c], out->len, plain_out->len);
  fail_unless (plain_out->len >= 80, "%u", plain_out->len);
  fail_unless (
      out->len >= 6 && out->len <= 8, "%s: %u frames", codecs[c], out->len);
  fail_unless_equals_float (stats_double (h, "target-fps"), 2.0);
  kbps = total_size (out, 0, out->len) * 8.0 / 3.0 / 1000.0;
  fail_unless (kbps <= 110.0, "%s: %.1f kbps", codecs[c], kbps);
  for (i = 0; i < out->len; i++) {
    GstClockTime pts = GST_BUFFER_PTS (g_ptr_array_index (out, i));

    fail_unless_equals_uint64 (pts % FRAME_DURATION, 0);
    fail_unless (!GST_CLOCK_TIME_IS_VALID (last) || pts > last);
    last = pts;
  }
  fail_unless_equals_uint64 (GST_BUFFER_PTS (g_ptr_array_index (out, 0)), 0);
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless_equals_int (
      decode_all (decoders[c], caps, out, 320, 240), out->len);
  gst_caps_unref (caps);
  g_ptr_array_unref (out);
  g_ptr_array_unref (plain_out);
  gst_harness_teardown (h);
  gst_harness_teardown (plain);
  g_free (launch);
  g_free (plain_launch);
}

GST_END_TEST;

/* Motion gets the capture rate back; a scene change in a static scene is
 * sent at once; a higher loss fraction sends more frames of a static
 * scene (so that a sampling instant still finds a fresh one). */
GST_START_TEST (test_adaptive_motion_cut_loss)
{
  GstHarness *h
      = enc_harness ("articenc bitrate=1000 adaptive-framerate=true", 160, 120);
  GPtrArray *out;
  guint still, lossy;

  push_frames (h, 160, 120, 0, 30, CONTENT_TEXTURE);
  out = pull_all (h);
  fail_unless (out->len >= 28, "%u of 30 moving frames", out->len);
  g_ptr_array_unref (out);

  /* 1 s still, then a cut to gray at frame 50 (0.67 s after the floor's
   * last frame at about 40). */
  push_static (h, 160, 120, 30, 60, 50);
  out = pull_all (h);
  fail_unless_equals_int (count_between (out, 50, 51), 1);
  g_ptr_array_unref (out);

  push_static (h, 160, 120, 90, 90, 0);
  out = pull_all (h);
  still = out->len;
  g_ptr_array_unref (out);
  g_object_set (enc_of (h), "loss-fraction", 0.3, NULL);
  push_static (h, 160, 120, 180, 90, 0);
  out = pull_all (h);
  lossy = out->len;
  g_ptr_array_unref (out);
  GST_INFO ("static 3 s: %u frames at no loss, %u at 30%% loss", still, lossy);
  fail_unless (still <= 8, "%u", still);
  fail_unless (lossy >= 2 * still, "%u vs %u", lossy, still);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Under reference control a force-key-unit request (a PLI) is answered by
 * a recovery frame: with the adaptive rule at its 2 fps floor, the frame
 * right after the request is encoded rather than the next one due. */
GST_START_TEST (test_adaptive_loss_request_sent_at_once)
{
  GstHarness *h
      = enc_harness ("articenc bitrate=300 adaptive-framerate=true", 160, 120);
  GPtrArray *out;

  push_static (h, 160, 120, 0, 30, G_MAXUINT);
  out = pull_all (h);
  /* Floor: frames 0 and 15 of the first second. */
  fail_unless_equals_int (count_between (out, 1, 15), 0);
  g_ptr_array_unref (out);
  fail_unless (gst_harness_push_upstream_event (
      h, gst_video_event_new_upstream_force_key_unit (
             GST_CLOCK_TIME_NONE, TRUE, 1)));
  push_static (h, 160, 120, 30, 10, G_MAXUINT);
  out = pull_all (h);
  /* Frame 30 would be due anyway; the request came before 31 was. */
  fail_unless_equals_int (count_between (out, 30, 31), 1);
  g_ptr_array_unref (out);
  fail_unless (gst_harness_push_upstream_event (
      h, gst_video_event_new_upstream_force_key_unit (
             GST_CLOCK_TIME_NONE, TRUE, 1)));
  push_static (h, 160, 120, 40, 5, G_MAXUINT);
  out = pull_all (h);
  fail_unless_equals_int (count_between (out, 40, 41), 1);
  fail_unless_equals_int (count_between (out, 41, 45), 0);
  g_ptr_array_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A buffer shorter than its caps say: a clear error, no crash. */
GST_START_TEST (test_truncated_frame)
{
  GstHarness *h = enc_harness ("articenc", 160, 120);
  GstBuffer *small = gst_buffer_new_allocate (NULL, 100, NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;

  gst_element_set_bus (enc_of (h), bus);
  gst_buffer_memset (small, 0, 0, 100);
  GST_BUFFER_PTS (small) = 0;
  fail_unless_equals_int (gst_harness_push (h, small), GST_FLOW_ERROR);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_element_set_bus (enc_of (h), NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Camera-like noisy footage (deterministic): a low-contrast texture and a
 * bright bar that move for MOVING_FRAMES, then hold still, with fresh
 * Gaussian luma noise (sigma NOISE_SIGMA, as the DeViBench lite2 suite)
 * on every moving frame; the held frames repeat the last one exactly, as a
 * renderer or a camera driver repeating a frame does. */
#define NOISY_WIDTH 1280
#define NOISY_HEIGHT 720
#define MOVING_FRAMES 120
#define HELD_FRAMES 60
#define NOISE_SIGMA 3.0

static guint32
xorshift32 (guint32 *state)
{
  *state ^= *state << 13;
  *state ^= *state >> 17;
  *state ^= *state << 5;
  return *state;
}

static GstBuffer *
make_noisy_frame (guint index)
{
  guint moving = MIN (index, MOVING_FRAMES - 1);
  guint32 state = 0x9e3779b9u ^ (moving * 2654435761u);
  GstVideoInfo info;
  GstVideoFrame frame;
  GstBuffer *buffer;
  guint8 *y_plane;
  guint stride, x, y;

  gst_video_info_set_format (
      &info, GST_VIDEO_FORMAT_I420, NOISY_WIDTH, NOISY_HEIGHT);
  buffer = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  gst_buffer_memset (buffer, 0, 128, GST_VIDEO_INFO_SIZE (&info));
  fail_unless (gst_video_frame_map (&frame, &info, buffer, GST_MAP_WRITE));
  y_plane = GST_VIDEO_FRAME_COMP_DATA (&frame, 0);
  stride = GST_VIDEO_FRAME_COMP_STRIDE (&frame, 0);
  for (y = 0; y < NOISY_HEIGHT; y++)
    for (x = 0; x < NOISY_WIDTH; x++) {
      guint32 r = xorshift32 (&state);
      /* Sum of four uniform bytes: mean 510, sigma ~147.8 -> scaled to
       * NOISE_SIGMA (near enough to Gaussian for a codec). */
      gdouble noise = ((gdouble) ((r & 0xff) + ((r >> 8) & 0xff)
                                  + ((r >> 16) & 0xff) + (r >> 24))
                          - 510.0)
                      * NOISE_SIGMA / 147.8;
      gdouble v = 100.0 + 12.0 * (((x + 2 * moving) / 40 + y / 40) % 2);

      if ((x + 6 * moving) % NOISY_WIDTH < 120 && y > 300 && y < 420)
        v = 200.0;
      y_plane[y * stride + x] = (guint8) CLAMP (v + noise + 0.5, 0.0, 255.0);
    }
  gst_video_frame_unmap (&frame);
  GST_BUFFER_PTS (buffer) = index * FRAME_DURATION;
  GST_BUFFER_DURATION (buffer) = FRAME_DURATION;
  return buffer;
}

/* Issue 3 on noisy footage: with the frame-rate controller on (artic-send's
 * configuration) the achieved bitrate stays within 15 % above the target
 * and no inter frame takes more than 2 s of bitrate. Without the
 * quantizer-fall limit libvpx answered each bigger budget (frames dropped,
 * the scene holding still) with a much finer quantizer, where the noise
 * gets coded: 246 kbps for 200 and 517 for 400 here, inter frames of
 * 79 kB and 158 kB (3.2 s of bitrate). */
GST_START_TEST (test_noisy_footage_holds_bitrate)
{
  static const guint targets[] = { 200, 400 };
  guint t = __i__;
  gchar *launch = g_strdup_printf (
      "articenc codec=vp8 bitrate=%u adaptive-framerate=true", targets[t]);
  GstHarness *h = enc_harness (launch, NOISY_WIDTH, NOISY_HEIGHT);
  GPtrArray *out;
  gsize bytes = 0, largest_inter = 0;
  gdouble kbps;
  guint i;

  for (i = 0; i < MOVING_FRAMES + HELD_FRAMES; i++)
    fail_unless_equals_int (
        gst_harness_push (h, make_noisy_frame (i)), GST_FLOW_OK);
  gst_harness_push_event (h, gst_event_new_eos ());
  out = pull_all (h);
  for (i = 0; i < out->len; i++) {
    GstBuffer *b = g_ptr_array_index (out, i);

    bytes += gst_buffer_get_size (b);
    if (!is_key (b))
      largest_inter = MAX (largest_inter, gst_buffer_get_size (b));
  }
  kbps = bytes * 8.0 / 1000.0 / ((MOVING_FRAMES + HELD_FRAMES) / (gdouble) FPS);
  GST_INFO ("%u kbps target: %.1f kbps, %u frames, largest inter frame "
            "%" G_GSIZE_FORMAT " bytes",
      targets[t], kbps, out->len, largest_inter);
  fail_unless (kbps <= targets[t] * 1.15, "%.1f kbps for %u", kbps, targets[t]);
  fail_unless (kbps >= targets[t] * 0.7, "%.1f kbps for %u", kbps, targets[t]);
  fail_unless (largest_inter <= targets[t] * 1000 / 8 * 2,
      "an inter frame of %" G_GSIZE_FORMAT " bytes at %u kbps", largest_inter,
      targets[t]);
  g_ptr_array_unref (out);
  g_free (launch);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
articenc_suite (void)
{
  Suite *s = suite_create ("articenc");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_caps_and_stock_decode, 0, 3);
  tcase_add_loop_test (tc, test_bitrate_change_no_keyframe, 0, 3);
  tcase_add_loop_test (tc, test_force_key_unit, 0, 3);
  tcase_add_test (tc, test_property_ranges);
  tcase_add_test (tc, test_wrong_size_map_ignored);
  tcase_add_loop_test (tc, test_resolution_change, 0, 3);
  tcase_add_loop_test (tc, test_gray_frames, 0, 3);
  tcase_add_test (tc, test_max_framerate_drops);
  tcase_add_test (tc, test_truncated_frame);
  tcase_add_loop_test (tc, test_adaptive_static_low_bitrate, 0, 3);
  tcase_add_test (tc, test_adaptive_motion_cut_loss);
  tcase_add_test (tc, test_adaptive_loss_request_sent_at_once);
  tcase_add_loop_test (tc, test_noisy_footage_holds_bitrate, 0, 2);
  return s;
}

/* The elements are registered statically, not loaded from the build tree:
 * the test itself uses GstArticQpMapMeta, and a second copy of it in a
 * loaded plugin would register the same meta type twice. */
int
main (int argc, char **argv)
{
  gst_check_init (&argc, &argv);
  if (!gst_artic_elements_register_static ())
    g_error ("could not register the artic elements");
  return gst_check_run_suite (articenc_suite (), "articenc", __FILE__);
}
