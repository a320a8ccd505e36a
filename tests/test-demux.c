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

/* RFC 7983/9443 first-byte table, RFC 5761 RTP/RTCP split, bounds checks,
 * and the SCTP framing. */

#include <string.h>

#include "artic-demux.h"

/* A packet of @length bytes that is valid for the kind its first byte
 * selects, so that the table test sees the first byte decide alone. */
static gsize
make_valid (guint8 *buf, guint8 first, guint8 second)
{
  memset (buf, 0, 64);
  buf[0] = first;
  buf[1] = second;
  if (first <= 3) {
    /* STUN binding request, no attributes */
    buf[4] = 0x21;
    buf[5] = 0x12;
    buf[6] = 0xa4;
    buf[7] = 0x42;
    return 20;
  }
  if (first >= 20 && first <= 63) {
    buf[1] = 254;
    buf[2] = 253;
    buf[12] = 4; /* 4 bytes of record body */
    return 17;
  }
  if (first >= 64 && first <= 79) {
    buf[3] = 8;
    return 12;
  }
  if (first == ARTIC_DEMUX_SCTP_ENCRYPTED_MARKER)
    return ARTIC_DEMUX_SCTP_ENCRYPTED_MIN_LEN;
  if (first >= 128 && first <= 191) {
    buf[0] = first & 0xe0; /* no CSRCs, no extension */
    buf[3] = 3;            /* RTCP: 16 bytes */
    return 16;
  }
  return 16;
}

static void
test_first_byte_table (void)
{
  guint b;

  for (b = 0; b < 256; b++) {
    guint8 buf[64];
    gsize len = make_valid (buf, (guint8) b, 96);
    ArticDemuxKind kind = artic_demux_classify (buf, len), want;

    if (b <= 3)
      want = ARTIC_DEMUX_STUN;
    else if (b == ARTIC_DEMUX_SCTP_MARKER)
      want = ARTIC_DEMUX_SCTP;
    else if (b == ARTIC_DEMUX_SCTP_ENCRYPTED_MARKER)
      want = ARTIC_DEMUX_SCTP_ENCRYPTED;
    else if (b <= 15)
      want = ARTIC_DEMUX_RESERVED;
    else if (b <= 19)
      want = ARTIC_DEMUX_ZRTP;
    else if (b <= 63)
      want = ARTIC_DEMUX_DTLS;
    else if (b <= 79)
      want = ARTIC_DEMUX_TURN_CHANNEL;
    else if (b <= 127)
      want = ARTIC_DEMUX_QUIC;
    else if (b <= 191)
      want = ARTIC_DEMUX_RTP;
    else
      want = ARTIC_DEMUX_QUIC;
    if (kind != want)
      g_error ("first byte %u: got %s, want %s", b,
          artic_demux_kind_name (kind), artic_demux_kind_name (want));
  }
}

static void
test_rtp_rtcp_split (void)
{
  guint pt;

  /* Second byte 192..223 is RTCP (SR 200, RR 201, SDES 202, BYE 203, APP
   * 204, RTPFB 205, PSFB 206, XR 207); everything else is RTP, marker bit
   * included. */
  for (pt = 0; pt < 256; pt++) {
    guint8 buf[64];
    gsize len = make_valid (buf, 0x80, (guint8) pt);
    ArticDemuxKind kind = artic_demux_classify (buf, len);

    if (pt >= 192 && pt <= 223)
      g_assert_cmpint (kind, ==, ARTIC_DEMUX_RTCP);
    else
      g_assert_cmpint (kind, ==, ARTIC_DEMUX_RTP);
  }
}

