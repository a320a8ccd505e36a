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
#include <string.h>

#include "artic-roi-cues.h"

/* Counts strong steps to the right neighbour in p[0..n) (n pixels, compared
 * with p[1..n]) and to the pixel below. Written as plain loops over bytes so
 * the compiler can vectorize them. */
static inline guint
count_steps (const guint8 *p, const guint8 *next, guint n, guint *vertical)
{
  guint h = 0, v = 0, x;

  for (x = 0; x < n; x++) {
    guint8 a = p[x], r = p[x + 1], d = next[x];
    guint8 dh = a > r ? a - r : r - a;
    guint8 dv = a > d ? a - d : d - a;

    h += dh > ARTIC_ROI_TEXT_STEP;
    v += dv > ARTIC_ROI_TEXT_STEP;
  }
  *vertical += v;
  return h;
}

void
artic_roi_cue_text (const guint8 *luma, guint width, guint height, gsize stride,
    guint block_size, gfloat *out)
{
  guint cols, rows, c, r, y;
  guint *hcount, *vcount;

  g_return_if_fail (luma != NULL && out != NULL && block_size > 0);
  if (width == 0 || height == 0)
    return;
  cols = (width + block_size - 1) / block_size;
  rows = (height + block_size - 1) / block_size;
  hcount = g_new (guint, 2 * cols);
  vcount = hcount + cols;

  for (r = 0; r < rows; r++) {
    guint y0 = r * block_size, y1 = MIN (y0 + block_size, height);

    memset (hcount, 0, sizeof (guint) * 2 * cols);
    /* The last image row has no row below: it is not sampled. */
    for (y = y0; y < y1 && y + 1 < height; y++) {
      const guint8 *p = luma + (gsize) y * stride;

      for (c = 0; c < cols; c++) {
        guint x0 = c * block_size;
        guint x1 = MIN (x0 + block_size, width - 1); /* needs p[x + 1] */

        if (x1 > x0)
          hcount[c]
              += count_steps (p + x0, p + stride + x0, x1 - x0, &vcount[c]);
      }
    }
    for (c = 0; c < cols; c++) {
      guint x0 = c * block_size, bw = MIN (x0 + block_size, width) - x0;
      gfloat area = (gfloat) bw * (y1 - y0);
      gfloat s = sqrtf ((hcount[c] / area) * (vcount[c] / area));

      out[r * cols + c] = MIN (s * ARTIC_ROI_TEXT_GAIN, 1.0f);
    }
  }
  g_free (hcount);
}

static inline guint
sum_abs_diff (const guint8 *a, const guint8 *b, guint n)
{
  guint s = 0, x;

  for (x = 0; x < n; x++)
    s += a[x] > b[x] ? a[x] - b[x] : b[x] - a[x];
  return s;
}

void
artic_roi_cue_motion (const guint8 *luma, const guint8 *prev, guint width,
    guint height, gsize stride, guint block_size, gfloat *out)
{
  guint cols, rows, c, r, y;
  guint64 *sum;

  g_return_if_fail (
      luma != NULL && prev != NULL && out != NULL && block_size > 0);
  if (width == 0 || height == 0)
    return;
  cols = (width + block_size - 1) / block_size;
  rows = (height + block_size - 1) / block_size;
  sum = g_new (guint64, cols);

  for (r = 0; r < rows; r++) {
    guint y0 = r * block_size, y1 = MIN (y0 + block_size, height);

    memset (sum, 0, sizeof (guint64) * cols);
    for (y = y0; y < y1; y++) {
      const guint8 *p = luma + (gsize) y * stride;
      const guint8 *q = prev + (gsize) y * stride;

      for (c = 0; c < cols; c++) {
        guint x0 = c * block_size, x1 = MIN (x0 + block_size, width);

        sum[c] += sum_abs_diff (p + x0, q + x0, x1 - x0);
      }
    }
    for (c = 0; c < cols; c++) {
      guint x0 = c * block_size, bw = MIN (x0 + block_size, width) - x0;
      gfloat mad = (gfloat) sum[c] / ((gfloat) bw * (y1 - y0));

      out[r * cols + c] = MIN (mad / ARTIC_ROI_MOTION_FULL, 1.0f);
    }
  }
  g_free (sum);
}
