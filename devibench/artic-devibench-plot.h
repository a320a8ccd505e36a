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

/* PNG plots of a run's summary, drawn with cairo: accuracy against the
 * achieved bitrate (one file per frame size, one line per codec and ROI
 * mode, the clean stream's accuracy as a dashed level) and the CDF of the
 * latencies. */

#ifndef __ARTIC_DEVIBENCH_PLOT_H__
#define __ARTIC_DEVIBENCH_PLOT_H__

#include <glib.h>

#include "artic-devibench-run.h"

G_BEGIN_DECLS

/* Writes DIR/accuracy-WxH.png per size with encoded no-network conditions,
 * DIR/latency-cdf.png (answer latency per condition) and, when a network
 * condition exists, DIR/frame-latency-cdf.png. The paths written are
 * appended to @written (gchar*, may be NULL). */
gboolean artic_devibench_plot_all (const ArticDevibenchSummary *summary,
    const gchar *dir, GPtrArray *written, GError **error);

G_END_DECLS

#endif /* __ARTIC_DEVIBENCH_PLOT_H__ */
