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

#ifndef __GST_ARTIC_FRAME_STATUS_H__
#define __GST_ARTIC_FRAME_STATUS_H__

#include <gst/gst.h>

#include "artic-rtcp.h"

G_BEGIN_DECLS

/**
 * GstArticFrameStatusMeta:
 * @meta: parent
 * @complete: every packet of the frame arrived
 * @chain_intact: the frame decodes correctly (complete, and every frame it
 *   references back to a key frame or recovery point decoded correctly)
 * @keyframe: a key frame
 * @recovery_point: the sender marked it as referencing only an acknowledged
 *   frame (hook for sender-side reference control)
 * @has_picture_id: @picture_id is valid
 * @picture_id: VP8 picture id
 *
 * The reference-chain verdict on an encoded frame, attached to the
 * depayloaded frame by gst_artic_frame_status_watch(). It has no tags, so
 * decoders (GstVideoDecoder) and converters copy it to the decoded frame.
 */
typedef struct
{
  GstMeta meta;
  gboolean complete;
  gboolean chain_intact;
  gboolean keyframe;
  gboolean recovery_point;
  gboolean has_picture_id;
  guint picture_id;
} GstArticFrameStatusMeta;

GType gst_artic_frame_status_meta_api_get_type (void);
#define GST_ARTIC_FRAME_STATUS_META_API_TYPE \
  (gst_artic_frame_status_meta_api_get_type ())
const GstMetaInfo *gst_artic_frame_status_meta_get_info (void);
GstArticFrameStatusMeta *gst_buffer_add_artic_frame_status_meta (
    GstBuffer *buffer);
GstArticFrameStatusMeta *gst_buffer_get_artic_frame_status_meta (
    GstBuffer *buffer);

/**
 * GstArticConcealMeta:
 * @meta: parent
 * @repeated: the frame was handed on at an earlier instant already
 * @stale: older than articconceal's max-age
 * @age: instant minus the frame's running time, in ns
 * @frame_running_time: running time of the frame when it was decoded
 * @picture_id: VP8 picture id (G_MAXUINT: unknown)
 *
 * Put by articconceal on every frame it hands on.
 */
typedef struct
{
  GstMeta meta;
  gboolean repeated;
  gboolean stale;
  GstClockTime age;
  GstClockTime frame_running_time;
  guint picture_id;
} GstArticConcealMeta;

GType gst_artic_conceal_meta_api_get_type (void);
#define GST_ARTIC_CONCEAL_META_API_TYPE (gst_artic_conceal_meta_api_get_type ())
const GstMetaInfo *gst_artic_conceal_meta_get_info (void);
GstArticConcealMeta *gst_buffer_add_artic_conceal_meta (GstBuffer *buffer);
GstArticConcealMeta *gst_buffer_get_artic_conceal_meta (GstBuffer *buffer);

gboolean gst_artic_frame_status_watch (GstElement *depayloader);
GstStructure *gst_artic_frame_status_get_stats (GstElement *depayloader);

gboolean gst_artic_frame_status_get_ack (
    GstElement *depayloader, ArticRtcpAck *ack, guint64 *serial);

G_END_DECLS

#endif /* __GST_ARTIC_FRAME_STATUS_H__ */
