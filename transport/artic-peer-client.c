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

/* The sender's side of a peer session (see artic-peer-client.h). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#define G_LOG_DOMAIN "artic-peer-client"

#include <string.h>

#include "artic-peer-client.h"

struct _ArticPeerClient
{
  ArticPeerClientCallbacks callbacks;
  gpointer user_data;
  gchar *id;
  gchar *target;
  GSocket *udp;
  ArticPeerSession *session;
  gint context_stream; /* atomic: -1 until opened */
  gint context_acked;  /* atomic */
};

gchar *
artic_peer_session_id_generate (void)
{
  return g_strdup_printf (
      "s-%08x%08x%08x", g_random_int (), g_random_int (), g_random_int ());
}

static void
on_media (ArticPeerSession *session, gboolean rtcp, const guint8 *packet,
    gsize length, gpointer user_data)
{
  ArticPeerClient *c = user_data;

  if (c->callbacks.media)
    c->callbacks.media (c, rtcp, packet, length, c->user_data);
}

static void
on_channel_open (ArticPeerSession *session, guint16 stream,
    const ArticDcepOpen *open, gboolean remote, gpointer user_data)
{
  ArticPeerClient *c = user_data;

  if (remote || stream != g_atomic_int_get (&c->context_stream))
    return;
  g_atomic_int_set (&c->context_acked, 1);
  if (c->callbacks.context_open)
    c->callbacks.context_open (c, c->user_data);
}

static void
on_message (ArticPeerSession *session, guint16 stream, gboolean is_string,
    const guint8 *data, gsize length, gpointer user_data)
{
  ArticPeerClient *c = user_data;

  if (stream == g_atomic_int_get (&c->context_stream)
      && c->callbacks.context_message)
    c->callbacks.context_message (c, data, length, c->user_data);
}

static void
on_state (ArticPeerSession *session, ArticSctpState state, gpointer user_data)
{
  ArticPeerClient *c = user_data;
  ArticDcepOpen open = { ARTIC_DCEP_CHANNEL_RELIABLE,
    ARTIC_DCEP_PRIORITY_NORMAL, 0, (gchar *) ARTIC_PEER_CONTEXT_LABEL,
    (gchar *) ARTIC_PEER_CONTEXT_PROTOCOL };
  GError *error = NULL;
  gint stream;

  if (state != ARTIC_SCTP_STATE_OPEN)
    return;
  /* Opened with the association, not at the first question: under loss
   * the opening is the slow part (docs/peer-session.md). */
  stream = artic_sctp_open_channel (
      artic_peer_session_get_sctp (session), &open, &error);
  if (stream < 0) {
    g_warning ("session %s: cannot open the context channel: %s", c->id,
        error->message);
    g_clear_error (&error);
    return;
  }
  g_atomic_int_set (&c->context_stream, stream);
}

static void
on_channel_closed (ArticPeerSession *session, guint16 stream, gboolean remote,
    gpointer user_data)
{
  ArticPeerClient *c = user_data;

  if (g_atomic_int_compare_and_exchange (&c->context_stream, stream, -1))
    g_atomic_int_set (&c->context_acked, 0);
}

static const ArticPeerSessionCallbacks session_callbacks
    = { on_media, on_channel_open, on_message, on_state, on_channel_closed };

/* The media destination: the configured one, else the answer's; an
 * unspecified answer address (0.0.0.0, ::) means "the host you signalled
 * to". */
static GSocketAddress *
media_destination (const ArticPeerClientConfig *config,
    const ArticSignalMessage *answer, GError **error)
{
  const gchar *host = config->media_host;
  guint port = config->media_port ? config->media_port : answer->port;
  GInetAddress *inet = NULL;
  GSocketAddress *address;
  GUri *uri = NULL;

  if (host == NULL) {
    GInetAddress *announced = g_inet_address_new_from_string (answer->address);

    if (announced != NULL && !g_inet_address_get_is_any (announced))
      inet = g_object_ref (announced);
    g_clear_object (&announced);
    if (inet == NULL) {
      uri = g_uri_parse (config->signal_url, G_URI_FLAGS_NONE, NULL);
      host = uri ? g_uri_get_host (uri) : NULL;
    }
  }
  if (inet == NULL && host != NULL)
    inet = g_inet_address_new_from_string (host);
  if (inet == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "media host '%s' is not an IP address", host ? host : "(none)");
    if (uri)
      g_uri_unref (uri);
    return NULL;
  }
  address = g_inet_socket_address_new (inet, (guint16) port);
  g_object_unref (inet);
  if (uri)
    g_uri_unref (uri);
  return address;
}

