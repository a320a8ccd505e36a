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

/* The receiver's session lifetime (artic_peer_server_*) with the sender's
 * side (artic_peer_client_*), all on loopback: two sessions at once, each
 * with its context channel both ways; a third offer refused while two are
 * live; one peer vanishes (the artic-netem relay on its path is killed
 * with SIGKILL) and its session ends after the idle timeout and is freed,
 * while the other keeps streaming; a peer that closes cleanly ends its
 * session at once; no session thread is left. */

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "artic-peer-client.h"
#include "artic-peer-server.h"

/* Long enough for the associations to come up on a loaded machine;
 * ARTIC_TEST_IDLE_MS raises it for slow runs (valgrind: 15000). */
static guint idle_timeout_ms = 3000;
#define IDLE_TIMEOUT_MS idle_timeout_ms

typedef struct
{
  GMutex lock;
  GCond cond;
  GHashTable *media;  /* session id -> packet count */
  GPtrArray *context; /* "id:text" */
  GPtrArray *ended;   /* "id:reason" */
  guint started;
} Received;

static Received rx;

static void
on_started (ArticPeerServer *server, const gchar *id, ArticPeerSession *session,
    gpointer user_data)
{
  g_mutex_lock (&rx.lock);
  rx.started++;
  g_cond_broadcast (&rx.cond);
  g_mutex_unlock (&rx.lock);
}

static void
on_media (ArticPeerServer *server, const gchar *id, gboolean rtcp,
    const guint8 *packet, gsize length, gpointer user_data)
{
  g_mutex_lock (&rx.lock);
  g_hash_table_insert (rx.media, g_strdup (id),
      GUINT_TO_POINTER (
          GPOINTER_TO_UINT (g_hash_table_lookup (rx.media, id)) + 1));
  g_cond_broadcast (&rx.cond);
  g_mutex_unlock (&rx.lock);
}

static void
on_context (ArticPeerServer *server, const gchar *id, const guint8 *data,
    gsize length, gpointer user_data)
{
  g_mutex_lock (&rx.lock);
  g_ptr_array_add (
      rx.context, g_strdup_printf ("%s:%.*s", id, (gint) length, data));
  g_cond_broadcast (&rx.cond);
  g_mutex_unlock (&rx.lock);
}

static void
on_ended (ArticPeerServer *server, const gchar *id, ArticPeerEndReason reason,
    gpointer user_data)
{
  g_mutex_lock (&rx.lock);
  g_ptr_array_add (rx.ended,
      g_strdup_printf ("%s:%s", id, artic_peer_end_reason_name (reason)));
  g_cond_broadcast (&rx.cond);
  g_mutex_unlock (&rx.lock);
}

static const ArticPeerServerCallbacks server_callbacks
    = { on_started, on_media, on_context, on_ended };

typedef struct
{
  GMutex lock;
  GCond cond;
  GPtrArray *context;
  gboolean open;
} Sender;

