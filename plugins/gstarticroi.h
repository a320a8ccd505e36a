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

#ifndef __GST_ARTIC_ROI_H__
#define __GST_ARTIC_ROI_H__

#include <gst/base/gstbasetransform.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "artic-roi-analyzer.h"

G_BEGIN_DECLS

#define GST_TYPE_ARTIC_ROI (gst_artic_roi_get_type ())
G_DECLARE_FINAL_TYPE (
    GstArticRoi, gst_artic_roi, GST, ARTIC_ROI, GstBaseTransform);

#define GST_TYPE_ARTIC_ROI_SOURCE (gst_artic_roi_source_get_type ())
GType gst_artic_roi_source_get_type (void);
#define GST_TYPE_ARTIC_ROI_CUES (gst_artic_roi_cues_get_type ())
GType gst_artic_roi_cues_get_type (void);

/* The custom event that carries feedback boxes, and the region-of-interest
 * meta type and param structure articroi attaches. */
#define GST_ARTIC_ROI_BOXES_EVENT_NAME "artic-roi-boxes"
#define GST_ARTIC_ROI_META_TYPE "artic-roi"
#define GST_ARTIC_ROI_PARAM_NAME "roi/artic"

/* How many frames' capture times articroi remembers (3 s at 60 fps, as long
 * as it can follow a box), and how far a feedback's capture time may be
 * from a frame's (a receiver may round it to microseconds). */
#define GST_ARTIC_ROI_CAPTURE_HISTORY 192
#define GST_ARTIC_ROI_CAPTURE_MATCH (GST_MSECOND)

typedef struct
{
  gint64 capture_time; /* Unix ns */
  gint64 running_time;
} GstArticRoiCapture;

struct _GstArticRoi
{
  GstBaseTransform parent;

  /* Properties and pending feedback, under the object lock: they are set
   * from application threads and from events on either pad. */
  gchar *boxes_json;
  ArticQpParams params;
  ArticRoiCueFlags cues;
  GstClockTime box_timeout;
  GstClockTime predict_ahead;
  gboolean follow;
  gboolean enabled;
  ArticRoiSource source;
  GQueue pending; /* PendingFeedback, oldest first */

  /* Streaming thread only. */
  GstVideoInfo info;
  ArticRoiAnalyzer *analyzer;
  GArray *upstream_boxes, *effective_boxes;
  gint64 last_time;
  GstArticRoiCapture
      captures[GST_ARTIC_ROI_CAPTURE_HISTORY]; /* ring, oldest first */
  guint captures_first, n_captures;
};

GST_ELEMENT_REGISTER_DECLARE (articroi);

GstEvent *gst_artic_roi_boxes_event_new (
    const gchar *json, GstClockTime frame_time);
gboolean gst_artic_roi_boxes_event_parse (
    GstEvent *event, gchar **json, GstClockTime *frame_time);

G_END_DECLS

#endif /* __GST_ARTIC_ROI_H__ */
