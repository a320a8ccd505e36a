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

#include <string.h>

#include "artic-roi-analyzer.h"

#define W 128
#define H 96
#define SEC G_GINT64_CONSTANT (1000000000)

/* A gray frame; with @text, glyph strokes in the top-left 48x32 pixels. */
static guint8 *
make_frame (guint stride, gboolean text)
{
  guint8 *f = g_malloc ((gsize) stride * H);
  guint x, y;

  memset (f, 128, (gsize) stride * H);
  for (y = 0; text && y < 32; y++)
    for (x = 0; x < 48; x++) {
      guint cx = x % 6, cy = y % 8;

      f[y * stride + x] = (cy < 6 && (cx < 2 || (cy < 2 && cx < 5))) ? 0 : 255;
    }
  return f;
}

static ArticQpMap *
process (ArticRoiAnalyzer *a, const guint8 *f, gint64 t,
    const ArticRoiBox *upstream, guint n, ArticRoiSource *source, GArray *boxes)
{
  ArticQpMap *map = artic_roi_analyzer_process (
      a, f, W, H, W, t, upstream, n, source, boxes);

  g_assert_nonnull (map);
  g_assert_cmpuint (map->cols, ==, W / 16);
  g_assert_cmpuint (map->rows, ==, H / 16);
  return map;
}

static gboolean
is_uniform (const ArticQpMap *map, gint v)
{
  guint i;

  for (i = 0; i < map->cols * map->rows; i++)
    if (map->delta_qp[i] != v)
      return FALSE;
  return TRUE;
}

static void
test_priority (void)
{
  ArticRoiAnalyzer *a = artic_roi_analyzer_new ();
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  guint8 *flat = make_frame (W, FALSE), *text = make_frame (W, TRUE);
  ArticRoiBox up = { 500, 500, 1000, 1000 }, fb = { 0, 500, 250, 1000 };
  ArticRoiSource source;
  ArticQpMap *map;

  /* Nothing known: uniform. */
  map = process (a, flat, 0, NULL, 0, &source, boxes);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_UNIFORM);
  g_assert_true (is_uniform (map, 18));
  g_assert_cmpuint (boxes->len, ==, 0);
  artic_qp_map_free (map);

  /* Text: the cues mark the text blocks. */
  map = process (a, text, SEC / 30, NULL, 0, &source, boxes);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_CUES);
  g_assert_cmpint (artic_qp_map_get (map, 0, 0), ==, 0);
  g_assert_cmpint (artic_qp_map_get (map, 7, 5), ==, 25);
  g_assert_cmpuint (boxes->len, ==, 0);
  artic_qp_map_free (map);

  /* Upstream boxes outrank the cues. */
  map = process (a, text, 2 * SEC / 30, &up, 1, &source, boxes);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_UPSTREAM);
  g_assert_cmpint (artic_qp_map_get (map, 7, 5), ==, 0);
  g_assert_cmpint (artic_qp_map_get (map, 0, 0), >, 0);
  g_assert_cmpuint (boxes->len, ==, 1);
  g_assert_cmpfloat (g_array_index (boxes, ArticRoiBox, 0).x_min, ==, 500);
  artic_qp_map_free (map);

  /* Feedback outranks both. */
  artic_roi_analyzer_add_feedback (a, 3 * SEC / 30, &fb, 1);
  map = process (a, text, 3 * SEC / 30, &up, 1, &source, boxes);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_BOXES);
  g_assert_cmpint (artic_qp_map_get (map, 0, 5), ==, 0);
  g_assert_cmpint (artic_qp_map_get (map, 7, 5), >, 0);
  g_assert_cmpint (artic_qp_map_get (map, 0, 0), >, 0);
  g_assert_cmpuint (boxes->len, ==, 1);
  artic_qp_map_free (map);

  /* Valid "no box" feedback: uniform, even with text and upstream boxes. */
  artic_roi_analyzer_add_feedback (a, 4 * SEC / 30, NULL, 0);
  map = process (a, text, 4 * SEC / 30, &up, 1, &source, boxes);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_UNIFORM);
  g_assert_true (is_uniform (map, 18));
  g_assert_cmpuint (boxes->len, ==, 0);
  artic_qp_map_free (map);

  /* Upstream "no box" markers are no boxes. */
  artic_roi_analyzer_reset (a);
  up.x_min = up.y_min = up.x_max = up.y_max = 0;
  map = process (a, flat, 0, &up, 1, &source, NULL);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_UNIFORM);
  artic_qp_map_free (map);

  g_free (flat);
  g_free (text);
  g_array_unref (boxes);
  artic_roi_analyzer_free (a);
}

