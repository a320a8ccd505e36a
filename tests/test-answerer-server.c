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

/* The real artic-answerer program over loopback HTTP with real OCR: each
 * request kind gives the right answer, box or readability; streaming is
 * OpenAI's SSE shape; bad requests, oversized bodies and missing keys get
 * OpenAI-style errors; concurrent clients are all served; the key never
 * reaches the log. */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "artic-answerer-testkit.h"
#include "artic-roi-box.h"

#define PROMPT \
  "Answer the following question concisely based on the video.\nQuestion:\n"
#define KEY_ENV "ARTIC_TEST_ANSWERER_KEY"
#define KEY_VALUE "sk-test-0123456789abcdef"

static const gchar *answerer;
static const gchar *clip;
static gchar *tmp_dir;
static guint port;
static SoupSession *session;

static GBytes *
render (const gchar *text)
{
  GError *error = NULL;
  GBytes *image = artic_answerer_testkit_render (
      text, "Sans 48", 640, 480, NULL, 0, &error);

  g_assert_no_error (error);
  return image;
}

/* POSTs a request with @images (oldest first); returns the status. */
static guint
ask_full (guint to_port, const gchar *prompt, GBytes **images, guint n,
    gboolean stream, const gchar *bearer, gchar **response)
{
  gchar **urls = g_new0 (gchar *, n + 1);
  gchar *body;
  guint i, status;

  for (i = 0; i < n; i++) {
    const guint8 *data = g_bytes_get_data (images[i], NULL);
    urls[i] = artic_answerer_testkit_data_url (
        images[i], data[0] == 0x89 ? "image/png" : "image/jpeg");
  }
  body = artic_answerer_testkit_request (
      prompt, (const gchar *const *) urls, stream, stream);
  status = artic_answerer_testkit_post (session, to_port,
      "/v1/chat/completions", body, strlen (body), bearer, response);
  g_free (body);
  g_strfreev (urls);
  return status;
}

/* The reply content of a one-image, non-streamed question. */
static gchar *
ask (const gchar *prompt, GBytes *image)
{
  gchar *response = NULL, *content;
  guint status = ask_full (port, prompt, &image, 1, FALSE, NULL, &response);

  g_assert_cmpuint (status, ==, 200);
  content = artic_answerer_testkit_content (response);
  g_assert_nonnull (content);
  g_free (response);
  return content;
}

static JsonObject *
parse_object (const gchar *text, JsonNode **node)
{
  *node = json_from_string (text, NULL);
  g_assert_nonnull (*node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*node));
  return json_node_get_object (*node);
}

static void
test_models (void)
{
  gchar *response = NULL;
  JsonNode *node;
  JsonObject *o, *model;

  g_assert_cmpuint (artic_answerer_testkit_post (
                        session, port, "/v1/models", NULL, 0, NULL, &response),
      ==, 200);
  o = parse_object (response, &node);
  g_assert_cmpstr (json_object_get_string_member (o, "object"), ==, "list");
  model = json_array_get_object_element (
      json_object_get_array_member (o, "data"), 0);
  g_assert_cmpstr (
      json_object_get_string_member (model, "id"), ==, "test-model");
  json_node_unref (node);
  g_free (response);
}

