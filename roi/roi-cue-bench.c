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

/* Measures the cost of the local cues on synthetic frames; the figures go to
 * docs/roi.md. Usage: roi-cue-bench [iterations] [block_size] */

#include <stdio.h>
#include <stdlib.h>

#include "artic-roi-cues.h"

/* A frame with content the cues must actually work on: a smooth gradient,
 * a text-like stripe pattern and pseudo-random noise. */
static void
fill_frame (guint8 *p, guint w, guint h, guint seed)
{
  guint32 s = 2463534242u + seed;
  guint x, y;

  for (y = 0; y < h; y++) {
    for (x = 0; x < w; x++) {
      guint8 v = (guint8) ((x + y + seed) & 0xff);

      if (y > h / 4 && y < h / 2 && ((x / 3 + y / 5) & 1))
        v = 20;
      if (y >= h / 2) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        v = (guint8) s;
      }
      p[(gsize) y * w + x] = v;
    }
  }
}

static void
bench (guint w, guint h, guint iterations, guint block_size)
{
  guint8 *a = g_malloc ((gsize) w * h), *b = g_malloc ((gsize) w * h);
  guint cols = (w + block_size - 1) / block_size;
  guint rows = (h + block_size - 1) / block_size;
  gfloat *out = g_new (gfloat, cols * rows), sink = 0;
  gint64 t0, t_text, t_motion;
  guint i;

  fill_frame (a, w, h, 0);
  fill_frame (b, w, h, 7);
  t0 = g_get_monotonic_time ();
  for (i = 0; i < iterations; i++) {
    artic_roi_cue_text (i & 1 ? a : b, w, h, w, block_size, out);
    sink += out[i % (cols * rows)];
  }
  t_text = g_get_monotonic_time () - t0;
  t0 = g_get_monotonic_time ();
  for (i = 0; i < iterations; i++) {
    artic_roi_cue_motion (a, b, w, h, w, block_size, out);
    sink += out[i % (cols * rows)];
  }
  t_motion = g_get_monotonic_time () - t0;
  printf ("%ux%u block %u: text %.0f ns/frame, motion %.0f ns/frame, "
          "both %.0f ns/frame (%u iterations, checksum %.1f)\n",
      w, h, block_size, 1000.0 * t_text / iterations,
      1000.0 * t_motion / iterations, 1000.0 * (t_text + t_motion) / iterations,
      iterations, sink);
  g_free (a);
  g_free (b);
  g_free (out);
}

int
main (int argc, char **argv)
{
  guint iterations = argc > 1 ? (guint) atoi (argv[1]) : 500;
  guint block_size = argc > 2 ? (guint) atoi (argv[2]) : 16;

  if (iterations == 0 || block_size == 0) {
    fprintf (stderr, "usage: %s [iterations] [block_size]\n", argv[0]);
    return 2;
  }
  bench (1280, 720, iterations, block_size);
  bench (640, 360, iterations, block_size);
  return 0;
}
