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

/* The background pre-filter (roi/artic-roi-prefilter.h) on synthetic
 * planes: the region untouched byte for byte, the background smoothed,
 * odd sizes, strides, no map and bad arguments. */

#include <string.h>

#include "artic-roi-prefilter.h"

/* A noisy plane: every pixel independent, so a box mean must flatten it. */
static guint8 *
noise_plane (guint width, guint height, gsize stride, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  guint8 *plane = g_malloc (stride * height);
  gsize i;

  for (i = 0; i < stride * height; i++)
    plane[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  return plane;
}

/* Variance of the pixels of a rectangle of a plane. */
static gdouble
variance (
    const guint8 *plane, gsize stride, guint x0, guint y0, guint x1, guint y1)
{
  gdouble sum = 0, sum2 = 0, n = (gdouble) (x1 - x0) * (y1 - y0);
  guint x, y;

  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++) {
      sum += plane[y * stride + x];
      sum2 += (gdouble) plane[y * stride + x] * plane[y * stride + x];
    }
  return sum2 / n - (sum / n) * (sum / n);
}

/* A map of @width x @height on 64-pixel blocks: 0 in block (1, 0), 25 in
 * the rest; with the defaults, block (1, 0) is the region. */
static ArticQpMap *
region_map (guint width, guint height)
{
  ArticQpMap *map = artic_qp_map_new (width, height, 64);

  artic_qp_map_fill (map, 25);
  artic_qp_map_set (map, 1, 0, 0);
  return map;
}

static void
test_region_untouched_background_smoothed (void)
{
  /* Odd sizes: partial edge blocks, odd chroma. */
  guint sizes[][2] = { { 200, 130 }, { 641, 361 }, { 127, 65 } };
  ArticRoiPrefilterParams params;
  ArticRoiPrefilter *pf = artic_roi_prefilter_new ();
  guint i;

  artic_roi_prefilter_params_init (&params);
  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    guint w = sizes[i][0], h = sizes[i][1], x, y;
    gsize stride = w + 13;
    ArticQpMap *map = region_map (w, h);
    guint8 *src = noise_plane (w, h, stride, 7 + i);
    guint8 *dst = g_malloc0 (stride * h);
    guint rx1 = MIN (128u, w), ry1 = MIN (64u, h);

    g_assert_true (artic_roi_prefilter_plane (
        pf, map, &params, 1, src, stride, dst, stride, w, h));
    /* The region block (x 64..127, y 0..63) byte for byte. */
    for (y = 0; y < ry1; y++)
      g_assert_cmpmem (
          dst + y * stride + 64, rx1 - 64, src + y * stride + 64, rx1 - 64);
    /* The background: uniform noise has variance ~5460; a 9x9 mean of it
     * ~67. */
    g_assert_cmpfloat (variance (src, stride, 0, 0, 64, ry1), >, 4000.0);
    g_assert_cmpfloat (variance (dst, stride, 0, 0, 64, ry1), <, 400.0);
    if (h > 64)
      g_assert_cmpfloat (variance (dst, stride, 0, 64, w, h), <, 400.0);
    /* Padding beyond the width is not written. */
    for (y = 0; y < h; y++)
      for (x = w; x < stride; x++)
        g_assert_cmpuint (dst[y * stride + x], ==, 0);
    g_free (src);
    g_free (dst);
    artic_qp_map_free (map);
  }
  artic_roi_prefilter_free (pf);
}

/* Offsets between threshold and full mix in proportion: less smoothing
 * than a full-strength block, more than none. */
static void
test_strength_grows_with_offset (void)
{
  guint w = 192, h = 64;
  ArticRoiPrefilterParams params;
  ArticRoiPrefilter *pf = artic_roi_prefilter_new ();
  ArticQpMap *map = artic_qp_map_new (w, h, 64);
  guint8 *src = noise_plane (w, h, w, 3);
  guint8 *dst = g_malloc (w * h);
  gdouble v_full, v_half, v_none;

  artic_roi_prefilter_params_init (&params);
  artic_qp_map_set (map, 0, 0, params.full);
  artic_qp_map_set (map, 1, 0, (params.threshold + params.full) / 2);
  artic_qp_map_set (map, 2, 0, params.threshold);
  g_assert_true (
      artic_roi_prefilter_plane (pf, map, &params, 1, src, w, dst, w, w, h));
  v_full = variance (dst, w, 0, 0, 64, h);
  v_half = variance (dst, w, 64, 0, 128, h);
  v_none = variance (dst, w, 128, 0, 192, h);
  g_assert_cmpfloat (v_full, <, v_half);
  g_assert_cmpfloat (v_half, <, v_none);
  g_assert_cmpmem (dst + 128, 64, src + 128, 64);
  g_free (src);
  g_free (dst);
  artic_qp_map_free (map);
  artic_roi_prefilter_free (pf);
}

/* A flat plane stays flat: the mean of equal pixels is the pixel (no
 * rounding drift at the edges). */
static void
test_flat_plane_unchanged (void)
{
  guint w = 100, h = 70;
  ArticRoiPrefilterParams params;
  ArticRoiPrefilter *pf = artic_roi_prefilter_new ();
  ArticQpMap *map = artic_qp_map_new (w, h, 64);
  guint8 *src = g_malloc (w * h), *dst = g_malloc0 (w * h);

  artic_roi_prefilter_params_init (&params);
  params.radius = ARTIC_ROI_PREFILTER_MAX_RADIUS;
  artic_qp_map_fill (map, 51);
  memset (src, 201, w * h);
  g_assert_true (
      artic_roi_prefilter_plane (pf, map, &params, 1, src, w, dst, w, w, h));
  g_assert_cmpmem (dst, w * h, src, w * h);
  g_free (src);
  g_free (dst);
  artic_qp_map_free (map);
  artic_roi_prefilter_free (pf);
}

