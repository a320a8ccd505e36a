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

/* On-the-fly rendering of lite-suite items. */

#define G_LOG_DOMAIN "devibench"

#include <math.h>
#include <string.h>

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/video/video.h>
#include <pango/pangocairo.h>

#include "artic-devibench-csv.h"
#include "artic-devibench-render.h"
#include "artic-devibench-score.h"

/* Global motion is estimated on the frame subsampled by this factor, over
 * this many subsampled pixels each way. */
#define MOTION_SUB 4
#define MOTION_RANGE 6
#define MOTION_W (ARTIC_DEVIBENCH_LITE_WIDTH / MOTION_SUB)
#define MOTION_H (ARTIC_DEVIBENCH_LITE_HEIGHT / MOTION_SUB)
/* How long a pull may wait before the pipeline is declared stuck. */
#define PULL_TIMEOUT (20 * GST_SECOND)
#define PULL_STEP (100 * GST_MSECOND)

typedef struct
{
  GstClockTime pts;
  gint x, y, w, h;
} Box;

struct _ArticDevibenchRender
{
  ArticDevibenchLiteItem *item;
  GstElement *pipeline;
  GstElement *sink;
  GstClockTime start;
  GstClockTime end;
  GstSegment segment; /* the demuxer's, as it reaches the trim */
  gboolean eos_sent;
  gboolean started;

  /* Scene motion, accumulated over the item (pixels of the output). */
  guint8 *prev_luma;
  gdouble track_x, track_y;

  GMutex lock;
  GArray *boxes; /* Box, one per drawn frame */

  gint8 *noise; /* NOISE_TABLE + WIDTH Gaussian values, NULL: no noise */
};

/* Camera noise comes from one table of Gaussian values per render; each
 * row of each frame starts at its own pseudo-random offset, which is much
 * cheaper than drawing a number per pixel and looks as random to an
 * encoder. */
#define NOISE_TABLE (1 << 16)

/* The clip's position of a decoded buffer: its running time in the
 * demuxer's segment. qtdemux stamps B-frame streams with their decoding
 * delay added (vtest-20s.mp4: segment start 0.2 s), so the raw time stamps
 * are not the clip's seconds. */
static GstClockTime
clip_position (ArticDevibenchRender *r, GstClockTime pts)
{
  if (r->segment.format != GST_FORMAT_TIME)
    return pts;
  return gst_segment_to_running_time (&r->segment, GST_FORMAT_TIME, pts);
}

/* Downstream keeps the demuxer's segment, with its stop at the end of the
 * item: videorate fills up to a segment's stop at EOS, and with the clip's
 * own stop it repeated the last frame for most of a second. */
static GstPadProbeReturn
trim_segment (ArticDevibenchRender *r, GstPadProbeInfo *info)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstSegment segment;

  gst_event_copy_segment (event, &r->segment);
  if (r->segment.format != GST_FORMAT_TIME)
    return GST_PAD_PROBE_OK;
  segment = r->segment;
  segment.stop = segment.start + (r->end - r->start);
  gst_event_unref (event);
  GST_PAD_PROBE_INFO_DATA (info) = gst_event_new_segment (&segment);
  return GST_PAD_PROBE_OK;
}

/* Cuts the decoded clip to [start, end) of the clip's seconds and restamps
 * it, so that everything downstream sees a five-second stream whose running
 * time 0 is the item's start. */
static GstPadProbeReturn
trim_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticDevibenchRender *r = user_data;
  GstBuffer *buf;
  GstClockTime pts, position;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_SEGMENT)
      return trim_segment (r, info);
    return GST_PAD_PROBE_OK;
  }
  buf = GST_PAD_PROBE_INFO_BUFFER (info);
  pts = GST_BUFFER_PTS (buf);
  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return GST_PAD_PROBE_OK;
  /* No running time: before the demuxer's segment. */
  position = clip_position (r, pts);
  if (!GST_CLOCK_TIME_IS_VALID (position))
    return GST_PAD_PROBE_DROP;
  /* Half a source frame of slack so the frame at `start` is kept. */
  if (position + 20 * GST_MSECOND < r->start)
    return GST_PAD_PROBE_DROP;
  if (position >= r->end) {
    if (!r->eos_sent) {
      r->eos_sent = TRUE;
      /* Into this pad as if from upstream: everything downstream drains. */
      gst_pad_send_event (pad, gst_event_new_eos ());
    }
    return GST_PAD_PROBE_DROP;
  }
  /* The segment keeps its start, so running time = position - start. */
  buf = gst_buffer_make_writable (buf);
  GST_BUFFER_PTS (buf) = pts > r->start ? pts - r->start : 0;
  GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  return GST_PAD_PROBE_OK;
}

