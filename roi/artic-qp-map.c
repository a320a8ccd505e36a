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

#include <math.h>
#include <string.h>

#include "artic-qp-map.h"

/* QP range of H.264/H.265, the scale the published rule is written in. */
#define QP_RANGE 51.0

void
artic_qp_params_init (ArticQpParams *params)
{
  params->block_size = ARTIC_QP_MAP_DEFAULT_BLOCK_SIZE;
  params->gamma = 3.0;
  params->base = 26;
  params->max_delta = 25;
  params->no_box_delta = 18;
}

guint
artic_qp_map_blocks (guint pixels, guint block_size)
{
  return (pixels + block_size - 1) / block_size;
}

ArticQpMap *
artic_qp_map_new (guint width, guint height, guint block_size)
{
  ArticQpMap *map;

  if (width == 0 || height == 0 || block_size == 0
      || width > ARTIC_QP_MAP_MAX_DIM || height > ARTIC_QP_MAP_MAX_DIM)
    return NULL;
  map = g_new0 (ArticQpMap, 1);
  map->width = width;
  map->height = height;
  map->block_size = block_size;
  map->cols = artic_qp_map_blocks (width, block_size);
  map->rows = artic_qp_map_blocks (height, block_size);
  map->delta_qp = g_new0 (gint8, (gsize) map->cols * map->rows);
  return map;
}

void
artic_qp_map_free (ArticQpMap *map)
{
  if (map == NULL)
    return;
  g_free (map->delta_qp);
  g_free (map);
}

ArticQpMap *
artic_qp_map_copy (const ArticQpMap *map)
{
  ArticQpMap *copy;

  g_return_val_if_fail (map != NULL, NULL);
  copy = g_memdup2 (map, sizeof (ArticQpMap));
  copy->delta_qp = g_memdup2 (map->delta_qp, (gsize) map->cols * map->rows);
  return copy;
}

gint
artic_qp_map_get (const ArticQpMap *map, guint col, guint row)
{
  g_return_val_if_fail (col < map->cols && row < map->rows, 0);
  return map->delta_qp[(gsize) row * map->cols + col];
}

void
artic_qp_map_set (ArticQpMap *map, guint col, guint row, gint delta)
{
  g_return_if_fail (col < map->cols && row < map->rows);
  map->delta_qp[(gsize) row * map->cols + col]
      = (gint8) CLAMP (delta, -128, 127);
}

void
artic_qp_map_fill (ArticQpMap *map, gint delta)
{
  memset (map->delta_qp, (gint8) CLAMP (delta, -128, 127),
      (gsize) map->cols * map->rows);
}

gint
artic_qp_delta_from_importance (gdouble r, const ArticQpParams *params)
{
  gdouble qp_abs, delta;

  if (!(r > 0.0)) /* also NaN */
    r = 0.0;
  if (r > 1.0)
    r = 1.0;
  qp_abs = QP_RANGE * (1.0 - pow (r, params->gamma));
  delta = round (qp_abs - params->base);
  return (gint) CLAMP (delta, 0.0, (gdouble) MAX (params->max_delta, 0));
}

/* The centre of a block in pixels; an edge block is cut by the frame, so its
 * centre is the centre of the part that exists. */
static gdouble
block_center (guint index, guint block_size, guint pixels)
{
  guint start = index * block_size;
  guint end = MIN (start + block_size, pixels);

  return (start + end) / 2.0;
}

/* A box in pixel coordinates. */
typedef struct
{
  gdouble x0, y0, x1, y1;
} PxBox;

/* Distance from a point to a box (0 inside or on its edge). */
static gdouble
box_distance (
    gdouble x, gdouble y, gdouble x0, gdouble y0, gdouble x1, gdouble y1)
{
  gdouble dx = MAX (MAX (x0 - x, 0.0), x - x1);
  gdouble dy = MAX (MAX (y0 - y, 0.0), y - y1);

  return sqrt (dx * dx + dy * dy);
}

