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

/* OpenAI Chat Completions over libsoup 3, streamed.
 *
 * Every request runs synchronously in the calling thread (the async variant
 * runs it in a GTask thread). Timeouts that libsoup has no knob for - the
 * connect/header deadline and the total deadline - are enforced by a small
 * watchdog thread that cancels the request's GCancellable; the idle read
 * timeout is the session's socket I/O timeout. */

#define G_LOG_DOMAIN "artic-mllm"

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "artic-mllm-client.h"
#include "artic-sse.h"

#define ARTIC_MLLM_READ_SIZE 16384

struct _ArticMllmClient
{
  ArticMllmClientConfig config; /* strings point at the copies below */
  gchar *endpoint;
  gchar *model;
  gchar *api_key_env;
  gchar *system_prompt;
  gchar *detail;
  gchar *url;
  gchar *api_key; /* secret: never logged, wiped on free */

  GMutex lock; /* one request at a time per client */
  SoupSession *session;

  GMainContext *watch_context;
  GMainLoop *watch_loop;
  GThread *watch_thread;
};

/* A deadline armed on the watchdog thread. Reference-counted because the
 * watchdog may be running the callback while the request disarms it. */
typedef struct
{
  GCancellable *cancellable;
  gint fired;
  GSource *source;
} ArticMllmDeadline;

typedef struct
{
  ArticMllmClient *client;
  ArticMllmDeltaFunc on_delta;
  gpointer user_data;
  ArticMllmResult *result;
  GString *answer;
  gint64 start_us;
  gboolean done;
  gboolean delivered;
  GError *error;
} ArticMllmRequest;

G_DEFINE_QUARK (artic - mllm - client - error - quark, artic_mllm_client_error)

void
artic_mllm_client_config_init (ArticMllmClientConfig *config)
{
  memset (config, 0, sizeof (*config));
  config->endpoint = ARTIC_MLLM_DEFAULT_ENDPOINT;
  config->model = ARTIC_MLLM_DEFAULT_MODEL;
  config->api_key_env = ARTIC_MLLM_DEFAULT_API_KEY_ENV;
  config->detail = ARTIC_MLLM_DEFAULT_DETAIL;
  config->frame_window = ARTIC_MLLM_DEFAULT_FRAME_WINDOW;
  config->connect_timeout_s = ARTIC_MLLM_DEFAULT_CONNECT_TIMEOUT_S;
  config->read_timeout_s = ARTIC_MLLM_DEFAULT_READ_TIMEOUT_S;
  config->total_timeout_s = ARTIC_MLLM_DEFAULT_TOTAL_TIMEOUT_S;
  config->max_retries = ARTIC_MLLM_DEFAULT_MAX_RETRIES;
  config->backoff_initial_ms = ARTIC_MLLM_DEFAULT_BACKOFF_INITIAL_MS;
  config->backoff_max_ms = ARTIC_MLLM_DEFAULT_BACKOFF_MAX_MS;
  config->max_line_bytes = ARTIC_MLLM_DEFAULT_MAX_LINE_BYTES;
  config->max_response_bytes = ARTIC_MLLM_DEFAULT_MAX_RESPONSE_BYTES;
  config->max_answer_bytes = ARTIC_MLLM_DEFAULT_MAX_ANSWER_BYTES;
}

static gpointer
artic_mllm_watchdog_run (gpointer data)
{
  ArticMllmClient *client = data;

  g_main_context_push_thread_default (client->watch_context);
  g_main_loop_run (client->watch_loop);
  g_main_context_pop_thread_default (client->watch_context);
  return NULL;
}

static gboolean
artic_mllm_client_check_config (const ArticMllmClientConfig *c, GError **error)
{
  GUri *uri;
  const gchar *scheme;

  if (c->endpoint == NULL || c->model == NULL || *c->model == '\0') {
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_CONFIG,
        "an endpoint and a model are needed");
    return FALSE;
  }
  uri = g_uri_parse (c->endpoint, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL
      || (g_ascii_strcasecmp (scheme, "http") != 0
          && g_ascii_strcasecmp (scheme, "https") != 0)) {
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_CONFIG,
        "endpoint '%s' is not an http:// or https:// URL", c->endpoint);
    g_clear_pointer (&uri, g_uri_unref);
    return FALSE;
  }
  g_uri_unref (uri);
  if (c->detail != NULL && strcmp (c->detail, "low") != 0
      && strcmp (c->detail, "high") != 0 && strcmp (c->detail, "auto") != 0) {
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_CONFIG,
        "image detail '%s' is not one of low, high, auto", c->detail);
    return FALSE;
  }
  if (!(c->connect_timeout_s > 0 && c->read_timeout_s > 0
          && c->total_timeout_s > 0 && c->connect_timeout_s <= 3600
          && c->read_timeout_s <= 3600 && c->total_timeout_s <= 86400)) {
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_CONFIG,
        "timeouts must be positive (at most an hour, a day in total)");
    return FALSE;
  }
  if (c->max_line_bytes < 64 || c->max_response_bytes < 64
      || c->max_answer_bytes < 1 || c->max_retries > 100) {
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_CONFIG,
        "size caps or the retry count are out of range");
    return FALSE;
  }
  return TRUE;
}

