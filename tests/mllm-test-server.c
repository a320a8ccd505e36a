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

/* TEST DOUBLE (see mllm-test-server.h): a real HTTP server whose answers are
 * scripted per mode. */

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mllm-test-server.h"

/* The endless modes stop on their own after this much, so that a client
 * that fails to enforce its caps makes the test fail, not hang. */
#define ENDLESS_LIMIT_BYTES (512u * 1024 * 1024)
#define ENDLESS_PIECE_BYTES (16 * 1024)

struct _ArticTestMllmServer
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  guint port;
  GMutex lock;
  GCond ready;
  gboolean started;
  GHashTable *requests; /* mode -> count */
  gchar *last_body;
  gchar *last_auth;
  guint64 bytes_streamed;
};

/* A response written piece by piece, each piece after the previous one was
 * written (so the server's own memory stays small), optionally after a
 * delay. */
typedef struct
{
  ArticTestMllmServer *self;
  SoupServerMessage *msg;
  GQueue pieces; /* gchar*, NULL = complete the body */
  gchar *(*generate) (void);
  guint delay_ms;
  guint64 sent;
  gboolean finished;
  gboolean stall; /* after the queue, send nothing more, never finish */
  guint refs;     /* the live message holds one, a pending timer another */
} ArticTestStream;

static gboolean stream_next (gpointer data);

static void
stream_unref (gpointer data)
{
  ArticTestStream *s = data;

  if (--s->refs > 0)
    return;
  g_queue_clear_full (&s->pieces, g_free);
  g_object_unref (s->msg);
  g_free (s);
}

static void
on_finished (SoupServerMessage *msg, ArticTestStream *s)
{
  s->finished = TRUE;
  g_signal_handlers_disconnect_by_data (msg, s);
  stream_unref (s);
}

static void
on_wrote_chunk (SoupServerMessage *msg, guint size, ArticTestStream *s)
{
  if (s->delay_ms > 0) {
    GSource *source = g_timeout_source_new (s->delay_ms);

    s->refs++;
    g_source_set_callback (source, stream_next, s, stream_unref);
    g_source_attach (source, g_main_context_get_thread_default ());
    g_source_unref (source);
  } else {
    stream_next (s);
  }
}

static gboolean
stream_next (gpointer data)
{
  ArticTestStream *s = data;
  SoupMessageBody *body = soup_server_message_get_response_body (s->msg);
  gchar *piece = NULL;

  if (s->finished)
    return G_SOURCE_REMOVE;
  if (!g_queue_is_empty (&s->pieces)) {
    piece = g_queue_pop_head (&s->pieces);
    if (piece == NULL) {
      soup_message_body_complete (body);
      soup_server_message_unpause (s->msg);
      return G_SOURCE_REMOVE; /* freed on "finished" */
    }
  } else if (s->generate != NULL && s->sent < ENDLESS_LIMIT_BYTES) {
    piece = s->generate ();
  } else if (s->stall) {
    return G_SOURCE_REMOVE;
  } else {
    soup_message_body_complete (body);
    soup_server_message_unpause (s->msg);
    return G_SOURCE_REMOVE;
  }
  s->sent += strlen (piece);
  g_mutex_lock (&s->self->lock);
  s->self->bytes_streamed += strlen (piece);
  g_mutex_unlock (&s->self->lock);
  soup_message_body_append (body, SOUP_MEMORY_TAKE, piece, strlen (piece));
  soup_server_message_unpause (s->msg);
  return G_SOURCE_REMOVE;
}

static ArticTestStream *
stream_new (ArticTestMllmServer *self, SoupServerMessage *msg)
{
  ArticTestStream *s = g_new0 (ArticTestStream, 1);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  s->self = self;
  s->refs = 1;
  s->msg = g_object_ref (msg);
  g_queue_init (&s->pieces);
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (
      soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), s);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), s);
  return s;
}

static void
stream_start (ArticTestStream *s)
{
  soup_server_message_pause (s->msg);
  stream_next (s);
}

