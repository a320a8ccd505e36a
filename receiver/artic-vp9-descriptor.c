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

/* Parser for the VP9 RTP payload descriptor (RFC 9628). Input comes off the
 * network: every read is bounds-checked, and a short or inconsistent
 * descriptor is rejected rather than guessed at. */

#include "artic-vp9-descriptor.h"

#include <string.h>

#define VP9_I_BIT 0x80
#define VP9_P_BIT 0x40
#define VP9_L_BIT 0x20
#define VP9_F_BIT 0x10
#define VP9_B_BIT 0x08
#define VP9_E_BIT 0x04
#define VP9_V_BIT 0x02
#define VP9_M_BIT 0x80
#define VP9_N_BIT 0x01
#define VP9_SS_Y_BIT 0x10
#define VP9_SS_G_BIT 0x08

static gboolean
artic_vp9_take (gsize size, gsize *offset, gsize count)
{
  if (count > size - *offset)
    return FALSE;
  *offset += count;
  return TRUE;
}

static gboolean
artic_vp9_descriptor_parse_picture_id (const guint8 *payload, gsize size,
    gsize *offset, ArticVp9Descriptor *descriptor)
{
  if (*offset >= size)
    return FALSE;
  descriptor->has_picture_id = TRUE;
  if (payload[*offset] & VP9_M_BIT) {
    if (size - *offset < 2)
      return FALSE;
    descriptor->picture_id
        = ((payload[*offset] & 0x7f) << 8) | payload[*offset + 1];
    descriptor->picture_id_bits = 15;
    *offset += 2;
  } else {
    descriptor->picture_id = payload[*offset] & 0x7f;
    descriptor->picture_id_bits = 7;
    *offset += 1;
  }
  return TRUE;
}

/* Layer indices; the TL0PICIDX byte follows only in non-flexible mode. */
static gboolean
artic_vp9_descriptor_parse_layer (const guint8 *payload, gsize size,
    gsize *offset, ArticVp9Descriptor *descriptor)
{
  if (*offset >= size)
    return FALSE;
  descriptor->has_layer = TRUE;
  descriptor->temporal_id = payload[*offset] >> 5;
  descriptor->spatial_id = (payload[*offset] >> 1) & 0x07;
  (*offset)++;
  if (!descriptor->flexible) {
    if (*offset >= size)
      return FALSE;
    descriptor->has_tl0picidx = TRUE;
    descriptor->tl0picidx = payload[(*offset)++];
  }
  return TRUE;
}

/* Up to three reference differences, each saying whether another follows. */
static gboolean
artic_vp9_descriptor_parse_p_diff (const guint8 *payload, gsize size,
    gsize *offset, ArticVp9Descriptor *descriptor)
{
  gboolean more = TRUE;

  while (more) {
    if (*offset >= size || descriptor->n_p_diff == ARTIC_VP9_MAX_P_DIFF)
      return FALSE;
    more = (payload[(*offset)++] & VP9_N_BIT) != 0;
    descriptor->n_p_diff++;
  }
  return TRUE;
}

/* The scalability structure: layer count, optional resolutions, optional
 * picture group description. Only the size of layer 0 is kept. */
static gboolean
artic_vp9_descriptor_parse_ss (const guint8 *payload, gsize size, gsize *offset,
    ArticVp9Descriptor *descriptor)
{
  guint8 flags;
  guint i, n_g;

  if (*offset >= size)
    return FALSE;
  flags = payload[(*offset)++];
  descriptor->has_scalability = TRUE;
  descriptor->n_spatial_layers = (flags >> 5) + 1;
  if (flags & VP9_SS_Y_BIT) {
    if (size - *offset < 4 * (gsize) descriptor->n_spatial_layers)
      return FALSE;
    descriptor->has_resolution = TRUE;
    descriptor->width = (payload[*offset] << 8) | payload[*offset + 1];
    descriptor->height = (payload[*offset + 2] << 8) | payload[*offset + 3];
    *offset += 4 * descriptor->n_spatial_layers;
  }
  if (flags & VP9_SS_G_BIT) {
    if (*offset >= size)
      return FALSE;
    n_g = payload[(*offset)++];
    for (i = 0; i < n_g; i++) {
      guint references;

      if (*offset >= size)
        return FALSE;
      references = (payload[(*offset)++] >> 2) & 0x03;
      if (!artic_vp9_take (size, offset, references))
        return FALSE;
    }
  }
  return TRUE;
}

/* Returns FALSE for a payload too short for its own descriptor, or one that
 * carries no VP9 data after it. */
gboolean
artic_vp9_descriptor_parse (
    const guint8 *payload, gsize size, ArticVp9Descriptor *descriptor)
{
  gsize offset = 1;
  guint8 flags;

  memset (descriptor, 0, sizeof (*descriptor));
  if (payload == NULL || size < 2)
    return FALSE;
  flags = payload[0];
  descriptor->inter_predicted = (flags & VP9_P_BIT) != 0;
  descriptor->flexible = (flags & VP9_F_BIT) != 0;
  descriptor->start_of_frame = (flags & VP9_B_BIT) != 0;
  descriptor->end_of_frame = (flags & VP9_E_BIT) != 0;

  if ((flags & VP9_I_BIT)
      && !artic_vp9_descriptor_parse_picture_id (
          payload, size, &offset, descriptor))
    return FALSE;
  if ((flags & VP9_L_BIT)
      && !artic_vp9_descriptor_parse_layer (payload, size, &offset, descriptor))
    return FALSE;
  if (descriptor->flexible && descriptor->inter_predicted
      && !artic_vp9_descriptor_parse_p_diff (
          payload, size, &offset, descriptor))
    return FALSE;
  if ((flags & VP9_V_BIT)
      && !artic_vp9_descriptor_parse_ss (payload, size, &offset, descriptor))
    return FALSE;
  if (offset >= size)
    return FALSE;

  descriptor->header_size = offset;
  /* With spatial layers a picture has one frame per layer: count it once. */
  descriptor->starts_frame
      = descriptor->start_of_frame && descriptor->spatial_id == 0;
  descriptor->is_keyframe
      = descriptor->starts_frame && !descriptor->inter_predicted;
  return TRUE;
}
