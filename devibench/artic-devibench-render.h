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

/* Renders a lite-suite item on the fly with GStreamer: the source clip is
 * cut to the item's five seconds, cropped to 16:9, scaled to 1280x720 at
 * 30 fps, and the signs are drawn into the scene with cairooverlay and
 * Pango. Signs on a hand-held clip follow the camera (global motion is
 * estimated frame to frame), plus their own drift and wobble. */

#ifndef __ARTIC_DEVIBENCH_RENDER_H__
#define __ARTIC_DEVIBENCH_RENDER_H__

#include <gst/gst.h>

#include "artic-devibench-lite.h"
#include "artic-devibench-ocr.h"

G_BEGIN_DECLS

typedef struct _ArticDevibenchRender ArticDevibenchRender;

/* Where the item's rendered frames go: a pipeline description that ends in
 * an appsink named "sink", e.g. "videoconvert ! vp8enc ! vp8dec !
 * videoconvert ! video/x-raw,format=GRAY8 ! appsink name=sink". */
#define ARTIC_DEVIBENCH_RENDER_GRAY_TAIL       \
  "videoconvert ! video/x-raw,format=GRAY8 ! " \
  "appsink name=sink sync=false max-buffers=4"

/* Builds (does not start) the pipeline. @media_dir holds the clips. */
ArticDevibenchRender *artic_devibench_render_new (
    const ArticDevibenchLiteItem *item, const gchar *media_dir,
    const gchar *tail, GError **error);
GstElement *artic_devibench_render_pipeline (ArticDevibenchRender *render);
/* Starts the pipeline if needed and returns the next sample of the appsink,
 * or NULL at the end (with @error set if the pipeline failed). */
GstSample *artic_devibench_render_pull (
    ArticDevibenchRender *render, GError **error);
/* The target sign's rectangle as drawn into the frame with @pts. */
gboolean artic_devibench_render_target_box (ArticDevibenchRender *render,
    GstClockTime pts, gint *x, gint *y, gint *w, gint *h);
void artic_devibench_render_free (ArticDevibenchRender *render);

/* Renders @item, optionally through a stock VP8 encode at @bitrate_kbps
 * (0 = the clean frames), and OCRs the target sign in the frames nearest
 * to each of @times (seconds). *reads counts frames whose text contains the
 * item's answer (normalized); *encoded_bytes the VP8 bytes produced (0 for
 * clean). */
gboolean artic_devibench_render_read_item (const ArticDevibenchLiteItem *item,
    const gchar *media_dir, guint bitrate_kbps, const gdouble *times,
    guint n_times, ArticDevibenchOcr *ocr, guint *reads, guint64 *encoded_bytes,
    GError **error);
/* The same, and a frame counts as read only if Tesseract's mean confidence
 * in the text is at least @min_confidence (0..100); with @stop_at_miss it
 * stops at the first frame that does not read (*reads then counts the
 * frames read before it). */
gboolean artic_devibench_render_read_item_full (
    const ArticDevibenchLiteItem *item, const gchar *media_dir,
    guint bitrate_kbps, const gdouble *times, guint n_times,
    ArticDevibenchOcr *ocr, gint min_confidence, gboolean stop_at_miss,
    guint *reads, guint64 *encoded_bytes, GError **error);

/* Writes the frame at @t seconds of @item (through VP8 at @bitrate_kbps, or
 * clean for 0) as a PNG file. */
gboolean artic_devibench_render_snapshot (const ArticDevibenchLiteItem *item,
    const gchar *media_dir, guint bitrate_kbps, gdouble t, const gchar *path,
    GError **error);

/* Writes the item's whole clean clip (5 s, 1280x720, 30 fps) as near-lossless
 * VP8 in WebM, so that it can be streamed like camera footage. */
gboolean artic_devibench_render_to_file (const ArticDevibenchLiteItem *item,
    const gchar *media_dir, const gchar *path, GError **error);

G_END_DECLS

#endif /* __ARTIC_DEVIBENCH_RENDER_H__ */
