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

#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "artic-capture-time.h"
#include "gstarticelements.h"
#include "gstarticqpmapmeta.h"
#include "gstarticroi.h"

#define W 320
#define H 240
#define FRAME (GST_SECOND / 30)

/* Text-like glyphs: 2 px strokes in 6x8 cells, black on white. */
static guint8
glyph_pixel (guint x, guint y)
{
  guint cx = x % 6, cy = y % 8;

  return (cy < 6 && (cx < 2 || (cy < 2 && cx < 5))) ? 0 : 255;
}

typedef enum
{
  CONTENT_FLAT,
  CONTENT_TEXT_TOP_LEFT, /* glyphs in [0,96) x [0,64), gray elsewhere */
  CONTENT_SQUARE,        /* a flat bright square at [160,224) x [96,160) */
} Content;

static GstHarness *
roi_harness (const gchar *caps)
{
  GstHarness *h = gst_harness_new ("articroi");

  gst_harness_set_src_caps_str (
      h, caps != NULL ? caps
                      : "video/x-raw,format=I420,width=320,height=240,"
                        "framerate=30/1");
  return h;
}

/* Pushes a frame of the harness's current caps with @content and @extra_roi
 * (an upstream region, w 0 = none); returns the output buffer. */
static GstBuffer *
push_frame_full (GstHarness *h, GstClockTime pts, Content content,
    const GstVideoRectangle *extra_roi)
{
  GstCaps *caps = gst_pad_get_current_caps (h->srcpad);
  GstVideoInfo info;
  GstVideoFrame frame;
  GstBuffer *buf;
  guint x, y, i;

  fail_unless (gst_video_info_from_caps (&info, caps));
  gst_caps_unref (caps);
  buf = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  fail_unless (gst_video_frame_map (&frame, &info, buf, GST_MAP_WRITE));
  for (i = 0; i < GST_VIDEO_FRAME_N_PLANES (&frame); i++) {
    guint rows = GST_VIDEO_FRAME_COMP_HEIGHT (&frame, i);

    memset (GST_VIDEO_FRAME_PLANE_DATA (&frame, i), 128,
        (gsize) GST_VIDEO_FRAME_PLANE_STRIDE (&frame, i) * rows);
  }
  for (y = 0; y < (guint) GST_VIDEO_FRAME_HEIGHT (&frame); y++) {
    guint8 *row = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
                  + y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);

    for (x = 0; x < (guint) GST_VIDEO_FRAME_WIDTH (&frame); x++) {
      if (content == CONTENT_TEXT_TOP_LEFT && x < 96 && y < 64)
        row[x] = glyph_pixel (x, y);
      else if (content == CONTENT_SQUARE && x >= 160 && x < 224 && y >= 96
               && y < 160)
        row[x] = 230;
    }
  }
  gst_video_frame_unmap (&frame);
  if (extra_roi != NULL && extra_roi->w > 0)
    gst_buffer_add_video_region_of_interest_meta (
        buf, "face", extra_roi->x, extra_roi->y, extra_roi->w, extra_roi->h);
  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = FRAME;
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  return gst_harness_pull (h);
}

static GstBuffer *
push_frame (GstHarness *h, GstClockTime pts, Content content)
{
  return push_frame_full (h, pts, content, NULL);
}

static const ArticQpMap *
get_map (GstBuffer *buf)
{
  GstArticQpMapMeta *meta = gst_buffer_get_artic_qp_map_meta (buf);

  fail_unless (meta != NULL);
  fail_unless (meta->map != NULL);
  return meta->map;
}

/* The map's offset at a pixel. */
static gint
delta_at (GstBuffer *buf, guint x, guint y)
{
  const ArticQpMap *map = get_map (buf);

  return artic_qp_map_get (map, x / map->block_size, y / map->block_size);
}

static gboolean
map_is_uniform (GstBuffer *buf, gint value)
{
  const ArticQpMap *map = get_map (buf);
  guint i;

  for (i = 0; i < map->cols * map->rows; i++)
    if (map->delta_qp[i] != value)
      return FALSE;
  return TRUE;
}

