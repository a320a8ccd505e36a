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

/* Parser for the VP8 RTP payload descriptor. Input comes off the network:
 * every read is bounds-checked and a short or inconsistent payload is
 * rejected rather than guessed at. */

#include "artic-vp8-descriptor.h"

#include <string.h>

#define VP8_X_BIT 0x80
#define VP8_N_BIT 0x20
#define VP8_S_BIT 0x10
#define VP8_PID_MASK 0x07
#define VP8_I_BIT 0x80
#define VP8_L_BIT 0x40
#define VP8_T_BIT 0x20
#define VP8_K_BIT 0x10
#define VP8_M_BIT 0x80
/* In the first byte of a VP8 frame, P=0 marks a key frame. */
#define VP8_INTERFRAME_BIT 0x01

static gboolean
artic_vp8_descriptor_parse_picture_id (const guint8 *payload, gsize size,
    gsize *offset, ArticVp8Descriptor *descriptor)
{
  if (*offset >= size)
    return FALSE;
  descriptor->has_picture_id = TRUE;
  if (payload[*offset] & VP8_M_BIT) {
    if (*offset + 2 > size)
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

static gboolean
artic_vp8_descriptor_parse_extension (const guint8 *payload, gsize size,
    gsize *offset, ArticVp8Descriptor *descriptor)
{
  guint8 flags;

  if (*offset >= size)
    return FALSE;
  flags = payload[(*offset)++];
  if ((flags & VP8_I_BIT)
      && !artic_vp8_descriptor_parse_picture_id (
          payload, size, offset, descriptor))
    return FALSE;
  if (flags & VP8_L_BIT) {
    if (*offset >= size)
      return FALSE;
    descriptor->has_tl0picidx = TRUE;
    descriptor->tl0picidx = payload[(*offset)++];
  }
  if (flags & (VP8_T_BIT | VP8_K_BIT)) {
    if (*offset >= size)
      return FALSE;
    (*offset)++;
  }
  return TRUE;
}

/* Returns FALSE for a payload too short for its own descriptor, or one that
 * carries no VP8 data after it. */
gboolean
artic_vp8_descriptor_parse (
    const guint8 *payload, gsize size, ArticVp8Descriptor *descriptor)
{
  gsize offset = 1;

  memset (descriptor, 0, sizeof (*descriptor));
  if (payload == NULL || size < 2)
    return FALSE;

  descriptor->non_reference = (payload[0] & VP8_N_BIT) != 0;
  descriptor->start_of_partition = (payload[0] & VP8_S_BIT) != 0;
  descriptor->partition_index = payload[0] & VP8_PID_MASK;
  if ((payload[0] & VP8_X_BIT)
      && !artic_vp8_descriptor_parse_extension (
          payload, size, &offset, descriptor))
    return FALSE;
  if (offset >= size)
    return FALSE;

  descriptor->header_size = offset;
  descriptor->starts_frame
      = descriptor->start_of_partition && descriptor->partition_index == 0;
  if (descriptor->starts_frame)
    descriptor->is_keyframe = (payload[offset] & VP8_INTERFRAME_BIT) == 0;
  return TRUE;
}

/* Number of pictures missing between two consecutive frame starts, with
 * picture ids of @bits bits that wrap around. */
guint
artic_vp8_descriptor_picture_id_gap (guint previous, guint current, guint bits)
{
  guint modulus = 1u << bits;
  guint distance = (current + modulus - (previous % modulus)) % modulus;

  return distance == 0 ? 0 : distance - 1;
}