static gchar *
delta_event (const gchar *content, const gchar *eol)
{
  JsonBuilder *b = json_builder_new ();
  JsonNode *root;
  gchar *json, *event;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "object");
  json_builder_add_string_value (b, "chat.completion.chunk");
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "delta");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_add_string_value (b, content);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  event = g_strdup_printf ("data: %s%s%s", json, eol, eol);
  g_free (json);
  json_node_unref (root);
  g_object_unref (b);
  return event;
}

static gboolean
is_complete_jpeg (const gchar *url)
{
  const gchar *prefix = "data:image/jpeg;base64,";
  guchar *data;
  gsize size;
  gboolean ok;

  if (!g_str_has_prefix (url, prefix))
    return FALSE;
  data = g_base64_decode (url + strlen (prefix), &size);
  ok = size > 4 && data[0] == 0xff && data[1] == 0xd8 && data[size - 2] == 0xff
       && data[size - 1] == 0xd9;
  g_free (data);
  return ok;
}

/* "images=N jpegs=M question=Q" from the request, or NULL if malformed. */
static gchar *
echo_answer (const gchar *body, gsize size)
{
  JsonParser *parser = json_parser_new ();
  JsonArray *messages, *content;
  JsonObject *root, *user;
  guint i, images = 0, jpegs = 0;
  const gchar *question = "";
  gchar *answer = NULL;

  if (!json_parser_load_from_data (parser, body, size, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto out;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "messages"))
    goto out;
  messages = json_object_get_array_member (root, "messages");
  if (messages == NULL || json_array_get_length (messages) == 0)
    goto out;
  user = json_array_get_object_element (
      messages, json_array_get_length (messages) - 1);
  if (user == NULL || !json_object_has_member (user, "content"))
    goto out;
  content = json_object_get_array_member (user, "content");
  if (content == NULL)
    goto out;
  for (i = 0; i < json_array_get_length (content); i++) {
    JsonObject *part = json_array_get_object_element (content, i);
    const gchar *type = json_object_get_string_member (part, "type");

    if (g_strcmp0 (type, "image_url") == 0) {
      JsonObject *image = json_object_get_object_member (part, "image_url");

      images++;
      jpegs += is_complete_jpeg (json_object_get_string_member (image, "url"));
    } else if (g_strcmp0 (type, "text") == 0) {
      question = json_object_get_string_member (part, "text");
    }
  }
  answer = g_strdup_printf (
      "images=%u jpegs=%u question=%s", images, jpegs, question);
out:
  g_object_unref (parser);
  return answer;
}

static void
queue_answer (ArticTestStream *s, const gchar *answer, const gchar *eol,
    gboolean comments)
{
  gchar **words = g_strsplit (answer, " ", -1);
  guint i;

  if (comments)
    g_queue_push_tail (
        &s->pieces, g_strdup_printf (": keep-alive%s%s", eol, eol));
  for (i = 0; words[i] != NULL; i++) {
    gchar *piece = g_strconcat (i > 0 ? " " : "", words[i], NULL);

    g_queue_push_tail (&s->pieces, delta_event (piece, eol));
    if (comments)
      g_queue_push_tail (&s->pieces, g_strdup_printf (": ping%s", eol));
    g_free (piece);
  }
  g_strfreev (words);
  if (comments) {
    /* One event over several data lines, with an event type. */
    g_queue_push_tail (&s->pieces,
        g_strdup_printf ("event: message%sdata: {\"choices\":[{\"index\":0,%s"
                         "data: \"delta\":{},\"finish_reason\":\"stop\"}]}%s%s",
            eol, eol, eol, eol));
  } else {
    g_queue_push_tail (&s->pieces,
        g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":{},"
                         "\"finish_reason\":\"stop\"}]}%s%s",
            eol, eol));
  }
  g_queue_push_tail (&s->pieces,
      g_strdup_printf ("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":"
                       "%u,\"completion_tokens\":%u}}%s%s",
          100, i, eol, eol));
  g_queue_push_tail (
      &s->pieces, g_strdup_printf ("data: [DONE]%s%s", eol, eol));
  g_queue_push_tail (&s->pieces, NULL);
}

