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

#include "artic-json.h"
#include "artic-roi-box.h"

static GArray *
parse_ok (const gchar *json)
{
  GError *error = NULL;
  GArray *boxes = artic_roi_boxes_parse (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (boxes);
  return boxes;
}

static void
assert_box (
    GArray *boxes, guint i, gdouble x0, gdouble y0, gdouble x1, gdouble y1)
{
  ArticRoiBox *b = &g_array_index (boxes, ArticRoiBox, i);

  g_assert_cmpfloat (b->x_min, ==, x0);
  g_assert_cmpfloat (b->y_min, ==, y0);
  g_assert_cmpfloat (b->x_max, ==, x1);
  g_assert_cmpfloat (b->y_max, ==, y1);
}

static void
assert_fails (const gchar *json, gssize len, gint code)
{
  GError *error = NULL;
  GArray *boxes = artic_roi_boxes_parse (json, len, &error);

  g_assert_null (boxes);
  g_assert_error (error, ARTIC_ROI_ERROR, code);
  g_assert_nonnull (error->message);
  g_error_free (error);
}

static void
test_valid_forms (void)
{
  GArray *b;

  b = parse_ok ("[[100,200],[300,400]]");
  g_assert_cmpuint (b->len, ==, 1);
  assert_box (b, 0, 100, 200, 300, 400);
  g_array_unref (b);

  b = parse_ok (" [ [[1,2],[3,4]], [[500.5, 600], [700, 800.25]] ] ");
  g_assert_cmpuint (b->len, ==, 2);
  assert_box (b, 0, 1, 2, 3, 4);
  assert_box (b, 1, 500.5, 600, 700, 800.25);
  g_array_unref (b);

  b = parse_ok ("[10, 20, 30, 40]");
  g_assert_cmpuint (b->len, ==, 1);
  assert_box (b, 0, 10, 20, 30, 40);
  g_array_unref (b);

  b = parse_ok ("[[10,20,30,40],[[50,60],[70,80]]]");
  g_assert_cmpuint (b->len, ==, 2);
  assert_box (b, 1, 50, 60, 70, 80);
  g_array_unref (b);

  b = parse_ok ("{\"boxes\": [[[1,2],[3,4]]], \"note\": \"ignored\"}");
  g_assert_cmpuint (b->len, ==, 1);
  g_array_unref (b);

  b = parse_ok ("{\"boxes\": [[5,6],[7,8]]}");
  g_assert_cmpuint (b->len, ==, 1);
  assert_box (b, 0, 5, 6, 7, 8);
  g_array_unref (b);
}

static void
test_no_box (void)
{
  GArray *b;

  b = parse_ok ("[[0,0],[0,0]]");
  g_assert_cmpuint (b->len, ==, 0);
  g_array_unref (b);
  b = parse_ok ("[]");
  g_assert_cmpuint (b->len, ==, 0);
  g_array_unref (b);
  b = parse_ok ("[[[0,0],[0,0]], [[1,1],[2,2]]]");
  g_assert_cmpuint (b->len, ==, 1);
  g_array_unref (b);
  b = parse_ok ("{\"boxes\": []}");
  g_assert_cmpuint (b->len, ==, 0);
  g_array_unref (b);
}

static void
test_clamp_and_swap (void)
{
  GArray *b;
  ArticRoiBox box = { -5, 2000, 1e9, -1e9 };

  b = parse_ok ("[[-50,1200],[2000,-3]]");
  assert_box (b, 0, 0, 0, 1000, 1000);
  g_array_unref (b);
  b = parse_ok ("[[800,900],[100,200]]");
  assert_box (b, 0, 100, 200, 800, 900);
  g_array_unref (b);
  artic_roi_box_normalize (&box);
  g_assert_cmpfloat (box.x_min, ==, 0);
  g_assert_cmpfloat (box.x_max, ==, 1000);
  g_assert_cmpfloat (box.y_min, ==, 0);
  g_assert_cmpfloat (box.y_max, ==, 1000);
  /* Negative values clamp to the "no box" marker: dropped. */
  b = parse_ok ("[[-1,-1],[-2,-2]]");
  g_assert_cmpuint (b->len, ==, 0);
  g_array_unref (b);
}

static void
test_errors (void)
{
  gchar *big, *deep;
  GString *many;
  guint i;

  assert_fails ("", -1, ARTIC_ROI_ERROR_SYNTAX);
  assert_fails ("[[1,2],[3,4]", -1, ARTIC_ROI_ERROR_SYNTAX);
  assert_fails ("not json", -1, ARTIC_ROI_ERROR_SYNTAX);
  assert_fails ("[[NaN,1],[2,3]]", -1, ARTIC_ROI_ERROR_SYNTAX);
  assert_fails ("[[\"NaN\",1],[2,3]]", -1, ARTIC_ROI_ERROR_VALUE);
  assert_fails ("[\"1\",\"2\",\"3\",\"4\"]", -1, ARTIC_ROI_ERROR_VALUE);
  assert_fails ("[[true,1],[2,3]]", -1, ARTIC_ROI_ERROR_VALUE);
  assert_fails ("[[1e999,1],[2,3]]", -1, ARTIC_ROI_ERROR_VALUE);
  assert_fails ("[[null,1],[2,3]]", -1, ARTIC_ROI_ERROR_FORMAT);
  assert_fails ("42", -1, ARTIC_ROI_ERROR_FORMAT);
  assert_fails ("\"box\"", -1, ARTIC_ROI_ERROR_FORMAT);
  assert_fails ("[1,2,3]", -1, ARTIC_ROI_ERROR_FORMAT);
  assert_fails ("[[1,2],[3]]", -1, ARTIC_ROI_ERROR_FORMAT);
  assert_fails ("[[[1,2],[3,4]], 5]", -1, ARTIC_ROI_ERROR_FORMAT);
  assert_fails ("[[[[1,2],[3,4]]]]", -1, ARTIC_ROI_ERROR_FORMAT);
  assert_fails ("{\"box\": [[1,2],[3,4]]}", -1, ARTIC_ROI_ERROR_FORMAT);
  assert_fails ("{\"boxes\": {\"a\": 1}}", -1, ARTIC_ROI_ERROR_FORMAT);

  deep = g_strnfill (100000, '[');
  assert_fails (deep, -1, ARTIC_ROI_ERROR_TOO_LARGE);
  deep[ARTIC_ROI_MAX_JSON_LEN - 1] = '\0';
  assert_fails (deep, -1, ARTIC_ROI_ERROR_SYNTAX);
  g_free (deep);

  big = g_strnfill (ARTIC_ROI_MAX_JSON_LEN + 10, ' ');
  assert_fails (big, -1, ARTIC_ROI_ERROR_TOO_LARGE);
  g_free (big);

  many = g_string_new ("[");
  for (i = 0; i <= ARTIC_ROI_MAX_BOXES; i++)
    g_string_append_printf (many, "%s[[1,1],[2,2]]", i ? "," : "");
  g_string_append (many, "]");
  assert_fails (many->str, -1, ARTIC_ROI_ERROR_TOO_LARGE);
  g_string_free (many, TRUE);
}

/* Truncations of valid inputs and random byte soup must only ever give a
 * result or an error. */
static void
test_fuzz (void)
{
  const gchar *seeds[] = { "[[100,200],[300,400]]",
    "{\"boxes\": [[[1,2],[3,4]], [10,20,30,40]]}", "[[0,0],[0,0]]",
    "[[-1.5e3, 2e2],[3.25, \"x\"]]" };
  const gchar alphabet[] = "[]{},:\"0123456789.-eE boxesNaNtrue\\";
  GRand *rand = g_rand_new_with_seed (1234);
  gchar buf[256];
  guint i, s;

  for (s = 0; s < G_N_ELEMENTS (seeds); s++) {
    gsize len = strlen (seeds[s]);

    for (i = 0; i <= len; i++) {
      GError *error = NULL;
      GArray *b = artic_roi_boxes_parse (seeds[s], i, &error);

      g_assert_true ((b == NULL) != (error == NULL));
      if (b)
        g_array_unref (b);
      g_clear_error (&error);
    }
  }
  for (i = 0; i < 20000; i++) {
    GError *error = NULL;
    GArray *b;
    guint n = g_rand_int_range (rand, 0, sizeof (buf)), k;

    for (k = 0; k < n; k++)
      buf[k] = g_rand_boolean (rand)
                   ? alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]
                   : (gchar) g_rand_int_range (rand, 1, 256);
    b = artic_roi_boxes_parse (buf, n, &error);
    g_assert_true ((b == NULL) != (error == NULL));
    if (b)
      g_array_unref (b);
    g_clear_error (&error);
  }
  g_rand_free (rand);
}