static void
test_answer (void)
{
  GBytes *image = render ("CAMPRODON 2417");
  GBytes *word = render ("CAMPRODON");
  gchar *response = NULL, *content;
  JsonNode *node;
  JsonObject *o;

  g_assert_cmpuint (ask_full (port, PROMPT "What is written on the box?",
                        &image, 1, FALSE, NULL, &response),
      ==, 200);
  o = parse_object (response, &node);
  g_assert_cmpstr (
      json_object_get_string_member (o, "object"), ==, "chat.completion");
  g_assert_true (
      g_str_has_prefix (json_object_get_string_member (o, "id"), "chatcmpl-"));
  /* the request's model name is echoed */
  g_assert_cmpstr (
      json_object_get_string_member (o, "model"), ==, "artic-answerer");
  g_assert_cmpint (
      json_object_get_int_member (
          json_object_get_object_member (o, "usage"), "prompt_tokens"),
      >=, 85);
  json_node_unref (node);
  content = artic_answerer_testkit_content (response);
  g_assert_cmpstr (content, ==, "CAMPRODON 2417");
  g_free (content);
  g_free (response);

  content = ask (PROMPT "What is the word printed on the box?", word);
  g_assert_cmpstr (content, ==, "CAMPRODON");
  g_free (content);
  content = ask (PROMPT "What number is printed on the box?", image);
  g_assert_cmpstr (content, ==, "2417");
  g_free (content);
  /* a bare question, no DeViBench preamble */
  content = ask ("What does the \"CAMPRODON\" sign say?", image);
  g_assert_cmpstr (content, ==, "CAMPRODON 2417");
  g_free (content);
  g_bytes_unref (image);
  g_bytes_unref (word);
}

static void
test_qr (void)
{
  GError *error = NULL;
  GBytes *qr
      = artic_answerer_testkit_qr ("https://example.org/artic?id=7", 4, &error);
  gchar *content;

  g_assert_no_error (error);
  content = ask (PROMPT "What does the QR code say?", qr);
  g_assert_cmpstr (content, ==, "https://example.org/artic?id=7");
  g_free (content);
  g_bytes_unref (qr);
}

/* The shipped clip: its "CAMPRODON" is ~8 px tall and tilted, beyond
 * Tesseract (docs/answerer.md): the answerer must say it cannot read rather
 * than make something up. A label printed on the tablecloth reads. */