/* The artic-roi metas on @buf; fills @first with the first one's rect. */
static guint
count_artic_rois (GstBuffer *buf, GstVideoRectangle *first)
{
  GstVideoRegionOfInterestMeta *roi;
  gpointer state = NULL;
  guint n = 0;

  while (
      (roi = (GstVideoRegionOfInterestMeta *) gst_buffer_iterate_meta_filtered (
           buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))) {
    if (roi->roi_type != g_quark_from_string (GST_ARTIC_ROI_META_TYPE))
      continue;
    if (n == 0 && first != NULL) {
      first->x = roi->x;
      first->y = roi->y;
      first->w = roi->w;
      first->h = roi->h;
    }
    n++;
  }
  return n;
}

static ArticRoiSource
get_source (GstHarness *h)
{
  gint source;

  g_object_get (h->element, "source", &source, NULL);
  return source;
}

GST_START_TEST (test_boxes_property)
{
  GstHarness *h = roi_harness (NULL);
  GstVideoRegionOfInterestMeta *roi;
  GstVideoRectangle rect;
  const GstStructure *param;
  GstBuffer *out;
  gint delta_qp = -1;
  gchar *json;

  g_object_set (h->element, "boxes", "[[[250,250],[500,500]]]", NULL);
  out = push_frame (h, 0, CONTENT_FLAT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_BOXES);
  fail_unless_equals_int (get_map (out)->cols, 20);
  fail_unless_equals_int (get_map (out)->rows, 15);
  fail_unless_equals_int (get_map (out)->width, W);
  /* Box = pixels [80,160) x [60,120). */
  fail_unless_equals_int (delta_at (out, 100, 80), 0);
  fail_unless_equals_int (delta_at (out, 150, 110), 0);
  fail_unless (delta_at (out, 0, 0) > 0);
  fail_unless (delta_at (out, W - 1, H - 1) > delta_at (out, 200, 150));
  fail_unless (delta_at (out, W - 1, H - 1) <= 25);

  fail_unless_equals_int (count_artic_rois (out, &rect), 1);
  fail_unless_equals_int (rect.x, 80);
  fail_unless_equals_int (rect.y, 60);
  fail_unless_equals_int (rect.w, 80);
  fail_unless_equals_int (rect.h, 60);
  roi = gst_buffer_get_video_region_of_interest_meta_id (out, 0);
  fail_unless (roi != NULL);
  param = gst_video_region_of_interest_meta_get_param (
      roi, GST_ARTIC_ROI_PARAM_NAME);
  fail_unless (param != NULL);
  fail_unless (gst_structure_get_int (param, "delta-qp", &delta_qp));
  fail_unless_equals_int (delta_qp, 0);
  gst_buffer_unref (out);

  g_object_get (h->element, "boxes", &json, NULL);
  fail_unless_equals_string (json, "[[[250,250],[500,500]]]");
  g_free (json);

  /* Two boxes: two interop metas, both regions at 0. */
  g_object_set (
      h->element, "boxes", "[[0,0,100,100],[900,900,1000,1000]]", NULL);
  out = push_frame (h, FRAME, CONTENT_FLAT);
  fail_unless_equals_int (count_artic_rois (out, NULL), 2);
  fail_unless_equals_int (delta_at (out, 0, 0), 0);
  fail_unless_equals_int (delta_at (out, W - 1, H - 1), 0);
  fail_unless (delta_at (out, W / 2, H / 2) > 0);
  gst_buffer_unref (out);

  /* Explicit "no box" from the model: the uniform offset, no region. */
  g_object_set (h->element, "boxes", "[]", NULL);
  out = push_frame (h, 2 * FRAME, CONTENT_TEXT_TOP_LEFT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_UNIFORM);
  fail_unless (map_is_uniform (out, 18));
  fail_unless_equals_int (count_artic_rois (out, NULL), 0);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_event_both_directions)
{
  GstHarness *h = roi_harness (NULL);
  GstBuffer *out;
  guint i;

  out = push_frame (h, 0, CONTENT_FLAT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_UNIFORM);
  fail_unless (map_is_uniform (out, 18));
  fail_unless_equals_int (count_artic_rois (out, NULL), 0);
  gst_buffer_unref (out);

  /* Downstream: top-left quarter. */
  fail_unless (gst_harness_push_event (
      h, gst_artic_roi_boxes_event_new ("[0,0,250,250]", GST_CLOCK_TIME_NONE)));
  out = push_frame (h, FRAME, CONTENT_FLAT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_BOXES);
  fail_unless_equals_int (delta_at (out, 0, 0), 0);
  fail_unless (delta_at (out, W - 1, H - 1) > 0);
  gst_buffer_unref (out);

  /* Upstream (from the encoder side): bottom-right quarter. */
  fail_unless (gst_harness_push_upstream_event (
      h, gst_artic_roi_boxes_event_new (
             "{\"boxes\": [[750,750],[1000,1000]]}", GST_CLOCK_TIME_NONE)));
  out = push_frame (h, 2 * FRAME, CONTENT_FLAT);
  fail_unless_equals_int (delta_at (out, W - 1, H - 1), 0);
  fail_unless (delta_at (out, 0, 0) > 0);
  gst_buffer_unref (out);

  /* A flood of updates before the next frame: bounded, the newest wins. */
  for (i = 0; i < 1000; i++)
    fail_unless (gst_harness_push_event (
        h, gst_artic_roi_boxes_event_new (
               i < 999 ? "[0,0,100,100]" : "[750,750,1000,1000]",
               GST_CLOCK_TIME_NONE)));
  out = push_frame (h, 3 * FRAME, CONTENT_FLAT);
  fail_unless_equals_int (delta_at (out, W - 1, H - 1), 0);
  fail_unless (delta_at (out, 0, 0) > 0);
  gst_buffer_unref (out);

  /* A malformed event is refused; the boxes stay. */
  fail_if (gst_harness_push_upstream_event (
      h, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM,
             gst_structure_new (GST_ARTIC_ROI_BOXES_EVENT_NAME, "boxes",
                 G_TYPE_INT, 3, NULL))));
  fail_if (gst_harness_push_upstream_event (
      h, gst_artic_roi_boxes_event_new ("[[1,2],", GST_CLOCK_TIME_NONE)));
  out = push_frame (h, 3 * FRAME, CONTENT_FLAT);
  fail_unless_equals_int (delta_at (out, W - 1, H - 1), 0);
  fail_unless (delta_at (out, 0, 0) > 0);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_event_helpers)
{
  GstEvent *event = gst_artic_roi_boxes_event_new ("[1,2,3,4]", 5 * GST_SECOND);
  GstClockTime t = 0;
  gchar *json = NULL;

  fail_unless_equals_int (GST_EVENT_TYPE (event), GST_EVENT_CUSTOM_BOTH);
  fail_unless (gst_artic_roi_boxes_event_parse (event, &json, &t));
  fail_unless_equals_string (json, "[1,2,3,4]");
  fail_unless_equals_uint64 (t, 5 * GST_SECOND);
  g_free (json);
  gst_event_unref (event);

  event = gst_artic_roi_boxes_event_new ("[]", GST_CLOCK_TIME_NONE);
  fail_unless (gst_artic_roi_boxes_event_parse (event, NULL, &t));
  fail_unless_equals_uint64 (t, GST_CLOCK_TIME_NONE);
  gst_event_unref (event);

  /* Wrong name, wrong field types, not a custom event. */
  event = gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
      gst_structure_new ("other", "boxes", G_TYPE_STRING, "[]", NULL));
  fail_if (gst_artic_roi_boxes_event_parse (event, NULL, NULL));
  gst_event_unref (event);
  event = gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
      gst_structure_new (GST_ARTIC_ROI_BOXES_EVENT_NAME, "boxes", G_TYPE_STRING,
          "[]", "frame-time", G_TYPE_STRING, "soon", NULL));
  fail_if (gst_artic_roi_boxes_event_parse (event, NULL, NULL));
  gst_event_unref (event);
  event = gst_event_new_eos ();
  fail_if (gst_artic_roi_boxes_event_parse (event, NULL, NULL));
  gst_event_unref (event);
  ASSERT_CRITICAL (event = gst_artic_roi_boxes_event_new (NULL, 0));
  fail_unless (event == NULL);
}

