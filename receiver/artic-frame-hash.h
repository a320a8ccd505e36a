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

#ifndef __ARTIC_FRAME_HASH_H__
#define __ARTIC_FRAME_HASH_H__

#include <glib.h>

G_BEGIN_DECLS

/* A 64-bit checksum of the visible pixels of an 8-bit I420 picture: the Y
 * plane (width x height) then U and V ((width + 1) / 2 x (height + 1) / 2),
 * row by row, so padding and strides do not count. Two decodes of the same
 * frame from the same references give the same checksum; a frame decoded
 * from a damaged reference gives another one (with the odds of a 64-bit
 * collision). Used by loss-bench to tell a correct frame from a corrupted
 * one (docs/loss-bench.md). */
guint64 artic_frame_hash_i420 (const guint8 *const planes[3],
    const gint strides[3], guint width, guint height);

G_END_DECLS

#endif /* __ARTIC_FRAME_HASH_H__ */
