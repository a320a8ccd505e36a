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

/* The key-frame FEC (transport/artic-fec.c): the erasure code recovers any
 * pattern of up to m lost packets among k + m, byte for byte; the repair
 * format is checked strictly; the encoder groups the packets of one frame;
 * the decoder copes with reordering, duplicates and hostile input. */

#include <math.h>
#include <string.h>

#include "artic-fec.h"

#define SSRC 0x11223344u
#define FEC_SSRC 0x55667788u
#define FEC_PT 118

/* An RTP packet of the media stream: sequence @seq, timestamp @ts, a
 * one-byte header extension, @payload bytes derived from @seed. */
static GBytes *
media_packet (
    guint16 seq, guint32 ts, gboolean marker, gsize payload, guint seed)
{
  gsize size = 12 + 8 + payload, i;
  guint8 *p = g_malloc (size);

  p[0] = 0x90; /* V=2, X=1 */
  p[1] = 96 | (marker ? 0x80 : 0);
  p[2] = seq >> 8;
  p[3] = seq & 0xff;
  p[4] = ts >> 24;
  p[5] = (ts >> 16) & 0xff;
  p[6] = (ts >> 8) & 0xff;
  p[7] = ts & 0xff;
  p[8] = SSRC >> 24;
  p[9] = (SSRC >> 16) & 0xff;
  p[10] = (SSRC >> 8) & 0xff;
  p[11] = SSRC & 0xff;
  /* RFC 8285 one-byte extension block of one 32-bit word. */
  p[12] = 0xbe;
  p[13] = 0xde;
  p[14] = 0;
  p[15] = 1;
  p[16] = 0x22; /* id 2, 3 bytes */
  p[17] = seed & 0xff;
  p[18] = 0x01;
  p[19] = 0x03;
  for (i = 0; i < payload; i++)
    p[20 + i] = (guint8) (seed * 31 + i * 7 + (i >> 3));
  return g_bytes_new_take (p, size);
}

/* A frame of @k packets from @first_seq, sizes varying as a payloader's. */
static GPtrArray *
media_frame (guint16 first_seq, guint32 ts, guint k)
{
  GPtrArray *frame
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint i;

  for (i = 0; i < k; i++)
    g_ptr_array_add (
        frame, media_packet (first_seq + i, ts, i + 1 == k,
                   i + 1 == k ? 301 + 13 * k : 1150 - (i % 3), first_seq + i));
  return frame;
}

static GPtrArray *
encode_frame (ArticFecEncoder *enc, GPtrArray *frame, gdouble overhead)
{
  GPtrArray *repairs
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint i;

  for (i = 0; i < frame->len; i++) {
    gsize size;
    const guint8 *data = g_bytes_get_data (frame->pdata[i], &size);

    artic_fec_encoder_add (enc, data, size, TRUE, overhead, repairs);
  }
  return repairs;
}

static void
test_repair_count (void)
{
  g_assert_cmpuint (artic_fec_repair_count (0, 0.5), ==, 0);
  g_assert_cmpuint (artic_fec_repair_count (1, 0.5), ==, 2);
  g_assert_cmpuint (artic_fec_repair_count (2, 0.5), ==, 2);
  g_assert_cmpuint (artic_fec_repair_count (7, 0.5), ==, 5);
  g_assert_cmpuint (artic_fec_repair_count (7, 0.0), ==, 1);
  g_assert_cmpuint (artic_fec_repair_count (7, -3), ==, 1);
  g_assert_cmpuint (artic_fec_repair_count (7, NAN), ==, 1);
  g_assert_cmpuint (
      artic_fec_repair_count (64, 1e300), ==, ARTIC_FEC_MAX_REPAIRS);
}

/* Feeds the packets of @frame and @repairs not in @lost (bit i: packet i of
 * the k + m, sources first) to a fresh decoder; returns what it rebuilt. */
static GPtrArray *
decode_with_losses (GPtrArray *frame, GPtrArray *repairs, guint64 lost,
    gboolean repairs_first, ArticFecDecoderStats *stats)
{
  ArticFecDecoder *dec = artic_fec_decoder_new ();
  GPtrArray *recovered
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint pass, i;

  for (pass = 0; pass < 2; pass++) {
    gboolean sources = (pass == 0) != repairs_first;
    GPtrArray *list = sources ? frame : repairs;
    guint offset = sources ? 0 : frame->len;

    for (i = 0; i < list->len; i++) {
      gsize size;
      const guint8 *data = g_bytes_get_data (list->pdata[i], &size);

      if (lost & (G_GUINT64_CONSTANT (1) << (offset + i)))
        continue;
      if (sources)
        artic_fec_decoder_add_media (dec, data, size, recovered);
      else
        g_assert_true (
            artic_fec_decoder_add_repair (dec, data, size, recovered, NULL));
    }
  }
  artic_fec_decoder_get_stats (dec, stats);
  artic_fec_decoder_free (dec);
  return recovered;
}

