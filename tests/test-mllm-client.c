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

/* The MLLM client against a real HTTP server in this process (the test
 * double of mllm-test-server.c), and its SSE parser on its own. */

#include <gio/gio.h>
#include <string.h>

#include "artic-jpeg.h"
#include "artic-mllm-client.h"
#include "artic-sse.h"
#include "mllm-test-server.h"

#define TEST_KEY_ENV "ARTIC_TEST_MLLM_KEY"
#define TEST_KEY "sk-test-9f3b2c7d-never-print-me"

static ArticTestMllmServer *server;
static GString *log_text;
static GMutex log_lock;

static GLogWriterOutput
capture_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
    gpointer user_data)
{
  gsize i;

  g_mutex_lock (&log_lock);
  for (i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      g_string_append_printf (
          log_text, "%s\n", (const gchar *) fields[i].value);
  g_mutex_unlock (&log_lock);
  /* Fatal levels still abort through the default writer. */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* A real JPEG of a gradient with a moving square. */
static GBytes *
make_jpeg (guint index)
{
  ArticJpegEncoder *enc = artic_jpeg_encoder_new (80, 768);
  gint w = 64, h = 48, x, y;
  guint8 *i420 = g_malloc (w * h * 3 / 2);
  const guint8 *planes[3] = { i420, i420 + w * h, i420 + w * h + w * h / 4 };
  const gint strides[3] = { w, w / 2, w / 2 };
  GBytes *jpeg;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      i420[y * w + x] = (x >= (gint) index * 4 && x < (gint) index * 4 + 8
                            && y > 10 && y < 20)
                            ? 250
                            : (guint8) (x * 3);
  memset (i420 + w * h, 128, w * h / 2);
  g_assert_true (artic_jpeg_encoder_convert (
      enc, GST_VIDEO_FORMAT_I420, w, h, planes, strides, NULL));
  jpeg = artic_jpeg_encoder_encode (enc, NULL);
  g_assert_nonnull (jpeg);
  artic_jpeg_encoder_free (enc);
  g_free (i420);
  return jpeg;
}

typedef struct
{
  GString *text;
  guint deltas;
} Collected;

static void
collect_delta (const gchar *delta, gsize size, gpointer user_data)
{
  Collected *c = user_data;

  g_string_append_len (c->text, delta, size);
  c->deltas++;
}

static ArticMllmClient *
make_client (const gchar *mode, ArticMllmClientConfig *config)
{
  ArticMllmClientConfig defaults;
  gchar *url = mode != NULL ? artic_test_mllm_server_url (server, mode) : NULL;
  ArticMllmClient *client;
  GError *error = NULL;

  if (config == NULL) {
    artic_mllm_client_config_init (&defaults);
    config = &defaults;
  }
  if (url != NULL)
    config->endpoint = url;
  config->api_key_env = TEST_KEY_ENV;
  config->backoff_initial_ms = MIN (config->backoff_initial_ms, 20);
  client = artic_mllm_client_new (config, &error);
  g_assert_no_error (error);
  g_free (url);
  return client;
}

/* Asks with @n frames; returns success and fills @result. */
static gboolean
ask (ArticMllmClient *client, guint n, const gchar *question,
    Collected *collected, ArticMllmResult *result, GError **error)
{
  GBytes *images[8];
  guint i;
  gboolean ok;

  g_assert_cmpuint (n, <=, G_N_ELEMENTS (images));
  for (i = 0; i < n; i++)
    images[i] = make_jpeg (i);
  ok = artic_mllm_client_ask (client, question, images, n,
      collected ? collect_delta : NULL, collected, result, NULL, error);
  for (i = 0; i < n; i++)
    g_bytes_unref (images[i]);
  return ok;
}

static void
test_streamed_answer (void)
{
  ArticMllmClientConfig config;
  ArticMllmClient *client;
  ArticMllmResult result;
  Collected c = { g_string_new (NULL), 0 };
  GError *error = NULL;
  gchar *body, *auth;

  artic_mllm_client_config_init (&config);
  config.frame_window = 3;
  config.system_prompt = "You watch a live video.";
  client = make_client ("ok", &config);
  g_assert_true (artic_mllm_client_has_api_key (client));
  g_assert_true (
      ask (client, 5, "What is written on the sign?", &c, &result, &error));
  g_assert_no_error (error);
  /* Only the newest 3 of 5 frames went, each a complete JPEG. */
  g_assert_cmpstr (result.answer, ==,
      "images=3 jpegs=3 question=What is written on the sign?");
  g_assert_cmpstr (c.text->str, ==, result.answer);
  g_assert_cmpuint (c.deltas, >, 3);
  g_assert_cmpuint (result.images_sent, ==, 3);
  g_assert_cmpuint (result.attempts, ==, 1);
  g_assert_cmpuint (result.http_status, ==, 200);
  g_assert_cmpstr (result.finish_reason, ==, "stop");
  g_assert_cmpint (result.prompt_tokens, ==, 100);
  g_assert_cmpint (result.completion_tokens, ==, c.deltas);
  g_assert_cmpfloat (result.ttft_s, >=, 0);
  g_assert_cmpfloat (result.ttft_s, <=, result.total_s);

  body = artic_test_mllm_server_last_body (server);
  g_assert_nonnull (strstr (body, "\"stream\":true"));
  g_assert_nonnull (strstr (body, "\"include_usage\":true"));
  g_assert_nonnull (strstr (body, "\"detail\":\"low\""));
  g_assert_nonnull (strstr (body, "\"role\":\"system\""));
  g_assert_nonnull (strstr (body, "data:image/jpeg;base64,/9j/"));
  /* The key travels only in the Authorization header. */
  g_assert_null (strstr (body, TEST_KEY));
  auth = artic_test_mllm_server_last_auth (server);
  g_assert_cmpstr (auth, ==, "Bearer " TEST_KEY);
  g_free (auth);
  g_free (body);
  artic_mllm_result_clear (&result);
  g_string_free (c.text, TRUE);
  artic_mllm_client_free (client);
}

static void
test_crlf_and_comments (void)
{
  ArticMllmClient *client = make_client ("crlf", NULL);
  ArticMllmResult result;
  GError *error = NULL;

  g_assert_true (ask (client, 2, "Which colour?", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (
      result.answer, ==, "images=2 jpegs=2 question=Which colour?");
  /* The finish reason came in an event split over two data lines. */
  g_assert_cmpstr (result.finish_reason, ==, "stop");
  artic_mllm_result_clear (&result);
  artic_mllm_client_free (client);
}

static void
test_time_to_first_token (void)
{
  ArticMllmClient *client = make_client ("slow", NULL);
  ArticMllmResult result;
  GError *error = NULL;

  /* The server waits 50 ms before every event after the first. */
  g_assert_true (ask (client, 1, "one two three", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (result.ttft_s, >=, 0.04);
  g_assert_cmpfloat (result.total_s, >=, result.ttft_s + 0.2);
  artic_mllm_result_clear (&result);
  artic_mllm_client_free (client);
}

static void
test_non_streamed_answer (void)
{
  ArticMllmClient *client = make_client ("json", NULL);
  ArticMllmResult result;
  GError *error = NULL;

  g_assert_true (ask (client, 1, "Hi", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (result.answer, ==, "images=1 jpegs=1 question=Hi");
  artic_mllm_result_clear (&result);
  artic_mllm_client_free (client);
}

static void
test_retry_after_500 (void)
{
  ArticMllmClient *client = make_client ("fail-once", NULL);
  ArticMllmResult result;
  GError *error = NULL;

  g_assert_true (ask (client, 1, "again?", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.attempts, ==, 2);
  g_assert_cmpuint (
      artic_test_mllm_server_requests (server, "fail-once"), ==, 2);
  g_assert_cmpstr (result.answer, ==, "images=1 jpegs=1 question=again?");
  artic_mllm_result_clear (&result);
  artic_mllm_client_free (client);
}

static void
test_retry_after_header (void)
{
  ArticMllmClient *client = make_client ("retry-after", NULL);
  ArticMllmResult result;
  GError *error = NULL;

  /* 429 with Retry-After: 1 - the client waits a second, not 20 ms. */
  g_assert_true (ask (client, 1, "later", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.attempts, ==, 2);
  g_assert_cmpfloat (result.total_s, >=, 0.95);
  artic_mllm_result_clear (&result);
  artic_mllm_client_free (client);
}

static void
test_retries_exhausted (void)
{
  ArticMllmClientConfig config;
  ArticMllmClient *client;
  ArticMllmResult result;
  GError *error = NULL;

  artic_mllm_client_config_init (&config);
  config.max_retries = 2;
  client = make_client ("always-503", &config);
  g_assert_false (ask (client, 1, "q", NULL, &result, &error));
  g_assert_error (error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "503"));
  g_assert_nonnull (strstr (error->message, "overloaded"));
  g_assert_cmpuint (result.attempts, ==, 3);
  g_assert_cmpuint (
      artic_test_mllm_server_requests (server, "always-503"), ==, 3);
  g_clear_error (&error);
  artic_mllm_result_clear (&result);
  artic_mllm_client_free (client);
}

static void
test_client_error_not_retried (void)
{
  ArticMllmClient *client = make_client ("bad-request", NULL);
  ArticMllmResult result;
  GError *error = NULL;

  g_assert_false (ask (client, 1, "q", NULL, &result, &error));
  g_assert_error (error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "HTTP 400"));
  g_assert_nonnull (strstr (error->message, "Invalid image: not a JPEG"));
  g_assert_cmpuint (result.attempts, ==, 1);
  g_assert_cmpuint (
      artic_test_mllm_server_requests (server, "bad-request"), ==, 1);
  g_clear_error (&error);
  artic_mllm_result_clear (&result);
  artic_mllm_client_free (client);
}

static void
expect_failure (const gchar *mode, ArticMllmClientConfig *config, gint code,
    const gchar *partial_answer)
{
  ArticMllmClient *client = make_client (mode, config);
  ArticMllmResult result;
  GError *error = NULL;

  g_assert_false (ask (client, 1, "q", NULL, &result, &error));
  g_assert_error (error, ARTIC_MLLM_CLIENT_ERROR, code);
  g_test_message ("%s: %s", mode, error->message);
  if (partial_answer != NULL)
    g_assert_cmpstr (result.answer, ==, partial_answer);
  g_clear_error (&error);
  artic_mllm_result_clear (&result);
  artic_mllm_client_free (client);
}

static void
test_garbage (void)
{
  expect_failure ("garbage", NULL, ARTIC_MLLM_CLIENT_ERROR_PROTOCOL, "");
}

static void
test_truncated (void)
{
  expect_failure (
      "truncated", NULL, ARTIC_MLLM_CLIENT_ERROR_TRUNCATED, "partial");
}

static void
test_error_in_stream (void)
{
  expect_failure (
      "error-in-stream", NULL, ARTIC_MLLM_CLIENT_ERROR_HTTP, "partial");
}

static void
test_stall (void)
{
  ArticMllmClientConfig config;
  gint64 start = g_get_monotonic_time ();

  artic_mllm_client_config_init (&config);
  config.read_timeout_s = 1;
  expect_failure (
      "stall", &config, ARTIC_MLLM_CLIENT_ERROR_TIMEOUT, "thinking");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_total_timeout (void)
{
  ArticMllmClientConfig config;
  gint64 start = g_get_monotonic_time ();

  /* A slow trickle never trips the read timeout; the total one fires. */
  artic_mllm_client_config_init (&config);
  config.total_timeout_s = 0.12;
  expect_failure ("slow", &config, ARTIC_MLLM_CLIENT_ERROR_TIMEOUT, NULL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static gint64
peak_rss_kib (void)
{
  gchar *status = NULL, *line;
  gint64 kib = -1;

  g_file_get_contents ("/proc/self/status", &status, NULL, NULL);
  line = status != NULL ? strstr (status, "VmHWM:") : NULL;
  if (line != NULL)
    kib = g_ascii_strtoll (line + 6, NULL, 10);
  g_free (status);
  return kib;
}

static void
test_bounded_memory (void)
{
  ArticMllmClientConfig config;
  ArticMllmClient *client;
  ArticMllmResult result;
  GError *error = NULL;
  gint64 rss_before = peak_rss_kib ();
  guint64 streamed;

  artic_mllm_client_config_init (&config);
  config.max_answer_bytes = 100 * 1024;
  config.max_line_bytes = 64 * 1024;
  config.max_response_bytes = 2 * 1024 * 1024;

  /* An endless answer: capped, and kept. */
  client = make_client ("endless", &config);
  g_assert_true (ask (client, 1, "q", NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.answer_capped);
  g_assert_cmpuint (strlen (result.answer), ==, config.max_answer_bytes);
  artic_mllm_result_clear (&result);
  artic_mllm_client_free (client);

  /* One endless line. */
  streamed = artic_test_mllm_server_bytes_streamed (server);
  expect_failure ("huge-line", &config, ARTIC_MLLM_CLIENT_ERROR_TOO_LARGE, "");
  g_assert_cmpuint (artic_test_mllm_server_bytes_streamed (server) - streamed,
      >, config.max_line_bytes);

  /* Endless keep-alive comments: the total cap ends it. */
  streamed = artic_test_mllm_server_bytes_streamed (server);
  expect_failure (
      "endless-comments", &config, ARTIC_MLLM_CLIENT_ERROR_TOO_LARGE, "");
  g_assert_cmpuint (artic_test_mllm_server_bytes_streamed (server) - streamed,
      >, config.max_response_bytes);

  /* Nothing above grew the process by more than a few caps' worth. */
  if (rss_before > 0)
    g_assert_cmpint (peak_rss_kib () - rss_before, <, 32 * 1024);
}

static void
test_connection_refused (void)
{
  GSocketListener *listener = g_socket_listener_new ();
  ArticMllmClientConfig config;
  guint16 port;
  gchar *url;

  /* A port that was free a moment ago and has no listener now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);
  g_object_unref (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u/v1", port);
  artic_mllm_client_config_init (&config);
  config.max_retries = 1;
  config.endpoint = url;
  expect_failure (NULL, &config, ARTIC_MLLM_CLIENT_ERROR_CONNECT, "");
  g_free (url);
}

static void
test_connect_timeout (void)
{
  GSocket *socket = g_socket_new (
      G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (lo, 0);
  ArticMllmClientConfig config;
  GSocketAddress *bound;
  gint64 start = g_get_monotonic_time ();
  gchar *url;

  /* Listening but never accepting: TCP connects, no HTTP answer comes. */
  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  g_assert_true (g_socket_listen (socket, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/v1",
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  artic_mllm_client_config_init (&config);
  config.endpoint = url;
  config.connect_timeout_s = 0.3;
  config.max_retries = 0;
  expect_failure (NULL, &config, ARTIC_MLLM_CLIENT_ERROR_TIMEOUT, "");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_free (url);
  g_object_unref (bound);
  g_object_unref (address);
  g_object_unref (lo);
  g_object_unref (socket);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel (void)
{
  ArticMllmClient *client = make_client ("stall", NULL);
  GCancellable *cancellable = g_cancellable_new ();
  GBytes *image = make_jpeg (0);
  ArticMllmResult result;
  GError *error = NULL;
  GThread *thread;
  gint64 start = g_get_monotonic_time ();

  /* The stall would last the 30 s read timeout; cancelling ends it now. */
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  g_assert_false (artic_mllm_client_ask (
      client, "q", &image, 1, NULL, NULL, &result, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_thread_join (thread);
  g_clear_error (&error);
  artic_mllm_result_clear (&result);
  g_bytes_unref (image);
  g_object_unref (cancellable);
  artic_mllm_client_free (client);
}

static void
on_async_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  gpointer *out = user_data;
  ArticMllmResult *result = g_new0 (ArticMllmResult, 1);
  GError *error = NULL;

  g_assert_true (artic_mllm_client_ask_finish (out[0], res, result, &error));
  g_assert_no_error (error);
  out[1] = result;
  g_main_loop_quit (out[2]);
}

static void
test_async (void)
{
  ArticMllmClient *client = make_client ("ok", NULL);
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);
  GBytes *image = make_jpeg (1);
  Collected c = { g_string_new (NULL), 0 };
  gpointer out[3] = { client, NULL, loop };
  ArticMllmResult *result;

  artic_mllm_client_ask_async (
      client, "async?", &image, 1, collect_delta, &c, NULL, on_async_done, out);
  g_main_loop_run (loop);
  result = out[1];
  g_assert_cmpstr (result->answer, ==, "images=1 jpegs=1 question=async?");
  g_assert_cmpstr (c.text->str, ==, result->answer);
  artic_mllm_result_clear (result);
  g_free (result);
  g_bytes_unref (image);
  g_string_free (c.text, TRUE);
  g_main_loop_unref (loop);
  artic_mllm_client_free (client);
}

static void
test_bad_config (void)
{
  ArticMllmClientConfig config;
  GError *error = NULL;

  artic_mllm_client_config_init (&config);
  config.endpoint = "ftp://127.0.0.1/v1";
  g_assert_null (artic_mllm_client_new (&config, &error));
  g_assert_error (
      error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_CONFIG);
  g_clear_error (&error);
  config.endpoint = "not a url";
  g_assert_null (artic_mllm_client_new (&config, &error));
  g_clear_error (&error);
  artic_mllm_client_config_init (&config);
  config.detail = "ultra";
  g_assert_null (artic_mllm_client_new (&config, &error));
  g_assert_nonnull (strstr (error->message, "ultra"));
  g_clear_error (&error);
  artic_mllm_client_config_init (&config);
  config.read_timeout_s = -1;
  g_assert_null (artic_mllm_client_new (&config, &error));
  g_clear_error (&error);
}

static void
test_retry_after_parse (void)
{
  GDateTime *later = g_date_time_new_now_utc ();
  GDateTime *t = g_date_time_add_seconds (later, 30);
  gchar *http = g_date_time_format (t, "%a, %d %b %Y %H:%M:%S GMT");
  gint64 ms;

  g_assert_cmpint (artic_mllm_parse_retry_after ("3", 0), ==, 3000);
  g_assert_cmpint (artic_mllm_parse_retry_after (" 0 ", 0), ==, 0);
  g_assert_cmpint (artic_mllm_parse_retry_after ("soon", 0), ==, -1);
  g_assert_cmpint (artic_mllm_parse_retry_after ("3x", 0), ==, -1);
  g_assert_cmpint (artic_mllm_parse_retry_after (NULL, 0), ==, -1);
  g_assert_cmpint (
      artic_mllm_parse_retry_after ("99999999999", 0), ==, 86400 * 1000);
  ms = artic_mllm_parse_retry_after (http, g_get_real_time ());
  g_assert_cmpint (ms, >, 28000);
  g_assert_cmpint (ms, <=, 30000);
  g_free (http);
  g_date_time_unref (t);
  g_date_time_unref (later);
}

static void
test_backoff (void)
{
  ArticMllmClientConfig config;
  guint attempt, i;

  artic_mllm_client_config_init (&config);
  config.backoff_initial_ms = 100;
  config.backoff_max_ms = 1000;
  for (attempt = 0; attempt < 8; attempt++) {
    guint step = MIN (100u << attempt, 1000u);

    for (i = 0; i < 50; i++) {
      guint ms = artic_mllm_backoff_ms (&config, attempt, g_random_int ());

      g_assert_cmpuint (ms, >=, step / 2);
      g_assert_cmpuint (ms, <=, step);
    }
  }
}

typedef struct
{
  GPtrArray *events;
} SseEvents;

static gboolean
on_sse (const gchar *event, const gchar *data, gsize size, gpointer user_data)
{
  SseEvents *e = user_data;

  g_assert_cmpuint (strlen (data), ==, size);
  g_ptr_array_add (
      e->events, g_strdup_printf ("%s|%s", event != NULL ? event : "", data));
  return TRUE;
}

static void
test_sse_pieces (void)
{
  const gchar *stream = ": hello\r\n\r\ndata: one\r\n\r\nevent: x\rdata: a\r"
                        "data:b\r\rdata: {\"k\":\r\ndata: 1}\n\nid: 7\n\n"
                        "data\n\n";
  gsize len = strlen (stream), split;

  /* Every split point, including inside CRLF, gives the same events. */
  for (split = 0; split <= len; split++) {
    SseEvents e = { g_ptr_array_new_with_free_func (g_free) };
    ArticSseParser *p = artic_sse_parser_new (1024, 4096, on_sse, &e);
    GError *error = NULL;

    g_assert_true (artic_sse_parser_feed (p, stream, split, &error));
    g_assert_true (
        artic_sse_parser_feed (p, stream + split, len - split, &error));
    g_assert_true (artic_sse_parser_finish (p, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (e.events->len, ==, 4);
    g_assert_cmpstr (e.events->pdata[0], ==, "|one");
    g_assert_cmpstr (e.events->pdata[1], ==, "x|a\nb");
    g_assert_cmpstr (e.events->pdata[2], ==, "|{\"k\":\n1}");
    g_assert_cmpstr (e.events->pdata[3], ==, "|");
    g_assert_cmpuint (artic_sse_parser_get_comments (p), ==, 1);
    artic_sse_parser_free (p);
    g_ptr_array_unref (e.events);
  }
}

static void
test_sse_limits (void)
{
  SseEvents e = { g_ptr_array_new_with_free_func (g_free) };
  ArticSseParser *p = artic_sse_parser_new (32, 64, on_sse, &e);
  gchar *long_line = g_strnfill (40, 'a');
  GError *error = NULL;
  guint i;

  /* A line over the cap, even fed a byte at a time. */
  g_assert_true (artic_sse_parser_feed (p, "data: ", 6, &error));
  for (i = 0; i < 40 && artic_sse_parser_feed (p, long_line, 1, &error); i++)
    ;
  g_assert_error (error, ARTIC_SSE_ERROR, ARTIC_SSE_ERROR_LINE_TOO_LONG);
  g_clear_error (&error);
  g_assert_false (artic_sse_parser_feed (p, "\n\n", 2, NULL));
  artic_sse_parser_free (p);

  /* Many short data lines over the event cap. */
  p = artic_sse_parser_new (32, 64, on_sse, &e);
  for (i = 0;
       i < 20 && artic_sse_parser_feed (p, "data: 0123456789\n", 17, &error);
       i++)
    ;
  g_assert_error (error, ARTIC_SSE_ERROR, ARTIC_SSE_ERROR_EVENT_TOO_LONG);
  g_clear_error (&error);
  artic_sse_parser_free (p);

  /* A NUL byte is not text. */
  p = artic_sse_parser_new (32, 64, on_sse, &e);
  g_assert_false (artic_sse_parser_feed (p, "data: a\0b\n\n", 11, &error));
  g_assert_error (error, ARTIC_SSE_ERROR, ARTIC_SSE_ERROR_BINARY);
  g_clear_error (&error);
  artic_sse_parser_free (p);

  /* A stream that stops mid-line is truncated. */
  p = artic_sse_parser_new (32, 64, on_sse, &e);
  g_assert_true (artic_sse_parser_feed (p, "data: {\"a", 9, &error));
  g_assert_false (artic_sse_parser_finish (p, &error));
  g_assert_error (error, ARTIC_SSE_ERROR, ARTIC_SSE_ERROR_TRUNCATED);
  g_clear_error (&error);
  artic_sse_parser_free (p);
  g_assert_cmpuint (e.events->len, ==, 0);
  g_ptr_array_unref (e.events);
  g_free (long_line);
}

static void
test_chunk_parse (void)
{
  ArticMllmChunk chunk;
  GError *error = NULL;
  const gchar *bad[] = { "", "[]", "{", "null", "\"x\"", "{\"choices\":7}",
    "{\"choices\":[7]}", "{\"choices\":[{\"delta\":{\"content\":5}}]}" };
  guint i;

  g_assert_true (artic_mllm_chunk_parse (
      "{\"choices\":[{\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}",
      -1
          + sizeof ("{\"choices\":[{\"delta\":{\"content\":\"Hi\"},"
                    "\"finish_reason\":null}]}"),
      &chunk, &error));
  g_assert_cmpstr (chunk.content, ==, "Hi");
  g_assert_null (chunk.finish_reason);
  artic_mllm_chunk_clear (&chunk);
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    /* Malformed or odd shapes: an error or an empty chunk, never a crash. */
    if (artic_mllm_chunk_parse (bad[i], strlen (bad[i]), &chunk, &error)) {
      g_assert_null (chunk.content);
      artic_mllm_chunk_clear (&chunk);
    } else {
      g_assert_error (
          error, ARTIC_MLLM_CLIENT_ERROR, ARTIC_MLLM_CLIENT_ERROR_PROTOCOL);
      g_clear_error (&error);
    }
  }
}

static void
test_key_never_logged (void)
{
  /* Runs last: everything above logged at debug level into log_text. */
  g_mutex_lock (&log_lock);
  g_assert_cmpuint (log_text->len, >, 0);
  g_assert_null (strstr (log_text->str, TEST_KEY));
  g_assert_null (strstr (log_text->str, "never-print-me"));
  g_mutex_unlock (&log_lock);
}

int
main (int argc, char **argv)
{
  int ret;

  g_setenv (TEST_KEY_ENV, TEST_KEY, TRUE);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_init (&argc, &argv, NULL);
  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);
  server = artic_test_mllm_server_start ();

  g_test_add_func ("/mllm-client/streamed-answer", test_streamed_answer);
  g_test_add_func ("/mllm-client/crlf-and-comments", test_crlf_and_comments);
  g_test_add_func (
      "/mllm-client/time-to-first-token", test_time_to_first_token);
  g_test_add_func (
      "/mllm-client/non-streamed-answer", test_non_streamed_answer);
  g_test_add_func ("/mllm-client/retry-after-500", test_retry_after_500);
  g_test_add_func ("/mllm-client/retry-after-header", test_retry_after_header);
  g_test_add_func ("/mllm-client/retries-exhausted", test_retries_exhausted);
  g_test_add_func (
      "/mllm-client/client-error-not-retried", test_client_error_not_retried);
  g_test_add_func ("/mllm-client/garbage", test_garbage);
  g_test_add_func ("/mllm-client/truncated", test_truncated);
  g_test_add_func ("/mllm-client/error-in-stream", test_error_in_stream);
  g_test_add_func ("/mllm-client/stall", test_stall);
  g_test_add_func ("/mllm-client/total-timeout", test_total_timeout);
  g_test_add_func ("/mllm-client/bounded-memory", test_bounded_memory);
  g_test_add_func ("/mllm-client/connection-refused", test_connection_refused);
  g_test_add_func ("/mllm-client/connect-timeout", test_connect_timeout);
  g_test_add_func ("/mllm-client/cancel", test_cancel);
  g_test_add_func ("/mllm-client/async", test_async);
  g_test_add_func ("/mllm-client/bad-config", test_bad_config);
  g_test_add_func ("/mllm-client/retry-after-parse", test_retry_after_parse);
  g_test_add_func ("/mllm-client/backoff", test_backoff);
  g_test_add_func ("/mllm-client/sse-pieces", test_sse_pieces);
  g_test_add_func ("/mllm-client/sse-limits", test_sse_limits);
  g_test_add_func ("/mllm-client/chunk-parse", test_chunk_parse);
  g_test_add_func ("/mllm-client/key-never-logged", test_key_never_logged);
  ret = g_test_run ();
  artic_test_mllm_server_stop (server);
  g_string_free (log_text, TRUE);
  return ret;
}