static void
test_clip (void)
{
  GError *error = NULL;
  GBytes *frames[3];
  GBytes *label;
  gchar *content, *response = NULL;
  guint i;

  for (i = 0; i < 3; i++) {
    frames[i] = artic_answerer_testkit_render (
        NULL, NULL, 640, 480, clip, (guint64) (2 * i + 1) * GST_SECOND, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (ask_full (port,
                        PROMPT "What is the word printed on the "
                               "box?",
                        frames, 3, FALSE, NULL, &response),
      ==, 200);
  content = artic_answerer_testkit_content (response);
  g_assert_cmpstr (content, ==, "I cannot read any text in the images.");
  g_free (content);
  g_free (response);

  label = artic_answerer_testkit_render (
      "MUSEUM", "Sans 28", 640, 480, clip, GST_SECOND / 3, &error);
  g_assert_no_error (error);
  content = ask (PROMPT "What is the word printed on the label?", label);
  g_assert_cmpstr (content, ==, "MUSEUM");
  g_free (content);
  content = ask ("Rate the readability (0.0-1.0) of the region relevant to "
                 "the question. Question: What is the word on the box?",
      frames[2]);
  g_assert_cmpstr (content, ==, "{\"readability\": 0.00}");
  g_free (content);
  g_bytes_unref (label);
  for (i = 0; i < 3; i++)
    g_bytes_unref (frames[i]);
}

static GArray *
boxes_of (const gchar *content)
{
  GError *error = NULL;
  GArray *boxes = artic_roi_boxes_parse (content, -1, &error);

  g_assert_no_error (error);
  return boxes;
}

static void
test_boxes (void)
{
  GBytes *image = render ("PHARMACY");
  GBytes *blank = render (NULL);
  gchar *content;
  GArray *boxes;
  ArticRoiBox *box;
  gdouble cx, cy;
  guint i;

  content = ask ("Predict the bounding box of the region relevant to the "
                 "question in the next 3 frames, as [[x_min,y_min],[x_max,"
                 "y_max]] in 0..1000.\nQuestion: What does the sign say?",
      image);
  boxes = boxes_of (content);
  g_assert_cmpuint (boxes->len, ==, 3);
  for (i = 0; i < 3; i++) {
    box = &g_array_index (boxes, ArticRoiBox, i);
    artic_roi_box_center (box, &cx, &cy);
    g_assert_cmpfloat (fabs (cx - 500), <, 50);
    g_assert_cmpfloat (fabs (cy - 500), <, 50);
    /* "PHARMACY" at 48 px is ~300 px of 640 wide, ~50 of 480 tall */
    g_assert_cmpfloat (box->x_max - box->x_min, >, 300);
    g_assert_cmpfloat (box->x_max - box->x_min, <, 700);
    g_assert_cmpfloat (box->y_max - box->y_min, >, 60);
    g_assert_cmpfloat (box->y_max - box->y_min, <, 250);
  }
  g_array_unref (boxes);
  g_free (content);

  content = ask ("Give the bbox for the next 5 frames. Question: What is "
                 "written?",
      blank);
  g_assert_cmpstr (content, ==,
      "[[[0,0],[0,0]],[[0,0],[0,0]],[[0,0],[0,0]],[[0,0],[0,0]],[[0,0],[0,"
      "0]]]");
  boxes = boxes_of (content);
  g_assert_cmpuint (boxes->len, ==, 0);
  g_array_unref (boxes);
  g_free (content);
  g_bytes_unref (image);
  g_bytes_unref (blank);
}

static void
test_readability (void)
{
  GBytes *image = render ("LIBRARY");
  gchar *content = ask ("Rate the readability (0.0-1.0) of the region "
                        "relevant to the question.\nQuestion: What is the "
                        "word on the sign?",
      image);
  JsonNode *node;
  JsonObject *o = parse_object (content, &node);
  gdouble value = json_object_get_double_member (o, "readability");

  /* clean text: at ReCapABR's "confident" level */
  g_assert_cmpfloat (value, >=, 0.8);
  g_assert_cmpfloat (value, <=, 1.0);
  json_node_unref (node);
  g_free (content);
  g_bytes_unref (image);
}

/* The stream as an OpenAI client parses it. */
static void
test_stream (void)
{
  GBytes *image = render ("ROUTE 66");
  gchar *response = NULL;
  gchar **events;
  GString *content = g_string_new (NULL);
  gchar *id = NULL;
  guint n, i, status;
  gboolean saw_role = FALSE, saw_finish = FALSE, saw_usage = FALSE;

  status = ask_full (
      port, PROMPT "What does the sign say?", &image, 1, TRUE, NULL, &response);
  g_assert_cmpuint (status, ==, 200);
  events = g_strsplit (response, "\n\n", -1);
  n = g_strv_length (events);
  g_assert_cmpuint (n, >=, 5);
  g_assert_cmpstr (events[n - 1], ==, "");
  g_assert_cmpstr (events[n - 2], ==, "data: [DONE]");
  for (i = 0; i + 2 < n; i++) {
    JsonNode *node;
    JsonObject *o, *choice, *delta;
    JsonArray *choices;

    g_assert_true (g_str_has_prefix (events[i], "data: "));
    g_assert_null (strchr (events[i], '\n')); /* one line per event */
    o = parse_object (events[i] + 6, &node);
    g_assert_cmpstr (json_object_get_string_member (o, "object"), ==,
        "chat.completion.chunk");
    if (id == NULL)
      id = g_strdup (json_object_get_string_member (o, "id"));
    g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, id);
    choices = json_object_get_array_member (o, "choices");
    if (json_array_get_length (choices) == 0) {
      /* the usage chunk: last before [DONE] */
      g_assert_cmpuint (i, ==, n - 3);
      g_assert_true (saw_finish);
      g_assert_cmpint (
          json_object_get_int_member (
              json_object_get_object_member (o, "usage"), "completion_tokens"),
          >, 0);
      saw_usage = TRUE;
    } else {
      choice = json_array_get_object_element (choices, 0);
      delta = json_object_get_object_member (choice, "delta");
      g_assert_false (saw_finish);
      if (i == 0) {
        g_assert_cmpstr (
            json_object_get_string_member (delta, "role"), ==, "assistant");
        saw_role = TRUE;
      } else {
        g_assert_false (json_object_has_member (delta, "role"));
      }
      if (!json_object_get_null_member (choice, "finish_reason")) {
        g_assert_cmpstr (
            json_object_get_string_member (choice, "finish_reason"), ==,
            "stop");
        saw_finish = TRUE;
      } else if (json_object_has_member (delta, "content")) {
        g_string_append (
            content, json_object_get_string_member (delta, "content"));
      }
    }
    json_node_unref (node);
  }
  g_assert_true (saw_role && saw_finish && saw_usage);
  g_assert_cmpstr (content->str, ==, "ROUTE 66");
  g_string_free (content, TRUE);
  g_free (id);
  g_strfreev (events);
  g_free (response);
  g_bytes_unref (image);
}

static void
assert_error (
    guint status, guint expected, const gchar *response, const gchar *param)
{
  JsonNode *node;
  JsonObject *e;

  g_assert_cmpuint (status, ==, expected);
  e = json_object_get_object_member (parse_object (response, &node), "error");
  g_assert_nonnull (e);
  g_assert_cmpuint (
      strlen (json_object_get_string_member (e, "message")), >, 0);
  g_assert_cmpstr (
      json_object_get_string_member (e, "type"), ==, "invalid_request_error");
  if (param)
    g_assert_cmpstr (json_object_get_string_member (e, "param"), ==, param);
  g_assert_true (json_object_has_member (e, "code"));
  json_node_unref (node);
}

static void
test_bad_requests (void)
{
  static const struct
  {
    const gchar *body, *param;
  } cases[] = {
    { "this is not json", NULL },
    { "{}", "messages" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":\"What is written?\"}]}",
        "messages" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
      "\"text\":\"q\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
      "\"data:text/plain;base64,aGVsbG8=\"}}]}]}",
        "messages[0].content[1].image_url" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
      "\"text\":\"q\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
      "\"data:image/jpeg;base64,not base64!\"}}]}]}",
        "messages[0].content[1].image_url" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
      "\"text\":\"q\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
      "\"data:image/jpeg;base64,aGVsbG8gd29ybGQh\"}}]}]}",
        "messages[0].content[1].image_url" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}"
      "]}",
        "messages[0].content[0].type" },
  };
  gchar *response = NULL;
  guint i, status;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_test_message ("bad request %u", i);
    status = artic_answerer_testkit_post (session, port, "/v1/chat/completions",
        cases[i].body, strlen (cases[i].body), NULL, &response);
    assert_error (status, 400, response, cases[i].param);
    g_free (response);
  }
  status = artic_answerer_testkit_post (
      session, port, "/v1/nothing", "{}", 2, NULL, &response);
  assert_error (status, 404, response, NULL);
  g_free (response);
  status = artic_answerer_testkit_post (
      session, port, "/v1/chat/completions", NULL, 0, NULL, &response);
  assert_error (status, 405, response, NULL);
  g_free (response);
}

