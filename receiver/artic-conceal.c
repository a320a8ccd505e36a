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

/* Reference-chain tracking for a VP8 RTP stream, and the choice of what to
 * hand the model at a sampling instant. Plain C, no GStreamer: the element
 * (plugins/gstarticconceal.c) feeds it the packets the depayloader sees. */

#include "artic-conceal.h"

#include <math.h>

typedef struct
{
  guint32 rtp_timestamp;
  gint64 min_seq; /* extended sequence numbers */
  gint64 max_seq;
  gint64 start_seq; /* S=1, partition 0; -1: not seen */
  gint64 end_seq;   /* marker; -1: not seen */
  guint packets;
  gboolean keyframe;
  gboolean non_reference;
  gboolean recovery_point;
  gboolean has_picture_id;
  guint picture_id;
  gboolean has_frame_id;
  guint16 frame_id;
  gboolean long_term;
} ArticConcealFrame;

struct _ArticConcealTracker
{
  GQueue frames; /* ArticConcealFrame, ordered by min_seq */
  gboolean have_seq;
  gint64 highest_seq;
  gboolean chain_intact;
  gboolean have_decided;
  gint64 decided_max_seq;
  gboolean decided_has_end;
  guint64 chain_breaks;
};

ArticConcealTracker *
artic_conceal_tracker_new (void)
{
  ArticConcealTracker *tracker = g_new0 (ArticConcealTracker, 1);

  g_queue_init (&tracker->frames);
  return tracker;
}

void
artic_conceal_tracker_reset (ArticConcealTracker *tracker)
{
  g_queue_clear_full (&tracker->frames, g_free);
  tracker->have_seq = FALSE;
  tracker->highest_seq = 0;
  /* A stream joined in the middle has no reference yet: wait for a key. */
  tracker->chain_intact = FALSE;
  tracker->have_decided = FALSE;
  tracker->decided_max_seq = 0;
  tracker->decided_has_end = FALSE;
}

void
artic_conceal_tracker_free (ArticConcealTracker *tracker)
{
  if (tracker == NULL)
    return;
  g_queue_clear_full (&tracker->frames, g_free);
  g_free (tracker);
}

/* 16-bit sequence numbers wrap every 65536 packets (a few minutes of
 * video): extend them around the highest one seen. */
static gint64
artic_conceal_extend_seq (ArticConcealTracker *tracker, guint16 seq)
{
  gint64 ext;

  if (!tracker->have_seq) {
    tracker->have_seq = TRUE;
    tracker->highest_seq = (gint64) seq + 65536;
    return tracker->highest_seq;
  }
  ext = tracker->highest_seq
        + (gint16) (guint16) (seq - (guint16) tracker->highest_seq);
  if (ext > tracker->highest_seq)
    tracker->highest_seq = ext;
  return ext;
}

static ArticConcealFrame *
artic_conceal_find_frame (ArticConcealTracker *tracker, guint32 rtp_timestamp)
{
  GList *l;

  for (l = tracker->frames.tail; l != NULL; l = l->prev) {
    ArticConcealFrame *frame = l->data;

    if (frame->rtp_timestamp == rtp_timestamp)
      return frame;
  }
  return NULL;
}

static gint
artic_conceal_frame_compare (gconstpointer a, gconstpointer b, gpointer data)
{
  const ArticConcealFrame *fa = a, *fb = b;

  return fa->min_seq < fb->min_seq ? -1 : fa->min_seq > fb->min_seq;
}

static gboolean
artic_conceal_frame_complete (const ArticConcealFrame *frame)
{
  /* Counting is enough because the span is bounded by the frame's first and
   * last packet; a duplicate makes the count too high, which errs on the
   * safe side (incomplete). */
  return frame->start_seq >= 0 && frame->end_seq >= frame->start_seq
         && frame->min_seq == frame->start_seq
         && frame->max_seq == frame->end_seq
         && (gint64) frame->packets == frame->end_seq - frame->start_seq + 1;
}

/* Packets of frames already decided are late beyond the jitter window: the
 * decoder has moved on, so they change nothing. */
static gboolean
artic_conceal_packet_is_late (ArticConcealTracker *tracker, gint64 ext_seq)
{
  return tracker->have_decided && ext_seq <= tracker->decided_max_seq;
}

