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

/* The sender's frame-rate controller: which captured frames are worth
 * encoding. The viewer is a model that samples ~2 frames a second; frames it
 * never looks at are not worth their bits, but motion and multi-frame
 * questions need more than the sampling rate. Per captured frame it says
 * keep or drop, between the model's sampling rate (the floor) and the
 * capture rate. Two parts:
 *
 *  - the rate guard (always on): when the encoder cannot meet the target
 *    bitrate at the capture rate (its quantizer at the coarsest step, or the
 *    bits sent running ahead of the target), fewer frames are encoded, so
 *    the bitrate holds instead of overshooting;
 *  - the adaptive rule (artic_frame_rate_config.adaptive): the rate follows
 *    the content (motion between captured frames; a scene change is always
 *    sent), the loss rate (more frames, so that a sample still finds a fresh
 *    one) and the bits per frame (at few bits per pixel, fewer and better
 *    frames).
 *
 * The rule and its constants are in docs/sender.md ("Frame rate"). Times are
 * in microseconds. Plain C, no GStreamer: articenc and roi-bench call it. */

#ifndef ARTIC_FRAME_RATE_H
#define ARTIC_FRAME_RATE_H

#include <glib.h>

G_BEGIN_DECLS

/* The adaptive rule's constants (docs/sender.md). */
/* Motion = mean over 32x32 blocks of min(1, MAD / 24) between consecutive
 * captured frames (artic_roi_cue_motion). Below NOISE the scene counts as
 * static (sensor noise, compression of the source); at FULL and above the
 * capture rate is wanted. */
#define ARTIC_FRAME_RATE_MOTION_BLOCK 32
#define ARTIC_FRAME_RATE_MOTION_NOISE 0.03
#define ARTIC_FRAME_RATE_MOTION_FULL 0.25
/* A block whose score reaches SCENE_BLOCK changed a lot; a frame where
 * SCENE_FRACTION of the blocks did is a scene change. */
#define ARTIC_FRAME_RATE_SCENE_BLOCK 0.5
#define ARTIC_FRAME_RATE_SCENE_FRACTION 0.5
/* Motion falls back to the floor over this long after it stops (a rise is
 * followed at once). */
#define ARTIC_FRAME_RATE_MOTION_DECAY_S 1.0
/* Frames below this many bits per pixel look worse than fewer frames with
 * more bits each: the rate is capped at bitrate / (pixels * MIN_BPP). */
#define ARTIC_FRAME_RATE_MIN_BPP 0.02
/* With loss fraction p, k frames per sampling interval make the chance that
 * none of them arrives p^k; k is the smallest with p^k <= LOSS_MISS, at most
 * LOSS_MAX_K. */
#define ARTIC_FRAME_RATE_LOSS_MISS 0.05
#define ARTIC_FRAME_RATE_LOSS_MAX_K 4
/* A frame arrives only if all its packets do, (1 - p)^n for n packets: under
 * loss, frames are kept to the largest n with (1 - p)^n >= FRAME_ARRIVAL
 * packets of PACKET_BYTES (artic-send's default MTU), so the rate rises to
 * bitrate / (n * PACKET_BYTES) - more, smaller frames. Large frames at a
 * low rate lose nearly all of them at 10 % loss (loss-bench measured it). */
#define ARTIC_FRAME_RATE_PACKET_BYTES 1200
/* A receiver report covers ~0.5 s (~50 packets): at 10 % random loss one
 * of them now and then says 2 %, and the rate rule went straight to large
 * frames that were lost again (loss-bench). The loss the rule sees is
 * therefore held: a report below it lowers it only to HOLD x the held
 * value (per report: from 10 % to below 2 % in eight clean reports). */
#define ARTIC_FRAME_RATE_LOSS_HOLD 0.8
#define ARTIC_FRAME_RATE_FRAME_ARRIVAL 0.75

/* The rate guard's constants. */
/* The quantizer counts as at its coarsest at or above this fraction of the
 * codec's range. */
#define ARTIC_FRAME_RATE_QUANT_HIGH 0.9
/* Frames are dropped while the bits sent exceed the target by more than
 * this many seconds of target (a leaky bucket). */
#define ARTIC_FRAME_RATE_BUCKET_S 0.25
/* Headroom when the rate is cut: frames of the current size at this share
 * of the target. */
#define ARTIC_FRAME_RATE_GUARD_SHARE 0.9
/* With room in the rate control, the guard's cap rises by this fraction
 * per second. */
#define ARTIC_FRAME_RATE_GUARD_RISE 0.25
/* Weight of the newest gap in the encoder's smoothed frame gap, and the
 * share of the encoder clock's lag behind real time made up per frame. */
#define ARTIC_FRAME_RATE_GAP_SMOOTHING 0.2
#define ARTIC_FRAME_RATE_CLOCK_CATCH_UP 0.5

/* Encoders converge slowly when the frame rate changes (libvpx's quantizer
 * limits move with its buffer; x264 budgets per frame): the bits they
 * produce are compared with the target over a leaky window of TRIM_S
 * seconds, and the bitrate they are given is corrected by that error,
 * within [TRIM_MIN, TRIM_MAX] x target, in steps of at least TRIM_STEP. */
