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

#include "artic-qp-map.h"

static ArticRoiBox
box (gdouble x0, gdouble y0, gdouble x1, gdouble y1)
{
  ArticRoiBox b = { x0, y0, x1, y1 };

  return b;
}

static gint
max_delta (const ArticQpMap *map)
{
  gint m = G_MININT;
  gsize i;

  for (i = 0; i < (gsize) map->cols * map->rows; i++)
    m = MAX (m, map->delta_qp[i]);
  return m;
}

static void
test_defaults_and_rule (void)
{
  ArticQpParams p;

  artic_qp_params_init (&p);
  g_assert_cmpuint (p.block_size, ==, 64);
  g_assert_cmpfloat (p.gamma, ==, 3.0);
  g_assert_cmpint (p.base, ==, 26);
  g_assert_cmpint (p.max_delta, ==, 25);
  g_assert_cmpint (p.no_box_delta, ==, 18);
  g_assert_cmpint (artic_qp_delta_from_importance (1.0, &p), ==, 0);
  g_assert_cmpint (artic_qp_delta_from_importance (0.0, &p), ==, 25);
  /* r = 0.5: 51 * (1 - 0.125) = 44.625 -> 18.625 -> 19. */
  g_assert_cmpint (artic_qp_delta_from_importance (0.5, &p), ==, 19);
  /* r = 0.8: 51 * (1 - 0.512) = 24.888 -> below base -> 0. */
  g_assert_cmpint (artic_qp_delta_from_importance (0.8, &p), ==, 0);
  g_assert_cmpint (artic_qp_delta_from_importance (NAN, &p), ==, 25);
  g_assert_cmpint (artic_qp_delta_from_importance (7.0, &p), ==, 0);
  p.max_delta = 10;
  g_assert_cmpint (artic_qp_delta_from_importance (0.0, &p), ==, 10);
}

static void
test_box_inside_and_farthest (void)
{
  /* 1280x720, 64 px blocks: 20 x 12 (720 / 64 = 11.25 -> 12 rows). Box in
   * the top-left block; the farthest block is the bottom-right one. */
  ArticRoiBox b = box (0, 0, 50, 88); /* 0..64 x 0..63.4 px */
  ArticQpMap *map = artic_qp_map_from_boxes (1280, 720, &b, 1, NULL);

  g_assert_nonnull (map);
  g_assert_cmpuint (map->cols, ==, 20);
  g_assert_cmpuint (map->rows, ==, 12);
  g_assert_cmpuint (map->block_size, ==, 64);
  g_assert_cmpint (artic_qp_map_get (map, 0, 0), ==, 0);
  g_assert_cmpint (artic_qp_map_get (map, 19, 11), ==, 25);
  g_assert_cmpint (max_delta (map), ==, 25);
  /* Monotone away from the box along the top row. */
  for (guint c = 1; c < map->cols; c++)
    g_assert_cmpint (
        artic_qp_map_get (map, c, 0), >=, artic_qp_map_get (map, c - 1, 0));
  /* The immediate neighbour stays near full quality (r close to 1). */
  g_assert_cmpint (artic_qp_map_get (map, 1, 0), ==, 0);
  artic_qp_map_free (map);
}

static void
test_box_covering_frame (void)
{
  ArticRoiBox b = box (0, 0, 1000, 1000);
  ArticQpMap *map = artic_qp_map_from_boxes (640, 360, &b, 1, NULL);

  g_assert_cmpint (max_delta (map), ==, 0);
  artic_qp_map_free (map);
}