static gchar *
generate_delta (void)
{
  gchar *content = g_strnfill (ENDLESS_PIECE_BYTES - 64, 'a');
  gchar *event = delta_event (content, "\n");

  g_free (content);
  return event;
}

static gchar *
generate_line (void)
{
  return g_strnfill (ENDLESS_PIECE_BYTES, 'x');
}

static gchar *
generate_comments (void)
{
  GString *s = g_string_new (NULL);

  while (s->len < ENDLESS_PIECE_BYTES)
    g_string_append (s, ": still thinking\n\n");
  return g_string_free (s, FALSE);
}

static void
respond_error (SoupServerMessage *msg, guint status, const gchar *message,
    const gchar *retry_after)
{
  gchar *body = g_strdup_printf (
      "{\"error\":{\"message\":\"%s\",\"type\":\"test_double\"}}", message);

  soup_server_message_set_status (msg, status, NULL);
  if (retry_after != NULL)
    soup_message_headers_replace (
        soup_server_message_get_response_headers (msg), "Retry-After",
        retry_after);
  soup_server_message_set_response (
      msg, "application/json", SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
handle (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  ArticTestMllmServer *self = user_data;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  gchar **segments = g_strsplit (path + 1, "/", 2);
  const gchar *mode = segments[0] != NULL ? segments[0] : "";
  const gchar *auth = soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), "Authorization");
  gchar *answer = echo_answer (request->data, request->length);
  ArticTestStream *s;
  guint n;

  g_mutex_lock (&self->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, mode)) + 1;
  g_hash_table_insert (self->requests, g_strdup (mode), GUINT_TO_POINTER (n));
  g_free (self->last_body);
  self->last_body = g_strndup (request->data, request->length);
  g_free (self->last_auth);
  self->last_auth = g_strdup (auth);
  g_mutex_unlock (&self->lock);

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST
      || !g_str_has_suffix (path, "/v1/chat/completions")) {
    respond_error (msg, 404, "no such endpoint", NULL);
  } else if (answer == NULL) {
    respond_error (msg, 400, "the body is not a chat request", NULL);
  } else if (strcmp (mode, "fail-once") == 0 && n == 1) {
    respond_error (msg, 500, "transient failure", NULL);
  } else if (strcmp (mode, "retry-after") == 0 && n == 1) {
    respond_error (msg, 429, "rate limited", "1");
  } else if (strcmp (mode, "always-503") == 0) {
    respond_error (msg, 503, "overloaded", NULL);
  } else if (strcmp (mode, "bad-request") == 0) {
    respond_error (msg, 400, "Invalid image: not a JPEG", NULL);
  } else if (strcmp (mode, "json") == 0) {
    gchar *body = g_strdup_printf (
        "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
        "\"message\":{\"role\":\"assistant\",\"content\":\"%s\"},"
        "\"finish_reason\":\"stop\"}]}",
        answer);

    soup_server_message_set_status (msg, 200, NULL);
    soup_server_message_set_response (
        msg, "application/json", SOUP_MEMORY_TAKE, body, strlen (body));
  } else {
    s = stream_new (self, msg);
    if (strcmp (mode, "crlf") == 0) {
      queue_answer (s, answer, "\r\n", TRUE);
    } else if (strcmp (mode, "slow") == 0) {
      s->delay_ms = 50;
      queue_answer (s, answer, "\n", FALSE);
      /* The first token, too, comes after a delay. */
      g_queue_push_head (&s->pieces, g_strdup (": warming up\n"));
    } else if (strcmp (mode, "garbage") == 0) {
      g_queue_push_tail (&s->pieces, g_strdup ("data: {\"choices\": [tru\n\n"));
      g_queue_push_tail (&s->pieces, NULL);
    } else if (strcmp (mode, "truncated") == 0) {
      g_queue_push_tail (&s->pieces, delta_event ("partial", "\n"));
      g_queue_push_tail (&s->pieces,
          g_strdup ("data: {\"choices\":[{\"delta\":{\"content\":\"cut"));
      g_queue_push_tail (&s->pieces, NULL);
    } else if (strcmp (mode, "error-in-stream") == 0) {
      g_queue_push_tail (&s->pieces, delta_event ("partial", "\n"));
      g_queue_push_tail (&s->pieces,
          g_strdup ("data: {\"error\":{\"message\":\"model crashed\"}}\n\n"));
      g_queue_push_tail (&s->pieces, NULL);
    } else if (strcmp (mode, "stall") == 0) {
      g_queue_push_tail (&s->pieces, delta_event ("thinking", "\n"));
      s->stall = TRUE;
    } else if (strcmp (mode, "endless") == 0) {
      s->generate = generate_delta;
    } else if (strcmp (mode, "huge-line") == 0) {
      g_queue_push_tail (&s->pieces, g_strdup ("data: "));
      s->generate = generate_line;
    } else if (strcmp (mode, "endless-comments") == 0) {
      s->generate = generate_comments;
    } else {
      queue_answer (s, answer, "\n", FALSE);
    }
    stream_start (s);
  }
  g_free (answer);
  g_strfreev (segments);
}

