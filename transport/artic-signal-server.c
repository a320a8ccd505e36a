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

/* Signaling server and client on libsoup 3 (see artic-signal-server.h). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#define G_LOG_DOMAIN "artic-signal"

#include <string.h>

#include <libsoup/soup.h>

#include "artic-signal-server.h"

struct _ArticSignalServer
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *soup;
  guint port;
  gchar *token;
  ArticSignalOfferFunc offer_func;
  gpointer user_data;

  GMutex lock;
  GCond cond;
  gboolean started;
  GError *start_error;
  GHashTable *live; /* session id -> TRUE */
  ArticSignalServerStats stats;

  /* Only for the start-up handshake. */
  gchar *address;
  GTlsCertificate *certificate;
};

/* One request per connection: an offer is a one-off, and libsoup 3.2
 * leaks server connections that the client closes while idle (fixed
 * upstream in 3.3), which keep-alive connections always are. */
static void
close_after (SoupServerMessage *msg)
{
  soup_message_headers_replace (
      soup_server_message_get_response_headers (msg), "Connection", "close");
}

static void
respond_error (SoupServerMessage *msg, guint status, const gchar *text)
{
  gchar *body = g_strdup_printf ("%s\n", text);

  close_after (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (
      msg, "text/plain", SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
count (ArticSignalServer *self, guint64 *counter)
{
  g_mutex_lock (&self->lock);
  (*counter)++;
  g_mutex_unlock (&self->lock);
}

/* Runs when the headers are in, before the body is read: refuse big
 * bodies without buffering them. */
static void
early_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  ArticSignalServer *self = user_data;
  goffset length = soup_message_headers_get_content_length (
      soup_server_message_get_request_headers (msg));

  if (length > ARTIC_SIGNAL_MAX_MESSAGE_LEN) {
    count (self, &self->stats.bad_requests);
    respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
        "offer larger than the signaling limit");
  }
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  ArticSignalServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body;
  GBytes *bytes;
  ArticSignalMessage *offer, *answer;
  GError *error = NULL;
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  gboolean live;
  gchar *json;
  gsize len;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    return; /* answered by the early handler */
  if (strcmp (soup_server_message_get_method (msg), "POST") != 0) {
    soup_message_headers_replace (
        soup_server_message_get_response_headers (msg), "Allow", "POST");
    respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "use POST");
    return;
  }
  if (!artic_signal_check_bearer (
          soup_message_headers_get_one (headers, "Authorization"), self->token,
          &error)) {
    count (self, &self->stats.unauthorized);
    soup_message_headers_replace (
        soup_server_message_get_response_headers (msg), "WWW-Authenticate",
        "Bearer");
    /* The reason is not told to an unauthenticated client. */
    g_debug ("unauthorized offer: %s", error->message);
    g_clear_error (&error);
    respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
    return;
  }

  body = soup_server_message_get_request_body (msg);
  bytes = soup_message_body_flatten (body);
  offer = artic_signal_parse (
      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  /* The body held the peer's key. */
  explicit_bzero (
      (gpointer) g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_bytes_unref (bytes);
  if (offer == NULL || offer->type != ARTIC_SIGNAL_OFFER) {
    gchar *text = g_strdup_printf (
        "bad offer: %s", offer ? "an answer is not an offer" : error->message);

    count (self, &self->stats.bad_requests);
    respond_error (msg, SOUP_STATUS_BAD_REQUEST, text);
    g_free (text);
    g_clear_error (&error);
    artic_signal_message_free (offer);
    return;
  }

  /* Reserve the id before calling out, so two racing offers for one id
   * cannot both win. */
  g_mutex_lock (&self->lock);
  live = g_hash_table_contains (self->live, offer->session);
  if (live)
    self->stats.conflicts++;
  else
    g_hash_table_add (self->live, g_strdup (offer->session));
  g_mutex_unlock (&self->lock);
  if (live) {
    respond_error (msg, SOUP_STATUS_CONFLICT, "session already live");
    artic_signal_message_free (offer);
    return;
  }

  answer = self->offer_func (offer, &status, &error, self->user_data);
  if (answer != NULL && answer->type == ARTIC_SIGNAL_ANSWER
      && (json = artic_signal_encode (answer, &len, &error)) != NULL) {
    count (self, &self->stats.answered);
    close_after (msg);
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    /* libsoup frees the body without wiping it (limitation). */
    soup_server_message_set_response (
        msg, "application/json", SOUP_MEMORY_TAKE, json, len);
  } else {
    gchar *text = g_strdup_printf (
        "offer refused: %s", error ? error->message : "no answer");

    g_mutex_lock (&self->lock);
    g_hash_table_remove (self->live, offer->session);
    self->stats.refused++;
    g_mutex_unlock (&self->lock);
    respond_error (msg,
        status >= 400 && status < 600 ? status
                                      : SOUP_STATUS_INTERNAL_SERVER_ERROR,
        text);
    g_free (text);
    g_clear_error (&error);
  }
  artic_signal_message_free (answer);
  artic_signal_message_free (offer);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gboolean
start_listening (ArticSignalServer *self, GError **error)
{
  GSocketAddress *address;
  GSocket *socket = NULL;
  gboolean ok;

  self->soup = soup_server_new ("server-header", "artic", NULL);
  if (self->certificate != NULL)
    soup_server_set_tls_certificate (self->soup, self->certificate);
  soup_server_add_early_handler (
      self->soup, ARTIC_SIGNAL_PATH, early_handler, self, NULL);
  soup_server_add_handler (self->soup, ARTIC_SIGNAL_PATH, handler, self, NULL);
  address = g_inet_socket_address_new_from_string (self->address, self->port);
  if (address == NULL) {
    g_set_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD,
        "listen address \"%.64s\" is not an IP literal", self->address);
    return FALSE;
  }
  /* Our own listening socket: we learn the port from it directly
   * (soup_server_get_uris leaks an address per call in libsoup 3.2). */
  socket = g_socket_new (g_socket_address_get_family (address),
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  ok = socket != NULL && g_socket_bind (socket, address, TRUE, error)
       && g_socket_listen (socket, error)
       && soup_server_listen_socket (self->soup, socket,
           self->certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
  g_object_unref (address);
  if (ok) {
    GSocketAddress *bound = g_socket_get_local_address (socket, error);

    ok = bound != NULL;
    if (ok) {
      self->port
          = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
      g_object_unref (bound);
    }
  }
  g_clear_object (&socket);
  if (!ok)
    return FALSE;
  return TRUE;
}

static gpointer
server_thread (gpointer data)
{
  ArticSignalServer *self = data;
  GError *error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);
  ok = start_listening (self, &error);
  g_mutex_lock (&self->lock);
  self->started = TRUE;
  self->start_error = error;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (ok)
    g_main_loop_run (self->loop);
  /* Sockets and handlers belong to this context: tear down here. */
  if (self->soup) {
    soup_server_disconnect (self->soup);
    g_clear_object (&self->soup);
  }
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

ArticSignalServer *
artic_signal_server_new (const gchar *address, guint port, const gchar *token,
    GTlsCertificate *certificate, ArticSignalOfferFunc offer_func,
    gpointer user_data, GError **error)
{
  ArticSignalServer *self;

  g_return_val_if_fail (address != NULL && offer_func != NULL, NULL);
  if (token == NULL || strlen (token) < ARTIC_SIGNAL_MIN_TOKEN_LEN
      || strlen (token) > ARTIC_SIGNAL_MAX_TOKEN_LEN) {
    g_set_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_AUTH,
        "the token must be %d..%d characters", ARTIC_SIGNAL_MIN_TOKEN_LEN,
        ARTIC_SIGNAL_MAX_TOKEN_LEN);
    return NULL;
  }
  if (port > 65535) {
    g_set_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD,
        "port %u out of range", port);
    return NULL;
  }
  self = g_new0 (ArticSignalServer, 1);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->token = g_strdup (token);
  self->offer_func = offer_func;
  self->user_data = user_data;
  self->port = port;
  self->address = g_strdup (address);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  self->live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("artic-signal", server_thread, self);
  g_mutex_lock (&self->lock);
  while (!self->started)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  if (self->start_error != NULL) {
    g_propagate_error (error, self->start_error);
    self->start_error = NULL;
    artic_signal_server_free (self);
    return NULL;
  }
  return self;
}

guint
artic_signal_server_get_port (ArticSignalServer *self)
{
  return self->port;
}

void
artic_signal_server_end_session (ArticSignalServer *self, const gchar *session)
{
  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->live, session);
  g_mutex_unlock (&self->lock);
}

gboolean
artic_signal_server_session_is_live (
    ArticSignalServer *self, const gchar *session)
{
  gboolean live;

  g_mutex_lock (&self->lock);
  live = g_hash_table_contains (self->live, session);
  g_mutex_unlock (&self->lock);
  return live;
}

void
artic_signal_server_get_stats (
    ArticSignalServer *self, ArticSignalServerStats *stats)
{
  g_mutex_lock (&self->lock);
  *stats = self->stats;
  g_mutex_unlock (&self->lock);
}

void
artic_signal_server_free (ArticSignalServer *self)
{
  if (self == NULL)
    return;
  if (self->thread != NULL) {
    GSource *source = g_idle_source_new ();

    g_source_set_callback (source, quit_loop, self->loop, NULL);
    g_source_attach (source, self->context);
    g_source_unref (source);
    g_thread_join (self->thread);
  }
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_hash_table_unref (self->live);
  g_clear_object (&self->certificate);
  g_free (self->address);
  explicit_bzero (self->token, strlen (self->token));
  g_free (self->token);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

ArticSignalMessage *
artic_signal_client_offer (const gchar *url, const gchar *token,
    const ArticSignalMessage *offer, GTlsDatabase *tls_database,
    guint *http_status, GError **error)
{
  SoupSession *session;
  SoupMessage *msg;
  GBytes *request, *reply;
  ArticSignalMessage *answer = NULL;
  gchar *json, *auth;
  gsize len;
  guint status;

  if (http_status)
    *http_status = 0;
  json = artic_signal_encode (offer, &len, error);
  if (json == NULL)
    return NULL;
  msg = soup_message_new ("POST", url);
  if (msg == NULL) {
    artic_srtp_secret_free (json);
    g_set_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD,
        "not an http(s) URL");
    return NULL;
  }
  auth = g_strdup_printf ("Bearer %s", token ? token : "");
  soup_message_headers_replace (
      soup_message_get_request_headers (msg), "Authorization", auth);
  artic_srtp_secret_free (auth);
  /* The request body references our copy, wiped after the exchange. */
  request = g_bytes_new_static (json, len);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  g_bytes_unref (request);
  session = soup_session_new_with_options ("timeout", 10, NULL);
  if (tls_database)
    soup_session_set_tls_database (session, tls_database);
  reply = soup_session_send_and_read (session, msg, NULL, error);
  status = soup_message_get_status (msg);
  if (http_status)
    *http_status = status;
  if (reply != NULL) {
    if (status == SOUP_STATUS_OK) {
      answer = artic_signal_parse (
          g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), error);
      if (answer && answer->type != ARTIC_SIGNAL_ANSWER) {
        g_clear_pointer (&answer, artic_signal_message_free);
        g_set_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_TYPE,
            "the server replied with an offer");
      }
      explicit_bzero (
          (gpointer) g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
    } else {
      g_set_error (error, ARTIC_SIGNAL_ERROR,
          status == SOUP_STATUS_UNAUTHORIZED ? ARTIC_SIGNAL_ERROR_AUTH
                                             : ARTIC_SIGNAL_ERROR_FIELD,
          "signaling server answered %u %s", status,
          soup_message_get_reason_phrase (msg));
    }
    g_bytes_unref (reply);
  }
  g_object_unref (session);
  g_object_unref (msg);
  artic_srtp_secret_free (json);
  return answer;
}
