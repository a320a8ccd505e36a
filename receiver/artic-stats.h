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

#ifndef __ARTIC_STATS_H__
#define __ARTIC_STATS_H__

#include <glib.h>

G_BEGIN_DECLS

/* A growing series of samples with order statistics. */
typedef struct _ArticSeries ArticSeries;

ArticSeries *artic_series_new (void);
void artic_series_free (ArticSeries *series);
void artic_series_add (ArticSeries *series, gdouble value);
guint artic_series_count (const ArticSeries *series);
gdouble artic_series_mean (const ArticSeries *series);
gdouble artic_series_percentile (const ArticSeries *series, gdouble percent);

G_END_DECLS

#endif /* __ARTIC_STATS_H__ */
