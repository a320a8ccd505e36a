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

#include "artic-sampler.h"

#define FRAME_30FPS (GST_SECOND / 30)

static guint
count_taken (ArticSampler *sampler, GstClockTime start, GstClockTime step,
    guint frames, GstClockTime *taken)
{
  guint i, n = 0;

  for (i = 0; i < frames; i++) {
    GstClockTime ts = start + i * step;

    if (artic_sampler_take (sampler, ts)) {
      if (taken != NULL)
        taken[n] = ts;
      n++;
    }
  }
  return n;
}

static void
test_two_per_second (void)
{
  ArticSampler sampler;
  GstClockTime taken[16];
  guint i, n;

  artic_sampler_init (&sampler, 2.0);
  n = count_taken (&sampler, 0, FRAME_30FPS, 90, taken);
  g_assert_cmpuint (n, ==, 6);
  /* Every 15th frame: the first at or after each half second. */
  for (i = 0; i < n; i++)
    g_assert_cmpuint (taken[i], ==, i * 15 * FRAME_30FPS);
}

static void
test_grid_does_not_drift (void)
{
  ArticSampler sampler;
  guint i, taken = 0;

  /* 29.97 fps with +-5 ms jitter for 100 s must give 200 samples. */
  artic_sampler_init (&sampler, 2.0);
  g_assert_true (artic_sampler_take (&sampler, 0));
  taken = 1;
  for (i = 1; i < 2997; i++) {
    GstClockTime ts = gst_util_uint64_scale (i, GST_SECOND * 1001, 30000);
    ts += (i % 3 == 0) ? 5 * GST_MSECOND : 0;
    taken += artic_sampler_take (&sampler, ts);
  }
  g_assert_cmpuint (taken, ==, 200);
}

static void
test_gap_skips_missed_instants (void)
{
  ArticSampler sampler;

  artic_sampler_init (&sampler, 2.0);
  g_assert_true (artic_sampler_take (&sampler, 0));
  /* Nothing for 2.2 s, then frames again: one sample, not four. */
  g_assert_true (artic_sampler_take (&sampler, 2200 * GST_MSECOND));
  g_assert_false (artic_sampler_take (&sampler, 2300 * GST_MSECOND));
  g_assert_true (artic_sampler_take (&sampler, 2500 * GST_MSECOND));
}

static void
test_time_going_back_restarts (void)
{
  ArticSampler sampler;

  artic_sampler_init (&sampler, 1.0);
  g_assert_true (artic_sampler_take (&sampler, 10 * GST_SECOND));
  g_assert_false (artic_sampler_take (&sampler, 10 * GST_SECOND + 1));
  g_assert_true (artic_sampler_take (&sampler, 0));
  g_assert_false (artic_sampler_take (&sampler, GST_SECOND / 2));
  g_assert_true (artic_sampler_take (&sampler, GST_SECOND));
}

static void
test_invalid_input (void)
{
  ArticSampler sampler;

  artic_sampler_init (&sampler, 2.0);
  g_assert_false (artic_sampler_take (&sampler, GST_CLOCK_TIME_NONE));
  g_assert_false (artic_sampler_set_rate (&sampler, 0.0));
  g_assert_false (artic_sampler_set_rate (&sampler, -1.0));
  g_assert_false (artic_sampler_set_rate (&sampler, 1e9));
  g_assert_false (artic_sampler_set_rate (&sampler, NAN));
  g_assert_cmpuint (sampler.period, ==, GST_SECOND / 2);
  g_assert_true (artic_sampler_set_rate (&sampler, 10.0));
  g_assert_cmpuint (sampler.period, ==, GST_SECOND / 10);
  /* An absurd rate at init falls back to the default. */
  artic_sampler_init (&sampler, -5.0);
  g_assert_cmpuint (sampler.period, ==, GST_SECOND / 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sampler/two-per-second", test_two_per_second);
  g_test_add_func ("/sampler/grid-does-not-drift", test_grid_does_not_drift);
  g_test_add_func (
      "/sampler/gap-skips-missed-instants", test_gap_skips_missed_instants);
  g_test_add_func (
      "/sampler/time-going-back-restarts", test_time_going_back_restarts);
  g_test_add_func ("/sampler/invalid-input", test_invalid_input);
  return g_test_run ();
}
