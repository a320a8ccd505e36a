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

#include "artic-roi-prefilter.h"

#include <string.h>

/* Block weights are fixed point: 256 = the low-passed pixel only. */
#define WEIGHT_ONE 256
/* Box sums are divided by the box area with a multiply and this shift:
 * sums stay below 2^21 and the area below 2^13, so the quotient is exact
 * (the reciprocal's rounding error times the sum stays below 2^40). */
#define RECIPROCAL_SHIFT 40

struct _ArticRoiPrefilter
{
  guint16 *row_sums; /* horizontal box sums, one per plane pixel */
  gsize row_sums_len;
  guint32 *col_sums; /* running vertical sums of row_sums, one per column */
  gsize col_sums_len;
  guint16 *weights; /* one per map block */
  gsize weights_len;
  guint32 *block_col; /* the map column of each plane column */
  gsize block_col_len;
};

void
artic_roi_prefilter_params_init (ArticRoiPrefilterParams *params)
{
  params->threshold = 12;
  params->full = 20;
  params->radius = 4;
}

gboolean
artic_roi_prefilter_params_valid (const ArticRoiPrefilterParams *params)
{
  return params != NULL && params->threshold >= 0
         && params->full > params->threshold && params->radius >= 1
         && params->radius <= ARTIC_ROI_PREFILTER_MAX_RADIUS;
}

ArticRoiPrefilter *
artic_roi_prefilter_new (void)
{
  return g_new0 (ArticRoiPrefilter, 1);
}

void
artic_roi_prefilter_free (ArticRoiPrefilter *pf)
{
  if (pf == NULL)
    return;
  g_free (pf->row_sums);
  g_free (pf->col_sums);
  g_free (pf->weights);
  g_free (pf->block_col);
  g_free (pf);
}

/* Grows a scratch array to at least @len elements of @size bytes. */
static gpointer
scratch (gpointer mem, gsize *have, gsize len, gsize size)
{
  if (*have >= len)
    return mem;
  g_free (mem);
  *have = len;
  return g_malloc (len * size);
}

static guint
block_weight (gint delta, const ArticRoiPrefilterParams *params)
{
  if (delta <= params->threshold)
    return 0;
  if (delta >= params->full)
    return WEIGHT_ONE;
  return (guint) ((delta - params->threshold) * WEIGHT_ONE
                  / (params->full - params->threshold));
}

gboolean
artic_roi_prefilter_needed (
    const ArticQpMap *map, const ArticRoiPrefilterParams *params)
{
  gsize i;

  if (map == NULL || !artic_roi_prefilter_params_valid (params))
    return FALSE;
  for (i = 0; i < (gsize) map->cols * map->rows; i++)
    if (block_weight (map->delta_qp[i], params) > 0)
      return TRUE;
  return FALSE;
}

/* Box sums along each row (edges repeat the border pixel). */
static void
sum_rows (guint16 *sums, const guint8 *src, gsize stride, guint width,
    guint height, guint r)
{
  guint x, y, i;

  for (y = 0; y < height; y++) {
    const guint8 *s = src + y * stride;
    guint16 *out = sums + (gsize) y * width;
    guint sum = s[0] * (r + 1);

    for (i = 1; i <= r; i++)
      sum += s[MIN (i, width - 1)];
    for (x = 0; x < width; x++) {
      out[x] = (guint16) sum;
      sum += s[MIN (x + r + 1, width - 1)];
      sum -= s[x >= r ? x - r : 0];
    }
  }
}

/* Mixes one output row: the source where the block's weight is 0 (byte
 * for byte), the box mean where it is WEIGHT_ONE, in proportion between. */
static void
mix_row (guint8 *out, const guint8 *s, const guint32 *col_sums,
    const guint16 *weights, const guint32 *block_col, guint width,
    guint64 reciprocal)
{
  guint x;

  for (x = 0; x < width; x++) {
    guint w = weights[block_col[x]];
    gint mean, v;

    if (w == 0) {
      out[x] = s[x];
      continue;
    }
    mean = (gint) ((col_sums[x] * reciprocal) >> RECIPROCAL_SHIFT);
    v = s[x] + (((mean - s[x]) * (gint) w + WEIGHT_ONE / 2) >> 8);
    out[x] = (guint8) CLAMP (v, 0, 255);
  }
}

