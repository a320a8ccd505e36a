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

#ifndef __ARTIC_SAMPLER_H__
#define __ARTIC_SAMPLER_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* Lowest and highest sampling rates accepted, in frames per second. */
#define ARTIC_SAMPLER_MIN_RATE 0.01
#define ARTIC_SAMPLER_MAX_RATE 1000.0
/* The rate MLLMs consume video at (Qwen2.5-VL's default, DeViBench's). */
#define ARTIC_SAMPLER_DEFAULT_RATE 2.0

typedef struct
{
  GstClockTime period;
  GstClockTime next_instant;
  GstClockTime last_taken;
} ArticSampler;

void artic_sampler_init (ArticSampler *sampler, gdouble rate);
gboolean artic_sampler_set_rate (ArticSampler *sampler, gdouble rate);
void artic_sampler_reset (ArticSampler *sampler);
gboolean artic_sampler_take (ArticSampler *sampler, GstClockTime timestamp);

G_END_DECLS

#endif /* __ARTIC_SAMPLER_H__ */
