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

#include "artic-roi-follow.h"

#define SEC G_GINT64_CONSTANT (1000000000)
#define FRAME_NS (SEC / 30)
#define WIDTH 640
#define HEIGHT 360
#define WORLD_WIDTH 1200
#define WORLD_HEIGHT 800
/* The region followed: a patch of the world, in world pixels. */
#define PATCH_X 560
#define PATCH_Y 380
#define PATCH_W 120
#define PATCH_H 40

/* A textured world (8-pixel cells of random grey) that a hand-held camera
 * looks at through a WIDTH x HEIGHT window. */
typedef struct
{
  guint8 *pix;
  GRand *noise;
} World;

static World *
world_new (guint32 seed)
{
  World *w = g_new0 (World, 1);
  GRand *rand = g_rand_new_with_seed (seed);
  guint8 cells[WORLD_HEIGHT / 8][WORLD_WIDTH / 8];
  guint x, y;

  for (y = 0; y < WORLD_HEIGHT / 8; y++)
    for (x = 0; x < WORLD_WIDTH / 8; x++)
      cells[y][x] = (guint8) g_rand_int_range (rand, 16, 240);
  w->pix = g_malloc (WORLD_WIDTH * WORLD_HEIGHT);
  for (y = 0; y < WORLD_HEIGHT; y++)
    for (x = 0; x < WORLD_WIDTH; x++)
      w->pix[y * WORLD_WIDTH + x] = cells[y / 8][x / 8];
  w->noise = g_rand_new_with_seed (seed + 1);
  g_rand_free (rand);
  return w;
}

static void
world_free (World *w)
{
  g_free (w->pix);
  g_rand_free (w->noise);
  g_free (w);
}

/* The camera's top-left in the world at frame @n: a shake that no straight
 * line predicts (it turns back within the second). */
static void
camera_at (guint n, gint *cx, gint *cy)
{
  gdouble t = n / 30.0;

  *cx = 250 + (gint) lround (60 * sin (2.3 * t) + 30 * sin (7.1 * t));
  *cy = 200 + (gint) lround (40 * sin (3.1 * t + 1) + 20 * cos (8.3 * t));
}

/* Frame @n as the camera sees it, with +-4 levels of sensor noise. */
static guint8 *
world_frame (World *w, guint n, gsize stride)
{
  guint8 *frame = g_malloc0 (stride * HEIGHT);
  gint cx, cy, x, y;

  camera_at (n, &cx, &cy);
  for (y = 0; y < HEIGHT; y++)
    for (x = 0; x < WIDTH; x++) {
      gint v = w->pix[(y + cy) * WORLD_WIDTH + x + cx]
               + g_rand_int_range (w->noise, -4, 5);
      frame[y * stride + x] = (guint8) CLAMP (v, 0, 255);
    }
  return frame;
}

/* Where the patch is in frame @n, normalized. */
static ArticRoiBox
patch_box (guint n)
{
  ArticRoiBox b;
  gint cx, cy;

  camera_at (n, &cx, &cy);
  b.x_min = (PATCH_X - cx) * 1000.0 / WIDTH;
  b.y_min = (PATCH_Y - cy) * 1000.0 / HEIGHT;
  b.x_max = (PATCH_X + PATCH_W - cx) * 1000.0 / WIDTH;
  b.y_max = (PATCH_Y + PATCH_H - cy) * 1000.0 / HEIGHT;
  return b;
}

/* The larger of the two corners' distance, in pixels. */
static gdouble
box_error_px (const ArticRoiBox *a, const ArticRoiBox *b)
{
  return MAX (MAX (fabs (a->x_min - b->x_min), fabs (a->x_max - b->x_max))
                  * WIDTH / 1000.0,
      MAX (fabs (a->y_min - b->y_min), fabs (a->y_max - b->y_max)) * HEIGHT
          / 1000.0);
}

/* Pushes the camera's frame @n as the frame at @t_ns. */
static void
push_at (ArticRoiFollow *follow, World *w, guint n, gint64 t_ns)
{
  guint8 *frame = world_frame (w, n, WIDTH + 16);

  g_assert_true (artic_roi_follow_push_frame (
      follow, frame, WIDTH, HEIGHT, WIDTH + 16, t_ns));
  g_free (frame);
}

static void
push (ArticRoiFollow *follow, World *w, guint n)
{
  push_at (follow, w, n, (gint64) n * FRAME_NS);
}