static void
test_to_rect (void)
{
  ArticRoiBox b = { 100, 250, 500, 1000 };
  ArticRoiBox none = { 0, 0, 0, 0 };
  ArticRoiRect r;
  gdouble cx, cy;

  artic_roi_box_to_rect (&b, 1280, 720, &r);
  g_assert_cmpuint (r.x, ==, 128);
  g_assert_cmpuint (r.y, ==, 180);
  g_assert_cmpuint (r.w, ==, 512);
  g_assert_cmpuint (r.h, ==, 540);
  /* Outward rounding on an odd size: 650 * 0.1 = 65, 367 * 0.25 = 91.75. */
  artic_roi_box_to_rect (&b, 650, 367, &r);
  g_assert_cmpuint (r.x, ==, 65);
  g_assert_cmpuint (r.y, ==, 91);
  g_assert_cmpuint (r.x + r.w, ==, 325);
  g_assert_cmpuint (r.y + r.h, ==, 367);
  artic_roi_box_to_rect (&none, 640, 360, &r);
  g_assert_cmpuint (r.w, ==, 0);
  g_assert_cmpuint (r.h, ==, 0);
  g_assert_true (artic_roi_box_is_none (&none));
  g_assert_false (artic_roi_box_is_none (&b));
  artic_roi_box_center (&b, &cx, &cy);
  g_assert_cmpfloat (cx, ==, 300);
  g_assert_cmpfloat (cy, ==, 625);
}

