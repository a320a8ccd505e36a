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

/* loss-bench's measuring parts without a pipeline: the frame checksum, the
 * frame dump (IVF with capture times), the lossless reference decoded from
 * a real libvpx VP8 stream, the hand-on log parser, the scores and the
 * artic-netem summary parser. */

#include <glib/gstdio.h>
#include <string.h>
#include <vpx/vp8cx.h>
#include <vpx/vpx_encoder.h>

#include "artic-frame-dump.h"
#include "artic-frame-hash.h"
#include "artic-loss-metrics.h"

#define W 64
#define H 48

static void
fill_picture (
    guint8 *y, guint8 *u, guint8 *v, gint y_stride, gint c_stride, guint seed)
{
  guint row, col;

  for (row = 0; row < H; row++)
    for (col = 0; col < W; col++)
      y[row * y_stride + col] = (guint8) (row * 3 + col * 5 + seed * 7);
  for (row = 0; row < H / 2; row++)
    for (col = 0; col < W / 2; col++) {
      u[row * c_stride + col] = (guint8) (128 + row + seed);
      v[row * c_stride + col] = (guint8) (128 + col - seed);
    }
}

static guint64
hash_with_strides (gint y_stride, gint c_stride, guint seed, gint poke_plane)
{
  guint8 *y = g_malloc0 (y_stride * H), *u = g_malloc0 (c_stride * H / 2);
  guint8 *v = g_malloc0 (c_stride * H / 2);
  const guint8 *planes[3] = { y, u, v };
  const gint strides[3] = { y_stride, c_stride, c_stride };
  guint64 hash;
  guint i;

  fill_picture (y, u, v, y_stride, c_stride, seed);
  /* Padding must not count: fill it with junk. */
  for (i = 0; i < (guint) (y_stride * H); i++)
    if (i % y_stride >= W)
      y[i] = (guint8) g_random_int ();
  if (poke_plane == 0)
    y[(H - 1) * y_stride + W - 1] ^= 1;
  else if (poke_plane == 2)
    v[0] ^= 0x80;
  hash = artic_frame_hash_i420 (planes, strides, W, H);
  g_free (y);
  g_free (u);
  g_free (v);
  return hash;
}

static void
test_frame_hash (void)
{
  guint64 reference = hash_with_strides (W, W / 2, 1, -1);

  g_assert_cmpuint (
      hash_with_strides (W + 32, W / 2 + 16, 1, -1), ==, reference);
  g_assert_cmpuint (hash_with_strides (W, W / 2, 2, -1), !=, reference);
  g_assert_cmpuint (hash_with_strides (W, W / 2, 1, 0), !=, reference);
  g_assert_cmpuint (hash_with_strides (W, W / 2, 1, 2), !=, reference);
}

static gchar *
temp_path (const gchar *name)
{
  return g_build_filename (g_get_tmp_dir (), name, NULL);
}