/* A chunked upload has no Content-Length to refuse up front: the server
 * must stop storing at the limit and still answer 413. */
static guint
post_chunked (guint to_port, gsize total)
{
  GSocketClient *client = g_socket_client_new ();
  GError *error = NULL;
  GSocketConnection *conn = g_socket_client_connect_to_host (
      client, "127.0.0.1", (guint16) to_port, NULL, &error);
  GOutputStream *out;
  GDataInputStream *in;
  gchar *chunk = g_malloc (65536), *line, *header;
  gsize sent = 0;
  guint status = 0;

  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  memset (chunk, ' ', 65536);
  chunk[0] = '{';
  header = g_strdup ("POST /v1/chat/completions HTTP/1.1\r\nHost: "
                     "127.0.0.1\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n");
  g_output_stream_write_all (out, header, strlen (header), NULL, NULL, &error);
  g_assert_no_error (error);
  g_free (header);
  while (sent < total) {
    g_output_stream_printf (out, NULL, NULL, &error, "%x\r\n", 65536);
    g_output_stream_write_all (out, chunk, 65536, NULL, NULL, &error);
    g_output_stream_write_all (out, "\r\n", 2, NULL, NULL, &error);
    g_assert_no_error (error);
    chunk[0] = ' ';
    sent += 65536;
  }
  g_output_stream_write_all (out, "0\r\n\r\n", 5, NULL, NULL, &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (
      g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line && g_str_has_prefix (line, "HTTP/1.1 "))
    status = (guint) g_ascii_strtoull (line + 9, NULL, 10);
  g_free (line);
  g_object_unref (in);
  g_object_unref (conn);
  g_object_unref (client);
  g_free (chunk);
  return status;
}

static void
test_oversize (void)
{
  const gchar *const args[]
      = { "--max-body-mb", "1", "--max-images", "2", NULL };
  gchar *log = g_build_filename (tmp_dir, "small.log", NULL);
  GError *error = NULL;
  guint small_port, status;
  GPid pid
      = artic_answerer_testkit_spawn (answerer, args, log, &small_port, &error);
  gsize size = 2 * 1024 * 1024;
  gchar *body = g_malloc (size), *response = NULL;
  GBytes *images[3];
  guint i;

  g_assert_no_error (error);
  memset (body, ' ', size);
  body[0] = '{';
  body[size - 1] = '}';
  status = artic_answerer_testkit_post (
      session, small_port, "/v1/chat/completions", body, size, NULL, &response);
  assert_error (status, 413, response, NULL);
  g_free (response);
  g_assert_cmpuint (post_chunked (small_port, 3 * 1024 * 1024), ==, 413);

  for (i = 0; i < 3; i++)
    images[i] = render ("A");
  status = ask_full (
      small_port, "What is written?", images, 3, FALSE, NULL, &response);
  assert_error (status, 400, response, "messages");
  g_assert_nonnull (strstr (response, "too_many_images"));
  g_free (response);
  for (i = 0; i < 3; i++)
    g_bytes_unref (images[i]);

  /* still serving */
  g_assert_cmpuint (artic_answerer_testkit_post (session, small_port,
                        "/v1/models", NULL, 0, NULL, &response),
      ==, 200);
  g_free (response);
  g_assert_cmpint (artic_answerer_testkit_stop (pid), ==, 0);
  g_free (body);
  g_free (log);
}

static void
test_auth (void)
{
  const gchar *const args[] = { "--api-key-env", KEY_ENV, NULL };
  gchar *log_path = g_build_filename (tmp_dir, "auth.log", NULL);
  GError *error = NULL;
  guint auth_port, status;
  GPid pid;
  gchar *response = NULL, *log = NULL;
  GBytes *image = render ("HOTEL");

  g_setenv (KEY_ENV, KEY_VALUE, TRUE);
  pid = artic_answerer_testkit_spawn (
      answerer, args, log_path, &auth_port, &error);
  g_unsetenv (KEY_ENV);
  g_assert_no_error (error);

  status = artic_answerer_testkit_post (
      session, auth_port, "/v1/models", NULL, 0, NULL, &response);
  assert_error (status, 401, response, NULL);
  g_free (response);
  status = ask_full (
      auth_port, "What is written?", &image, 1, FALSE, "sk-wrong", &response);
  assert_error (status, 401, response, NULL);
  g_assert_null (strstr (response, KEY_VALUE));
  g_free (response);
  status = ask_full (auth_port, "What is written?", &image, 1, FALSE,
      KEY_VALUE "x", &response);
  g_assert_cmpuint (status, ==, 401);
  g_free (response);
  status = ask_full (
      auth_port, "What is written?", &image, 1, TRUE, KEY_VALUE, &response);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (response, "HOTEL"));
  g_free (response);

  g_assert_cmpint (artic_answerer_testkit_stop (pid), ==, 0);
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "API key required"));
  g_assert_nonnull (strstr (log, " 401 "));
  g_assert_null (strstr (log, KEY_VALUE));
  g_assert_null (strstr (log, "sk-wrong"));
  g_free (log);
  g_free (log_path);
  g_bytes_unref (image);
}