static void artic_conceal_decide_frame (ArticConcealTracker *tracker,
    ArticConcealFrame *frame, gboolean output, ArticConcealVerdict *verdict);

void
artic_conceal_tracker_push (
    ArticConcealTracker *tracker, const ArticConcealPacket *packet)
{
  gint64 ext = artic_conceal_extend_seq (tracker, packet->seq);
  ArticConcealFrame *frame;

  if (artic_conceal_packet_is_late (tracker, ext))
    return;
  frame = artic_conceal_find_frame (tracker, packet->rtp_timestamp);
  if (frame == NULL) {
    if (g_queue_get_length (&tracker->frames) >= ARTIC_CONCEAL_MAX_PENDING) {
      ArticConcealFrame *oldest = g_queue_pop_head (&tracker->frames);

      artic_conceal_decide_frame (tracker, oldest, FALSE, NULL);
      g_free (oldest);
    }
    frame = g_new0 (ArticConcealFrame, 1);
    frame->rtp_timestamp = packet->rtp_timestamp;
    frame->min_seq = frame->max_seq = ext;
    frame->start_seq = frame->end_seq = -1;
    g_queue_insert_sorted (
        &tracker->frames, frame, artic_conceal_frame_compare, NULL);
  } else if (ext < frame->min_seq) {
    frame->min_seq = ext;
    /* Keep the queue ordered: reordering can move a frame's first packet. */
    g_queue_remove (&tracker->frames, frame);
    g_queue_insert_sorted (
        &tracker->frames, frame, artic_conceal_frame_compare, NULL);
  }
  frame->max_seq = MAX (frame->max_seq, ext);
  frame->packets++;
  if (packet->vp8.starts_frame) {
    frame->start_seq = ext;
    frame->keyframe = packet->vp8.is_keyframe;
  }
  if (packet->marker)
    frame->end_seq = ext;
  /* N and the picture id are repeated in every packet of a frame. */
  frame->non_reference |= packet->vp8.non_reference;
  frame->recovery_point |= packet->recovery_point;
  frame->long_term |= packet->long_term;
  if (packet->has_frame_id) {
    frame->has_frame_id = TRUE;
    frame->frame_id = packet->frame_id;
  }
  if (packet->vp8.has_picture_id) {
    frame->has_picture_id = TRUE;
    frame->picture_id = packet->vp8.picture_id;
  }
}

gboolean
artic_conceal_tracker_push_payload (ArticConcealTracker *tracker, guint16 seq,
    guint32 rtp_timestamp, gboolean marker, const guint8 *payload, gsize size)
{
  ArticConcealPacket packet = { 0 };

  packet.seq = seq;
  packet.rtp_timestamp = rtp_timestamp;
  packet.marker = marker;
  /* A payload that does not parse still occupies its sequence number: it is
   * counted as missing, which breaks the chain if it mattered. */
  if (!artic_vp8_descriptor_parse (payload, size, &packet.vp8))
    return FALSE;
  artic_conceal_tracker_push (tracker, &packet);
  return TRUE;
}

/* Packets missing between the previous decided frame and this one belong to
 * a frame that vanished entirely; its N bit is unknown, so it is assumed to
 * have been a reference frame. */
static gboolean
artic_conceal_lost_between (
    ArticConcealTracker *tracker, const ArticConcealFrame *frame)
{
  if (!tracker->have_decided)
    return FALSE;
  if (frame->min_seq <= tracker->decided_max_seq + 1)
    return FALSE;
  /* Missing packets at the tail of the previous frame or the head of this
   * one make those incomplete and are judged with them. */
  return tracker->decided_has_end && frame->start_seq == frame->min_seq;
}

