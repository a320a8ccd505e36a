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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "artic-frame-rate.h"

#include <math.h>
#include <string.h>

#include "artic-roi-cues.h"

G_DEFINE_QUARK (artic_frame_rate_error_quark, artic_frame_rate_error)

/* A frame counts as on time when it comes up to this share of the input
 * period early (capture jitter). */
#define JITTER_SHARE 0.5

struct _ArticFrameRate
{
  ArticFrameRateConfig config;
  gdouble loss;

  /* motion: the previous captured luma (its stride), block scores */
  guint8 *prev;
  gsize prev_stride;
  gfloat *scores;
  guint cols, rows;
  gdouble motion;

  /* timing: last captured and last kept frame (-1: none), the share of a
   * frame owed at the chosen rate (Bresenham-like, so that 20 of 30 fps
   * really gives 20) */
  gint64 last_pts;
  gint64 last_kept;
  gdouble credit;
  gdouble target_fps;
  /* the encoder's clock (see artic_frame_rate_decide) and the smoothed gap
   * between kept frames it advances by */
  gint64 encoder_us;
  gdouble gap_us;
  /* real time between kept frames summed, against encoder_us */
  gint64 real_us;

  /* rate guard: bits above the target, its cap, the average size of
   * recent inter frames, the last quantizer's verdict, the target */
  gdouble bucket_bits;
  gdouble guard_fps;
  gdouble frame_bits;
  gboolean quant_high, quant_low;
  gdouble target_bps;
  /* bits below the target over the leaky window, and the current trim */
  gdouble deficit_bits;
  gdouble trim;

  guint64 kept, dropped;
};

void
artic_frame_rate_config_init (ArticFrameRateConfig *config)
{
  memset (config, 0, sizeof (*config));
  config->capture_fps = 30.0;
  config->model_fps = ARTIC_FRAME_RATE_DEFAULT_MODEL_FPS;
  config->max_fps = 0.0;
  config->adaptive = FALSE;
  config->width = 640;
  config->height = 360;
}

gboolean
artic_frame_rate_config_validate (
    const ArticFrameRateConfig *config, GError **error)
{
  if (!(config->capture_fps > 0.0
          && config->capture_fps <= ARTIC_FRAME_RATE_MAX_FPS)) {
    g_set_error (error, ARTIC_FRAME_RATE_ERROR, ARTIC_FRAME_RATE_ERROR_INVALID,
        "capture rate %g outside (0, %g]", config->capture_fps,
        ARTIC_FRAME_RATE_MAX_FPS);
    return FALSE;
  }
  if (!(config->model_fps > 0.0
          && config->model_fps <= ARTIC_FRAME_RATE_MAX_FPS)) {
    g_set_error (error, ARTIC_FRAME_RATE_ERROR, ARTIC_FRAME_RATE_ERROR_INVALID,
        "model rate %g outside (0, %g]", config->model_fps,
        ARTIC_FRAME_RATE_MAX_FPS);
    return FALSE;
  }
  if (!(config->max_fps >= 0.0
          && config->max_fps <= ARTIC_FRAME_RATE_MAX_FPS)) {
    g_set_error (error, ARTIC_FRAME_RATE_ERROR, ARTIC_FRAME_RATE_ERROR_INVALID,
        "maximum rate %g outside [0, %g]", config->max_fps,
        ARTIC_FRAME_RATE_MAX_FPS);
    return FALSE;
  }
  if (config->width == 0 || config->height == 0 || config->width > 16384
      || config->height > 16384) {
    g_set_error (error, ARTIC_FRAME_RATE_ERROR, ARTIC_FRAME_RATE_ERROR_INVALID,
        "frame size %ux%u outside 1x1..16384x16384", config->width,
        config->height);
    return FALSE;
  }
  return TRUE;
}

ArticFrameRate *
artic_frame_rate_new (const ArticFrameRateConfig *config, GError **error)
{
  ArticFrameRate *fr;

  g_return_val_if_fail (config != NULL, NULL);
  if (!artic_frame_rate_config_validate (config, error))
    return NULL;
  fr = g_new0 (ArticFrameRate, 1);
  fr->config = *config;
  fr->cols = (config->width + ARTIC_FRAME_RATE_MOTION_BLOCK - 1)
             / ARTIC_FRAME_RATE_MOTION_BLOCK;
  fr->rows = (config->height + ARTIC_FRAME_RATE_MOTION_BLOCK - 1)
             / ARTIC_FRAME_RATE_MOTION_BLOCK;
  fr->scores = g_new0 (gfloat, (gsize) fr->cols * fr->rows);
  artic_frame_rate_reset (fr);
  return fr;
}