static void
test_frame_dump_round_trip (void)
{
  gchar *path = temp_path ("test-loss-metrics-dump.ivf");
  ArticFrameDump *dump;
  ArticFrameDumpContents *contents;
  GError *error = NULL;
  const guint8 frame[] = { 1, 2, 3, 4, 5 };
  gchar *data;
  gsize size, cut;
  ArticDumpedFrame *f;

  dump = artic_frame_dump_create (path, "VP80", 640, 360, &error);
  g_assert_no_error (error);
  g_assert_true (artic_frame_dump_write (
      dump, G_GUINT64_CONSTANT (1795765751039089), frame, 5, &error));
  g_assert_true (artic_frame_dump_write (dump, 7, frame, 0, &error));
  g_assert_true (artic_frame_dump_write (dump, 8, frame + 1, 4, &error));
  g_assert_cmpuint (artic_frame_dump_frames (dump), ==, 3);
  g_assert_true (artic_frame_dump_close (dump, &error));

  contents = artic_frame_dump_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents->fourcc, ==, "VP80");
  g_assert_cmpuint (contents->width, ==, 640);
  g_assert_cmpuint (contents->height, ==, 360);
  g_assert_cmpuint (contents->frames->len, ==, 3);
  f = g_ptr_array_index (contents->frames, 0);
  g_assert_cmpuint (f->capture_us, ==, G_GUINT64_CONSTANT (1795765751039089));
  g_assert_cmpmem (
      g_bytes_get_data (f->data, NULL), g_bytes_get_size (f->data), frame, 5);
  f = g_ptr_array_index (contents->frames, 2);
  g_assert_cmpuint (f->capture_us, ==, 8);
  g_assert_cmpuint (g_bytes_get_size (f->data), ==, 4);
  artic_frame_dump_contents_free (contents);

  /* The frame count is in the header (a standard IVF reader sees it). */
  g_assert_true (g_file_get_contents (path, &data, &size, NULL));
  g_assert_cmpuint ((guint8) data[24], ==, 3);
  /* Every truncation but at a frame boundary is refused, without over-reads
   * (exact-size copies). */
  for (cut = 0; cut < size; cut++) {
    guint8 *copy = g_memdup2 (data, cut);

    contents = artic_frame_dump_parse (copy, cut, &error);
    if (cut == 32 || cut == 32 + 12 + 5 || cut == 32 + 12 + 5 + 12) {
      g_assert_no_error (error);
      artic_frame_dump_contents_free (contents);
    } else {
      g_assert_null (contents);
      g_assert_error (
          error, ARTIC_FRAME_DUMP_ERROR, ARTIC_FRAME_DUMP_ERROR_FORMAT);
      g_clear_error (&error);
    }
    g_free (copy);
  }
  /* A size field of 4 GiB is refused before anything is allocated. */
  memset (data + 32, 0xff, 4);
  g_assert_null (artic_frame_dump_parse ((guint8 *) data, size, &error));
  g_assert_error (error, ARTIC_FRAME_DUMP_ERROR, ARTIC_FRAME_DUMP_ERROR_FORMAT);
  g_clear_error (&error);
  /* Another time base: an ordinary IVF file, not a dump. */
  data[16] = 30;
  g_assert_null (artic_frame_dump_parse ((guint8 *) data, size, &error));
  g_assert_nonnull (strstr (error->message, "time base"));
  g_clear_error (&error);
  memcpy (data, "RIFF", 4);
  g_assert_null (artic_frame_dump_parse ((guint8 *) data, size, &error));
  g_clear_error (&error);
  g_free (data);

  g_assert_null (artic_frame_dump_load ("/nonexistent/dump.ivf", &error));
  g_clear_error (&error);
  g_assert_null (
      artic_frame_dump_create ("/nonexistent/dump.ivf", "VP80", 1, 1, &error));
  g_assert_error (error, ARTIC_FRAME_DUMP_ERROR, ARTIC_FRAME_DUMP_ERROR_IO);
  g_clear_error (&error);
  g_unlink (path);
  g_free (path);
}

/* Encodes @frames real VP8 frames (libvpx, real time) into a dump. */
static void
write_vp8_dump (const gchar *path, guint frames, gboolean corrupt_third)
{
  vpx_codec_enc_cfg_t cfg;
  vpx_codec_ctx_t encoder;
  vpx_image_t image;
  ArticFrameDump *dump;
  guint i;

  g_assert_cmpint (vpx_codec_enc_config_default (vpx_codec_vp8_cx (), &cfg, 0),
      ==, VPX_CODEC_OK);
  cfg.g_w = W;
  cfg.g_h = H;
  cfg.g_lag_in_frames = 0;
  cfg.rc_target_bitrate = 200;
  cfg.kf_max_dist = 1000;
  g_assert_cmpint (vpx_codec_enc_init (&encoder, vpx_codec_vp8_cx (), &cfg, 0),
      ==, VPX_CODEC_OK);
  g_assert_nonnull (vpx_img_alloc (&image, VPX_IMG_FMT_I420, W, H, 16));
  dump = artic_frame_dump_create (path, "VP80", W, H, NULL);
  for (i = 0; i < frames; i++) {
    const vpx_codec_cx_pkt_t *packet;
    vpx_codec_iter_t iter = NULL;

    fill_picture (image.planes[0], image.planes[1], image.planes[2],
        image.stride[0], image.stride[1], i);
    g_assert_cmpint (
        vpx_codec_encode (&encoder, &image, i, 1, 0, VPX_DL_REALTIME), ==,
        VPX_CODEC_OK);
    while ((packet = vpx_codec_get_cx_data (&encoder, &iter)) != NULL) {
      guint8 *data = g_memdup2 (packet->data.frame.buf, packet->data.frame.sz);

      if (corrupt_third && i == 2)
        memset (data, 0xff, MIN (packet->data.frame.sz, 16));
      g_assert_true (artic_frame_dump_write (
          dump, 1000000 + i * 33333, data, packet->data.frame.sz, NULL));
      g_free (data);
    }
  }
  g_assert_true (artic_frame_dump_close (dump, NULL));
  vpx_img_free (&image);
  vpx_codec_destroy (&encoder);
}