static void
artic_conceal_decide_frame (ArticConcealTracker *tracker,
    ArticConcealFrame *frame, gboolean output, ArticConcealVerdict *verdict)
{
  gboolean complete = artic_conceal_frame_complete (frame);
  gboolean was_intact = tracker->chain_intact;
  gboolean intact = FALSE;

  if (artic_conceal_lost_between (tracker, frame))
    tracker->chain_intact = FALSE;
  if (!output) {
    /* Never reached the decoder: only a non-reference frame is harmless. */
    if (!frame->non_reference)
      tracker->chain_intact = FALSE;
  } else if (complete && (frame->keyframe || frame->recovery_point)) {
    tracker->chain_intact = TRUE;
    intact = TRUE;
  } else if (!complete) {
    if (!frame->non_reference)
      tracker->chain_intact = FALSE;
  } else {
    intact = tracker->chain_intact;
  }
  if (was_intact && !tracker->chain_intact)
    tracker->chain_breaks++;

  tracker->have_decided = TRUE;
  tracker->decided_max_seq = MAX (tracker->decided_max_seq, frame->max_seq);
  tracker->decided_has_end = frame->end_seq == frame->max_seq;

  if (verdict != NULL) {
    verdict->rtp_timestamp = frame->rtp_timestamp;
    verdict->complete = complete;
    verdict->chain_intact = intact;
    verdict->keyframe = frame->keyframe;
    verdict->non_reference = frame->non_reference;
    verdict->recovery_point = frame->recovery_point;
    verdict->has_picture_id = frame->has_picture_id;
    verdict->picture_id = frame->picture_id;
    verdict->has_frame_id = frame->has_frame_id;
    verdict->frame_id = frame->frame_id;
    verdict->long_term = frame->long_term;
  }
}

/* The depayloader hands on the frame with this timestamp: every frame before
 * it that it did not hand on is given up, then this one is judged. */
gboolean
artic_conceal_tracker_decide (ArticConcealTracker *tracker,
    guint32 rtp_timestamp, ArticConcealVerdict *verdict)
{
  ArticConcealFrame *frame = artic_conceal_find_frame (tracker, rtp_timestamp);
  guint skipped = 0;

  if (frame == NULL)
    return FALSE;
  while (g_queue_peek_head (&tracker->frames) != frame) {
    ArticConcealFrame *older = g_queue_pop_head (&tracker->frames);

    artic_conceal_decide_frame (tracker, older, FALSE, NULL);
    g_free (older);
    skipped++;
  }
  g_queue_pop_head (&tracker->frames);
  artic_conceal_decide_frame (tracker, frame, TRUE, verdict);
  verdict->skipped = skipped;
  g_free (frame);
  return TRUE;
}

gboolean
artic_conceal_tracker_chain_intact (const ArticConcealTracker *tracker)
{
  return tracker->chain_intact;
}

guint
artic_conceal_tracker_pending (const ArticConcealTracker *tracker)
{
  return g_queue_get_length ((GQueue *) &tracker->frames);
}

guint64
artic_conceal_tracker_chain_breaks (const ArticConcealTracker *tracker)
{
  return tracker->chain_breaks;
}

void
artic_conceal_selector_reset (ArticConcealSelector *selector)
{
  selector->good_serial = 0;
  selector->sent_serial = 0;
  selector->good_time = 0;
}

/* Frames are offered in decode order; serials start at 1. */
void
artic_conceal_selector_offer (
    ArticConcealSelector *selector, guint64 serial, guint64 running_time)
{
  if (serial <= selector->good_serial)
    return;
  selector->good_serial = serial;
  selector->good_time = running_time;
}

ArticConcealAction
artic_conceal_selector_pick (ArticConcealSelector *selector, guint64 now,
    guint64 max_age, guint64 *age, gboolean *stale)
{
  ArticConcealAction action;

  if (selector->good_serial == 0)
    return ARTIC_CONCEAL_NOTHING;
  action = selector->good_serial != selector->sent_serial
               ? ARTIC_CONCEAL_FRESH
               : ARTIC_CONCEAL_REPEAT;
  selector->sent_serial = selector->good_serial;
  /* A frame decoded after the instant it is handed on at (the instant came
   * late) is as fresh as it gets: age 0, never negative. */
  *age = now > selector->good_time ? now - selector->good_time : 0;
  *stale = *age > max_age;
  return action;
}

/* Instant k of the grid, in ns of running time; computed from k rather than
 * accumulated so that rounding never drifts the cadence. */
guint64
artic_conceal_instant (gdouble rate, guint64 index)
{
  return (guint64) llround ((gdouble) index * 1e9 / rate);
}

/* The first instant at or after running_time. */
guint64
artic_conceal_next_index (gdouble rate, guint64 running_time)
{
  guint64 index = (guint64) floor ((gdouble) running_time * rate / 1e9);

  while (artic_conceal_instant (rate, index) < running_time)
    index++;
  return index;
}
