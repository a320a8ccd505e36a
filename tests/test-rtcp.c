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

/* The RTCP feedback parser and the acknowledgement / frame-mark formats:
 * every field, every truncation, malformed compounds, random input. */

#include <string.h>

#include "artic-rtcp.h"

#define MEDIA_SSRC 0x11223344u
#define RECEIVER_SSRC 0x55667788u

static gsize
put32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
  return 4;
}

/* RR from RECEIVER_SSRC with one block about @about. */
static gsize
write_rr (guint8 *p, guint32 about, guint8 fraction, gint32 lost)
{
  memset (p, 0, 32);
  p[0] = 0x81;
  p[1] = 201;
  p[3] = 7; /* 32 bytes */
  put32 (p + 4, RECEIVER_SSRC);
  put32 (p + 8, about);
  p[12] = fraction;
  p[13] = (lost >> 16) & 0xff;
  p[14] = (lost >> 8) & 0xff;
  p[15] = lost & 0xff;
  put32 (p + 16, 0x00010203);
  put32 (p + 20, 77);
  return 32;
}

static gsize
write_pli (guint8 *p, guint32 media)
{
  p[0] = 0x81;
  p[1] = 206;
  p[2] = 0;
  p[3] = 2;
  put32 (p + 4, RECEIVER_SSRC);
  put32 (p + 8, media);
  return 12;
}

