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

/* The sender's frame-rate controller (sender/artic-frame-rate) without a
 * pipeline or an encoder: synthetic luma planes (static, moving, a cut) and
 * the encoder's reports (frame sizes, quantizer) played in by the test. */

#include <glib.h>
#include <math.h>
#include <string.h>

#include "artic-frame-rate.h"

#define W 160
#define H 120
#define FPS 30.0
#define FRAME_US 33333

/* A smooth pattern (period 32 pixels) shifted right by @shift pixels:
 * one pixel a frame is strong motion (mean absolute difference ~8) without
 * a scene change; @invert gives a different picture (a cut). */
static void
fill_plane (guint8 *luma, guint shift, gboolean invert)
{
  guint x, y;

  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++) {
      gdouble u = (gdouble) x - shift;
      gint v = 128
               + (gint) lround (100.0 * sin (2 * G_PI * u / 32.0)
                                * cos (2 * G_PI * y / 32.0));

      luma[y * W + x] = (guint8) (invert ? 255 - v : v);
    }
}

static ArticFrameRate *
new_controller (gboolean adaptive)
{
  ArticFrameRateConfig config;
  GError *error = NULL;
  ArticFrameRate *fr;

  artic_frame_rate_config_init (&config);
  config.capture_fps = FPS;
  config.width = W;
  config.height = H;
  config.adaptive = adaptive;
  fr = artic_frame_rate_new (&config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fr);
  return fr;
}

typedef struct
{
  guint kept;
  guint scene;
  gdouble last_target;
} Run;

/* Plays @n frames from @start; @shift_per_frame 0 = static. Every kept
 * frame is reported encoded with @bytes at quantizer @q. */
static void
play (ArticFrameRate *fr, guint start, guint n, guint shift_per_frame,
    guint kbps, gsize bytes, gdouble q, Run *run)
{
  guint8 *luma = g_malloc (W * H);
  guint i;

  for (i = start; i < start + n; i++) {
    ArticFrameRateDecision d;

    fill_plane (luma, i * shift_per_frame, FALSE);
    artic_frame_rate_decide (
        fr, luma, W, (gint64) i * FRAME_US, kbps, FALSE, &d);
    run->last_target = d.target_fps;
    if (d.keep) {
      run->kept++;
      run->scene += d.verdict == ARTIC_FRAME_RATE_KEEP_SCENE;
      artic_frame_rate_encoded (fr, bytes, FALSE, q);
    }
  }
  g_free (luma);
}

static void
test_config_refused (void)
{
  ArticFrameRateConfig config;
  GError *error = NULL;

  artic_frame_rate_config_init (&config);
  config.capture_fps = 0.0;
  g_assert_null (artic_frame_rate_new (&config, &error));
  g_assert_error (
      error, ARTIC_FRAME_RATE_ERROR, ARTIC_FRAME_RATE_ERROR_INVALID);
  g_clear_error (&error);
  artic_frame_rate_config_init (&config);
  config.model_fps = NAN;
  g_assert_false (artic_frame_rate_config_validate (&config, &error));
  g_clear_error (&error);
  artic_frame_rate_config_init (&config);
  config.max_fps = -1.0;
  g_assert_false (artic_frame_rate_config_validate (&config, &error));
  g_clear_error (&error);
  artic_frame_rate_config_init (&config);
  config.width = 0;
  g_assert_false (artic_frame_rate_config_validate (&config, &error));
  g_clear_error (&error);
  artic_frame_rate_config_init (&config);
  g_assert_true (artic_frame_rate_config_validate (&config, NULL));
}

/* Not adaptive, an encoder that meets its target: every frame. */
static void
test_plain_keeps_all (void)
{
  ArticFrameRate *fr = new_controller (FALSE);
  Run run = { 0 };

  /* 300 kbps at 30 fps = 1250 bytes a frame, quantizer mid-range. */
  play (fr, 0, 90, 0, 300, 1250, 0.5, &run);
  g_assert_cmpuint (run.kept, ==, 90);
  g_assert_cmpfloat (run.last_target, ==, FPS);
  g_assert_cmpuint (artic_frame_rate_get_dropped (fr), ==, 0);
  artic_frame_rate_free (fr);
}

