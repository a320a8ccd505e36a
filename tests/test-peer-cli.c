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

/* The programs' shared session helpers: the token from a file or the
 * environment (errors never quote it), the question message, the boxes
 * prompt, and the boxes message built from model replies of every form. */

#include <string.h>

#include <glib/gstdio.h>

#include "artic-context.h"
#include "artic-peer-cli.h"
#include "artic-srtp.h"

static void
test_token (void)
{
  gchar *dir = g_dir_make_tmp ("artic-cli-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "token", NULL);
  gchar *token, *big;
  GError *error = NULL;

  g_assert_true (
      g_file_set_contents (path, "  s3cr3t-t0ken-value-xyz\nsecond", -1, NULL));
  token = artic_peer_cli_load_token (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "s3cr3t-t0ken-value-xyz");
  artic_srtp_secret_free (token);

  g_setenv (ARTIC_PEER_CLI_TOKEN_ENV, "from-the-environment", TRUE);
  token = artic_peer_cli_load_token (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "from-the-environment");
  artic_srtp_secret_free (token);
  g_unsetenv (ARTIC_PEER_CLI_TOKEN_ENV);
  g_assert_null (artic_peer_cli_load_token (NULL, &error));
  g_assert_nonnull (strstr (error->message, ARTIC_PEER_CLI_TOKEN_ENV));
  g_clear_error (&error);

  /* Empty, missing, too large: errors name the file, never its content. */
  g_assert_true (g_file_set_contents (path, "\n", -1, NULL));
  g_assert_null (artic_peer_cli_load_token (path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);
  big = g_strnfill (5000, 'k');
  g_assert_true (g_file_set_contents (path, big, -1, NULL));
  g_assert_null (artic_peer_cli_load_token (path, &error));
  g_assert_null (strstr (error->message, "kkkk"));
  g_clear_error (&error);
  g_free (big);
  g_assert_true (g_remove (path) == 0);
  g_assert_null (artic_peer_cli_load_token (path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

static void
test_question (void)
{
  GError *error = NULL;
  gchar *json
      = artic_peer_cli_question_message (3, "What is on the sign?", &error);
  ArticContextMessage *m;
  gchar *prompt;

  g_assert_no_error (error);
  m = artic_context_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_cmpint (m->type, ==, ARTIC_CONTEXT_QUESTION);
  g_assert_cmpuint (m->question_id, ==, 3);
  g_assert_cmpstr (m->text, ==, "What is on the sign?");
  g_assert_cmpint (m->timestamp_us, >, 0);
  artic_context_message_free (m);
  g_free (json);
  /* Invalid text (a control character) is refused by the format. */
  g_assert_null (artic_peer_cli_question_message (4, "bell\a", &error));
  g_assert_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_FIELD);
  g_clear_error (&error);

  prompt = artic_peer_cli_boxes_prompt ("What is on the sign?");
  g_assert_nonnull (strstr (prompt, "bounding box"));
  g_assert_cmpstr (artic_peer_cli_boxes_prompt_question (prompt), ==,
      "What is on the sign?");
  g_assert_null (artic_peer_cli_boxes_prompt_question ("What is on the sign?"));
  g_free (prompt);
}

/* Parses @json and checks frame count, times and the first box. */
static ArticContextMessage *
parse_boxes (const gchar *json, guint frames)
{
  GError *error = NULL;
  ArticContextMessage *m = artic_context_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_cmpint (m->type, ==, ARTIC_CONTEXT_BOXES);
  g_assert_cmpuint (m->question_id, ==, 9);
  g_assert_cmpuint (m->frames->len, ==, frames);
  return m;
}

static void
test_boxes (void)
{
  GError *error = NULL;
  ArticContextMessage *m;
  ArticContextFrameBoxes *f;
  ArticRoiBox *b;
  gchar *json;
  GString *many;
  guint i;

  /* The answerer's reply: one box per future frame. */
  json = artic_peer_cli_boxes_message (9,
      "[[[234,396],[516,521]],[[234,396],[516,521]],[[0,0],[0,0]]]", 1000000,
      500000, &error);
  g_assert_no_error (error);
  m = parse_boxes (json, 3);
  f = &g_array_index (m->frames, ArticContextFrameBoxes, 0);
  g_assert_cmpint (f->frame_time_us, ==, 1000000);
  g_assert_cmpuint (f->boxes->len, ==, 1);
  b = &g_array_index (f->boxes, ArticRoiBox, 0);
  g_assert_cmpfloat (b->x_min, ==, 234);
  g_assert_cmpfloat (b->y_max, ==, 521);
  f = &g_array_index (m->frames, ArticContextFrameBoxes, 2);
  g_assert_cmpint (f->frame_time_us, ==, 2000000);
  g_assert_cmpuint (f->boxes->len, ==, 0); /* the "no box" marker */
  artic_context_message_free (m);
  g_free (json);

  /* One box (corner or flat form) in prose, and per-frame box lists. */
  json = artic_peer_cli_boxes_message (
      9, "The sign is at [[100,200],[300,400]].", 5, 1, &error);
  g_assert_no_error (error);
  m = parse_boxes (json, 1);
  artic_context_message_free (m);
  g_free (json);
  json = artic_peer_cli_boxes_message (9, "[10,20,30,40]", 5, 1, &error);
  g_assert_no_error (error);
  m = parse_boxes (json, 1);
  artic_context_message_free (m);
  g_free (json);
  json = artic_peer_cli_boxes_message (
      9, "[[[[1,2],[3,4]],[[5,6],[7,8]]],[[[1,2],[3,4]]]]", 5, 1, &error);
  g_assert_no_error (error);
  m = parse_boxes (json, 2);
  g_assert_cmpuint (
      g_array_index (m->frames, ArticContextFrameBoxes, 0).boxes->len, ==, 2);
  artic_context_message_free (m);
  g_free (json);

  /* More frames than a message holds: the first 16. */
  many = g_string_new ("[");
  for (i = 0; i < 20; i++)
    g_string_append_printf (many, "%s[[1,1],[9,9]]", i ? "," : "");
  g_string_append_c (many, ']');
  json = artic_peer_cli_boxes_message (9, many->str, 5, 1, &error);
  g_assert_no_error (error);
  m = parse_boxes (json, ARTIC_CONTEXT_MAX_FRAMES);
  artic_context_message_free (m);
  g_free (json);
  g_string_free (many, TRUE);

  /* Replies that hold no usable boxes. */
  g_assert_null (artic_peer_cli_boxes_message (
      9, "I cannot read any text in the images.", 5, 1, &error));
  g_assert_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_null (artic_peer_cli_boxes_message (9, "[[1,2],[3,", 5, 1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (
      artic_peer_cli_boxes_message (9, "[\"a\",\"b\"]", 5, 1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  many = g_string_new ("");
  for (i = 0; i < 5000; i++)
    g_string_append_c (many, '[');
  for (i = 0; i < 5000; i++)
    g_string_append_c (many, ']');
  g_assert_null (artic_peer_cli_boxes_message (9, many->str, 5, 1, &error));
  g_assert_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_string_free (many, TRUE);
  /* Question id 0 is not a question. */
  g_assert_null (
      artic_peer_cli_boxes_message (0, "[[1,2],[3,4]]", 5, 1, &error));
  g_assert_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_FIELD);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/peer-cli/token", test_token);
  g_test_add_func ("/peer-cli/question", test_question);
  g_test_add_func ("/peer-cli/boxes", test_boxes);
  return g_test_run ();
}