/* The proxy comes from the usual environment variables only. GIO's default
 * resolver would load libproxy, which costs threads and a configuration
 * lookup per request, for nothing on a receiver talking to a known host. */
static GProxyResolver *
artic_mllm_proxy_from_env (void)
{
  const gchar *names[] = { "https_proxy", "HTTPS_PROXY", "http_proxy",
    "HTTP_PROXY", "all_proxy", "ALL_PROXY" };
  const gchar *proxy = NULL, *no_proxy;
  gchar **ignore;
  GProxyResolver *resolver;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names) && proxy == NULL; i++)
    if (g_getenv (names[i]) != NULL && *g_getenv (names[i]) != '\0')
      proxy = g_getenv (names[i]);
  if (proxy == NULL)
    return NULL;
  no_proxy = g_getenv ("no_proxy");
  if (no_proxy == NULL)
    no_proxy = g_getenv ("NO_PROXY");
  ignore = no_proxy != NULL ? g_strsplit (no_proxy, ",", -1) : NULL;
  resolver = g_simple_proxy_resolver_new (proxy, ignore);
  g_strfreev (ignore);
  return resolver;
}

ArticMllmClient *
artic_mllm_client_new (const ArticMllmClientConfig *config, GError **error)
{
  ArticMllmClient *client;
  GProxyResolver *proxy;
  const gchar *key;
  gsize len;

  if (!artic_mllm_client_check_config (config, error))
    return NULL;
  client = g_new0 (ArticMllmClient, 1);
  client->config = *config;
  client->endpoint = g_strdup (config->endpoint);
  len = strlen (client->endpoint);
  while (len > 0 && client->endpoint[len - 1] == '/')
    client->endpoint[--len] = '\0';
  client->model = g_strdup (config->model);
  client->api_key_env = g_strdup (config->api_key_env);
  client->system_prompt = g_strdup (config->system_prompt);
  client->detail = g_strdup (config->detail);
  client->config.endpoint = client->endpoint;
  client->config.model = client->model;
  client->config.api_key_env = client->api_key_env;
  client->config.system_prompt = client->system_prompt;
  client->config.detail = client->detail;
  client->url = g_strconcat (client->endpoint, "/chat/completions", NULL);

  key = client->api_key_env != NULL && *client->api_key_env != '\0'
            ? g_getenv (client->api_key_env)
            : NULL;
  if (key != NULL && *key != '\0')
    client->api_key = g_strdup (key);

  g_mutex_init (&client->lock);
  /* libsoup's I/O timeout covers every socket operation: it is the idle
   * read timeout while a response streams. */
  proxy = artic_mllm_proxy_from_env ();
  client->session = soup_session_new_with_options ("timeout",
      (guint) MAX (1.0, ceil (config->read_timeout_s)), "user-agent",
      "artic/" VERSION, "proxy-resolver", proxy, NULL);
  g_clear_object (&proxy);
  client->watch_context = g_main_context_new ();
  client->watch_loop = g_main_loop_new (client->watch_context, FALSE);
  client->watch_thread
      = g_thread_new ("artic-mllm-watchdog", artic_mllm_watchdog_run, client);
  g_debug ("client for %s, model %s, %s API key", client->url, client->model,
      client->api_key != NULL ? "with an" : "without");
  return client;
}

static gboolean
artic_mllm_quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
artic_mllm_client_free (ArticMllmClient *client)
{
  if (client == NULL)
    return;
  g_main_context_invoke (
      client->watch_context, artic_mllm_quit_loop, client->watch_loop);
  g_thread_join (client->watch_thread);
  g_main_loop_unref (client->watch_loop);
  g_main_context_unref (client->watch_context);
  g_object_unref (client->session);
  g_mutex_clear (&client->lock);
  if (client->api_key != NULL) {
    /* Do not leave the secret in freed memory. */
    memset (client->api_key, 0, strlen (client->api_key));
    g_free (client->api_key);
  }
  g_free (client->endpoint);
  g_free (client->model);
  g_free (client->api_key_env);
  g_free (client->system_prompt);
  g_free (client->detail);
  g_free (client->url);
  g_free (client);
}

gboolean
artic_mllm_client_has_api_key (const ArticMllmClient *client)
{
  return client->api_key != NULL;
}

const gchar *
artic_mllm_client_get_url (const ArticMllmClient *client)
{
  return client->url;
}

void
artic_mllm_result_clear (ArticMllmResult *result)
{
  g_clear_pointer (&result->answer, g_free);
  g_clear_pointer (&result->finish_reason, g_free);
}

void
artic_mllm_chunk_clear (ArticMllmChunk *chunk)
{
  g_clear_pointer (&chunk->content, g_free);
  g_clear_pointer (&chunk->finish_reason, g_free);
  g_clear_pointer (&chunk->error_message, g_free);
}