/* A static scene goes down to the floor (2 fps): 3 s -> 6 frames. */
static void
test_static_to_floor (void)
{
  ArticFrameRate *fr = new_controller (TRUE);
  Run run = { 0 };

  play (fr, 0, 90, 0, 500, 100, 0.3, &run);
  g_assert_cmpfloat (run.last_target, ==, ARTIC_FRAME_RATE_DEFAULT_MODEL_FPS);
  g_assert_cmpuint (run.kept, >=, 6);
  g_assert_cmpuint (run.kept, <=, 7);
  g_assert_cmpuint (run.scene, ==, 0);
  /* The model rate is a property: 5 fps -> 15 frames in the next 3 s. */
  artic_frame_rate_set_model_fps (fr, 5.0);
  run.kept = 0;
  play (fr, 90, 90, 0, 500, 100, 0.3, &run);
  g_assert_cmpuint (run.kept, >=, 14);
  g_assert_cmpuint (run.kept, <=, 16);
  artic_frame_rate_free (fr);
}

/* Motion raises the rate: strong motion gets the capture rate. */
static void
test_motion_raises (void)
{
  ArticFrameRate *slow = new_controller (TRUE);
  ArticFrameRate *fast = new_controller (TRUE);
  Run a = { 0 }, b = { 0 };

  play (slow, 0, 90, 0, 2000, 1000, 0.3, &a);
  play (fast, 0, 90, 1, 2000, 1000, 0.3, &b);
  g_assert_cmpuint (b.kept, >, 3 * a.kept);
  g_assert_cmpuint (b.kept, >=, 85);
  g_assert_cmpfloat (b.last_target, ==, FPS);
  g_assert_cmpuint (b.scene, ==, 0);
  artic_frame_rate_free (slow);
  artic_frame_rate_free (fast);
}

/* A scene cut in a static scene is sent at once, and only once. */
static void
test_scene_cut_sent (void)
{
  ArticFrameRate *fr = new_controller (TRUE);
  guint8 *luma = g_malloc (W * H);
  ArticFrameRateDecision d;
  guint i, scene = 0;

  for (i = 0; i < 60; i++) {
    /* Static, then at frame 40 a different picture that stays. */
    fill_plane (luma, 0, i >= 40);
    artic_frame_rate_decide (
        fr, luma, W, (gint64) i * FRAME_US, 500, FALSE, &d);
    if (i == 40) {
      g_assert_true (d.keep);
      g_assert_cmpint (d.verdict, ==, ARTIC_FRAME_RATE_KEEP_SCENE);
    }
    scene += d.verdict == ARTIC_FRAME_RATE_KEEP_SCENE;
    if (d.keep)
      artic_frame_rate_encoded (fr, 100, FALSE, 0.3);
  }
  g_assert_cmpuint (scene, ==, 1);
  g_free (luma);
  artic_frame_rate_free (fr);
}

/* Loss raises the floor: with 30% loss, 3 frames per sampling interval
 * (0.3^3 < 5%) -> 6 fps on a static scene; 1% loss changes nothing. */
static void
test_loss_raises_floor (void)
{
  ArticFrameRate *fr = new_controller (TRUE);
  Run run = { 0 };

  artic_frame_rate_set_loss (fr, 0.01);
  play (fr, 0, 30, 0, 500, 100, 0.3, &run);
  g_assert_cmpfloat (run.last_target, ==, 2.0);
  /* (At 20 kbps every frame fits one packet: only the floor rule acts.) */
  artic_frame_rate_set_loss (fr, 0.3);
  run.kept = 0;
  play (fr, 30, 90, 0, 20, 100, 0.3, &run);
  g_assert_cmpfloat (run.last_target, ==, 6.0);
  g_assert_cmpuint (run.kept, >=, 17);
  g_assert_cmpuint (run.kept, <=, 19);
  /* Absurd values are clamped, not trusted. */
  artic_frame_rate_set_loss (fr, NAN);
  play (fr, 120, 3, 0, 500, 100, 0.3, &run);
  g_assert_cmpfloat (run.last_target, ==, 2.0);
  artic_frame_rate_set_loss (fr, 7.0);
  play (fr, 123, 3, 0, 500, 100, 0.3, &run);
  g_assert_cmpfloat (run.last_target, ==, 2.0 * ARTIC_FRAME_RATE_LOSS_MAX_K);
  artic_frame_rate_free (fr);
}