/* The box named in frame 15 is found in the frames up to 45 (the catch-up
 * through the kept frames, then one step per new frame), within a
 * downscaled pixel and a half; held where it was named, it is off by tens
 * of pixels. */
static void
test_follow_shake (void)
{
  ArticRoiFollow *follow = artic_roi_follow_new ();
  World *w = world_new (7);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  ArticRoiBox named = patch_box (15);
  gdouble worst = 0, held_worst = 0;
  guint n;

  for (n = 0; n <= 30; n++)
    push (follow, w, n);
  g_assert_true (artic_roi_follow_set_boxes (follow, 15 * FRAME_NS, &named, 1));
  for (n = 31; n <= 60; n++) {
    ArticRoiBox truth = patch_box (n);

    push (follow, w, n);
    g_assert_cmpuint (artic_roi_follow_boxes (follow, out), ==, 1);
    worst = MAX (
        worst, box_error_px (&g_array_index (out, ArticRoiBox, 0), &truth));
    held_worst = MAX (held_worst, box_error_px (&named, &truth));
  }
  g_test_message (
      "followed: worst %.1f px; held: worst %.1f px", worst, held_worst);
  g_assert_cmpfloat (worst, <=, 1.5 * ARTIC_ROI_FOLLOW_SCALE);
  g_assert_cmpfloat (held_worst, >=, 40);
  g_array_unref (out);
  world_free (w);
  artic_roi_follow_free (follow);
}

/* Boxes set before any frame take their content from the next one; a time
 * outside the kept frames takes it from the newest. */
static void
test_template_fallbacks (void)
{
  ArticRoiFollow *follow = artic_roi_follow_new ();
  World *w = world_new (11);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  ArticRoiBox b0 = patch_box (0), b20 = patch_box (20);
  guint n;

  g_assert_false (artic_roi_follow_set_boxes (follow, 0, &b0, 1));
  g_assert_cmpuint (artic_roi_follow_boxes (follow, out), ==, 1);
  g_assert_cmpfloat (
      box_error_px (&g_array_index (out, ArticRoiBox, 0), &b0), <, 0.01);
  for (n = 0; n <= 10; n++)
    push (follow, w, n);
  artic_roi_follow_boxes (follow, out);
  {
    ArticRoiBox t10 = patch_box (10);
    g_assert_cmpfloat (
        box_error_px (&g_array_index (out, ArticRoiBox, 0), &t10), <=, 6);
  }
  for (n = 11; n <= 20; n++)
    push (follow, w, n);
  /* 10 s old: no kept frame; the box is taken as it is in frame 20 */
  g_assert_false (artic_roi_follow_set_boxes (follow, 10 * SEC, &b20, 1));
  artic_roi_follow_boxes (follow, out);
  g_assert_cmpfloat (
      box_error_px (&g_array_index (out, ArticRoiBox, 0), &b20), <, 0.01);
  push (follow, w, 21);
  {
    ArticRoiBox t21 = patch_box (21);
    artic_roi_follow_boxes (follow, out);
    g_assert_cmpfloat (
        box_error_px (&g_array_index (out, ArticRoiBox, 0), &t21), <=, 6);
  }
  g_array_unref (out);
  world_free (w);
  artic_roi_follow_free (follow);
}

/* Content that is gone (a cut to another scene) or that matches anywhere (a
 * flat wall) leaves the box where it was. */
static void
test_lost_and_flat (void)
{
  ArticRoiFollow *follow = artic_roi_follow_new ();
  World *a = world_new (3), *b = world_new (4);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  ArticRoiBox named = patch_box (5);
  guint8 *flat = g_malloc (WIDTH * HEIGHT);
  guint n;

  for (n = 0; n <= 5; n++)
    push (follow, a, n);
  g_assert_true (artic_roi_follow_set_boxes (follow, 5 * FRAME_NS, &named, 1));
  for (n = 6; n <= 12; n++)
    push (follow, b, n);
  artic_roi_follow_boxes (follow, out);
  g_assert_cmpfloat (
      box_error_px (&g_array_index (out, ArticRoiBox, 0), &named), <, 0.01);

  memset (flat, 128, WIDTH * HEIGHT);
  g_assert_true (artic_roi_follow_push_frame (
      follow, flat, WIDTH, HEIGHT, WIDTH, 13 * FRAME_NS));
  g_assert_true (artic_roi_follow_set_boxes (follow, 13 * FRAME_NS, &named, 1));
  for (n = 14; n <= 20; n++)
    g_assert_true (artic_roi_follow_push_frame (
        follow, flat, WIDTH, HEIGHT, WIDTH, (gint64) n * FRAME_NS));
  artic_roi_follow_boxes (follow, out);
  g_assert_cmpfloat (
      box_error_px (&g_array_index (out, ArticRoiBox, 0), &named), <, 0.01);
  g_free (flat);
  g_array_unref (out);
  world_free (a);
  world_free (b);
  artic_roi_follow_free (follow);
}

