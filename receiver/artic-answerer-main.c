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

/* artic-answerer: the offline reference MLLM endpoint. An OpenAI-compatible
 * HTTP server (POST /v1/chat/completions, GET /v1/models) that answers from
 * the pixels with Tesseract OCR and zbar; see docs/answerer.md.
 *
 * Requests are handled one at a time, in the server's main loop: the OCR
 * engine is not thread-safe and one request already keeps a core busy, so a
 * pool would only trade latency between requests on small machines. Other
 * connections wait in the listen backlog meanwhile. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "artic-answerer.h"

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <gst/gst.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#define PROGRAM "artic-answerer"
#define DEFAULT_LISTEN "127.0.0.1:8090"
#define DEFAULT_MAX_BODY_MB 32
#define MAX_MAX_BODY_MB 1024
#define MAX_MAX_IMAGES 500
#define BODY_KEY "artic-answerer-body"
#define OVERSIZE_KEY "artic-answerer-oversize"

typedef struct
{
  ArticAnswererVision *vision;
  gchar *model;
  gchar *api_key; /* never logged */
  gsize max_body;
  guint max_images;
  gint64 started;
  guint requests;
} Server;

static void
reply_json (SoupServerMessage *msg, guint status, gchar *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (
      msg, "application/json", SOUP_MEMORY_TAKE, json, strlen (json));
}

static void
reply_error (SoupServerMessage *msg, guint status, const gchar *message,
    const gchar *type, const gchar *param, const gchar *code)
{
  reply_json (
      msg, status, artic_answerer_error_json (message, type, param, code));
}

/* Constant-time comparison: a timing side channel on the key would be a
 * silly way to leak it. */
static gboolean
key_equal (const gchar *a, const gchar *b)
{
  gsize la = strlen (a), lb = strlen (b), i;
  guint diff = la != lb;

  for (i = 0; i < la; i++)
    diff |= (guint) (a[i] ^ b[i % MAX (lb, 1)]);
  return diff == 0;
}

static gboolean
authorized (Server *server, SoupServerMessage *msg)
{
  const gchar *header;

  if (server->api_key == NULL)
    return TRUE;
  header = soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), "Authorization");
  return header != NULL && g_ascii_strncasecmp (header, "Bearer ", 7) == 0
         && key_equal (header + 7, server->api_key);
}

static void
log_request (SoupServerMessage *msg, const gchar *path, const gchar *kind,
    guint images, gboolean stream, gint64 start)
{
  g_print (PROGRAM ": %s %s %u kind=%s images=%u stream=%s %.1f ms\n",
      soup_server_message_get_method (msg), path,
      soup_server_message_get_status (msg), kind, images, stream ? "yes" : "no",
      (g_get_monotonic_time () - start) / 1000.0);
}

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, Server *server)
{
  GByteArray *body = g_object_get_data (G_OBJECT (msg), BODY_KEY);
  gsize size = g_bytes_get_size (chunk);

  /* Keep counting but stop storing: memory stays at the limit whatever a
   * chunked upload sends. */
  if (body->len + size > server->max_body) {
    g_object_set_data (G_OBJECT (msg), OVERSIZE_KEY, GINT_TO_POINTER (1));
    return;
  }
  g_byte_array_append (body, g_bytes_get_data (chunk, NULL), size);
}

/* Runs after the headers, before the body: refuses unauthorised and
 * oversized requests without reading their bodies. */
static void
early_handler (SoupServer *soup, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  Server *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (!authorized (server, msg)) {
    reply_error (msg, SOUP_STATUS_UNAUTHORIZED,
        "missing or wrong API key (send 'Authorization: Bearer <key>')",
        "invalid_request_error", NULL, "invalid_api_key");
    /* libsoup answers now and never calls the main handler: log here. */
    server->requests++;
    log_request (msg, path, "-", 0, FALSE, g_get_monotonic_time ());
    return;
  }
  if (soup_message_headers_get_encoding (headers)
          == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64) soup_message_headers_get_content_length (headers)
             > server->max_body) {
    gchar *text = g_strdup_printf (
        "request body larger than %" G_GSIZE_FORMAT " bytes", server->max_body);
    reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, text,
        "invalid_request_error", NULL, "request_too_large");
    g_free (text);
    server->requests++;
    log_request (msg, path, "-", 0, FALSE, g_get_monotonic_time ());
    return;
  }
  soup_message_body_set_accumulate (
      soup_server_message_get_request_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), BODY_KEY, g_byte_array_new (),
      (GDestroyNotify) g_byte_array_unref);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), server);
}