/* A clean report after lossy ones lowers the held loss gradually. */
static void
test_hold_loss (void)
{
  gdouble held = artic_frame_rate_hold_loss (0.0, 0.10);
  guint reports = 0;

  g_assert_cmpfloat (held, ==, 0.10);
  /* One report of 2 % keeps 8 %; a higher report is taken at once. */
  g_assert_cmpfloat_with_epsilon (
      artic_frame_rate_hold_loss (held, 0.02), 0.08, 1e-12);
  g_assert_cmpfloat (artic_frame_rate_hold_loss (0.05, 0.2), ==, 0.2);
  while (held > 0.02 && reports < 100) {
    held = artic_frame_rate_hold_loss (held, 0.0);
    reports++;
  }
  g_assert_cmpuint (reports, ==, 8);
  g_assert_cmpfloat (artic_frame_rate_hold_loss (NAN, NAN), ==, 0.0);
  g_assert_cmpfloat (artic_frame_rate_hold_loss (-1, 7), ==, 1.0);
  g_assert_cmpfloat (artic_frame_rate_hold_loss (7, -1), ==, 0.8);
}

/* Under loss, frames are kept small enough to arrive whole: at 500 kbps
 * and 5% loss at most 5 packets of 1200 bytes per frame (0.95^5 >= 0.75),
 * so 10.4 fps on a static scene; at 10% loss 2 packets -> 26 fps. */
static void
test_loss_small_frames (void)
{
  ArticFrameRate *fr = new_controller (TRUE);
  Run run = { 0 };

  artic_frame_rate_set_loss (fr, 0.05);
  play (fr, 0, 60, 0, 500, 100, 0.3, &run);
  g_assert_cmpfloat_with_epsilon (run.last_target, 500000.0 / 48000.0, 0.01);
  artic_frame_rate_set_loss (fr, 0.10);
  play (fr, 60, 60, 0, 500, 100, 0.3, &run);
  g_assert_cmpfloat_with_epsilon (run.last_target, 500000.0 / 19200.0, 0.01);
  artic_frame_rate_set_loss (fr, 0.0);
  play (fr, 120, 60, 0, 500, 100, 0.3, &run);
  g_assert_cmpfloat (run.last_target, ==, 2.0);
  artic_frame_rate_free (fr);
}

/* Few bits per pixel: fewer frames, even with strong motion. 160x120 at
 * MIN_BPP 0.02 fits 30 fps from 11.5 kbps up; at 4 kbps, 10.4 fps. */
static void
test_low_bits_lower (void)
{
  ArticFrameRate *rich = new_controller (TRUE);
  ArticFrameRate *poor = new_controller (TRUE);
  Run a = { 0 }, b = { 0 };

  play (rich, 0, 90, 1, 1000, 100, 0.3, &a);
  play (poor, 0, 90, 1, 4, 10, 0.3, &b);
  g_assert_cmpfloat (a.last_target, ==, FPS);
  g_assert_cmpfloat_with_epsilon (
      b.last_target, 4000.0 / (W * H * ARTIC_FRAME_RATE_MIN_BPP), 0.01);
  /* 10.4 of 30 fps really gives 10.4 (not 10 or 15). */
  g_assert_cmpuint (b.kept, >=, 30);
  g_assert_cmpuint (b.kept, <=, 33);
  artic_frame_rate_free (rich);
  artic_frame_rate_free (poor);
}

/* The rate guard, not adaptive: an encoder at its coarsest quantizer whose
 * frames cost twice the target gets about half the frames, the bitrate
 * (frames x size) holds, and the rate comes back once the encoder has room
 * again. */
