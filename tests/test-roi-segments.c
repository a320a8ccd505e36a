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

#include "artic-roi-segments.h"

static guint
distinct_values (const gint8 *v, gsize n)
{
  gboolean seen[256] = {
    FALSE,
  };
  guint count = 0;
  gsize i;

  for (i = 0; i < n; i++)
    if (!seen[v[i] + 128]) {
      seen[v[i] + 128] = TRUE;
      count++;
    }
  return count;
}

static ArticQpMap *
random_map (guint w, guint h, guint bs, GRand *rand)
{
  ArticQpMap *map = artic_qp_map_new (w, h, bs);
  gsize i;

  for (i = 0; i < (gsize) map->cols * map->rows; i++)
    map->delta_qp[i] = (gint8) g_rand_int_range (rand, 0, 26);
  return map;
}

static void
test_grid_sizes (void)
{
  ArticRoiBox b = { 100, 100, 300, 300 };
  ArticQpParams p;
  ArticQpMap *map;
  ArticRoiSegments *s;
  guint sizes[][2] = { { 650, 367 }, { 1, 1 }, { 17, 9 }, { 1280, 720 } };
  guint i, k;

  artic_qp_params_init (&p);
  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    guint w = sizes[i][0], h = sizes[i][1];

    for (k = 0; k < 2; k++) {
      p.block_size = k == 0 ? 64 : 8;
      map = artic_qp_map_from_boxes (w, h, &b, 1, &p);
      s = artic_roi_segments_from_map (map, ARTIC_ROI_CODEC_VP8);
      g_assert_cmpuint (s->rows, ==, (h + 15) / 16);
      g_assert_cmpuint (s->cols, ==, (w + 15) / 16);
      g_assert_cmpuint (s->n_segments, <=, 4);
      artic_roi_segments_free (s);
      s = artic_roi_segments_from_map (map, ARTIC_ROI_CODEC_VP9);
      g_assert_cmpuint (s->rows, ==, (h + 7) / 8);
      g_assert_cmpuint (s->cols, ==, (w + 7) / 8);
      g_assert_cmpuint (s->n_segments, <=, 7);
      artic_roi_segments_free (s);
      s = artic_roi_segments_from_map (map, ARTIC_ROI_CODEC_H264);
      g_assert_cmpuint (s->rows, ==, (h + 15) / 16);
      g_assert_cmpuint (s->cols, ==, (w + 15) / 16);
      g_assert_null (s->segment_id);
      artic_roi_segments_free (s);
      artic_qp_map_free (map);
    }
  }
}

static void
test_segment_counts_and_ids (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  ArticQpMap *map = random_map (650, 367, 8, rand);
  ArticRoiCodec codecs[] = { ARTIC_ROI_CODEC_VP8, ARTIC_ROI_CODEC_VP9 };
  guint c;

  for (c = 0; c < G_N_ELEMENTS (codecs); c++) {
    ArticRoiSegments *s = artic_roi_segments_from_map (map, codecs[c]);
    gsize i, n = (gsize) s->cols * s->rows;
    guint limit = codecs[c] == ARTIC_ROI_CODEC_VP8 ? 4 : 7;

    g_assert_cmpuint (s->n_segments, ==, limit);
    g_assert_cmpuint (distinct_values (s->delta, n), <=, limit);
    for (i = 1; i < s->n_segments; i++)
      g_assert_cmpint (s->segment_delta[i - 1], <, s->segment_delta[i]);
    for (i = 0; i < n; i++) {
      g_assert_cmpuint (s->segment_id[i], <, s->n_segments);
      g_assert_cmpint (s->delta[i], ==, s->segment_delta[s->segment_id[i]]);
    }
    artic_roi_segments_free (s);
  }
  artic_qp_map_free (map);
  g_rand_free (rand);
}

static void
test_zero_region_stays_zero (void)
{
  /* A box over a 64 px map: the fine blocks at 0 must be 0 in every codec
   * block that overlaps them, whatever the quantization does. */
  ArticRoiBox b = { 400, 400, 430, 450 };
  ArticQpMap *map = artic_qp_map_from_boxes (650, 367, &b, 1, NULL);
  ArticRoiCodec codecs[]
      = { ARTIC_ROI_CODEC_VP8, ARTIC_ROI_CODEC_VP9, ARTIC_ROI_CODEC_H264 };
  guint c, r, col, zeros = 0;

  for (c = 0; c < G_N_ELEMENTS (codecs); c++) {
    ArticRoiSegments *s = artic_roi_segments_from_map (map, codecs[c]);

    for (r = 0; r < s->rows; r++)
      for (col = 0; col < s->cols; col++) {
        guint fx = MIN (col * s->block_size, 649) / 64;
        guint fy = MIN (r * s->block_size, 366) / 64;

        if (artic_qp_map_get (map, fx, fy) == 0) {
          g_assert_cmpint (s->delta[r * s->cols + col], ==, 0);
          zeros++;
        }
      }
    artic_roi_segments_free (s);
  }
  g_assert_cmpuint (zeros, >, 0);
  artic_qp_map_free (map);
}