static void
test_receiver_report (void)
{
  guint8 data[64];
  ArticRtcpFeedback fb;
  GError *error = NULL;
  gsize n = write_rr (data, MEDIA_SSRC, 26, 123);

  g_assert_true (artic_rtcp_parse (data, n, MEDIA_SSRC, &fb, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fb.packets, ==, 1);
  g_assert_true (fb.have_report);
  g_assert_cmpuint (fb.reporter_ssrc, ==, RECEIVER_SSRC);
  g_assert_cmpuint (fb.fraction_lost, ==, 26);
  g_assert_cmpint (fb.cumulative_lost, ==, 123);
  g_assert_cmpuint (fb.highest_seq, ==, 0x00010203);
  g_assert_cmpuint (fb.jitter, ==, 77);
  /* 24-bit negative cumulative loss (duplicates). */
  n = write_rr (data, MEDIA_SSRC, 0, -2);
  g_assert_true (artic_rtcp_parse (data, n, MEDIA_SSRC, &fb, NULL));
  g_assert_cmpint (fb.cumulative_lost, ==, -2);
  /* A block about another source is not ours; 0 accepts any. */
  n = write_rr (data, 0x99, 26, 5);
  g_assert_true (artic_rtcp_parse (data, n, MEDIA_SSRC, &fb, NULL));
  g_assert_false (fb.have_report);
  g_assert_true (artic_rtcp_parse (data, n, 0, &fb, NULL));
  g_assert_true (fb.have_report);
}

static void
test_sender_report_and_compound (void)
{
  guint8 data[128] = { 0 };
  ArticRtcpFeedback fb;
  gsize n = 0;

  /* SR with one block, then a PLI, then a PLI for someone else. */
  data[0] = 0x81;
  data[1] = 200;
  data[3] = 12; /* 52 bytes */
  put32 (data + 4, RECEIVER_SSRC);
  put32 (data + 28, MEDIA_SSRC);
  data[32] = 128;
  n = 52;
  n += write_pli (data + n, MEDIA_SSRC);
  n += write_pli (data + n, 0x99);
  g_assert_true (artic_rtcp_parse (data, n, MEDIA_SSRC, &fb, NULL));
  g_assert_cmpuint (fb.packets, ==, 3);
  g_assert_true (fb.have_report);
  g_assert_cmpuint (fb.fraction_lost, ==, 128);
  g_assert_cmpuint (fb.pli, ==, 1);
}

static void
test_fir (void)
{
  guint8 data[32] = { 0 };
  ArticRtcpFeedback fb;

  data[0] = 0x84;
  data[1] = 206;
  data[3] = 4; /* 20 bytes: header, 2 SSRCs, one 8-byte entry */
  put32 (data + 4, RECEIVER_SSRC);
  put32 (data + 12, MEDIA_SSRC);
  g_assert_true (artic_rtcp_parse (data, 20, MEDIA_SSRC, &fb, NULL));
  g_assert_cmpuint (fb.fir, ==, 1);
  /* An entry of the wrong size is malformed. */
  data[3] = 3;
  g_assert_false (artic_rtcp_parse (data, 16, MEDIA_SSRC, &fb, NULL));
}

static void
test_ack_round_trip (void)
{
  guint8 data[128];
  ArticRtcpAck ack = { 0 }, *got;
  ArticRtcpFeedback fb;
  gsize n, rr;
  guint i;

  ack.have_newest = TRUE;
  ack.newest = 65535;
  artic_rtcp_ack_add (&ack, 10);
  artic_rtcp_ack_add (&ack, 40);
  artic_rtcp_ack_add (&ack, 70);
  g_assert_cmpuint (ack.n_acked, ==, 3);
  g_assert_cmpuint (ack.acked[0], ==, 70);
  /* Re-adding moves to the front without growing. */
  artic_rtcp_ack_add (&ack, 10);
  g_assert_cmpuint (ack.n_acked, ==, 3);
  g_assert_cmpuint (ack.acked[0], ==, 10);
  g_assert_cmpuint (ack.acked[1], ==, 70);
  g_assert_cmpuint (ack.acked[2], ==, 40);

  rr = write_rr (data, MEDIA_SSRC, 0, 0);
  n = artic_rtcp_ack_write (
      data + rr, sizeof (data) - rr, RECEIVER_SSRC, MEDIA_SSRC, &ack);
  /* 12 + 8 + 3 * 2 -> padded to 28. */
  g_assert_cmpuint (n, ==, 28);
  g_assert_true (artic_rtcp_parse (data, rr + n, MEDIA_SSRC, &fb, NULL));
  g_assert_cmpuint (fb.acks, ==, 1);
  got = &fb.ack;
  g_assert_true (got->have_newest);
  g_assert_cmpuint (got->newest, ==, 65535);
  g_assert_cmpuint (got->n_acked, ==, 3);
  g_assert_cmpmem (
      got->acked, 3 * sizeof (guint16), ack.acked, 3 * sizeof (guint16));

  /* The list holds the newest ARTIC_RTCP_MAX_ACKED. */
  memset (&ack, 0, sizeof (ack));
  for (i = 0; i < 40; i++)
    artic_rtcp_ack_add (&ack, (guint16) i);
  g_assert_cmpuint (ack.n_acked, ==, ARTIC_RTCP_MAX_ACKED);
  for (i = 0; i < ARTIC_RTCP_MAX_ACKED; i++)
    g_assert_cmpuint (ack.acked[i], ==, 39 - i);
  n = artic_rtcp_ack_write (data, sizeof (data), 1, MEDIA_SSRC, &ack);
  g_assert_cmpuint (n, ==, 12 + 8 + 32);
  g_assert_true (artic_rtcp_parse (data, n, MEDIA_SSRC, &fb, NULL));
  g_assert_false (fb.ack.have_newest);
  g_assert_cmpuint (fb.ack.n_acked, ==, ARTIC_RTCP_MAX_ACKED);
  g_assert_cmpuint (fb.ack.acked[15], ==, 24);
  /* Too small a buffer: nothing written. */
  g_assert_cmpuint (
      artic_rtcp_ack_write (data, 12 + 8 + 31, 1, MEDIA_SSRC, &ack), ==, 0);
  ack.n_acked = ARTIC_RTCP_MAX_ACKED + 1;
  g_assert_cmpuint (
      artic_rtcp_ack_write (data, sizeof (data), 1, MEDIA_SSRC, &ack), ==, 0);
}

static void
test_other_afb_ignored (void)
{
  guint8 data[24] = { 0 };
  ArticRtcpFeedback fb;

  /* A REMB (AFB "REMB"): skipped, not an error. */
  data[0] = 0x8f;
  data[1] = 206;
  data[3] = 5;
  put32 (data + 4, RECEIVER_SSRC);
  memcpy (data + 12, "REMB", 4);
  g_assert_true (artic_rtcp_parse (data, 24, MEDIA_SSRC, &fb, NULL));
  g_assert_cmpuint (fb.acks, ==, 0);
}

static void
test_malformed (void)
{
  guint8 data[128], bad[128];
  ArticRtcpAck ack = { 0 };
  ArticRtcpFeedback fb;
  GError *error = NULL;
  gsize n, cut;

  gsize rr = write_rr (data, MEDIA_SSRC, 1, 1);

  artic_rtcp_ack_add (&ack, 5);
  n = rr
      + artic_rtcp_ack_write (
          data + rr, sizeof (data) - rr, 1, MEDIA_SSRC, &ack);
  /* Every truncation but the one between the two packets (exact-size
   * copies, so an over-read shows under valgrind/ASan) is refused, and the
   * result is zeroed. */
  for (cut = 0; cut < n; cut++) {
    guint8 *copy = g_memdup2 (data, cut);

    if (cut == rr) {
      g_assert_true (artic_rtcp_parse (copy, cut, MEDIA_SSRC, &fb, NULL));
      g_assert_cmpuint (fb.acks, ==, 0);
      g_free (copy);
      continue;
    }

    fb.pli = 99;
    g_assert_false (artic_rtcp_parse (copy, cut, MEDIA_SSRC, &fb, &error));
    g_assert_error (error, ARTIC_RTCP_ERROR, ARTIC_RTCP_ERROR_MALFORMED);
    g_assert_cmpuint (fb.pli, ==, 0);
    g_clear_error (&error);
    g_free (copy);
  }
  g_assert_false (artic_rtcp_parse (NULL, 0, 0, &fb, NULL));

  /* Wrong version. */
  memcpy (bad, data, n);
  bad[0] = 0x41;
  g_assert_false (artic_rtcp_parse (bad, n, 0, &fb, NULL));
  /* Report count larger than the packet. */
  memcpy (bad, data, n);
  bad[0] = 0x82;
  g_assert_false (artic_rtcp_parse (bad, n, 0, &fb, NULL));
  /* Padding on a packet that is not the last. */
  memcpy (bad, data, n);
  bad[0] |= 0x20;
  g_assert_false (artic_rtcp_parse (bad, n, 0, &fb, NULL));
  /* Padding count 0 or larger than the packet, on the last packet. */
  n = write_pli (bad, MEDIA_SSRC);
  bad[0] |= 0x20;
  bad[n - 1] = 0;
  g_assert_false (artic_rtcp_parse (bad, n, 0, &fb, NULL));
  bad[n - 1] = 12;
  g_assert_false (artic_rtcp_parse (bad, n, 0, &fb, NULL));
  /* Feedback shorter than its two SSRCs. */
  n = write_pli (bad, MEDIA_SSRC);
  bad[3] = 1;
  g_assert_false (artic_rtcp_parse (bad, 8, 0, &fb, NULL));
  /* An ack that claims more ids than it carries, or than allowed. */
  n = artic_rtcp_ack_write (bad, sizeof (bad), 1, MEDIA_SSRC, &ack);
  bad[12 + 6] = 3;
  g_assert_false (artic_rtcp_parse (bad, n, 0, &fb, NULL));
  bad[12 + 6] = ARTIC_RTCP_MAX_ACKED + 1;
  g_assert_false (artic_rtcp_parse (bad, n, 0, &fb, NULL));
  /* Trailing bytes after the last packet. */
  n = write_pli (bad, MEDIA_SSRC);
  g_assert_false (artic_rtcp_parse (bad, n + 2, 0, &fb, NULL));
}

static void
test_random_input (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  ArticRtcpFeedback fb;
  guint i, accepted = 0;

  for (i = 0; i < 50000; i++) {
    guint size = g_rand_int_range (rand, 0, 80), j;
    guint8 *data = g_malloc (MAX (size, 1));

    for (j = 0; j < size; j++)
      data[j] = g_rand_int_range (rand, 0, 256);
    /* Often a plausible header, so that the deeper checks run. */
    if (size >= 4 && g_rand_boolean (rand)) {
      data[0] = 0x80 | (data[0] & 0x3f);
      data[1] = 200 + g_rand_int_range (rand, 0, 7);
      data[2] = 0;
      data[3] = g_rand_int_range (rand, 0, size / 4 + 1);
    }
    if (artic_rtcp_parse (data, size, 0, &fb, NULL)) {
      accepted++;
      g_assert_cmpuint (fb.ack.n_acked, <=, ARTIC_RTCP_MAX_ACKED);
    }
    g_free (data);
  }
  g_assert_cmpuint (accepted, >, 0);
  g_rand_free (rand);
}

static void
test_frame_mark (void)
{
  ArticFrameMark mark
      = { 0xBEEF, ARTIC_FRAME_MARK_LONG_TERM | ARTIC_FRAME_MARK_RECOVERY },
      got;
  guint8 data[4];

  g_assert_cmpuint (artic_frame_mark_write (data, 2, &mark), ==, 0);
  g_assert_cmpuint (artic_frame_mark_write (data, sizeof (data), &mark), ==, 3);
  g_assert_cmpuint (data[0], ==, 0xBE);
  g_assert_cmpuint (data[1], ==, 0xEF);
  g_assert_true (artic_frame_mark_read (data, 3, &got));
  g_assert_cmpuint (got.frame_id, ==, 0xBEEF);
  g_assert_cmpuint (got.flags, ==, mark.flags);
  /* Unknown bits are dropped; any other size is refused. */
  data[2] = 0xF1;
  g_assert_true (artic_frame_mark_read (data, 3, &got));
  g_assert_cmpuint (got.flags, ==, ARTIC_FRAME_MARK_KEY);
  g_assert_false (artic_frame_mark_read (data, 2, &got));
  g_assert_false (artic_frame_mark_read (data, 4, &got));
  g_assert_false (artic_frame_mark_read (NULL, 3, &got));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rtcp/receiver-report", test_receiver_report);
  g_test_add_func (
      "/rtcp/sender-report-compound", test_sender_report_and_compound);
  g_test_add_func ("/rtcp/fir", test_fir);
  g_test_add_func ("/rtcp/ack-round-trip", test_ack_round_trip);
  g_test_add_func ("/rtcp/other-afb-ignored", test_other_afb_ignored);
  g_test_add_func ("/rtcp/malformed", test_malformed);
  g_test_add_func ("/rtcp/random-input", test_random_input);
  g_test_add_func ("/rtcp/frame-mark", test_frame_mark);
  return g_test_run ();
}
