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

#ifndef __GST_ARTIC_QP_MAP_META_H__
#define __GST_ARTIC_QP_MAP_META_H__

#include <gst/gst.h>

#include "artic-qp-map.h"

G_BEGIN_DECLS

/**
 * GstArticQpMapMeta:
 * @meta: parent #GstMeta
 * @map: (transfer full): per-block QP offsets for this frame, 0 = full
 *   quality, larger = coarser; its width and height are the frame's
 *
 * The full region-of-interest map of a video frame, from `articroi` to
 * `articenc`. Interop consumers get the same regions as
 * #GstVideoRegionOfInterestMeta with `delta-qp` params.
 */
typedef struct
{
  GstMeta meta;
  ArticQpMap *map;
} GstArticQpMapMeta;

GType gst_artic_qp_map_meta_api_get_type (void);
#define GST_ARTIC_QP_MAP_META_API_TYPE (gst_artic_qp_map_meta_api_get_type ())
const GstMetaInfo *gst_artic_qp_map_meta_get_info (void);
#define GST_ARTIC_QP_MAP_META_INFO (gst_artic_qp_map_meta_get_info ())

GstArticQpMapMeta *gst_buffer_add_artic_qp_map_meta (
    GstBuffer *buffer, ArticQpMap *map);
GstArticQpMapMeta *gst_buffer_get_artic_qp_map_meta (GstBuffer *buffer);

G_END_DECLS

#endif /* __GST_ARTIC_QP_MAP_META_H__ */
