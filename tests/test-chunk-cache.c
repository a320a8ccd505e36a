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

/* The chunk cache on real frames of the shipped clip (a hand-held camera:
 * a moving scene) and on its first frame repeated (a static one), plus the
 * forced sends, the memory bound and the eviction order. */

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "artic-chunk-cache.h"
#include "artic-jpeg.h"

#define CLIP_W 640
#define CLIP_H 480
#define N_SAMPLED 20 /* 10 s sampled at 2 fps */

static GPtrArray *clip_frames; /* GBytes, I420 640x480, one per sample */

static void
load_clip (void)
{
  const gchar *clip = g_getenv ("ARTIC_CLIP");
  GError *error = NULL;
  GstElement *pipeline;
  GstElement *sink;
  gchar *desc;
  guint index = 0;

  g_assert_nonnull (clip);
  desc = g_strdup_printf (
      "filesrc location=\"%s\" ! decodebin ! videoconvert ! videoscale"
      " ! video/x-raw,format=I420,width=%d,height=%d ! appsink name=sink"
      " sync=false",
      clip, CLIP_W, CLIP_H);
  pipeline = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  g_free (desc);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  clip_frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (;;) {
    GstSample *sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
    GstMapInfo map;

    if (sample == NULL)
      break;
    /* 29.97 fps: every 15th frame is the 2 fps sample. */
    if (index++ % 15 == 0) {
      gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
      g_ptr_array_add (clip_frames, g_bytes_new (map.data, map.size));
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    }
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_assert_cmpuint (clip_frames->len, >=, N_SAMPLED);
}

/* A live session: every chunk that sends asks the model with the newest
 * images; skipped chunks ask nothing. */
static void
run_live (ArticChunkCache *cache, ArticJpegEncoder *enc, GBytes *const *frames,
    guint n, gdouble fps, guint window)
{
  guint i;

  for (i = 0; i < n; i++) {
    const guint8 *data = g_bytes_get_data (frames[i], NULL);
    const guint8 *planes[3]
        = { data, data + CLIP_W * CLIP_H, data + CLIP_W * CLIP_H * 5 / 4 };
    const gint strides[3] = { CLIP_W, CLIP_W / 2, CLIP_W / 2 };
    ArticChunkDecision d;
    const guint8 *luma;
    gint w, h, stride;

    g_assert_true (artic_jpeg_encoder_convert (
        enc, GST_VIDEO_FORMAT_I420, CLIP_W, CLIP_H, planes, strides, NULL));
    luma = artic_jpeg_encoder_get_luma (enc, &w, &h, &stride);
    d = artic_chunk_cache_push (cache, luma, w, h, stride, i / fps, 0, NULL);
    if (d == ARTIC_CHUNK_SEND) {
      GError *error = NULL;
      GBytes *jpeg = artic_jpeg_encoder_encode (enc, &error);

      g_assert_no_error (error);
      g_assert_nonnull (artic_chunk_cache_store (cache, jpeg));
      g_bytes_unref (jpeg);
    }
    if (d == ARTIC_CHUNK_SEND || d == ARTIC_CHUNK_REUSE)
      g_ptr_array_unref (artic_chunk_cache_window (cache, window));
  }
}

static void
test_static_sends_far_fewer (void)
{
  ArticChunkCacheConfig config;
  ArticJpegEncoder *enc = artic_jpeg_encoder_new (85, 512);
  GBytes *still[N_SAMPLED];
  ArticChunkCache *moving_cache, *static_cache;
  ArticChunkCounters moving, fixed;
  guint i;

  artic_chunk_cache_config_init (&config);
  for (i = 0; i < N_SAMPLED; i++)
    still[i] = clip_frames->pdata[0];
  moving_cache = artic_chunk_cache_new (&config);
  static_cache = artic_chunk_cache_new (&config);
  run_live (moving_cache, enc, (GBytes *const *) clip_frames->pdata, N_SAMPLED,
      2.0, 3);
  run_live (static_cache, enc, still, N_SAMPLED, 2.0, 3);
  artic_chunk_cache_get_counters (moving_cache, &moving);
  artic_chunk_cache_get_counters (static_cache, &fixed);
  g_test_message ("moving: %" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT
                  " images sent; static: %" G_GUINT64_FORMAT
                  " requests, %" G_GUINT64_FORMAT " images sent",
      moving.requests, moving.images_sent, fixed.requests, fixed.images_sent);
  /* The still view (9.5 s, under the 10 s staleness): only the start. */
  g_assert_cmpuint (fixed.requests, ==, 1);
  g_assert_cmpuint (fixed.chunks_skipped, ==, N_SAMPLED - 1);
  g_assert_cmpuint (fixed.tokens_saved, ==, 85 * (N_SAMPLED - 1));
  g_assert_cmpuint (moving.requests, >=, 8 * fixed.requests);
  g_assert_cmpuint (moving.images_sent, ==, moving.chunks_sent);
  /* Windows of 3 re-send earlier images as the exact cached bytes. */
  g_assert_cmpuint (moving.images_reused, >, 0);
  artic_chunk_cache_free (moving_cache);
  artic_chunk_cache_free (static_cache);
  artic_jpeg_encoder_free (enc);
}

static guint8 flat[64 * 48];

static ArticChunkDecision
push_flat (ArticChunkCache *cache, gdouble t, guint flags, ArticChunkInfo *info)
{
  return artic_chunk_cache_push (cache, flat, 64, 48, 64, t, flags, info);
}

static void
test_forced_sends (void)
{
  ArticChunkCacheConfig config;
  ArticChunkCache *cache;
  ArticChunkInfo info;
  gdouble t = 0;
  guint i, sends = 0;

  memset (flat, 100, sizeof (flat));
  artic_chunk_cache_config_init (&config);
  config.stale_s = 10;
  cache = artic_chunk_cache_new (&config);
  g_assert_cmpint (push_flat (cache, t, 0, &info), ==, ARTIC_CHUNK_SEND);
  g_assert_cmpint (info.reason, ==, ARTIC_CHUNK_REASON_START);
  g_assert_cmpint (push_flat (cache, t += 0.5, 0, &info), ==, ARTIC_CHUNK_SKIP);
  g_assert_cmpint (info.reason, ==, ARTIC_CHUNK_REASON_UNCHANGED);
  /* Every question sends, however still the picture. */
  for (i = 0; i < 5; i++) {
    g_assert_cmpint (
        push_flat (cache, t += 0.5, ARTIC_CHUNK_FLAG_QUESTION, &info), ==,
        ARTIC_CHUNK_SEND);
    g_assert_cmpint (info.reason, ==, ARTIC_CHUNK_REASON_QUESTION);
  }
  g_assert_cmpint (push_flat (cache, t += 0.5, ARTIC_CHUNK_FLAG_RESYNC, &info),
      ==, ARTIC_CHUNK_SEND);
  g_assert_cmpint (info.reason, ==, ARTIC_CHUNK_REASON_RESYNC);
  g_assert_cmpint (
      push_flat (cache, t += 0.5, ARTIC_CHUNK_FLAG_SCENE_CUT, &info), ==,
      ARTIC_CHUNK_SEND);
  g_assert_cmpint (info.reason, ==, ARTIC_CHUNK_REASON_SCENE_CUT);
  /* Then 30 s of nothing: a stale refresh every 10 s. */
  for (i = 0; i < 60; i++)
    if (push_flat (cache, t += 0.5, 0, &info) == ARTIC_CHUNK_SEND) {
      g_assert_cmpint (info.reason, ==, ARTIC_CHUNK_REASON_STALE);
      sends++;
    }
  g_assert_cmpuint (sends, ==, 3);
  artic_chunk_cache_free (cache);
}

static void
test_threshold_accumulates (void)
{
  ArticChunkCacheConfig config;
  ArticChunkCache *cache;
  ArticChunkInfo info;
  guint i;

  /* A slow drift: each step is 1% (under the 5% threshold), but the sum
   * since the last send crosses it on the 6th step. */
  artic_chunk_cache_config_init (&config);
  cache = artic_chunk_cache_new (&config);
  memset (flat, 100, sizeof (flat));
  g_assert_cmpint (push_flat (cache, 0, 0, &info), ==, ARTIC_CHUNK_SEND);
  for (i = 1; i <= 5; i++) {
    memset (flat, 100 + i, sizeof (flat));
    g_assert_cmpint (
        push_flat (cache, i * 0.5, 0, &info), ==, ARTIC_CHUNK_SKIP);
  }
  memset (flat, 106, sizeof (flat));
  g_assert_cmpint (push_flat (cache, 3.0, 0, &info), ==, ARTIC_CHUNK_SEND);
  g_assert_cmpint (info.reason, ==, ARTIC_CHUNK_REASON_CHANGED);
  g_assert_cmpfloat_with_epsilon (info.change, 0.0586, 0.001);
  artic_chunk_cache_free (cache);
}

static void
test_chunks_and_reuse (void)
{
  ArticChunkCacheConfig config;
  ArticChunkCache *cache;
  ArticChunkInfo info;
  GBytes *jpeg = g_bytes_new_static ("\xff\xd8 jpeg \xff\xd9", 10);
  GPtrArray *window;

  artic_chunk_cache_config_init (&config);
  config.chunk_frames = 3;
  cache = artic_chunk_cache_new (&config);
  memset (flat, 80, sizeof (flat));
  g_assert_cmpint (push_flat (cache, 0, 0, &info), ==, ARTIC_CHUNK_SEND);
  g_assert_nonnull (artic_chunk_cache_store (cache, jpeg));
  g_assert_cmpint (push_flat (cache, 0.5, 0, &info), ==, ARTIC_CHUNK_PENDING);
  g_assert_cmpint (push_flat (cache, 1.0, 0, &info), ==, ARTIC_CHUNK_PENDING);
  /* The chunk closes unchanged; a request is going out anyway. */
  g_assert_cmpint (push_flat (cache, 1.5, ARTIC_CHUNK_FLAG_NEEDED, &info), ==,
      ARTIC_CHUNK_REUSE);
  window = artic_chunk_cache_window (cache, 3);
  g_assert_cmpuint (window->len, ==, 1);
  /* The very bytes cached, not a copy or a re-encode. */
  g_assert_true (window->pdata[0] == (gpointer) jpeg);
  g_ptr_array_unref (window);
  window = artic_chunk_cache_window (cache, 3);
  g_ptr_array_unref (window);
  {
    ArticChunkCounters c;

    artic_chunk_cache_get_counters (cache, &c);
    g_assert_cmpuint (c.images_sent, ==, 1);
    g_assert_cmpuint (c.images_reused, ==, 1);
    g_assert_cmpuint (c.tokens_cached, ==, 85);
    g_assert_cmpuint (c.chunks_reused, ==, 1);
  }
  /* A question closes an open chunk early. */
  g_assert_cmpint (push_flat (cache, 2.0, ARTIC_CHUNK_FLAG_QUESTION, &info), ==,
      ARTIC_CHUNK_SEND);
  g_bytes_unref (jpeg);
  artic_chunk_cache_free (cache);
}

static void
noise_frame (guint8 *frame, guint n, guint seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  guint i;

  for (i = 0; i < n; i++)
    frame[i] = g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
}

static void
test_memory_bound_long_run (void)
{
  ArticChunkCacheConfig config;
  ArticChunkCache *cache;
  ArticJpegEncoder *enc = artic_jpeg_encoder_new (75, 768);
  guint8 *i420 = g_malloc (64 * 48 * 3 / 2);
  const guint8 *planes[3] = { i420, i420 + 64 * 48, i420 + 64 * 48 * 5 / 4 };
  const gint strides[3] = { 64, 32, 32 };
  ArticChunkCounters c;
  guint i;

  artic_chunk_cache_config_init (&config);
  config.cache_bytes = 48 * 1024;
  cache = artic_chunk_cache_new (&config);
  memset (i420, 128, 64 * 48 * 3 / 2);
  for (i = 0; i < 10000; i++) {
    const guint8 *luma;
    gint w, h, stride;

    /* A new random picture every 4th frame, a still one otherwise. */
    if (i % 4 == 0)
      noise_frame (i420, 64 * 48, i);
    g_assert_true (artic_jpeg_encoder_convert (
        enc, GST_VIDEO_FORMAT_I420, 64, 48, planes, strides, NULL));
    luma = artic_jpeg_encoder_get_luma (enc, &w, &h, &stride);
    if (artic_chunk_cache_push (cache, luma, w, h, stride, i * 0.5,
            i % 100 == 0 ? ARTIC_CHUNK_FLAG_QUESTION : 0, NULL)
        == ARTIC_CHUNK_SEND) {
      GBytes *jpeg = artic_jpeg_encoder_encode (enc, NULL);

      artic_chunk_cache_store (cache, jpeg);
      g_bytes_unref (jpeg);
    }
    artic_chunk_cache_get_counters (cache, &c);
    g_assert_cmpuint (c.bytes_used, <=, config.cache_bytes);
  }
  artic_chunk_cache_get_counters (cache, &c);
  g_assert_cmpuint (c.chunks_sent, >=, 2500);
  g_assert_cmpuint (c.evictions, >, 2000);
  g_assert_cmpuint (c.bytes_peak, <=, config.cache_bytes);
  g_assert_cmpuint (c.bytes_peak, >, config.cache_bytes / 2);
  g_free (i420);
  artic_jpeg_encoder_free (enc);
  artic_chunk_cache_free (cache);
}

typedef struct
{
  GArray *evicted; /* guint64 ids */
  guint stored;
} Backend;

static void
on_stored (const ArticChunkEntry *entry, gpointer user_data)
{
  ((Backend *) user_data)->stored++;
}

static void
on_evicted (const ArticChunkEntry *entry, gpointer user_data)
{
  g_array_append_val (((Backend *) user_data)->evicted, entry->id);
}

static void
unit_features (gfloat *f, guint axis, gfloat mix)
{
  memset (f, 0, sizeof (gfloat) * ARTIC_CHUNK_FEATURE_DIM);
  f[axis] = 1.0f - mix;
  f[axis + 1] = mix;
  {
    gfloat norm = sqrtf (f[axis] * f[axis] + f[axis + 1] * f[axis + 1]);

    f[axis] /= norm;
    f[axis + 1] /= norm;
  }
}

static void
test_eviction_order (void)
{
  ArticChunkCacheConfig config;
  ArticChunkCache *cache;
  Backend backend = { g_array_new (FALSE, FALSE, sizeof (guint64)), 0 };
  ArticChunkHooks hooks = { NULL, NULL, on_stored, on_evicted };
  gchar payload[1000];
  GBytes *jpeg;
  gfloat f[ARTIC_CHUNK_FEATURE_DIM];
  gdouble scores[4];
  guint i, worst = 0;

  memset (payload, 'j', sizeof (payload));
  jpeg = g_bytes_new (payload, sizeof (payload));
  artic_chunk_cache_config_init (&config);
  /* Room for four entries, not five. */
  config.cache_bytes = 4 * (sizeof (ArticChunkEntry) + sizeof (payload)) + 10;
  cache = artic_chunk_cache_new (&config);
  artic_chunk_cache_set_hooks (cache, &hooks, &backend, NULL);

  /* id 0 and id 1 nearly the same picture, id 1 the less important;
   * id 2 and id 3 unlike anything else. */
  unit_features (f, 0, 0.0f);
  artic_chunk_cache_insert (cache, jpeg, f, 0.9, 0);
  unit_features (f, 0, 0.05f);
  artic_chunk_cache_insert (cache, jpeg, f, 0.2, 1);
  unit_features (f, 10, 0.0f);
  artic_chunk_cache_insert (cache, jpeg, f, 0.1, 2);
  unit_features (f, 20, 0.0f);
  artic_chunk_cache_insert (cache, jpeg, f, 0.5, 3);
  g_assert_cmpuint (backend.evicted->len, ==, 0);
  for (i = 0; i < 4; i++) {
    scores[i] = artic_chunk_cache_get_score (cache, i);
    if (scores[i] < scores[worst])
      worst = i;
  }
  /* Redundancy dominates (1 - lambda = 0.93): a duplicate goes first, and
   * of the two the less important. */
  g_assert_cmpuint (worst, ==, 1);
  g_assert_cmpfloat (scores[1], <, scores[0]);
  g_assert_cmpfloat (scores[2], <, scores[3]);

  unit_features (f, 30, 0.0f);
  artic_chunk_cache_insert (cache, jpeg, f, 0.5, 4);
  g_assert_cmpuint (backend.evicted->len, ==, 1);
  g_assert_cmpuint (g_array_index (backend.evicted, guint64, 0), ==, 1);
  /* Now all differ: the least important (id 2) goes next. */
  unit_features (f, 40, 0.0f);
  artic_chunk_cache_insert (cache, jpeg, f, 0.5, 5);
  g_assert_cmpuint (g_array_index (backend.evicted, guint64, 1), ==, 2);
  g_assert_cmpuint (backend.stored, ==, 6);
  g_assert_cmpuint (artic_chunk_cache_get_n_entries (cache), ==, 4);
  /* Shrinking the bound evicts at once, the newest entry last. */
  artic_chunk_cache_set_cache_bytes (cache, 1);
  g_assert_cmpuint (artic_chunk_cache_get_n_entries (cache), ==, 0);
  g_bytes_unref (jpeg);
  artic_chunk_cache_free (cache);
  g_array_unref (backend.evicted);
}

static ArticChunkDecision
always_skip (const ArticChunkInfo *info, gpointer user_data)
{
  guint *calls = user_data;

  (*calls)++;
  /* The application keeps the built-in forced sends, skips the rest. */
  return info->reason == ARTIC_CHUNK_REASON_CHANGED ? ARTIC_CHUNK_SKIP
                                                    : ARTIC_CHUNK_DEFAULT;
}

static void
test_decide_hook (void)
{
  ArticChunkCacheConfig config;
  ArticChunkCache *cache;
  ArticChunkHooks hooks = { always_skip, NULL, NULL, NULL };
  ArticChunkInfo info;
  guint calls = 0, i;

  artic_chunk_cache_config_init (&config);
  cache = artic_chunk_cache_new (&config);
  artic_chunk_cache_set_hooks (cache, &hooks, &calls, NULL);
  for (i = 0; i < 10; i++) {
    ArticChunkDecision d;

    noise_frame (flat, sizeof (flat), i);
    d = push_flat (cache, i * 0.5, 0, &info);
    g_assert_cmpint (d, ==, i == 0 ? ARTIC_CHUNK_SEND : ARTIC_CHUNK_SKIP);
  }
  g_assert_cmpint (push_flat (cache, 5.0, ARTIC_CHUNK_FLAG_QUESTION, &info), ==,
      ARTIC_CHUNK_SEND);
  g_assert_cmpuint (calls, ==, 11);
  artic_chunk_cache_free (cache);
}

static void
test_odd_input (void)
{
  ArticChunkCacheConfig config;
  ArticChunkCache *cache;
  guint8 tiny[1] = { 7 };
  GBytes *big = g_bytes_new_take (g_malloc0 (4096), 4096);

  /* Absurd settings are clamped; tiny frames and oversized JPEGs are
   * handled without a crash. */
  artic_chunk_cache_config_init (&config);
  config.chunk_frames = 0;
  config.threshold = -3;
  config.lambda = 7;
  config.cache_bytes = 1024;
  cache = artic_chunk_cache_new (&config);
  g_assert_cmpint (artic_chunk_cache_push (cache, tiny, 1, 1, 1, 0, 0, NULL),
      ==, ARTIC_CHUNK_SEND);
  g_assert_null (artic_chunk_cache_store (cache, big));
  g_assert_null (artic_chunk_cache_store (cache, big));
  g_assert_cmpuint (artic_chunk_cache_get_n_entries (cache), ==, 0);
  g_ptr_array_unref (artic_chunk_cache_window (cache, 5));
  g_bytes_unref (big);
  artic_chunk_cache_free (cache);
}

int
main (int argc, char **argv)
{
  int ret;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  load_clip ();
  g_test_add_func (
      "/chunk-cache/static-sends-far-fewer", test_static_sends_far_fewer);
  g_test_add_func ("/chunk-cache/forced-sends", test_forced_sends);
  g_test_add_func (
      "/chunk-cache/threshold-accumulates", test_threshold_accumulates);
  g_test_add_func ("/chunk-cache/chunks-and-reuse", test_chunks_and_reuse);
  g_test_add_func (
      "/chunk-cache/memory-bound-long-run", test_memory_bound_long_run);
  g_test_add_func ("/chunk-cache/eviction-order", test_eviction_order);
  g_test_add_func ("/chunk-cache/decide-hook", test_decide_hook);
  g_test_add_func ("/chunk-cache/odd-input", test_odd_input);
  ret = g_test_run ();
  g_ptr_array_unref (clip_frames);
  return ret;
}
