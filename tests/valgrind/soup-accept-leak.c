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

/* Shows that libsoup 3.2 (Debian 12: 3.2.3) itself loses the GSocket it
 * accepts for each request: a SoupServer on its own thread and context,
 * three POSTs answered with "Connection: close", then the server is
 * disconnected and freed. No artic code is involved. Under valgrind
 * memcheck it reports one GSocket per request "definitely lost", allocated
 * by g_socket_accept inside libsoup, the same record as in artic's
 * signaling server tests; that is why tests/valgrind.supp suppresses it
 * (docs/testing.md). Not built by default:
 *
 *   cc tests/valgrind/soup-accept-leak.c -o soup-accept-leak \
 *     $(pkg-config --cflags --libs libsoup-3.0)
 *   valgrind --leak-check=full --show-leak-kinds=definite ./soup-accept-leak
 */

#include <libsoup/soup.h>

#define REQUESTS 3

static GMainLoop *loop;
static SoupServer *server;

static void
handle (SoupServer *s, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer data)
{
  soup_message_headers_append (
      soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (
      msg, "text/plain", SOUP_MEMORY_COPY, "ok", 2);
}

static gpointer
serve (gpointer data)
{
  GMainContext *context = data;

  g_main_context_push_thread_default (context);
  g_main_loop_run (loop);
  soup_server_disconnect (server);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return NULL;
}

static gboolean
stop (gpointer data)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static guint
listen_on_loopback (void)
{
  GError *error = NULL;
  GSList *uris;
  guint port;

  if (!soup_server_listen_local (
          server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("listen: %s", error->message);
  uris = soup_server_get_uris (server);
  port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

static void
post (guint port)
{
  SoupSession *session = soup_session_new ();
  gchar *url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  SoupMessage *msg = soup_message_new ("POST", url);
  GError *error = NULL;
  GBytes *body = soup_session_send_and_read (session, msg, NULL, &error);

  g_print ("POST -> %u%s%s\n", soup_message_get_status (msg), error ? ": " : "",
      error ? error->message : "");
  g_clear_error (&error);
  if (body != NULL)
    g_bytes_unref (body);
  g_object_unref (msg);
  g_object_unref (session);
  g_free (url);
}

int
main (void)
{
  GMainContext *context = g_main_context_new ();
  GSource *source;
  GThread *thread;
  guint port, i;

  loop = g_main_loop_new (context, FALSE);
  g_main_context_push_thread_default (context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, "/", handle, NULL, NULL);
  port = listen_on_loopback ();
  g_main_context_pop_thread_default (context);
  thread = g_thread_new ("server", serve, context);
  for (i = 0; i < REQUESTS; i++)
    post (port);
  source = g_idle_source_new ();
  g_source_set_callback (source, stop, NULL, NULL);
  g_source_attach (source, context);
  g_source_unref (source);
  g_thread_join (thread);
  g_object_unref (server);
  g_main_loop_unref (loop);
  g_main_context_unref (context);
  return 0;
}
