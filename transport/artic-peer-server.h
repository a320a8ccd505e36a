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

/* The receiver's side of peer sessions: the signaling server, one
 * artic_peer_session per accepted offer (each on its own UDP socket), and
 * their lifetime. A session ends when its peer has sent nothing that
 * verified for the idle timeout, or when its SCTP association closes
 * (shutdown, COMM_LOST); then its resources are freed, its id is released
 * at the signaling server, and the other sessions carry on.
 *
 * The first session uses the configured media port; sessions that run at
 * the same time get ephemeral ports, announced in their answers.
 *
 * Callbacks run on the sessions' threads (media, channels, messages) or
 * on the server's threads (started, ended); they must not free the server.
 * The ArticPeerSession they get is valid for the duration of the call. */

#ifndef ARTIC_PEER_SERVER_H
#define ARTIC_PEER_SERVER_H

#include <gio/gio.h>

#include "artic-peer-session.h"
#include "artic-signal-server.h"

G_BEGIN_DECLS

/* The data channel that carries the context channel (context-channel.md). */
#define ARTIC_PEER_CONTEXT_LABEL "context"
#define ARTIC_PEER_CONTEXT_PROTOCOL "artic-context/1"

#define ARTIC_PEER_SERVER_DEFAULT_IDLE_TIMEOUT_MS 10000

typedef enum
{
  ARTIC_PEER_END_IDLE,   /* nothing valid from the peer for the timeout */
  ARTIC_PEER_END_CLOSED, /* the SCTP association closed or was lost */
  ARTIC_PEER_END_STOPPED /* the server was freed */
} ArticPeerEndReason;

typedef struct _ArticPeerServer ArticPeerServer;

typedef struct
{
  /* An offer was accepted and its session created. */
  void (*session_started) (ArticPeerServer *server, const gchar *session_id,
      ArticPeerSession *session, gpointer user_data);
  void (*media) (ArticPeerServer *server, const gchar *session_id,
      gboolean rtcp, const guint8 *packet, gsize length, gpointer user_data);
  /* A message on the context channel (label "context"). */
  void (*context_message) (ArticPeerServer *server, const gchar *session_id,
      const guint8 *data, gsize length, gpointer user_data);
  /* The session was freed. */
  void (*session_ended) (ArticPeerServer *server, const gchar *session_id,
      ArticPeerEndReason reason, gpointer user_data);
} ArticPeerServerCallbacks;

typedef struct
{
  const gchar *signal_address;  /* IP literal; NULL: 0.0.0.0 */
  guint signal_port;            /* 0: pick one */
  const gchar *media_address;   /* IP literal; NULL: 0.0.0.0 */
  guint media_port;             /* the first session's port; 0: pick one */
  const gchar *token;           /* bearer token (copied, never logged) */
  GTlsCertificate *certificate; /* NULL: plain HTTP */
  guint max_sessions;           /* 0: 1 */
  guint idle_timeout_ms;        /* 0: never */
} ArticPeerServerConfig;

typedef struct
{
  guint64 started;
  guint64 ended_idle;
  guint64 ended_closed;
  guint live;
  /* The context channels of all sessions, ended and live. */
  guint64 sctp_messages_sent;
  guint64 sctp_messages_received;
  guint64 sctp_packets_out;
  guint64 sctp_packets_in;
  guint64 sctp_dropped;
  guint64 data_auth_failed; /* SCTP packets failing SRTCP verification */
} ArticPeerServerStats;

const gchar *artic_peer_end_reason_name (ArticPeerEndReason reason);

ArticPeerServer *artic_peer_server_new (const ArticPeerServerConfig *config,
    const ArticPeerServerCallbacks *callbacks, gpointer user_data,
    GError **error);
guint artic_peer_server_get_signal_port (ArticPeerServer *server);
guint artic_peer_server_get_media_port (ArticPeerServer *server);

/* Protects and sends @packet (RTP, or RTCP if @rtcp) to every live session.
 * Returns how many sessions it went to. */
guint artic_peer_server_send_media (
    ArticPeerServer *server, gboolean rtcp, const guint8 *packet, gsize length);
/* Sends a string message on the context channel of @session_id (NULL:
 * every session whose context channel is open). Returns how many sessions
 * it went to. */
guint artic_peer_server_send_context (ArticPeerServer *server,
    const gchar *session_id, const gchar *message, gsize length);

void artic_peer_server_get_stats (
    ArticPeerServer *server, ArticPeerServerStats *stats);

/* Stops signaling, ends every session (session_ended with STOPPED). */
void artic_peer_server_free (ArticPeerServer *server);

G_END_DECLS

#endif /* ARTIC_PEER_SERVER_H */