static void
on_client_context (ArticPeerClient *client, const guint8 *data, gsize length,
    gpointer user_data)
{
  Sender *s = user_data;

  g_mutex_lock (&s->lock);
  g_ptr_array_add (s->context, g_strndup ((const gchar *) data, length));
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
on_client_open (ArticPeerClient *client, gpointer user_data)
{
  Sender *s = user_data;

  g_mutex_lock (&s->lock);
  s->open = TRUE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static const ArticPeerClientCallbacks client_callbacks
    = { NULL, on_client_context, on_client_open };

static void
sender_init (Sender *s)
{
  memset (s, 0, sizeof (*s));
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->context = g_ptr_array_new_with_free_func (g_free);
}

static void
sender_clear (Sender *s)
{
  g_ptr_array_unref (s->context);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
}

static gboolean
sender_wait (Sender *s, guint messages, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean ok;

  g_mutex_lock (&s->lock);
  while ((!s->open || s->context->len < messages)
         && g_cond_wait_until (&s->cond, &s->lock, deadline))
    ;
  ok = s->open && s->context->len >= messages;
  g_mutex_unlock (&s->lock);
  return ok;
}

static guint
media_count (const gchar *id)
{
  guint n;

  g_mutex_lock (&rx.lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (rx.media, id));
  g_mutex_unlock (&rx.lock);
  return n;
}

static gboolean
wait_rx (guint context, guint ended, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean ok;

  g_mutex_lock (&rx.lock);
  while ((rx.context->len < context || rx.ended->len < ended)
         && g_cond_wait_until (&rx.cond, &rx.lock, deadline))
    ;
  ok = rx.context->len >= context && rx.ended->len >= ended;
  g_mutex_unlock (&rx.lock);
  return ok;
}

static void
send_rtp (ArticPeerClient *client, guint32 ssrc, guint16 seq)
{
  guint8 rtp[112] = { 0x80, 96 };
  GError *error = NULL;

  rtp[2] = seq >> 8;
  rtp[3] = seq & 0xff;
  rtp[8] = ssrc >> 24;
  rtp[9] = (ssrc >> 16) & 0xff;
  rtp[10] = (ssrc >> 8) & 0xff;
  rtp[11] = ssrc & 0xff;
  memset (rtp + 12, seq & 0xff, sizeof (rtp) - 12);
  if (!artic_peer_client_send_media (client, FALSE, rtp, sizeof (rtp), &error))
    g_clear_error (&error); /* the learning side may not know us yet */
}

/* Threads named by the session code (association, reaper). */
static guint
session_threads (void)
{
  DIR *dir = opendir ("/proc/self/task");
  struct dirent *entry;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((entry = readdir (dir)) != NULL) {
    gchar *path, *comm = NULL;

    if (entry->d_name[0] == '.')
      continue;
    path = g_strdup_printf ("/proc/self/task/%s/comm", entry->d_name);
    if (g_file_get_contents (path, &comm, NULL, NULL)
        && (g_str_has_prefix (comm, "artic-sctp")
            || g_str_has_prefix (comm, "artic-peer")))
      n++;
    g_free (comm);
    g_free (path);
  }
  closedir (dir);
  return n;
}

static GSubprocess *
start_relay (guint to_port, guint *listen_port)
{
  const gchar *program = g_getenv ("ARTIC_NETEM");
  gchar *to = g_strdup_printf ("127.0.0.1:%u", to_port);
  const gchar *argv[] = { program, "--listen", "127.0.0.1:0", "--to", to,
    "--duration", "120", NULL };
  GError *error = NULL;
  GSubprocess *relay;
  GDataInputStream *lines;
  gchar *line;
  const gchar *port_text;

  g_assert_nonnull (program);
  relay = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (relay));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  port_text = strstr (line, "127.0.0.1:");
  g_assert_nonnull (port_text);
  *listen_port = (guint) g_ascii_strtoull (port_text + 10, NULL, 10);
  g_free (line);
  g_object_unref (lines);
  g_free (to);
  return relay;
}

static void
test_lifetime (void)
{
  ArticPeerServerConfig config = { 0 };
  ArticPeerClientConfig cc = { 0 };
  ArticPeerServerStats stats;
  ArticPeerServer *server;
  ArticPeerClient *a, *b, *c;
  GSubprocess *relay;
  Sender sa, sb;
  GError *error = NULL;
  gchar *token, *url, *ended_a, *ended_b;
  const gchar *id_a, *id_b;
  guint relay_port, i, b_before, a_frozen;
  gint64 cut_us, ended_us = 0;

  token = artic_signal_token_generate (&error);
  g_assert_no_error (error);
  config.signal_address = "127.0.0.1";
  config.media_address = "127.0.0.1";
  config.token = token;
  config.max_sessions = 2;
  config.idle_timeout_ms = IDLE_TIMEOUT_MS;
  server = artic_peer_server_new (&config, &server_callbacks, NULL, &error);
  g_assert_no_error (error);
  url = g_strdup_printf (
      "http://127.0.0.1:%u", artic_peer_server_get_signal_port (server));

  /* A goes through the relay (the server learns the relay's address), B
   * directly. */
  relay = start_relay (artic_peer_server_get_media_port (server), &relay_port);
  sender_init (&sa);
  sender_init (&sb);
  cc.signal_url = url;
  cc.token = token;
  cc.profile = ARTIC_SRTP_PROFILE_DEFAULT;
  cc.media_host = "127.0.0.1";
  cc.media_port = relay_port;
  a = artic_peer_client_new (&cc, &client_callbacks, &sa, &error);
  g_assert_no_error (error);
  cc.media_host = NULL;
  cc.media_port = 0;
  b = artic_peer_client_new (&cc, &client_callbacks, &sb, &error);
  g_assert_no_error (error);
  id_a = artic_peer_client_get_session_id (a);
  id_b = artic_peer_client_get_session_id (b);
  g_assert_cmpstr (id_a, !=, id_b);

  /* A third while two are live: refused (503). */
  c = artic_peer_client_new (&cc, &client_callbacks, &sb, &error);
  g_assert_null (c);
  g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD);
  g_clear_error (&error);

  /* Context both ways on each session. */
  g_assert_true (sender_wait (&sa, 0, 10000));
  g_assert_true (sender_wait (&sb, 0, 10000));
  g_assert_true (artic_peer_client_send_context (a, "from a", 6, &error));
  g_assert_no_error (error);
  g_assert_true (artic_peer_client_send_context (b, "from b", 6, &error));
  g_assert_no_error (error);
  g_assert_true (wait_rx (2, 0, 10000));
  g_assert_cmpuint (
      artic_peer_server_send_context (server, id_a, "to a", 4), ==, 1);
  g_assert_cmpuint (
      artic_peer_server_send_context (server, NULL, "all", 3), ==, 2);
  g_assert_true (sender_wait (&sa, 2, 10000));
  g_assert_true (sender_wait (&sb, 1, 10000));
  g_assert_cmpstr (sa.context->pdata[0], ==, "to a");
  g_assert_cmpstr (sa.context->pdata[1], ==, "all");
  g_assert_cmpstr (sb.context->pdata[0], ==, "all");

  /* Media from both. */
  for (i = 0; i < 20; i++) {
    send_rtp (a, 0xaaaa, (guint16) i);
    send_rtp (b, 0xbbbb, (guint16) i);
    g_usleep (5000);
  }
  for (i = 0; i < 100 && (media_count (id_a) < 20 || media_count (id_b) < 20);
       i++)
    g_usleep (20000);
  g_assert_cmpuint (media_count (id_a), ==, 20);
  g_assert_cmpuint (media_count (id_b), ==, 20);

  /* A vanishes: its path is cut without a goodbye. B keeps streaming. */
  g_subprocess_force_exit (relay);
  g_subprocess_wait (relay, NULL, NULL);
  cut_us = g_get_monotonic_time ();
  a_frozen = media_count (id_a);
  ended_a = g_strdup_printf ("%s:idle", id_a);
  for (i = 0;
       g_get_monotonic_time () - cut_us < (gint64) 2 * IDLE_TIMEOUT_MS * 1000;
       i++) {
    send_rtp (a, 0xaaaa, (guint16) (100 + i));
    send_rtp (b, 0xbbbb, (guint16) (100 + i));
    g_usleep (10000);
    g_mutex_lock (&rx.lock);
    if (ended_us == 0 && rx.ended->len > 0)
      ended_us = g_get_monotonic_time ();
    g_mutex_unlock (&rx.lock);
  }
  g_assert_cmpuint (rx.ended->len, ==, 1);
  g_assert_cmpstr (rx.ended->pdata[0], ==, ended_a);
  /* Not before the timeout (the last valid packet came just before the
   * cut), and not much after it. */
  g_assert_cmpint (
      ended_us - cut_us, >=, (gint64) (IDLE_TIMEOUT_MS - 100) * 1000);
  g_assert_cmpint (
      ended_us - cut_us, <=, (gint64) (IDLE_TIMEOUT_MS + 2500) * 1000);
  g_assert_cmpuint (media_count (id_a), ==, a_frozen);
  g_assert_cmpuint (media_count (id_b), >=, 20 + i - 5);
  artic_peer_server_get_stats (server, &stats);
  g_assert_cmpuint (stats.live, ==, 1);
  g_assert_cmpuint (stats.ended_idle, ==, 1);
  /* B still streams and talks after A's session is gone. */
  b_before = media_count (id_b);
  send_rtp (b, 0xbbbb, 50000); /* after every earlier sequence number */
  g_assert_cmpuint (
      artic_peer_server_send_context (server, NULL, "b only", 6), ==, 1);
  g_assert_true (sender_wait (&sb, 2, 10000));
  g_assert_cmpstr (sb.context->pdata[1], ==, "b only");
  for (i = 0; i < 100 && media_count (id_b) == b_before; i++)
    g_usleep (20000);
  g_assert_cmpuint (media_count (id_b), >, b_before);

  /* B leaves cleanly: its session ends at once (SCTP shutdown). */
  ended_b = g_strdup_printf ("%s:closed", id_b);
  artic_peer_client_free (b);
  g_assert_true (wait_rx (2, 2, 5000));
  g_assert_cmpstr (rx.ended->pdata[1], ==, ended_b);
  artic_peer_server_get_stats (server, &stats);
  g_assert_cmpuint (stats.live, ==, 0);
  g_assert_cmpuint (stats.ended_closed, ==, 1);
  g_assert_cmpuint (stats.started, ==, 2);
  /* Ended sessions keep counting: "b only" and the earlier messages went
   * out, the DCEP ACKs and the clients' SCTP packets came in. */
  g_assert_cmpuint (stats.sctp_messages_sent, >=, 3);
  g_assert_cmpuint (stats.sctp_packets_in, >, 0);
  g_assert_cmpuint (stats.sctp_packets_out, >, 0);
  g_assert_cmpuint (stats.data_auth_failed, ==, 0);

  artic_peer_client_free (a);
  artic_peer_server_free (server);
  /* Every session, association and reaper thread is gone. */
  for (i = 0; i < 50 && session_threads () > 0; i++)
    g_usleep (20000);
  g_assert_cmpuint (session_threads (), ==, 0);
  g_free (ended_a);
  g_free (ended_b);
  g_object_unref (relay);
  sender_clear (&sa);
  sender_clear (&sb);
  g_free (url);
  artic_srtp_secret_free (token);
}

int
main (int argc, char **argv)
{
  gint status;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("ARTIC_TEST_IDLE_MS") != NULL)
    idle_timeout_ms
        = (guint) g_ascii_strtoull (g_getenv ("ARTIC_TEST_IDLE_MS"), NULL, 10);
  g_mutex_init (&rx.lock);
  g_cond_init (&rx.cond);
  rx.media = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rx.context = g_ptr_array_new_with_free_func (g_free);
  rx.ended = g_ptr_array_new_with_free_func (g_free);
  g_test_add_func ("/peer-server/lifetime", test_lifetime);
  status = g_test_run ();
  g_hash_table_unref (rx.media);
  g_ptr_array_unref (rx.context);
  g_ptr_array_unref (rx.ended);
  if (!artic_sctp_finish (10000)) {
    g_printerr ("usrsctp_finish did not complete\n");
    return 1;
  }
  return status;
}
