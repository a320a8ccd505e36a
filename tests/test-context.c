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

/* Context-channel messages: the examples of docs/context-channel.md parse,
 * every type round-trips, and invalid, unknown and oversized messages are
 * refused with the documented error codes. */

#include <math.h>
#include <string.h>

#include "artic-context.h"

static ArticContextMessage *
parse_ok (const gchar *json)
{
  GError *error = NULL;
  ArticContextMessage *m = artic_context_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

static void
assert_fails (const gchar *json, gint code)
{
  GError *error = NULL;
  ArticContextMessage *m = artic_context_parse (json, strlen (json), &error);

  if (m != NULL)
    g_error ("parsed but should fail (%d): %s", code, json);
  g_assert_error (error, ARTIC_CONTEXT_ERROR, code);
  g_error_free (error);
}

/* Encode, parse back, encode again: the same bytes. */
static void
assert_round_trip (const ArticContextMessage *m, const gchar *expected)
{
  GError *error = NULL;
  gsize len, len2;
  gchar *json = artic_context_encode (m, &len, &error), *json2;
  ArticContextMessage *back;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (json), ==, len);
  if (expected)
    g_assert_cmpstr (json, ==, expected);
  back = artic_context_parse (json, len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->type, ==, m->type);
  json2 = artic_context_encode (back, &len2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json, ==, json2);
  artic_context_message_free (back);
  g_free (json);
  g_free (json2);
}

static void
test_doc_examples (void)
{
  ArticContextMessage *m;
  ArticContextFrameBoxes *f;
  ArticRoiBox *b;

  m = parse_ok ("{\"v\":1,\"type\":\"question\",\"question_id\":7,"
                "\"text\":\"What does the label on the box say?\","
                "\"t_us\":1764230400000000}");
  g_assert_cmpint (m->type, ==, ARTIC_CONTEXT_QUESTION);
  g_assert_cmpuint (m->question_id, ==, 7);
  g_assert_cmpstr (m->text, ==, "What does the label on the box say?");
  g_assert_cmpint (m->timestamp_us, ==, G_GINT64_CONSTANT (1764230400000000));
  artic_context_message_free (m);

  m = parse_ok ("{\"v\":1,\"type\":\"boxes\",\"question_id\":7,\"frames\":["
                "{\"t_us\":1764230400500000,\"boxes\":[[[120,340],[480,610]]]},"
                "{\"t_us\":1764230401000000,\"boxes\":[[0,0],[0,0]]},"
                "{\"t_us\":1764230401500000,\"boxes\":[130,350,1200,620]}]}");
  g_assert_cmpint (m->type, ==, ARTIC_CONTEXT_BOXES);
  g_assert_cmpuint (m->frames->len, ==, 3);
  f = &g_array_index (m->frames, ArticContextFrameBoxes, 0);
  g_assert_cmpint (f->frame_time_us, ==, G_GINT64_CONSTANT (1764230400500000));
  g_assert_cmpuint (f->boxes->len, ==, 1);
  b = &g_array_index (f->boxes, ArticRoiBox, 0);
  g_assert_cmpfloat (b->x_min, ==, 120);
  g_assert_cmpfloat (b->y_max, ==, 610);
  /* The "no box" marker: no region for that frame. */
  f = &g_array_index (m->frames, ArticContextFrameBoxes, 1);
  g_assert_cmpuint (f->boxes->len, ==, 0);
  /* Flat form, clamped to the frame edge like all ROI feedback. */
  f = &g_array_index (m->frames, ArticContextFrameBoxes, 2);
  b = &g_array_index (f->boxes, ArticRoiBox, 0);
  g_assert_cmpfloat (b->x_max, ==, 1000);
  artic_context_message_free (m);

  m = parse_ok ("{\"v\":1,\"type\":\"readability\",\"question_id\":7,"
                "\"score\":0.85}");
  g_assert_cmpfloat (m->score, ==, 0.85);
  artic_context_message_free (m);
  m = parse_ok ("{\"v\":1,\"type\":\"readability\",\"question_id\":7,"
                "\"score\":1}");
  g_assert_cmpfloat (m->score, ==, 1.0);
  artic_context_message_free (m);

  m = parse_ok ("{\"v\":1,\"type\":\"bitrate_cap\",\"kbps\":610}");
  g_assert_cmpuint (m->kbps, ==, 610);
  artic_context_message_free (m);

  m = parse_ok ("{\"v\":1,\"type\":\"frame_ack\",\"frames\":"
                "[1764230400500000,1764230401000000]}");
  g_assert_cmpuint (m->acks->len, ==, 2);
  g_assert_cmpint (g_array_index (m->acks, gint64, 1), ==,
      G_GINT64_CONSTANT (1764230401000000));
  artic_context_message_free (m);

  /* Unknown members are ignored (minor additions within version 1). */
  m = parse_ok ("{\"v\":1,\"type\":\"bitrate_cap\",\"kbps\":200,"
                "\"reason\":\"readable\",\"extra\":{\"a\":[1]}}");
  g_assert_cmpuint (m->kbps, ==, 200);
  artic_context_message_free (m);
}