static const gchar *
error_code_name (const GError *error)
{
  switch (error->code) {
    case ARTIC_ANSWERER_ERROR_IMAGE:
      return "invalid_image";
    case ARTIC_ANSWERER_ERROR_TOO_LARGE:
      return "request_too_large";
    case ARTIC_ANSWERER_ERROR_TOO_MANY_IMAGES:
      return "too_many_images";
    default:
      return "invalid_request";
  }
}

static gchar *
new_id (void)
{
  return g_strdup_printf ("chatcmpl-%08x%08x%08x", g_random_int (),
      g_random_int (), g_random_int ());
}

static void
handle_chat (Server *server, SoupServerMessage *msg, const char *path)
{
  GByteArray *body = g_object_get_data (G_OBJECT (msg), BODY_KEY);
  ArticAnswererRequest *request;
  ArticAnswererQuery *query = NULL;
  ArticAnswererUsage usage;
  GError *error = NULL;
  gchar *param = NULL, *content, *id;
  const gchar *model;
  gint64 start = g_get_monotonic_time ();

  if (body == NULL || g_object_get_data (G_OBJECT (msg), OVERSIZE_KEY)) {
    gchar *text = g_strdup_printf (
        "request body larger than %" G_GSIZE_FORMAT " bytes", server->max_body);
    reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, text,
        "invalid_request_error", NULL, "request_too_large");
    g_free (text);
    log_request (msg, path, "-", 0, FALSE, start);
    return;
  }
  request = artic_answerer_request_parse ((const gchar *) body->data, body->len,
      server->max_images, &param, &error);
  if (request == NULL) {
    guint status = artic_answerer_error_status (error);
    reply_error (msg, status, error->message, "invalid_request_error", param,
        error_code_name (error));
    log_request (msg, path, "-", 0, FALSE, start);
    g_error_free (error);
    g_free (param);
    return;
  }
  query = artic_answerer_query_new (request->system, request->prompt);
  content = artic_answerer_respond (server->vision, request, query, &error);
  if (content == NULL) {
    reply_error (msg, SOUP_STATUS_BAD_REQUEST, error->message,
        "invalid_request_error", "messages", "invalid_image");
    g_error_free (error);
  } else {
    model = request->model ? request->model : server->model;
    id = new_id ();
    artic_answerer_usage_estimate (request, content, &usage);
    if (request->stream) {
      gchar *sse = artic_answerer_sse_body (id, g_get_real_time () / 1000000,
          model, content, &usage, request->include_usage);
      SoupMessageHeaders *headers
          = soup_server_message_get_response_headers (msg);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_replace (headers, "Cache-Control", "no-cache");
      soup_server_message_set_response (
          msg, "text/event-stream", SOUP_MEMORY_TAKE, sse, strlen (sse));
    } else {
      reply_json (msg, SOUP_STATUS_OK,
          artic_answerer_completion_json (
              id, g_get_real_time () / 1000000, model, content, &usage));
    }
    g_free (id);
    g_free (content);
  }
  log_request (msg, path, artic_answerer_kind_name (query->kind),
      request->images->len, request->stream, start);
  artic_answerer_query_free (query);
  artic_answerer_request_free (request);
}

static void
handle_models (Server *server, SoupServerMessage *msg)
{
  JsonBuilder *b = json_builder_new ();
  JsonNode *root;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "object");
  json_builder_add_string_value (b, "list");
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, server->model);
  json_builder_set_member_name (b, "object");
  json_builder_add_string_value (b, "model");
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, server->started);
  json_builder_set_member_name (b, "owned_by");
  json_builder_add_string_value (b, "artic");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  reply_json (msg, SOUP_STATUS_OK, json_to_string (root, FALSE));
  json_node_unref (root);
  g_object_unref (b);
}