void
artic_frame_rate_free (ArticFrameRate *fr)
{
  if (fr == NULL)
    return;
  g_free (fr->prev);
  g_free (fr->scores);
  g_free (fr);
}

void
artic_frame_rate_reset (ArticFrameRate *fr)
{
  g_clear_pointer (&fr->prev, g_free);
  fr->prev_stride = 0;
  fr->motion = 0.0;
  fr->last_pts = -1;
  fr->last_kept = -1;
  fr->credit = 0.0;
  /* encoder_us keeps running: encoders want rising time stamps. */
  fr->gap_us = 1e6 / fr->config.capture_fps;
  fr->bucket_bits = 0.0;
  fr->guard_fps = fr->config.capture_fps;
  fr->frame_bits = 0.0;
  fr->quant_high = FALSE;
  fr->quant_low = FALSE;
  fr->deficit_bits = 0.0;
  fr->trim = 1.0;
}

void
artic_frame_rate_set_max_fps (ArticFrameRate *fr, gdouble max_fps)
{
  fr->config.max_fps = CLAMP (max_fps, 0.0, ARTIC_FRAME_RATE_MAX_FPS);
}

void
artic_frame_rate_set_model_fps (ArticFrameRate *fr, gdouble model_fps)
{
  fr->config.model_fps = CLAMP (model_fps, 0.01, ARTIC_FRAME_RATE_MAX_FPS);
}

void
artic_frame_rate_set_adaptive (ArticFrameRate *fr, gboolean adaptive)
{
  fr->config.adaptive = adaptive;
}

gdouble
artic_frame_rate_hold_loss (gdouble held, gdouble reported)
{
  /* NaN compares false both ways. */
  held = held > 0.0 ? MIN (held, 1.0) : 0.0;
  reported = reported > 0.0 ? MIN (reported, 1.0) : 0.0;
  return MAX (reported, held * ARTIC_FRAME_RATE_LOSS_HOLD);
}

void
artic_frame_rate_set_loss (ArticFrameRate *fr, gdouble loss_fraction)
{
  /* NaN compares false both ways: treat it as no loss. */
  fr->loss = loss_fraction > 0.0 ? MIN (loss_fraction, 1.0) : 0.0;
}

/* Frames per sampling interval so that at least one arrives with
 * probability 1 - LOSS_MISS, losses taken as independent. */
static guint
loss_frames_per_sample (gdouble loss)
{
  gdouble k;

  if (loss <= ARTIC_FRAME_RATE_LOSS_MISS)
    return 1;
  if (loss >= 1.0)
    return ARTIC_FRAME_RATE_LOSS_MAX_K;
  k = ceil (log (ARTIC_FRAME_RATE_LOSS_MISS) / log (loss) - 1e-9);
  return (guint) CLAMP (k, 1.0, (gdouble) ARTIC_FRAME_RATE_LOSS_MAX_K);
}

/* The rate at which frames stay small enough to arrive whole under loss
 * (PACKET_BYTES, FRAME_ARRIVAL); 0 without loss or when nothing arrives. */
static gdouble
loss_packet_fps (gdouble loss, guint bitrate_kbps)
{
  gdouble packets;

  if (loss <= 0.0 || loss >= 1.0)
    return 0.0;
  packets = floor (log (ARTIC_FRAME_RATE_FRAME_ARRIVAL) / log (1.0 - loss));
  packets = MAX (packets, 1.0);
  return bitrate_kbps * 1000.0
         / (8.0 * ARTIC_FRAME_RATE_PACKET_BYTES * packets);
}

/* Row by row, @width bytes each: the caller's plane may end right after
 * the last row's pixels, without the stride's padding. */
static void
copy_luma (ArticFrameRate *fr, const guint8 *luma)
{
  guint y;

  for (y = 0; y < fr->config.height; y++)
    memcpy (fr->prev + (gsize) y * fr->prev_stride,
        luma + (gsize) y * fr->prev_stride, fr->config.width);
}

/* Mean block motion since the previous captured frame, and whether most of
 * the picture changed at once. The first frame (or a stride change) has no
 * reference: no motion, no scene change. */