/* Every lost packet of @frame (bits of @lost) is in @recovered, and every
 * packet in @recovered is one of @frame's, byte for byte. With repairs
 * first, packets still on their way are rebuilt too (their originals are
 * then duplicates); otherwise exactly the lost ones. */
static void
assert_recovered (
    GPtrArray *frame, GPtrArray *recovered, guint64 lost, gboolean exact)
{
  guint i, j, n = 0;

  for (j = 0; j < recovered->len; j++) {
    gboolean found = FALSE;

    for (i = 0; i < frame->len; i++)
      found = found || g_bytes_equal (frame->pdata[i], recovered->pdata[j]);
    g_assert_true (found);
  }
  for (i = 0; i < frame->len; i++) {
    gboolean found = FALSE;

    if (!(lost & (G_GUINT64_CONSTANT (1) << i)))
      continue;
    n++;
    for (j = 0; j < recovered->len; j++)
      found = found || g_bytes_equal (frame->pdata[i], recovered->pdata[j]);
    g_assert_true (found);
  }
  if (exact)
    g_assert_cmpuint (recovered->len, ==, n);
}

/* Every loss pattern of up to m packets among the k + m of a 7-packet
 * frame (m = 5): each lost source comes back byte for byte, in either
 * arrival order; one more loss and nothing comes back (and nothing wrong
 * does). */
static void
test_round_trip (void)
{
  ArticFecEncoder *enc = artic_fec_encoder_new (FEC_SSRC, FEC_PT);
  GPtrArray *frame = media_frame (65533, 90000, 7); /* wraps */
  GPtrArray *repairs = encode_frame (enc, frame, 0.5);
  guint n = frame->len + repairs->len, patterns = 0;
  guint64 lost;

  g_assert_cmpuint (repairs->len, ==, 5);
  for (lost = 0; lost < (G_GUINT64_CONSTANT (1) << n); lost++) {
    guint losses = __builtin_popcountll (lost);
    guint lost_sources = __builtin_popcountll (lost & 0x7f);
    guint order;

    if (losses > repairs->len + 1 || lost_sources == 0)
      continue;
    for (order = 0; order < 2; order++) {
      ArticFecDecoderStats stats;
      GPtrArray *recovered
          = decode_with_losses (frame, repairs, lost, order == 1, &stats);

      if (losses <= repairs->len) {
        assert_recovered (frame, recovered, lost, order == 0);
        if (order == 0)
          g_assert_cmpuint (stats.recovered, ==, lost_sources);
      } else {
        g_assert_cmpuint (recovered->len, ==, 0);
      }
      g_assert_cmpuint (stats.inconsistent, ==, 0);
      g_ptr_array_unref (recovered);
    }
    patterns++;
  }
  g_assert_cmpuint (patterns, >, 1000);
  g_ptr_array_unref (repairs);
  g_ptr_array_unref (frame);
  artic_fec_encoder_free (enc);
}

