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

#ifndef __GST_ARTIC_MLLM_SINK_H__
#define __GST_ARTIC_MLLM_SINK_H__

#include <gst/gst.h>
#include <gst/base/gstbasesink.h>
#include <gst/video/video.h>

#include "artic-chunk-cache.h"
#include "artic-jpeg.h"
#include "artic-mllm-client.h"
#include "artic-sampler.h"

G_BEGIN_DECLS

#define GST_TYPE_ARTIC_MLLM_SINK (gst_artic_mllm_sink_get_type ())
G_DECLARE_FINAL_TYPE (
    GstArticMllmSink, gst_artic_mllm_sink, GST, ARTIC_MLLM_SINK, GstBaseSink);

struct _GstArticMllmSink
{
  GstBaseSink parent;

  /* Properties (object lock). */
  gchar *endpoint;
  gchar *model;
  gchar *api_key_env;
  gchar *detail;
  gchar *system_prompt;
  gchar *questions_file;
  guint frame_window;
  guint max_image_size;
  gint jpeg_quality;
  gdouble threshold;
  guint64 cache_bytes;
  gdouble sample_rate;
  gdouble read_timeout;
  gint max_tokens;

  /* Streaming state (object lock, except the encoder: streaming thread). */
  GstVideoInfo info;
  gboolean have_info;
  ArticSampler sampler;
  ArticJpegEncoder *encoder;
  ArticChunkCache *cache;
  ArticChunkCounters final_counters; /* kept for reading after stop */
  GQueue pending; /* gchar *: questions waiting for the next frame */
  GArray *timed;  /* ArticQuestion, from questions-file */
  guint next_timed;
  guint64 next_question_id;

  /* Requests run one at a time on a worker thread. */
  ArticMllmClient *client;
  GThreadPool *pool;
  GCancellable *cancellable;
  guint in_flight;
  gboolean unlocked; /* flushing or stopping: EOS stops waiting */
  GCond idle;
};

GST_ELEMENT_REGISTER_DECLARE (articmllmsink);

G_END_DECLS

#endif /* __GST_ARTIC_MLLM_SINK_H__ */