static gdouble
measure_motion (ArticFrameRate *fr, const guint8 *luma, gsize stride,
    gboolean *scene_change)
{
  gsize n = (gsize) fr->cols * fr->rows, i, changed = 0;
  gdouble sum = 0.0;

  *scene_change = FALSE;
  if (fr->prev == NULL || fr->prev_stride != stride) {
    g_free (fr->prev);
    fr->prev = g_malloc0 (stride * fr->config.height);
    fr->prev_stride = stride;
    copy_luma (fr, luma);
    return 0.0;
  }
  artic_roi_cue_motion (luma, fr->prev, fr->config.width, fr->config.height,
      stride, ARTIC_FRAME_RATE_MOTION_BLOCK, fr->scores);
  copy_luma (fr, luma);
  for (i = 0; i < n; i++) {
    sum += fr->scores[i];
    if (fr->scores[i] >= ARTIC_FRAME_RATE_SCENE_BLOCK)
      changed++;
  }
  *scene_change = changed >= ARTIC_FRAME_RATE_SCENE_FRACTION * n;
  return sum / n;
}

/* A rise in motion is followed at once (the next frames matter), a fall
 * linearly, from full motion to none in MOTION_DECAY_S (motion tends to
 * come back). Above MOTION_FULL the rate is the capture rate anyway, so the
 * measure is capped there. */
static void
smooth_motion (ArticFrameRate *fr, gdouble motion, gdouble dt)
{
  motion = MIN (motion, ARTIC_FRAME_RATE_MOTION_FULL);
  fr->motion = MAX (motion, fr->motion
                                - ARTIC_FRAME_RATE_MOTION_FULL * dt
                                      / ARTIC_FRAME_RATE_MOTION_DECAY_S);
}

/* The content/loss/bits rule: a rate between the floor and the capture
 * rate. */
static gdouble
adaptive_fps (const ArticFrameRate *fr, guint bitrate_kbps)
{
  const ArticFrameRateConfig *c = &fr->config;
  gdouble x = (fr->motion - ARTIC_FRAME_RATE_MOTION_NOISE)
              / (ARTIC_FRAME_RATE_MOTION_FULL - ARTIC_FRAME_RATE_MOTION_NOISE);
  gdouble content, bits, floor;

  x = CLAMP (x, 0.0, 1.0);
  content = c->model_fps + (c->capture_fps - c->model_fps) * x;
  bits = bitrate_kbps * 1000.0
         / ((gdouble) c->width * c->height * ARTIC_FRAME_RATE_MIN_BPP);
  floor = MAX (c->model_fps * loss_frames_per_sample (fr->loss),
      loss_packet_fps (fr->loss, bitrate_kbps));
  return MAX (MIN (content, bits), floor);
}

static gdouble
choose_fps (const ArticFrameRate *fr, guint bitrate_kbps)
{
  const ArticFrameRateConfig *c = &fr->config;
  gdouble fps = c->adaptive ? adaptive_fps (fr, bitrate_kbps) : c->capture_fps;

  /* The guard can take the rate down to the model's sampling rate, not
   * below: a model with no fresh frame cannot answer at all. */
  fps = MIN (fps, fr->guard_fps);
  fps = MAX (fps, c->model_fps);
  if (c->max_fps > 0.0)
    fps = MIN (fps, c->max_fps);
  return MIN (fps, c->capture_fps);
}

/* The correction of the bitrate handed to the encoder: the deficit (or
 * excess) of the last TRIM_S seconds spread over the next TRIM_S. */
static void
update_trim (ArticFrameRate *fr, gdouble dt)
{
  gdouble trim;

  fr->deficit_bits += fr->target_bps * dt;
  fr->deficit_bits *= exp (-dt / ARTIC_FRAME_RATE_TRIM_S);
  trim = 1.0
         + ARTIC_FRAME_RATE_TRIM_GAIN * fr->deficit_bits
               / (MAX (fr->target_bps, 1.0) * ARTIC_FRAME_RATE_TRIM_S);
  trim = CLAMP (trim, ARTIC_FRAME_RATE_TRIM_MIN, ARTIC_FRAME_RATE_TRIM_MAX);
  if (fr->quant_low && trim > fr->trim) {
    /* Nothing to spend the bits on: forget the deficit. */
    fr->deficit_bits = MIN (fr->deficit_bits, 0.0);
    return;
  }
  if (ABS (trim - fr->trim) >= ARTIC_FRAME_RATE_TRIM_STEP)
    fr->trim = trim;
}

