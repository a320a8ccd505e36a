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

/* Fits a fine QP offset map onto what a codec can signal. VP8 has 4 segments
 * on 16x16 macroblocks, VP9 8 on 8x8 blocks (segment 7 is taken by the active
 * map, so 7 usable), H.264 a QP per macroblock. Two losses are possible and
 * both are kept small: resampling takes the MIN offset of the fine blocks a
 * codec block overlaps (an important region never gets blurrier), and the
 * segment values are an optimal 1-D quantization of the offsets (least
 * squared error over the block histogram, found by dynamic programming) with
 * 0 kept exact when present (full quality stays full quality). */

#ifndef ARTIC_ROI_SEGMENTS_H
#define ARTIC_ROI_SEGMENTS_H

#include <glib.h>

#include "artic-qp-map.h"

G_BEGIN_DECLS

#define ARTIC_ROI_MAX_SEGMENTS 8

typedef enum
{
  ARTIC_ROI_CODEC_VP8,  /* 16x16, at most 4 segments */
  ARTIC_ROI_CODEC_VP9,  /* 8x8, at most 7 segments (ids 0..6) */
  ARTIC_ROI_CODEC_H264, /* 16x16, one offset per block, no segments */
} ArticRoiCodec;

typedef struct
{
  ArticRoiCodec codec;
  guint cols, rows, block_size;
  guint n_segments;                           /* 0 for H.264 */
  gint segment_delta[ARTIC_ROI_MAX_SEGMENTS]; /* ascending */
  guint8 *segment_id;                         /* rows * cols; NULL for H.264 */
  gint8 *delta; /* rows * cols: the offset each block gets */
} ArticRoiSegments;

guint artic_roi_codec_block_size (ArticRoiCodec codec);
guint artic_roi_codec_max_segments (ArticRoiCodec codec);

/* The map resampled to another block size over the same frame: each new
 * block takes the minimum of the fine blocks it overlaps. */
ArticQpMap *artic_qp_map_resample_min (const ArticQpMap *map, guint block_size);

/* Optimal quantization of integer values given as a histogram:
 * @hist[i] counts value @min_value + i (@n_bins bins). Chooses at most @k
 * levels minimizing the summed squared error; if @keep_zero and value 0 has a
 * non-zero count, 0 is one of the levels. Writes the ascending levels to
 * @levels and returns their number (0 for an empty histogram). */
guint artic_roi_quantize_levels (const guint *hist, gint min_value,
    guint n_bins, guint k, gboolean keep_zero, gint *levels);

/* The codec's grid and segments for @map (any block size; the frame size is
 * taken from the map). NULL if @map is NULL. */
ArticRoiSegments *artic_roi_segments_from_map (
    const ArticQpMap *map, ArticRoiCodec codec);
void artic_roi_segments_free (ArticRoiSegments *segments);

G_END_DECLS

#endif /* ARTIC_ROI_SEGMENTS_H */
