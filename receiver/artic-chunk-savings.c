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

/* artic-chunk-savings: measures what the chunk cache saves on a clip. It
 * decodes the clip, samples it at the model's rate, and replays the samples
 * as a live MLLM session twice: on the clip itself (moving) and on its first
 * frame repeated for as long (static). Every chunk that sends or reuses is
 * one request carrying the newest --window images; a skipped chunk sends
 * nothing. The baseline without the cache sends one request per chunk with
 * --window freshly encoded images. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <stdio.h>

#include "artic-chunk-cache.h"
#include "artic-jpeg.h"
#include "artic-sampler.h"

typedef struct
{
  gchar *input;
  gdouble rate;
  gdouble threshold;
  gint window;
  gint chunk_frames;
  gdouble stale_s;
  gint tokens_per_image;
  gint max_size;
  gint quality;
  gint loops;
} SavingsOptions;

/* Decoded samples: I420 frames of @width x @height. */
static GPtrArray *
load_samples (const SavingsOptions *o, gint *width, gint *height)
{
  GError *error = NULL;
  GstElement *pipeline, *sink;
  GPtrArray *frames;
  ArticSampler sampler;
  gchar *uri, *desc;

  uri = gst_filename_to_uri (o->input, &error);
  if (uri == NULL) {
    fprintf (stderr, "artic-chunk-savings: error: %s\n", error->message);
    g_clear_error (&error);
    return NULL;
  }
  desc = g_strdup_printf ("uridecodebin uri=\"%s\" ! videoconvert"
                          " ! video/x-raw,format=I420 ! appsink name=sink"
                          " sync=false",
      uri);
  g_free (uri);
  pipeline = gst_parse_launch (desc, &error);
  g_free (desc);
  if (pipeline == NULL) {
    fprintf (stderr, "artic-chunk-savings: error: %s\n", error->message);
    g_clear_error (&error);
    return NULL;
  }
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  artic_sampler_init (&sampler, o->rate);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (;;) {
    GstSample *sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
    GstBuffer *buffer;
    GstMapInfo map;
    GstVideoInfo info;

    if (sample == NULL)
      break;
    buffer = gst_sample_get_buffer (sample);
    if (artic_sampler_take (&sampler, GST_BUFFER_PTS (buffer))
        && gst_video_info_from_caps (&info, gst_sample_get_caps (sample))) {
      *width = GST_VIDEO_INFO_WIDTH (&info);
      *height = GST_VIDEO_INFO_HEIGHT (&info);
      gst_buffer_map (buffer, &map, GST_MAP_READ);
      g_ptr_array_add (frames, g_bytes_new (map.data, map.size));
      gst_buffer_unmap (buffer, &map);
    }
    gst_sample_unref (sample);
  }
  {
    GstBus *bus = gst_element_get_bus (pipeline);
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

    if (msg != NULL) {
      gst_message_parse_error (msg, &error, NULL);
      fprintf (stderr, "artic-chunk-savings: error: cannot decode '%s': %s\n",
          o->input, error->message);
      g_clear_error (&error);
      gst_message_unref (msg);
      g_ptr_array_set_size (frames, 0);
    }
    gst_object_unref (bus);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  if (frames->len == 0) {
    if (error == NULL)
      fprintf (
          stderr, "artic-chunk-savings: error: no frames in '%s'\n", o->input);
    g_ptr_array_unref (frames);
    return NULL;
  }
  return frames;
}

static void
run_session (const SavingsOptions *o, const gchar *name, GPtrArray *frames,
    gboolean still, gint width, gint height)
{
  ArticChunkCacheConfig config;
  ArticChunkCache *cache;
  ArticJpegEncoder *enc = artic_jpeg_encoder_new (o->quality, o->max_size);
  ArticChunkCounters c;
  guint64 naive_requests = 0, jpeg_bytes = 0;
  guint i, n = frames->len * o->loops;
  gint64 start = g_get_monotonic_time ();

  artic_chunk_cache_config_init (&config);
  config.threshold = o->threshold;
  config.chunk_frames = o->chunk_frames;
  config.stale_s = o->stale_s;
  config.tokens_per_image = o->tokens_per_image;
  cache = artic_chunk_cache_new (&config);
  for (i = 0; i < n; i++) {
    GBytes *frame = frames->pdata[still ? 0 : i % frames->len];
    const guint8 *data = g_bytes_get_data (frame, NULL);
    gint cw = (width + 1) / 2, ch = (height + 1) / 2;
    const guint8 *planes[3] = { data, data + GST_ROUND_UP_4 (width) * height,
      data + GST_ROUND_UP_4 (width) * height + GST_ROUND_UP_4 (cw) * ch };
    const gint strides[3]
        = { GST_ROUND_UP_4 (width), GST_ROUND_UP_4 (cw), GST_ROUND_UP_4 (cw) };
    const guint8 *luma;
    gint w, h, stride;
    ArticChunkDecision d;

    artic_jpeg_encoder_convert (
        enc, GST_VIDEO_FORMAT_I420, width, height, planes, strides, NULL);
    luma = artic_jpeg_encoder_get_luma (enc, &w, &h, &stride);
    d = artic_chunk_cache_push (
        cache, luma, w, h, stride, i / o->rate, 0, NULL);
    if (d == ARTIC_CHUNK_PENDING)
      continue;
    naive_requests++;
    if (d == ARTIC_CHUNK_SEND) {
      GBytes *jpeg = artic_jpeg_encoder_encode (enc, NULL);

      if (jpeg != NULL) {
        jpeg_bytes += g_bytes_get_size (jpeg);
        artic_chunk_cache_store (cache, jpeg);
        g_bytes_unref (jpeg);
      }
    }
    if (d == ARTIC_CHUNK_SEND || d == ARTIC_CHUNK_REUSE)
      g_ptr_array_unref (artic_chunk_cache_window (cache, o->window));
  }
  artic_chunk_cache_get_counters (cache, &c);
  printf ("%-7s %5u samples %5" G_GUINT64_FORMAT
          " chunks | requests %5" G_GUINT64_FORMAT " vs %5" G_GUINT64_FORMAT
          " (-%.1f%%) | images new %5" G_GUINT64_FORMAT
          " + re-sent %5" G_GUINT64_FORMAT " vs %5" G_GUINT64_FORMAT
          " | image tokens new %7" G_GUINT64_FORMAT " vs %7" G_GUINT64_FORMAT
          " (-%.1f%%) | JPEG %.0f KiB avg | %.1f ms/sample\n",
      name, n, c.chunks, c.requests, naive_requests,
      naive_requests > 0
          ? 100.0 * (naive_requests - c.requests) / naive_requests
          : 0.0,
      c.images_sent, c.images_reused, naive_requests * o->window, c.tokens_sent,
      naive_requests * o->window * o->tokens_per_image,
      naive_requests > 0 ? 100.0
                               * (1.0
                                   - c.tokens_sent
                                         / (gdouble) (naive_requests * o->window
                                                      * o->tokens_per_image))
                         : 0.0,
      c.chunks_sent > 0 ? jpeg_bytes / 1024.0 / c.chunks_sent : 0.0,
      (g_get_monotonic_time () - start) / 1000.0 / MAX (n, 1));
  artic_chunk_cache_free (cache);
  artic_jpeg_encoder_free (enc);
}

static gboolean
parse_options (int argc, char **argv, SavingsOptions *o)
{
  GError *error = NULL;
  gboolean ok = TRUE;
  GOptionEntry entries[] = {
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &o->input,
        "Clip to measure (default data/media/box-10s.mp4)", "FILE" },
    { "rate", 'r', 0, G_OPTION_ARG_DOUBLE, &o->rate,
        "Sampling rate in frames per second (default 2)", "FPS" },
    { "threshold", 't', 0, G_OPTION_ARG_DOUBLE, &o->threshold,
        "Accumulated relative L1 change that sends (default 0.05)", "X" },
    { "window", 'w', 0, G_OPTION_ARG_INT, &o->window,
        "Images per request (default 3)", "N" },
    { "chunk-frames", 'c', 0, G_OPTION_ARG_INT, &o->chunk_frames,
        "Sampled frames per chunk (default 1)", "N" },
    { "stale", 's', 0, G_OPTION_ARG_DOUBLE, &o->stale_s,
        "Force a send after this many seconds; 0 never (default 10)", "S" },
    { "tokens-per-image", 0, 0, G_OPTION_ARG_INT, &o->tokens_per_image,
        "Estimated tokens of one image (default 85, OpenAI detail=low)", "N" },
    { "max-size", 0, 0, G_OPTION_ARG_INT, &o->max_size,
        "Longest image side in pixels (default 768)", "PX" },
    { "quality", 0, 0, G_OPTION_ARG_INT, &o->quality,
        "JPEG quality (default 85)", "Q" },
    { "loops", 'l', 0, G_OPTION_ARG_INT, &o->loops,
        "Replay the samples this many times (default 1)", "N" },
    { NULL }
  };
  GOptionContext *context
      = g_option_context_new ("- measure the chunk cache's savings");

  g_option_context_set_summary (context,
      "Replays a clip's samples (and its first frame held still) as a live\n"
      "MLLM session and prints requests and image tokens with the chunk\n"
      "cache against one request per sample without it.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    fprintf (stderr, "artic-chunk-savings: error: %s (see --help)\n",
        error->message);
    g_clear_error (&error);
    ok = FALSE;
  } else if (argc > 1) {
    fprintf (stderr,
        "artic-chunk-savings: error: unexpected argument '%s' (see --help)\n",
        argv[1]);
    ok = FALSE;
  } else if (!(o->rate >= ARTIC_SAMPLER_MIN_RATE && o->rate <= 60)) {
    fprintf (stderr,
        "artic-chunk-savings: error: rate %g is out of range "
        "(0.01-60)\n",
        o->rate);
    ok = FALSE;
  } else if (!(o->threshold >= 0 && o->threshold <= 100) || o->window < 1
             || o->window > 64 || o->chunk_frames < 1 || o->chunk_frames > 1000
             || !(o->stale_s >= 0) || o->tokens_per_image < 0
             || o->max_size < ARTIC_JPEG_MIN_SIZE
             || o->max_size > ARTIC_JPEG_MAX_SIZE || o->quality < 1
             || o->quality > 100 || o->loops < 1 || o->loops > 10000) {
    fprintf (stderr, "artic-chunk-savings: error: a setting is out of range "
                     "(see --help)\n");
    ok = FALSE;
  } else if (o->input == NULL
             && (o->input = g_strdup ("data/media/box-10s.mp4")) == NULL) {
    ok = FALSE;
  } else if (!g_file_test (o->input, G_FILE_TEST_IS_REGULAR)) {
    fprintf (
        stderr, "artic-chunk-savings: error: '%s' does not exist\n", o->input);
    ok = FALSE;
  }
  g_option_context_free (context);
  return ok;
}

