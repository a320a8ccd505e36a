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

/* The signaling server on a real loopback socket with the real libsoup
 * client: the token gates sessions, a second offer for a live session is
 * refused, malformed and oversized offers get clear statuses, and the
 * answer brings back the receiver's fresh key. */

#include <string.h>

#include <libsoup/soup.h>

#include "artic-signal-server.h"

typedef struct
{
  guint offers;
  ArticSrtpKey last_offer_key;
  ArticSrtpKey answer_key;
  gboolean busy;
} Receiver;

static ArticSignalMessage *
on_offer (const ArticSignalMessage *offer, guint *status, GError **error,
    gpointer user_data)
{
  Receiver *r = user_data;
  ArticSignalMessage *answer;

  if (r->busy) {
    *status = SOUP_STATUS_SERVICE_UNAVAILABLE;
    g_set_error (
        error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD, "receiver busy");
    return NULL;
  }
  r->offers++;
  r->last_offer_key = offer->key;
  answer = artic_signal_message_new (ARTIC_SIGNAL_ANSWER);
  answer->session = g_strdup (offer->session);
  g_assert_true (
      artic_srtp_key_generate (&answer->key, offer->key.profile, NULL));
  r->answer_key = answer->key;
  answer->ssrcs[0] = 42;
  answer->n_ssrcs = 1;
  answer->address = g_strdup ("127.0.0.1");
  answer->port = 6000;
  return answer;
}

static ArticSignalMessage *
make_offer (const gchar *session)
{
  ArticSignalMessage *m = artic_signal_message_new (ARTIC_SIGNAL_OFFER);

  g_assert_true (
      artic_srtp_key_generate (&m->key, ARTIC_SRTP_PROFILE_DEFAULT, NULL));
  m->session = g_strdup (session);
  m->ssrcs[0] = 7;
  m->n_ssrcs = 1;
  m->address = g_strdup ("127.0.0.1");
  m->port = 5004;
  return m;
}

/* A raw request with libsoup, for what the client API never sends. */
static guint
raw_request (const gchar *url, const gchar *method, const gchar *auth,
    const gchar *body, gsize length)
{
  SoupSession *session = soup_session_new ();
  SoupMessage *msg = soup_message_new (method, url);
  GBytes *reply;
  guint status;

  if (auth)
    soup_message_headers_replace (
        soup_message_get_request_headers (msg), "Authorization", auth);
  if (body) {
    GBytes *b = g_bytes_new (body, length);

    soup_message_set_request_body_from_bytes (msg, "application/json", b);
    g_bytes_unref (b);
  }
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  status = soup_message_get_status (msg);
  if (reply)
    g_bytes_unref (reply);
  g_object_unref (msg);
  g_object_unref (session);
  return status;
}