static void
test_reference_from_vp8 (void)
{
  gchar *path = temp_path ("test-loss-metrics-vp8.ivf");
  GError *error = NULL;
  ArticLossReference *reference;
  guint64 a, b;

  write_vp8_dump (path, 10, FALSE);
  reference = artic_loss_reference_from_dump (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (artic_loss_reference_frames (reference), ==, 10);
  g_assert_cmpuint (artic_loss_reference_keyframes (reference), ==, 1);
  g_assert_cmpuint (
      artic_loss_reference_first_capture_us (reference), ==, 1000000);
  g_assert_cmpuint (artic_loss_reference_last_capture_us (reference), ==,
      1000000 + 9 * 33333);
  g_assert_true (artic_loss_reference_lookup (reference, 1000000, &a));
  g_assert_true (artic_loss_reference_lookup (reference, 1033333, &b));
  g_assert_cmpuint (a, !=, b);
  g_assert_false (artic_loss_reference_lookup (reference, 1000001, &a));
  artic_loss_reference_free (reference);

  /* A damaged frame is not a reference: it fails, naming the frame. */
  write_vp8_dump (path, 5, TRUE);
  reference = artic_loss_reference_from_dump (path, &error);
  if (reference != NULL) {
    /* libvpx may decode the junk as a (wrong) frame; then the reference
     * still differs from the clean one at that frame. */
    g_test_message ("libvpx decoded the damaged frame");
    artic_loss_reference_free (reference);
  } else {
    g_assert_error (error, ARTIC_LOSS_ERROR, ARTIC_LOSS_ERROR_DECODE);
    g_assert_nonnull (strstr (error->message, "frame 2"));
    g_clear_error (&error);
  }

  /* Not VP8, or nothing in it. */
  artic_frame_dump_close (
      artic_frame_dump_create (path, "VP80", W, H, NULL), NULL);
  g_assert_null (artic_loss_reference_from_dump (path, &error));
  g_assert_nonnull (strstr (error->message, "no frames"));
  g_clear_error (&error);
  {
    ArticFrameDump *dump = artic_frame_dump_create (path, "H264", W, H, NULL);

    artic_frame_dump_write (dump, 1, (const guint8 *) "x", 1, NULL);
    artic_frame_dump_close (dump, NULL);
  }
  g_assert_null (artic_loss_reference_from_dump (path, &error));
  g_assert_nonnull (strstr (error->message, "not a VP8 dump"));
  g_clear_error (&error);
  g_unlink (path);
  g_free (path);
}

static void
test_handed_parse (void)
{
  GError *error = NULL;
  GArray *instants;
  ArticLossInstant *i0;
  const gchar *header
      = "instant_us,capture_us,delivered_us,checksum,repeated\n";
  const gchar *bad[] = {
    "instant_us,capture_us\n",
    "+1,2,3,00000000000000ff\n",
    "+1,2,3,00000000000000ff,2\n",
    "+1,2,3,ff,0\n",
    "+1,2,3,zz000000000000ff,0\n",
    "+0,2,3,00000000000000ff,0\n",
    "+1,-2,3,00000000000000ff,0\n",
    "+1,2,x,00000000000000ff,0\n",
    "+1,2,3,00000000000000ff,0\n\n1,2,3,00000000000000ff,0\n",
    "",
  };
  guint i;

  instants = artic_loss_handed_parse (
      "instant_us,capture_us,delivered_us,checksum,repeated\r\n"
      "1795765751039089,1795765750965923,1795765751009381,5eb92bade457d529,0\n"
      "1795765751539010,1795765750965923,1795765751009381,5eb92bade457d529,1\n"
      "1795765752039010,0,0,0000000000000000,0\n",
      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (instants->len, ==, 3);
  i0 = &g_array_index (instants, ArticLossInstant, 0);
  g_assert_cmpint (i0->instant_us, ==, G_GINT64_CONSTANT (1795765751039089));
  g_assert_cmpuint (i0->capture_us, ==, G_GUINT64_CONSTANT (1795765750965923));
  g_assert_cmpint (i0->delivered_us, ==, G_GINT64_CONSTANT (1795765751009381));
  g_assert_cmpuint (i0->checksum, ==, G_GUINT64_CONSTANT (0x5eb92bade457d529));
  g_assert_false (i0->repeated);
  g_assert_true (g_array_index (instants, ArticLossInstant, 1).repeated);
  g_array_unref (instants);

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    /* "+": the lines follow a good header. */
    gchar *text = bad[i][0] == '+' ? g_strconcat (header, bad[i] + 1, NULL)
                                   : g_strdup (bad[i]);

    instants = artic_loss_handed_parse (text, &error);
    g_assert_null (instants);
    g_assert_error (error, ARTIC_LOSS_ERROR, ARTIC_LOSS_ERROR_PARSE);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
    g_free (text);
  }
  g_assert_null (artic_loss_handed_load ("/nonexistent/handed.csv", &error));
  g_clear_error (&error);
}

#define BASE G_GUINT64_CONSTANT (1000000000)
#define FRAME_US 33333

static void
add_instant (GArray *instants, gint64 instant_ms, gint frame, guint64 checksum,
    gint64 delivered_after_ms)
{
  ArticLossInstant instant = { 0 };

  instant.instant_us = BASE + instant_ms * 1000;
  if (frame >= 0) {
    instant.capture_us = BASE + (guint64) frame * FRAME_US;
    instant.delivered_us
        = (gint64) instant.capture_us + delivered_after_ms * 1000;
    instant.checksum = checksum;
  }
  g_array_append_val (instants, instant);
}

static void
test_score (void)
{
  ArticLossReference *reference = artic_loss_reference_new ();
  GArray *instants = g_array_new (FALSE, FALSE, sizeof (ArticLossInstant));
  ArticLossScoreParams params = { 2.0, 1.0, BASE + 1000000, BASE + 4000000 };
  ArticLossScore score;
  gint frame;

  /* 4 s of frames, checksum = frame number + 1; frame 0 is a key frame. */
  for (frame = 0; frame < 121; frame++)
    artic_loss_reference_add (
        reference, BASE + (guint64) frame * FRAME_US, frame + 1, frame == 0);
  g_assert_cmpuint (artic_loss_reference_keyframes (reference), ==, 1);

  /* Before the window: not scored as an instant, but counts as handed. */
  add_instant (instants, 500, 10, 11, 40);
  /* 1.0 s: frame 27 (0.9 s) correct, 100 ms old, delivered after 40 ms. */
  add_instant (instants, 1000, 27, 28, 40);
  /* 1.5 s: frame 42 corrupted (checksum of another picture). */
  add_instant (instants, 1500, 42, 999, 50);
  /* 2.0 s: frame 27 again, now 1.1 s old: correct but stale. */
  add_instant (instants, 2000, 27, 28, 40);
  /* 2.5 s and 3.0 s: no line (a gap in the grid). 3.5 s: nothing handed. */
  add_instant (instants, 3500, -1, 0, 0);
  /* 4.0 s: frame 117 (3.9 s), correct, 100 ms old, delivered after 80 ms.
   * After the window: not scored. */
  add_instant (instants, 4000, 117, 118, 80);
  add_instant (instants, 4500, 117, 118, 80);

  artic_loss_score (reference, instants, &params, &score);
  g_assert_cmpuint (score.instants, ==, 7);
  g_assert_cmpuint (score.instants_missing, ==, 2);
  g_assert_cmpuint (score.instants_unserved, ==, 1);
  g_assert_cmpuint (score.instants_correct_fresh, ==, 2);
  g_assert_cmpuint (score.instants_corrupted, ==, 1);
  g_assert_cmpuint (score.frames_handed, ==, 4);
  g_assert_cmpuint (score.frames_corrupted, ==, 1);
  g_assert_cmpfloat_with_epsilon (
      artic_loss_score_fresh_percent (&score), 200.0 / 7, 1e-9);
  /* Latency of the frames first handed on in the window: 40, 50, 80. */
  g_assert_cmpuint (score.latency_samples, ==, 3);
  g_assert_cmpfloat_with_epsilon (score.latency_p50_ms, 50, 1e-9);
  g_assert_cmpfloat_with_epsilon (score.latency_p99_ms, 79.4, 1e-9);
  /* Ages at the 4 served instants: 100.0, 100.0 (1.5 s - 1.4 s), 1100, 100
   * (in ms, frame times rounded to the 33.333 ms grid). */
  g_assert_cmpfloat_with_epsilon (score.age_max_ms, 1100.009, 1e-3);

  /* Nothing at all in the window: every instant missing. */
  g_array_set_size (instants, 1);
  artic_loss_score (reference, instants, &params, &score);
  g_assert_cmpuint (score.instants, ==, 7);
  g_assert_cmpuint (score.instants_missing, ==, 7);
  g_assert_cmpuint (score.instants_correct_fresh, ==, 0);
  g_assert_cmpuint (score.latency_samples, ==, 0);

  /* An open-ended window with one line centuries in: more missing instants
   * than a guint holds saturate (the conversion was undefined behaviour). */
  params.window_start_us = 0;
  params.window_end_us = G_MAXINT64;
  g_array_set_size (instants, 0);
  add_instant (instants, 0, -1, 0, 0);
  artic_loss_score (reference, instants, &params, &score);
  g_assert_cmpuint (score.instants_missing, ==, G_MAXUINT);
  g_assert_cmpuint (score.instants, ==, G_MAXUINT);
  g_assert_cmpuint (score.instants_unserved, ==, 1);
  g_array_unref (instants);
  artic_loss_reference_free (reference);
}

static void
assert_miss (const GArray *misses, guint index, gint64 at_ms,
    ArticLossMissReason reason, guint keyframes_sent)
{
  const ArticLossMiss *miss = &g_array_index (misses, ArticLossMiss, index);

  g_assert_cmpint (miss->instant_us, ==, BASE + at_ms * 1000);
  g_assert_cmpstr (artic_loss_miss_reason_name (miss->reason), ==,
      artic_loss_miss_reason_name (reason));
  g_assert_cmpuint (miss->keyframes_sent, ==, keyframes_sent);
}

static void
test_explain_misses (void)
{
  ArticLossReference *reference = artic_loss_reference_new ();
  ArticLossReference *sparse = artic_loss_reference_new ();
  GArray *instants = g_array_new (FALSE, FALSE, sizeof (ArticLossInstant));
  ArticLossScoreParams params = { 2.0, 1.0, BASE + 1000000, BASE + 4000000 };
  ArticLossScore score;
  GArray *misses;
  gint frame;

  /* Key frames at 0 and 1.5 s (frame 45). */
  for (frame = 0; frame < 121; frame++)
    artic_loss_reference_add (reference, BASE + (guint64) frame * FRAME_US,
        frame + 1, frame == 0 || frame == 45);

  /* The run of test_score: one miss per instant not served fresh and
   * correct, in time order. */
  add_instant (instants, 500, 10, 11, 40);
  add_instant (instants, 1000, 27, 28, 40);
  add_instant (instants, 1500, 42, 999, 50);
  add_instant (instants, 2000, 27, 28, 40);
  add_instant (instants, 3500, -1, 0, 0);
  add_instant (instants, 4000, 117, 118, 80);
  artic_loss_score (reference, instants, &params, &score);
  misses = artic_loss_explain_misses (reference, instants, &params);
  g_assert_cmpuint (
      misses->len, ==, score.instants - score.instants_correct_fresh);
  g_assert_cmpuint (misses->len, ==, 5);
  assert_miss (misses, 0, 1500, ARTIC_LOSS_MISS_CORRUPTED, 1);
  /* 1.1 s old while frames 31..60 were sent, key frame 45 among them. */
  assert_miss (misses, 1, 2000, ARTIC_LOSS_MISS_STALE_KEY_LOST, 1);
  g_assert_cmpuint (
      g_array_index (misses, ArticLossMiss, 1).frames_sent, ==, 30);
  assert_miss (misses, 2, 2500, ARTIC_LOSS_MISS_UNSERVED, 0);
  assert_miss (misses, 3, 3000, ARTIC_LOSS_MISS_UNSERVED, 0);
  assert_miss (misses, 4, 3500, ARTIC_LOSS_MISS_UNSERVED, 0);
  g_array_unref (misses);

  /* Nothing correct until 2.0 s: the instants before are "no frame yet",
   * the one at 1.0 s inferred from the window's edge. */
  g_array_set_size (instants, 0);
  add_instant (instants, 1500, -1, 0, 0);
  add_instant (instants, 2000, 44, 45, 40);
  add_instant (instants, 2500, 74, 75, 40);
  add_instant (instants, 3000, 89, 90, 40);
  add_instant (instants, 3500, 104, 105, 40);
  add_instant (instants, 4000, 117, 118, 40);
  misses = artic_loss_explain_misses (reference, instants, &params);
  g_assert_cmpuint (misses->len, ==, 2);
  assert_miss (misses, 0, 1000, ARTIC_LOSS_MISS_NO_FRAME_YET, 0);
  assert_miss (misses, 1, 1500, ARTIC_LOSS_MISS_NO_FRAME_YET, 1);
  g_array_unref (misses);

  /* A stale frame while the sender sent nothing newer: its own gap. */
  for (frame = 0; frame < 28; frame++)
    artic_loss_reference_add (
        sparse, BASE + (guint64) frame * FRAME_US, frame + 1, frame == 0);
  artic_loss_reference_add (sparse, BASE + 1200000, 1000, FALSE);
  g_array_set_size (instants, 0);
  add_instant (instants, 1000, 27, 28, 40);
  add_instant (instants, 1500, 27, 28, 40);
  add_instant (instants, 2000, 27, 28, 40);
  add_instant (instants, 2500, 27, 28, 40);
  params.window_end_us = BASE + 2500000;
  misses = artic_loss_explain_misses (sparse, instants, &params);
  g_assert_cmpuint (misses->len, ==, 2);
  /* 2.0 s: the frame of 1.2 s was lost; 2.5 s: nothing sent since 1.5 s. */
  assert_miss (misses, 0, 2000, ARTIC_LOSS_MISS_STALE_LOST, 0);
  assert_miss (misses, 1, 2500, ARTIC_LOSS_MISS_STALE_NOT_SENT, 0);
  g_array_unref (misses);

  /* An open-ended window: the list is bounded. */
  params.window_start_us = 0;
  params.window_end_us = G_MAXINT64;
  g_array_set_size (instants, 0);
  add_instant (instants, 0, -1, 0, 0);
  misses = artic_loss_explain_misses (sparse, instants, &params);
  g_assert_cmpuint (misses->len, <=, 100001);
  g_array_unref (misses);
  g_assert_cmpstr (
      artic_loss_miss_reason_name (ARTIC_LOSS_MISS_KINDS), ==, "unknown");
  g_array_unref (instants);
  artic_loss_reference_free (sparse);
  artic_loss_reference_free (reference);
}

static void
test_netem_stats (void)
{
  ArticLossLinkCounts counts;
  GError *error = NULL;

  g_assert_true (artic_loss_netem_stats_parse (
      "forward: in 400 pkts / 6400 B, delivered 278 pkts / 4448 B (42.5 "
      "kbit/s), dropped by queue 3 pkts, dropped by loss 119 pkts, queue delay "
      "ms mean 0.01 p50 0.01 p95 0.01 p99 0.01 max 0.03\n"
      "reverse: in 278 pkts / 4448 B, delivered 278 pkts / 4448 B (43.6 "
      "kbit/s), dropped by queue 0 pkts, dropped by loss 0 pkts, queue delay "
      "ms mean 0.00 p50 0.00 p95 0.00 p99 0.00 max 0.00\n"
      "send errors: 0, replies before any client: 0\n",
      &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.forward_packets, ==, 400);
  g_assert_cmpuint (counts.forward_bytes, ==, 6400);
  g_assert_cmpuint (counts.forward_lost, ==, 122);
  g_assert_cmpuint (counts.reverse_packets, ==, 278);
  g_assert_cmpuint (counts.reverse_bytes, ==, 4448);
  g_assert_false (
      artic_loss_netem_stats_parse ("forward: in x", &counts, &error));
  g_assert_error (error, ARTIC_LOSS_ERROR, ARTIC_LOSS_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (artic_loss_netem_stats_parse ("", &counts, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/loss-metrics/frame-hash", test_frame_hash);
  g_test_add_func ("/loss-metrics/frame-dump", test_frame_dump_round_trip);
  g_test_add_func ("/loss-metrics/reference-vp8", test_reference_from_vp8);
  g_test_add_func ("/loss-metrics/handed-log", test_handed_parse);
  g_test_add_func ("/loss-metrics/score", test_score);
  g_test_add_func ("/loss-metrics/explain-misses", test_explain_misses);
  g_test_add_func ("/loss-metrics/netem-stats", test_netem_stats);
  return g_test_run ();
}