/* I420: the chroma planes follow the map at half size; no map, or no block
 * above the threshold, is a no-op that leaves dst as it was. */
static void
test_i420 (void)
{
  guint w = 161, h = 97, cw = (w + 1) / 2, ch = (h + 1) / 2, p, y;
  ArticRoiPrefilterParams params;
  ArticRoiPrefilter *pf = artic_roi_prefilter_new ();
  ArticQpMap *map = region_map (w, h), *region_only;
  guint8 *src_mem[3], *dst_mem[3];
  const guint8 *src[3];
  guint8 *dst[3];
  gint strides[3] = { (gint) w, (gint) cw, (gint) cw };
  gint short_strides[3] = { (gint) w - 1, (gint) cw, (gint) cw };

  artic_roi_prefilter_params_init (&params);
  for (p = 0; p < 3; p++) {
    guint pw = p ? cw : w, ph = p ? ch : h;

    src_mem[p] = noise_plane (pw, ph, pw, 11 + p);
    dst_mem[p] = g_malloc0 (pw * ph);
    src[p] = src_mem[p];
    dst[p] = dst_mem[p];
  }
  /* Nothing to do: dst untouched (all zero still). */
  g_assert_false (
      artic_roi_prefilter_i420 (pf, NULL, &params, src, strides, dst, strides));
  region_only = artic_qp_map_new (w, h, 64);
  g_assert_false (artic_roi_prefilter_needed (region_only, &params));
  g_assert_false (artic_roi_prefilter_i420 (
      pf, region_only, &params, src, strides, dst, strides));
  /* A stride shorter than the plane: refused before anything is written. */
  g_assert_false (artic_roi_prefilter_i420 (
      pf, map, &params, src, short_strides, dst, strides));
  for (p = 0; p < 3; p++)
    for (y = 0; y < (p ? ch : h) * (p ? cw : w); y++)
      g_assert_cmpuint (dst_mem[p][y], ==, 0);

  g_assert_true (
      artic_roi_prefilter_i420 (pf, map, &params, src, strides, dst, strides));
  /* Luma region x 64..127, y 0..63; chroma x 32..63, y 0..31. */
  for (y = 0; y < 64; y++)
    g_assert_cmpmem (dst[0] + y * w + 64, 64, src[0] + y * w + 64, 64);
  for (p = 1; p < 3; p++) {
    for (y = 0; y < 32; y++)
      g_assert_cmpmem (dst[p] + y * cw + 32, 32, src[p] + y * cw + 32, 32);
    g_assert_cmpfloat (variance (dst[p], cw, 0, 32, cw, ch), <, 1500.0);
  }
  for (p = 0; p < 3; p++) {
    g_free (src_mem[p]);
    g_free (dst_mem[p]);
  }
  artic_qp_map_free (map);
  artic_qp_map_free (region_only);
  artic_roi_prefilter_free (pf);
}

static void
test_bad_arguments (void)
{
  guint w = 128, h = 64;
  ArticRoiPrefilterParams params, bad;
  ArticRoiPrefilter *pf = artic_roi_prefilter_new ();
  ArticQpMap *map = region_map (w, h);
  guint8 *src = noise_plane (w, h, w, 5), *dst = g_malloc0 (w * h);

  artic_roi_prefilter_params_init (&params);
  g_assert_true (artic_roi_prefilter_params_valid (&params));
  g_assert_false (artic_roi_prefilter_params_valid (NULL));
  bad = params;
  bad.radius = 0;
  g_assert_false (artic_roi_prefilter_params_valid (&bad));
  bad.radius = ARTIC_ROI_PREFILTER_MAX_RADIUS + 1;
  g_assert_false (artic_roi_prefilter_params_valid (&bad));
  bad = params;
  bad.full = bad.threshold;
  g_assert_false (artic_roi_prefilter_params_valid (&bad));
  bad = params;
  bad.threshold = -1;
  g_assert_false (artic_roi_prefilter_params_valid (&bad));
  g_assert_false (
      artic_roi_prefilter_plane (pf, map, &bad, 1, src, w, dst, w, w, h));
  /* Plane size not the map's, subsampling not 1 or 2, short strides. */
  g_assert_false (
      artic_roi_prefilter_plane (pf, map, &params, 1, src, w, dst, w, w, 32));
  g_assert_false (
      artic_roi_prefilter_plane (pf, map, &params, 3, src, w, dst, w, w, h));
  g_assert_false (artic_roi_prefilter_plane (
      pf, map, &params, 1, src, w - 1, dst, w, w, h));
  g_assert_false (
      artic_roi_prefilter_plane (pf, NULL, &params, 1, src, w, dst, w, w, h));
  g_assert_false (
      artic_roi_prefilter_plane (NULL, map, &params, 1, src, w, dst, w, w, h));
  g_free (src);
  g_free (dst);
  artic_qp_map_free (map);
  artic_roi_prefilter_free (pf);
  artic_roi_prefilter_free (NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roi-prefilter/region-untouched-background-smoothed",
      test_region_untouched_background_smoothed);
  g_test_add_func ("/roi-prefilter/strength-grows-with-offset",
      test_strength_grows_with_offset);
  g_test_add_func ("/roi-prefilter/flat-plane", test_flat_plane_unchanged);
  g_test_add_func ("/roi-prefilter/i420", test_i420);
  g_test_add_func ("/roi-prefilter/bad-arguments", test_bad_arguments);
  return g_test_run ();
}