#define ARTIC_FRAME_RATE_TRIM_S 2.0
#define ARTIC_FRAME_RATE_TRIM_MIN 0.7
#define ARTIC_FRAME_RATE_TRIM_MAX 2.0
#define ARTIC_FRAME_RATE_TRIM_GAIN 2.5
/* An encoder below this quantizer (fraction of its range) has room and
 * still undershoots: the picture is cheap (a still scene), more bits
 * would only pile up. The trim does not rise then. */
#define ARTIC_FRAME_RATE_TRIM_QUANT_LOW 0.15
#define ARTIC_FRAME_RATE_TRIM_STEP 0.05

#define ARTIC_FRAME_RATE_DEFAULT_MODEL_FPS 2.0
#define ARTIC_FRAME_RATE_MAX_FPS 1000.0

#define ARTIC_FRAME_RATE_ERROR (artic_frame_rate_error_quark ())
GQuark artic_frame_rate_error_quark (void);

typedef enum
{
  ARTIC_FRAME_RATE_ERROR_INVALID, /* a configuration value out of range */
} ArticFrameRateError;

typedef struct
{
  gdouble capture_fps; /* the input rate, > 0 (fps of the caps) */
  gdouble model_fps;   /* the floor: the model's sampling rate, > 0 */
  gdouble max_fps;     /* a user cap (max-framerate), 0 = none */
  gboolean adaptive;   /* the content/loss/bits rule on top of the guard */
  guint width, height; /* frame size, for motion and bits per pixel */
} ArticFrameRateConfig;

typedef enum
{
  ARTIC_FRAME_RATE_KEEP,        /* due at the chosen rate */
  ARTIC_FRAME_RATE_KEEP_FLOOR,  /* kept to stay at the floor */
  ARTIC_FRAME_RATE_KEEP_SCENE,  /* a scene change: always sent */
  ARTIC_FRAME_RATE_KEEP_FORCED, /* the caller asked (e.g. a key frame) */
  ARTIC_FRAME_RATE_DROP_RATE,   /* not due yet at the chosen rate */
  ARTIC_FRAME_RATE_DROP_BUCKET, /* the bits sent ran ahead of the target */
} ArticFrameRateVerdict;

typedef struct
{
  ArticFrameRateVerdict verdict;
  gboolean keep;
  gdouble motion; /* smoothed motion, 0..MOTION_FULL (0 when not adaptive) */
  gdouble target_fps; /* the rate chosen for now */
  /* For a kept frame: the time stamp and duration to give the encoder's
   * rate control (a clock advancing by the smoothed gap between kept
   * frames), in microseconds. */
  gint64 encoder_pts_us;
  gint64 encoder_duration_us;
  /* The bitrate to give the encoder: the target corrected by the long-term
   * error of what it produced (see ARTIC_FRAME_RATE_TRIM_S). */
  guint encoder_kbps;
} ArticFrameRateDecision;

typedef struct _ArticFrameRate ArticFrameRate;

void artic_frame_rate_config_init (ArticFrameRateConfig *config);
gboolean artic_frame_rate_config_validate (
    const ArticFrameRateConfig *config, GError **error);

ArticFrameRate *artic_frame_rate_new (
    const ArticFrameRateConfig *config, GError **error);
void artic_frame_rate_free (ArticFrameRate *fr);

/* Forgets the history (a new segment, a flush). */
void artic_frame_rate_reset (ArticFrameRate *fr);

/* Changes while running; out-of-range values are clamped. */
void artic_frame_rate_set_max_fps (ArticFrameRate *fr, gdouble max_fps);
void artic_frame_rate_set_model_fps (ArticFrameRate *fr, gdouble model_fps);
void artic_frame_rate_set_adaptive (ArticFrameRate *fr, gboolean adaptive);
/* The loss to give the rule after a report of @reported when @held was
 * given before (ARTIC_FRAME_RATE_LOSS_HOLD); NaN and negative count as 0. */
gdouble artic_frame_rate_hold_loss (gdouble held, gdouble reported);
/* The fraction of packets the receiver reports lost, 0..1. */
void artic_frame_rate_set_loss (ArticFrameRate *fr, gdouble loss_fraction);

/* One captured frame at @pts_us: keep it or not. @luma (stride @stride) is
 * read for the motion measure when the rule is adaptive, and may be NULL
 * otherwise. @force keeps the frame whatever the rule says. */
void artic_frame_rate_decide (ArticFrameRate *fr, const guint8 *luma,
    gsize stride, gint64 pts_us, guint bitrate_kbps, gboolean force,
    ArticFrameRateDecision *decision);

/* What the encoder made of a kept frame: its size, whether it was a key
 * frame, and its quantizer as a fraction of the codec's range (< 0 if
 * unknown). */
void artic_frame_rate_encoded (
    ArticFrameRate *fr, gsize bytes, gboolean keyframe, gdouble quantizer);

/* The rate chosen at the last decision (0 before the first), and the
 * counts of frames kept and dropped since the start. */
gdouble artic_frame_rate_get_target (const ArticFrameRate *fr);
guint64 artic_frame_rate_get_kept (const ArticFrameRate *fr);
guint64 artic_frame_rate_get_dropped (const ArticFrameRate *fr);

const gchar *artic_frame_rate_verdict_name (ArticFrameRateVerdict verdict);

G_END_DECLS

#endif /* ARTIC_FRAME_RATE_H */
