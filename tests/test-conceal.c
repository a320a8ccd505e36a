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

/* Reference-chain tracking and the sampling-instant choice of
 * receiver/artic-conceal.c on synthetic VP8 packet sequences. */

#include "artic-conceal.h"

/* A synthetic stream: frame i has `packets` packets, picture id pid0 + i,
 * RTP timestamp 3000 * (pid0 + i); sequence numbers run on from seq0. */
typedef struct
{
  guint8 payload[8];
  gsize size;
  guint16 seq;
  guint32 ts;
  gboolean marker;
} Pkt;

static Pkt
make_packet (guint16 seq, guint pid, gboolean first, gboolean last,
    gboolean key, gboolean non_reference)
{
  Pkt p = { { 0 }, 0, seq, 3000u * pid, last };

  /* X=1, N, S (partition 0), I=1 with a 15-bit picture id. */
  p.payload[0] = 0x80 | (non_reference ? 0x20 : 0) | (first ? 0x10 : 0);
  p.payload[1] = 0x80;
  p.payload[2] = 0x80 | ((pid >> 8) & 0x7f);
  p.payload[3] = pid & 0xff;
  p.payload[4] = key ? 0x00 : 0x01; /* P bit of the VP8 frame header */
  p.payload[5] = 0xab;
  p.size = 6;
  return p;
}

/* Frames of `per_frame` packets: packet j of frame f. */
static Pkt
frame_packet (guint16 seq0, guint pid0, guint f, guint j, guint per_frame,
    gboolean key, gboolean non_reference)
{
  return make_packet ((guint16) (seq0 + f * per_frame + j), pid0 + f, j == 0,
      j == per_frame - 1, key, non_reference);
}

static void
push (ArticConcealTracker *t, const Pkt *p)
{
  g_assert_true (artic_conceal_tracker_push_payload (
      t, p->seq, p->ts, p->marker, p->payload, p->size));
}

static ArticConcealVerdict
decide (ArticConcealTracker *t, guint pid)
{
  ArticConcealVerdict v;

  g_assert_true (artic_conceal_tracker_decide (t, 3000u * pid, &v));
  g_assert_cmpuint (v.picture_id, ==, pid & 0x7fff);
  return v;
}

/* Streams frames 0..n-1 (frame 0 and key_at a key frame, 3 packets each),
 * dropping packet `lost` (index in the whole stream, -1 none), deciding each
 * frame as the depayloader would hand it on; returns the intact flags. */
static void
run_stream (guint16 seq0, guint pid0, guint n, gint lost, guint key_at,
    guint non_ref_frame, gboolean *intact, gboolean *complete)
{
  ArticConcealTracker *t = artic_conceal_tracker_new ();
  guint f, j;

  for (f = 0; f < n; f++) {
    gboolean key = f == 0 || f == key_at;
    gboolean nonref = f == non_ref_frame;
    gboolean any = FALSE;
    ArticConcealVerdict v;

    for (j = 0; j < 3; j++) {
      Pkt p = frame_packet (seq0, pid0, f, j, 3, key, nonref);

      if ((gint) (f * 3 + j) == lost)
        continue;
      push (t, &p);
      any = TRUE;
    }
    if (!any) {
      intact[f] = FALSE;
      complete[f] = FALSE;
      continue;
    }
    v = decide (t, pid0 + f);
    intact[f] = v.chain_intact;
    complete[f] = v.complete;
    g_assert_true (v.keyframe == key);
  }
  g_assert_cmpuint (artic_conceal_tracker_pending (t), ==, 0);
  artic_conceal_tracker_free (t);
}

static void
test_clean_stream (void)
{
  gboolean intact[8], complete[8];
  guint f;

  run_stream (100, 10, 8, -1, 100, 100, intact, complete);
  for (f = 0; f < 8; f++) {
    g_assert_true (intact[f]);
    g_assert_true (complete[f]);
  }
}

static void
test_reference_loss_breaks_until_key (void)
{
  gboolean intact[10], complete[10];
  guint f;

  /* Middle packet of frame 3 lost; frame 7 is a key frame. */
  run_stream (100, 10, 10, 3 * 3 + 1, 7, 100, intact, complete);
  for (f = 0; f < 3; f++)
    g_assert_true (intact[f]);
  g_assert_false (complete[3]);
  for (f = 3; f < 7; f++)
    g_assert_false (intact[f]);
  for (f = 4; f < 10; f++)
    g_assert_true (complete[f]);
  for (f = 7; f < 10; f++)
    g_assert_true (intact[f]);
}