static void
test_guard (void)
{
  ArticFrameRate *fr = new_controller (FALSE);
  Run run = { 0 };
  gdouble kbps;

  /* 100 kbps at 30 fps = 416 bytes a frame; frames cost 833. */
  play (fr, 0, 150, 0, 100, 833, 1.0, &run);
  g_assert_cmpfloat (run.last_target, <, 16.0);
  g_assert_cmpfloat (run.last_target, >, 12.0);
  kbps = run.kept * 833 * 8 / 5.0 / 1000.0;
  g_assert_cmpfloat (kbps, <=, 105.0);
  g_assert_cmpfloat (kbps, >=, 80.0);
  /* Room again (quantizer mid-range): back to the capture rate within a
   * few seconds. */
  run.kept = 0;
  play (fr, 150, 150, 0, 100, 300, 0.5, &run);
  g_assert_cmpfloat (run.last_target, ==, FPS);
  artic_frame_rate_free (fr);
}

/* Frames far too large for the target: the guard goes down to the floor
 * and no further (the model needs its frames). */
static void
test_guard_floor (void)
{
  ArticFrameRate *fr = new_controller (FALSE);
  Run run = { 0 };

  play (fr, 0, 90, 0, 10, 20000, 1.0, &run);
  g_assert_cmpfloat (run.last_target, ==, 2.0);
  g_assert_cmpuint (run.kept, >=, 6);
  g_assert_cmpuint (run.kept, <=, 8);
  artic_frame_rate_free (fr);
}

/* max-framerate caps everything (also the floor); forced frames pass. */
static void
test_max_fps_and_force (void)
{
  ArticFrameRate *fr = new_controller (FALSE);
  ArticFrameRateDecision d;
  Run run = { 0 };

  artic_frame_rate_set_max_fps (fr, 10.0);
  play (fr, 0, 30, 0, 500, 100, 0.3, &run);
  g_assert_cmpuint (run.kept, ==, 10);
  artic_frame_rate_decide (fr, NULL, 0, 30 * FRAME_US, 500, FALSE, &d);
  artic_frame_rate_decide (fr, NULL, 0, 31 * FRAME_US, 500, TRUE, &d);
  g_assert_true (d.keep);
  g_assert_cmpint (d.verdict, ==, ARTIC_FRAME_RATE_KEEP_FORCED);
  artic_frame_rate_set_max_fps (fr, 1.0);
  run.kept = 0;
  play (fr, 32, 90, 0, 500, 100, 0.3, &run);
  g_assert_cmpuint (run.kept, >=, 2);
  g_assert_cmpuint (run.kept, <=, 4);
  artic_frame_rate_free (fr);
}

/* Time going back (a new segment) starts over instead of dropping
 * everything until time catches up; the encoder's clock keeps rising. */
static void
test_time_back (void)
{
  ArticFrameRate *fr = new_controller (FALSE);
  ArticFrameRateDecision d;
  gint64 last_encoder = -1;
  guint i;

  artic_frame_rate_set_max_fps (fr, 10.0);
  for (i = 0; i < 10; i++) {
    artic_frame_rate_decide (
        fr, NULL, 0, (gint64) (100 + i) * FRAME_US, 500, FALSE, &d);
    if (d.keep)
      last_encoder = d.encoder_pts_us;
  }
  g_assert_cmpint (last_encoder, >, 0);
  artic_frame_rate_decide (fr, NULL, 0, 0, 500, FALSE, &d);
  g_assert_true (d.keep);
  g_assert_cmpint (d.encoder_pts_us, >, last_encoder);
  artic_frame_rate_free (fr);
}

/* The encoder's clock: regular, increasing, and its mean step is the mean
 * gap between kept frames. */