/* "No box" entries are skipped, at most ARTIC_ROI_FOLLOW_MAX_BOXES kept, an
 * empty list clears; planes that cannot be read are refused; a new frame
 * size keeps the boxes where they were. */
static void
test_bad_input_and_limits (void)
{
  ArticRoiFollow *follow = artic_roi_follow_new ();
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  ArticRoiBox many[ARTIC_ROI_FOLLOW_MAX_BOXES + 3];
  ArticRoiBox none = { 0, 0, 0, 0 };
  guint8 *small = g_malloc0 (64 * 48), *large = g_malloc0 (WIDTH * HEIGHT);
  guint i;

  g_assert_false (
      artic_roi_follow_push_frame (follow, NULL, WIDTH, HEIGHT, WIDTH, 0));
  g_assert_false (
      artic_roi_follow_push_frame (follow, large, WIDTH, HEIGHT, 10, 0));
  g_assert_false (artic_roi_follow_push_frame (follow, large, 0, HEIGHT, 0, 0));
  g_assert_false (artic_roi_follow_push_frame (follow, large, 2, 2, 2, 0));
  g_assert_false (
      artic_roi_follow_push_frame (follow, large, 100000, 2, 100000, 0));

  for (i = 0; i < G_N_ELEMENTS (many); i++) {
    many[i].x_min = 10 * i;
    many[i].y_min = 10;
    many[i].x_max = 10 * i + 50;
    many[i].y_max = 60;
  }
  many[0] = none;
  artic_roi_follow_set_boxes (follow, 0, many, G_N_ELEMENTS (many));
  g_assert_cmpuint (
      artic_roi_follow_boxes (follow, out), ==, ARTIC_ROI_FOLLOW_MAX_BOXES);
  g_assert_cmpfloat (g_array_index (out, ArticRoiBox, 0).x_min, ==, 10);

  g_assert_true (artic_roi_follow_push_frame (follow, small, 64, 48, 64, 0));
  g_assert_true (artic_roi_follow_push_frame (
      follow, large, WIDTH, HEIGHT, WIDTH, FRAME_NS));
  g_assert_cmpuint (
      artic_roi_follow_boxes (follow, out), ==, ARTIC_ROI_FOLLOW_MAX_BOXES);
  g_assert_cmpfloat (g_array_index (out, ArticRoiBox, 0).x_min, ==, 10);

  artic_roi_follow_set_boxes (follow, FRAME_NS, NULL, 0);
  g_assert_cmpuint (artic_roi_follow_boxes (follow, out), ==, 0);
  artic_roi_follow_reset (follow);
  g_assert_cmpuint (artic_roi_follow_boxes (follow, out), ==, 0);
  g_free (small);
  g_free (large);
  g_array_unref (out);
  artic_roi_follow_free (follow);
}

/* Three seconds are kept, not more: a box named 4 s ago has no frame. */
static void
test_history_window (void)
{
  ArticRoiFollow *follow = artic_roi_follow_new ();
  World *w = world_new (5);
  ArticRoiBox b = patch_box (0);
  guint n;

  for (n = 0; n < 150; n++)
    push_at (follow, w, n % 60, (gint64) n * FRAME_NS);
  g_assert_false (
      artic_roi_follow_set_boxes (follow, 149 * FRAME_NS - 4 * SEC, &b, 1));
  g_assert_true (
      artic_roi_follow_set_boxes (follow, 149 * FRAME_NS - 2 * SEC, &b, 1));
  world_free (w);
  artic_roi_follow_free (follow);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roi-follow/shake", test_follow_shake);
  g_test_add_func ("/roi-follow/template-fallbacks", test_template_fallbacks);
  g_test_add_func ("/roi-follow/lost-and-flat", test_lost_and_flat);
  g_test_add_func ("/roi-follow/bad-input", test_bad_input_and_limits);
  g_test_add_func ("/roi-follow/history", test_history_window);
  return g_test_run ();
}