/* Mean absolute difference of the current to the previous subsampled luma
 * shifted by (dx, dy), on the interior that stays inside both. */
static gdouble
motion_cost (const guint8 *cur, const guint8 *prev, gint dx, gint dy)
{
  guint64 sum = 0;
  guint n = 0;
  gint x, y;

  for (y = MOTION_RANGE; y < MOTION_H - MOTION_RANGE; y += 2) {
    for (x = MOTION_RANGE; x < MOTION_W - MOTION_RANGE; x += 2) {
      sum += ABS ((gint) cur[y * MOTION_W + x]
                  - (gint) prev[(y - dy) * MOTION_W + (x - dx)]);
      n++;
    }
  }
  return (gdouble) sum / n;
}

/* Sub-pixel refinement: the vertex of the parabola through three costs. */
static gdouble
parabola (gdouble left, gdouble mid, gdouble right)
{
  gdouble den = left - 2 * mid + right;

  return den > 1e-9 ? CLAMP (0.5 * (left - right) / den, -0.5, 0.5) : 0;
}

static void
estimate_motion (ArticDevibenchRender *r, const guint8 *cur)
{
  gdouble best = G_MAXDOUBLE, costs[2 * MOTION_RANGE + 1][2 * MOTION_RANGE + 1];
  gint dx, dy, bx = 0, by = 0;
  gdouble fx = 0, fy = 0;

  for (dy = -MOTION_RANGE; dy <= MOTION_RANGE; dy++) {
    for (dx = -MOTION_RANGE; dx <= MOTION_RANGE; dx++) {
      gdouble c = motion_cost (cur, r->prev_luma, dx, dy);

      costs[dy + MOTION_RANGE][dx + MOTION_RANGE] = c;
      /* Prefer no motion on ties: a static scene must not drift. */
      if (c < best - 1e-9
          || (c <= best + 1e-9 && ABS (dx) + ABS (dy) < ABS (bx) + ABS (by))) {
        best = c;
        bx = dx;
        by = dy;
      }
    }
  }
  if (ABS (bx) < MOTION_RANGE && ABS (by) < MOTION_RANGE) {
    gint cx = bx + MOTION_RANGE, cy = by + MOTION_RANGE;

    fx = parabola (costs[cy][cx - 1], costs[cy][cx], costs[cy][cx + 1]);
    fy = parabola (costs[cy - 1][cx], costs[cy][cx], costs[cy + 1][cx]);
  }
  r->track_x += (bx + fx) * MOTION_SUB;
  r->track_y += (by + fy) * MOTION_SUB;
}

/* Before the overlay: measures how far the scene moved since the previous
 * frame (green channel of BGRx as luma). */
static GstPadProbeReturn
motion_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticDevibenchRender *r = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;
  guint8 *luma;
  gsize stride = ARTIC_DEVIBENCH_LITE_WIDTH * 4;
  gint x, y;

  if (!r->item->track || !gst_buffer_map (buf, &map, GST_MAP_READ))
    return GST_PAD_PROBE_OK;
  if (map.size < stride * ARTIC_DEVIBENCH_LITE_HEIGHT) {
    gst_buffer_unmap (buf, &map);
    return GST_PAD_PROBE_OK;
  }
  luma = g_malloc (MOTION_W * MOTION_H);
  for (y = 0; y < MOTION_H; y++) {
    for (x = 0; x < MOTION_W; x++)
      luma[y * MOTION_W + x]
          = map.data[(gsize) y * MOTION_SUB * stride + x * MOTION_SUB * 4 + 1];
  }
  gst_buffer_unmap (buf, &map);
  if (r->prev_luma != NULL)
    estimate_motion (r, luma);
  g_free (r->prev_luma);
  r->prev_luma = luma;
  return GST_PAD_PROBE_OK;
}

