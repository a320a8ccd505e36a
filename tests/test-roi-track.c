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

#include "artic-roi-track.h"

#define SEC G_GINT64_CONSTANT (1000000000)
#define MS (SEC / 1000)

static ArticRoiBox
box (gdouble x0, gdouble y0, gdouble x1, gdouble y1)
{
  ArticRoiBox b = { x0, y0, x1, y1 };

  return b;
}

static void
assert_box_near (
    GArray *boxes, guint i, gdouble x0, gdouble y0, gdouble x1, gdouble y1)
{
  ArticRoiBox *b = &g_array_index (boxes, ArticRoiBox, i);

  g_assert_cmpfloat_with_epsilon (b->x_min, x0, 1e-6);
  g_assert_cmpfloat_with_epsilon (b->y_min, y0, 1e-6);
  g_assert_cmpfloat_with_epsilon (b->x_max, x1, 1e-6);
  g_assert_cmpfloat_with_epsilon (b->y_max, y1, 1e-6);
}

static void
test_empty_track (void)
{
  ArticRoiTrack *track = artic_roi_track_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));

  g_assert_cmpuint (artic_roi_track_boxes_at (track, 0, out), ==, 0);
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 5 * SEC, out), ==, 0);
  g_array_unref (out);
  artic_roi_track_free (track);
}

static void
test_interpolation_midpoint (void)
{
  ArticRoiTrack *track = artic_roi_track_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  ArticRoiBox a = box (100, 100, 200, 200), b = box (300, 500, 400, 700);

  artic_roi_track_update (track, 1 * SEC, &a, 1);
  artic_roi_track_update (track, 2 * SEC, &b, 1);
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 1500 * MS, out), ==, 1);
  assert_box_near (out, 0, 200, 300, 300, 450);
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 1250 * MS, out), ==, 1);
  assert_box_near (out, 0, 150, 200, 250, 325);
  /* At the updates themselves, and before the first: exact boxes. */
  artic_roi_track_boxes_at (track, 1 * SEC, out);
  assert_box_near (out, 0, 100, 100, 200, 200);
  artic_roi_track_boxes_at (track, 0, out);
  assert_box_near (out, 0, 100, 100, 200, 200);
  g_array_unref (out);
  artic_roi_track_free (track);
}

static void
test_matching_by_centre (void)
{
  ArticRoiTrack *track = artic_roi_track_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  /* The same two objects, listed in the other order the second time, plus
   * a third that appears. */
  ArticRoiBox u0[2] = { box (0, 0, 100, 100), box (800, 800, 900, 900) };
  ArticRoiBox u1[3] = { box (820, 820, 920, 920), box (20, 20, 120, 120),
    box (400, 0, 500, 100) };

  artic_roi_track_set_horizon (track, 0);
  artic_roi_track_update (track, 0, u0, 2);
  artic_roi_track_update (track, SEC, u1, 3);
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 250 * MS, out), ==, 2);
  assert_box_near (out, 0, 5, 5, 105, 105);
  assert_box_near (out, 1, 805, 805, 905, 905);
  /* The new box shows from the midpoint on. */
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 500 * MS, out), ==, 3);
  assert_box_near (out, 2, 400, 0, 500, 100);
  g_array_unref (out);
  artic_roi_track_free (track);
}

static void
test_hold_and_expiry (void)
{
  ArticRoiTrack *track = artic_roi_track_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  ArticRoiBox a = box (100, 100, 200, 200);

  artic_roi_track_set_timeout (track, 2 * SEC);
  artic_roi_track_update (track, SEC, &a, 1);
  /* One update: nothing to extrapolate from, the box is held... */
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 2 * SEC, out), ==, 1);
  assert_box_near (out, 0, 100, 100, 200, 200);
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 3 * SEC, out), ==, 1);
  /* ...until the validity window ends. */
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 3 * SEC + MS, out), ==, 0);
  /* New feedback revives it; an explicit "no box" update clears it. */
  artic_roi_track_update (track, 4 * SEC, &a, 1);
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 4 * SEC, out), ==, 1);
  artic_roi_track_update (track, 5 * SEC, NULL, 0);
  artic_roi_track_set_horizon (track, 0);
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 5 * SEC, out), ==, 0);
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 6 * SEC, out), ==, 0);
  /* Never expire. */
  artic_roi_track_reset (track);
  artic_roi_track_set_timeout (track, 0);
  artic_roi_track_update (track, 0, &a, 1);
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 3600 * SEC, out), ==, 1);
  g_array_unref (out);
  artic_roi_track_free (track);
}