/* --- Request body ------------------------------------------------------ */

static const gchar *
artic_mllm_image_mime (GBytes *image)
{
  gsize size;
  const guint8 *d = g_bytes_get_data (image, &size);

  if (size >= 8 && memcmp (d, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  return "image/jpeg";
}

gchar *
artic_mllm_client_build_body (ArticMllmClient *client, const gchar *question,
    GBytes *const *images, guint n_images, guint *images_used, gsize *size)
{
  const ArticMllmClientConfig *c = &client->config;
  JsonBuilder *b = json_builder_new_immutable ();
  JsonGenerator *gen;
  JsonNode *root;
  guint first = 0, i;
  gchar *body;

  /* Only the newest frames of the window go out. */
  if (c->frame_window > 0 && n_images > c->frame_window)
    first = n_images - c->frame_window;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, c->model);
  json_builder_set_member_name (b, "stream");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "stream_options");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "include_usage");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  if (c->max_tokens > 0) {
    json_builder_set_member_name (b, "max_tokens");
    json_builder_add_int_value (b, c->max_tokens);
  }
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  if (c->system_prompt != NULL && *c->system_prompt != '\0') {
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "role");
    json_builder_add_string_value (b, "system");
    json_builder_set_member_name (b, "content");
    json_builder_add_string_value (b, c->system_prompt);
    json_builder_end_object (b);
  }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "user");
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  for (i = first; i < n_images; i++) {
    gsize len;
    const guint8 *data = g_bytes_get_data (images[i], &len);
    gchar *b64 = g_base64_encode (data, len);
    gchar *url = g_strconcat (
        "data:", artic_mllm_image_mime (images[i]), ";base64,", b64, NULL);

    g_free (b64);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "type");
    json_builder_add_string_value (b, "image_url");
    json_builder_set_member_name (b, "image_url");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "url");
    json_builder_add_string_value (b, url);
    if (c->detail != NULL) {
      json_builder_set_member_name (b, "detail");
      json_builder_add_string_value (b, c->detail);
    }
    json_builder_end_object (b);
    json_builder_end_object (b);
    g_free (url);
  }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "text");
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, question != NULL ? question : "");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  gen = json_generator_new ();
  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, size);
  json_node_unref (root);
  g_object_unref (gen);
  g_object_unref (b);
  if (images_used != NULL)
    *images_used = n_images - first;
  return body;
}

/* --- Response parsing -------------------------------------------------- */

static const gchar *
artic_mllm_get_string (JsonObject *object, const gchar *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
artic_mllm_get_object (JsonObject *object, const gchar *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node)
             ? json_node_get_object (node)
             : NULL;
}

static gint64
artic_mllm_get_int (JsonObject *object, const gchar *member)
{
  JsonNode *node
      = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return -1;
}

static JsonObject *
artic_mllm_parse_object (
    JsonParser *parser, const gchar *data, gsize size, GError **error)
{
  JsonNode *root;

  if (size > G_MAXSSIZE
      || !json_parser_load_from_data (parser, data, size, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR,
        ARTIC_MLLM_CLIENT_ERROR_PROTOCOL, "not a JSON object");
    return NULL;
  }
  return json_node_get_object (root);
}

/* A streamed chunk: choices[0].delta.content, choices[0].finish_reason and
 * usage; or {"error": {...}} when the server fails mid-stream. Also takes a
 * whole non-streamed completion (choices[0].message.content). */
gboolean
artic_mllm_chunk_parse (
    const gchar *data, gsize size, ArticMllmChunk *chunk, GError **error)
{
  JsonParser *parser = json_parser_new_immutable ();
  GError *local = NULL;
  JsonObject *root, *choice = NULL, *part, *usage, *err;
  JsonNode *choices;
  const gchar *s;

  memset (chunk, 0, sizeof (*chunk));
  chunk->prompt_tokens = chunk->completion_tokens = -1;
  root = artic_mllm_parse_object (parser, data, size, &local);
  if (root == NULL) {
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR,
        ARTIC_MLLM_CLIENT_ERROR_PROTOCOL, "malformed chunk: %s",
        local->message);
    g_clear_error (&local);
    g_object_unref (parser);
    return FALSE;
  }
  if ((err = artic_mllm_get_object (root, "error")) != NULL) {
    s = artic_mllm_get_string (err, "message");
    chunk->error_message = g_strdup (s != NULL ? s : "unspecified error");
  } else if (artic_mllm_get_string (root, "error") != NULL) {
    chunk->error_message = g_strdup (artic_mllm_get_string (root, "error"));
  }
  choices = json_object_get_member (root, "choices");
  if (choices != NULL && JSON_NODE_HOLDS_ARRAY (choices)
      && json_array_get_length (json_node_get_array (choices)) > 0) {
    JsonNode *first = json_array_get_element (json_node_get_array (choices), 0);

    if (JSON_NODE_HOLDS_OBJECT (first))
      choice = json_node_get_object (first);
  }
  if (choice != NULL) {
    part = artic_mllm_get_object (choice, "delta");
    if (part == NULL)
      part = artic_mllm_get_object (choice, "message");
    if (part != NULL && (s = artic_mllm_get_string (part, "content")) != NULL)
      chunk->content = g_strdup (s);
    if ((s = artic_mllm_get_string (choice, "finish_reason")) != NULL)
      chunk->finish_reason = g_strdup (s);
  }
  usage = artic_mllm_get_object (root, "usage");
  chunk->prompt_tokens = artic_mllm_get_int (usage, "prompt_tokens");
  chunk->completion_tokens = artic_mllm_get_int (usage, "completion_tokens");
  g_object_unref (parser);
  return TRUE;
}