static void
test_encoder_clock (void)
{
  ArticFrameRate *fr = new_controller (FALSE);
  ArticFrameRateDecision d;
  gint64 first = -1, last = -1;
  guint i, kept = 0;

  artic_frame_rate_set_max_fps (fr, 10.0);
  for (i = 0; i < 300; i++) {
    artic_frame_rate_decide (
        fr, NULL, 0, (gint64) i * FRAME_US, 500, FALSE, &d);
    if (!d.keep)
      continue;
    if (last >= 0)
      g_assert_cmpint (d.encoder_pts_us, >, last);
    if (first < 0)
      first = d.encoder_pts_us;
    last = d.encoder_pts_us;
    kept++;
  }
  g_assert_cmpuint (kept, ==, 100);
  g_assert_cmpfloat (fabs ((last - first) / (kept - 1.0) - 3 * FRAME_US), <,
      0.1 * 3 * FRAME_US);
  artic_frame_rate_free (fr);
}

/* The bitrate handed to the encoder follows its long-term error: an
 * encoder making 70% of the target at a mid quantizer is asked for more, a
 * still scene (fine quantizer, nothing to spend bits on) is not, an
 * overshooting one is asked for less; always within the trim's bounds. */
static void
test_trim (void)
{
  ArticFrameRate *under = new_controller (FALSE);
  ArticFrameRate *still = new_controller (FALSE);
  ArticFrameRate *over = new_controller (FALSE);
  ArticFrameRateDecision d;
  guint i;

  /* 300 kbps at 30 fps = 1250 bytes a frame. */
  for (i = 0; i < 150; i++) {
    gint64 t = (gint64) i * FRAME_US;

    artic_frame_rate_decide (under, NULL, 0, t, 300, FALSE, &d);
    artic_frame_rate_encoded (under, 875, FALSE, 0.5);
    artic_frame_rate_decide (still, NULL, 0, t, 300, FALSE, &d);
    artic_frame_rate_encoded (still, 100, FALSE, 0.05);
    artic_frame_rate_decide (over, NULL, 0, t, 300, FALSE, &d);
    artic_frame_rate_encoded (over, 1600, FALSE, 0.5);
  }
  artic_frame_rate_decide (under, NULL, 0, 150 * FRAME_US, 300, FALSE, &d);
  g_assert_cmpuint (d.encoder_kbps, >, 330);
  g_assert_cmpuint (d.encoder_kbps, <=, 300 * ARTIC_FRAME_RATE_TRIM_MAX);
  artic_frame_rate_decide (still, NULL, 0, 150 * FRAME_US, 300, FALSE, &d);
  g_assert_cmpuint (d.encoder_kbps, ==, 300);
  artic_frame_rate_decide (over, NULL, 0, 150 * FRAME_US, 300, FALSE, &d);
  g_assert_cmpuint (d.encoder_kbps, <, 270);
  g_assert_cmpuint (d.encoder_kbps, >=, 300 * ARTIC_FRAME_RATE_TRIM_MIN);
  artic_frame_rate_free (under);
  artic_frame_rate_free (still);
  artic_frame_rate_free (over);
}

/* Absurd input from a caller or a peer: time stamps going back and
 * jumping, duplicates, bitrates of 0 and of 100 Mbit/s, frame sizes of 0
 * and of gigabytes, NaN and out-of-range quantizers, NaN loss. The
 * decisions stay sane: a rate within (0, capture], the encoder's clock
 * strictly rising, a bitrate for the codec of at least 1 kbps, and the
 * counters adding up. */