static void
drain_bucket (ArticFrameRate *fr, gdouble dt)
{
  fr->bucket_bits = MAX (0.0, fr->bucket_bits - fr->target_bps * dt);
  /* With room in the rate control the cap creeps back up. */
  if (!fr->quant_high)
    fr->guard_fps = MIN (fr->config.capture_fps,
        fr->guard_fps * (1.0 + ARTIC_FRAME_RATE_GUARD_RISE * dt));
}

/* The smoothed gap, plus part of the clock's lag behind real time: a
 * lasting change of rate (30 -> 2 fps) reaches the encoder within a few
 * frames, so its clock stays with real time on average and the bitrate
 * holds. */
static gint64
advance_encoder_clock (const ArticFrameRate *fr)
{
  gdouble lag = (gdouble) (fr->real_us - fr->encoder_us) - fr->gap_us;
  gdouble step = fr->gap_us + ARTIC_FRAME_RATE_CLOCK_CATCH_UP * lag;

  return (gint64) MAX (step, 1.0);
}

static void
decide_keep (ArticFrameRate *fr, gint64 pts_us, gdouble input_dt,
    gboolean force, gboolean scene_change, ArticFrameRateDecision *d)
{
  gdouble floor_fps = fr->config.model_fps, elapsed;

  if (fr->config.max_fps > 0.0)
    floor_fps = MIN (floor_fps, fr->config.max_fps);
  if (force)
    d->verdict = ARTIC_FRAME_RATE_KEEP_FORCED;
  else if (fr->last_kept < 0 || pts_us < fr->last_kept)
    /* The first frame, or time went back (a new segment): start over. */
    d->verdict = ARTIC_FRAME_RATE_KEEP;
  else if (scene_change)
    d->verdict = ARTIC_FRAME_RATE_KEEP_SCENE;
  else {
    elapsed = (pts_us - fr->last_kept) / 1e6;
    if (elapsed + JITTER_SHARE * input_dt >= 1.0 / floor_fps)
      d->verdict = ARTIC_FRAME_RATE_KEEP_FLOOR;
    else if (fr->credit < 1.0 - JITTER_SHARE * input_dt * d->target_fps)
      d->verdict = ARTIC_FRAME_RATE_DROP_RATE;
    else if (fr->quant_high
             && fr->bucket_bits
                    > ARTIC_FRAME_RATE_BUCKET_S * MAX (fr->target_bps, 1.0))
      d->verdict = ARTIC_FRAME_RATE_DROP_BUCKET;
    else
      d->verdict = ARTIC_FRAME_RATE_KEEP;
  }
  d->keep = d->verdict != ARTIC_FRAME_RATE_DROP_RATE
            && d->verdict != ARTIC_FRAME_RATE_DROP_BUCKET;
  if (d->keep) {
    /* The encoder's rate control gives a frame the bits of the time since
     * the previous one; irregular gaps (a guard dropping every other or
     * third frame) make libvpx's budget jump frame by frame and overshoot,
     * so it sees the smoothed gap instead (same mean). */
    if (fr->last_kept >= 0 && pts_us > fr->last_kept) {
      gint64 gap = MIN (pts_us - fr->last_kept, 10000000);

      fr->gap_us += (gap - fr->gap_us) * ARTIC_FRAME_RATE_GAP_SMOOTHING;
      fr->real_us += gap;
    } else if (fr->kept > 0) {
      /* After a restart: one nominal frame. */
      fr->real_us += (gint64) fr->gap_us;
    }
    if (fr->kept > 0)
      fr->encoder_us += advance_encoder_clock (fr);
    d->encoder_pts_us = fr->encoder_us;
    d->encoder_duration_us = (gint64) fr->gap_us;
    fr->last_kept = pts_us;
    /* No saving up: a burst after a pause would be the wrong answer. */
    fr->credit = MAX (0.0, fr->credit - 1.0);
    fr->kept++;
  } else {
    fr->credit = MIN (fr->credit, 1.0);
    fr->dropped++;
  }
}

