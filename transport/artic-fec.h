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

/* Forward error correction for the packets of the frames that matter most
 * (key frames, long-term references), so that they survive a few lost
 * packets without a round trip (docs/fec.md).
 *
 * The code is a systematic Reed-Solomon erasure code over GF(2^8) with a
 * Cauchy generator: k source packets (consecutive sequence numbers of one
 * SSRC) and m repair packets; any k of the k + m recover all k sources.
 * A source symbol is the whole RTP packet as sent (header, extensions,
 * payload) prefixed with its 16-bit length and zero-padded to the group's
 * symbol size; a recovered packet is that packet, byte for byte.
 *
 * A repair packet is an RTP packet of its own SSRC and sequence numbers,
 * payload type ARTIC_RTP_PT_FEC, the protected frame's RTP timestamp,
 * marker bit on the group's last repair, and this payload:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  version = 1  |       k       |       m       |     index     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     first source sequence     |          symbol size          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      SSRC of the sources                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :                 repair symbol (symbol size bytes)             :
 *
 * Its own SSRC keeps the media's sequence numbers (and an SRTP session's
 * replay window) untouched. Plain GLib: the elements articfecenc and
 * articfecdec wrap it. */

#ifndef ARTIC_FEC_H
#define ARTIC_FEC_H

#include <glib.h>

G_BEGIN_DECLS

#define ARTIC_FEC_VERSION 1
#define ARTIC_FEC_HEADER_SIZE 12
/* Sources per group and repairs per group. */
#define ARTIC_FEC_MAX_SOURCES 64
#define ARTIC_FEC_MAX_REPAIRS 32
/* The largest protected RTP packet. */
#define ARTIC_FEC_MAX_PACKET 2048
#define ARTIC_FEC_MAX_SYMBOL (ARTIC_FEC_MAX_PACKET + 2)

#define ARTIC_FEC_ERROR (artic_fec_error_quark ())
GQuark artic_fec_error_quark (void);

typedef enum
{
  ARTIC_FEC_ERROR_MALFORMED, /* not a repair packet of this format */
} ArticFecError;

/* A parsed repair packet; @symbol points into the parsed data. */
typedef struct
{
  guint32 ssrc; /* the repair stream's own */
  guint16 seq;
  guint32 timestamp;
  guint8 payload_type;
  guint8 k, m, index;
  guint16 first_seq;
  guint16 symbol_size;
  guint32 media_ssrc;
  const guint8 *symbol;
} ArticFecRepair;

/* Checks the RTP header (version 2, CSRCs, extension and padding within the
 * packet) and the repair header (version, 1 <= k <= MAX_SOURCES,
 * 1 <= m <= MAX_REPAIRS, index < m, 14 <= symbol size <= MAX_SYMBOL, the
 * symbol complete). */
gboolean artic_fec_repair_parse (
    const guint8 *data, gsize size, ArticFecRepair *repair, GError **error);

/* Repairs for a frame of @k packets: ceil(k * overhead) + 1, at most
 * ARTIC_FEC_MAX_REPAIRS (0 for k = 0). */
guint artic_fec_repair_count (guint k, gdouble overhead);

/* ---- Sender ---- */

typedef struct _ArticFecEncoder ArticFecEncoder;

ArticFecEncoder *artic_fec_encoder_new (guint32 ssrc, guint8 payload_type);
void artic_fec_encoder_free (ArticFecEncoder *enc);

/* One outgoing media RTP packet, in sending order. @protect: it belongs
 * to a frame worth protecting (the same for all packets of a frame),
 * with @overhead repairs per source packet (artic_fec_repair_count). The
 * packets of a protected frame are kept; when the frame ends (marker bit,
 * or a packet of another frame / stream / out of sequence comes first,
 * or MAX_SOURCES are reached), its repair packets are appended to
 * @repairs (GBytes). Packets that are not RTP are ignored. Returns the
 * number of repair packets appended. */
guint artic_fec_encoder_add (ArticFecEncoder *enc, const guint8 *packet,
    gsize size, gboolean protect, gdouble overhead, GPtrArray *repairs);

/* ---- Receiver ---- */

typedef struct
{
  guint64 repairs;      /* repair packets taken */
  guint64 malformed;    /* repair packets refused */
  guint64 recovered;    /* media packets rebuilt */
  guint64 inconsistent; /* rebuilt packets that did not check out, dropped */
  guint64 groups_whole; /* groups whose sources all arrived */
  guint64 groups_lost;  /* groups given up with sources missing */
} ArticFecDecoderStats;

typedef struct _ArticFecDecoder ArticFecDecoder;

ArticFecDecoder *artic_fec_decoder_new (void);
void artic_fec_decoder_free (ArticFecDecoder *dec);

/* A media RTP packet as received. Packets it lets a waiting group rebuild
 * are appended to @recovered (GBytes, whole RTP packets). */
void artic_fec_decoder_add_media (ArticFecDecoder *dec, const guint8 *packet,
    gsize size, GPtrArray *recovered);
/* A repair packet; FALSE (and counted) if malformed. */
gboolean artic_fec_decoder_add_repair (ArticFecDecoder *dec,
    const guint8 *packet, gsize size, GPtrArray *recovered, GError **error);
void artic_fec_decoder_get_stats (
    const ArticFecDecoder *dec, ArticFecDecoderStats *stats);

G_END_DECLS

#endif /* ARTIC_FEC_H */