gboolean
artic_roi_prefilter_plane (ArticRoiPrefilter *pf, const ArticQpMap *map,
    const ArticRoiPrefilterParams *params, guint subsampling, const guint8 *src,
    gsize src_stride, guint8 *dst, gsize dst_stride, guint width, guint height)
{
  guint r, x, y, i, area;
  gsize n_blocks;
  guint64 reciprocal;
  gboolean any = FALSE;

  if (pf == NULL || map == NULL || src == NULL || dst == NULL
      || !artic_roi_prefilter_params_valid (params)
      || (subsampling != 1 && subsampling != 2) || width == 0 || height == 0
      || src_stride < width || dst_stride < width
      || width != (map->width + subsampling - 1) / subsampling
      || height != (map->height + subsampling - 1) / subsampling)
    return FALSE;
  r = MAX (1u, params->radius / subsampling);
  n_blocks = (gsize) map->cols * map->rows;
  pf->weights = scratch (pf->weights, &pf->weights_len, n_blocks, 2);
  for (i = 0; i < n_blocks; i++) {
    pf->weights[i] = (guint16) block_weight (map->delta_qp[i], params);
    any |= pf->weights[i] > 0;
  }
  if (!any) {
    for (y = 0; y < height; y++)
      memcpy (dst + y * dst_stride, src + y * src_stride, width);
    return TRUE;
  }

  pf->row_sums
      = scratch (pf->row_sums, &pf->row_sums_len, (gsize) width * height, 2);
  pf->col_sums = scratch (pf->col_sums, &pf->col_sums_len, width, 4);
  pf->block_col = scratch (pf->block_col, &pf->block_col_len, width, 4);
  for (x = 0; x < width; x++)
    pf->block_col[x] = MIN (x * subsampling / map->block_size, map->cols - 1);
  sum_rows (pf->row_sums, src, src_stride, width, height, r);

  area = (2 * r + 1) * (2 * r + 1);
  reciprocal = ((G_GUINT64_CONSTANT (1) << RECIPROCAL_SHIFT) + area - 1) / area;
  /* Rounded rather than truncated means: + area / 2 in every sum. */
  for (x = 0; x < width; x++) {
    guint32 sum = pf->row_sums[x] * (r + 1) + area / 2;

    for (i = 1; i <= r; i++)
      sum += pf->row_sums[(gsize) MIN (i, height - 1) * width + x];
    pf->col_sums[x] = sum;
  }
  for (y = 0; y < height; y++) {
    guint block_row = MIN (y * subsampling / map->block_size, map->rows - 1);
    const guint16 *add
        = pf->row_sums + (gsize) MIN (y + r + 1, height - 1) * width;
    const guint16 *sub = pf->row_sums + (gsize) (y >= r ? y - r : 0) * width;

    mix_row (dst + y * dst_stride, src + y * src_stride, pf->col_sums,
        pf->weights + (gsize) block_row * map->cols, pf->block_col, width,
        reciprocal);
    for (x = 0; x < width; x++)
      pf->col_sums[x] += add[x] - sub[x];
  }
  return TRUE;
}

gboolean
artic_roi_prefilter_i420 (ArticRoiPrefilter *pf, const ArticQpMap *map,
    const ArticRoiPrefilterParams *params, const guint8 *const src[3],
    const gint src_strides[3], guint8 *const dst[3], const gint dst_strides[3])
{
  guint i;

  if (src == NULL || dst == NULL || src_strides == NULL || dst_strides == NULL
      || !artic_roi_prefilter_needed (map, params))
    return FALSE;
  /* Everything checked before the first plane is written. */
  for (i = 0; i < 3; i++) {
    guint sub = i == 0 ? 1 : 2, width = (map->width + sub - 1) / sub;

    if (src[i] == NULL || dst[i] == NULL || src_strides[i] < (gint) width
        || dst_strides[i] < (gint) width)
      return FALSE;
  }
  for (i = 0; i < 3; i++) {
    guint sub = i == 0 ? 1 : 2;

    if (!artic_roi_prefilter_plane (pf, map, params, sub, src[i],
            (gsize) src_strides[i], dst[i], (gsize) dst_strides[i],
            (map->width + sub - 1) / sub, (map->height + sub - 1) / sub))
      return FALSE;
  }
  return TRUE;
}
