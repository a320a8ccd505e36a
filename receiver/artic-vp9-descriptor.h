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

#ifndef __ARTIC_VP9_DESCRIPTOR_H__
#define __ARTIC_VP9_DESCRIPTOR_H__

#include <glib.h>

G_BEGIN_DECLS

/* Most P_DIFF entries a flexible-mode descriptor may carry (RFC 9628). */
#define ARTIC_VP9_MAX_P_DIFF 3

/* What the receiver needs from an RTP VP9 payload descriptor (RFC 9628
 * section 4.2). */
typedef struct
{
  gboolean has_picture_id;
  guint picture_id;
  guint picture_id_bits;    /* 7 or 15 */
  gboolean inter_predicted; /* P: refers to an earlier picture */
  gboolean flexible;        /* F */
  gboolean start_of_frame;  /* B */
  gboolean end_of_frame;    /* E */
  gboolean has_layer;       /* L */
  guint temporal_id;
  guint spatial_id;
  gboolean has_tl0picidx;
  guint tl0picidx;
  guint n_p_diff;
  gboolean has_scalability; /* V: a scalability structure follows */
  guint n_spatial_layers;
  gboolean has_resolution;
  guint width; /* of the lowest spatial layer, when has_resolution */
  guint height;
  gsize header_size;     /* descriptor bytes before the VP9 data */
  gboolean starts_frame; /* B=1 in the lowest spatial layer */
  gboolean is_keyframe;  /* only meaningful when starts_frame */
} ArticVp9Descriptor;

gboolean artic_vp9_descriptor_parse (
    const guint8 *payload, gsize size, ArticVp9Descriptor *descriptor);

G_END_DECLS

#endif /* __ARTIC_VP9_DESCRIPTOR_H__ */