static void
set_source_rgb (cairo_t *cr, guint32 rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0,
      ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

static void
draw_sign (ArticDevibenchRender *r, cairo_t *cr,
    const ArticDevibenchLiteSign *sign, gdouble t, GstClockTime pts)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font
      = pango_font_description_from_string (ARTIC_DEVIBENCH_LITE_FONT);
  PangoRectangle ink, logical;
  gdouble pad = MAX (3.0, sign->font_px * 0.45);
  gdouble x, y, w, h;

  pango_font_description_set_absolute_size (font, sign->font_px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, sign->text, -1);
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  w = logical.width + 2 * pad;
  h = logical.height + 2 * pad;
  artic_devibench_lite_sign_position (sign, t, &x, &y);
  x = CLAMP (x + r->track_x, 0, ARTIC_DEVIBENCH_LITE_WIDTH - w);
  y = CLAMP (y + r->track_y, 0, ARTIC_DEVIBENCH_LITE_HEIGHT - h);

  set_source_rgb (cr, sign->bg);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);
  set_source_rgb (cr, sign->fg);
  cairo_move_to (cr, x + pad, y + pad);
  pango_cairo_show_layout (cr, layout);

  if (sign->target) {
    Box box = { pts, (gint) floor (x), (gint) floor (y), (gint) ceil (w) + 1,
      (gint) ceil (h) + 1 };

    g_mutex_lock (&r->lock);
    g_array_append_val (r->boxes, box);
    g_mutex_unlock (&r->lock);
  }
  pango_font_description_free (font);
  g_object_unref (layout);
}

static gint8 *
noise_table_new (const ArticDevibenchLiteItem *item)
{
  GRand *rand = g_rand_new_with_seed (item->candidate ^ 0x6e015eu);
  gint8 *table = g_new (gint8, NOISE_TABLE + ARTIC_DEVIBENCH_LITE_WIDTH);
  guint i;

  for (i = 0; i < NOISE_TABLE + ARTIC_DEVIBENCH_LITE_WIDTH; i++) {
    /* Box-Muller. */
    gdouble u = g_rand_double_range (rand, 1e-12, 1), v = g_rand_double (rand);
    gdouble n = sqrt (-2 * log (u)) * cos (2 * G_PI * v) * item->noise;

    table[i] = (gint8) CLAMP (lround (n), -127, 127);
  }
  g_rand_free (rand);
  return table;
}

static inline guint8
add_clamped (guint8 v, gint n)
{
  return (guint8) CLAMP ((gint) v + n, 0, 255);
}

/* Adds the same noise to B, G and R (luma noise, as a camera's is mostly)
 * of the BGRx frame that cairooverlay hands us, different in every frame
 * and reproducible for a given item and frame. */
static void
add_noise (ArticDevibenchRender *r, cairo_t *cr, guint64 frame)
{
  cairo_surface_t *surface = cairo_get_target (cr);
  guint8 *data;
  gint stride, w, h, x, y;
  guint32 state = (guint32) (frame * 2654435761u) ^ (r->item->candidate + 1);

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  if (data == NULL)
    return;
  stride = cairo_image_surface_get_stride (surface);
  w = MIN (cairo_image_surface_get_width (surface), ARTIC_DEVIBENCH_LITE_WIDTH);
  h = cairo_image_surface_get_height (surface);
  for (y = 0; y < h; y++) {
    guint8 *p = data + (gsize) y * stride;
    const gint8 *n;

    /* xorshift32: the row's offset into the table. */
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    n = r->noise + state % NOISE_TABLE;
    for (x = 0; x < w; x++, p += 4) {
      p[0] = add_clamped (p[0], n[x]);
      p[1] = add_clamped (p[1], n[x]);
      p[2] = add_clamped (p[2], n[x]);
    }
  }
  cairo_surface_mark_dirty (surface);
}