static void
test_bounds (void)
{
  guint8 buf[128] = { 0 };
  gsize len, i;

  g_assert_cmpint (artic_demux_classify (NULL, 10), ==, ARTIC_DEMUX_INVALID);
  g_assert_cmpint (artic_demux_classify (buf, 0), ==, ARTIC_DEMUX_INVALID);

  /* Every truncation of a valid packet of each checked kind is invalid. */
  {
    const guint8 firsts[]
        = { 0x00, 0x01, 22, 64, 0x80, 0x80, ARTIC_DEMUX_SCTP_MARKER, 16 };
    const guint8 seconds[] = { 1, 1, 0, 0, 96, 200, 0, 0 };

    for (i = 0; i < G_N_ELEMENTS (firsts); i++) {
      gsize cut, full_len;
      ArticDemuxKind full;

      full_len = make_valid (buf, firsts[i], seconds[i]);
      full = artic_demux_classify (buf, full_len);
      g_assert_cmpint (full, !=, ARTIC_DEMUX_INVALID);
      /* STUN, DTLS, TURN, RTCP carry their own length: every shorter
       * datagram is invalid. RTP, SCTP, ZRTP: shorter than the header. */
      for (cut = 1; cut < full_len; cut++) {
        ArticDemuxKind k = artic_demux_classify (buf, cut);

        if (full == ARTIC_DEMUX_RTP && cut >= 12)
          continue;
        if ((full == ARTIC_DEMUX_SCTP || full == ARTIC_DEMUX_ZRTP)
            && cut >= 12 + (full == ARTIC_DEMUX_SCTP))
          continue;
        if (k != ARTIC_DEMUX_INVALID)
          g_error ("kind %s cut to %" G_GSIZE_FORMAT " bytes: %s",
              artic_demux_kind_name (full), cut, artic_demux_kind_name (k));
      }
    }
  }

  /* STUN: wrong cookie, length not a multiple of 4, length mismatch. */
  len = make_valid (buf, 0x00, 0x01);
  buf[7] = 0x43;
  g_assert_cmpint (artic_demux_classify (buf, len), ==, ARTIC_DEMUX_INVALID);
  len = make_valid (buf, 0x00, 0x01);
  buf[3] = 2;
  g_assert_cmpint (
      artic_demux_classify (buf, len + 2), ==, ARTIC_DEMUX_INVALID);
  buf[3] = 4;
  g_assert_cmpint (artic_demux_classify (buf, len + 4), ==, ARTIC_DEMUX_STUN);
  g_assert_cmpint (
      artic_demux_classify (buf, len + 8), ==, ARTIC_DEMUX_INVALID);

  /* DTLS: not DTLS version, record longer than the datagram. */
  len = make_valid (buf, 22, 0);
  buf[1] = 3; /* TLS, not DTLS */
  g_assert_cmpint (artic_demux_classify (buf, len), ==, ARTIC_DEMUX_INVALID);
  len = make_valid (buf, 22, 0);
  buf[12] = 200;
  g_assert_cmpint (artic_demux_classify (buf, len), ==, ARTIC_DEMUX_INVALID);

  /* TURN ChannelData longer than the datagram. */
  len = make_valid (buf, 0x40, 0);
  buf[3] = 9;
  g_assert_cmpint (artic_demux_classify (buf, len), ==, ARTIC_DEMUX_INVALID);

  /* RTP: 15 CSRCs in a 20-byte packet; extension header beyond the end;
   * extension length beyond the end. */
  len = make_valid (buf, 0x80, 96);
  buf[0] = 0x8f;
  g_assert_cmpint (artic_demux_classify (buf, 20), ==, ARTIC_DEMUX_INVALID);
  g_assert_cmpint (artic_demux_classify (buf, 71), ==, ARTIC_DEMUX_INVALID);
  g_assert_cmpint (artic_demux_classify (buf, 72), ==, ARTIC_DEMUX_RTP);
  memset (buf, 0, sizeof (buf));
  buf[0] = 0x90;
  buf[1] = 96;
  g_assert_cmpint (artic_demux_classify (buf, 14), ==, ARTIC_DEMUX_INVALID);
  g_assert_cmpint (artic_demux_classify (buf, 16), ==, ARTIC_DEMUX_RTP);
  buf[15] = 2; /* 8 bytes of extension */
  g_assert_cmpint (artic_demux_classify (buf, 23), ==, ARTIC_DEMUX_INVALID);
  g_assert_cmpint (artic_demux_classify (buf, 24), ==, ARTIC_DEMUX_RTP);

  /* RTCP length field beyond the datagram. */
  len = make_valid (buf, 0x80, 201);
  buf[3] = 100;
  g_assert_cmpint (artic_demux_classify (buf, len), ==, ARTIC_DEMUX_INVALID);
  /* ... but an SRTCP trailer after the compound is fine. */
  buf[3] = 1;
  g_assert_cmpint (artic_demux_classify (buf, 30), ==, ARTIC_DEMUX_RTCP);
}

