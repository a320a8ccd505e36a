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

/* artic-answerer's modules without the server: request parsing and its
 * errors, reading the prompt, matching OCR words to a question, the reply
 * formats (the ZeCoStream boxes through the roi library's own parser), and
 * the real OCR/QR models on images rendered with known content. */

#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "answerer-inproc.h"
#include "artic-answerer-testkit.h"
#include "artic-answerer.h"
#include "artic-roi-box.h"

#define PNG_1X1                                                                \
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAsTj2FA" \
  "AAAABJRU5ErkJggg=="
#define IMAGE_PART                                               \
  "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/" \
  "png;base64," PNG_1X1 "\"}}"

static ArticAnswererRequest *
parse (const gchar *body, guint max_images, gchar **param, GError **error)
{
  return artic_answerer_request_parse (
      body, strlen (body), max_images, param, error);
}

static void
test_parse_valid (void)
{
  const gchar *body
      = "{\"model\":\"m1\",\"stream\":true,\"stream_options\":{\"include_"
        "usage\":true},\"messages\":[{\"role\":\"system\",\"content\":\"Be "
        "brief.\"},{\"role\":\"user\",\"content\":[" IMAGE_PART "," IMAGE_PART
        ",{\"type\":\"text\",\"text\":\"What is written?\"}]}]}";
  GError *error = NULL;
  gchar *param = NULL;
  ArticAnswererRequest *request = parse (body, 0, &param, &error);

  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_cmpstr (request->model, ==, "m1");
  g_assert_true (request->stream);
  g_assert_true (request->include_usage);
  g_assert_cmpstr (request->system, ==, "Be brief.");
  g_assert_cmpstr (request->prompt, ==, "What is written?");
  g_assert_cmpuint (request->images->len, ==, 2);
  /* the decoded PNG, not the base64 */
  g_assert_cmpuint (g_bytes_get_size (request->images->pdata[0]), ==, 67);
  artic_answerer_request_free (request);
}

/* A plain-string content is the question; the frames may come earlier. */
static void
test_parse_string_content (void)
{
  const gchar *body
      = "{\"messages\":[{\"role\":\"user\",\"content\":[" IMAGE_PART
        "]},{\"role\":\"assistant\",\"content\":null},{\"role\":\"user\","
        "\"content\":\"What does the sign say?\"}]}";
  GError *error = NULL;
  ArticAnswererRequest *request = parse (body, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (request->prompt, ==, "What does the sign say?");
  g_assert_false (request->stream);
  g_assert_null (request->model);
  g_assert_cmpuint (request->images->len, ==, 1);
  artic_answerer_request_free (request);
}

typedef struct
{
  const gchar *body;
  gint code;
  const gchar *param;
} BadCase;

static void
test_parse_errors (void)
{
  static const BadCase cases[] = {
    { "", ARTIC_ANSWERER_ERROR_INVALID, NULL },
    { "not json", ARTIC_ANSWERER_ERROR_INVALID, NULL },
    { "[1,2]", ARTIC_ANSWERER_ERROR_INVALID, NULL },
    { "{\"messages\":[]}", ARTIC_ANSWERER_ERROR_INVALID, "messages" },
    { "{\"messages\":\"hi\"}", ARTIC_ANSWERER_ERROR_INVALID, "messages" },
    { "{\"model\":7,\"messages\":[]}", ARTIC_ANSWERER_ERROR_INVALID, "model" },
    { "{\"stream\":\"yes\",\"messages\":[]}", ARTIC_ANSWERER_ERROR_INVALID,
        "stream" },
    { "{\"messages\":[7]}", ARTIC_ANSWERER_ERROR_INVALID, "messages[0]" },
    { "{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}",
        ARTIC_ANSWERER_ERROR_INVALID, "messages[0].role" },
    { "{\"messages\":[{\"role\":\"user\"}]}", ARTIC_ANSWERER_ERROR_INVALID,
        "messages[0].content" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":42}]}",
        ARTIC_ANSWERER_ERROR_INVALID, "messages[0].content" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_"
      "audio\",\"input_audio\":{}}]}]}",
        ARTIC_ANSWERER_ERROR_INVALID, "messages[0].content[0].type" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}",
        ARTIC_ANSWERER_ERROR_INVALID, "messages[0].content[0].type" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}"
      "]}",
        ARTIC_ANSWERER_ERROR_INVALID, "messages[0].content[0].text" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
      "\"text\":\"q\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
      "\"data:text/plain;base64,aGVsbG8=\"}}]}]}",
        ARTIC_ANSWERER_ERROR_IMAGE, "messages[0].content[1].image_url" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
      "\"text\":\"q\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
      "\"data:image/png;base64,@@@@\"}}]}]}",
        ARTIC_ANSWERER_ERROR_IMAGE, "messages[0].content[1].image_url" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
      "\"text\":\"q\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
      "\"data:image/png;base64,aGVsbG8gd29ybGQh\"}}]}]}",
        ARTIC_ANSWERER_ERROR_IMAGE, "messages[0].content[1].image_url" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
      "\"text\":\"q\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
      "\"data:image/png," PNG_1X1 "\"}}]}]}",
        ARTIC_ANSWERER_ERROR_IMAGE, "messages[0].content[1].image_url" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
      "\"text\":\"q\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
      "\"https://example.org/cat.jpg\"}}]}]}",
        ARTIC_ANSWERER_ERROR_INVALID, "messages[0].content[1].image_url" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_"
      "url\",\"image_url\":{}}]}]}",
        ARTIC_ANSWERER_ERROR_INVALID, "messages[0].content[0].image_url" },
    { "{\"messages\":[{\"role\":\"assistant\",\"content\":[" IMAGE_PART "]}]}",
        ARTIC_ANSWERER_ERROR_INVALID, "messages[0].content[0]" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":\"What?\"}]}",
        ARTIC_ANSWERER_ERROR_INVALID, "messages" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[" IMAGE_PART "]}]}",
        ARTIC_ANSWERER_ERROR_INVALID, "messages" },
    { "{\"messages\":[{\"role\":\"user\",\"content\":[" IMAGE_PART
      "," IMAGE_PART "," IMAGE_PART ",{\"type\":\"text\",\"text\":\"q\"}]}]}",
        ARTIC_ANSWERER_ERROR_TOO_MANY_IMAGES, "messages" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GError *error = NULL;
    gchar *param = NULL;
    ArticAnswererRequest *request = parse (cases[i].body, 2, &param, &error);

    g_test_message ("case %u: %s", i, cases[i].body);
    g_assert_null (request);
    g_assert_error (error, ARTIC_ANSWERER_ERROR, cases[i].code);
    g_assert_cmpstr (param, ==, cases[i].param);
    g_assert_cmpuint (artic_answerer_error_status (error), ==, 400);
    g_error_free (error);
    g_free (param);
  }
}

