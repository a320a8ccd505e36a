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

#include "artic-roi-cues.h"

#define W 256
#define H 128
#define BS 32

/* Left third: black text-like glyphs on white; middle: a smooth horizontal
 * gradient; right: flat gray. Rows of 8 blocks x 4. */
static guint8 *
make_frame (void)
{
  guint8 *f = g_malloc (W * H);
  guint x, y;

  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++) {
      guint8 v;

      if (x < 96) {
        /* 2 px strokes in a 6x8 glyph cell: vertical bars and a top bar. */
        guint cx = x % 6, cy = y % 8;

        v = (cy < 6 && (cx < 2 || (cy < 2 && cx < 5))) ? 0 : 255;
      } else if (x < 192) {
        v = (guint8) ((x - 96) * 2 + y / 4);
      } else {
        v = 128;
      }
      f[y * W + x] = v;
    }
  return f;
}

static void
test_text_scores_text_highest (void)
{
  guint8 *f = make_frame ();
  gfloat out[8 * 4];
  guint r, c;

  artic_roi_cue_text (f, W, H, W, BS, out);
  for (r = 0; r < 4; r++) {
    gfloat text = out[r * 8 + 1];

    g_assert_cmpfloat (text, >, 0.5f);
    for (c = 3; c < 8; c++) /* gradient and flat blocks */
      g_assert_cmpfloat (out[r * 8 + c], <, 0.05f);
    for (c = 0; c < 8; c++) {
      g_assert_cmpfloat (out[r * 8 + c], >=, 0.0f);
      g_assert_cmpfloat (out[r * 8 + c], <=, 1.0f);
    }
  }
  g_free (f);
}

static void
test_single_edge_is_not_text (void)
{
  guint8 *f = g_malloc (W * H);
  gfloat out[8 * 4];
  guint x, y;

  /* Vertical black/white stripes 8 px wide: strong steps in one direction
   * only, unlike glyphs. */
  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      f[y * W + x] = (x / 8) % 2 ? 255 : 0;
  artic_roi_cue_text (f, W, H, W, BS, out);
  for (x = 0; x < 8 * 4; x++)
    g_assert_cmpfloat (out[x], <, 0.05f);
  g_free (f);
}

static void
test_motion (void)
{
  guint8 *a = g_malloc (W * H), *b = g_malloc (W * H);
  gfloat out[8 * 4];
  guint x, y, i;

  memset (a, 200, W * H);
  memset (b, 200, W * H);
  artic_roi_cue_motion (a, b, W, H, W, BS, out);
  for (i = 0; i < 8 * 4; i++)
    g_assert_cmpfloat (out[i], ==, 0.0f);

  /* A dark 32x32 square moves from block (1,1) to block (2,1). */
  for (y = 32; y < 64; y++)
    for (x = 32; x < 64; x++) {
      a[y * W + x] = 20;
      b[y * W + x + 32] = 20;
    }
  artic_roi_cue_motion (b, a, W, H, W, BS, out);
  g_assert_cmpfloat (out[1 * 8 + 1], ==, 1.0f);
  g_assert_cmpfloat (out[1 * 8 + 2], ==, 1.0f);
  for (i = 0; i < 8 * 4; i++)
    if (i != 9 && i != 10)
      g_assert_cmpfloat (out[i], ==, 0.0f);
  g_free (a);
  g_free (b);
}

static void
test_degenerate_frames (void)
{
  guint8 gray[37 * 23], other[37 * 23], one = 7, one_b = 200;
  guint8 padded[16 * 5];
  gfloat out[64];
  guint i;

  memset (gray, 128, sizeof gray);
  memset (other, 90, sizeof other);
  artic_roi_cue_text (gray, 37, 23, 37, 8, out); /* 5 x 3 blocks */
  for (i = 0; i < 15; i++)
    g_assert_cmpfloat (out[i], ==, 0.0f);
  artic_roi_cue_motion (gray, other, 37, 23, 37, 8, out);
  for (i = 0; i < 15; i++)
    g_assert_cmpfloat (out[i], ==, 1.0f); /* mad 38 > full scale */

  artic_roi_cue_text (&one, 1, 1, 1, 16, out);
  g_assert_cmpfloat (out[0], ==, 0.0f);
  artic_roi_cue_motion (&one, &one_b, 1, 1, 1, 16, out);
  g_assert_cmpfloat (out[0], ==, 1.0f);

  /* Stride larger than the width: the padding is never read as image. */
  memset (padded, 0, sizeof padded);
  for (i = 0; i < 5; i++)
    memset (padded + i * 16 + 11, 255, 5);
  artic_roi_cue_text (padded, 11, 5, 16, 4, out);
  for (i = 0; i < 3 * 2; i++)
    g_assert_cmpfloat (out[i], ==, 0.0f);
  artic_roi_cue_text (padded, 1, 7 - 2, 16, 64, out);
  g_assert_cmpfloat (out[0], ==, 0.0f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/roi-cues/text-highest", test_text_scores_text_highest);
  g_test_add_func ("/roi-cues/single-edge", test_single_edge_is_not_text);
  g_test_add_func ("/roi-cues/motion", test_motion);
  g_test_add_func ("/roi-cues/degenerate-frames", test_degenerate_frames);
  return g_test_run ();
}