/* error.message of an OpenAI-style error body, or a plain "error" string;
 * NULL when the body is neither. */
gchar *
artic_mllm_parse_error_message (const gchar *body, gsize size)
{
  ArticMllmChunk chunk;
  gchar *message;

  if (body == NULL || !artic_mllm_chunk_parse (body, size, &chunk, NULL))
    return NULL;
  message = g_steal_pointer (&chunk.error_message);
  artic_mllm_chunk_clear (&chunk);
  return message;
}

/* Retry-After is seconds or an HTTP date; returns milliseconds to wait, or
 * -1 when the value is neither. */
gint64
artic_mllm_parse_retry_after (const gchar *value, gint64 now_us)
{
  GDateTime *date;
  gint64 ms;
  guint64 seconds;
  gchar *end = NULL;

  if (value == NULL)
    return -1;
  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_isdigit (*value)) {
    seconds = g_ascii_strtoull (value, &end, 10);
    while (end != NULL && g_ascii_isspace (*end))
      end++;
    if (end == NULL || *end != '\0')
      return -1;
    return (gint64) MIN (seconds, 86400) * 1000;
  }
  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  ms = (g_date_time_to_unix (date) * G_USEC_PER_SEC - now_us) / 1000;
  g_date_time_unref (date);
  return CLAMP (ms, 0, 86400 * 1000);
}

/* Exponential backoff with "equal jitter": half the step is fixed, half
 * random, so that clients that failed together do not retry together. */
guint
artic_mllm_backoff_ms (
    const ArticMllmClientConfig *config, guint attempt, guint32 random)
{
  guint64 step = config->backoff_initial_ms;
  guint half;

  while (attempt-- > 0 && step < config->backoff_max_ms)
    step *= 2;
  step = MIN (step, config->backoff_max_ms);
  half = (guint) (step / 2);
  return half + (half > 0 ? random % (half + 1) : 0);
}

/* --- Streaming ----------------------------------------------------------- */

static gdouble
artic_mllm_since (gint64 start_us)
{
  return (g_get_monotonic_time () - start_us) / (gdouble) G_USEC_PER_SEC;
}

static gboolean
artic_mllm_append_content (ArticMllmRequest *req, const gchar *s, gsize len)
{
  gsize room = req->client->config.max_answer_bytes
               - MIN (req->answer->len, req->client->config.max_answer_bytes);
  gboolean capped = FALSE;

  if (len == 0)
    return TRUE;
  if (len > room) {
    /* Cut on a character boundary so the answer stays valid UTF-8. */
    const gchar *end = s + room;

    if (room > 0 && !g_utf8_validate (s, room, &end))
      room = end - s;
    len = room;
    capped = TRUE;
  }
  if (len > 0) {
    if (req->result->ttft_s < 0)
      req->result->ttft_s = artic_mllm_since (req->start_us);
    g_string_append_len (req->answer, s, len);
    req->delivered = TRUE;
    if (req->on_delta != NULL)
      req->on_delta (s, len, req->user_data);
  }
  if (capped) {
    req->result->answer_capped = TRUE;
    g_debug ("answer capped at %" G_GSIZE_FORMAT " bytes", req->answer->len);
  }
  return !capped;
}

static gboolean
artic_mllm_apply_chunk (ArticMllmRequest *req, ArticMllmChunk *chunk)
{
  if (chunk->error_message != NULL) {
    g_set_error (&req->error, ARTIC_MLLM_CLIENT_ERROR,
        ARTIC_MLLM_CLIENT_ERROR_HTTP, "the server reported an error: %s",
        chunk->error_message);
    return FALSE;
  }
  if (chunk->finish_reason != NULL) {
    g_free (req->result->finish_reason);
    req->result->finish_reason = g_strdup (chunk->finish_reason);
  }
  if (chunk->prompt_tokens >= 0)
    req->result->prompt_tokens = chunk->prompt_tokens;
  if (chunk->completion_tokens >= 0)
    req->result->completion_tokens = chunk->completion_tokens;
  if (chunk->content != NULL
      && !artic_mllm_append_content (
          req, chunk->content, strlen (chunk->content))) {
    /* The answer is as long as it may get: stop reading, keep the answer. */
    req->done = TRUE;
    return FALSE;
  }
  return TRUE;
}

