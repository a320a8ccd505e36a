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

/* Sampling a video stream at the rate a model consumes it.
 *
 * Sampling instants lie on a fixed grid (start + k * period). The first frame
 * at or after each instant is taken; the grid never drifts with frame jitter,
 * and an instant that no frame reached before the next one is skipped rather
 * than served twice. */

#include "artic-sampler.h"

/* Timestamps computed as whole frame durations (33333333 ns at 30 fps) fall
 * a few ns short of the instant they were meant to hit. */
#define ARTIC_SAMPLER_TOLERANCE GST_MSECOND

static GstClockTime
artic_sampler_period_for_rate (gdouble rate)
{
  return (GstClockTime) (GST_SECOND / rate + 0.5);
}

void
artic_sampler_init (ArticSampler *sampler, gdouble rate)
{
  sampler->period = artic_sampler_period_for_rate (ARTIC_SAMPLER_DEFAULT_RATE);
  artic_sampler_set_rate (sampler, rate);
  artic_sampler_reset (sampler);
}

/* Returns FALSE and keeps the current rate when @rate is out of range. */
gboolean
artic_sampler_set_rate (ArticSampler *sampler, gdouble rate)
{
  if (!(rate >= ARTIC_SAMPLER_MIN_RATE && rate <= ARTIC_SAMPLER_MAX_RATE))
    return FALSE;
  sampler->period = artic_sampler_period_for_rate (rate);
  return TRUE;
}

void
artic_sampler_reset (ArticSampler *sampler)
{
  sampler->next_instant = GST_CLOCK_TIME_NONE;
  sampler->last_taken = GST_CLOCK_TIME_NONE;
}

/* Decides whether the frame at @timestamp (running time) is handed on. */
gboolean
artic_sampler_take (ArticSampler *sampler, GstClockTime timestamp)
{
  gboolean went_back;

  if (!GST_CLOCK_TIME_IS_VALID (timestamp))
    return FALSE;

  went_back = GST_CLOCK_TIME_IS_VALID (sampler->last_taken)
              && timestamp < sampler->last_taken;
  if (!GST_CLOCK_TIME_IS_VALID (sampler->next_instant) || went_back) {
    /* First frame, or time restarted (new segment): start a new grid. */
    sampler->next_instant = timestamp + sampler->period;
    sampler->last_taken = timestamp;
    return TRUE;
  }

  if (timestamp + ARTIC_SAMPLER_TOLERANCE < sampler->next_instant)
    return FALSE;

  if (timestamp >= sampler->next_instant)
    sampler->next_instant += (timestamp - sampler->next_instant)
                             / sampler->period * sampler->period;
  sampler->next_instant += sampler->period;
  sampler->last_taken = timestamp;
  return TRUE;
}