static void
test_resample_min (void)
{
  ArticQpMap *fine = artic_qp_map_new (40, 24, 8), *coarse;

  /* 5 x 3 fine blocks; 16 px blocks cover 2 x 2 of them (3 x 2 grid). */
  artic_qp_map_fill (fine, 20);
  artic_qp_map_set (fine, 1, 1, 3);
  artic_qp_map_set (fine, 4, 2, 7);
  coarse = artic_qp_map_resample_min (fine, 16);
  g_assert_cmpuint (coarse->cols, ==, 3);
  g_assert_cmpuint (coarse->rows, ==, 2);
  g_assert_cmpint (artic_qp_map_get (coarse, 0, 0), ==, 3);
  g_assert_cmpint (artic_qp_map_get (coarse, 1, 0), ==, 20);
  g_assert_cmpint (artic_qp_map_get (coarse, 2, 1), ==, 7);
  g_assert_cmpint (artic_qp_map_get (coarse, 0, 1), ==, 20);
  artic_qp_map_free (coarse);
  artic_qp_map_free (fine);
}

static gdouble
sse (const ArticQpMap *grid, const gint8 *quantized)
{
  gdouble e = 0;
  gsize i;

  for (i = 0; i < (gsize) grid->cols * grid->rows; i++) {
    gdouble d = grid->delta_qp[i] - quantized[i];

    e += d * d;
  }
  return e;
}

/* Uniformly spaced levels over [min, max], each value to the nearest. */
static gdouble
naive_sse (const ArticQpMap *grid, guint k)
{
  gint lo = G_MAXINT, hi = G_MININT;
  gdouble e = 0;
  gsize i, n = (gsize) grid->cols * grid->rows;

  for (i = 0; i < n; i++) {
    lo = MIN (lo, grid->delta_qp[i]);
    hi = MAX (hi, grid->delta_qp[i]);
  }
  for (i = 0; i < n; i++) {
    gdouble step = k > 1 ? (gdouble) (hi - lo) / (k - 1) : 0;
    gdouble q = k > 1
                    ? lo + step * (gint) ((grid->delta_qp[i] - lo) / step + 0.5)
                    : lo;
    gdouble d = grid->delta_qp[i] - (gint) (q + 0.5);

    e += d * d;
  }
  return e;
}

static void
test_optimal_beats_uniform (void)
{
  GRand *rand = g_rand_new_with_seed (42);
  guint trial;

  for (trial = 0; trial < 20; trial++) {
    ArticQpMap *map = random_map (320, 240, 8, rand), *grid;
    ArticRoiSegments *s;
    gsize i;

    /* Skew the distribution so uniform levels are clearly not optimal. */
    for (i = 0; i < (gsize) map->cols * map->rows; i++)
      if (g_rand_int_range (rand, 0, 3))
        map->delta_qp[i] = (gint8) g_rand_int_range (rand, 0, 4);
    grid = artic_qp_map_resample_min (map, 16);
    s = artic_roi_segments_from_map (map, ARTIC_ROI_CODEC_VP8);
    g_assert_cmpfloat (sse (grid, s->delta), <=, naive_sse (grid, 4));
    artic_roi_segments_free (s);
    artic_qp_map_free (grid);

    s = artic_roi_segments_from_map (map, ARTIC_ROI_CODEC_VP9);
    g_assert_cmpfloat (sse (map, s->delta), <=, naive_sse (map, 7));
    artic_roi_segments_free (s);
    artic_qp_map_free (map);
  }
  g_rand_free (rand);
}

static void
test_quantize_levels (void)
{
  guint hist[11] = { 5, 0, 0, 0, 0, 0, 0, 0, 0, 1, 10 }; /* values 0..10 */
  guint few[3] = { 0, 2, 3 };                            /* values 5..7 */
  guint zeros[4] = { 0 };
  gint levels[8];
  guint n;

  n = artic_roi_quantize_levels (hist, 0, 11, 2, TRUE, levels);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (levels[0], ==, 0);
  g_assert_cmpint (levels[1], ==, 10); /* (9 + 100) / 11 = 9.9 */
  /* Without the zero constraint a single level is the rounded mean. */
  n = artic_roi_quantize_levels (hist, 0, 11, 1, FALSE, levels);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (levels[0], ==, 7); /* 109 / 16 = 6.8 */
  /* With it, the single level must be 0. */
  n = artic_roi_quantize_levels (hist, 0, 11, 1, TRUE, levels);
  g_assert_cmpint (levels[0], ==, 0);
  /* Fewer distinct values than levels: each exact. */
  n = artic_roi_quantize_levels (few, 5, 3, 4, TRUE, levels);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (levels[0], ==, 6);
  g_assert_cmpint (levels[1], ==, 7);
  g_assert_cmpuint (
      artic_roi_quantize_levels (zeros, 0, 4, 4, TRUE, levels), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roi-segments/grid-sizes", test_grid_sizes);
  g_test_add_func ("/roi-segments/counts-and-ids", test_segment_counts_and_ids);
  g_test_add_func (
      "/roi-segments/zero-stays-zero", test_zero_region_stays_zero);
  g_test_add_func ("/roi-segments/resample-min", test_resample_min);
  g_test_add_func (
      "/roi-segments/optimal-beats-uniform", test_optimal_beats_uniform);
  g_test_add_func ("/roi-segments/quantize-levels", test_quantize_levels);
  return g_test_run ();
}