static void
test_absurd_input (void)
{
  ArticFrameRate *fr = new_controller (TRUE);
  guint8 *luma = g_malloc (W * H);
  GRand *rand = g_rand_new_with_seed (7);
  gint64 pts = 0, last_encoder = -1;
  guint i, decisions = 0;

  for (i = 0; i < 3000; i++) {
    ArticFrameRateDecision d;
    guint kbps;
    gdouble q;

    switch (g_rand_int_range (rand, 0, 6)) {
      case 0:
        pts -= g_rand_int_range (rand, 0, 2000000);
        break;
      case 1:
        pts += (gint64) g_rand_int_range (rand, 0, 1000) * 1000000;
        break;
      case 2:
        break; /* a duplicate time stamp */
      default:
        pts += FRAME_US;
        break;
    }
    kbps = g_rand_boolean (rand) ? 0
                                 : (guint) g_rand_int_range (rand, 0, 100001);
    fill_plane (luma, g_rand_int_range (rand, 0, 64), g_rand_boolean (rand));
    artic_frame_rate_set_loss (
        fr, g_rand_boolean (rand) ? NAN : g_rand_double_range (rand, -5, 5));
    artic_frame_rate_decide (fr, g_rand_boolean (rand) ? luma : NULL, W, pts,
        kbps, g_rand_int_range (rand, 0, 20) == 0, &d);
    decisions++;
    g_assert_true (d.target_fps > 0.0 && d.target_fps <= FPS);
    g_assert_cmpuint (d.encoder_kbps, >=, 1);
    if (!d.keep)
      continue;
    g_assert_cmpint (d.encoder_pts_us, >, last_encoder);
    g_assert_cmpint (d.encoder_duration_us, >=, 1);
    last_encoder = d.encoder_pts_us;
    q = g_rand_int_range (rand, 0, 4) == 0 ? NAN
                                           : g_rand_double_range (rand, -1, 2);
    artic_frame_rate_encoded (fr,
        g_rand_boolean (rand) ? 0
                              : (gsize) g_rand_int_range (rand, 0, G_MAXINT),
        g_rand_boolean (rand), q);
  }
  g_assert_cmpuint (
      artic_frame_rate_get_kept (fr) + artic_frame_rate_get_dropped (fr), ==,
      decisions);
  g_rand_free (rand);
  g_free (luma);
  artic_frame_rate_free (fr);
}

/* A plane whose stride has padding but which ends right after the last
 * row's pixels (exact size, so an over-read shows under valgrind/ASan):
 * motion is measured on the pixels only. */
static void
test_tight_plane (void)
{
  ArticFrameRate *fr = new_controller (TRUE);
  gsize stride = W + 16, size = stride * (H - 1) + W;
  guint8 *a = g_malloc0 (size), *b = g_malloc (size);
  ArticFrameRateDecision d;

  memset (b, 200, size);
  artic_frame_rate_decide (fr, a, stride, 0, 500, FALSE, &d);
  artic_frame_rate_decide (fr, a, stride, FRAME_US, 500, FALSE, &d);
  g_assert_false (d.keep);
  /* All pixels change by 200: a scene change. */
  artic_frame_rate_decide (fr, b, stride, 2 * FRAME_US, 500, FALSE, &d);
  g_assert_cmpint (d.verdict, ==, ARTIC_FRAME_RATE_KEEP_SCENE);
  g_free (a);
  g_free (b);
  artic_frame_rate_free (fr);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/frame-rate/config-refused", test_config_refused);
  g_test_add_func ("/frame-rate/plain-keeps-all", test_plain_keeps_all);
  g_test_add_func ("/frame-rate/static-to-floor", test_static_to_floor);
  g_test_add_func ("/frame-rate/hold-loss", test_hold_loss);
  g_test_add_func ("/frame-rate/motion-raises", test_motion_raises);
  g_test_add_func ("/frame-rate/scene-cut-sent", test_scene_cut_sent);
  g_test_add_func ("/frame-rate/loss-raises-floor", test_loss_raises_floor);
  g_test_add_func ("/frame-rate/loss-small-frames", test_loss_small_frames);
  g_test_add_func ("/frame-rate/low-bits-lower", test_low_bits_lower);
  g_test_add_func ("/frame-rate/guard", test_guard);
  g_test_add_func ("/frame-rate/guard-floor", test_guard_floor);
  g_test_add_func ("/frame-rate/max-fps-and-force", test_max_fps_and_force);
  g_test_add_func ("/frame-rate/time-back", test_time_back);
  g_test_add_func ("/frame-rate/encoder-clock", test_encoder_clock);
  g_test_add_func ("/frame-rate/trim", test_trim);
  g_test_add_func ("/frame-rate/absurd-input", test_absurd_input);
  g_test_add_func ("/frame-rate/tight-plane", test_tight_plane);
  return g_test_run ();
}