static gboolean
artic_mllm_on_event (
    const gchar *event, const gchar *data, gsize size, gpointer user_data)
{
  ArticMllmRequest *req = user_data;
  ArticMllmChunk chunk;
  gboolean go_on;

  if (strcmp (g_strstrip ((gchar *) data), "[DONE]") == 0) {
    req->done = TRUE;
    return FALSE;
  }
  /* The parser rejects NUL bytes, so the stripped event is a C string. */
  if (!artic_mllm_chunk_parse (data, strlen (data), &chunk, &req->error))
    return FALSE;
  go_on = artic_mllm_apply_chunk (req, &chunk);
  artic_mllm_chunk_clear (&chunk);
  return go_on;
}

/* --- Deadlines ------------------------------------------------------------ */

static void
artic_mllm_deadline_free_contents (gpointer data)
{
  ArticMllmDeadline *d = data;

  g_clear_object (&d->cancellable);
}

static void
artic_mllm_deadline_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, artic_mllm_deadline_free_contents);
}

static gboolean
artic_mllm_deadline_fire (gpointer data)
{
  ArticMllmDeadline *d = data;

  g_atomic_int_set (&d->fired, 1);
  g_cancellable_cancel (d->cancellable);
  return G_SOURCE_REMOVE;
}

static ArticMllmDeadline *
artic_mllm_deadline_arm (
    ArticMllmClient *client, GCancellable *cancellable, gdouble seconds)
{
  ArticMllmDeadline *d = g_atomic_rc_box_new0 (ArticMllmDeadline);
  guint ms = (guint) CLAMP (seconds * 1000.0, 1.0, (gdouble) G_MAXUINT);

  d->cancellable = g_object_ref (cancellable);
  d->source = g_timeout_source_new (ms);
  g_source_set_callback (d->source, artic_mllm_deadline_fire,
      g_atomic_rc_box_acquire (d), artic_mllm_deadline_release);
  g_source_attach (d->source, client->watch_context);
  return d;
}

static gboolean
artic_mllm_deadline_disarm (ArticMllmDeadline *d)
{
  gboolean fired;

  if (d == NULL)
    return FALSE;
  g_source_destroy (d->source);
  g_source_unref (d->source);
  fired = g_atomic_int_get (&d->fired);
  artic_mllm_deadline_release (d);
  return fired;
}

static gboolean
artic_mllm_deadline_fired (ArticMllmDeadline *d)
{
  return d != NULL && g_atomic_int_get (&d->fired);
}

/* --- One attempt ------------------------------------------------------------ */

typedef enum
{
  ARTIC_MLLM_ATTEMPT_OK,
  ARTIC_MLLM_ATTEMPT_RETRY, /* failed in a way worth another try */
  ARTIC_MLLM_ATTEMPT_FAIL,
} ArticMllmAttempt;

/* Reads at most @max bytes of a (error) body. */
static gchar *
artic_mllm_read_bounded (
    GInputStream *stream, gsize max, gsize *size, GCancellable *cancellable)
{
  gchar *buf = g_malloc (max + 1);
  gsize got = 0;

  g_input_stream_read_all (stream, buf, max, &got, cancellable, NULL);
  buf[got] = '\0';
  *size = got;
  return buf;
}