/* The nesting guard every JSON parser in artic runs first. */
static void
test_json_depth (void)
{
  const gchar *deep = "[[[[1]]]]";
  const gchar *in_string = "[\"[[[[[[\\\"[[[\"]";
  const gchar *unbalanced = "]]]][[[[";

  g_assert_true (artic_json_depth_within (deep, strlen (deep), 4));
  g_assert_false (artic_json_depth_within (deep, strlen (deep), 3));
  /* Brackets inside a string, an escaped quote included, do not count. */
  g_assert_true (artic_json_depth_within (in_string, strlen (in_string), 1));
  /* Closing brackets first cannot buy extra depth. */
  g_assert_false (artic_json_depth_within (unbalanced, strlen (unbalanced), 3));
  g_assert_true (artic_json_depth_within ("", 0, 0));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roi-box/valid-forms", test_valid_forms);
  g_test_add_func ("/roi-box/no-box", test_no_box);
  g_test_add_func ("/roi-box/clamp-and-swap", test_clamp_and_swap);
  g_test_add_func ("/roi-box/errors", test_errors);
  g_test_add_func ("/roi-box/fuzz", test_fuzz);
  g_test_add_func ("/roi-box/to-rect", test_to_rect);
  g_test_add_func ("/roi-box/json-depth", test_json_depth);
  return g_test_run ();
}