int
main (int argc, char **argv)
{
  SavingsOptions o = { NULL, ARTIC_SAMPLER_DEFAULT_RATE,
    ARTIC_CHUNK_DEFAULT_THRESHOLD, 3, ARTIC_CHUNK_DEFAULT_CHUNK_FRAMES,
    ARTIC_CHUNK_DEFAULT_STALE_S, ARTIC_CHUNK_DEFAULT_TOKENS_PER_IMAGE,
    ARTIC_JPEG_DEFAULT_MAX_SIZE, ARTIC_JPEG_DEFAULT_QUALITY, 1 };
  GPtrArray *frames;
  gint width = 0, height = 0;

  gst_init (NULL, NULL);
  if (!parse_options (argc, argv, &o)) {
    g_free (o.input);
    return 2;
  }
  fprintf (stderr, "artic-chunk-savings: decoding %s at %.2f fps...\n", o.input,
      o.rate);
  frames = load_samples (&o, &width, &height);
  if (frames == NULL) {
    g_free (o.input);
    return 1;
  }
  printf ("%s: %ux%d samples at %.2f fps, threshold %.3f, chunk %d, window "
          "%d, stale %.0f s, %d tokens/image\n",
      o.input, (guint) width, height, o.rate, o.threshold, o.chunk_frames,
      o.window, o.stale_s, o.tokens_per_image);
  run_session (&o, "moving", frames, FALSE, width, height);
  run_session (&o, "static", frames, TRUE, width, height);
  g_ptr_array_unref (frames);
  g_free (o.input);
  return 0;
}