static void
test_first_and_last_packet_loss (void)
{
  gboolean intact[6], complete[6];

  /* First packet (S=1) of frame 2. */
  run_stream (100, 10, 6, 2 * 3, 100, 100, intact, complete);
  g_assert_true (intact[1]);
  g_assert_false (complete[2]);
  g_assert_false (intact[2]);
  g_assert_false (intact[5]);
  /* Last packet (marker) of frame 2. */
  run_stream (100, 10, 6, 2 * 3 + 2, 100, 100, intact, complete);
  g_assert_true (intact[1]);
  g_assert_false (complete[2]);
  g_assert_false (intact[3]);
}

static void
test_non_reference_loss_keeps_chain (void)
{
  gboolean intact[6], complete[6];

  run_stream (100, 10, 6, 2 * 3 + 1, 100, 2, intact, complete);
  g_assert_false (complete[2]);
  g_assert_false (intact[2]);
  g_assert_true (intact[1]);
  g_assert_true (intact[3]);
  g_assert_true (intact[5]);
}

static void
test_whole_frame_lost (void)
{
  ArticConcealTracker *t = artic_conceal_tracker_new ();
  guint f, j;

  /* One-packet frames; frame 2 vanishes entirely: its N bit is unknown, so
   * the chain breaks (conservatively). */
  for (f = 0; f < 5; f++) {
    Pkt p = make_packet (500 + f, 40 + f, TRUE, TRUE, f == 0, FALSE);

    if (f == 2)
      continue;
    push (t, &p);
    (void) j;
    g_assert_cmpint (decide (t, 40 + f).chain_intact, ==, f < 2);
  }
  g_assert_cmpuint (artic_conceal_tracker_chain_breaks (t), ==, 1);
  artic_conceal_tracker_free (t);
}

static void
test_reordering (void)
{
  ArticConcealTracker *t = artic_conceal_tracker_new ();
  Pkt p[9];
  const guint order[] = { 0, 2, 1, 4, 3, 6, 5, 8, 7 };
  guint i;

  /* Three frames of three packets, swapped pairs: all packets arrive within
   * the window, so every frame is complete and intact. */
  for (i = 0; i < 9; i++)
    p[i] = frame_packet (7, 1, i / 3, i % 3, 3, i < 3, FALSE);
  for (i = 0; i < 9; i++)
    push (t, &p[order[i]]);
  for (i = 0; i < 3; i++) {
    ArticConcealVerdict v = decide (t, 1 + i);

    g_assert_true (v.complete);
    g_assert_true (v.chain_intact);
    g_assert_cmpuint (v.skipped, ==, 0);
  }
  /* A packet of a decided frame arriving later changes nothing. */
  push (t, &p[4]);
  g_assert_cmpuint (artic_conceal_tracker_pending (t), ==, 0);
  artic_conceal_tracker_free (t);
}

static void
test_wrap_around (void)
{
  gboolean intact[10], complete[10];
  guint f;

  /* Sequence numbers wrap inside frame 2, picture ids (15 bit) at frame 4;
   * RTP timestamps wrap too (3000 * 0x7ffa...). */
  run_stream (65530, 0x7ffc, 10, -1, 100, 100, intact, complete);
  for (f = 0; f < 10; f++)
    g_assert_true (intact[f]);
  /* Loss across the wrap still breaks the chain. */
  run_stream (65530, 0x7ffc, 10, 6, 8, 100, intact, complete);
  g_assert_true (intact[1]);
  g_assert_false (intact[2]);
  g_assert_false (intact[7]);
  g_assert_true (intact[8]);
}

static void
test_skipped_frames_and_recovery_point (void)
{
  ArticConcealTracker *t = artic_conceal_tracker_new ();
  ArticConcealPacket packet = { 0 };
  ArticConcealVerdict v;
  guint f;

  /* Frames 0..3, one packet each; the depayloader hands on 0, then 3:
   * frames 1 and 2 were dropped, the chain is broken at 3. */
  for (f = 0; f < 4; f++) {
    Pkt p = make_packet (10 + f, 20 + f, TRUE, TRUE, f == 0, FALSE);
    push (t, &p);
  }
  g_assert_true (decide (t, 20).chain_intact);
  v = decide (t, 23);
  g_assert_cmpuint (v.skipped, ==, 2);
  g_assert_true (v.complete);
  g_assert_false (v.chain_intact);
  /* The hook: a complete frame flagged as a recovery point (referencing only
   * an acknowledged frame) restores the chain without a key frame. */
  packet.seq = 14;
  packet.rtp_timestamp = 3000u * 24;
  packet.marker = TRUE;
  packet.vp8.starts_frame = TRUE;
  packet.recovery_point = TRUE;
  artic_conceal_tracker_push (t, &packet);
  g_assert_true (artic_conceal_tracker_decide (t, 3000u * 24, &v));
  g_assert_true (v.recovery_point);
  g_assert_true (v.chain_intact);
  /* Unknown timestamps and garbage payloads are refused. */
  g_assert_false (artic_conceal_tracker_decide (t, 1, &v));
  g_assert_false (artic_conceal_tracker_push_payload (
      t, 15, 0, TRUE, (const guint8 *) "\x80", 1));
  g_assert_false (artic_conceal_tracker_push_payload (t, 15, 0, TRUE, NULL, 0));
  artic_conceal_tracker_free (t);
}