static void
test_encoder_grouping (void)
{
  ArticFecEncoder *enc = artic_fec_encoder_new (FEC_SSRC, FEC_PT);
  GPtrArray *repairs
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GPtrArray *frame = media_frame (100, 1000, 3);
  ArticFecRepair repair;
  gsize size;
  const guint8 *data;
  guint i;

  /* Unprotected packets: nothing. */
  for (i = 0; i < frame->len; i++) {
    data = g_bytes_get_data (frame->pdata[i], &size);
    g_assert_cmpuint (
        artic_fec_encoder_add (enc, data, size, FALSE, 0.5, repairs), ==, 0);
  }
  /* A protected frame cut short by the next frame (no marker bit seen):
   * its repairs come with the first packet of the next one. */
  for (i = 0; i < 2; i++) {
    data = g_bytes_get_data (frame->pdata[i], &size);
    g_assert_cmpuint (
        artic_fec_encoder_add (enc, data, size, TRUE, 0.5, repairs), ==, 0);
  }
  g_ptr_array_unref (frame);
  frame = media_frame (102, 4000, 1);
  data = g_bytes_get_data (frame->pdata[0], &size);
  g_assert_cmpuint (
      artic_fec_encoder_add (enc, data, size, FALSE, 0.5, repairs), ==, 2);
  data = g_bytes_get_data (repairs->pdata[0], &size);
  g_assert_true (artic_fec_repair_parse (data, size, &repair, NULL));
  g_assert_cmpuint (repair.k, ==, 2);
  g_assert_cmpuint (repair.m, ==, 2);
  g_assert_cmpuint (repair.first_seq, ==, 100);
  g_assert_cmpuint (repair.media_ssrc, ==, SSRC);
  g_assert_cmpuint (repair.timestamp, ==, 1000);
  g_assert_cmpuint (repair.ssrc, ==, FEC_SSRC);
  g_assert_cmpuint (repair.payload_type, ==, FEC_PT);
  g_assert_cmpuint (repair.symbol_size, ==, 2 + 12 + 8 + 1150);
  data = g_bytes_get_data (repairs->pdata[1], &size);
  g_assert_true (artic_fec_repair_parse (data, size, &repair, NULL));
  g_assert_cmpuint (repair.index, ==, 1);
  g_assert_true (data[1] & 0x80); /* the group's last repair */
  g_ptr_array_unref (frame);

  /* A frame of 100 packets: groups of MAX_SOURCES. */
  g_ptr_array_set_size (repairs, 0);
  frame = media_frame (7, 8000, 100);
  g_ptr_array_unref (repairs);
  repairs = encode_frame (enc, frame, 0.1);
  g_assert_cmpuint (repairs->len, ==,
      artic_fec_repair_count (64, 0.1) + artic_fec_repair_count (36, 0.1));
  /* Not RTP: ignored. */
  g_assert_cmpuint (
      artic_fec_encoder_add (enc, (const guint8 *) "xx", 2, TRUE, 0.5, repairs),
      ==, 0);
  g_ptr_array_unref (frame);
  g_ptr_array_unref (repairs);
  artic_fec_encoder_free (enc);
}

static void
test_malformed (void)
{
  ArticFecEncoder *enc = artic_fec_encoder_new (FEC_SSRC, FEC_PT);
  GPtrArray *frame = media_frame (1, 1, 2);
  GPtrArray *repairs = encode_frame (enc, frame, 0.5);
  gsize size, cut;
  const guint8 *good = g_bytes_get_data (repairs->pdata[0], &size);
  guint8 *bad = g_malloc (size);
  ArticFecRepair repair;
  GError *error = NULL;
  ArticFecDecoder *dec = artic_fec_decoder_new ();
  GPtrArray *recovered
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  ArticFecDecoderStats stats;
  guint i;

  g_assert_true (artic_fec_repair_parse (good, size, &repair, NULL));
  /* Every truncation (exact-size copies, so an over-read is caught by
   * valgrind/ASan). */
  for (cut = 0; cut < size; cut++) {
    guint8 *copy = g_memdup2 (good, cut);

    g_assert_false (artic_fec_repair_parse (copy, cut, &repair, &error));
    g_assert_error (error, ARTIC_FEC_ERROR, ARTIC_FEC_ERROR_MALFORMED);
    g_clear_error (&error);
    g_free (copy);
  }
  /* Each field out of range (payload at 12: no extension on repairs). */
  {
    const struct
    {
      guint offset;
      guint8 value;
    } cases[] = {
      { 0, 0x40 },  /* RTP version 1 */
      { 0, 0x8f },  /* 15 CSRCs past the end */
      { 12, 2 },    /* format version */
      { 13, 0 },    /* k = 0 */
      { 13, 65 },   /* k > MAX_SOURCES */
      { 14, 0 },    /* m = 0 */
      { 14, 33 },   /* m > MAX_REPAIRS */
      { 15, 2 },    /* index >= m */
      { 18, 0 },    /* symbol size 0..255 */
      { 18, 0xff }, /* symbol size beyond the payload */
    };

    for (i = 0; i < G_N_ELEMENTS (cases); i++) {
      memcpy (bad, good, size);
      bad[cases[i].offset] = cases[i].value;
      g_assert_false (artic_fec_repair_parse (bad, size, &repair, &error));
      g_assert_error (error, ARTIC_FEC_ERROR, ARTIC_FEC_ERROR_MALFORMED);
      g_clear_error (&error);
      g_assert_false (
          artic_fec_decoder_add_repair (dec, bad, size, recovered, NULL));
    }
    /* Padding larger than the packet. */
    memcpy (bad, good, size);
    bad[0] |= 0x20;
    bad[size - 1] = 0xff;
    g_assert_false (artic_fec_repair_parse (bad, size, &repair, NULL));
  }
  artic_fec_decoder_get_stats (dec, &stats);
  g_assert_cmpuint (stats.malformed, ==, 10);
  g_assert_cmpuint (stats.repairs, ==, 0);

  /* A repair whose symbol was altered in the RTP header region: the
   * rebuilt packet does not check out (wrong SSRC/sequence) and is
   * dropped, not handed on. */
  memcpy (bad, good, size);
  bad[12 + ARTIC_FEC_HEADER_SIZE + 2 + 8] ^= 0x5a;
  {
    gsize size0;
    const guint8 *second = g_bytes_get_data (frame->pdata[1], &size0);

    artic_fec_decoder_add_media (dec, second, size0, recovered);
  }
  g_assert_true (
      artic_fec_decoder_add_repair (dec, bad, size, recovered, NULL));
  g_assert_cmpuint (recovered->len, ==, 0);
  artic_fec_decoder_get_stats (dec, &stats);
  g_assert_cmpuint (stats.inconsistent, ==, 1);

  /* Random bytes, as repairs and as media: refused or ignored, no crash. */
  for (i = 0; i < 20000; i++) {
    gsize n = g_random_int_range (0, 64);
    guint8 junk[64];
    gsize j;

    for (j = 0; j < n; j++)
      junk[j] = g_random_int_range (0, 256);
    if (n > 0 && (i & 1))
      junk[0] = 0x80;
    artic_fec_decoder_add_repair (dec, junk, n, recovered, NULL);
    artic_fec_decoder_add_media (dec, junk, n, recovered);
  }
  g_free (bad);
  g_ptr_array_unref (recovered);
  artic_fec_decoder_free (dec);
  g_ptr_array_unref (repairs);
  g_ptr_array_unref (frame);
  artic_fec_encoder_free (enc);
}

