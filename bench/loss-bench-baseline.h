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

#ifndef __LOSS_BENCH_BASELINE_H__
#define __LOSS_BENCH_BASELINE_H__

#include <glib.h>

G_BEGIN_DECLS

/* The baseline a GStreamer user would build for a lossy link, as the two
 * subprocess roles of loss-bench (docs/loss-bench.md): rtpbin (AVPF) with
 * rtprtxsend/rtprtxreceive (RFC 4588 RTX answering the jitter buffer's
 * NACKs), key-frame requests from rtpvp8depay request-keyframe=true, stock
 * vp8enc in real-time CBR, and a plain sampler that takes the newest
 * decoded frame at every sampling instant. RTP and RTCP share one UDP
 * socket per side (rtcp-mux, RFC 5761), so everything crosses the relay. */

typedef struct
{
  /* Both roles. */
  gchar *host; /* send: where to send (the relay); recv: address to bind */
  gint port;
  gchar *stats_path; /* a key file with the role's counters */
  /* baseline-send */
  gchar *clip;
  guint width;
  guint height;
  guint fps;
  guint bitrate_kbps;
  guint keyframe_interval;
  gdouble duration_s;
  gchar *dump_path;
  /* baseline-recv */
  gchar *handed_log;
  gdouble sample_rate;
  guint latency_ms;
  gdouble idle_timeout_s;
  gdouble wait_s;
} ArticBaselineOptions;

#define ARTIC_BASELINE_PT_RTX 97

/* Each returns the process exit status (0, or 1 on a failure, reported on
 * stderr). */
gint artic_baseline_send (const ArticBaselineOptions *options);
gint artic_baseline_recv (const ArticBaselineOptions *options);

G_END_DECLS

#endif /* __LOSS_BENCH_BASELINE_H__ */