static void
handler (SoupServer *soup, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  Server *server = user_data;
  const gchar *method = soup_server_message_get_method (msg);
  gint64 start = g_get_monotonic_time ();

  server->requests++;
  if (g_str_equal (path, "/v1/chat/completions")) {
    if (g_str_equal (method, "POST")) {
      handle_chat (server, msg, path);
      return;
    }
  } else if (g_str_equal (path, "/v1/models")
             || g_str_equal (path, "/health")) {
    if (g_str_equal (method, "GET")) {
      if (path[1] == 'h')
        reply_json (msg, SOUP_STATUS_OK, g_strdup ("{\"status\":\"ok\"}"));
      else
        handle_models (server, msg);
      log_request (msg, path, "-", 0, FALSE, start);
      return;
    }
  } else {
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "no such endpoint",
        "invalid_request_error", NULL, "not_found");
    log_request (msg, path, "-", 0, FALSE, start);
    return;
  }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
      "Allow", g_str_equal (path, "/v1/chat/completions") ? "POST" : "GET");
  reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method not allowed",
      "invalid_request_error", NULL, "method_not_allowed");
  log_request (msg, path, "-", 0, FALSE, start);
}

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int usage_error (GOptionContext *context, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static int
usage_error (GOptionContext *context, const gchar *format, ...)
{
  va_list args;
  gchar *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr (PROGRAM ": error: %s\n", text);
  g_free (text);
  g_option_context_free (context);
  return 2;
}

/* "HOST:PORT" or "[V6]:PORT"; HOST must be a literal address. */
static GSocketAddress *
parse_listen (const gchar *text)
{
  const gchar *colon = strrchr (text, ':');
  gchar *host, *end = NULL;
  guint64 port;
  GInetAddress *address;
  GSocketAddress *socket_address = NULL;

  if (colon == NULL || colon == text || colon[1] == '\0')
    return NULL;
  port = g_ascii_strtoull (colon + 1, &end, 10);
  if (end == NULL || *end != '\0' || port > 65535)
    return NULL;
  if (text[0] == '[' && colon[-1] == ']')
    host = g_strndup (text + 1, colon - text - 2);
  else
    host = g_strndup (text, colon - text);
  address = g_inet_address_new_from_string (host);
  g_free (host);
  if (address != NULL) {
    socket_address = g_inet_socket_address_new (address, (guint16) port);
    g_object_unref (address);
  }
  return socket_address;
}

int
main (int argc, char **argv)
{
  /* Freed on every return, the early error exits included. */
  g_autofree gchar *listen = NULL, *model = NULL, *key_env = NULL;
  g_autofree gchar *port_file = NULL, *tessdata = NULL;
  gint max_body_mb = DEFAULT_MAX_BODY_MB;
  gint max_images = ARTIC_ANSWERER_DEFAULT_MAX_IMAGES;
  GOptionEntry entries[] = { { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
                                 "Address to listen on (default " DEFAULT_LISTEN
                                 "; port 0 = any free "
                                 "port)",
                                 "HOST:PORT" },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model,
        "Model name reported by /v1/models and in replies "
        "(default " ARTIC_ANSWERER_DEFAULT_MODEL ")",
        "NAME" },
    { "api-key-env", 0, 0, G_OPTION_ARG_STRING, &key_env,
        "Require 'Authorization: Bearer <key>' with the key read from this "
        "environment variable",
        "VAR" },
    { "max-body-mb", 0, 0, G_OPTION_ARG_INT, &max_body_mb,
        "Largest request body in MiB; larger ones get 413 (default 32)", "N" },
    { "max-images", 0, 0, G_OPTION_ARG_INT, &max_images,
        "Most images in one request (default 16)", "N" },
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file,
        "Write the port actually listened on to this file", "FILE" },
    { "tessdata", 0, 0, G_OPTION_ARG_FILENAME, &tessdata,
        "Directory holding eng.traineddata (default: found automatically)",
        "DIR" },
    { NULL } };
  GOptionContext *context;
  GError *error = NULL;
  GSocketAddress *address;
  SoupServer *soup;
  GSList *listeners;
  GMainLoop *loop;
  Server server = { 0 };
  guint port = 0;
  gint status = 0;

  context = g_option_context_new ("- offline reference MLLM endpoint");
  g_option_context_set_summary (context,
      "An OpenAI-compatible Chat Completions server that answers questions "
      "about\nimages from what Tesseract OCR and zbar read in them: a "
      "text-reading\nstand-in for a real multimodal LLM (see "
      "docs/answerer.md).");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    int rc = usage_error (context, "%s", error->message);
    g_error_free (error);
    return rc;
  }
  if (argc > 1)
    return usage_error (context, "unexpected argument '%s'", argv[1]);
  if (max_body_mb < 1 || max_body_mb > MAX_MAX_BODY_MB)
    return usage_error (
        context, "--max-body-mb must be 1..%d", MAX_MAX_BODY_MB);
  if (max_images < 1 || max_images > MAX_MAX_IMAGES)
    return usage_error (context, "--max-images must be 1..%d", MAX_MAX_IMAGES);
  address = parse_listen (listen ? listen : DEFAULT_LISTEN);
  if (address == NULL)
    return usage_error (context,
        "--listen wants HOST:PORT with a literal address, got '%s'",
        listen ? listen : DEFAULT_LISTEN);
  if (model != NULL && *model == '\0') {
    g_object_unref (address);
    return usage_error (context, "--model must not be empty");
  }
  if (key_env != NULL) {
    const gchar *value = g_getenv (key_env);
    if (value == NULL || *value == '\0') {
      g_object_unref (address);
      return usage_error (context,
          "--api-key-env: environment variable %s is not set", key_env);
    }
    server.api_key = g_strdup (value);
  }
  g_option_context_free (context);

  server.vision = artic_answerer_vision_new (tessdata, &error);
  if (server.vision == NULL) {
    g_printerr (PROGRAM ": error: %s\n", error->message);
    g_error_free (error);
    g_object_unref (address);
    return 1;
  }
  server.model = g_strdup (model ? model : ARTIC_ANSWERER_DEFAULT_MODEL);
  server.max_body = (gsize) max_body_mb * 1024 * 1024;
  server.max_images = (guint) max_images;
  server.started = g_get_real_time () / 1000000;

  soup = soup_server_new ("server-header", PROGRAM " ", NULL);
  soup_server_add_early_handler (soup, NULL, early_handler, &server, NULL);
  soup_server_add_handler (soup, NULL, handler, &server, NULL);
  if (!soup_server_listen (soup, address, 0, &error)) {
    g_printerr (PROGRAM ": error: cannot listen on %s: %s\n",
        listen ? listen : DEFAULT_LISTEN, error->message);
    g_error_free (error);
    status = 1;
    goto out;
  }
  /* From the listening socket, not soup_server_get_uris (), which leaks
   * an address object in libsoup 3.2. */
  listeners = soup_server_get_listeners (soup);
  if (listeners != NULL) {
    GSocketAddress *local = g_socket_get_local_address (listeners->data, NULL);
    if (local != NULL) {
      gchar *host = g_inet_address_to_string (
          g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
      g_print (PROGRAM ": listening on http://%s%s%s:%u/v1 (model %s%s)\n",
          strchr (host, ':') ? "[" : "", host, strchr (host, ':') ? "]" : "",
          port, server.model, server.api_key ? ", API key required" : "");
      g_free (host);
      g_object_unref (local);
    }
  }
  g_slist_free (listeners);
  if (port_file != NULL) {
    gchar *text = g_strdup_printf ("%u\n", port);
    if (!g_file_set_contents (port_file, text, -1, &error)) {
      g_printerr (PROGRAM ": error: %s\n", error->message);
      g_error_free (error);
      g_free (text);
      status = 1;
      goto out;
    }
    g_free (text);
  }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  g_main_loop_unref (loop);
  g_print (PROGRAM ": stopped after %u requests\n", server.requests);

out:
  soup_server_disconnect (soup);
  g_object_unref (soup);
  g_object_unref (address);
  artic_answerer_vision_free (server.vision);
  g_free (server.model);
  if (server.api_key)
    memset (server.api_key, 0, strlen (server.api_key));
  g_free (server.api_key);
  gst_deinit ();
  return status;
}