typedef struct
{
  const gchar *text;
  gchar *answer;
} Job;

static gpointer
concurrent_client (gpointer data)
{
  Job *job = data;
  SoupSession *own = soup_session_new_with_options ("timeout", 60, NULL);
  GBytes *image = render (job->text);
  gchar **urls = g_new0 (gchar *, 2);
  gchar *body, *response = NULL;

  urls[0] = artic_answerer_testkit_data_url (image, "image/jpeg");
  body = artic_answerer_testkit_request (
      PROMPT "What is on the sign?", (const gchar *const *) urls, FALSE, FALSE);
  if (artic_answerer_testkit_post (own, port, "/v1/chat/completions", body,
          strlen (body), NULL, &response)
      == 200)
    job->answer = artic_answerer_testkit_content (response);
  g_free (response);
  g_free (body);
  g_strfreev (urls);
  g_bytes_unref (image);
  g_object_unref (own);
  return NULL;
}

static void
test_concurrent (void)
{
  Job jobs[4] = { { "BAKERY", NULL }, { "STATION", NULL }, { "GATE B12", NULL },
    { "KITCHEN", NULL } };
  GThread *threads[4];
  guint i;

  for (i = 0; i < 4; i++)
    threads[i] = g_thread_new ("client", concurrent_client, &jobs[i]);
  for (i = 0; i < 4; i++) {
    g_thread_join (threads[i]);
    g_assert_cmpstr (jobs[i].answer, ==, jobs[i].text);
    g_free (jobs[i].answer);
  }
}

