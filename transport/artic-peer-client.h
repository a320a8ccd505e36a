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

/* The sender's side of a peer session: posts an offer with a fresh key to
 * the receiver's signaling server (bearer token), builds the session from
 * the answer, and opens the context channel as soon as the association is
 * up (docs/context-channel.md).
 *
 * Callbacks run on the session's thread; they must not free the client. */

#ifndef ARTIC_PEER_CLIENT_H
#define ARTIC_PEER_CLIENT_H

#include <gio/gio.h>

#include "artic-peer-server.h"

G_BEGIN_DECLS

typedef struct _ArticPeerClient ArticPeerClient;

typedef struct
{
  void (*media) (ArticPeerClient *client, gboolean rtcp, const guint8 *packet,
      gsize length, gpointer user_data);
  void (*context_message) (ArticPeerClient *client, const guint8 *data,
      gsize length, gpointer user_data);
  /* The context channel is open (messages may be sent). */
  void (*context_open) (ArticPeerClient *client, gpointer user_data);
} ArticPeerClientCallbacks;

typedef struct
{
  const gchar *signal_url;    /* http(s)://HOST:PORT (path added) */
  const gchar *token;         /* bearer token (never logged) */
  GTlsDatabase *tls_database; /* trusted CAs for https; NULL: the system's */
  ArticSrtpProfile profile;
  /* Where media goes: NULL/0 take the answer's address and port (an
   * unspecified answer address means the signaling host). Set them to put
   * a relay such as artic-netem in the path. */
  const gchar *media_host;
  guint media_port;
} ArticPeerClientConfig;

/* Signals and starts the session; returns once the answer is in (the
 * association comes up in the background). */
ArticPeerClient *artic_peer_client_new (const ArticPeerClientConfig *config,
    const ArticPeerClientCallbacks *callbacks, gpointer user_data,
    GError **error);
const gchar *artic_peer_client_get_session_id (ArticPeerClient *client);
ArticPeerSession *artic_peer_client_get_session (ArticPeerClient *client);
/* Where media goes ("ADDRESS:PORT"). */
const gchar *artic_peer_client_get_media_target (ArticPeerClient *client);

gboolean artic_peer_client_send_media (ArticPeerClient *client, gboolean rtcp,
    const guint8 *packet, gsize length, GError **error);
/* ARTIC_SCTP_ERROR_NOT_OPEN until the context channel is open. */
gboolean artic_peer_client_send_context (ArticPeerClient *client,
    const gchar *message, gsize length, GError **error);
gboolean artic_peer_client_context_is_open (ArticPeerClient *client);

/* Closes the context channel (stream reset), the association, the socket. */
void artic_peer_client_free (ArticPeerClient *client);

/* A fresh session id ("s-" and 24 hex digits). */
gchar *artic_peer_session_id_generate (void);

G_END_DECLS

#endif /* ARTIC_PEER_CLIENT_H */