static void
test_two_boxes_and_overlap (void)
{
  ArticRoiBox two[2] = { box (0, 0, 100, 100), box (900, 900, 1000, 1000) };
  ArticRoiBox overlap[2]
      = { box (100, 100, 600, 600), box (400, 400, 900, 900) };
  ArticQpMap *map = artic_qp_map_from_boxes (1280, 720, two, 2, NULL);
  ArticQpMap *one;

  g_assert_cmpint (artic_qp_map_get (map, 0, 0), ==, 0);
  g_assert_cmpint (artic_qp_map_get (map, 19, 11), ==, 0);
  /* The middle of the frame is farthest from both. */
  g_assert_cmpint (artic_qp_map_get (map, 10, 5), >, 0);
  g_assert_cmpint (artic_qp_map_get (map, 0, 11), >, 0);
  artic_qp_map_free (map);

  /* Overlapping boxes: their union is at full quality. */
  map = artic_qp_map_from_boxes (1280, 720, overlap, 2, NULL);
  one = artic_qp_map_from_boxes (1280, 720, overlap, 1, NULL);
  for (guint r = 0; r < map->rows; r++)
    for (guint c = 0; c < map->cols; c++) {
      gdouble cx = (c * 64 + MIN (c * 64 + 64, 1280)) / 2.0 * 1000 / 1280;
      gdouble cy = (r * 64 + MIN (r * 64 + 64, 720)) / 2.0 * 1000 / 720;

      if ((cx >= 100 && cx <= 600 && cy >= 100 && cy <= 600)
          || (cx >= 400 && cx <= 900 && cy >= 400 && cy <= 900))
        g_assert_cmpint (artic_qp_map_get (map, c, r), ==, 0);
    }
  /* A block only in the second box: low quality with the first box alone,
   * full with both; the block farthest from both is at the maximum. */
  g_assert_cmpint (artic_qp_map_get (one, 15, 8), >, 0);
  g_assert_cmpint (artic_qp_map_get (map, 15, 8), ==, 0);
  g_assert_cmpint (artic_qp_map_get (map, 0, 11), ==, 25);
  g_assert_cmpint (artic_qp_map_get (map, 19, 0), >, 0);
  artic_qp_map_free (map);
  artic_qp_map_free (one);
}

static void
test_degenerate_box (void)
{
  /* A zero-area box (a point) still marks where to look. */
  ArticRoiBox point = box (500, 500, 500, 500);
  ArticQpMap *map = artic_qp_map_from_boxes (1280, 720, &point, 1, NULL);
  guint c = 640 / 64, r = 360 / 64;

  g_assert_cmpint (max_delta (map), ==, 25);
  /* The blocks around the point are near full quality. */
  g_assert_cmpint (artic_qp_map_get (map, c, r), ==, 0);
  g_assert_cmpint (artic_qp_map_get (map, c - 1, r), ==, 0);
  g_assert_cmpint (artic_qp_map_get (map, 0, 0), ==, 25);
  artic_qp_map_free (map);
}

static void
test_no_box_fallback (void)
{
  ArticRoiBox none[2] = { box (0, 0, 0, 0), box (0, 0, 0, 0) };
  ArticQpParams p;
  ArticQpMap *map;
  gsize i;

  map = artic_qp_map_from_boxes (1280, 720, NULL, 0, NULL);
  for (i = 0; i < (gsize) map->cols * map->rows; i++)
    g_assert_cmpint (map->delta_qp[i], ==, 18);
  artic_qp_map_free (map);

  artic_qp_params_init (&p);
  p.no_box_delta = 12;
  p.block_size = 16;
  map = artic_qp_map_from_boxes (650, 367, none, 2, &p);
  g_assert_cmpuint (map->cols, ==, 41);
  g_assert_cmpuint (map->rows, ==, 23);
  for (i = 0; i < (gsize) map->cols * map->rows; i++)
    g_assert_cmpint (map->delta_qp[i], ==, 12);
  artic_qp_map_free (map);
}

