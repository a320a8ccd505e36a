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

#ifndef __GST_ARTIC_FRAME_MARK_H__
#define __GST_ARTIC_FRAME_MARK_H__

#include <gst/gst.h>
#include <gst/rtp/gstrtphdrext.h>

G_BEGIN_DECLS

/* The frame id and ARTIC_FRAME_MARK_* flags articenc gives an encoded VP8
 * frame under reference control (sender/artic-ref-control.h). */
typedef struct
{
  GstMeta meta;
  guint16 frame_id;
  guint8 flags;
} GstArticFrameMarkMeta;

GType gst_artic_frame_mark_meta_api_get_type (void);
#define GST_ARTIC_FRAME_MARK_META_API_TYPE \
  (gst_artic_frame_mark_meta_api_get_type ())
const GstMetaInfo *gst_artic_frame_mark_meta_get_info (void);
GstArticFrameMarkMeta *gst_buffer_add_artic_frame_mark_meta (
    GstBuffer *buffer, guint16 frame_id, guint8 flags);
GstArticFrameMarkMeta *gst_buffer_get_artic_frame_mark_meta (GstBuffer *buffer);

#define GST_TYPE_ARTIC_FRAME_MARK (gst_artic_frame_mark_get_type ())
G_DECLARE_FINAL_TYPE (GstArticFrameMark, gst_artic_frame_mark, GST,
    ARTIC_FRAME_MARK, GstRTPHeaderExtension);

struct _GstArticFrameMark
{
  GstRTPHeaderExtension parent;
};

GST_ELEMENT_REGISTER_DECLARE (articframemark);

G_END_DECLS

#endif /* __GST_ARTIC_FRAME_MARK_H__ */