static void
test_pending_bounded (void)
{
  ArticConcealTracker *t = artic_conceal_tracker_new ();
  guint i;

  /* Frames never handed on (e.g. garbage timestamps) are given up. */
  for (i = 0; i < 10 * ARTIC_CONCEAL_MAX_PENDING; i++) {
    Pkt p = make_packet (i, i, TRUE, FALSE, TRUE, FALSE);
    push (t, &p);
  }
  g_assert_cmpuint (
      artic_conceal_tracker_pending (t), ==, ARTIC_CONCEAL_MAX_PENDING);
  artic_conceal_tracker_free (t);
}

static void
test_selector (void)
{
  ArticConcealSelector s;
  guint64 age = 0;
  gboolean stale = TRUE;
  const guint64 ms = 1000000;

  artic_conceal_selector_reset (&s);
  g_assert_cmpint (artic_conceal_selector_pick (&s, 0, 1000 * ms, &age, &stale),
      ==, ARTIC_CONCEAL_NOTHING);
  artic_conceal_selector_offer (&s, 1, 100 * ms);
  g_assert_cmpint (
      artic_conceal_selector_pick (&s, 500 * ms, 1000 * ms, &age, &stale), ==,
      ARTIC_CONCEAL_FRESH);
  g_assert_cmpuint (age, ==, 400 * ms);
  g_assert_false (stale);
  g_assert_cmpint (
      artic_conceal_selector_pick (&s, 1000 * ms, 1000 * ms, &age, &stale), ==,
      ARTIC_CONCEAL_REPEAT);
  g_assert_cmpuint (age, ==, 900 * ms);
  g_assert_cmpint (
      artic_conceal_selector_pick (&s, 1500 * ms, 1000 * ms, &age, &stale), ==,
      ARTIC_CONCEAL_REPEAT);
  g_assert_true (stale);
  /* An older serial never replaces a newer frame. */
  artic_conceal_selector_offer (&s, 3, 1600 * ms);
  artic_conceal_selector_offer (&s, 2, 1550 * ms);
  g_assert_cmpint (
      artic_conceal_selector_pick (&s, 1500 * ms, 1000 * ms, &age, &stale), ==,
      ARTIC_CONCEAL_FRESH);
  g_assert_cmpuint (age, ==, 0);
}

static void
test_grid (void)
{
  g_assert_cmpuint (artic_conceal_instant (2.0, 3), ==, 1500000000);
  g_assert_cmpuint (artic_conceal_instant (3.0, 1), ==, 333333333);
  g_assert_cmpuint (artic_conceal_next_index (2.0, 0), ==, 0);
  g_assert_cmpuint (artic_conceal_next_index (2.0, 1), ==, 1);
  g_assert_cmpuint (artic_conceal_next_index (2.0, 500000000), ==, 1);
  g_assert_cmpuint (artic_conceal_next_index (3.0, 333333334), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/conceal/clean-stream", test_clean_stream);
  g_test_add_func ("/conceal/reference-loss-breaks-until-key",
      test_reference_loss_breaks_until_key);
  g_test_add_func (
      "/conceal/first-and-last-packet-loss", test_first_and_last_packet_loss);
  g_test_add_func ("/conceal/non-reference-loss-keeps-chain",
      test_non_reference_loss_keeps_chain);
  g_test_add_func ("/conceal/whole-frame-lost", test_whole_frame_lost);
  g_test_add_func ("/conceal/reordering", test_reordering);
  g_test_add_func ("/conceal/wrap-around", test_wrap_around);
  g_test_add_func ("/conceal/skipped-frames-and-recovery-point",
      test_skipped_frames_and_recovery_point);
  g_test_add_func ("/conceal/pending-bounded", test_pending_bounded);
  g_test_add_func ("/conceal/selector", test_selector);
  g_test_add_func ("/conceal/grid", test_grid);
  return g_test_run ();
}