int
main (int argc, char **argv)
{
  const gchar *const args[] = { "--model", "test-model", NULL };
  GError *error = NULL;
  gchar *log_path, *log = NULL;
  GPid pid;
  int result;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  answerer = g_getenv ("ARTIC_ANSWERER");
  clip = g_getenv ("ARTIC_CLIP");
  g_assert_nonnull (answerer);
  g_assert_nonnull (clip);
  tmp_dir = g_dir_make_tmp ("answerer-test-XXXXXX", &error);
  g_assert_no_error (error);
  log_path = g_build_filename (tmp_dir, "server.log", NULL);
  pid = artic_answerer_testkit_spawn (answerer, args, log_path, &port, &error);
  g_assert_no_error (error);
  session = soup_session_new_with_options ("timeout", 60, NULL);

  g_test_add_func ("/server/models", test_models);
  g_test_add_func ("/server/answer", test_answer);
  g_test_add_func ("/server/qr", test_qr);
  g_test_add_func ("/server/clip", test_clip);
  g_test_add_func ("/server/boxes", test_boxes);
  g_test_add_func ("/server/readability", test_readability);
  g_test_add_func ("/server/stream", test_stream);
  g_test_add_func ("/server/bad-requests", test_bad_requests);
  g_test_add_func ("/server/oversize", test_oversize);
  g_test_add_func ("/server/auth", test_auth);
  g_test_add_func ("/server/concurrent", test_concurrent);
  result = g_test_run ();

  /* SIGTERM is a clean shutdown, and every request was logged. */
  g_assert_cmpint (artic_answerer_testkit_stop (pid), ==, 0);
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "kind=boxes"));
  g_assert_nonnull (strstr (log, "kind=readability"));
  g_assert_nonnull (strstr (log, "stopped after"));
  g_free (log);
  g_object_unref (session);
  {
    GDir *dir = g_dir_open (tmp_dir, 0, NULL);
    const gchar *name;
    while (dir && (name = g_dir_read_name (dir)) != NULL) {
      gchar *path = g_build_filename (tmp_dir, name, NULL);
      g_remove (path);
      g_free (path);
    }
    if (dir)
      g_dir_close (dir);
    g_rmdir (tmp_dir);
  }
  g_free (log_path);
  g_free (tmp_dir);
  return result;
}