/* The signaling URL with ARTIC_SIGNAL_PATH when it names no path. */
static gchar *
offer_url (const gchar *url, GError **error)
{
  GUri *uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  gchar *full;

  if (uri == NULL || g_uri_get_host (uri) == NULL
      || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0
          && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)) {
    if (uri)
      g_uri_unref (uri);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "the signaling URL must be http://HOST:PORT or https://HOST:PORT");
    return NULL;
  }
  if (g_strcmp0 (g_uri_get_path (uri), "") == 0
      || g_strcmp0 (g_uri_get_path (uri), "/") == 0) {
    GUri *with_path = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri),
        NULL, g_uri_get_host (uri), g_uri_get_port (uri), ARTIC_SIGNAL_PATH,
        NULL, NULL);

    full = g_uri_to_string (with_path);
    g_uri_unref (with_path);
  } else {
    full = g_strdup (url);
  }
  g_uri_unref (uri);
  return full;
}

ArticPeerClient *
artic_peer_client_new (const ArticPeerClientConfig *config,
    const ArticPeerClientCallbacks *callbacks, gpointer user_data,
    GError **error)
{
  ArticPeerClient *c;
  ArticSignalMessage *offer, *answer = NULL;
  GSocketAddress *local = NULL, *remote = NULL;
  GInetAddress *any = NULL;
  guint status = 0;
  gchar *url;

  g_return_val_if_fail (config != NULL && config->signal_url != NULL, NULL);
  url = offer_url (config->signal_url, error);
  if (url == NULL)
    return NULL;
  c = g_new0 (ArticPeerClient, 1);
  if (callbacks)
    c->callbacks = *callbacks;
  c->user_data = user_data;
  c->context_stream = -1;
  c->id = artic_peer_session_id_generate ();
  offer = artic_signal_message_new (ARTIC_SIGNAL_OFFER);
  offer->session = g_strdup (c->id);
  if (!artic_srtp_key_generate (&offer->key, config->profile, error))
    goto fail;
  offer->ssrcs[0] = g_random_int_range (1, G_MAXINT32);
  offer->n_ssrcs = 1;

  any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  local = g_inet_socket_address_new (any, 0);
  c->udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, error);
  if (c->udp == NULL || !g_socket_bind (c->udp, local, FALSE, error))
    goto fail;
  g_clear_object (&local);
  local = g_socket_get_local_address (c->udp, error);
  if (local == NULL)
    goto fail;
  offer->address = g_strdup ("0.0.0.0");
  offer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  answer = artic_signal_client_offer (
      url, config->token, offer, config->tls_database, &status, error);
  if (answer == NULL)
    goto fail;
  if (strcmp (answer->session, c->id) != 0
      || answer->key.profile != offer->key.profile) {
    g_set_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD,
        "the answer does not match the offer (session or SRTP profile)");
    goto fail;
  }
  remote = media_destination (config, answer, error);
  if (remote == NULL)
    goto fail;
  {
    gchar *host = g_inet_address_to_string (
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

    c->target = g_strdup_printf ("%s:%u", host,
        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)));
    g_free (host);
  }
  c->session = artic_peer_session_new (ARTIC_SCTP_ROLE_CLIENT, c->udp, remote,
      &offer->key, &answer->key, &session_callbacks, c, error);
  if (c->session == NULL)
    goto fail;
  g_debug ("session %s: media to %s", c->id, c->target);
  artic_signal_message_free (offer);
  artic_signal_message_free (answer);
  g_free (url);
  g_object_unref (remote);
  g_object_unref (local);
  g_object_unref (any);
  return c;

fail:
  g_free (url);
  artic_signal_message_free (offer);
  artic_signal_message_free (answer);
  g_clear_object (&remote);
  g_clear_object (&local);
  g_clear_object (&any);
  artic_peer_client_free (c);
  return NULL;
}

const gchar *
artic_peer_client_get_session_id (ArticPeerClient *c)
{
  return c->id;
}

ArticPeerSession *
artic_peer_client_get_session (ArticPeerClient *c)
{
  return c->session;
}

const gchar *
artic_peer_client_get_media_target (ArticPeerClient *c)
{
  return c->target;
}

gboolean
artic_peer_client_send_media (ArticPeerClient *c, gboolean rtcp,
    const guint8 *packet, gsize length, GError **error)
{
  return rtcp ? artic_peer_session_send_rtcp (c->session, packet, length, error)
              : artic_peer_session_send_rtp (c->session, packet, length, error);
}

gboolean
artic_peer_client_context_is_open (ArticPeerClient *c)
{
  return g_atomic_int_get (&c->context_acked) != 0;
}

gboolean
artic_peer_client_send_context (
    ArticPeerClient *c, const gchar *message, gsize length, GError **error)
{
  gint stream = g_atomic_int_get (&c->context_stream);

  if (stream < 0) {
    g_set_error (error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_NOT_OPEN,
        "the context channel is not open yet");
    return FALSE;
  }
  return artic_sctp_send (artic_peer_session_get_sctp (c->session),
      (guint16) stream, TRUE, (const guint8 *) message, length, error);
}

void
artic_peer_client_free (ArticPeerClient *c)
{
  if (c == NULL)
    return;
  artic_peer_session_free (c->session);
  g_clear_object (&c->udp);
  g_free (c->target);
  g_free (c->id);
  g_free (c);
}