/* vLLM's frames-as-video part: one data URL, frames separated by commas. */
static void
test_parse_video_url (void)
{
  const gchar *body
      = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video_"
        "url\",\"video_url\":{\"url\":\"data:video/png;base64," PNG_1X1
        "," PNG_1X1 "," PNG_1X1 "\"}},{\"type\":\"text\",\"text\":\"q\"}]}]}";
  const gchar *bad
      = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video_"
        "url\",\"video_url\":{\"url\":\"data:video/png;base64," PNG_1X1
        ",aGVsbG8gd29ybGQh\"}},{\"type\":\"text\",\"text\":\"q\"}]}]}";
  GError *error = NULL;
  gchar *param = NULL;
  ArticAnswererRequest *request = parse (body, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (request->images->len, ==, 3);
  artic_answerer_request_free (request);
  /* the frames count against the image limit */
  g_assert_null (parse (body, 2, &param, &error));
  g_assert_error (
      error, ARTIC_ANSWERER_ERROR, ARTIC_ANSWERER_ERROR_TOO_MANY_IMAGES);
  g_clear_error (&error);
  g_free (param);
  g_assert_null (parse (bad, 0, &param, &error));
  g_assert_error (error, ARTIC_ANSWERER_ERROR, ARTIC_ANSWERER_ERROR_IMAGE);
  g_assert_cmpstr (param, ==, "messages[0].content[0].video_url");
  g_clear_error (&error);
  g_free (param);
}

static void
test_parse_hostile (void)
{
  GString *deep = g_string_new ("{\"messages\":");
  GError *error = NULL;
  const gchar bad_utf8[] = "{\"messages\":\"\xff\xfe\"}";
  const gchar with_nul[] = "{\"messages\":[]}\0garbage";
  guint i;

  for (i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_assert_null (parse (deep->str, 0, NULL, &error));
  g_assert_error (error, ARTIC_ANSWERER_ERROR, ARTIC_ANSWERER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_clear_error (&error);
  g_string_free (deep, TRUE);

  g_assert_null (artic_answerer_request_parse (
      bad_utf8, sizeof (bad_utf8) - 1, 0, NULL, &error));
  g_assert_error (error, ARTIC_ANSWERER_ERROR, ARTIC_ANSWERER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (artic_answerer_request_parse (
      with_nul, sizeof (with_nul) - 1, 0, NULL, &error));
  g_assert_error (error, ARTIC_ANSWERER_ERROR, ARTIC_ANSWERER_ERROR_INVALID);
  g_clear_error (&error);
}

static void
test_query_kinds (void)
{
  ArticAnswererQuery *q;

  q = artic_answerer_query_new (NULL,
      "Answer the following question concisely based on the video.\n"
      "Question:\nWhat is the word printed on the box?");
  g_assert_cmpint (q->kind, ==, ARTIC_ANSWERER_KIND_ANSWER);
  g_assert_cmpstr (q->question, ==, "What is the word printed on the box?");
  g_assert_true (q->wants_word);
  g_assert_false (q->wants_number);
  g_assert_false (q->wants_code);
  g_assert_cmpuint (q->keywords->len, ==, 0);
  artic_answerer_query_free (q);

  q = artic_answerer_query_new (NULL,
      "Predict the bounding box of the region relevant to the question in "
      "the next 5 frames. Question: What number follows \"CAMPRODON\"?");
  g_assert_cmpint (q->kind, ==, ARTIC_ANSWERER_KIND_BOXES);
  g_assert_cmpuint (q->future_frames, ==, 5);
  g_assert_true (q->wants_number);
  g_assert_cmpuint (q->quoted->len, ==, 1);
  g_assert_cmpstr (q->quoted->pdata[0], ==, "camprodon");
  artic_answerer_query_free (q);

  /* Instructions in the system message; word counts; the cap. */
  q = artic_answerer_query_new (
      "Return the bbox for three future frames.", "What does the QR code say?");
  g_assert_cmpint (q->kind, ==, ARTIC_ANSWERER_KIND_BOXES);
  g_assert_cmpuint (q->future_frames, ==, 3);
  g_assert_true (q->wants_code);
  artic_answerer_query_free (q);
  q = artic_answerer_query_new (NULL, "bbox for the next 999 frames: x?");
  g_assert_cmpuint (q->future_frames, ==, ARTIC_ANSWERER_MAX_FUTURE_FRAMES);
  artic_answerer_query_free (q);
  q = artic_answerer_query_new (NULL, "bounding box please: where is it?");
  g_assert_cmpuint (q->future_frames, ==, ARTIC_ANSWERER_DEFAULT_FUTURE_FRAMES);
  artic_answerer_query_free (q);

  q = artic_answerer_query_new (NULL,
      "Rate the readability (0.0-1.0) of the region relevant to the "
      "question. Question: What's on the 'exit' sign?");
  g_assert_cmpint (q->kind, ==, ARTIC_ANSWERER_KIND_READABILITY);
  g_assert_cmpuint (q->quoted->len, ==, 1);
  g_assert_cmpstr (q->quoted->pdata[0], ==, "exit");
  artic_answerer_query_free (q);

  /* Apostrophes are not quotes; content words become keywords. */
  q = artic_answerer_query_new (NULL, "What's the shop's opening time?");
  g_assert_cmpuint (q->quoted->len, ==, 0);
  g_assert_cmpuint (q->keywords->len, ==, 3);
  g_assert_cmpstr (q->keywords->pdata[0], ==, "shop");
  artic_answerer_query_free (q);
}

/* A frame as the vision module reports it, built by hand. */
static ArticAnswererFrame *
frame_of (const gchar *const *words, const gdouble *conf, const gint *boxes,
    const guint *lines, guint n)
{
  ArticAnswererFrame *frame = artic_answerer_frame_new (640, 480);
  guint i;

  for (i = 0; i < n; i++)
    g_ptr_array_add (frame->words,
        artic_answerer_word_new (words[i], conf[i], boxes[4 * i],
            boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], lines[i]));
  return frame;
}

static void
test_match (void)
{
  const gchar *const words[] = { "Ws)", "CAMPRODON", "2417", "small", "EXIT" };
  const gdouble conf[] = { 25, 91, 88, 95, 96 };
  const gint boxes[] = { 0, 0, 20, 30, 100, 200, 300, 240, 320, 200, 400, 240,
    10, 400, 50, 410, 500, 20, 600, 80 };
  const guint lines[] = { 0, 1, 1, 2, 3 };
  ArticAnswererFrame *frame = frame_of (words, conf, boxes, lines, 5);
  ArticAnswererQuery *q;
  ArticAnswererMatch m;
  gchar *reply;

  /* Salient: the tallest sure text wins, its whole line for "text". */
  q = artic_answerer_query_new (NULL, "What is the text on the box?");
  artic_answerer_match_frame (q, frame, &m);
  g_assert_true (m.found);
  g_assert_cmpstr (m.text, ==, "EXIT");
  artic_answerer_match_clear (&m);
  artic_answerer_query_free (q);

  /* A cue (OCR-tolerant: one glyph off) selects its line. */
  q = artic_answerer_query_new (NULL, "What is written next to CAMPR0DON?");
  artic_answerer_match_frame (q, frame, &m);
  g_assert_true (m.found);
  g_assert_cmpstr (m.text, ==, "CAMPRODON 2417");
  g_assert_cmpint (m.x0, ==, 100);
  g_assert_cmpint (m.x1, ==, 400);
  g_assert_cmpint (m.y0, ==, 200);
  g_assert_cmpint (m.y1, ==, 240);
  g_assert_cmpfloat_with_epsilon (m.confidence, 91.0, 1e-9);
  reply = artic_answerer_format_reply (q, &m, 640, 480);
  g_assert_cmpstr (reply, ==, "CAMPRODON 2417");
  g_free (reply);
  artic_answerer_match_clear (&m);
  artic_answerer_query_free (q);

  q = artic_answerer_query_new (NULL, "Which number is on the \"camprodon\" "
                                      "label?");
  artic_answerer_match_frame (q, frame, &m);
  g_assert_cmpstr (m.text, ==, "2417");
  artic_answerer_match_clear (&m);
  artic_answerer_query_free (q);

  /* No QR code in the frame: a code question is not answered from OCR. */
  q = artic_answerer_query_new (NULL, "What does the QR code say?");
  artic_answerer_match_frame (q, frame, &m);
  g_assert_false (m.found);
  reply = artic_answerer_format_reply (q, &m, 640, 480);
  g_assert_nonnull (strstr (reply, "I cannot read any QR code"));
  g_free (reply);
  artic_answerer_match_clear (&m);
  g_ptr_array_add (frame->codes,
      artic_answerer_word_new ("https://x.org", 100, 1, 2, 3, 4, 0));
  artic_answerer_match_frame (q, frame, &m);
  g_assert_cmpstr (m.text, ==, "https://x.org");
  artic_answerer_match_clear (&m);
  artic_answerer_query_free (q);
  artic_answerer_frame_free (frame);
}

/* Texture read as letters is never an answer; a dictionary word with an
 * oddly low LSTM confidence is. */
static void
test_match_junk (void)
{
  const gchar *const junk[] = { "Ws)", "ro", "Shae", "4" };
  const gdouble junk_conf[] = { 25, 72, 36, 95 };
  const gint boxes[] = { 0, 0, 9, 9, 0, 0, 9, 9, 0, 0, 9, 9, 0, 0, 9, 9 };
  const guint lines[] = { 0, 1, 2, 3 };
  ArticAnswererFrame *frame = frame_of (junk, junk_conf, boxes, lines, 4);
  ArticAnswererQuery *q
      = artic_answerer_query_new (NULL, "What is written here?");
  ArticAnswererMatch m;
  gchar *reply;

  artic_answerer_match_frame (q, frame, &m);
  g_assert_false (m.found);
  reply = artic_answerer_format_reply (q, &m, 640, 480);
  g_assert_cmpstr (reply, ==, "I cannot read any text in the images.");
  g_free (reply);
  artic_answerer_match_clear (&m);
  ((ArticAnswererWord *) frame->words->pdata[2])->dictionary = TRUE;
  g_ptr_array_add (
      frame->words, artic_answerer_word_new ("COFFEE", 37, 0, 0, 40, 20, 4));
  ((ArticAnswererWord *) frame->words->pdata[4])->dictionary = TRUE;
  artic_answerer_match_frame (q, frame, &m);
  g_assert_true (m.found);
  g_assert_cmpstr (m.text, ==, "COFFEE");
  artic_answerer_match_clear (&m);
  artic_answerer_query_free (q);
  artic_answerer_frame_free (frame);
}

static void
test_reply_boxes (void)
{
  ArticAnswererQuery *q = artic_answerer_query_new (NULL,
      "Predict the bounding boxes for the next 3 frames. Question: what?");
  ArticAnswererMatch m
      = { TRUE, NULL, 90, 160, 200, 320, 240, 0, 0, 0, 0, 0, FALSE };
  GError *error = NULL;
  GArray *boxes;
  gchar *reply;
  guint i;

  reply = artic_answerer_format_reply (q, &m, 640, 480);
  /* 40 px tall region, 10 px margin: x 150..330 of 640, y 190..250 of 480 */
  g_assert_cmpstr (reply, ==,
      "[[[234,396],[516,521]],[[234,396],[516,521]],[[234,396],[516,521]]]");
  boxes = artic_roi_boxes_parse (reply, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (boxes->len, ==, 3);
  for (i = 0; i < 3; i++) {
    ArticRoiBox *box = &g_array_index (boxes, ArticRoiBox, i);
    g_assert_cmpfloat (box->x_min, ==, 234);
    g_assert_cmpfloat (box->y_max, ==, 521);
  }
  g_array_unref (boxes);
  g_free (reply);

  m.found = FALSE;
  reply = artic_answerer_format_reply (q, &m, 640, 480);
  g_assert_cmpstr (reply, ==, "[[[0,0],[0,0]],[[0,0],[0,0]],[[0,0],[0,0]]]");
  boxes = artic_roi_boxes_parse (reply, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (boxes->len, ==, 0); /* "no box" markers */
  g_array_unref (boxes);
  g_free (reply);

  /* A region moving 32 px right per image, matched in the image before the
   * newest: the future frames are 2, 3 and 4 images after the match. */
  m = (ArticAnswererMatch){ TRUE, NULL, 90, 160, 200, 320, 240, 32, 0, 1, 0, 0,
    FALSE };
  reply = artic_answerer_format_reply (q, &m, 640, 480);
  g_assert_cmpstr (reply, ==,
      "[[[334,396],[616,521]],[[384,396],[666,521]],[[434,396],[716,521]]]");
  g_free (reply);

  /* The same with 8 px of uncertainty per image across and 4 down: each
   * future frame's margin grows by that much per image ahead (2, 3 and 4
   * images: 16/8, 24/12 and 32/16 px more on every side). */
  m.ex = 8;
  m.ey = 4;
  reply = artic_answerer_format_reply (q, &m, 640, 480);
  g_assert_cmpstr (reply, ==,
      "[[[309,379],[641,538]],[[347,371],[703,546]],[[384,363],[766,554]]]");
  g_free (reply);
  artic_answerer_query_free (q);

  /* Asked where the region is in the newest frame (a sender that follows
   * it): one box, moved only by the images between the match and the
   * newest (here one: 32 px right, 8 px more margin across, 4 down). */
  q = artic_answerer_query_new (NULL,
      "Give the bounding box of the region relevant to the question in the "
      "last frame. Question: what?");
  g_assert_cmpuint (q->future_frames, ==, 0);
  reply = artic_answerer_format_reply (q, &m, 640, 480);
  g_assert_cmpstr (reply, ==, "[[[272,388],[578,529]]]");
  g_free (reply);
  m.lead = 0;
  reply = artic_answerer_format_reply (q, &m, 640, 480);
  g_assert_cmpstr (reply, ==, "[[[234,396],[516,521]]]");
  g_free (reply);
  artic_answerer_query_free (q);
  /* A count of future frames wins over a mention of the last one. */
  q = artic_answerer_query_new (NULL,
      "From the last frame, predict the bbox in the next 2 frames: where?");
  g_assert_cmpuint (q->future_frames, ==, 2);
  artic_answerer_query_free (q);
  q = artic_answerer_query_new (NULL, "bbox in the newest image: where?");
  g_assert_cmpuint (q->future_frames, ==, 0);
  artic_answerer_query_free (q);

  /* A region touching the frame edge is clamped to 0..1000. */
  q = artic_answerer_query_new (NULL, "bbox in the next 1 frame: where?");
  m = (ArticAnswererMatch){ TRUE, NULL, 90, 0, 0, 640, 480, 0, 0, 0, 0, 0,
    FALSE };
  reply = artic_answerer_format_reply (q, &m, 640, 480);
  g_assert_cmpstr (reply, ==, "[[[0,0],[1000,1000]]]");
  g_free (reply);
  artic_answerer_query_free (q);
}

/* The motion of a region from where it was seen in the request's images
 * (step 0 = the newest sighting, 2 = two images older). */
static void
test_motion_fit (void)
{
  /* On a line: 30 px right and 6 px up per image, exactly; uncertainty a
   * quarter of the speed, nothing from the fit's residual. */
  const ArticAnswererSighting line[]
      = { { 0, 400, 200 }, { 1, 370, 206 }, { 2, 340, 212 } };
  /* Off the line by 6 px in the middle (a sway, a noisy edge): the same
   * slope (the two ends), more uncertainty. */
  const ArticAnswererSighting bent[]
      = { { 0, 400, 200 }, { 1, 376, 206 }, { 2, 340, 212 } };
  /* The image before the newest not seen: the two others, 2 steps apart. */
  const ArticAnswererSighting gap[] = { { 0, 400, 200 }, { 2, 340, 212 } };
  ArticAnswererMatch m = { 0 };

  artic_answerer_motion_fit (line, 3, &m);
  g_assert_cmpfloat_with_epsilon (m.vx, 30, 1e-9);
  g_assert_cmpfloat_with_epsilon (m.vy, -6, 1e-9);
  g_assert_cmpfloat_with_epsilon (m.ex, 7.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (m.ey, 1.5, 1e-9);

  artic_answerer_motion_fit (bent, 3, &m);
  g_assert_cmpfloat_with_epsilon (m.vx, 30, 1e-9);
  /* residual 2, -4, 2 px: sqrt (24 / 1 / 2) = 3.46 px per image more */
  g_assert_cmpfloat_with_epsilon (m.ex, 7.5 + sqrt (12), 1e-9);
  g_assert_cmpfloat_with_epsilon (m.ey, 1.5, 1e-9);

  artic_answerer_motion_fit (gap, 2, &m);
  g_assert_cmpfloat_with_epsilon (m.vx, 30, 1e-9);
  g_assert_cmpfloat_with_epsilon (m.vy, -6, 1e-9);
  g_assert_cmpfloat_with_epsilon (m.ex, 7.5, 1e-9);

  /* One sighting, none, or two of the same image: no motion. */
  artic_answerer_motion_fit (line, 1, &m);
  g_assert_cmpfloat (m.vx, ==, 0);
  g_assert_cmpfloat (m.ex, ==, 0);
  artic_answerer_motion_fit (NULL, 3, &m);
  g_assert_cmpfloat (m.vy, ==, 0);
  artic_answerer_motion_fit (
      (const ArticAnswererSighting[]){ { 1, 10, 10 }, { 1, 50, 50 } }, 2, &m);
  g_assert_cmpfloat (m.vx, ==, 0);
  g_assert_cmpfloat (m.ey, ==, 0);
}

static void
test_reply_readability (void)
{
  ArticAnswererQuery *q = artic_answerer_query_new (
      NULL, "Rate the readability (0.0-1.0) of the region. Question: what?");
  ArticAnswererMatch m = { TRUE, NULL, 87.4, 0, 0, 1, 1, 0, 0, 0, 0, 0, FALSE };
  gchar *reply = artic_answerer_format_reply (q, &m, 640, 480);
  JsonNode *node = json_from_string (reply, NULL);

  g_assert_cmpstr (reply, ==, "{\"readability\": 0.87}");
  g_assert_nonnull (node);
  g_assert_cmpfloat_with_epsilon (
      json_object_get_double_member (
          json_node_get_object (node), "readability"),
      0.87, 1e-9);
  json_node_unref (node);
  g_free (reply);
  m.found = FALSE;
  reply = artic_answerer_format_reply (q, &m, 640, 480);
  g_assert_cmpstr (reply, ==, "{\"readability\": 0.00}");
  g_free (reply);
  artic_answerer_query_free (q);
}

static JsonObject *
chunk_object (const gchar *line, JsonNode **node)
{
  g_assert_true (g_str_has_prefix (line, "data: "));
  *node = json_from_string (line + 6, NULL);
  g_assert_nonnull (*node);
  return json_node_get_object (*node);
}

static void
test_sse_body (void)
{
  ArticAnswererUsage usage = { 100, 3 };
  gchar *sse = artic_answerer_sse_body (
      "chatcmpl-1", 1700000000, "m", "CAMPRODON 2417 ok", &usage, TRUE);
  gchar **events = g_strsplit (sse, "\n\n", -1);
  GString *content = g_string_new (NULL);
  guint n = g_strv_length (events), i;
  JsonNode *node;
  JsonObject *o, *delta, *choice;

  /* role, 3 words, finish, usage, [DONE], and the empty tail */
  g_assert_cmpuint (n, ==, 8);
  g_assert_cmpstr (events[n - 1], ==, "");
  g_assert_cmpstr (events[n - 2], ==, "data: [DONE]");
  for (i = 0; i + 2 < n; i++) {
    o = chunk_object (events[i], &node);
    g_assert_cmpstr (json_object_get_string_member (o, "object"), ==,
        "chat.completion.chunk");
    g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, "chatcmpl-1");
    if (i == n - 3) {
      JsonObject *u = json_object_get_object_member (o, "usage");
      g_assert_cmpuint (
          json_array_get_length (json_object_get_array_member (o, "choices")),
          ==, 0);
      g_assert_cmpint (json_object_get_int_member (u, "total_tokens"), ==, 103);
    } else {
      choice = json_array_get_object_element (
          json_object_get_array_member (o, "choices"), 0);
      delta = json_object_get_object_member (choice, "delta");
      g_assert_true (json_object_get_null_member (o, "usage"));
      if (i == 0)
        g_assert_cmpstr (
            json_object_get_string_member (delta, "role"), ==, "assistant");
      if (i == n - 4) {
        g_assert_cmpstr (
            json_object_get_string_member (choice, "finish_reason"), ==,
            "stop");
        g_assert_cmpuint (json_object_get_size (delta), ==, 0);
      } else {
        g_assert_true (json_object_get_null_member (choice, "finish_reason"));
        g_string_append (
            content, json_object_get_string_member (delta, "content"));
      }
    }
    json_node_unref (node);
  }
  g_assert_cmpstr (content->str, ==, "CAMPRODON 2417 ok");
  g_string_free (content, TRUE);
  g_strfreev (events);
  g_free (sse);

  /* Without include_usage: no usage anywhere. */
  sse = artic_answerer_sse_body ("x", 1, "m", "a", &usage, FALSE);
  g_assert_null (strstr (sse, "usage"));
  g_assert_true (g_str_has_suffix (sse, "data: [DONE]\n\n"));
  g_free (sse);
}

static void
test_completion_and_error_json (void)
{
  ArticAnswererUsage usage = { 10, 2 };
  gchar *json = artic_answerer_completion_json (
      "chatcmpl-2", 5, "m \"q\"", "say \"hi\"\n", &usage);
  JsonNode *node = json_from_string (json, NULL);
  JsonObject *o = json_node_get_object (node), *e;
  JsonObject *choice = json_array_get_object_element (
      json_object_get_array_member (o, "choices"), 0);

  g_assert_cmpstr (
      json_object_get_string_member (o, "object"), ==, "chat.completion");
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "m \"q\"");
  g_assert_cmpstr (
      json_object_get_string_member (
          json_object_get_object_member (choice, "message"), "content"),
      ==, "say \"hi\"\n");
  g_assert_cmpint (
      json_object_get_int_member (
          json_object_get_object_member (o, "usage"), "total_tokens"),
      ==, 12);
  json_node_unref (node);
  g_free (json);

  json = artic_answerer_error_json (
      "bad", "invalid_request_error", "messages", NULL);
  node = json_from_string (json, NULL);
  e = json_object_get_object_member (json_node_get_object (node), "error");
  g_assert_cmpstr (json_object_get_string_member (e, "message"), ==, "bad");
  g_assert_cmpstr (
      json_object_get_string_member (e, "type"), ==, "invalid_request_error");
  g_assert_cmpstr (json_object_get_string_member (e, "param"), ==, "messages");
  g_assert_true (json_object_get_null_member (e, "code"));
  json_node_unref (node);
  g_free (json);
}

static void
test_probe (void)
{
  guint8 png[24] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
    'I', 'H', 'D', 'R', 0, 0, 0x02, 0x80, 0, 0, 0x01, 0xe0 };
  const gchar *format;
  guint w, h;
  GError *error = NULL;
  GBytes *jpeg = artic_answerer_testkit_render (
      "A", "Sans 20", 320, 240, NULL, 0, &error);
  gsize size;
  const guint8 *data;

  g_assert_true (
      artic_answerer_vision_probe (png, sizeof (png), &format, &w, &h));
  g_assert_cmpstr (format, ==, "png");
  g_assert_cmpuint (w, ==, 640);
  g_assert_cmpuint (h, ==, 480);
  png[17] = 0x40; /* 16448 px wide: over the limit */
  g_assert_false (
      artic_answerer_vision_probe (png, sizeof (png), NULL, NULL, NULL));
  g_assert_false (artic_answerer_vision_probe (png, 20, NULL, NULL, NULL));
  g_assert_false (artic_answerer_vision_probe (
      (const guint8 *) "GIF89a", 6, NULL, NULL, NULL));

  g_assert_no_error (error);
  data = g_bytes_get_data (jpeg, &size);
  g_assert_true (artic_answerer_vision_probe (data, size, &format, &w, &h));
  g_assert_cmpstr (format, ==, "jpeg");
  g_assert_cmpuint (w, ==, 320);
  g_assert_cmpuint (h, ==, 240);
  /* cut before the frame header */
  g_assert_false (artic_answerer_vision_probe (data, 20, NULL, NULL, NULL));
  g_bytes_unref (jpeg);
}

static ArticAnswererVision *
vision_new (void)
{
  GError *error = NULL;
  ArticAnswererVision *vision = artic_answerer_vision_new (NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (vision);
  return vision;
}

static void
test_vision_ocr (void)
{
  ArticAnswererVision *vision = vision_new ();
  GError *error = NULL;
  GBytes *image = artic_answerer_testkit_render (
      "CAMPRODON 2417", "Sans 48", 640, 480, NULL, 0, &error);
  ArticAnswererFrame *frame;
  ArticAnswererWord *word;

  g_assert_no_error (error);
  frame = artic_answerer_vision_read (
      vision, g_bytes_get_data (image, NULL), g_bytes_get_size (image), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frame->width, ==, 640);
  g_assert_cmpuint (frame->words->len, ==, 2);
  word = frame->words->pdata[0];
  g_assert_cmpstr (word->text, ==, "CAMPRODON");
  g_assert_cmpfloat (word->confidence, >=, 70);
  /* centred text: the word spans the middle rows, left of centre */
  g_assert_cmpint (word->y0, <, 240);
  g_assert_cmpint (word->y1, >, 240);
  g_assert_cmpint (word->x0, <, 320);
  g_assert_cmpstr (
      ((ArticAnswererWord *) frame->words->pdata[1])->text, ==, "2417");
  g_assert_cmpuint (frame->codes->len, ==, 0);
  artic_answerer_frame_free (frame);
  g_bytes_unref (image);

  image = artic_answerer_testkit_qr ("artic QR 42", 4, &error);
  g_assert_no_error (error);
  frame = artic_answerer_vision_read (
      vision, g_bytes_get_data (image, NULL), g_bytes_get_size (image), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frame->codes->len, ==, 1);
  g_assert_cmpstr (
      ((ArticAnswererWord *) frame->codes->pdata[0])->text, ==, "artic QR 42");
  artic_answerer_frame_free (frame);
  g_bytes_unref (image);
  artic_answerer_vision_free (vision);
}

/* A valid header over broken data: an error or a frame, never a crash. */
static void
test_vision_broken (void)
{
  ArticAnswererVision *vision = vision_new ();
  GError *error = NULL;
  GBytes *image = artic_answerer_testkit_render (
      "X", "Sans 20", 320, 240, NULL, 0, &error);
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);
  guint8 *copy = g_memdup2 (data, size);
  ArticAnswererFrame *frame;
  guint cut;

  g_assert_no_error (error);
  g_assert_null (
      artic_answerer_vision_read (vision, (const guint8 *) "nope", 4, &error));
  g_assert_error (
      error, ARTIC_ANSWERER_VISION_ERROR, ARTIC_ANSWERER_VISION_ERROR_DECODE);
  g_clear_error (&error);
  for (cut = size / 2; cut < size; cut += size / 4) {
    frame = artic_answerer_vision_read (vision, data, cut, &error);
    g_assert_true ((frame == NULL) != (error == NULL));
    artic_answerer_frame_free (frame);
    g_clear_error (&error);
  }
  /* scramble the entropy-coded data after the headers */
  for (cut = size / 3; cut < size - 2; cut += 7)
    copy[cut] ^= 0x5a;
  frame = artic_answerer_vision_read (vision, copy, size, &error);
  g_assert_true ((frame == NULL) != (error == NULL));
  artic_answerer_frame_free (frame);
  g_clear_error (&error);
  g_free (copy);
  g_bytes_unref (image);
  artic_answerer_vision_free (vision);
}

static void
test_readings_agree (void)
{
  /* the same text, however punctuated or cased */
  g_assert_true (artic_answerer_readings_agree ("Garden Tact.", "GARDEN TACT"));
  /* one glyph off, dropped or swapped, in 4+ glyphs */
  g_assert_true (artic_answerer_readings_agree ("RESH", "FRESH"));
  g_assert_true (artic_answerer_readings_agree ("GARDEN TAC", "GARDEN TACT"));
  g_assert_true (artic_answerer_readings_agree ("rasta", "PASTA"));
  /* short words are different words when a glyph differs */
  g_assert_false (artic_answerer_readings_agree ("PET", "PEN"));
  g_assert_false (artic_answerer_readings_agree ("28", "623"));
  /* a reading that another extends, in either order */
  g_assert_true (artic_answerer_readings_agree ("BREWERY", "BREWERY ZEBRA"));
  g_assert_true (artic_answerer_readings_agree ("TACT RAMP", "RAMP"));
  /* ... also with a glyph off in one of its words */
  g_assert_true (artic_answerer_readings_agree ("BREVERY", "BREWERY ZEBRA"));
  /* words cut at the edge: the first loses its start, the last its end */
  g_assert_true (artic_answerer_readings_agree ("BREAD TH", "BREAD THEATRE"));
  g_assert_true (artic_answerer_readings_agree ("UMPET", "TRUMPET"));
  g_assert_true (artic_answerer_readings_agree ("DEN TACT", "GARDEN TACT"));
  /* ... but not in the middle of the run, and not down to one glyph */
  g_assert_false (
      artic_answerer_readings_agree ("BREAD TH RE", "BREAD THEATRE RED"));
  g_assert_false (artic_answerer_readings_agree ("T", "TRUMPET"));
  g_assert_false (artic_answerer_readings_agree ("GARDEN T", "GARDEN TACT"));
  /* the words in another order, or another text */
  g_assert_false (
      artic_answerer_readings_agree ("ZEBRA BREWERY", "BREWERY ZEBRA"));
  g_assert_false (artic_answerer_readings_agree ("PASTA 278", "BREWERY ZEBRA"));
  g_assert_false (artic_answerer_readings_agree ("", "BREWERY"));
  g_assert_false (artic_answerer_readings_agree ("...", "..."));
  g_assert_false (artic_answerer_readings_agree (NULL, "BREWERY"));
}

/* @texts, oldest first (NULL: nothing found in that image), as matches. */
static gint
vote (const gchar *const *texts, const gboolean *on_sign, guint n)
{
  ArticAnswererMatch *matches = g_new0 (ArticAnswererMatch, n);
  gint chosen;
  guint i;

  for (i = 0; i < n; i++) {
    matches[i].found = texts[i] != NULL;
    matches[i].text = g_strdup (texts[i]);
    matches[i].confidence = 90;
    matches[i].on_sign = on_sign ? on_sign[i] : FALSE;
  }
  chosen = artic_answerer_vote (matches, n);
  for (i = 0; i < n; i++)
    artic_answerer_match_clear (&matches[i]);
  g_free (matches);
  return chosen;
}

static void
test_vote (void)
{
  const gchar *none[] = { NULL, NULL, NULL };
  const gchar *empty[] = { "", NULL, "" };
  const gchar *one[] = { NULL, "PHARMACY", NULL };
  const gchar *majority[] = { "TRUMPET", "TRUMPET", "RUMPET" };
  const gchar *misread_twice[] = { "RUMPET", "TRUMPET", "RUMPET" };
  const gchar *glyph[] = { "FRESH", NULL, "RESH" };
  const gchar *glyph_newest[] = { "RESH", NULL, "FRESH" };
  const gchar *same_length[] = { "PASTA", "PASTA", "rasta" };
  const gchar *extension[] = { "BREAD THEATRE", NULL, "BREAD" };
  const gchar *word_missed_twice[] = { "EXPRESS", "EXPRESS", "EXPRESS WRENCH" };
  const gchar *cut[] = { "VERN GRAPE", "AVERN GRAPE", "TAVERN GRAPE" };
  const gchar *cut_newest[] = { "TAVERN GRAPE", "AVERN GRAPE", "VERN GRAPE" };
  const gchar *distractor[] = { "BREWERY ZEBRA", "BREWERY", "PASTA 278" };
  const gchar *disagree[] = { "PASTA 278", "WEI RA", "BREWERY ZEBRA" };
  const gchar *tie[] = { "BREWERY ZEBRA", "PASTA 278" };
  const gboolean sign_oldest[] = { TRUE, FALSE };
  const gchar *other_sign_twice[]
      = { "BUTTER EMBER", "BUTTER EMBER", "KV-6994" };
  const gboolean sign_newest[] = { FALSE, FALSE, TRUE };
  const gboolean all_on_sign[] = { TRUE, TRUE, TRUE };
  const gchar *identical[] = { "GARDEN TACT", "GARDEN TACT" };

  /* nothing read, or only empty readings: no answer */
  g_assert_cmpint (vote (none, NULL, 3), ==, -1);
  g_assert_cmpint (vote (empty, NULL, 3), ==, -1);
  g_assert_cmpint (vote (none, NULL, 0), ==, -1);
  /* one image read it: that one, whichever */
  g_assert_cmpint (vote (one, NULL, 3), ==, 1);
  /* two images read it, the newest lost a glyph: the whole word */
  g_assert_cmpint (vote (majority, NULL, 3), ==, 1);
  /* ... also when two images lost it: OCR drops glyphs, it does not add
   * them */
  g_assert_cmpint (vote (misread_twice, NULL, 3), ==, 1);
  /* one against one, a glyph apart: the fuller reading, old or new */
  g_assert_cmpint (vote (glyph, NULL, 3), ==, 0);
  g_assert_cmpint (vote (glyph_newest, NULL, 3), ==, 2);
  /* a glyph apart at the same length: the one read most often, newest */
  g_assert_cmpint (vote (same_length, NULL, 3), ==, 1);
  /* a reading that another extends: the extension, even against two */
  g_assert_cmpint (vote (extension, NULL, 3), ==, 0);
  g_assert_cmpint (vote (word_missed_twice, NULL, 3), ==, 2);
  /* the sign leaving the frame a glyph an image, either way */
  g_assert_cmpint (vote (cut, NULL, 3), ==, 2);
  g_assert_cmpint (vote (cut_newest, NULL, 3), ==, 0);
  /* two images agree on the sign, the newest read another text */
  g_assert_cmpint (vote (distractor, NULL, 3), ==, 0);
  g_assert_cmpint (vote (distractor, all_on_sign, 3), ==, 0);
  /* three different texts: the newest, as before */
  g_assert_cmpint (vote (disagree, NULL, 3), ==, 2);
  g_assert_cmpint (vote (tie, NULL, 2), ==, 1);
  /* only an older image read the sign the question names: that one */
  g_assert_cmpint (vote (tie, sign_oldest, 2), ==, 0);
  /* ... and another sign's text read in two images does not outvote it,
   * while without a sign named the two that agree win */
  g_assert_cmpint (vote (other_sign_twice, sign_newest, 3), ==, 2);
  g_assert_cmpint (vote (other_sign_twice, NULL, 3), ==, 1);
  /* identical readings: the newest */
  g_assert_cmpint (vote (identical, NULL, 2), ==, 1);
}

/* The whole path without HTTP: three frames, only the newest has text. */
static void
test_respond (void)
{
  ArticAnswererVision *vision = vision_new ();
  GError *error = NULL;
  GPtrArray *urls = g_ptr_array_new_with_free_func (g_free);
  const gchar *texts[] = { NULL, NULL, "PHARMACY" };
  ArticAnswererRequest *request;
  ArticAnswererQuery *query;
  gchar *body, *reply;
  guint i;

  for (i = 0; i < 3; i++) {
    GBytes *image = artic_answerer_testkit_render (
        texts[i], "Sans 48", 640, 480, NULL, 0, &error);
    g_assert_no_error (error);
    g_ptr_array_add (
        urls, artic_answerer_testkit_data_url (image, "image/jpeg"));
    g_bytes_unref (image);
  }
  g_ptr_array_add (urls, NULL);
  body = artic_answerer_testkit_request ("Answer the following question "
                                         "concisely based on the video.\n"
                                         "Question:\nWhat does the sign say?",
      (const gchar *const *) urls->pdata, FALSE, FALSE);
  request = artic_answerer_request_parse (body, strlen (body), 0, NULL, &error);
  g_assert_no_error (error);
  query = artic_answerer_query_new (request->system, request->prompt);
  reply = artic_answerer_respond (vision, request, query, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reply, ==, "PHARMACY");
  g_free (reply);
  artic_answerer_query_free (query);

  query = artic_answerer_query_new (NULL,
      "Predict the bounding box of the region for the next 2 frames. "
      "Question: What does the sign say?");
  reply = artic_answerer_respond (vision, request, query, &error);
  {
    GArray *boxes = artic_roi_boxes_parse (reply, -1, &error);
    ArticRoiBox *box;
    gdouble cx, cy;

    g_assert_no_error (error);
    g_assert_cmpuint (boxes->len, ==, 2);
    box = &g_array_index (boxes, ArticRoiBox, 0);
    artic_roi_box_center (box, &cx, &cy);
    /* the text is centred in the frame */
    g_assert_cmpfloat (fabs (cx - 500), <, 60);
    g_assert_cmpfloat (fabs (cy - 500), <, 60);
    g_assert_cmpfloat (box->x_max - box->x_min, >, 200);
    g_assert_cmpfloat (box->x_max - box->x_min, <, 800);
    g_array_unref (boxes);
  }
  g_free (reply);
  artic_answerer_query_free (query);
  artic_answerer_request_free (request);
  g_free (body);
  g_ptr_array_unref (urls);
  artic_answerer_vision_free (vision);
}

/* Asks @prompt about @images (oldest first) through the whole path. */
static gchar *
respond_to (
    ArticAnswererVision *vision, const gchar *prompt, GBytes **images, guint n)
{
  GError *error = NULL;
  gchar *reply = answerer_inproc_respond (vision, prompt, images, n, &error);

  g_assert_no_error (error);
  return reply;
}

static GBytes *
render_cut (const gchar *text, guint cut_left, guint cut_right)
{
  GError *error = NULL;
  GBytes *image = artic_answerer_testkit_render_cut (
      text, "Sans 48", 640, 480, cut_left, cut_right, &error);

  g_assert_no_error (error);
  return image;
}

/* Three frames of one sign; in the newest the camera has turned and the
 * frame's edge cuts the text (real OCR of real rendered text). The newest
 * frame alone misreads it - which is what the answerer answered before it
 * read every image - and the two older frames that read it whole outvote
 * it. */
static void
test_respond_agreement (void)
{
  ArticAnswererVision *vision = vision_new ();
  const gchar *prompt = "Answer the following question concisely based on "
                        "the video.\nQuestion:\nWhat does the sign say?";
  const gchar *readability
      = "Rate the readability (0.0-1.0) of the region relevant to the "
        "question.\nQuestion: What does the sign say?";
  GBytes *images[3];
  gchar *reply;
  guint i;

  /* The first glyph cut off: "RUMPET" */
  images[0] = render_cut ("TRUMPET", 0, 0);
  images[1] = render_cut ("TRUMPET", 0, 0);
  images[2] = render_cut ("TRUMPET", 205, 0);
  reply = respond_to (vision, prompt, images + 2, 1);
  g_assert_cmpstr (reply, !=, "TRUMPET");
  g_free (reply);
  reply = respond_to (vision, prompt, images, 3);
  g_assert_cmpstr (reply, ==, "TRUMPET");
  g_free (reply);
  /* the rating is that of the reading agreed on */
  reply = respond_to (vision, readability, images, 3);
  g_assert_true (g_str_has_prefix (reply, "{\"readability\": 0.9"));
  g_free (reply);
  /* with one older frame only, one against one: the fuller reading */
  reply = respond_to (vision, prompt, images + 1, 2);
  g_assert_cmpstr (reply, ==, "TRUMPET");
  g_free (reply);
  for (i = 0; i < 3; i++)
    g_bytes_unref (images[i]);

  /* The second word cut at its end in the newest, the oldest frame shows
   * nothing readable: "BREAD THEATRE" read in one frame only, and the
   * newest's "BREAD TH..." agrees with it. */
  images[0] = render_cut (NULL, 0, 0);
  images[1] = render_cut ("BREAD THEATRE", 0, 0);
  images[2] = render_cut ("BREAD THEATRE", 0, 230);
  reply = respond_to (vision, prompt, images + 2, 1);
  g_assert_cmpstr (reply, !=, "BREAD THEATRE");
  g_free (reply);
  reply = respond_to (vision, prompt, images, 3);
  g_assert_cmpstr (reply, ==, "BREAD THEATRE");
  g_free (reply);
  for (i = 0; i < 3; i++)
    g_bytes_unref (images[i]);

  /* An image that does not decode fails the request, as before, now also
   * when it is not the newest. */
  {
    GError *error = NULL;
    GBytes *image = render_cut ("TRUMPET", 0, 0);
    gsize size;
    const guint8 *data = g_bytes_get_data (image, &size);
    guint8 *broken = g_memdup2 (data, size);

    /* the headers, up to the start of the scan, then nothing */
    {
      gsize sos = 2;

      while (
          sos + 1 < size && !(broken[sos] == 0xff && broken[sos + 1] == 0xda))
        sos++;
      images[0] = g_bytes_new (broken, sos);
    }
    images[1] = image;
    reply = answerer_inproc_respond (vision, prompt, images, 2, &error);
    g_assert_null (reply);
    g_assert_error (error, ARTIC_ANSWERER_ERROR, ARTIC_ANSWERER_ERROR_IMAGE);
    g_assert_cmpuint (artic_answerer_error_status (error), ==, 400);
    g_clear_error (&error);
    g_bytes_unref (images[0]);
    g_free (broken);
    g_bytes_unref (image);
  }
  artic_answerer_vision_free (vision);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/answerer/parse-valid", test_parse_valid);
  g_test_add_func ("/answerer/parse-string-content", test_parse_string_content);
  g_test_add_func ("/answerer/parse-errors", test_parse_errors);
  g_test_add_func ("/answerer/parse-video-url", test_parse_video_url);
  g_test_add_func ("/answerer/parse-hostile", test_parse_hostile);
  g_test_add_func ("/answerer/query-kinds", test_query_kinds);
  g_test_add_func ("/answerer/match", test_match);
  g_test_add_func ("/answerer/match-junk", test_match_junk);
  g_test_add_func ("/answerer/reply-boxes", test_reply_boxes);
  g_test_add_func ("/answerer/motion-fit", test_motion_fit);
  g_test_add_func ("/answerer/reply-readability", test_reply_readability);
  g_test_add_func ("/answerer/sse-body", test_sse_body);
  g_test_add_func (
      "/answerer/completion-error-json", test_completion_and_error_json);
  g_test_add_func ("/answerer/probe", test_probe);
  g_test_add_func ("/answerer/vision-ocr", test_vision_ocr);
  g_test_add_func ("/answerer/vision-broken", test_vision_broken);
  g_test_add_func ("/answerer/respond", test_respond);
  g_test_add_func ("/answerer/readings-agree", test_readings_agree);
  g_test_add_func ("/answerer/vote", test_vote);
  g_test_add_func ("/answerer/respond-agreement", test_respond_agreement);
  return g_test_run ();
}
