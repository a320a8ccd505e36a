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

/* First-byte demultiplexing of one UDP 5-tuple (RFC 7983, updated by
 * RFC 9443), as WebRTC does it, with RTP and RTCP told apart by the
 * payload-type byte (RFC 5761), and the project's own framing for SCTP.
 *
 * SCTP framing: WebRTC carries SCTP inside DTLS. artic keys its media with
 * SRTP keys sent over authenticated signaling and runs no DTLS, so SCTP
 * packets go on the 5-tuple directly, behind one marker byte:
 *
 *   +------+---------------------------------------+
 *   | 0x0A | SCTP common header + chunks (RFC 9260) |
 *   +------+---------------------------------------+
 *
 * 0x0A lies in 4..15, which RFC 9443 leaves unassigned and tells
 * demultiplexers to drop: a standard endpoint that shares the 5-tuple
 * discards these packets instead of misreading them, and no STUN, DTLS, RTP
 * or QUIC packet can start with it.
 *
 * 0x0B marks the encrypted framing: the SCTP packet travels inside an SRTCP
 * packet (see artic-peer-session.h); the other values of 4..15 classify as
 * ARTIC_DEMUX_RESERVED. */

#ifndef ARTIC_DEMUX_H
#define ARTIC_DEMUX_H

#include <glib.h>

G_BEGIN_DECLS

#define ARTIC_DEMUX_SCTP_MARKER 0x0A
#define ARTIC_DEMUX_SCTP_ENCRYPTED_MARKER 0x0B
/* Marker byte + SCTP common header. */
#define ARTIC_DEMUX_SCTP_MIN_LEN (1 + 12)
/* Marker byte + the smallest SRTCP packet (8-byte header, 4-byte index,
 * 10-byte tag). */
#define ARTIC_DEMUX_SCTP_ENCRYPTED_MIN_LEN (1 + 8 + 4 + 10)

typedef enum
{
  ARTIC_DEMUX_INVALID,        /* empty, truncated, or fails its kind's checks */
  ARTIC_DEMUX_STUN,           /* 0..3, with the RFC 5389 magic cookie */
  ARTIC_DEMUX_ZRTP,           /* 16..19 */
  ARTIC_DEMUX_DTLS,           /* 20..63, DTLS record header */
  ARTIC_DEMUX_TURN_CHANNEL,   /* 64..79, ChannelData header */
  ARTIC_DEMUX_QUIC,           /* 80..127, 192..255 (RFC 9443) */
  ARTIC_DEMUX_RTP,            /* 128..191, second byte not 192..223 */
  ARTIC_DEMUX_RTCP,           /* 128..191, second byte 192..223 */
  ARTIC_DEMUX_SCTP,           /* ARTIC_DEMUX_SCTP_MARKER + SCTP packet */
  ARTIC_DEMUX_RESERVED,       /* 4..15 other than the SCTP markers */
  ARTIC_DEMUX_SCTP_ENCRYPTED, /* 0x0B + SRTCP packet carrying SCTP */
} ArticDemuxKind;

/* Classifies one datagram. Every kind's minimum header is checked against
 * @length, so a caller may read that header once the kind is known:
 * STUN 20 bytes and a length field that matches, DTLS 13 bytes, TURN
 * ChannelData 4 bytes and a length that fits, RTP 12 bytes plus CSRCs and
 * extension header, RTCP 8 bytes and a first-packet length that fits,
 * SCTP ARTIC_DEMUX_SCTP_MIN_LEN. */
ArticDemuxKind artic_demux_classify (const guint8 *data, gsize length);

/* A short lowercase name ("rtp", "sctp", ...). */
const gchar *artic_demux_kind_name (ArticDemuxKind kind);

/* Writes the SCTP framing of @sctp into @out. Returns the framed length, or
 * 0 if @out_size is too small or @sctp is shorter than an SCTP common
 * header. @out and @sctp must not overlap. */
gsize artic_demux_sctp_frame (
    guint8 *out, gsize out_size, const guint8 *sctp, gsize sctp_length);

/* The SCTP packet inside a framed datagram, or NULL if @data is not one. */
const guint8 *artic_demux_sctp_payload (
    const guint8 *data, gsize length, gsize *sctp_length);

G_END_DECLS

#endif /* ARTIC_DEMUX_H */