static void
on_draw (GstElement *overlay, cairo_t *cr, guint64 timestamp, guint64 duration,
    gpointer user_data)
{
  ArticDevibenchRender *r = user_data;
  gdouble t = GST_CLOCK_TIME_IS_VALID (timestamp)
                  ? (gdouble) timestamp / GST_SECOND
                  : 0;
  guint i;

  for (i = 0; i < r->item->signs->len; i++)
    draw_sign (r, cr, g_ptr_array_index (r->item->signs, i), t, timestamp);
  if (r->noise != NULL)
    add_noise (r, cr, (guint64) llround (t * ARTIC_DEVIBENCH_LITE_FPS));
}

static gboolean
add_probe (GstElement *pipeline, const gchar *name, const gchar *pad_name,
    GstPadProbeType type, GstPadProbeCallback cb, gpointer data)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), name);
  GstPad *pad;

  if (e == NULL)
    return FALSE;
  pad = gst_element_get_static_pad (e, pad_name);
  gst_pad_add_probe (pad, type, cb, data, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
  return TRUE;
}

ArticDevibenchRender *
artic_devibench_render_new (const ArticDevibenchLiteItem *item,
    const gchar *media_dir, const gchar *tail, GError **error)
{
  ArticDevibenchRender *r;
  gchar *path, *escaped, *desc;
  GstElement *overlay;

  path = g_build_filename (media_dir, item->clip, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "%s: clip '%s' does not exist", item->id, path);
    g_free (path);
    return NULL;
  }
  r = g_new0 (ArticDevibenchRender, 1);
  r->item = artic_devibench_lite_item_copy (item);
  r->start = (GstClockTime) (item->start_time * GST_SECOND);
  r->end
      = r->start + (GstClockTime) (ARTIC_DEVIBENCH_LITE_DURATION * GST_SECOND);
  r->boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  g_mutex_init (&r->lock);
  if (item->noise > 0)
    r->noise = noise_table_new (item);

  escaped = g_strescape (path, NULL);
  desc = g_strdup_printf (
      "filesrc location=\"%s\" ! decodebin ! "
      "videoconvert name=trim ! aspectratiocrop aspect-ratio=16/9 ! "
      "videoscale ! videorate ! video/x-raw,format=BGRx,width=%d,height=%d,"
      "framerate=%d/1,pixel-aspect-ratio=1/1 ! "
      "cairooverlay name=overlay ! %s",
      escaped, ARTIC_DEVIBENCH_LITE_WIDTH, ARTIC_DEVIBENCH_LITE_HEIGHT,
      ARTIC_DEVIBENCH_LITE_FPS, tail);
  r->pipeline
      = gst_parse_launch_full (desc, NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);
  g_free (desc);
  g_free (escaped);
  g_free (path);
  if (r->pipeline == NULL) {
    artic_devibench_render_free (r);
    return NULL;
  }
  r->sink = gst_bin_get_by_name (GST_BIN (r->pipeline), "sink");
  overlay = gst_bin_get_by_name (GST_BIN (r->pipeline), "overlay");
  if (r->sink == NULL || !GST_IS_APP_SINK (r->sink) || overlay == NULL) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "render pipeline needs an appsink named 'sink'");
    gst_clear_object (&overlay);
    artic_devibench_render_free (r);
    return NULL;
  }
  g_signal_connect (overlay, "draw", G_CALLBACK (on_draw), r);
  gst_object_unref (overlay);
  add_probe (r->pipeline, "trim", "sink",
      GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      trim_probe, r);
  add_probe (r->pipeline, "overlay", "sink", GST_PAD_PROBE_TYPE_BUFFER,
      motion_probe, r);
  return r;
}

GstElement *
artic_devibench_render_pipeline (ArticDevibenchRender *render)
{
  return render->pipeline;
}