GST_END_TEST;

GST_START_TEST (test_interpolation_between_updates)
{
  GstHarness *h = roi_harness (NULL);
  GstVideoRectangle rect;
  GstBuffer *out;

  g_object_set (h->element, "predict-ahead", (guint64) 0, NULL);
  fail_unless (gst_harness_push_event (
      h, gst_artic_roi_boxes_event_new ("[0,0,200,200]", 0)));
  /* The frame time may also come inside the JSON. */
  fail_unless (gst_harness_push_event (
      h, gst_artic_roi_boxes_event_new (
             "{\"boxes\": [800,0,1000,200], \"frame-time\": 1000000000}",
             GST_CLOCK_TIME_NONE)));

  out = push_frame (h, 0, CONTENT_FLAT);
  fail_unless_equals_int (count_artic_rois (out, &rect), 1);
  fail_unless_equals_int (rect.x, 0);
  gst_buffer_unref (out);

  /* Half way: [400,0,600,200] = pixels [128,192) x [0,48). */
  out = push_frame (h, GST_SECOND / 2, CONTENT_FLAT);
  fail_unless_equals_int (count_artic_rois (out, &rect), 1);
  fail_unless_equals_int (rect.x, 128);
  fail_unless_equals_int (rect.w, 64);
  fail_unless_equals_int (rect.y, 0);
  fail_unless_equals_int (rect.h, 48);
  fail_unless_equals_int (delta_at (out, 160, 20), 0);
  fail_unless (delta_at (out, 0, 20) > 0);
  fail_unless (delta_at (out, W - 1, 20) > 0);
  gst_buffer_unref (out);

  out = push_frame (h, GST_SECOND, CONTENT_FLAT);
  fail_unless_equals_int (count_artic_rois (out, &rect), 1);
  fail_unless_equals_int (rect.x, 256);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_prediction_ahead)
{
  GstHarness *h = roi_harness (NULL);
  GstVideoRectangle rect;
  GstBuffer *out;

  /* Moving right by 100 per 0.5 s: 1 s after the last update the box has
   * moved on by 200 (within the 1.5 s default horizon). */
  fail_unless (gst_harness_push_event (
      h, gst_artic_roi_boxes_event_new ("[0,0,100,100]", 0)));
  fail_unless (gst_harness_push_event (
      h, gst_artic_roi_boxes_event_new ("[100,0,200,100]", GST_SECOND / 2)));
  fail_unless (gst_harness_push_event (
      h, gst_artic_roi_boxes_event_new ("[200,0,300,100]", GST_SECOND)));
  out = push_frame (h, 2 * GST_SECOND, CONTENT_FLAT);
  fail_unless_equals_int (count_artic_rois (out, &rect), 1);
  /* [400,0,500,100] -> x 128. */
  fail_unless_equals_int (rect.x, 128);
  gst_buffer_unref (out);

  g_object_set (h->element, "predict-ahead", (guint64) 0, NULL);
  out = push_frame (h, 2 * GST_SECOND + FRAME, CONTENT_FLAT);
  fail_unless_equals_int (count_artic_rois (out, &rect), 1);
  fail_unless_equals_int (rect.x, 64); /* held as last seen */
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

#define CAPTURE_EPOCH G_GUINT64_CONSTANT (1764230400000000000)

/* A patch of random 4-px cells (no period a search could slip by) with its
 * top-left at (@px, @py) on a flat grey frame. */
static GstBuffer *
push_patch_frame (GstHarness *h, GstClockTime pts, guint px, guint py)
{
  GstVideoInfo info;
  GstBuffer *buf;
  GstVideoFrame frame;
  GstCaps *caps = gst_pad_get_current_caps (h->srcpad);
  guint x, y;

  fail_unless (gst_video_info_from_caps (&info, caps));
  gst_caps_unref (caps);
  buf = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  gst_buffer_memset (buf, 0, 128, GST_VIDEO_INFO_SIZE (&info));
  fail_unless (gst_video_frame_map (&frame, &info, buf, GST_MAP_WRITE));
  for (y = py; y < py + 32; y++) {
    guint8 *row = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
                  + y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);

    for (x = px; x < px + 48; x++)
      row[x] = (guint8) (g_int_hash (
                             &(guint){ ((y - py) / 4) * 64 + (x - px) / 4 })
                             * 2654435761u
                         >> 24);
  }
  gst_video_frame_unmap (&frame);
  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = FRAME;
  /* as articstamp stamps it: the wall clock at capture */
  artic_capture_time_set (buf, CAPTURE_EPOCH + pts);
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  return gst_harness_pull (h);
}