static void
test_round_trips (void)
{
  ArticContextMessage *m;
  ArticRoiBox boxes[2] = { { 10, 20, 30, 40 }, { 500.5, 600, 700, 800.25 } };
  gint64 t;

  m = artic_context_question_new (3, "Qu'est-ce qui est écrit ici ?\n", 42);
  assert_round_trip (m, "{\"v\":1,\"type\":\"question\",\"question_id\":3,"
                        "\"text\":\"Qu'est-ce qui est écrit ici ?\\n\","
                        "\"t_us\":42}");
  artic_context_message_free (m);

  m = artic_context_message_new (ARTIC_CONTEXT_BOXES);
  m->question_id = 3;
  artic_context_boxes_add_frame (m, 1000, boxes, 2);
  artic_context_boxes_add_frame (m, 2000, NULL, 0);
  assert_round_trip (m, NULL);
  artic_context_message_free (m);

  m = artic_context_message_new (ARTIC_CONTEXT_READABILITY);
  m->question_id = G_MAXUINT32;
  m->score = 0.1 + 0.2; /* not exactly representable: must survive */
  assert_round_trip (m, NULL);
  artic_context_message_free (m);

  m = artic_context_message_new (ARTIC_CONTEXT_BITRATE_CAP);
  m->kbps = 100000;
  assert_round_trip (m, "{\"v\":1,\"type\":\"bitrate_cap\",\"kbps\":100000}");
  artic_context_message_free (m);

  m = artic_context_message_new (ARTIC_CONTEXT_FRAME_ACK);
  t = ARTIC_CONTEXT_MAX_TIME_US;
  g_array_append_val (m->acks, t);
  assert_round_trip (m, NULL);
  artic_context_message_free (m);
}