static void
artic_mllm_set_io_error (GError **error, GError *io, ArticMllmDeadline *connect,
    ArticMllmDeadline *total, ArticMllmClient *client, const gchar *phase)
{
  const ArticMllmClientConfig *c = &client->config;

  if (artic_mllm_deadline_fired (total))
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR,
        ARTIC_MLLM_CLIENT_ERROR_TIMEOUT,
        "%s: the request took longer than %.1f s", client->url,
        c->total_timeout_s);
  else if (artic_mllm_deadline_fired (connect))
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR,
        ARTIC_MLLM_CLIENT_ERROR_TIMEOUT,
        "%s: no response within %.1f s (connect timeout)", client->url,
        c->connect_timeout_s);
  else if (g_error_matches (io, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR,
        ARTIC_MLLM_CLIENT_ERROR_TIMEOUT,
        "%s: the server sent nothing for %.1f s (read timeout) %s", client->url,
        c->read_timeout_s, phase);
  else if (g_error_matches (io, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (
        error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the request was cancelled");
  else
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR,
        ARTIC_MLLM_CLIENT_ERROR_CONNECT, "%s: %s %s", client->url, io->message,
        phase);
}

static ArticMllmAttempt
artic_mllm_stream (ArticMllmRequest *req, GInputStream *stream,
    GCancellable *cancellable, ArticMllmDeadline *total, GError **error)
{
  ArticMllmClient *client = req->client;
  const ArticMllmClientConfig *c = &client->config;
  ArticSseParser *parser = artic_sse_parser_new (c->max_line_bytes,
      MIN (c->max_response_bytes, c->max_line_bytes * 4), artic_mllm_on_event,
      req);
  gchar *buf = g_malloc (ARTIC_MLLM_READ_SIZE);
  gsize received = 0;
  GError *local = NULL;
  ArticMllmAttempt ret = ARTIC_MLLM_ATTEMPT_FAIL;

  for (;;) {
    gssize n = g_input_stream_read (
        stream, buf, ARTIC_MLLM_READ_SIZE, cancellable, &local);

    if (n < 0) {
      artic_mllm_set_io_error (
          error, local, NULL, total, client, "while streaming the answer");
      g_clear_error (&local);
      break;
    }
    if (n == 0) {
      if (!artic_sse_parser_finish (parser, &local) && local != NULL) {
        g_set_error (error, ARTIC_MLLM_CLIENT_ERROR,
            ARTIC_MLLM_CLIENT_ERROR_TRUNCATED, "%s: %s before [DONE]",
            client->url, local->message);
        g_clear_error (&local);
      } else if (req->error != NULL) {
        g_propagate_error (error, g_steal_pointer (&req->error));
      } else if (req->done || req->result->finish_reason != NULL) {
        /* A server that ends after finish_reason without [DONE] is
         * tolerated: the answer is complete. */
        ret = ARTIC_MLLM_ATTEMPT_OK;
      } else {
        g_set_error (error, ARTIC_MLLM_CLIENT_ERROR,
            ARTIC_MLLM_CLIENT_ERROR_TRUNCATED,
            "%s: the stream ended before [DONE]", client->url);
      }
      break;
    }
    received += n;
    if (received > c->max_response_bytes) {
      g_set_error (error, ARTIC_MLLM_CLIENT_ERROR,
          ARTIC_MLLM_CLIENT_ERROR_TOO_LARGE,
          "%s: the response exceeded %" G_GSIZE_FORMAT " bytes", client->url,
          c->max_response_bytes);
      break;
    }
    if (!artic_sse_parser_feed (parser, buf, n, &local)) {
      if (local != NULL) {
        g_set_error (error, ARTIC_MLLM_CLIENT_ERROR,
            g_error_matches (local, ARTIC_SSE_ERROR, ARTIC_SSE_ERROR_BINARY)
                ? ARTIC_MLLM_CLIENT_ERROR_PROTOCOL
                : ARTIC_MLLM_CLIENT_ERROR_TOO_LARGE,
            "%s: %s", client->url, local->message);
        g_clear_error (&local);
      } else if (req->error != NULL) {
        g_propagate_error (error, g_steal_pointer (&req->error));
      } else {
        ret = ARTIC_MLLM_ATTEMPT_OK; /* [DONE], or the answer cap */
      }
      break;
    }
  }
  g_free (buf);
  artic_sse_parser_free (parser);
  return ret;
}

/* A server that ignored "stream": true answers with one JSON completion. */
static ArticMllmAttempt
artic_mllm_read_whole (ArticMllmRequest *req, GInputStream *stream,
    GCancellable *cancellable, GError **error)
{
  const ArticMllmClientConfig *c = &req->client->config;
  gsize size;
  gchar *body = artic_mllm_read_bounded (stream,
      MIN (c->max_response_bytes, c->max_line_bytes), &size, cancellable);
  ArticMllmChunk chunk;
  ArticMllmAttempt ret = ARTIC_MLLM_ATTEMPT_FAIL;

  if (artic_mllm_chunk_parse (body, size, &chunk, error)) {
    artic_mllm_apply_chunk (req, &chunk);
    if (req->error != NULL)
      g_propagate_error (error, g_steal_pointer (&req->error));
    else
      ret = ARTIC_MLLM_ATTEMPT_OK;
    artic_mllm_chunk_clear (&chunk);
  }
  g_free (body);
  return ret;
}

static void
artic_mllm_forward_cancel (GCancellable *user_cancellable, gpointer data)
{
  g_cancellable_cancel (data);
}

static ArticMllmAttempt
artic_mllm_attempt (ArticMllmRequest *req, GBytes *body,
    GCancellable *user_cancellable, gdouble remaining_s, gint64 *retry_after_ms,
    GError **error)
{
  ArticMllmClient *client = req->client;
  const ArticMllmClientConfig *c = &client->config;
  GCancellable *cancellable = g_cancellable_new ();
  ArticMllmDeadline *connect, *total;
  SoupMessage *msg;
  GInputStream *stream;
  GError *local = NULL;
  gulong handler = 0;
  const gchar *type;
  guint status;
  ArticMllmAttempt ret = ARTIC_MLLM_ATTEMPT_FAIL;

  *retry_after_ms = -1;
  if (user_cancellable != NULL)
    handler = g_cancellable_connect (user_cancellable,
        G_CALLBACK (artic_mllm_forward_cancel), g_object_ref (cancellable),
        g_object_unref);
  total = artic_mllm_deadline_arm (client, cancellable, remaining_s);
  connect = artic_mllm_deadline_arm (
      client, cancellable, MIN (c->connect_timeout_s, remaining_s));

  msg = soup_message_new ("POST", client->url);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_message_headers_replace (
      soup_message_get_request_headers (msg), "Accept", "text/event-stream");
  if (client->api_key != NULL) {
    gchar *auth = g_strconcat ("Bearer ", client->api_key, NULL);

    soup_message_headers_replace (
        soup_message_get_request_headers (msg), "Authorization", auth);
    memset (auth, 0, strlen (auth));
    g_free (auth);
  }

  stream = soup_session_send (client->session, msg, cancellable, &local);
  if (artic_mllm_deadline_disarm (connect) && stream == NULL
      && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR,
        ARTIC_MLLM_CLIENT_ERROR_TIMEOUT,
        "%s: no response within %.1f s (connect timeout)", client->url,
        c->connect_timeout_s);
    g_clear_error (&local);
    ret = artic_mllm_deadline_fired (total) ? ARTIC_MLLM_ATTEMPT_FAIL
                                            : ARTIC_MLLM_ATTEMPT_RETRY;
    goto out;
  }
  if (stream == NULL) {
    artic_mllm_set_io_error (error, local, NULL, total, client, "");
    /* A cancelled call or a spent total time is final; a refused or reset
     * connection is worth another try. */
    ret = g_error_matches (
              *error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_CONNECT)
                  || (g_error_matches (*error, ARTIC_MLLM_CLIENT_ERROR,
                          ARTIC_MLLM_CLIENT_ERROR_TIMEOUT)
                      && !artic_mllm_deadline_fired (total))
              ? ARTIC_MLLM_ATTEMPT_RETRY
              : ARTIC_MLLM_ATTEMPT_FAIL;
    g_clear_error (&local);
    goto out;
  }

  status = soup_message_get_status (msg);
  req->result->http_status = status;
  type = soup_message_headers_get_content_type (
      soup_message_get_response_headers (msg), NULL);
  g_debug ("HTTP %u (%s) after %.3f s", status, type ? type : "no type",
      artic_mllm_since (req->start_us));
  if (status >= 200 && status < 300) {
    if (type != NULL && g_ascii_strcasecmp (type, "application/json") == 0)
      ret = artic_mllm_read_whole (req, stream, cancellable, &local);
    else
      ret = artic_mllm_stream (req, stream, cancellable, total, &local);
    if (local != NULL)
      g_propagate_error (error, local);
  } else {
    gsize size;
    gchar *text = artic_mllm_read_bounded (
        stream, ARTIC_MLLM_MAX_ERROR_BODY_BYTES, &size, cancellable);
    gchar *message = artic_mllm_parse_error_message (text, size);

    /* libsoup 3.2 has no phrase for 429 ("Unknown Error"). */
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_HTTP,
        "%s: HTTP %u %s%s%s", client->url, status,
        status == 429 ? "Too Many Requests"
                      : soup_message_get_reason_phrase (msg),
        message ? ": " : "", message ? message : "");
    g_free (message);
    g_free (text);
    if (status == 429 || status >= 500) {
      *retry_after_ms = artic_mllm_parse_retry_after (
          soup_message_headers_get_one (
              soup_message_get_response_headers (msg), "Retry-After"),
          g_get_real_time ());
      ret = ARTIC_MLLM_ATTEMPT_RETRY;
    }
  }
  g_input_stream_close (stream, NULL, NULL);
  g_object_unref (stream);

out:
  artic_mllm_deadline_disarm (total);
  if (handler != 0)
    g_cancellable_disconnect (user_cancellable, handler);
  g_object_unref (msg);
  g_object_unref (cancellable);
  return ret;
}

