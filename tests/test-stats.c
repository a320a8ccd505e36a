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

#include "artic-quality.h"
#include "artic-stats.h"

static void
test_percentiles (void)
{
  ArticSeries *series = artic_series_new ();
  guint i;

  g_assert_true (isnan (artic_series_percentile (series, 50)));
  g_assert_true (isnan (artic_series_mean (series)));
  /* Added out of order on purpose. */
  for (i = 100; i >= 1; i--)
    artic_series_add (series, i);
  g_assert_cmpuint (artic_series_count (series), ==, 100);
  g_assert_cmpfloat_with_epsilon (artic_series_mean (series), 50.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (artic_series_percentile (series, 0), 1, 1e-9);
  g_assert_cmpfloat_with_epsilon (
      artic_series_percentile (series, 50), 50.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (
      artic_series_percentile (series, 95), 95.05, 1e-9);
  g_assert_cmpfloat_with_epsilon (
      artic_series_percentile (series, 100), 100, 1e-9);
  artic_series_free (series);
}

static void
test_single_value (void)
{
  ArticSeries *series = artic_series_new ();

  artic_series_add (series, 7.5);
  g_assert_cmpfloat (artic_series_percentile (series, 95), ==, 7.5);
  artic_series_free (series);
}

static void
test_psnr (void)
{
  guint8 a[4 * 3], b[4 * 3];
  guint i;

  for (i = 0; i < sizeof (a); i++)
    a[i] = b[i] = i * 10;
  g_assert_cmpfloat (artic_quality_psnr_plane (a, 4, b, 4, 4, 3), ==,
      ARTIC_QUALITY_PSNR_IDENTICAL);
  /* One sample off by 12 in 12: MSE 12, PSNR 10*log10(65025/12). */
  b[5] += 12;
  g_assert_cmpfloat_with_epsilon (
      artic_quality_mse_plane (a, 4, b, 4, 4, 3), 12.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (artic_quality_psnr_plane (a, 4, b, 4, 4, 3),
      10 * log10 (65025.0 / 12), 1e-9);
  /* Strides larger than the width ignore the padding. */
  g_assert_cmpfloat (artic_quality_psnr_plane (a, 4, a, 4, 2, 3), ==,
      ARTIC_QUALITY_PSNR_IDENTICAL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats/percentiles", test_percentiles);
  g_test_add_func ("/stats/single-value", test_single_value);
  g_test_add_func ("/stats/psnr", test_psnr);
  return g_test_run ();
}
