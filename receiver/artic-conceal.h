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

#ifndef __ARTIC_CONCEAL_H__
#define __ARTIC_CONCEAL_H__

#include <glib.h>

#include "artic-vp8-descriptor.h"

G_BEGIN_DECLS

/* Frames waiting for a verdict; beyond this the oldest is given up as lost,
 * so that a hostile or broken stream cannot grow the tracker without bound. */
#define ARTIC_CONCEAL_MAX_PENDING 128

/* One RTP packet of a VP8 stream, as far as the reference chain cares. */
typedef struct
{
  guint16 seq;
  guint32 rtp_timestamp;
  gboolean marker;
  ArticVp8Descriptor vp8;
  /* Sender-side reference control: set when the sender marks this frame
   * as referencing only a frame the receiver acknowledged (a golden /
   * long-term frame; the frame mark header extension's recovery flag). A
   * complete frame with this flag restores the chain like a key frame
   * does. */
  gboolean recovery_point;
  /* The frame mark's id, and its long-term flag (the receiver acknowledges
   * such a frame once decoded from an intact chain). */
  gboolean has_frame_id;
  guint16 frame_id;
  gboolean long_term;
} ArticConcealPacket;

/* The verdict on one frame. */
typedef struct
{
  guint32 rtp_timestamp;
  gboolean complete;     /* every packet from S=1 to the marker arrived */
  gboolean chain_intact; /* decodes correctly: complete, references intact */
  gboolean keyframe;
  gboolean non_reference;
  gboolean recovery_point;
  gboolean has_picture_id;
  guint picture_id;
  gboolean has_frame_id; /* from the frame mark */
  guint16 frame_id;
  gboolean long_term;
  guint skipped; /* older frames given up before this one (never output) */
} ArticConcealVerdict;

typedef struct _ArticConcealTracker ArticConcealTracker;

ArticConcealTracker *artic_conceal_tracker_new (void);
void artic_conceal_tracker_free (ArticConcealTracker *tracker);
void artic_conceal_tracker_reset (ArticConcealTracker *tracker);
void artic_conceal_tracker_push (
    ArticConcealTracker *tracker, const ArticConcealPacket *packet);
gboolean artic_conceal_tracker_push_payload (ArticConcealTracker *tracker,
    guint16 seq, guint32 rtp_timestamp, gboolean marker, const guint8 *payload,
    gsize size);
gboolean artic_conceal_tracker_decide (ArticConcealTracker *tracker,
    guint32 rtp_timestamp, ArticConcealVerdict *verdict);
gboolean artic_conceal_tracker_chain_intact (
    const ArticConcealTracker *tracker);
guint artic_conceal_tracker_pending (const ArticConcealTracker *tracker);
guint64 artic_conceal_tracker_chain_breaks (const ArticConcealTracker *tracker);

/* What to hand on at a sampling instant. */
typedef enum
{
  ARTIC_CONCEAL_NOTHING, /* no good frame yet */
  ARTIC_CONCEAL_FRESH,   /* a good frame that was not handed on before */
  ARTIC_CONCEAL_REPEAT,  /* the last good frame again */
} ArticConcealAction;

typedef struct
{
  guint64 good_serial; /* serial of the newest good frame, 0: none yet */
  guint64 sent_serial; /* serial last handed on */
  guint64 good_time;   /* its running time, ns */
} ArticConcealSelector;

void artic_conceal_selector_reset (ArticConcealSelector *selector);
void artic_conceal_selector_offer (
    ArticConcealSelector *selector, guint64 serial, guint64 running_time);
ArticConcealAction artic_conceal_selector_pick (ArticConcealSelector *selector,
    guint64 now, guint64 max_age, guint64 *age, gboolean *stale);
guint64 artic_conceal_instant (gdouble rate, guint64 index);
guint64 artic_conceal_next_index (gdouble rate, guint64 running_time);

G_END_DECLS

#endif /* __ARTIC_CONCEAL_H__ */
