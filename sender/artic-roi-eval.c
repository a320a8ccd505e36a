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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "artic-roi-eval.h"

#include <math.h>
#include <string.h>

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "artic-quality.h"

void
artic_roi_eval_init (ArticRoiEval *eval)
{
  memset (eval, 0, sizeof (*eval));
}

static gboolean
inside (const ArticRoiRect *r, guint x, guint y)
{
  return r != NULL && x >= r->x && x < r->x + r->w && y >= r->y
         && y < r->y + r->h;
}

gdouble
artic_roi_eval_ssim_8x8 (
    const guint8 *a, gsize stride_a, const guint8 *b, gsize stride_b)
{
  const gdouble c1 = (0.01 * 255) * (0.01 * 255);
  const gdouble c2 = (0.03 * 255) * (0.03 * 255);
  guint64 sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  gdouble ma, mb, va, vb, cov;
  guint x, y;

  for (y = 0; y < 8; y++)
    for (x = 0; x < 8; x++) {
      guint pa = a[y * stride_a + x], pb = b[y * stride_b + x];

      sa += pa;
      sb += pb;
      saa += pa * pa;
      sbb += pb * pb;
      sab += pa * pb;
    }
  ma = sa / 64.0;
  mb = sb / 64.0;
  va = saa / 64.0 - ma * ma;
  vb = sbb / 64.0 - mb * mb;
  cov = sab / 64.0 - ma * mb;
  return ((2 * ma * mb + c1) * (2 * cov + c2))
         / ((ma * ma + mb * mb + c1) * (va + vb + c2));
}

void
artic_roi_eval_add_plane (ArticRoiEval *eval, const guint8 *ref,
    gsize ref_stride, const guint8 *test, gsize test_stride, guint width,
    guint height, const ArticRoiRect *region)
{
  guint x, y;

  for (y = 0; y < height; y++) {
    const guint8 *a = ref + y * ref_stride, *b = test + y * test_stride;
    guint64 sse_in = 0, sse_out = 0, n_in = 0;

    for (x = 0; x < width; x++) {
      gint d = (gint) a[x] - (gint) b[x];

      if (inside (region, x, y)) {
        sse_in += d * d;
        n_in++;
      } else {
        sse_out += d * d;
      }
    }
    eval->sse_in += sse_in;
    eval->sse_out += sse_out;
    eval->n_in += n_in;
    eval->n_out += width - n_in;
  }
  for (y = 0; y + 8 <= height; y += 8)
    for (x = 0; x + 8 <= width; x += 8) {
      gdouble s = artic_roi_eval_ssim_8x8 (ref + y * ref_stride + x, ref_stride,
          test + y * test_stride + x, test_stride);

      if (inside (region, x + 4, y + 4)) {
        eval->ssim_in += s;
        eval->blocks_in++;
      } else {
        eval->ssim_out += s;
        eval->blocks_out++;
      }
    }
}

static gdouble
psnr (gdouble sse, guint64 n)
{
  return n ? artic_quality_psnr_from_mse (sse / n) : 0.0;
}

gdouble
artic_roi_eval_psnr_in (const ArticRoiEval *eval)
{
  return psnr (eval->sse_in, eval->n_in);
}

gdouble
artic_roi_eval_psnr_out (const ArticRoiEval *eval)
{
  return psnr (eval->sse_out, eval->n_out);
}

gdouble
artic_roi_eval_ssim_in (const ArticRoiEval *eval)
{
  return eval->blocks_in ? eval->ssim_in / eval->blocks_in : 0.0;
}

gdouble
artic_roi_eval_ssim_out (const ArticRoiEval *eval)
{
  return eval->blocks_out ? eval->ssim_out / eval->blocks_out : 0.0;
}

gsize
artic_clip_frame_size (guint width, guint height)
{
  gsize cw = (width + 1) / 2, ch = (height + 1) / 2;

  return (gsize) width * height + 2 * cw * ch;
}

/* Copies a mapped frame into the tight layout. */
static GBytes *
pack_frame (GstVideoFrame *frame, guint width, guint height)
{
  gsize size = artic_clip_frame_size (width, height);
  guint8 *data = g_malloc (size), *dst = data;
  guint p, y;

  for (p = 0; p < 3; p++) {
    guint w = p ? (width + 1) / 2 : width, h = p ? (height + 1) / 2 : height;
    const guint8 *src = GST_VIDEO_FRAME_PLANE_DATA (frame, p);
    gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, p);

    for (y = 0; y < h; y++) {
      memcpy (dst, src + (gsize) y * stride, w);
      dst += w;
    }
  }
  return g_bytes_new_take (data, size);
}

ArticClip *
artic_clip_load (const gchar *path, guint width, guint height, guint max_frames,
    GError **error)
{
  gchar *launch = g_strdup_printf (
      "filesrc name=src ! decodebin ! videoconvert ! videoscale ! "
      "video/x-raw,format=I420,width=%u,height=%u ! "
      "appsink name=sink sync=false",
      width, height);
  GstElement *pipeline = gst_parse_launch (launch, error);
  GstElement *src, *sink;
  ArticClip *clip;
  GstSample *sample;
  GstBus *bus;
  gboolean failed = FALSE;

  g_free (launch);
  if (pipeline == NULL)
    return NULL;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (src, "location", path, NULL);
  clip = g_new0 (ArticClip, 1);
  clip->width = width;
  clip->height = height;
  clip->frames
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  while (max_frames == 0 || clip->frames->len < max_frames) {
    GstVideoInfo info;
    GstVideoFrame frame;
    GstMessage *msg;

    /* A decode error never reaches the sink: watch the bus as well. */
    sample
        = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), GST_SECOND / 10);
    if (sample == NULL) {
      if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
        break;
      msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (msg != NULL) {
        GError *err = NULL;

        gst_message_parse_error (msg, &err, NULL);
        g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE,
            "decoding %s: %s", path, err->message);
        g_error_free (err);
        gst_message_unref (msg);
        failed = TRUE;
        break;
      }
      continue;
    }

    if (gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
        && gst_video_frame_map (
            &frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ)) {
      if (clip->frames->len == 0 && GST_VIDEO_INFO_FPS_D (&info) > 0)
        clip->framerate = (gdouble) GST_VIDEO_INFO_FPS_N (&info)
                          / GST_VIDEO_INFO_FPS_D (&info);
      g_ptr_array_add (clip->frames, pack_frame (&frame, width, height));
      gst_video_frame_unmap (&frame);
    }
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  if (failed) {
    artic_clip_free (clip);
    return NULL;
  }
  if (clip->frames->len == 0) {
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE,
        "no video frames decoded from %s", path);
    artic_clip_free (clip);
    return NULL;
  }
  if (clip->framerate <= 0.0)
    clip->framerate = 30.0;
  return clip;
}

void
artic_clip_free (ArticClip *clip)
{
  if (clip == NULL)
    return;
  g_ptr_array_unref (clip->frames);
  g_free (clip);
}