static void
take_bus_error (ArticDevibenchRender *r, GError **error)
{
  GstBus *bus = gst_element_get_bus (r->pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (msg != NULL) {
    GError *err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "%s (%s): %s", r->item->id, r->item->clip, err->message);
    g_error_free (err);
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
}

GstSample *
artic_devibench_render_pull (ArticDevibenchRender *render, GError **error)
{
  GstSample *sample;
  GstClockTime waited;
  GError *local = NULL;

  if (!render->started) {
    render->started = TRUE;
    if (gst_element_set_state (render->pipeline, GST_STATE_PLAYING)
        == GST_STATE_CHANGE_FAILURE) {
      take_bus_error (render, &local);
      if (local == NULL)
        g_set_error (&local, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
            "%s: cannot start the pipeline", render->item->id);
      g_propagate_error (error, local);
      return NULL;
    }
  }
  /* Short waits, so that a pipeline error (a broken clip) is noticed at
   * once rather than after the whole timeout. */
  for (waited = 0; waited < PULL_TIMEOUT; waited += PULL_STEP) {
    sample
        = gst_app_sink_try_pull_sample (GST_APP_SINK (render->sink), PULL_STEP);
    if (sample != NULL || gst_app_sink_is_eos (GST_APP_SINK (render->sink)))
      return sample;
    take_bus_error (render, &local);
    if (local != NULL) {
      g_propagate_error (error, local);
      return NULL;
    }
  }
  g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
      "%s: no frame within %u s", render->item->id,
      (guint) (PULL_TIMEOUT / GST_SECOND));
  return NULL;
}

gboolean
artic_devibench_render_target_box (ArticDevibenchRender *render,
    GstClockTime pts, gint *x, gint *y, gint *w, gint *h)
{
  gboolean found = FALSE;
  guint i;

  g_mutex_lock (&render->lock);
  for (i = 0; i < render->boxes->len; i++) {
    Box *b = &g_array_index (render->boxes, Box, i);

    if (b->pts == pts) {
      *x = b->x;
      *y = b->y;
      *w = b->w;
      *h = b->h;
      found = TRUE;
      break;
    }
  }
  g_mutex_unlock (&render->lock);
  return found;
}

void
artic_devibench_render_free (ArticDevibenchRender *render)
{
  if (render == NULL)
    return;
  if (render->pipeline != NULL) {
    gst_element_set_state (render->pipeline, GST_STATE_NULL);
    gst_object_unref (render->pipeline);
  }
  gst_clear_object (&render->sink);
  g_array_unref (render->boxes);
  g_mutex_clear (&render->lock);
  g_free (render->prev_luma);
  g_free (render->noise);
  artic_devibench_lite_item_free (render->item);
  g_free (render);
}

static GstPadProbeReturn
count_bytes (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  guint64 *bytes = user_data;

  *bytes += gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info));
  return GST_PAD_PROBE_OK;
}

/* The index of the sampling time this frame is the nearest frame to, or
 * -1. */
static gint
wanted (GstClockTime pts, const gdouble *times, guint n_times)
{
  gint frame
      = (gint) lround ((gdouble) pts * ARTIC_DEVIBENCH_LITE_FPS / GST_SECOND);
  guint i;

  for (i = 0; i < n_times; i++) {
    if (lround (times[i] * ARTIC_DEVIBENCH_LITE_FPS) == frame)
      return (gint) i;
  }
  return -1;
}

static gboolean
read_frame (ArticDevibenchRender *r, GstSample *sample, ArticDevibenchOcr *ocr,
    const gchar *answer, gint min_confidence)
{
  gint confidence = 0;
  GstBuffer *buf = gst_sample_get_buffer (sample);
  GstVideoInfo info;
  GstVideoFrame frame;
  gint x, y, w, h;
  gchar *text;
  gboolean ok;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      || GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_GRAY8
      || !artic_devibench_render_target_box (
          r, GST_BUFFER_PTS (buf), &x, &y, &w, &h)
      || !gst_video_frame_map (&frame, &info, buf, GST_MAP_READ))
    return FALSE;
  text = artic_devibench_ocr_read (ocr, GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
      GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0), GST_VIDEO_INFO_WIDTH (&info),
      GST_VIDEO_INFO_HEIGHT (&info), x, y, w, h, &confidence);
  gst_video_frame_unmap (&frame);
  ok = artic_devibench_contains_match (text, answer)
       && confidence >= min_confidence;
  g_debug ("pts %" GST_TIME_FORMAT " box %dx%d+%d+%d read '%s' conf %d (%s)",
      GST_TIME_ARGS (GST_BUFFER_PTS (buf)), w, h, x, y, text, confidence,
      ok ? "match" : "no match");
  g_free (text);
  return ok;
}