static gpointer
server_thread (gpointer data)
{
  ArticTestMllmServer *self = data;
  GError *error = NULL;
  GSocket *socket;
  GInetAddress *loopback;
  GSocketAddress *address;

  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, handle, self, NULL);
  /* Our own socket: soup_server_listen_local() leaks an address in
   * libsoup 3.2. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, &error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (socket == NULL || !g_socket_bind (socket, address, TRUE, &error)
      || !g_socket_listen (socket, &error)
      || !soup_server_listen_socket (self->server, socket, 0, &error))
    g_error ("test server: %s", error->message);
  g_object_unref (address);
  /* The port from our socket: soup_server_get_uris() leaks in 3.2 too. */
  address = g_socket_get_local_address (socket, &error);
  g_mutex_lock (&self->lock);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  self->started = TRUE;
  g_cond_signal (&self->ready);
  g_mutex_unlock (&self->lock);
  g_object_unref (address);
  g_object_unref (loopback);
  g_object_unref (socket);

  g_main_loop_run (self->loop);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  /* Let pending stream callbacks see their messages finish. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

ArticTestMllmServer *
artic_test_mllm_server_start (void)
{
  ArticTestMllmServer *self = g_new0 (ArticTestMllmServer, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->ready);
  self->requests
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("test-mllm-server", server_thread, self);
  g_mutex_lock (&self->lock);
  while (!self->started)
    g_cond_wait (&self->ready, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
artic_test_mllm_server_stop (ArticTestMllmServer *self)
{
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_hash_table_unref (self->requests);
  g_free (self->last_body);
  g_free (self->last_auth);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->ready);
  g_free (self);
}

gchar *
artic_test_mllm_server_url (ArticTestMllmServer *self, const gchar *mode)
{
  return g_strdup_printf ("http://127.0.0.1:%u/%s/v1", self->port, mode);
}

guint
artic_test_mllm_server_requests (ArticTestMllmServer *self, const gchar *mode)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, mode));
  g_mutex_unlock (&self->lock);
  return n;
}

gchar *
artic_test_mllm_server_last_body (ArticTestMllmServer *self)
{
  gchar *s;

  g_mutex_lock (&self->lock);
  s = g_strdup (self->last_body);
  g_mutex_unlock (&self->lock);
  return s;
}

gchar *
artic_test_mllm_server_last_auth (ArticTestMllmServer *self)
{
  gchar *s;

  g_mutex_lock (&self->lock);
  s = g_strdup (self->last_auth);
  g_mutex_unlock (&self->lock);
  return s;
}

guint64
artic_test_mllm_server_bytes_streamed (ArticTestMllmServer *self)
{
  guint64 n;

  g_mutex_lock (&self->lock);
  n = self->bytes_streamed;
  g_mutex_unlock (&self->lock);
  return n;
}
