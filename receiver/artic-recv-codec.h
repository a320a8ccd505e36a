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

#ifndef __ARTIC_RECV_CODEC_H__
#define __ARTIC_RECV_CODEC_H__

#include <glib.h>

#include "artic-rtp.h"

G_BEGIN_DECLS

/* The dynamic RTP payload types artic-send uses (see docs/sender.md). */

typedef enum
{
  ARTIC_RECV_CODEC_VP8,
  ARTIC_RECV_CODEC_VP9,
  ARTIC_RECV_CODEC_H264,
} ArticRecvCodec;

gboolean artic_recv_codec_parse (
    const gchar *name, ArticRecvCodec *codec, GError **error);
const gchar *artic_recv_codec_name (ArticRecvCodec codec);
guint artic_recv_codec_payload_type (ArticRecvCodec codec);
/* The receiving half of the pipeline, ending in "DECODER name=dec":
 * "udpsrc name=netsrc ! articrtcpdemux name=netdemux", RTP through
 * "capsfilter name=src caps=..." into "rtpsession name=session" and
 * "rtpjitterbuffer name=jitter latency=N ! DEPAY name=depay", RTCP into the
 * session, and the session's RTCP out through "multiudpsink name=netsink"
 * (no destination yet). */
gchar *artic_recv_codec_pipeline_head (ArticRecvCodec codec, guint jitter_ms);

/* Counts what went missing on the way, per codec:
 * VP8, VP9: pictures, from gaps in the 15-bit (or 7-bit) picture id of the
 *   packets that start a frame;
 * H.264: RTP packets, from gaps in the sequence number (its payload has no
 *   picture counter; one lost packet usually costs one frame). */
typedef struct
{
  ArticRecvCodec codec;
  gboolean have_last;
  guint last; /* picture id or sequence number */
  guint64 lost;
} ArticLossCounter;

void artic_loss_counter_init (ArticLossCounter *counter, ArticRecvCodec codec);
void artic_loss_counter_add (
    ArticLossCounter *counter, guint16 seq, const guint8 *payload, gsize size);

G_END_DECLS

#endif /* __ARTIC_RECV_CODEC_H__ */