/* With follow, a box named in an earlier frame (its frame-time) is found
 * again by its content in the newer frames: the patch moves 4 px right per
 * frame, and the box named at frame 3 is on it at frames 10 and 11; held as
 * named (follow off), it stays 28-32 px behind. The frame may be named by
 * its capture time instead (what a receiver knows of it; pass 2), rounded
 * to microseconds. */
GST_START_TEST (test_follow)
{
  guint pass;

  for (pass = 0; pass < 3; pass++) {
    gboolean follow = pass > 0;
    GstHarness *h = roi_harness (NULL);
    GstVideoRectangle rect;
    GstBuffer *out;
    gchar *json;
    guint n;

    g_object_set (h->element, "follow", follow, "predict-ahead", (guint64) 0,
        "cues", 0, NULL);
    for (n = 0; n < 10; n++)
      gst_buffer_unref (push_patch_frame (h, n * FRAME, 40 + 4 * n, 100));
    /* the patch in frame 3: x 52..100 of 320, y 100..132 of 240 */
    json = g_strdup_printf ("{\"boxes\": [[[%.3f,%.3f],[%.3f,%.3f]]], "
                            "\"%s\": %" G_GUINT64_FORMAT "}",
        52 * 1000.0 / W, 100 * 1000.0 / H, 100 * 1000.0 / W, 132 * 1000.0 / H,
        pass == 2 ? "capture-time" : "frame-time",
        pass == 2 ? (CAPTURE_EPOCH + 3 * FRAME) / 1000 * 1000
                  : (guint64) (3 * FRAME));
    g_object_set (h->element, "boxes", json, NULL);
    g_free (json);
    for (n = 10; n < 12; n++) {
      out = push_patch_frame (h, n * FRAME, 40 + 4 * n, 100);
      fail_unless_equals_int (count_artic_rois (out, &rect), 1);
      fail_unless_equals_int (rect.w, 48);
      if (follow) {
        fail_unless (
            ABS (rect.x - (gint) (40 + 4 * n)) <= 2, "x %d at %u", rect.x, n);
        fail_unless (ABS (rect.y - 100) <= 2);
      } else {
        fail_unless_equals_int (rect.x, 52);
      }
      gst_buffer_unref (out);
    }
    {
      gboolean read_back;

      g_object_get (h->element, "follow", &read_back, NULL);
      fail_unless_equals_int (read_back, follow);
    }
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

GST_START_TEST (test_boxes_expire)
{
  GstHarness *h = roi_harness (NULL);
  GstBuffer *out;

  g_object_set (h->element, "box-timeout", (guint64) GST_SECOND, "boxes",
      "[[[0,0],[500,500]]]", NULL);
  out = push_frame (h, 0, CONTENT_FLAT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_BOXES);
  gst_buffer_unref (out);
  out = push_frame (h, GST_SECOND - FRAME, CONTENT_TEXT_TOP_LEFT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_BOXES);
  fail_unless_equals_int (count_artic_rois (out, NULL), 1);
  gst_buffer_unref (out);

  /* Stale: the cues take over (text at the top left), then uniform. */
  out = push_frame (h, GST_SECOND + FRAME, CONTENT_TEXT_TOP_LEFT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_CUES);
  fail_unless_equals_int (count_artic_rois (out, NULL), 0);
  gst_buffer_unref (out);
  /* The text vanishing is motion; one frame later nothing moves. */
  out = push_frame (h, GST_SECOND + 2 * FRAME, CONTENT_FLAT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_CUES);
  gst_buffer_unref (out);
  out = push_frame (h, GST_SECOND + 3 * FRAME, CONTENT_FLAT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_UNIFORM);
  fail_unless (map_is_uniform (out, 18));
  fail_unless_equals_int (count_artic_rois (out, NULL), 0);
  gst_buffer_unref (out);

  /* A frame time far in the future counts as now: the boxes still expire. */
  fail_unless (gst_harness_push_event (
      h, gst_artic_roi_boxes_event_new ("[0,0,500,500]", 1000 * GST_SECOND)));
  out = push_frame (h, 2 * GST_SECOND, CONTENT_FLAT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_BOXES);
  gst_buffer_unref (out);
  out = push_frame (h, 4 * GST_SECOND, CONTENT_FLAT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_UNIFORM);
  gst_buffer_unref (out);

  /* Fresh feedback brings them back. */
  g_object_set (h->element, "boxes", "[0,0,500,500]", NULL);
  out = push_frame (h, 4 * GST_SECOND + FRAME, CONTENT_FLAT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_BOXES);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_upstream_meta)
{
  GstHarness *h = roi_harness (NULL);
  GstVideoRectangle face = { 160, 120, 80, 60 }, rect;
  GstBuffer *out;

  out = push_frame_full (h, 0, CONTENT_FLAT, &face);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_UPSTREAM);
  fail_unless_equals_int (delta_at (out, 200, 150), 0);
  fail_unless (delta_at (out, 0, 0) > 0);
  /* The face meta stays; ours covers the same pixels. */
  fail_unless (gst_buffer_get_video_region_of_interest_meta_id (out, 0));
  fail_unless_equals_int (count_artic_rois (out, &rect), 1);
  fail_unless_equals_int (rect.x, 160);
  fail_unless_equals_int (rect.y, 120);
  fail_unless_equals_int (rect.w, 80);
  fail_unless_equals_int (rect.h, 60);
  gst_buffer_unref (out);

  /* Feedback outranks it. */
  g_object_set (h->element, "boxes", "[0,0,100,100]", NULL);
  out = push_frame_full (h, FRAME, CONTENT_FLAT, &face);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_BOXES);
  fail_unless_equals_int (delta_at (out, 0, 0), 0);
  fail_unless (delta_at (out, 200, 150) > 0);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_own_meta_replaced)
{
  GstHarness *h = gst_harness_new_parse (
      "articroi boxes=[0,0,100,100] ! articroi boxes=[900,900,1000,1000]");
  GstVideoRectangle rect;
  GstBuffer *out;

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=I420,width=320,height=240,framerate=30/1");
  out = push_frame (h, 0, CONTENT_FLAT);
  /* The second element replaces the first's regions, not adds to them. */
  fail_unless_equals_int (count_artic_rois (out, &rect), 1);
  fail_unless_equals_int (rect.x, 288);
  fail_unless_equals_int (delta_at (out, W - 1, H - 1), 0);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_cues_text)
{
  GstHarness *h = roi_harness (NULL);
  GstBuffer *out;

  out = push_frame (h, 0, CONTENT_TEXT_TOP_LEFT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_CUES);
  fail_unless_equals_int (delta_at (out, 40, 30), 0);
  fail_unless (delta_at (out, 200, 160) > delta_at (out, 40, 30));
  fail_unless (delta_at (out, W - 1, H - 1) > 0);
  gst_buffer_unref (out);

  /* Text cue off: nothing else says anything about a static frame. */
  g_object_set (h->element, "cues", ARTIC_ROI_CUE_MOTION, NULL);
  out = push_frame (h, FRAME, CONTENT_TEXT_TOP_LEFT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_UNIFORM);
  fail_unless (map_is_uniform (out, 18));
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_cues_motion)
{
  GstHarness *h = roi_harness (NULL);
  GstBuffer *out;

  g_object_set (h->element, "cues", ARTIC_ROI_CUE_MOTION, NULL);
  gst_buffer_unref (push_frame (h, 0, CONTENT_FLAT));
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_UNIFORM);
  /* A square appears: its blocks changed, the rest did not. */
  out = push_frame (h, FRAME, CONTENT_SQUARE);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_CUES);
  fail_unless_equals_int (delta_at (out, 180, 120), 0);
  fail_unless (delta_at (out, 0, 0) > 0);
  gst_buffer_unref (out);
  /* It stays: no motion any more. */
  out = push_frame (h, 2 * FRAME, CONTENT_SQUARE);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_UNIFORM);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_bad_json_keeps_boxes)
{
  static const gchar *bad[] = { "[[[250,250],[500,", "not json",
    "[[1,2],[3,\"4\"]]", "{\"boxes\": [1,2,3,4], \"frame-time\": -5}",
    "{\"boxes\": [1,2,3,4], \"frame-time\": 1.5}", "[[[[[[[[[[[[1]]]]]]]]]]]]",
    "", "[1,2,3]" };
  GstHarness *h = roi_harness (NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GstBuffer *out;
  gchar *json;
  guint i;

  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "boxes", "[0,0,250,250]", NULL);
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_object_set (h->element, "boxes", bad[i], NULL);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
    fail_unless (msg != NULL, "no warning for %s", bad[i]);
    gst_message_unref (msg);
  }
  g_object_get (h->element, "boxes", &json, NULL);
  fail_unless_equals_string (json, "[0,0,250,250]");
  g_free (json);
  out = push_frame (h, 0, CONTENT_FLAT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_BOXES);
  fail_unless_equals_int (delta_at (out, 0, 0), 0);
  fail_unless (delta_at (out, W - 1, H - 1) > 0);
  gst_buffer_unref (out);

  /* Out-of-range coordinates are clamped, not refused. */
  g_object_set (h->element, "boxes", "[-500,-500,2000,250]", NULL);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  out = push_frame (h, FRAME, CONTENT_FLAT);
  fail_unless_equals_int (delta_at (out, W - 1, 0), 0);
  fail_unless (delta_at (out, W - 1, H - 1) > 0);
  gst_buffer_unref (out);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_resolution_change)
{
  GstHarness *h = roi_harness (NULL);
  GstVideoRectangle rect;
  GstBuffer *out;

  g_object_set (h->element, "boxes", "[500,500,1000,1000]", NULL);
  out = push_frame (h, 0, CONTENT_SQUARE);
  fail_unless_equals_int (get_map (out)->cols, 20);
  gst_buffer_unref (out);

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=NV12,width=170,height=90,framerate=30/1");
  out = push_frame (h, FRAME, CONTENT_FLAT);
  fail_unless_equals_int (get_map (out)->width, 170);
  fail_unless_equals_int (get_map (out)->height, 90);
  fail_unless_equals_int (get_map (out)->cols, 11); /* partial edge block */
  fail_unless_equals_int (get_map (out)->rows, 6);
  fail_unless_equals_int (count_artic_rois (out, &rect), 1);
  fail_unless_equals_int (rect.x, 85);
  fail_unless_equals_int (rect.y, 45);
  fail_unless_equals_int (delta_at (out, 169, 89), 0);
  gst_buffer_unref (out);

  /* Expired boxes, new size, motion cue: nothing to compare with. */
  g_object_set (h->element, "boxes", "[]", "box-timeout", (guint64) 1, NULL);
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=GRAY8,width=64,height=48,framerate=30/1");
  out = push_frame (h, 2 * FRAME, CONTENT_FLAT);
  out = (gst_buffer_unref (out), push_frame (h, 3 * FRAME, CONTENT_FLAT));
  fail_unless_equals_int (get_map (out)->cols, 4);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_UNIFORM);
  gst_buffer_unref (out);

  /* Down to a single pixel. */
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=GRAY8,width=1,height=1,framerate=30/1");
  out = push_frame (h, 4 * FRAME, CONTENT_FLAT);
  fail_unless_equals_int (get_map (out)->cols, 1);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_properties_out_of_range)
{
  GstHarness *h = roi_harness (NULL);
  guint block_size;
  gdouble gamma;
  gint max_delta, base;
  guint64 timeout;
  GstBuffer *out;

  ASSERT_WARNING (g_object_set (h->element, "block-size", 4, NULL));
  ASSERT_WARNING (g_object_set (h->element, "block-size", 1000, NULL));
  ASSERT_WARNING (g_object_set (h->element, "gamma", 0.0, NULL));
  ASSERT_WARNING (g_object_set (h->element, "max-delta", 100, NULL));
  ASSERT_WARNING (g_object_set (h->element, "base", -1, NULL));
  ASSERT_WARNING (
      g_object_set (h->element, "box-timeout", G_MAXUINT64 - 1, NULL));
  g_object_get (h->element, "block-size", &block_size, "gamma", &gamma,
      "max-delta", &max_delta, "base", &base, "box-timeout", &timeout, NULL);
  fail_unless_equals_int (block_size, 16);
  fail_unless_equals_float (gamma, 3.0);
  fail_unless_equals_int (max_delta, 25);
  fail_unless_equals_int (base, 26);
  fail_unless_equals_uint64 (timeout, 3 * GST_SECOND);

  /* Valid changes while playing take effect on the next frame. */
  g_object_set (
      h->element, "block-size", 64, "no-box-delta", 30, "cues", 0, NULL);
  out = push_frame (h, 0, CONTENT_TEXT_TOP_LEFT);
  fail_unless_equals_int (get_map (out)->cols, 5);
  fail_unless (map_is_uniform (out, 30));
  gst_buffer_unref (out);
  g_object_set (h->element, "boxes", "[0,0,100,100]", "max-delta", 5, NULL);
  out = push_frame (h, FRAME, CONTENT_FLAT);
  fail_unless_equals_int (delta_at (out, W - 1, H - 1), 5);
  fail_unless_equals_int (delta_at (out, 0, 0), 0);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_disabled_passes_frames)
{
  GstHarness *h = roi_harness (NULL);
  GstBuffer *out;

  g_object_set (h->element, "enabled", FALSE, "boxes", "[0,0,100,100]", NULL);
  out = push_frame (h, 0, CONTENT_FLAT);
  fail_unless (gst_buffer_get_artic_qp_map_meta (out) == NULL);
  fail_unless_equals_int (count_artic_rois (out, NULL), 0);
  gst_buffer_unref (out);
  g_object_set (h->element, "enabled", TRUE, NULL);
  out = push_frame (h, FRAME, CONTENT_FLAT);
  fail_unless (gst_buffer_get_artic_qp_map_meta (out) != NULL);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_boxes_survive_restart)
{
  GstHarness *h = roi_harness (NULL);
  GstBuffer *out;

  g_object_set (h->element, "boxes", "[0,0,100,100]", NULL);
  gst_buffer_unref (push_frame (h, 10 * GST_SECOND, CONTENT_FLAT));
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_BOXES);
  /* A flush resets running time; the property's boxes apply again. */
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=I420,width=320,height=240,framerate=30/1");
  out = push_frame (h, 0, CONTENT_FLAT);
  fail_unless_equals_int (get_source (h), ARTIC_ROI_SOURCE_BOXES);
  fail_unless_equals_int (delta_at (out, 0, 0), 0);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
