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

#ifndef __ARTIC_VP8_DESCRIPTOR_H__
#define __ARTIC_VP8_DESCRIPTOR_H__

#include <glib.h>

G_BEGIN_DECLS

/* What the receiver needs from an RTP VP8 payload (RFC 7741 section 4.2). */
typedef struct
{
  gboolean non_reference;
  gboolean start_of_partition;
  guint partition_index;
  gboolean has_picture_id;
  guint picture_id;
  guint picture_id_bits; /* 7 or 15 */
  gboolean has_tl0picidx;
  guint tl0picidx;
  gsize header_size;     /* descriptor bytes before the VP8 data */
  gboolean starts_frame; /* S=1 and partition 0 */
  gboolean is_keyframe;  /* only meaningful when starts_frame */
} ArticVp8Descriptor;

gboolean artic_vp8_descriptor_parse (
    const guint8 *payload, gsize size, ArticVp8Descriptor *descriptor);

guint artic_vp8_descriptor_picture_id_gap (
    guint previous, guint current, guint bits);

G_END_DECLS

#endif /* __ARTIC_VP8_DESCRIPTOR_H__ */
