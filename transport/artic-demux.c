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

/* RFC 7983/9443 demultiplexing; see artic-demux.h for the SCTP framing. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "artic-bytes.h"
#include "artic-demux.h"

#define STUN_HEADER_LEN 20
#define STUN_MAGIC_COOKIE 0x2112A442u
#define DTLS_HEADER_LEN 13
#define TURN_CHANNEL_HEADER_LEN 4
#define RTP_HEADER_LEN 12
#define RTCP_HEADER_LEN 8
#define SCTP_COMMON_HEADER_LEN 12
#define ZRTP_MIN_LEN 12

static ArticDemuxKind
classify_stun (const guint8 *data, gsize length)
{
  guint16 body;

  /* A STUN message over UDP is exactly header + body, and the body is a
   * whole number of 4-byte attributes. */
  if (length < STUN_HEADER_LEN
      || artic_be_read32 (data + 4) != STUN_MAGIC_COOKIE)
    return ARTIC_DEMUX_INVALID;
  body = artic_be_read16 (data + 2);
  if ((body & 3) != 0 || (gsize) body + STUN_HEADER_LEN != length)
    return ARTIC_DEMUX_INVALID;
  return ARTIC_DEMUX_STUN;
}

static ArticDemuxKind
classify_dtls (const guint8 *data, gsize length)
{
  /* Record header: type, version (major 254 for every DTLS version),
   * epoch, sequence, length. */
  if (length < DTLS_HEADER_LEN || data[1] != 254)
    return ARTIC_DEMUX_INVALID;
  if ((gsize) artic_be_read16 (data + 11) + DTLS_HEADER_LEN > length)
    return ARTIC_DEMUX_INVALID;
  return ARTIC_DEMUX_DTLS;
}

static ArticDemuxKind
classify_turn_channel (const guint8 *data, gsize length)
{
  if (length < TURN_CHANNEL_HEADER_LEN)
    return ARTIC_DEMUX_INVALID;
  if ((gsize) artic_be_read16 (data + 2) + TURN_CHANNEL_HEADER_LEN > length)
    return ARTIC_DEMUX_INVALID;
  return ARTIC_DEMUX_TURN_CHANNEL;
}

static ArticDemuxKind
classify_rtp_rtcp (const guint8 *data, gsize length)
{
  gsize header;

  if (length < 2)
    return ARTIC_DEMUX_INVALID;
  /* RFC 5761 section 4: RTCP packet types 192..223 share the byte with
   * marker bit + payload type; RTP payload types 64..95 are therefore not
   * used on a multiplexed 5-tuple. */
  if (data[1] >= 192 && data[1] <= 223) {
    /* The first RTCP packet of a compound must fit; SRTCP adds a trailer
     * after the compound, so the datagram may be longer. */
    if (length < RTCP_HEADER_LEN
        || 4 * ((gsize) artic_be_read16 (data + 2) + 1) > length)
      return ARTIC_DEMUX_INVALID;
    return ARTIC_DEMUX_RTCP;
  }
  if (length < RTP_HEADER_LEN)
    return ARTIC_DEMUX_INVALID;
  header = RTP_HEADER_LEN + 4 * (gsize) (data[0] & 0x0f);
  if (data[0] & 0x10) {
    if (header + 4 > length)
      return ARTIC_DEMUX_INVALID;
    header += 4 + 4 * (gsize) artic_be_read16 (data + header + 2);
  }
  if (header > length)
    return ARTIC_DEMUX_INVALID;
  return ARTIC_DEMUX_RTP;
}

ArticDemuxKind
artic_demux_classify (const guint8 *data, gsize length)
{
  guint8 b;

  if (data == NULL || length == 0)
    return ARTIC_DEMUX_INVALID;
  b = data[0];
  if (b <= 3)
    return classify_stun (data, length);
  if (b == ARTIC_DEMUX_SCTP_MARKER)
    return length >= ARTIC_DEMUX_SCTP_MIN_LEN ? ARTIC_DEMUX_SCTP
                                              : ARTIC_DEMUX_INVALID;
  if (b == ARTIC_DEMUX_SCTP_ENCRYPTED_MARKER)
    return length >= ARTIC_DEMUX_SCTP_ENCRYPTED_MIN_LEN
               ? ARTIC_DEMUX_SCTP_ENCRYPTED
               : ARTIC_DEMUX_INVALID;
  if (b <= 15)
    return ARTIC_DEMUX_RESERVED;
  if (b <= 19)
    return length >= ZRTP_MIN_LEN ? ARTIC_DEMUX_ZRTP : ARTIC_DEMUX_INVALID;
  if (b <= 63)
    return classify_dtls (data, length);
  if (b <= 79)
    return classify_turn_channel (data, length);
  if (b <= 127)
    return ARTIC_DEMUX_QUIC;
  if (b <= 191)
    return classify_rtp_rtcp (data, length);
  return ARTIC_DEMUX_QUIC;
}

const gchar *
artic_demux_kind_name (ArticDemuxKind kind)
{
  static const gchar *const names[]
      = { "invalid", "stun", "zrtp", "dtls", "turn-channel", "quic", "rtp",
          "rtcp", "sctp", "reserved", "sctp-encrypted" };

  if ((guint) kind < G_N_ELEMENTS (names))
    return names[kind];
  return "unknown";
}

gsize
artic_demux_sctp_frame (
    guint8 *out, gsize out_size, const guint8 *sctp, gsize sctp_length)
{
  if (out == NULL || sctp == NULL || sctp_length < SCTP_COMMON_HEADER_LEN
      || out_size < 1 || out_size - 1 < sctp_length)
    return 0;
  out[0] = ARTIC_DEMUX_SCTP_MARKER;
  memcpy (out + 1, sctp, sctp_length);
  return sctp_length + 1;
}

const guint8 *
artic_demux_sctp_payload (const guint8 *data, gsize length, gsize *sctp_length)
{
  if (artic_demux_classify (data, length) != ARTIC_DEMUX_SCTP)
    return NULL;
  *sctp_length = length - 1;
  return data + 1;
}