/* Sleeps @ms unless the call is cancelled meanwhile. */
static gboolean
artic_mllm_wait (guint64 ms, GCancellable *cancellable)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until) {
    if (g_cancellable_is_cancelled (cancellable))
      return FALSE;
    g_usleep (MIN (20000, MAX (until - g_get_monotonic_time (), 0)));
  }
  return TRUE;
}

gboolean
artic_mllm_client_ask (ArticMllmClient *client, const gchar *question,
    GBytes *const *images, guint n_images, ArticMllmDeltaFunc on_delta,
    gpointer user_data, ArticMllmResult *result, GCancellable *cancellable,
    GError **error)
{
  const ArticMllmClientConfig *c = &client->config;
  ArticMllmRequest req = { 0 };
  GError *last = NULL;
  GBytes *body;
  gchar *json;
  gsize size;
  guint attempt;
  gboolean ok = FALSE;

  g_return_val_if_fail (client != NULL && result != NULL, FALSE);
  memset (result, 0, sizeof (*result));
  result->ttft_s = -1;
  result->prompt_tokens = result->completion_tokens = -1;
  if (question == NULL || *question == '\0') {
    g_set_error (error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_CONFIG,
        "the question is empty");
    return FALSE;
  }

  g_mutex_lock (&client->lock);
  req.client = client;
  req.on_delta = on_delta;
  req.user_data = user_data;
  req.result = result;
  req.answer = g_string_new (NULL);
  req.start_us = g_get_monotonic_time ();
  json = artic_mllm_client_build_body (
      client, question, images, n_images, &result->images_sent, &size);
  body = g_bytes_new_take (json, size);
  g_debug ("asking %s: %u images, %" G_GSIZE_FORMAT " bytes of JSON",
      client->url, result->images_sent, size);

  for (attempt = 0; attempt <= c->max_retries; attempt++) {
    gdouble remaining = c->total_timeout_s - artic_mllm_since (req.start_us);
    gint64 retry_after_ms;
    ArticMllmAttempt r;
    guint64 wait_ms;

    g_clear_error (&last);
    if (remaining <= 0) {
      g_set_error (&last, ARTIC_MLLM_CLIENT_ERROR,
          ARTIC_MLLM_CLIENT_ERROR_TIMEOUT,
          "%s: the request took longer than %.1f s", client->url,
          c->total_timeout_s);
      break;
    }
    result->attempts = attempt + 1;
    r = artic_mllm_attempt (
        &req, body, cancellable, remaining, &retry_after_ms, &last);
    if (r == ARTIC_MLLM_ATTEMPT_OK) {
      ok = TRUE;
      break;
    }
    /* Content already delivered cannot be taken back: never retry then. */
    if (r == ARTIC_MLLM_ATTEMPT_FAIL || req.delivered
        || attempt == c->max_retries)
      break;
    wait_ms = retry_after_ms >= 0
                  ? (guint64) retry_after_ms
                  : artic_mllm_backoff_ms (c, attempt, g_random_int ());
    if (wait_ms / 1000.0
        >= c->total_timeout_s - artic_mllm_since (req.start_us))
      break; /* the server wants us back later than we may wait */
    g_debug ("attempt %u failed (%s); retrying in %" G_GUINT64_FORMAT " ms",
        attempt + 1, last->message, wait_ms);
    if (!artic_mllm_wait (wait_ms, cancellable))
      break;
  }

  result->total_s = artic_mllm_since (req.start_us);
  result->answer = g_string_free (req.answer, FALSE);
  if (!ok && last == NULL)
    g_set_error_literal (
        &last, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the request was cancelled");
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&last));
  g_clear_error (&req.error);
  g_bytes_unref (body);
  g_mutex_unlock (&client->lock);
  return ok;
}