static void
test_expiry (void)
{
  ArticRoiAnalyzer *a = artic_roi_analyzer_new ();
  guint8 *flat = make_frame (W, FALSE);
  ArticRoiBox fb = { 0, 0, 500, 500 };
  ArticRoiSource source;
  ArticQpMap *map;

  g_assert_false (artic_roi_analyzer_has_feedback (a, 0));
  artic_roi_analyzer_set_timeout (a, SEC);
  artic_roi_analyzer_add_feedback (a, 10 * SEC, &fb, 1);
  /* Late feedback for an older frame does not refresh the boxes. */
  artic_roi_analyzer_add_feedback (a, 9 * SEC, &fb, 1);
  g_assert_true (artic_roi_analyzer_has_feedback (a, 11 * SEC));
  g_assert_false (artic_roi_analyzer_has_feedback (a, 11 * SEC + 1));
  map = process (a, flat, 11 * SEC, NULL, 0, &source, NULL);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_BOXES);
  artic_qp_map_free (map);
  map = process (a, flat, 12 * SEC, NULL, 0, &source, NULL);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_UNIFORM);
  artic_qp_map_free (map);

  /* Timeout 0: never expires. */
  artic_roi_analyzer_set_timeout (a, 0);
  g_assert_true (artic_roi_analyzer_has_feedback (a, 1000 * SEC));
  map = process (a, flat, 1000 * SEC, NULL, 0, &source, NULL);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_BOXES);
  artic_qp_map_free (map);

  artic_roi_analyzer_reset (a);
  g_assert_false (artic_roi_analyzer_has_feedback (a, 0));
  g_free (flat);
  artic_roi_analyzer_free (a);
}

static void
test_motion_and_layout (void)
{
  ArticRoiAnalyzer *a = artic_roi_analyzer_new ();
  guint stride = W + 32;
  guint8 *f1 = make_frame (stride, FALSE), *f2 = make_frame (stride, FALSE);
  ArticRoiSource source;
  ArticQpMap *map;
  guint x, y;

  /* Padding differs between the frames: it must not count as motion. */
  for (y = 0; y < H; y++)
    memset (f2 + y * stride + W, 7, stride - W);
  for (y = 32; y < 64; y++)
    for (x = 64; x < 96; x++)
      f2[y * stride + x] = 250;
  artic_roi_analyzer_set_cues (a, ARTIC_ROI_CUE_MOTION);
  map = artic_roi_analyzer_process (
      a, f1, W, H, stride, 0, NULL, 0, &source, NULL);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_UNIFORM);
  artic_qp_map_free (map);
  map = artic_roi_analyzer_process (
      a, f2, W, H, stride, 1, NULL, 0, &source, NULL);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_CUES);
  g_assert_cmpint (artic_qp_map_get (map, 4, 2), ==, 0);
  g_assert_cmpint (artic_qp_map_get (map, 5, 3), ==, 0);
  g_assert_cmpint (artic_qp_map_get (map, 0, 0), ==, 25);
  g_assert_cmpint (artic_qp_map_get (map, 7, 5), ==, 25);
  artic_qp_map_free (map);

  /* A new size has nothing to compare with: no motion, no crash. */
  map = artic_roi_analyzer_process (
      a, f1, W / 2, H / 2, stride, 2, NULL, 0, &source, NULL);
  g_assert_nonnull (map);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_UNIFORM);
  g_assert_cmpuint (map->width, ==, W / 2);
  artic_qp_map_free (map);

  /* Motion off: the same change says nothing. */
  artic_roi_analyzer_set_cues (a, 0);
  map = artic_roi_analyzer_process (
      a, f1, W, H, stride, 3, NULL, 0, &source, NULL);
  artic_qp_map_free (map);
  map = artic_roi_analyzer_process (
      a, f2, W, H, stride, 4, NULL, 0, &source, NULL);
  g_assert_cmpint (source, ==, ARTIC_ROI_SOURCE_UNIFORM);
  artic_qp_map_free (map);

  /* Sizes no map can have. */
  g_assert_null (artic_roi_analyzer_process (
      a, f1, 0, H, stride, 5, NULL, 0, &source, NULL));
  g_assert_null (artic_roi_analyzer_process (
      a, f1, W, H, W - 1, 5, NULL, 0, &source, NULL));
  g_assert_null (artic_roi_analyzer_process (
      a, f1, 20000, 1, 20000, 5, NULL, 0, &source, NULL));
  g_free (f1);
  g_free (f2);
  artic_roi_analyzer_free (a);
}