gboolean
artic_devibench_render_read_item (const ArticDevibenchLiteItem *item,
    const gchar *media_dir, guint bitrate_kbps, const gdouble *times,
    guint n_times, ArticDevibenchOcr *ocr, guint *reads, guint64 *encoded_bytes,
    GError **error)
{
  return artic_devibench_render_read_item_full (item, media_dir, bitrate_kbps,
      times, n_times, ocr, 0, FALSE, reads, encoded_bytes, error);
}

gboolean
artic_devibench_render_read_item_full (const ArticDevibenchLiteItem *item,
    const gchar *media_dir, guint bitrate_kbps, const gdouble *times,
    guint n_times, ArticDevibenchOcr *ocr, gint min_confidence,
    gboolean stop_at_miss, guint *reads, guint64 *encoded_bytes, GError **error)
{
  gboolean missed = FALSE;
  gchar *tail;
  ArticDevibenchRender *r;
  GstSample *sample;
  GError *local = NULL;

  *reads = 0;
  *encoded_bytes = 0;
  if (bitrate_kbps == 0)
    tail = g_strdup (ARTIC_DEVIBENCH_RENDER_GRAY_TAIL);
  else
    tail = g_strdup_printf (
        "videoconvert ! video/x-raw,format=I420 ! "
        "vp8enc name=enc deadline=1 cpu-used=8 end-usage=cbr "
        "target-bitrate=%u ! vp8dec ! " ARTIC_DEVIBENCH_RENDER_GRAY_TAIL,
        bitrate_kbps * 1000);
  r = artic_devibench_render_new (item, media_dir, tail, error);
  g_free (tail);
  if (r == NULL)
    return FALSE;
  if (bitrate_kbps != 0)
    add_probe (r->pipeline, "enc", "src", GST_PAD_PROBE_TYPE_BUFFER,
        count_bytes, encoded_bytes);

  while ((sample = artic_devibench_render_pull (r, &local)) != NULL) {
    GstBuffer *buf = gst_sample_get_buffer (sample);

    if (wanted (GST_BUFFER_PTS (buf), times, n_times) >= 0) {
      if (read_frame (r, sample, ocr, item->answer, min_confidence))
        (*reads)++;
      else
        missed = TRUE;
    }
    gst_sample_unref (sample);
    /* The caller only wants to know whether all frames read. */
    if (missed && stop_at_miss)
      break;
  }
  artic_devibench_render_free (r);
  if (local != NULL) {
    g_propagate_error (error, local);
    return FALSE;
  }
  return TRUE;
}

gboolean
artic_devibench_render_snapshot (const ArticDevibenchLiteItem *item,
    const gchar *media_dir, guint bitrate_kbps, gdouble t, const gchar *path,
    GError **error)
{
  gchar *tail;
  ArticDevibenchRender *r;
  GstSample *sample;
  GError *local = NULL;
  gboolean written = FALSE;
  gint frame_no = (gint) lround (t * ARTIC_DEVIBENCH_LITE_FPS);

  if (bitrate_kbps == 0)
    tail = g_strdup ("videoconvert ! video/x-raw,format=BGRx ! "
                     "appsink name=sink sync=false max-buffers=4");
  else
    tail = g_strdup_printf (
        "videoconvert ! video/x-raw,format=I420 ! "
        "vp8enc deadline=1 cpu-used=8 end-usage=cbr target-bitrate=%u ! "
        "vp8dec ! videoconvert ! video/x-raw,format=BGRx ! "
        "appsink name=sink sync=false max-buffers=4",
        bitrate_kbps * 1000);
  r = artic_devibench_render_new (item, media_dir, tail, error);
  g_free (tail);
  if (r == NULL)
    return FALSE;
  while (!written && (sample = artic_devibench_render_pull (r, &local))) {
    GstBuffer *buf = gst_sample_get_buffer (sample);
    GstVideoInfo info;
    GstVideoFrame frame;

    if (lround ((gdouble) GST_BUFFER_PTS (buf) * ARTIC_DEVIBENCH_LITE_FPS
                / GST_SECOND)
            >= frame_no
        && gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
        && gst_video_frame_map (&frame, &info, buf, GST_MAP_READ)) {
      /* BGRx in memory is cairo's RGB24 on little-endian machines. */
      cairo_surface_t *surface = cairo_image_surface_create_for_data (
          GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), CAIRO_FORMAT_RGB24,
          GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info),
          GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0));

      if (cairo_surface_write_to_png (surface, path) != CAIRO_STATUS_SUCCESS)
        g_set_error (&local, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
            "cannot write '%s'", path);
      cairo_surface_destroy (surface);
      gst_video_frame_unmap (&frame);
      written = TRUE;
    }
    gst_sample_unref (sample);
  }
  artic_devibench_render_free (r);
  if (local == NULL && !written)
    g_set_error (&local, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "%s: no frame at %.2f s", item->id, t);
  if (local != NULL) {
    g_propagate_error (error, local);
    return FALSE;
  }
  return TRUE;
}