/* --- Async ----------------------------------------------------------------- */

typedef struct
{
  gchar *question;
  GPtrArray *images;
  ArticMllmDeltaFunc on_delta;
  gpointer delta_data;
  ArticMllmResult result;
} ArticMllmAsyncData;

static void
artic_mllm_async_data_free (gpointer data)
{
  ArticMllmAsyncData *d = data;

  g_free (d->question);
  g_ptr_array_unref (d->images);
  artic_mllm_result_clear (&d->result);
  g_free (d);
}

static void
artic_mllm_async_run (
    GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ArticMllmAsyncData *d = task_data;
  ArticMllmClient *client = g_object_get_data (G_OBJECT (task), "client");
  GError *error = NULL;

  if (artic_mllm_client_ask (client, d->question,
          (GBytes *const *) d->images->pdata, d->images->len, d->on_delta,
          d->delta_data, &d->result, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Runs artic_mllm_client_ask() in a worker thread; @callback runs in the
 * thread-default main context of the caller, @on_delta in the worker. The
 * client must outlive the call. */
void
artic_mllm_client_ask_async (ArticMllmClient *client, const gchar *question,
    GBytes *const *images, guint n_images, ArticMllmDeltaFunc on_delta,
    gpointer delta_data, GCancellable *cancellable,
    GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ArticMllmAsyncData *d = g_new0 (ArticMllmAsyncData, 1);
  guint i;

  d->question = g_strdup (question);
  d->images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (i = 0; i < n_images; i++)
    g_ptr_array_add (d->images, g_bytes_ref (images[i]));
  d->on_delta = on_delta;
  d->delta_data = delta_data;
  g_object_set_data (G_OBJECT (task), "client", client);
  g_task_set_task_data (task, d, artic_mllm_async_data_free);
  g_task_set_source_tag (task, artic_mllm_client_ask_async);
  g_task_run_in_thread (task, artic_mllm_async_run);
  g_object_unref (task);
}

gboolean
artic_mllm_client_ask_finish (ArticMllmClient *client, GAsyncResult *res,
    ArticMllmResult *result, GError **error)
{
  ArticMllmAsyncData *d = g_task_get_task_data (G_TASK (res));

  g_return_val_if_fail (g_task_is_valid (res, NULL), FALSE);
  /* The result is valid (timings, partial answer) even on failure. */
  *result = d->result;
  memset (&d->result, 0, sizeof (d->result));
  return g_task_propagate_boolean (G_TASK (res), error);
}
