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

/* Objective quality of decoded frames against their source. */

#include "artic-quality.h"

#include <math.h>

gdouble
artic_quality_mse_plane (const guint8 *a, gsize stride_a, const guint8 *b,
    gsize stride_b, guint width, guint height)
{
  guint64 sum = 0;
  guint x, y;

  if (width == 0 || height == 0)
    return 0.0;
  for (y = 0; y < height; y++) {
    const guint8 *row_a = a + y * stride_a;
    const guint8 *row_b = b + y * stride_b;

    for (x = 0; x < width; x++) {
      gint d = (gint) row_a[x] - (gint) row_b[x];
      sum += (guint64) (d * d);
    }
  }
  return (gdouble) sum / ((gdouble) width * height);
}

gdouble
artic_quality_psnr_from_mse (gdouble mse)
{
  gdouble psnr;

  if (mse <= 0.0)
    return ARTIC_QUALITY_PSNR_IDENTICAL;
  psnr = 10.0 * log10 (255.0 * 255.0 / mse);
  return MIN (psnr, ARTIC_QUALITY_PSNR_IDENTICAL);
}

gdouble
artic_quality_psnr_plane (const guint8 *a, gsize stride_a, const guint8 *b,
    gsize stride_b, guint width, guint height)
{
  return artic_quality_psnr_from_mse (
      artic_quality_mse_plane (a, stride_a, b, stride_b, width, height));
}