static void
test_prediction_constant_speed (void)
{
  ArticRoiTrack *track = artic_roi_track_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  guint i;

  /* 2 fps feedback; the box moves +40 in x and +20 in y per second. */
  for (i = 0; i < 3; i++) {
    ArticRoiBox b
        = box (100 + 20 * i, 300 + 10 * i, 200 + 20 * i, 400 + 10 * i);

    artic_roi_track_update (track, i * 500 * MS, &b, 1);
  }
  /* Last update at t = 1 s, box (140,320)-(240,420). */
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 1500 * MS, out), ==, 1);
  assert_box_near (out, 0, 160, 330, 260, 430);
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 2500 * MS, out), ==, 1);
  assert_box_near (out, 0, 200, 350, 300, 450);
  /* Beyond the 1.5 s horizon the prediction holds. */
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 3500 * MS, out), ==, 1);
  assert_box_near (out, 0, 200, 350, 300, 450);
  /* Past the 3 s validity window: expired. */
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 4500 * MS, out), ==, 0);
  g_array_unref (out);
  artic_roi_track_free (track);
}

static void
test_prediction_clamped (void)
{
  ArticRoiTrack *track = artic_roi_track_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  ArticRoiBox a = box (800, 0, 900, 100), b = box (900, 0, 1000, 100);
  ArticRoiBox *p;

  artic_roi_track_update (track, 0, &a, 1);
  artic_roi_track_update (track, 500 * MS, &b, 1);
  g_assert_cmpuint (artic_roi_track_boxes_at (track, 1500 * MS, out), ==, 1);
  p = &g_array_index (out, ArticRoiBox, 0);
  g_assert_cmpfloat (p->x_min, <=, 1000);
  g_assert_cmpfloat (p->x_max, ==, 1000);
  g_assert_cmpfloat (p->x_min, <=, p->x_max);
  g_array_unref (out);
  artic_roi_track_free (track);
}

static void
test_many_updates_and_out_of_order (void)
{
  ArticRoiTrack *track = artic_roi_track_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  gint64 t;

  artic_roi_track_set_horizon (track, 0);
  for (t = 0; t < 40; t++) {
    ArticRoiBox b = box (t * 10, 0, t * 10 + 10, 10);

    artic_roi_track_update (track, t * 500 * MS, &b, 1);
  }
  /* An old update arriving late is dropped; a repeated time replaces. */
  {
    ArticRoiBox b = box (0, 500, 10, 510);

    artic_roi_track_update (track, 0, &b, 1);
    artic_roi_track_update (track, 39 * 500 * MS, &b, 1);
  }
  artic_roi_track_boxes_at (track, 39 * 500 * MS, out);
  assert_box_near (out, 0, 0, 500, 10, 510);
  artic_roi_track_boxes_at (track, 38 * 500 * MS, out);
  assert_box_near (out, 0, 380, 0, 390, 10);
  /* Out-of-order but inside the window: inserted in time order. */
  {
    ArticRoiBox b = box (0, 900, 10, 910);

    artic_roi_track_update (track, 38 * 500 * MS + 250 * MS, &b, 1);
  }
  artic_roi_track_boxes_at (track, 38 * 500 * MS + 250 * MS, out);
  assert_box_near (out, 0, 0, 900, 10, 910);
  g_array_unref (out);
  artic_roi_track_free (track);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roi-track/empty", test_empty_track);
  g_test_add_func (
      "/roi-track/interpolation-midpoint", test_interpolation_midpoint);
  g_test_add_func ("/roi-track/matching-by-centre", test_matching_by_centre);
  g_test_add_func ("/roi-track/hold-and-expiry", test_hold_and_expiry);
  g_test_add_func (
      "/roi-track/prediction-constant-speed", test_prediction_constant_speed);
  g_test_add_func ("/roi-track/prediction-clamped", test_prediction_clamped);
  g_test_add_func (
      "/roi-track/many-updates", test_many_updates_and_out_of_order);
  return g_test_run ();
}