static void
test_invalid (void)
{
  /* Not JSON / not an object. */
  assert_fails ("{\"v\":1,", ARTIC_CONTEXT_ERROR_SYNTAX);
  assert_fails ("[1,2]", ARTIC_CONTEXT_ERROR_SYNTAX);
  assert_fails ("\"question\"", ARTIC_CONTEXT_ERROR_SYNTAX);
  assert_fails ("[[[[[[[[[[1]]]]]]]]]]", ARTIC_CONTEXT_ERROR_SYNTAX);
  /* Versions. */
  assert_fails (
      "{\"type\":\"bitrate_cap\",\"kbps\":610}", ARTIC_CONTEXT_ERROR_VERSION);
  assert_fails ("{\"v\":2,\"type\":\"bitrate_cap\",\"kbps\":610}",
      ARTIC_CONTEXT_ERROR_VERSION);
  assert_fails ("{\"v\":\"1\",\"type\":\"bitrate_cap\",\"kbps\":610}",
      ARTIC_CONTEXT_ERROR_VERSION);
  assert_fails ("{\"v\":1.0,\"type\":\"bitrate_cap\",\"kbps\":610}",
      ARTIC_CONTEXT_ERROR_VERSION);
  /* Types. */
  assert_fails ("{\"v\":1}", ARTIC_CONTEXT_ERROR_TYPE);
  assert_fails ("{\"v\":1,\"type\":\"reboot\"}", ARTIC_CONTEXT_ERROR_TYPE);
  assert_fails ("{\"v\":1,\"type\":7}", ARTIC_CONTEXT_ERROR_TYPE);
  /* Fields: missing, wrong type, out of range. */
  assert_fails ("{\"v\":1,\"type\":\"question\",\"question_id\":1,"
                "\"t_us\":5}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"question\",\"question_id\":0,"
                "\"text\":\"x\",\"t_us\":5}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"question\",\"question_id\":1,"
                "\"text\":\"\",\"t_us\":5}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"question\",\"question_id\":1,"
                "\"text\":\"bell\\u0007\",\"t_us\":5}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"question\",\"question_id\":1,"
                "\"text\":\"x\",\"t_us\":-1}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"question\",\"question_id\":4294967296,"
                "\"text\":\"x\",\"t_us\":1}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"question\",\"question_id\":1,"
                "\"text\":[\"x\"],\"t_us\":1}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"readability\",\"question_id\":1,"
                "\"score\":1.5}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"readability\",\"question_id\":1,"
                "\"score\":\"high\"}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"bitrate_cap\",\"kbps\":5}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"bitrate_cap\",\"kbps\":610.5}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"bitrate_cap\",\"kbps\":1e9}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"frame_ack\",\"frames\":[]}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"frame_ack\",\"frames\":[1,\"2\"]}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"frame_ack\",\"frames\":5}",
      ARTIC_CONTEXT_ERROR_FIELD);
  /* Boxes: bad box, no frames, times not increasing, wrong shapes. */
  assert_fails ("{\"v\":1,\"type\":\"boxes\",\"question_id\":1,\"frames\":"
                "[{\"t_us\":1,\"boxes\":[[1,2],[3]]}]}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"boxes\",\"question_id\":1,\"frames\":"
                "[{\"t_us\":1,\"boxes\":\"everywhere\"}]}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"boxes\",\"question_id\":1,\"frames\":[]}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"boxes\",\"question_id\":1,\"frames\":"
                "[{\"t_us\":5,\"boxes\":[]},{\"t_us\":5,\"boxes\":[]}]}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"boxes\",\"question_id\":1,\"frames\":"
                "[{\"boxes\":[]}]}",
      ARTIC_CONTEXT_ERROR_FIELD);
  assert_fails ("{\"v\":1,\"type\":\"boxes\",\"question_id\":1,\"frames\":"
                "[[1,2]]}",
      ARTIC_CONTEXT_ERROR_FIELD);
  /* Empty input. */
  {
    GError *error = NULL;

    g_assert_null (artic_context_parse ("", 0, &error));
    g_assert_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_SYNTAX);
    g_clear_error (&error);
    g_assert_null (artic_context_parse (NULL, 5, &error));
    g_clear_error (&error);
  }
}