static void
test_sctp_framing (void)
{
  guint8 sctp[28], framed[64];
  const guint8 *inner;
  gsize n, inner_len = 0, i;

  for (i = 0; i < sizeof (sctp); i++)
    sctp[i] = (guint8) (0x13 + i); /* source port 0x1314 */
  n = artic_demux_sctp_frame (framed, sizeof (framed), sctp, sizeof (sctp));
  g_assert_cmpuint (n, ==, sizeof (sctp) + 1);
  g_assert_cmpuint (framed[0], ==, ARTIC_DEMUX_SCTP_MARKER);
  g_assert_cmpint (artic_demux_classify (framed, n), ==, ARTIC_DEMUX_SCTP);
  inner = artic_demux_sctp_payload (framed, n, &inner_len);
  g_assert_nonnull (inner);
  g_assert_cmpmem (inner, inner_len, sctp, sizeof (sctp));

  /* Unframed SCTP (first byte = high byte of the source port) is not
   * taken for SCTP. */
  g_assert_null (artic_demux_sctp_payload (sctp, sizeof (sctp), &inner_len));
  /* Output too small, input shorter than a common header. */
  g_assert_cmpuint (artic_demux_sctp_frame (framed, 28, sctp, 28), ==, 0);
  g_assert_cmpuint (artic_demux_sctp_frame (framed, 64, sctp, 11), ==, 0);
  g_assert_cmpuint (artic_demux_sctp_frame (framed, 0, sctp, 28), ==, 0);
  /* The encrypted framing is its own kind, and needs a whole SRTCP
   * packet behind the marker. */
  framed[0] = ARTIC_DEMUX_SCTP_ENCRYPTED_MARKER;
  g_assert_cmpint (
      artic_demux_classify (framed, n), ==, ARTIC_DEMUX_SCTP_ENCRYPTED);
  g_assert_cmpint (artic_demux_classify (framed, 22), ==, ARTIC_DEMUX_INVALID);
  g_assert_cmpint (
      artic_demux_classify (framed, 23), ==, ARTIC_DEMUX_SCTP_ENCRYPTED);
  g_assert_null (artic_demux_sctp_payload (framed, n, &inner_len));
  framed[0] = 0x0c;
  g_assert_cmpint (artic_demux_classify (framed, n), ==, ARTIC_DEMUX_RESERVED);
  g_assert_cmpstr (artic_demux_kind_name (ARTIC_DEMUX_SCTP), ==, "sctp");
  g_assert_cmpstr (
      artic_demux_kind_name (ARTIC_DEMUX_SCTP_ENCRYPTED), ==, "sctp-encrypted");
  g_assert_cmpstr (artic_demux_kind_name (99), ==, "unknown");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/demux/first-byte-table", test_first_byte_table);
  g_test_add_func ("/demux/rtp-rtcp-split", test_rtp_rtcp_split);
  g_test_add_func ("/demux/bounds", test_bounds);
  g_test_add_func ("/demux/sctp-framing", test_sctp_framing);
  return g_test_run ();
}
