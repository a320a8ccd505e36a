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

#include "artic-frame-hash.h"

#include <string.h>

/* FNV-1a's offset basis and a 64-bit odd multiplier; words of 8 bytes are
 * mixed at a time (not byte-wise FNV), which keeps hashing a 640x360 frame
 * well under a millisecond. Not cryptographic: it only has to tell a
 * damaged decode from a clean one. */
#define ARTIC_FRAME_HASH_SEED G_GUINT64_CONSTANT (0xcbf29ce484222325)
#define ARTIC_FRAME_HASH_MULTIPLIER G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)

static guint64
artic_frame_hash_mix (guint64 hash, guint64 word)
{
  hash ^= word;
  hash *= ARTIC_FRAME_HASH_MULTIPLIER;
  return hash ^ (hash >> 29);
}

static guint64
artic_frame_hash_row (guint64 hash, const guint8 *row, guint length)
{
  guint64 word;
  guint i = 0;

  for (; i + 8 <= length; i += 8) {
    memcpy (&word, row + i, 8);
    hash = artic_frame_hash_mix (hash, word);
  }
  if (i < length) {
    word = 0;
    memcpy (&word, row + i, length - i);
    /* The tail's length goes in too, so trailing zeros are not lost. */
    hash = artic_frame_hash_mix (hash, word ^ ((guint64) (length - i) << 59));
  }
  return hash;
}

static guint64
artic_frame_hash_plane (
    guint64 hash, const guint8 *plane, gint stride, guint width, guint height)
{
  guint y;

  for (y = 0; y < height; y++)
    hash = artic_frame_hash_row (hash, plane + (gssize) y * stride, width);
  return hash;
}

guint64
artic_frame_hash_i420 (const guint8 *const planes[3], const gint strides[3],
    guint width, guint height)
{
  guint64 hash = artic_frame_hash_mix (
      ARTIC_FRAME_HASH_SEED, ((guint64) width << 32) | height);
  guint i;

  g_return_val_if_fail (planes != NULL && strides != NULL, 0);
  for (i = 0; i < 3; i++) {
    guint w = i == 0 ? width : (width + 1) / 2;
    guint h = i == 0 ? height : (height + 1) / 2;

    hash = artic_frame_hash_plane (hash, planes[i], strides[i], w, h);
  }
  return hash;
}