void
artic_frame_rate_decide (ArticFrameRate *fr, const guint8 *luma, gsize stride,
    gint64 pts_us, guint bitrate_kbps, gboolean force,
    ArticFrameRateDecision *decision)
{
  gdouble dt = 0.0, motion = 0.0;
  gboolean scene_change = FALSE;

  g_return_if_fail (fr != NULL && decision != NULL);
  /* The encoder fields stay 0 for a dropped frame. */
  memset (decision, 0, sizeof (*decision));
  if (fr->last_pts >= 0 && pts_us > fr->last_pts)
    dt = MIN ((pts_us - fr->last_pts) / 1e6, 10.0);
  else if (fr->last_pts >= 0 && pts_us < fr->last_pts)
    artic_frame_rate_reset (fr);
  fr->last_pts = pts_us;
  if (bitrate_kbps * 1000.0 != fr->target_bps) {
    /* A new target: what fitted the old one says nothing about the new. */
    fr->target_bps = bitrate_kbps * 1000.0;
    fr->guard_fps = fr->config.capture_fps;
  }
  drain_bucket (fr, dt);
  update_trim (fr, dt);

  if (fr->config.adaptive && luma != NULL && stride >= fr->config.width) {
    motion = measure_motion (fr, luma, stride, &scene_change);
    smooth_motion (fr, motion, dt);
  } else {
    fr->motion = 0.0;
  }
  decision->motion = fr->motion;
  fr->target_fps = choose_fps (fr, bitrate_kbps);
  decision->target_fps = fr->target_fps;
  decision->encoder_kbps = (guint) MAX (1.0, bitrate_kbps * fr->trim + 0.5);
  fr->credit += fr->target_fps * dt;
  decide_keep (fr, pts_us, dt > 0.0 ? dt : 1.0 / fr->config.capture_fps, force,
      scene_change, decision);
}

void
artic_frame_rate_encoded (
    ArticFrameRate *fr, gsize bytes, gboolean keyframe, gdouble quantizer)
{
  gdouble bits = bytes * 8.0;

  fr->bucket_bits += bits;
  fr->deficit_bits -= bits;
  if (quantizer >= 0.0) {
    /* Coarsest step AND over the frame's share of the target: a nearly
     * empty frame of a still scene also reports a coarse step (VP9), but
     * the rate control has room then. */
    fr->quant_high = quantizer >= ARTIC_FRAME_RATE_QUANT_HIGH
                     && bits * MAX (fr->target_fps, 0.1) > fr->target_bps;
    fr->quant_low = quantizer < ARTIC_FRAME_RATE_TRIM_QUANT_LOW;
  }
  /* Key frames are rare and large: they would make the guard think every
   * frame costs that much. */
  if (keyframe || bits <= 0.0)
    return;
  fr->frame_bits
      = fr->frame_bits > 0.0 ? 0.75 * fr->frame_bits + 0.25 * bits : bits;
  /* The rate control is out of room: at the coarsest step a frame still
   * costs frame_bits, so only fewer frames fit the target. */
  if (fr->quant_high && fr->target_bps > 0.0) {
    gdouble fits
        = ARTIC_FRAME_RATE_GUARD_SHARE * fr->target_bps / fr->frame_bits;

    /* Up as well as down: frames get smaller as the encoder settles. */
    fr->guard_fps = CLAMP (fits, 0.1, fr->config.capture_fps);
  }
}

gdouble
artic_frame_rate_get_target (const ArticFrameRate *fr)
{
  return fr->target_fps;
}

guint64
artic_frame_rate_get_kept (const ArticFrameRate *fr)
{
  return fr->kept;
}

guint64
artic_frame_rate_get_dropped (const ArticFrameRate *fr)
{
  return fr->dropped;
}

const gchar *
artic_frame_rate_verdict_name (ArticFrameRateVerdict verdict)
{
  switch (verdict) {
    case ARTIC_FRAME_RATE_KEEP:
      return "keep";
    case ARTIC_FRAME_RATE_KEEP_FLOOR:
      return "keep (floor)";
    case ARTIC_FRAME_RATE_KEEP_SCENE:
      return "keep (scene change)";
    case ARTIC_FRAME_RATE_KEEP_FORCED:
      return "keep (forced)";
    case ARTIC_FRAME_RATE_DROP_RATE:
      return "drop (rate)";
    case ARTIC_FRAME_RATE_DROP_BUCKET:
      return "drop (over the bitrate)";
  }
  return "unknown";
}