static void
test_oversized (void)
{
  GString *s = g_string_new ("{\"v\":1,\"type\":\"question\",\"question_id\":1,"
                             "\"t_us\":1,\"text\":\"");
  ArticContextMessage *m;
  GError *error = NULL;
  gchar *json;
  guint i;

  /* Text over 4096 bytes (message under 16 KiB). */
  for (i = 0; i < 4097; i++)
    g_string_append_c (s, 'a');
  g_string_append (s, "\"}");
  assert_fails (s->str, ARTIC_CONTEXT_ERROR_TOO_LARGE);
  /* Message over 16 KiB: refused before parsing. */
  g_string_truncate (s, s->len - 2);
  for (i = 0; i < 16384; i++)
    g_string_append_c (s, 'a');
  g_string_append (s, "\"}");
  assert_fails (s->str, ARTIC_CONTEXT_ERROR_TOO_LARGE);
  g_string_free (s, TRUE);

  /* 17 frames; 65 acks. */
  s = g_string_new ("{\"v\":1,\"type\":\"boxes\",\"question_id\":1,"
                    "\"frames\":[");
  for (i = 0; i < 17; i++)
    g_string_append_printf (
        s, "%s{\"t_us\":%u,\"boxes\":[]}", i ? "," : "", i + 1);
  g_string_append (s, "]}");
  assert_fails (s->str, ARTIC_CONTEXT_ERROR_TOO_LARGE);
  g_string_free (s, TRUE);
  s = g_string_new ("{\"v\":1,\"type\":\"frame_ack\",\"frames\":[");
  for (i = 0; i < 65; i++)
    g_string_append_printf (s, "%s%u", i ? "," : "", i + 1);
  g_string_append (s, "]}");
  assert_fails (s->str, ARTIC_CONTEXT_ERROR_TOO_LARGE);
  g_string_free (s, TRUE);

  /* The encoder enforces the same limits: text, and the total size. */
  s = g_string_new (NULL);
  for (i = 0; i < 4097; i++)
    g_string_append_c (s, 'q');
  m = artic_context_question_new (1, s->str, 1);
  g_assert_null (artic_context_encode (m, NULL, &error));
  g_assert_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  artic_context_message_free (m);
  g_string_free (s, TRUE);

  m = artic_context_message_new (ARTIC_CONTEXT_BOXES);
  m->question_id = 1;
  for (i = 0; i < ARTIC_CONTEXT_MAX_FRAMES; i++) {
    ArticRoiBox boxes[ARTIC_ROI_MAX_BOXES];
    guint j;

    for (j = 0; j < ARTIC_ROI_MAX_BOXES; j++)
      boxes[j] = (ArticRoiBox){ 100.123456789, 200.987654321, 300.5, 999 };
    artic_context_boxes_add_frame (m, i + 1, boxes, ARTIC_ROI_MAX_BOXES);
  }
  g_assert_true (artic_context_validate (m, NULL));
  json = artic_context_encode (m, NULL, &error);
  g_assert_null (json);
  g_assert_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  artic_context_message_free (m);

  /* A deep-nesting bomb is refused without recursion. */
  s = g_string_new ("{\"v\":1,\"type\":\"x\",\"a\":");
  for (i = 0; i < 5000; i++)
    g_string_append_c (s, '[');
  assert_fails (s->str, ARTIC_CONTEXT_ERROR_SYNTAX);
  g_string_free (s, TRUE);
}

static void
test_encode_invalid (void)
{
  ArticContextMessage *m = artic_context_message_new (ARTIC_CONTEXT_BOXES);
  ArticRoiBox bad = { 500, 0, 100, 10 }; /* corners swapped */
  GError *error = NULL;

  m->question_id = 1;
  artic_context_boxes_add_frame (m, 5, &bad, 1);
  g_assert_null (artic_context_encode (m, NULL, &error));
  g_assert_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_FIELD);
  g_clear_error (&error);
  artic_context_message_free (m);

  m = artic_context_message_new (ARTIC_CONTEXT_READABILITY);
  m->question_id = 1;
  m->score = NAN;
  g_assert_null (artic_context_encode (m, NULL, &error));
  g_assert_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_FIELD);
  g_clear_error (&error);
  m->type = 99;
  g_assert_null (artic_context_encode (m, NULL, &error));
  g_assert_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TYPE);
  g_clear_error (&error);
  artic_context_message_free (m);
  g_assert_cmpstr (
      artic_context_type_name (ARTIC_CONTEXT_FRAME_ACK), ==, "frame_ack");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/context/doc-examples", test_doc_examples);
  g_test_add_func ("/context/round-trips", test_round_trips);
  g_test_add_func ("/context/invalid", test_invalid);
  g_test_add_func ("/context/oversized", test_oversized);
  g_test_add_func ("/context/encode-invalid", test_encode_invalid);
  return g_test_run ();
}