static void
test_odd_sizes_and_block_sizes (void)
{
  ArticRoiBox b = box (990, 990, 1000, 1000);
  ArticQpParams p;
  guint sizes[][2] = { { 1, 1 }, { 65, 65 }, { 650, 367 }, { 1920, 1080 } };
  guint bs[] = { 64, 16, 8 };

  artic_qp_params_init (&p);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint k = 0; k < G_N_ELEMENTS (bs); k++) {
      ArticQpMap *map, *copy;
      guint w = sizes[s][0], h = sizes[s][1];

      p.block_size = bs[k];
      map = artic_qp_map_from_boxes (w, h, &b, 1, &p);
      g_assert_nonnull (map);
      g_assert_cmpuint (map->cols, ==, (w + bs[k] - 1) / bs[k]);
      g_assert_cmpuint (map->rows, ==, (h + bs[k] - 1) / bs[k]);
      /* The partial bottom-right block is nearest the box. */
      for (guint i = 0; i < map->cols * map->rows; i++)
        g_assert_cmpint (artic_qp_map_get (map, map->cols - 1, map->rows - 1),
            <=, map->delta_qp[i]);
      if (map->cols * map->rows > 1)
        g_assert_cmpint (artic_qp_map_get (map, 0, 0), ==, 25);
      copy = artic_qp_map_copy (map);
      g_assert_cmpmem (copy->delta_qp, copy->cols * copy->rows, map->delta_qp,
          map->cols * map->rows);
      artic_qp_map_free (copy);
      artic_qp_map_free (map);
    }
  g_assert_null (artic_qp_map_new (0, 10, 16));
  g_assert_null (artic_qp_map_new (10, 10, 0));
  g_assert_null (artic_qp_map_new (100000, 10, 16));
}

static void
test_importance_combination (void)
{
  ArticRoiBox b = box (0, 0, 100, 100);
  ArticQpParams p;
  gfloat boxes[20 * 12], cues[20 * 12];
  ArticQpMap *map, *from_boxes;
  guint i;

  artic_qp_params_init (&p);
  g_assert_true (artic_roi_importance_from_boxes (1280, 720, 64, &b, 1, boxes));
  for (i = 0; i < G_N_ELEMENTS (cues); i++)
    cues[i] = 0.0f;
  cues[11 * 20 + 19] = 1.0f; /* a cue says: bottom-right block matters */
  from_boxes = artic_qp_map_from_importance (1280, 720, boxes, &p);
  artic_roi_importance_max (boxes, cues, G_N_ELEMENTS (cues));
  map = artic_qp_map_from_importance (1280, 720, boxes, &p);
  g_assert_cmpint (artic_qp_map_get (from_boxes, 19, 11), ==, 25);
  g_assert_cmpint (artic_qp_map_get (map, 19, 11), ==, 0);
  g_assert_cmpint (artic_qp_map_get (map, 0, 0), ==, 0);
  g_assert_cmpint (
      artic_qp_map_get (map, 10, 6), ==, artic_qp_map_get (from_boxes, 10, 6));

  /* The same through maps: min of deltas. */
  artic_qp_map_fill (map, 25);
  artic_qp_map_set (map, 19, 11, 0);
  g_assert_true (artic_qp_map_combine_min (from_boxes, map));
  g_assert_cmpint (artic_qp_map_get (from_boxes, 19, 11), ==, 0);
  g_assert_cmpint (artic_qp_map_get (from_boxes, 0, 0), ==, 0);
  artic_qp_map_free (map);
  map = artic_qp_map_new (640, 360, 64);
  g_assert_false (artic_qp_map_combine_min (from_boxes, map));
  artic_qp_map_free (map);
  artic_qp_map_free (from_boxes);

  g_assert_false (
      artic_roi_importance_from_boxes (1280, 720, 64, NULL, 0, boxes));
  for (i = 0; i < G_N_ELEMENTS (boxes); i++)
    g_assert_cmpfloat (boxes[i], ==, 0.0f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roi-map/defaults-and-rule", test_defaults_and_rule);
  g_test_add_func (
      "/roi-map/box-inside-and-farthest", test_box_inside_and_farthest);
  g_test_add_func ("/roi-map/box-covering-frame", test_box_covering_frame);
  g_test_add_func (
      "/roi-map/two-boxes-and-overlap", test_two_boxes_and_overlap);
  g_test_add_func ("/roi-map/degenerate-box", test_degenerate_box);
  g_test_add_func ("/roi-map/no-box-fallback", test_no_box_fallback);
  g_test_add_func ("/roi-map/odd-sizes", test_odd_sizes_and_block_sizes);
  g_test_add_func (
      "/roi-map/importance-combination", test_importance_combination);
  return g_test_run ();
}
