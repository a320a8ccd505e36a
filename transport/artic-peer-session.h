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

/* One peer session on one UDP 5-tuple: RTP and RTCP protected with SRTP
 * (artic-srtp.h) and data channels over SCTP (artic-sctp.h), told apart by
 * the first byte (artic-demux.h). Each side protects with its own key and
 * verifies with the peer's, as exchanged in the offer/answer
 * (artic-signal.h).
 *
 * The callbacks run on the session's thread (the SCTP association's); they
 * may send, but must not free the session. They can start before
 * artic_peer_session_new() returns. */

#ifndef ARTIC_PEER_SESSION_H
#define ARTIC_PEER_SESSION_H

#include "artic-sctp.h"
#include "artic-srtp.h"

G_BEGIN_DECLS

/* The SSRC of the SRTCP stream that carries SCTP ("SCTP" in ASCII). */
#define ARTIC_PEER_SESSION_DATA_SSRC 0x53435450u

typedef struct _ArticPeerSession ArticPeerSession;

typedef struct
{
  /* A verified, decrypted RTP (@rtcp FALSE) or RTCP packet. */
  void (*media) (ArticPeerSession *session, gboolean rtcp, const guint8 *packet,
      gsize length, gpointer user_data);
  void (*channel_open) (ArticPeerSession *session, guint16 stream,
      const ArticDcepOpen *open, gboolean remote, gpointer user_data);
  void (*message) (ArticPeerSession *session, guint16 stream,
      gboolean is_string, const guint8 *data, gsize length, gpointer user_data);
  void (*state_changed) (
      ArticPeerSession *session, ArticSctpState state, gpointer user_data);
  /* A data channel was closed by a stream reset (@remote: by the peer). */
  void (*channel_closed) (ArticPeerSession *session, guint16 stream,
      gboolean remote, gpointer user_data);
} ArticPeerSessionCallbacks;

typedef struct
{
  ArticSrtpStats send;         /* our outbound SRTP session */
  ArticSrtpStats receive;      /* the inbound one: auth failures, replays... */
  ArticSrtpStats data_send;    /* SRTCP carrying SCTP, outbound */
  ArticSrtpStats data_receive; /* ... and inbound */
  guint64 dropped_other;       /* datagrams neither SCTP nor RTP/RTCP */
  ArticSctpStats sctp;         /* the data channels' association */
} ArticPeerSessionStats;

/* @send_key protects what we send; @receive_key verifies what the peer
 * sends. @remote NULL: learn the peer from its first datagram. */
ArticPeerSession *artic_peer_session_new (ArticSctpRole role, GSocket *udp,
    GSocketAddress *remote, const ArticSrtpKey *send_key,
    const ArticSrtpKey *receive_key, const ArticPeerSessionCallbacks *callbacks,
    gpointer user_data, GError **error);

/* Protects and sends one RTP (RTCP) packet. */
gboolean artic_peer_session_send_rtp (ArticPeerSession *session,
    const guint8 *packet, gsize length, GError **error);
gboolean artic_peer_session_send_rtcp (ArticPeerSession *session,
    const guint8 *packet, gsize length, GError **error);

/* The data-channel side (open channels, send messages). */
ArticSctp *artic_peer_session_get_sctp (ArticPeerSession *session);

/* Milliseconds since the peer last sent something that verified (SRTP
 * media, or an SCTP packet that passed SRTCP), or since the session was
 * created. Forged, replayed and foreign datagrams do not count, so nobody
 * but the peer can keep a session alive. */
gint64 artic_peer_session_get_idle_ms (ArticPeerSession *session);

void artic_peer_session_get_stats (
    ArticPeerSession *session, ArticPeerSessionStats *stats);

/* Closes the association, joins the thread, wipes the SRTP sessions. */
void artic_peer_session_free (ArticPeerSession *session);

G_END_DECLS

#endif /* ARTIC_PEER_SESSION_H */
