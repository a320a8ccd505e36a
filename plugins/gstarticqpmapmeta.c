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

#include "gstarticqpmapmeta.h"

#include <gst/video/video.h>

GType
gst_artic_qp_map_meta_api_get_type (void)
{
  static GType type = 0;
  static const gchar *tags[] = { GST_META_TAG_VIDEO_STR, NULL };

  if (g_once_init_enter (&type)) {
    GType api = gst_meta_api_type_register ("GstArticQpMapMetaAPI", tags);
    g_once_init_leave (&type, api);
  }
  return type;
}

static gboolean
gst_artic_qp_map_meta_init (GstMeta *meta, gpointer params, GstBuffer *buffer)
{
  ((GstArticQpMapMeta *) meta)->map = NULL;
  return TRUE;
}

static void
gst_artic_qp_map_meta_free (GstMeta *meta, GstBuffer *buffer)
{
  GstArticQpMapMeta *qp_meta = (GstArticQpMapMeta *) meta;

  g_clear_pointer (&qp_meta->map, artic_qp_map_free);
}

/* Copies follow the buffer; a scaled frame loses the map, whose blocks no
 * longer line up with the pixels. */
static gboolean
gst_artic_qp_map_meta_transform (GstBuffer *dest, GstMeta *meta,
    GstBuffer *buffer, GQuark type, gpointer data)
{
  GstArticQpMapMeta *qp_meta = (GstArticQpMapMeta *) meta;

  if (!GST_META_TRANSFORM_IS_COPY (type) || qp_meta->map == NULL)
    return FALSE;
  return gst_buffer_add_artic_qp_map_meta (
             dest, artic_qp_map_copy (qp_meta->map))
         != NULL;
}

const GstMetaInfo *
gst_artic_qp_map_meta_get_info (void)
{
  static const GstMetaInfo *info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) &info)) {
    const GstMetaInfo *registered = gst_meta_register (
        GST_ARTIC_QP_MAP_META_API_TYPE, "GstArticQpMapMeta",
        sizeof (GstArticQpMapMeta), gst_artic_qp_map_meta_init,
        gst_artic_qp_map_meta_free, gst_artic_qp_map_meta_transform);
    g_once_init_leave ((GstMetaInfo **) &info, (GstMetaInfo *) registered);
  }
  return info;
}

/**
 * gst_buffer_add_artic_qp_map_meta:
 * @buffer: a writable #GstBuffer
 * @map: (transfer full): the map; freed if the meta cannot be added
 *
 * Replaces any map already on @buffer.
 */
GstArticQpMapMeta *
gst_buffer_add_artic_qp_map_meta (GstBuffer *buffer, ArticQpMap *map)
{
  GstArticQpMapMeta *meta;

  g_return_val_if_fail (map != NULL, NULL);
  meta = gst_buffer_get_artic_qp_map_meta (buffer);
  if (meta == NULL)
    meta = (GstArticQpMapMeta *) gst_buffer_add_meta (
        buffer, GST_ARTIC_QP_MAP_META_INFO, NULL);
  if (meta == NULL) {
    artic_qp_map_free (map);
    return NULL;
  }
  g_clear_pointer (&meta->map, artic_qp_map_free);
  meta->map = map;
  return meta;
}

GstArticQpMapMeta *
gst_buffer_get_artic_qp_map_meta (GstBuffer *buffer)
{
  return (GstArticQpMapMeta *) gst_buffer_get_meta (
      buffer, GST_ARTIC_QP_MAP_META_API_TYPE);
}