static void
test_params (void)
{
  ArticRoiAnalyzer *a = artic_roi_analyzer_new ();
  guint8 *flat = make_frame (W, FALSE);
  ArticQpParams p, bad;
  ArticQpMap *map;

  artic_roi_analyzer_get_params (a, &p);
  g_assert_cmpuint (p.block_size, ==, 16);
  g_assert_cmpfloat (p.gamma, ==, 3.0);
  g_assert_cmpint (p.base, ==, 26);
  g_assert_cmpint (p.max_delta, ==, 25);
  g_assert_cmpint (p.no_box_delta, ==, 18);

  bad = p;
  bad.block_size = 0;
  g_assert_false (artic_roi_analyzer_set_params (a, &bad));
  bad = p;
  bad.gamma = 0.0 / 0.0;
  g_assert_false (artic_roi_analyzer_set_params (a, &bad));
  bad = p;
  bad.gamma = -1;
  g_assert_false (artic_roi_analyzer_set_params (a, &bad));
  bad = p;
  bad.max_delta = 52;
  g_assert_false (artic_roi_analyzer_set_params (a, &bad));
  bad = p;
  bad.no_box_delta = -1;
  g_assert_false (artic_roi_analyzer_set_params (a, &bad));

  p.block_size = 32;
  p.no_box_delta = 7;
  g_assert_true (artic_roi_analyzer_set_params (a, &p));
  map = artic_roi_analyzer_process (a, flat, W, H, W, 0, NULL, 0, NULL, NULL);
  g_assert_cmpuint (map->cols, ==, 4);
  g_assert_true (is_uniform (map, 7));
  artic_qp_map_free (map);
  g_free (flat);
  artic_roi_analyzer_free (a);
}

static void
test_feedback_parse (void)
{
  static const gchar *bad[] = { "", "[",
    "{\"boxes\": [1,2,3,4], "
    "\"frame-time\": -1}",
    "{\"boxes\": [1,2,3,4], \"frame-time\": 1.0}",
    "{\"boxes\": [1,2,3,4], \"frame-time\": \"5\"}",
    "{\"boxes\": [1,2,3,4], \"frame-time\": [5]}",
    "{\"boxes\": [1,2,3,4], \"frame-time\": null}", "[1,2,3,\"4\"]",
    "{\"boxes\": [1,2,3,4], \"capture-time\": -1}",
    "{\"boxes\": [1,2,3,4], \"capture-time\": \"now\"}" };
  GError *error = NULL;
  gint64 t = 0, c = 0;
  GArray *boxes;
  guint i;

  boxes = artic_roi_feedback_parse ("[[10,20],[30,40]]", -1, &t, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (boxes->len, ==, 1);
  g_assert_cmpint (t, ==, -1);
  g_array_unref (boxes);

  boxes = artic_roi_feedback_parse (
      " {\"frame-time\": 1500000000, \"boxes\": [[1,2,3,4],[5,6,7,8]]}", -1, &t,
      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (boxes->len, ==, 2);
  g_assert_cmpint (t, ==, 1500000000);
  g_array_unref (boxes);

  boxes = artic_roi_feedback_parse ("{\"boxes\": []}", -1, &t, &c, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (boxes->len, ==, 0);
  g_assert_cmpint (t, ==, -1);
  g_assert_cmpint (c, ==, -1);
  g_array_unref (boxes);

  /* A receiver names the frame by its capture time. */
  boxes = artic_roi_feedback_parse (
      "{\"boxes\": [1,2,3,4], \"capture-time\": 1764230400500000000}", -1, &t,
      &c, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (boxes->len, ==, 1);
  g_assert_cmpint (t, ==, -1);
  g_assert_cmpint (c, ==, G_GINT64_CONSTANT (1764230400500000000));
  g_array_unref (boxes);

  /* An explicit length: the rest of the buffer is not read. */
  boxes = artic_roi_feedback_parse ("[1,2,3,4]garbage", 9, &t, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (boxes->len, ==, 1);
  g_array_unref (boxes);

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    boxes = artic_roi_feedback_parse (bad[i], -1, &t, &c, &error);
    g_assert_null (boxes);
    g_assert_error (error, ARTIC_ROI_ERROR, error->code);
    g_clear_error (&error);
  }
  g_assert_cmpstr (
      artic_roi_source_name (ARTIC_ROI_SOURCE_UPSTREAM), ==, "upstream-meta");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roi-analyzer/priority", test_priority);
  g_test_add_func ("/roi-analyzer/expiry", test_expiry);
  g_test_add_func ("/roi-analyzer/motion-and-layout", test_motion_and_layout);
  g_test_add_func ("/roi-analyzer/params", test_params);
  g_test_add_func ("/roi-analyzer/feedback-parse", test_feedback_parse);
  return g_test_run ();
}
