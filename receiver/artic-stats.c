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

#include "artic-stats.h"

#include <math.h>
#include <stdlib.h>

struct _ArticSeries
{
  GArray *values;
  gdouble sum;
};

ArticSeries *
artic_series_new (void)
{
  ArticSeries *series = g_new0 (ArticSeries, 1);

  series->values = g_array_new (FALSE, FALSE, sizeof (gdouble));
  return series;
}

void
artic_series_free (ArticSeries *series)
{
  if (series == NULL)
    return;
  g_array_unref (series->values);
  g_free (series);
}

void
artic_series_add (ArticSeries *series, gdouble value)
{
  g_array_append_val (series->values, value);
  series->sum += value;
}

guint
artic_series_count (const ArticSeries *series)
{
  return series->values->len;
}

gdouble
artic_series_mean (const ArticSeries *series)
{
  if (series->values->len == 0)
    return NAN;
  return series->sum / series->values->len;
}

static gint
artic_series_compare (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return (x > y) - (x < y);
}

/* Linear interpolation between closest ranks; NAN for an empty series. */
gdouble
artic_series_percentile (const ArticSeries *series, gdouble percent)
{
  guint n = series->values->len;
  gdouble *sorted, rank, result;
  guint below;

  if (n == 0)
    return NAN;
  sorted = g_memdup2 (series->values->data, n * sizeof (gdouble));
  qsort (sorted, n, sizeof (gdouble), artic_series_compare);
  rank = CLAMP (percent, 0.0, 100.0) / 100.0 * (n - 1);
  below = (guint) floor (rank);
  if (below + 1 < n)
    result
        = sorted[below] + (rank - below) * (sorted[below + 1] - sorted[below]);
  else
    result = sorted[n - 1];
  g_free (sorted);
  return result;
}
