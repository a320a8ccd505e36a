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

/* Test helper, not installed: the receiver side of a two-process peer
 * session. Reads the bearer token from stdin (never argv: secrets do not
 * belong in the process list), serves signaling on 127.0.0.1, creates a
 * peer session per offer and echoes every data-channel message and every
 * RTP packet back. Prints "ready HTTP-PORT UDP-PORT"; exits when stdin
 * closes. */

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "artic-peer-session.h"
#include "artic-signal-server.h"

typedef struct
{
  GSocket *udp;
  guint udp_port;
  GMutex lock;
  ArticPeerSession *session;
} Echo;

static void
on_media (ArticPeerSession *session, gboolean rtcp, const guint8 *packet,
    gsize length, gpointer user_data)
{
  guint8 copy[2048];

  if (rtcp || length > sizeof (copy))
    return;
  /* Back on our own SSRC (the peer's inbound session is keyed on ours). */
  memcpy (copy, packet, length);
  copy[8] ^= 0xff;
  artic_peer_session_send_rtp (session, copy, length, NULL);
}

static void
on_message (ArticPeerSession *session, guint16 stream, gboolean is_string,
    const guint8 *data, gsize length, gpointer user_data)
{
  GError *error = NULL;
  guint tries = 0;

  /* Bounded: while this callback waits, the association's thread cannot
   * read the SACKs that would free the send buffer. */
  while (!artic_sctp_send (artic_peer_session_get_sctp (session), stream,
      is_string, data, length, &error)) {
    gboolean retry = g_error_matches (
        error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_WOULD_BLOCK);

    fprintf (stderr, "test-peer-echo: echo failed: %s\n", error->message);
    g_clear_error (&error);
    if (!retry || ++tries > 100)
      return;
    g_usleep (1000);
  }
}

static const ArticPeerSessionCallbacks callbacks
    = { on_media, NULL, on_message, NULL, NULL };

static ArticSignalMessage *
on_offer (const ArticSignalMessage *offer, guint *status, GError **error,
    gpointer user_data)
{
  Echo *echo = user_data;
  ArticSignalMessage *answer;

  g_mutex_lock (&echo->lock);
  if (echo->session != NULL) {
    g_mutex_unlock (&echo->lock);
    *status = 503;
    g_set_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD,
        "one session at a time");
    return NULL;
  }
  answer = artic_signal_message_new (ARTIC_SIGNAL_ANSWER);
  answer->session = g_strdup (offer->session);
  if (!artic_srtp_key_generate (&answer->key, offer->key.profile, error))
    goto fail;
  answer->ssrcs[0] = 0x0e0e0e0e;
  answer->n_ssrcs = 1;
  answer->address = g_strdup ("127.0.0.1");
  answer->port = (guint16) echo->udp_port;
  /* The peer is learned from its first datagram (it is behind the
   * emulator). */
  echo->session = artic_peer_session_new (ARTIC_SCTP_ROLE_SERVER, echo->udp,
      NULL, &answer->key, &offer->key, &callbacks, echo, error);
  if (echo->session == NULL)
    goto fail;
  g_mutex_unlock (&echo->lock);
  return answer;

fail:
  g_mutex_unlock (&echo->lock);
  artic_signal_message_free (answer);
  return NULL;
}

int
main (int argc, char **argv)
{
  Echo echo = { 0 };
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *any = g_inet_socket_address_new (lo, 0), *bound;
  ArticSignalServer *server;
  GError *error = NULL;
  gchar token[512];

  if (fgets (token, sizeof (token), stdin) == NULL) {
    fprintf (stderr, "test-peer-echo: error: no token on stdin\n");
    return 2;
  }
  token[strcspn (token, "\r\n")] = '\0';
  g_mutex_init (&echo.lock);
  echo.udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &error);
  if (echo.udp == NULL || !g_socket_bind (echo.udp, any, FALSE, &error)) {
    fprintf (stderr, "test-peer-echo: error: %s\n", error->message);
    return 1;
  }
  bound = g_socket_get_local_address (echo.udp, NULL);
  echo.udp_port
      = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  server = artic_signal_server_new (
      "127.0.0.1", 0, token, NULL, on_offer, &echo, &error);
  explicit_bzero (token, sizeof (token));
  if (server == NULL) {
    fprintf (stderr, "test-peer-echo: error: %s\n", error->message);
    return 1;
  }
  printf (
      "ready %u %u\n", artic_signal_server_get_port (server), echo.udp_port);
  fflush (stdout);

  /* Until the test closes our stdin. */
  while (fgets (token, sizeof (token), stdin) != NULL)
    ;

  artic_signal_server_free (server);
  artic_peer_session_free (echo.session);
  g_object_unref (bound);
  g_object_unref (any);
  g_object_unref (lo);
  g_object_unref (echo.udp);
  g_mutex_clear (&echo.lock);
  return artic_sctp_finish (10000) ? 0 : 1;
}