static void
test_sessions (void)
{
  Receiver r = { 0 };
  GError *error = NULL;
  gchar *token = artic_signal_token_generate (NULL);
  gchar *wrong = artic_signal_token_generate (NULL);
  ArticSignalServer *server = artic_signal_server_new (
      "127.0.0.1", 0, token, NULL, on_offer, &r, &error);
  ArticSignalMessage *offer = make_offer ("session-0001"), *answer;
  ArticSignalServerStats stats;
  gchar *url, *auth;
  guint status;
  GString *big;

  g_assert_no_error (error);
  g_assert_cmpuint (artic_signal_server_get_port (server), >, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u%s",
      artic_signal_server_get_port (server), ARTIC_SIGNAL_PATH);

  /* Without the right token no session starts. */
  answer = artic_signal_client_offer (url, wrong, offer, NULL, &status, &error);
  g_assert_null (answer);
  g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_AUTH);
  g_assert_cmpuint (status, ==, 401);
  g_clear_error (&error);
  g_assert_cmpuint (raw_request (url, "POST", NULL, "{}", 2), ==, 401);
  g_assert_cmpuint (r.offers, ==, 0);
  g_assert_false (artic_signal_server_session_is_live (server, "session-0001"));

  /* The right token: the answer carries the receiver's fresh key, and
   * the receiver got ours. */
  answer = artic_signal_client_offer (url, token, offer, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (answer->session, ==, "session-0001");
  g_assert_cmpmem (answer->key.bytes, answer->key.length, r.answer_key.bytes,
      r.answer_key.length);
  g_assert_cmpmem (r.last_offer_key.bytes, r.last_offer_key.length,
      offer->key.bytes, offer->key.length);
  g_assert_true (memcmp (answer->key.bytes, offer->key.bytes, 28) != 0);
  g_assert_true (artic_signal_server_session_is_live (server, "session-0001"));
  artic_signal_message_free (answer);

  /* A second offer for the live session (new keys, same id) does not
   * hijack it. */
  artic_srtp_key_generate (&offer->key, ARTIC_SRTP_PROFILE_DEFAULT, NULL);
  answer = artic_signal_client_offer (url, token, offer, NULL, &status, &error);
  g_assert_null (answer);
  g_assert_cmpuint (status, ==, 409);
  g_clear_error (&error);
  g_assert_cmpuint (r.offers, ==, 1);

  /* Once the session ended, the id may start a new one. */
  artic_signal_server_end_session (server, "session-0001");
  answer = artic_signal_client_offer (url, token, offer, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  artic_signal_message_free (answer);
  g_assert_cmpuint (r.offers, ==, 2);

  /* Refused by the receiver: 503, and the id is not left live. */
  r.busy = TRUE;
  g_free (offer->session);
  offer->session = g_strdup ("session-0002");
  answer = artic_signal_client_offer (url, token, offer, NULL, &status, &error);
  g_assert_null (answer);
  g_assert_cmpuint (status, ==, 503);
  g_clear_error (&error);
  g_assert_false (artic_signal_server_session_is_live (server, "session-0002"));
  r.busy = FALSE;

  /* Malformed, wrong type, wrong method, oversized. */
  auth = g_strdup_printf ("Bearer %s", token);
  g_assert_cmpuint (raw_request (url, "POST", auth, "{\"v\":1", 6), ==, 400);
  g_assert_cmpuint (
      raw_request (url, "POST", auth, "{\"v\":1,\"type\":\"answer\"}", 24), ==,
      400);
  g_assert_cmpuint (raw_request (url, "GET", auth, NULL, 0), ==, 405);
  big = g_string_new (NULL);
  while (big->len <= ARTIC_SIGNAL_MAX_MESSAGE_LEN)
    g_string_append (big, "xxxxxxxxxxxxxxxx");
  g_assert_cmpuint (
      raw_request (url, "POST", auth, big->str, big->len), ==, 413);
  g_string_free (big, TRUE);
  artic_srtp_secret_free (auth);

  artic_signal_server_get_stats (server, &stats);
  g_assert_cmpuint (stats.answered, ==, 2);
  g_assert_cmpuint (stats.unauthorized, ==, 2);
  g_assert_cmpuint (stats.conflicts, ==, 1);
  g_assert_cmpuint (stats.refused, ==, 1);
  g_assert_cmpuint (stats.bad_requests, ==, 3);

  artic_signal_server_free (server);
  /* The server is gone: the client fails cleanly. */
  answer = artic_signal_client_offer (url, token, offer, NULL, &status, &error);
  g_assert_null (answer);
  g_assert_nonnull (error);
  g_clear_error (&error);

  artic_signal_message_free (offer);
  artic_srtp_secret_free (token);
  artic_srtp_secret_free (wrong);
  g_free (url);
}

static void
test_bad_config (void)
{
  Receiver r = { 0 };
  GError *error = NULL;
  gchar *token = artic_signal_token_generate (NULL);

  g_assert_null (artic_signal_server_new (
      "127.0.0.1", 0, "short", NULL, on_offer, &r, &error));
  g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_null (artic_signal_server_new (
      "not-an-ip", 0, token, NULL, on_offer, &r, &error));
  g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD);
  g_clear_error (&error);
  g_assert_null (artic_signal_server_new (
      "127.0.0.1", 70000, token, NULL, on_offer, &r, &error));
  g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD);
  g_clear_error (&error);
  artic_srtp_secret_free (token);
}

/* With a certificate the server speaks only TLS: a client that trusts the
 * certificate gets its answer, one that does not gets no session. */
static void
test_tls (void)
{
  const gchar *dir = g_getenv ("ARTIC_TLS_DIR");
  gchar *cert_path, *key_path, *url, *plain_url;
  GTlsCertificate *cert;
  GTlsDatabase *trust;
  Receiver r = { 0 };
  GError *error = NULL;
  gchar *token = artic_signal_token_generate (NULL);
  ArticSignalServer *server;
  ArticSignalMessage *offer = make_offer ("tls-session-1"), *answer;
  guint status;

  g_assert_nonnull (dir);
  cert_path = g_build_filename (dir, "test-cert.pem", NULL);
  key_path = g_build_filename (dir, "test-key.pem", NULL);
  cert = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  trust = g_tls_file_database_new (cert_path, &error);
  g_assert_no_error (error);
  server = artic_signal_server_new (
      "127.0.0.1", 0, token, cert, on_offer, &r, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("https://127.0.0.1:%u%s",
      artic_signal_server_get_port (server), ARTIC_SIGNAL_PATH);
  plain_url = g_strdup_printf ("http://127.0.0.1:%u%s",
      artic_signal_server_get_port (server), ARTIC_SIGNAL_PATH);

  /* Not trusted (system CAs only): the handshake fails, no session. */
  answer = artic_signal_client_offer (url, token, offer, NULL, &status, &error);
  g_assert_null (answer);
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* Plain HTTP to the TLS port: no session either. */
  answer = artic_signal_client_offer (
      plain_url, token, offer, NULL, &status, &error);
  g_assert_null (answer);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (r.offers, ==, 0);

  /* Trusted: the answer comes back over TLS. */
  answer
      = artic_signal_client_offer (url, token, offer, trust, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (answer->session, ==, "tls-session-1");
  g_assert_cmpuint (r.offers, ==, 1);
  artic_signal_message_free (answer);

  artic_signal_server_free (server);
  artic_signal_message_free (offer);
  artic_srtp_secret_free (token);
  g_object_unref (trust);
  g_object_unref (cert);
  g_free (url);
  g_free (plain_url);
  g_free (cert_path);
  g_free (key_path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/signal-server/sessions", test_sessions);
  g_test_add_func ("/signal-server/bad-config", test_bad_config);
  g_test_add_func ("/signal-server/tls", test_tls);
  return g_test_run ();
}
