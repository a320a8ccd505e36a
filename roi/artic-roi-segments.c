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

#include "artic-roi-segments.h"

#define N_DELTA_BINS 256 /* every gint8 value */
#define DELTA_OFFSET 128

guint
artic_roi_codec_block_size (ArticRoiCodec codec)
{
  return codec == ARTIC_ROI_CODEC_VP9 ? 8 : 16;
}

guint
artic_roi_codec_max_segments (ArticRoiCodec codec)
{
  switch (codec) {
    case ARTIC_ROI_CODEC_VP8:
      return 4;
    case ARTIC_ROI_CODEC_VP9:
      return 7;
    default:
      return 0;
  }
}

ArticQpMap *
artic_qp_map_resample_min (const ArticQpMap *map, guint block_size)
{
  ArticQpMap *out;
  guint c, r, fc, fr;

  g_return_val_if_fail (map != NULL, NULL);
  out = artic_qp_map_new (map->width, map->height, block_size);
  if (out == NULL)
    return NULL;
  for (r = 0; r < out->rows; r++) {
    /* Fine rows covering pixel rows [y0, y1]. */
    guint y0 = r * block_size;
    guint y1 = MIN (y0 + block_size, map->height) - 1;
    guint fr0 = y0 / map->block_size, fr1 = y1 / map->block_size;

    for (c = 0; c < out->cols; c++) {
      guint x0 = c * block_size;
      guint x1 = MIN (x0 + block_size, map->width) - 1;
      guint fc0 = x0 / map->block_size, fc1 = x1 / map->block_size;
      gint v = G_MAXINT;

      for (fr = fr0; fr <= fr1; fr++)
        for (fc = fc0; fc <= fc1; fc++)
          v = MIN (v, map->delta_qp[(gsize) fr * map->cols + fc]);
      out->delta_qp[(gsize) r * out->cols + c] = (gint8) v;
    }
  }
  return out;
}

/* Prefix sums over the distinct values, so the cost of giving one level to
 * a run of values is O(1). */
typedef struct
{
  guint n;
  gint *value;
  gdouble *cnt, *sum, *sq; /* prefix sums, n + 1 entries */
  gint zero_index;         /* index of value 0, or -1 */
  gboolean keep_zero;
} Runs;

/* Cost and level of one cluster holding distinct values [i, j). The best
 * integer level for squared error is the rounded mean; a cluster holding 0
 * must use level 0 when 0 is kept. */
static gdouble
cluster_cost (const Runs *runs, guint i, guint j, gint *level)
{
  gdouble cnt = runs->cnt[j] - runs->cnt[i];
  gdouble sum = runs->sum[j] - runs->sum[i];
  gdouble sq = runs->sq[j] - runs->sq[i];
  gdouble l;

  if (runs->keep_zero && runs->zero_index >= (gint) i
      && runs->zero_index < (gint) j)
    l = 0.0;
  else
    l = round (sum / cnt);
  if (level != NULL)
    *level = (gint) l;
  return MAX (sq - 2.0 * l * sum + l * l * cnt, 0.0);
}

