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

/* Importance -> per-block QP offset, with the rule published with ZeCoStream:
 * a block's importance r (1 inside a box, falling linearly with distance to
 * 0 at the farthest block) maps to QP_abs = 51 * (1 - r^gamma) and the offset
 * added to the rate-controlled base QP is clamp(round(QP_abs - base), 0, max).
 * The steep r^gamma curve keeps the near surroundings of a box sharp and
 * drops the rest of the frame fast. */

#ifndef ARTIC_QP_MAP_H
#define ARTIC_QP_MAP_H

#include <glib.h>

#include "artic-roi-box.h"

G_BEGIN_DECLS

#define ARTIC_QP_MAP_DEFAULT_BLOCK_SIZE 64
#define ARTIC_QP_MAP_MAX_DIM 16384

typedef struct
{
  guint block_size;  /* pixels per block side, default 64 */
  gdouble gamma;     /* default 3 */
  gint base;         /* default 26: QP_abs at or below it costs nothing */
  gint max_delta;    /* default 25 */
  gint no_box_delta; /* default 18: uniform offset when there is no box */
} ArticQpParams;

/* cols = ceil(width / block_size): partial edge blocks are blocks. */
typedef struct
{
  guint cols, rows, block_size, width, height;
  gint8 *delta_qp; /* rows * cols, row-major */
} ArticQpMap;

void artic_qp_params_init (ArticQpParams *params);

/* A map of zeros (full quality everywhere). NULL for a zero or absurd size
 * (either side above ARTIC_QP_MAP_MAX_DIM) or block size. */
ArticQpMap *artic_qp_map_new (guint width, guint height, guint block_size);
void artic_qp_map_free (ArticQpMap *map);
ArticQpMap *artic_qp_map_copy (const ArticQpMap *map);
gint artic_qp_map_get (const ArticQpMap *map, guint col, guint row);
void artic_qp_map_set (ArticQpMap *map, guint col, guint row, gint delta);
void artic_qp_map_fill (ArticQpMap *map, gint delta);

/* Number of blocks per row/column for a size (ceil division). */
guint artic_qp_map_blocks (guint pixels, guint block_size);

/* delta_qp for one importance value r in [0,1] (clamped; NaN counts as 0). */
gint artic_qp_delta_from_importance (gdouble r, const ArticQpParams *params);

/* Fills @importance (cols * rows floats of the params' block grid) with the
 * box rule: 1 where the block centre is in a box (edges included, so a
 * zero-area box still hits the block it lies on), else 1 - d/d_max with d the
 * distance in pixels to the nearest box. Returns FALSE, leaving @importance
 * all 0, when @n_boxes is 0 (or all are "no box" markers). */
gboolean artic_roi_importance_from_boxes (guint width, guint height,
    guint block_size, const ArticRoiBox *boxes, guint n_boxes,
    gfloat *importance);

/* dst[i] = max (dst[i], src[i]): a block matters if any source says so. */
void artic_roi_importance_max (gfloat *dst, const gfloat *src, gsize n);

/* The map for an importance grid (cols * rows of the params' block size). */
ArticQpMap *artic_qp_map_from_importance (guint width, guint height,
    const gfloat *importance, const ArticQpParams *params);

/* The map for feedback boxes; no box at all gives the uniform
 * params->no_box_delta. @params NULL means the defaults. */
ArticQpMap *artic_qp_map_from_boxes (guint width, guint height,
    const ArticRoiBox *boxes, guint n_boxes, const ArticQpParams *params);

/* dst = min (dst, src) per block (same grid): the same max-combination as
 * artic_roi_importance_max, for maps already made. FALSE if grids differ. */
gboolean artic_qp_map_combine_min (ArticQpMap *dst, const ArticQpMap *src);

G_END_DECLS

#endif /* ARTIC_QP_MAP_H */