/* A stream of frames through a seeded 10 % Bernoulli loss: every frame
 * whose losses the repairs cover comes back whole; duplicates and late
 * repairs of finished groups change nothing. */
static void
test_stream (void)
{
  ArticFecEncoder *enc = artic_fec_encoder_new (FEC_SSRC, FEC_PT);
  ArticFecDecoder *dec = artic_fec_decoder_new ();
  GRand *rand = g_rand_new_with_seed (7);
  guint frames_whole = 0, frames_without_fec = 0, f;
  guint16 seq = 40000;
  ArticFecDecoderStats stats;

  for (f = 0; f < 300; f++) {
    GPtrArray *frame = media_frame (seq, f * 3000, 7);
    GPtrArray *repairs = encode_frame (enc, frame, 0.5);
    GPtrArray *recovered
        = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    guint i, arrived = 0;

    for (i = 0; i < frame->len + repairs->len; i++) {
      gboolean is_source = i < frame->len;
      GBytes *p = is_source ? frame->pdata[i] : repairs->pdata[i - frame->len];
      gsize size;
      const guint8 *data = g_bytes_get_data (p, &size);

      if (g_rand_double (rand) < 0.1)
        continue;
      if (is_source) {
        arrived++;
        artic_fec_decoder_add_media (dec, data, size, recovered);
      } else {
        artic_fec_decoder_add_repair (dec, data, size, recovered, NULL);
        /* A duplicate repair. */
        artic_fec_decoder_add_repair (dec, data, size, recovered, NULL);
      }
    }
    frames_without_fec += arrived == frame->len;
    if (arrived + recovered->len == frame->len) {
      assert_recovered (frame, recovered, 0, FALSE);
      frames_whole++;
    }
    seq += frame->len;
    g_ptr_array_unref (recovered);
    g_ptr_array_unref (repairs);
    g_ptr_array_unref (frame);
  }
  artic_fec_decoder_get_stats (dec, &stats);
  g_test_message ("whole frames: %u of 300 with FEC, %u without", frames_whole,
      frames_without_fec);
  /* 7 packets: whole 48 % of the time without FEC; with 5 repairs lost
   * beyond repair (> 5 of 12) 0.0005 % of the time. */
  g_assert_cmpuint (frames_without_fec, <, 200);
  g_assert_cmpuint (frames_whole, >=, 299);
  g_assert_cmpuint (stats.inconsistent, ==, 0);
  g_rand_free (rand);
  artic_fec_decoder_free (dec);
  artic_fec_encoder_free (enc);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fec/repair-count", test_repair_count);
  g_test_add_func ("/fec/round-trip", test_round_trip);
  g_test_add_func ("/fec/encoder-grouping", test_encoder_grouping);
  g_test_add_func ("/fec/malformed", test_malformed);
  g_test_add_func ("/fec/stream", test_stream);
  return g_test_run ();
}