guint
artic_roi_quantize_levels (const guint *hist, gint min_value, guint n_bins,
    guint k, gboolean keep_zero, gint *levels)
{
  Runs runs = {
    0,
  };
  gdouble *cost;
  guint *cut, b, i, j, m, n, used;

  g_return_val_if_fail (hist != NULL && levels != NULL, 0);
  if (k == 0)
    return 0;
  runs.value = g_new (gint, n_bins);
  runs.cnt = g_new0 (gdouble, n_bins + 1);
  runs.sum = g_new0 (gdouble, n_bins + 1);
  runs.sq = g_new0 (gdouble, n_bins + 1);
  runs.zero_index = -1;
  runs.keep_zero = keep_zero;
  for (b = 0; b < n_bins; b++) {
    gdouble v = (gdouble) min_value + b, c = hist[b];

    if (hist[b] == 0)
      continue;
    if (min_value + (gint) b == 0)
      runs.zero_index = runs.n;
    runs.value[runs.n] = min_value + (gint) b;
    runs.cnt[runs.n + 1] = runs.cnt[runs.n] + c;
    runs.sum[runs.n + 1] = runs.sum[runs.n] + c * v;
    runs.sq[runs.n + 1] = runs.sq[runs.n] + c * v * v;
    runs.n++;
  }
  n = runs.n;
  used = MIN (k, n);
  if (n == 0) {
    used = 0;
    goto out;
  }

  /* cost[m][j]: best error putting the first j values into m clusters;
   * cut[m][j]: where the last of those clusters starts. Clusters of an
   * optimal 1-D quantizer are runs of consecutive values, so this DP is
   * exact: O(k n^2) with n <= 256 distinct values. */
  cost = g_new (gdouble, (gsize) (used + 1) * (n + 1));
  cut = g_new0 (guint, (gsize) (used + 1) * (n + 1));
  for (j = 0; j <= n; j++)
    cost[j] = j == 0 ? 0.0 : G_MAXDOUBLE;
  for (m = 1; m <= used; m++) {
    for (j = 0; j <= n; j++) {
      gdouble best = G_MAXDOUBLE;
      guint best_i = 0;

      for (i = m - 1; i < j; i++) {
        gdouble prev = cost[(gsize) (m - 1) * (n + 1) + i], c;

        if (prev == G_MAXDOUBLE)
          continue;
        c = prev + cluster_cost (&runs, i, j, NULL);
        if (c < best) {
          best = c;
          best_i = i;
        }
      }
      cost[(gsize) m * (n + 1) + j] = best;
      cut[(gsize) m * (n + 1) + j] = best_i;
    }
  }
  /* Walk the cuts back from (used, n). */
  j = n;
  for (m = used; m >= 1; m--) {
    i = cut[(gsize) m * (n + 1) + j];
    cluster_cost (&runs, i, j, &levels[m - 1]);
    j = i;
  }
  g_free (cost);
  g_free (cut);

out:
  g_free (runs.value);
  g_free (runs.cnt);
  g_free (runs.sum);
  g_free (runs.sq);
  return used;
}

/* The level nearest to @v; ties go to the lower (better quality) one. */
static guint
nearest_level (const gint *levels, guint n, gint v)
{
  guint s, best = 0;

  for (s = 1; s < n; s++)
    if (ABS (levels[s] - v) < ABS (levels[best] - v))
      best = s;
  return best;
}

ArticRoiSegments *
artic_roi_segments_from_map (const ArticQpMap *map, ArticRoiCodec codec)
{
  ArticRoiSegments *seg;
  ArticQpMap *grid;
  guint hist[N_DELTA_BINS] = { 0, }, k;
  guint8 lookup[N_DELTA_BINS];
  gsize i, n;

  g_return_val_if_fail (map != NULL, NULL);
  grid = artic_qp_map_resample_min (map, artic_roi_codec_block_size (codec));
  if (grid == NULL)
    return NULL;
  n = (gsize) grid->cols * grid->rows;
  seg = g_new0 (ArticRoiSegments, 1);
  seg->codec = codec;
  seg->cols = grid->cols;
  seg->rows = grid->rows;
  seg->block_size = grid->block_size;
  seg->delta = grid->delta_qp;
  grid->delta_qp = NULL;
  artic_qp_map_free (grid);

  k = artic_roi_codec_max_segments (codec);
  if (k == 0)
    return seg; /* H.264: the per-block offsets are the answer */

  for (i = 0; i < n; i++)
    hist[seg->delta[i] + DELTA_OFFSET]++;
  seg->n_segments = artic_roi_quantize_levels (
      hist, -DELTA_OFFSET, N_DELTA_BINS, k, TRUE, seg->segment_delta);
  /* One nearest-level lookup per distinct value, not per block. */
  for (i = 0; i < N_DELTA_BINS; i++)
    lookup[i] = (guint8) nearest_level (
        seg->segment_delta, seg->n_segments, (gint) i - DELTA_OFFSET);
  seg->segment_id = g_new (guint8, n);
  for (i = 0; i < n; i++) {
    guint8 id = lookup[seg->delta[i] + DELTA_OFFSET];

    seg->segment_id[i] = id;
    seg->delta[i] = (gint8) seg->segment_delta[id];
  }
  return seg;
}

void
artic_roi_segments_free (ArticRoiSegments *segments)
{
  if (segments == NULL)
    return;
  g_free (segments->segment_id);
  g_free (segments->delta);
  g_free (segments);
}