articroi_suite (void)
{
  Suite *s = suite_create ("articroi");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_boxes_property);
  tcase_add_test (tc, test_event_both_directions);
  tcase_add_test (tc, test_event_helpers);
  tcase_add_test (tc, test_interpolation_between_updates);
  tcase_add_test (tc, test_prediction_ahead);
  tcase_add_test (tc, test_boxes_expire);
  tcase_add_test (tc, test_follow);
  tcase_add_test (tc, test_upstream_meta);
  tcase_add_test (tc, test_own_meta_replaced);
  tcase_add_test (tc, test_cues_text);
  tcase_add_test (tc, test_cues_motion);
  tcase_add_test (tc, test_bad_json_keeps_boxes);
  tcase_add_test (tc, test_resolution_change);
  tcase_add_test (tc, test_properties_out_of_range);
  tcase_add_test (tc, test_disabled_passes_frames);
  tcase_add_test (tc, test_boxes_survive_restart);
  return s;
}

/* The test links the elements (for the event helpers and the meta API), so
 * it registers them statically instead of loading the plugin file: two
 * copies of the same types cannot coexist in one process. */
int
main (int argc, char **argv)
{
  gst_check_init (&argc, &argv);
  if (!gst_artic_elements_register_static ())
    return 1;
  return gst_check_run_suite (articroi_suite (), "articroi", __FILE__);
}
