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

/* Reference control for loss recovery without a key frame (VP8 with
 * golden/alt-ref as long-term references), as a codec-neutral state
 * machine: it decides, frame by frame, which reference buffers a frame may
 * predict from and which it refreshes; the encoder maps that onto libvpx
 * flags.
 *
 * The scheme: LAST is the ordinary short-term reference. Of the two
 * long-term buffers (GOLDEN, ALTREF), one holds the newest frame the
 * receiver acknowledged (decoded from an intact chain); the other takes a
 * new candidate now and then (a "long-term" frame, marked so that the
 * receiver acknowledges it; in resilient mode it predicts from the
 * acknowledged buffer only, so that it is a recovery point too and its
 * acknowledgement does not depend on the frames before it). Only one
 * candidate is outstanding; once it is
 * acknowledged the roles swap, so the acknowledged frame is never
 * overwritten before a newer one is acknowledged. Ordinary frames predict
 * from LAST and the acknowledged buffer only, never from an unacknowledged
 * candidate: a receiver that lost the candidate would decode them wrong
 * while its reference-chain tracker (which only sees that the chain went on)
 * vouched for them.
 *
 * On a loss indication (PLI) the next frame predicts from the acknowledged
 * buffer only (a recovery point): the receiver still holds that frame, so it
 * decodes the recovery frame correctly and its chain is restored without a
 * key frame. A key frame is sent instead when nothing is acknowledged yet
 * (the stream's start, or right after a key frame), or the acknowledged
 * frame is older than max_reference_age_us (acks stopped coming), and at
 * most once per min_keyframe_interval_us; a loss that waits for that
 * interval stays pending. A key frame fills every buffer and is the first
 * candidate of the new chain.
 *
 * Resilient mode (for lossy links, see artic_refctl_set_resilient): every
 * frame predicts from the acknowledged buffer only, so every frame is a
 * recovery point and a loss costs only the frames that were hit, not the
 * ones after them, without a round trip. The price is coding efficiency
 * (the reference is up to long_term_interval_us plus a round trip old). */

#ifndef ARTIC_REF_CONTROL_H
#define ARTIC_REF_CONTROL_H

#include <glib.h>

G_BEGIN_DECLS

/* Reference buffers (VP8's names). */
#define ARTIC_REF_LAST 0x1
#define ARTIC_REF_GOLDEN 0x2
#define ARTIC_REF_ALTREF 0x4
#define ARTIC_REF_ALL (ARTIC_REF_LAST | ARTIC_REF_GOLDEN | ARTIC_REF_ALTREF)

typedef enum
{
  ARTIC_REFCTL_NORMAL,    /* LAST + acknowledged buffer -> LAST */
  ARTIC_REFCTL_LONG_TERM, /* as normal (as recovery in resilient mode), and
                             stored as the new candidate */
  ARTIC_REFCTL_RECOVERY,  /* acknowledged buffer only -> LAST */
  ARTIC_REFCTL_KEY,       /* intra -> every buffer */
} ArticRefctlKind;

typedef struct
{
  ArticRefctlKind kind;
  guint16 frame_id;
  guint references; /* ARTIC_REF_* the frame may predict from */
  guint updates;    /* ARTIC_REF_* the frame is stored into */
} ArticRefctlPlan;

typedef struct
{
  gint64 long_term_interval_us;    /* between candidates (from encode) */
  gint64 ack_timeout_us;           /* an unacknowledged candidate is replaced */
  gint64 max_reference_age_us;     /* older acknowledged frames: key frame */
  gint64 min_keyframe_interval_us; /* rate limit of requested key frames */
} ArticRefctlConfig;

#define ARTIC_REFCTL_DEFAULT_LONG_TERM_INTERVAL_US \
  (500 * G_TIME_SPAN_MILLISECOND)
#define ARTIC_REFCTL_DEFAULT_ACK_TIMEOUT_US (1000 * G_TIME_SPAN_MILLISECOND)
#define ARTIC_REFCTL_DEFAULT_MAX_REFERENCE_AGE_US (3 * G_TIME_SPAN_SECOND)
#define ARTIC_REFCTL_DEFAULT_MIN_KEYFRAME_INTERVAL_US \
  (300 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  guint64 frames;
  guint64 keyframes;  /* all key frames, the encoder's own included */
  guint64 recoveries; /* recovery frames */
  guint64 long_terms; /* candidates stored (key frames not counted) */
  guint64 acks;       /* candidates acknowledged */
  guint64 losses;     /* loss indications */
} ArticRefctlStats;

typedef struct _ArticRefctl ArticRefctl;

void artic_refctl_config_init (ArticRefctlConfig *config);
ArticRefctl *artic_refctl_new (const ArticRefctlConfig *config);
void artic_refctl_free (ArticRefctl *ctl);

/* Resilient mode on or off (takes effect from the next plan). */
void artic_refctl_set_resilient (ArticRefctl *ctl, gboolean resilient);

/* A loss indication (PLI, FIR, a request to resynchronise). */
void artic_refctl_on_loss (ArticRefctl *ctl);
/* The receiver decoded @frame_id from an intact chain. TRUE if that made
 * it the acknowledged long-term reference. */
gboolean artic_refctl_on_ack (
    ArticRefctl *ctl, guint16 frame_id, gint64 now_us);

/* The plan for the next frame, encoded at @now_us. */
void artic_refctl_plan (ArticRefctl *ctl, gint64 now_us, ArticRefctlPlan *plan);
/* After encoding @plan: @keyframe says what the codec made (it may make a
 * key frame on its own). Returns the frame mark flags
 * (ARTIC_FRAME_MARK_*) for the frame. */
guint8 artic_refctl_encoded (ArticRefctl *ctl, const ArticRefctlPlan *plan,
    gboolean keyframe, gint64 now_us);

/* The buffer holding the acknowledged frame (ARTIC_REF_GOLDEN/ALTREF), 0
 * if none. */
guint artic_refctl_acknowledged_buffer (const ArticRefctl *ctl);
void artic_refctl_get_stats (const ArticRefctl *ctl, ArticRefctlStats *stats);

G_END_DECLS

#endif /* ARTIC_REF_CONTROL_H */