gboolean
artic_roi_importance_from_boxes (guint width, guint height, guint block_size,
    const ArticRoiBox *boxes, guint n_boxes, gfloat *importance)
{
  guint cols, rows, c, r, b, n_real = 0;
  gdouble *dist, d_max = 0.0;
  PxBox *px;
  gsize i;

  g_return_val_if_fail (block_size > 0 && width > 0 && height > 0, FALSE);
  cols = artic_qp_map_blocks (width, block_size);
  rows = artic_qp_map_blocks (height, block_size);
  memset (importance, 0, sizeof (gfloat) * cols * rows);

  /* Boxes to pixel space once, so distances are in pixels (a normalized
   * distance would stretch one axis for non-square frames). */
  px = g_new (PxBox, MAX (n_boxes, 1));
  for (b = 0; b < n_boxes; b++) {
    ArticRoiBox box = boxes[b];

    artic_roi_box_normalize (&box);
    if (artic_roi_box_is_none (&box))
      continue;
    px[n_real].x0 = box.x_min * width / ARTIC_ROI_COORD_MAX;
    px[n_real].y0 = box.y_min * height / ARTIC_ROI_COORD_MAX;
    px[n_real].x1 = box.x_max * width / ARTIC_ROI_COORD_MAX;
    px[n_real].y1 = box.y_max * height / ARTIC_ROI_COORD_MAX;
    n_real++;
  }
  if (n_real == 0) {
    g_free (px);
    return FALSE;
  }

  dist = g_new (gdouble, (gsize) cols * rows);
  for (r = 0, i = 0; r < rows; r++) {
    gdouble y = block_center (r, block_size, height);

    for (c = 0; c < cols; c++, i++) {
      gdouble x = block_center (c, block_size, width), d = G_MAXDOUBLE;

      for (b = 0; b < n_real; b++)
        d = MIN (
            d, box_distance (x, y, px[b].x0, px[b].y0, px[b].x1, px[b].y1));
      dist[i] = d;
      d_max = MAX (d_max, d);
    }
  }
  for (i = 0; i < (gsize) cols * rows; i++)
    importance[i] = (dist[i] <= 0.0 || d_max <= 0.0)
                        ? 1.0f
                        : (gfloat) (1.0 - dist[i] / d_max);
  g_free (dist);
  g_free (px);
  return TRUE;
}

void
artic_roi_importance_max (gfloat *dst, const gfloat *src, gsize n)
{
  gsize i;

  for (i = 0; i < n; i++)
    dst[i] = MAX (dst[i], src[i]);
}

static ArticQpParams *
params_or_default (const ArticQpParams *params, ArticQpParams *storage)
{
  if (params != NULL)
    *storage = *params;
  else
    artic_qp_params_init (storage);
  return storage;
}

ArticQpMap *
artic_qp_map_from_importance (guint width, guint height,
    const gfloat *importance, const ArticQpParams *params)
{
  ArticQpParams p;
  ArticQpMap *map;
  gsize i;

  params_or_default (params, &p);
  map = artic_qp_map_new (width, height, p.block_size);
  if (map == NULL)
    return NULL;
  for (i = 0; i < (gsize) map->cols * map->rows; i++)
    map->delta_qp[i] = (gint8) CLAMP (
        artic_qp_delta_from_importance (importance[i], &p), -128, 127);
  return map;
}

ArticQpMap *
artic_qp_map_from_boxes (guint width, guint height, const ArticRoiBox *boxes,
    guint n_boxes, const ArticQpParams *params)
{
  ArticQpParams p;
  ArticQpMap *map;
  gfloat *importance;

  params_or_default (params, &p);
  map = artic_qp_map_new (width, height, p.block_size);
  if (map == NULL)
    return NULL;
  importance = g_new (gfloat, (gsize) map->cols * map->rows);
  if (artic_roi_importance_from_boxes (
          width, height, p.block_size, boxes, n_boxes, importance)) {
    gsize i;

    for (i = 0; i < (gsize) map->cols * map->rows; i++)
      map->delta_qp[i] = (gint8) CLAMP (
          artic_qp_delta_from_importance (importance[i], &p), -128, 127);
  } else {
    /* Nothing to look at: a moderate uniform offset, not the maximum, so a
     * question about the whole scene still gets a usable picture. */
    artic_qp_map_fill (map, p.no_box_delta);
  }
  g_free (importance);
  return map;
}

gboolean
artic_qp_map_combine_min (ArticQpMap *dst, const ArticQpMap *src)
{
  gsize i;

  if (dst->cols != src->cols || dst->rows != src->rows)
    return FALSE;
  for (i = 0; i < (gsize) dst->cols * dst->rows; i++)
    dst->delta_qp[i] = MIN (dst->delta_qp[i], src->delta_qp[i]);
  return TRUE;
}
