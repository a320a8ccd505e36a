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

/* RTCP as artic's feedback path reads and writes it: the receiver's report
 * on the media stream (RFC 3550 SR/RR report blocks: loss fraction),
 * key-frame requests (RFC 4585 PLI, RFC 5104 FIR) and artic's frame
 * acknowledgement, an application-layer feedback message (RFC 4585 section
 * 6.4, PSFB FMT 15), together with the frame mark the sender puts in an RTP
 * header extension. Plain C, no GStreamer: the parser sees bytes from the
 * network and checks every length before it reads.
 *
 * Frame mark (RTP header extension, one-byte form, ID
 * ARTIC_RTP_EXT_ID_FRAME_MARK, 3 bytes):
 *
 *    0                   1                   2
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |        frame id (16)          |  flags (8)    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * frame id: the encoder's frame counter (wraps at 65536). flags: 0x01 key
 * frame, 0x02 long-term (the frame is kept in a long-term buffer: the
 * receiver acknowledges it once decoded from an intact chain), 0x04
 * recovery point (the frame references only a long-term frame the receiver
 * acknowledged: a complete one restores the chain). Other bits are zero
 * and ignored.
 *
 * Acknowledgement (PSFB, PT 206, FMT 15, RFC 4585 section 6.4):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |V=2|P| FMT=15  |    PT=206     |             length            |
 *   |                  SSRC of packet sender                        |
 *   |                  SSRC of media source                         |
 *   |      'A'      |      'R'      |      'T'      |      'K'      |
 *   |   newest intact frame id      |       N       |    flags      |
 *   |        frame id 1             |        frame id 2             |
 *   :  ...  N frame ids, zero-padded to a multiple of 32 bits       :
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The N ids (at most ARTIC_RTCP_MAX_ACKED, newest first) are long-term or
 * key frames the receiver decoded from an intact chain; each ack repeats
 * the most recent ones, so a lost RTCP packet costs nothing. flags: 0x01 =
 * "newest intact frame id" is valid. */

#ifndef ARTIC_RTCP_H
#define ARTIC_RTCP_H

#include <glib.h>

G_BEGIN_DECLS

#define ARTIC_RTCP_ERROR (artic_rtcp_error_quark ())
GQuark artic_rtcp_error_quark (void);

typedef enum
{
  ARTIC_RTCP_ERROR_MALFORMED,
} ArticRtcpError;

#define ARTIC_RTCP_TYPE_SR 200
#define ARTIC_RTCP_TYPE_RR 201
#define ARTIC_RTCP_TYPE_RTPFB 205
#define ARTIC_RTCP_TYPE_PSFB 206
#define ARTIC_RTCP_PSFB_PLI 1
#define ARTIC_RTCP_PSFB_FIR 4
#define ARTIC_RTCP_PSFB_AFB 15

/* The acknowledgement's AFB identifier. */
#define ARTIC_RTCP_ACK_ID "ARTK"
#define ARTIC_RTCP_MAX_ACKED 16
#define ARTIC_RTCP_ACK_FLAG_NEWEST 0x01

#define ARTIC_FRAME_MARK_SIZE 3
#define ARTIC_FRAME_MARK_KEY 0x01
#define ARTIC_FRAME_MARK_LONG_TERM 0x02
#define ARTIC_FRAME_MARK_RECOVERY 0x04

typedef struct
{
  guint16 frame_id;
  guint8 flags;
} ArticFrameMark;

typedef struct
{
  gboolean have_newest;
  guint16 newest; /* newest frame decoded from an intact chain */
  guint n_acked;
  guint16 acked[ARTIC_RTCP_MAX_ACKED]; /* long-term/key frames, newest first */
} ArticRtcpAck;

/* What one compound RTCP packet says about the media stream. */
typedef struct
{
  guint packets; /* RTCP packets in the compound */
  gboolean have_report;
  guint32 reporter_ssrc;
  guint8 fraction_lost; /* of 256, since the reporter's previous report */
  gint32 cumulative_lost;
  guint32 highest_seq;
  guint32 jitter;
  guint pli;
  guint fir;
  guint acks;       /* acknowledgement packets */
  ArticRtcpAck ack; /* the last of them */
} ArticRtcpFeedback;

/* Parses a compound RTCP packet (or a reduced-size one, RFC 5506). Only
 * report blocks and feedback about @media_ssrc count (0: about any source).
 * Unknown packet types and feedback messages are skipped. FALSE with
 * @error for a malformed compound (bad version, a length that overruns,
 * misplaced or impossible padding, report blocks or FCI that do not fit);
 * @feedback is then zeroed. */
gboolean artic_rtcp_parse (const guint8 *data, gsize size, guint32 media_ssrc,
    ArticRtcpFeedback *feedback, GError **error);

/* The acknowledgement's FCI (from the identifier on). Returns its size in
 * bytes (a multiple of 4), or 0 if @size is too small or @ack holds more
 * than ARTIC_RTCP_MAX_ACKED ids. */
gsize artic_rtcp_ack_fci_write (
    guint8 *fci, gsize size, const ArticRtcpAck *ack);
/* A whole acknowledgement packet (header, SSRCs, FCI); 0 if it does not
 * fit. */
gsize artic_rtcp_ack_write (guint8 *out, gsize size, guint32 sender_ssrc,
    guint32 media_ssrc, const ArticRtcpAck *ack);

/* Adds @frame_id in front of @ack's list (dropping the oldest beyond
 * ARTIC_RTCP_MAX_ACKED; an id already there moves to the front). */
void artic_rtcp_ack_add (ArticRtcpAck *ack, guint16 frame_id);

gsize artic_frame_mark_write (
    guint8 *out, gsize size, const ArticFrameMark *mark);
/* FALSE unless @size is exactly ARTIC_FRAME_MARK_SIZE. */
gboolean artic_frame_mark_read (
    const guint8 *data, gsize size, ArticFrameMark *mark);

G_END_DECLS

#endif /* ARTIC_RTCP_H */
