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

/* Measures the per-frame cost of articroi's analysis (what the element does
 * for every frame besides attaching metas) on synthetic frames; the figures
 * go to docs/roi-element.md. Usage: roi-analyzer-bench [iterations] */

#include <stdio.h>
#include <stdlib.h>

#include "artic-roi-analyzer.h"

/* Content the cues must really work on: a gradient, a text-like stripe band
 * and pseudo-random noise, shifted by @seed so consecutive frames differ. */
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

typedef enum
{
  MODE_CUES,
  MODE_BOXES,
  MODE_UPSTREAM,
  MODE_FOLLOW,
} Mode;

static const gchar *mode_names[] = { "cues", "boxes", "upstream", "follow" };

static void
bench (guint w, guint h, guint iterations, Mode mode)
{
  guint8 *frames[2] = { g_malloc ((gsize) w * h), g_malloc ((gsize) w * h) };
  ArticRoiAnalyzer *analyzer = artic_roi_analyzer_new ();
  ArticRoiBox box = { 300, 200, 600, 500 };
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  ArticRoiSource source = ARTIC_ROI_SOURCE_UNIFORM;
  gint64 t0, elapsed, sink = 0;
  guint i;

  fill_frame (frames[0], w, h, 0);
  fill_frame (frames[1], w, h, 7);
  if (mode == MODE_BOXES) {
    /* Two updates 0.5 s apart: the track interpolates, then predicts. */
    artic_roi_analyzer_add_feedback (analyzer, 0, &box, 1);
    box.x_min += 50;
    box.x_max += 50;
    artic_roi_analyzer_add_feedback (analyzer, 500000000, &box, 1);
    artic_roi_analyzer_set_timeout (analyzer, 0);
  }
  if (mode == MODE_FOLLOW) {
    /* A sign-sized box (300x60 px at 1280x720) followed through every
     * frame, a new reply about a frame 1 s back every second (the catch-up
     * through the kept frames included). */
    box.x_min = 300;
    box.x_max = 535;
    box.y_min = 200;
    box.y_max = 283;
    artic_roi_analyzer_set_follow (analyzer, TRUE);
    artic_roi_analyzer_set_timeout (analyzer, 0);
  }
  t0 = g_get_monotonic_time ();
  for (i = 0; i < iterations; i++) {
    ArticQpMap *map;

    if (mode == MODE_FOLLOW && i % 30 == 0)
      artic_roi_analyzer_add_feedback (
          analyzer, (gint64) (i >= 30 ? i - 30 : 0) * 33333333, &box, 1);
    map = artic_roi_analyzer_process (analyzer, frames[i & 1], w, h, w,
        (gint64) i * 33333333, mode == MODE_UPSTREAM ? &box : NULL,
        mode == MODE_UPSTREAM ? 1 : 0, &source, boxes);

    sink += artic_qp_map_get (map, i % map->cols, i % map->rows);
    artic_qp_map_free (map);
  }
  elapsed = g_get_monotonic_time () - t0;
  printf ("%ux%u %-8s source %-13s %7.0f ns/frame (%u iterations, "
          "checksum %" G_GINT64_FORMAT ")\n",
      w, h, mode_names[mode], artic_roi_source_name (source),
      1000.0 * elapsed / iterations, iterations, sink);
  artic_roi_analyzer_free (analyzer);
  g_array_unref (boxes);
  g_free (frames[0]);
  g_free (frames[1]);
}

int
main (int argc, char **argv)
{
  guint iterations = argc > 1 ? (guint) atoi (argv[1]) : 500;
  Mode mode;

  if (iterations == 0) {
    fprintf (stderr, "usage: %s [iterations]\n", argv[0]);
    return 2;
  }
  for (mode = MODE_CUES; mode <= MODE_FOLLOW; mode++) {
    bench (1280, 720, iterations, mode);
    bench (640, 360, iterations, mode);
  }
  return 0;
}