/* The writing half of artic_devibench_render_to_file: the rendered frames
 * go in through an appsrc. */
static GstElement *
render_file_pipeline (const gchar *path, GError **error)
{
  GstElement *pipeline, *sink;

  pipeline = gst_parse_launch_full (
      "appsrc name=src format=time ! videoconvert ! "
      "vp8enc deadline=1 cpu-used=4 end-usage=cq cq-level=4 "
      "target-bitrate=20000000 keyframe-max-dist=30 ! webmmux ! "
      "filesink name=out",
      NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);
  if (pipeline == NULL)
    return NULL;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  g_object_set (sink, "location", path, NULL);
  gst_object_unref (sink);
  return pipeline;
}

static gboolean
render_file_finish (GstElement *pipeline, GError **error)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (
      bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gboolean ok = msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;

  if (!ok) {
    GError *bus_error = NULL;

    if (msg != NULL)
      gst_message_parse_error (msg, &bus_error, NULL);
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "cannot write the clip: %s",
        bus_error != NULL ? bus_error->message : "timed out");
    g_clear_error (&bus_error);
  }
  if (msg != NULL)
    gst_message_unref (msg);
  gst_object_unref (bus);
  return ok;
}

gboolean
artic_devibench_render_to_file (const ArticDevibenchLiteItem *item,
    const gchar *media_dir, const gchar *path, GError **error)
{
  ArticDevibenchRender *r;
  GstElement *out;
  GstAppSrc *src;
  GstSample *sample;
  GError *pull_error = NULL;
  gboolean ok = TRUE, caps_set = FALSE;

  r = artic_devibench_render_new (item, media_dir,
      "videoconvert ! video/x-raw,format=I420 ! "
      "appsink name=sink sync=false max-buffers=4",
      error);
  if (r == NULL)
    return FALSE;
  out = render_file_pipeline (path, error);
  if (out == NULL) {
    artic_devibench_render_free (r);
    return FALSE;
  }
  src = GST_APP_SRC (gst_bin_get_by_name (GST_BIN (out), "src"));
  gst_element_set_state (out, GST_STATE_PLAYING);
  while (ok && (sample = artic_devibench_render_pull (r, &pull_error))) {
    if (!caps_set) {
      gst_app_src_set_caps (src, gst_sample_get_caps (sample));
      caps_set = TRUE;
    }
    ok = gst_app_src_push_buffer (
             src, gst_buffer_ref (gst_sample_get_buffer (sample)))
         == GST_FLOW_OK;
    gst_sample_unref (sample);
  }
  /* NULL from the pull is the end of the item, unless it set an error. */
  if (pull_error != NULL) {
    g_propagate_error (error, pull_error);
    ok = FALSE;
  }
  gst_app_src_end_of_stream (src);
  if (ok && !render_file_finish (out, error))
    ok = FALSE;
  gst_element_set_state (out, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (out);
  artic_devibench_render_free (r);
  return ok;
}
