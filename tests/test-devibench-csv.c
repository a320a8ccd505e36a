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

/* The DeViBench CSV reader and loader: the real files as published, and
 * malformed input. */

#include <string.h>

#include "artic-devibench-csv.h"

static gchar *
data_path (const gchar *name)
{
  const gchar *dir = g_getenv ("ARTIC_DEVIBENCH_DATA");

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

static guint
count_task (ArticDevibenchSet *set, const gchar *task)
{
  guint i, n = 0;

  for (i = 0; i < set->items->len; i++)
    n += strcmp (((ArticDevibenchItem *) g_ptr_array_index (set->items, i))
                     ->task_type,
             task)
         == 0;
  return n;
}

static void
test_real_v2 (void)
{
  gchar *path = data_path ("datasets_v2.csv");
  GError *error = NULL;
  ArticDevibenchSet *set = artic_devibench_set_load_file (path, &error);
  ArticDevibenchItem *first;
  guint i, single = 0, multi = 0;

  g_assert_no_error (error);
  g_assert_nonnull (set);
  /* The header is only recognised if the byte-order mark was skipped. */
  g_assert_cmpint (set->version, ==, ARTIC_DEVIBENCH_V2);
  g_assert_cmpuint (set->items->len, ==, 1968);
  g_assert_cmpuint (set->errors->len, ==, 0);
  g_assert_cmpuint (count_task (set, "Text-Rich Understanding"), ==, 1611);
  g_assert_cmpuint (count_task (set, "Attribute Perception"), ==, 227);
  g_assert_cmpuint (count_task (set, "Object Perception"), ==, 67);
  g_assert_cmpuint (count_task (set, "Counting"), ==, 50);
  g_assert_cmpuint (count_task (set, "Action Perception"), ==, 7);
  g_assert_cmpuint (count_task (set, "Spatial Understanding"), ==, 6);
  for (i = 0; i < set->items->len; i++) {
    ArticDevibenchItem *item = g_ptr_array_index (set->items, i);

    single += item->frame == ARTIC_DEVIBENCH_FRAME_SINGLE;
    multi += item->frame == ARTIC_DEVIBENCH_FRAME_MULTI;
    g_assert_null (item->options);
    /* CRLF line ends must not leak into the last column. */
    g_assert_null (strchr (item->task_type, '\r'));
  }
  g_assert_cmpuint (single, ==, 1805);
  g_assert_cmpuint (multi, ==, 163);
  first = g_ptr_array_index (set->items, 0);
  g_assert_cmpstr (first->sample, ==, "10");
  g_assert_cmpfloat (first->start_time, ==, 100);
  g_assert_cmpstr (first->question, ==,
      "What color is the substance in the leftmost small cup on the table?");
  g_assert_cmpstr (first->answer, ==, "yellow");
  g_assert_cmpuint (first->line, ==, 2);
  first = g_ptr_array_index (set->items, 1);
  g_assert_cmpstr (first->answer, ==, "61:30:00");
  artic_devibench_set_free (set);
  g_free (path);
}

static void
test_real_v1 (void)
{
  gchar *path = data_path ("datasets_v1.csv");
  GError *error = NULL;
  ArticDevibenchSet *set = artic_devibench_set_load_file (path, &error);
  ArticDevibenchItem *first, *second, *last;
  guint i, multiline = 0;

  g_assert_no_error (error);
  g_assert_cmpint (set->version, ==, ARTIC_DEVIBENCH_V1);
  g_assert_cmpuint (set->items->len, ==, 1074);
  g_assert_cmpuint (set->errors->len, ==, 0);
  g_assert_cmpuint (count_task (set, "Text-Rich Understanding"), ==, 589);
  g_assert_cmpuint (count_task (set, "Action Perception"), ==, 183);
  for (i = 0; i < set->items->len; i++) {
    ArticDevibenchItem *item = g_ptr_array_index (set->items, i);

    multiline += strchr (item->options, '\n') != NULL;
    g_assert_true (item->answer[0] >= 'A' && item->answer[0] <= 'D');
    g_assert_cmpint (item->frame, ==, ARTIC_DEVIBENCH_FRAME_UNKNOWN);
  }
  g_assert_cmpuint (multiline, ==, 248);
  /* The first row's options span four lines of the file. */
  first = g_ptr_array_index (set->items, 0);
  g_assert_cmpstr (first->sample, ==, "sample_1");
  g_assert_cmpstr (first->answer, ==, "B");
  g_assert_true (g_str_has_prefix (first->options,
      "A) Ramon Sanchez-Pizuan  \nB) Ramon Sanchez-Pizjuan  \n"));
  second = g_ptr_array_index (set->items, 1);
  g_assert_cmpuint (first->line, ==, 2);
  g_assert_cmpuint (second->line, ==, 6);
  last = g_ptr_array_index (set->items, set->items->len - 1);
  g_assert_cmpuint (last->line, <=, 1819);
  artic_devibench_set_free (set);
  g_free (path);
}

/* Reads every record of @text into a list of "line:field|field|..." (or
 * "line:ERROR" for a rejected record). */
static gchar *
read_all (const gchar *text, gsize size)
{
  ArticDevibenchCsv *csv = artic_devibench_csv_new (text, size);
  GString *out = g_string_new (NULL);
  gchar **fields;
  guint line;
  GError *error = NULL;

  while (artic_devibench_csv_next (csv, &fields, &line, &error)) {
    if (fields == NULL) {
      g_assert_nonnull (error);
      g_string_append_printf (out, "%u:ERROR;", line);
      g_clear_error (&error);
      continue;
    }
    g_assert_no_error (error);
    g_string_append_printf (out, "%u:", line);
    {
      gchar *joined = g_strjoinv ("|", fields);

      g_string_append_printf (out, "%s;", joined);
      g_free (joined);
    }
    g_strfreev (fields);
  }
  artic_devibench_csv_free (csv);
  return g_string_free (out, FALSE);
}

static void
check_read (const gchar *text, const gchar *expected)
{
  gchar *got = read_all (text, strlen (text));

  g_assert_cmpstr (got, ==, expected);
  g_free (got);
}

static void
test_rfc4180 (void)
{
  check_read ("a,b,c\n1,2,3\n", "1:a|b|c;2:1|2|3;");
  /* CRLF, no final line end, BOM. */
  check_read ("\xef\xbb\xbf"
              "a,b\r\n1,2",
      "1:a|b;2:1|2;");
  /* Quoted comma, doubled quote, quoted CRLF and LF newlines. */
  check_read ("\"x,y\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",\"three\r\nx\"\r\n"
              "next,row\r\n",
      "1:x,y|say \"hi\";2:two\nlines|three\r\nx;5:next|row;");
  /* Empty fields and empty lines. */
  check_read ("a,,\n\n\n,b\n", "1:a||;4:|b;");
  /* Lone CR ends a line too; a quote inside an unquoted field is kept. */
  check_read ("a\rb,5\" screen\n", "1:a;2:b|5\" screen;");
  check_read ("", "");
  check_read ("\xef\xbb\xbf", "");
}

static void
test_malformed_csv (void)
{
  /* Garbage after a closing quote: that record is rejected, the next line
   * reads. */
  check_read ("a,b\n\"x\"y,2\nc,d\n", "1:a|b;2:ERROR;3:c|d;");
  /* Never-closed quote on line 2: rejected, reading resumes on line 3. */
  check_read ("a,b\n\"open,2\nc,d\ne,f\n", "1:a|b;2:ERROR;3:c|d;4:e|f;");
  /* Invalid UTF-8. */
  check_read ("a,\xff\xfe\nc,d\n", "1:ERROR;2:c|d;");
}

static void
test_field_limits (void)
{
  GString *big = g_string_new ("a,");
  gchar *got;
  guint i;

  for (i = 0; i < ARTIC_DEVIBENCH_CSV_MAX_FIELD_BYTES + 10; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\nc,d\n");
  got = read_all (big->str, big->len);
  g_assert_cmpstr (got, ==, "1:ERROR;2:c|d;");
  g_free (got);
  g_string_truncate (big, 0);
  for (i = 0; i < ARTIC_DEVIBENCH_CSV_MAX_FIELDS + 1; i++)
    g_string_append (big, "f,");
  g_string_append (big, "\nc,d\n");
  got = read_all (big->str, big->len);
  g_assert_cmpstr (got, ==, "1:ERROR;2:c|d;");
  g_free (got);
  g_string_free (big, TRUE);
}

static const gchar v2_header[]
    = "sample_id,start_time,question,std_answer,Frame,task_type\r\n";

static void
assert_error_at (ArticDevibenchSet *set, guint index, const gchar *prefix,
    const gchar *fragment)
{
  const gchar *msg;

  g_assert_cmpuint (index, <, set->errors->len);
  msg = g_ptr_array_index (set->errors, index);
  g_assert_true (g_str_has_prefix (msg, prefix));
  g_assert_nonnull (strstr (msg, fragment));
}

static void
test_bad_rows (void)
{
  gchar *text = g_strconcat (v2_header,
      "1,10,Q1?,a1,Single,Counting\r\n",               /* 2: good */
      "2,10,Q2?,a2,Single\r\n",                        /* 3: 5 fields */
      "3,ten,Q3?,a3,Single,Counting\r\n",              /* 4: bad number */
      "4,-5,Q4?,a4,Single,Counting\r\n",               /* 5: negative */
      "5,nan,Q5?,a5,Single,Counting\r\n",              /* 6: not finite */
      "6,10,Q6?,a6,Several,Counting\r\n",              /* 7: bad Frame */
      "7,10,  ,a7,Single,Counting\r\n",                /* 8: empty question */
      "8,10,\"Q8, quoted\",a8,Multi,Counting\r\n",     /* 9: good */
      "9,10,\"Q9 never closed,a9,Single,Counting\r\n", /* 10: unterminated */
      "10,12.5,Q10?,a10,Single,Counting\r\n",          /* 11: good */
      NULL);
  GError *error = NULL;
  ArticDevibenchSet *set
      = artic_devibench_set_load_data (text, strlen (text), "t.csv", &error);
  ArticDevibenchItem *item;

  g_assert_no_error (error);
  g_assert_cmpuint (set->items->len, ==, 3);
  g_assert_cmpuint (set->errors->len, ==, 7);
  assert_error_at (set, 0, "line 3:", "expected 6 fields, found 5");
  assert_error_at (set, 1, "line 4:", "start_time 'ten'");
  assert_error_at (set, 2, "line 5:", "start_time");
  assert_error_at (set, 3, "line 6:", "start_time");
  assert_error_at (set, 4, "line 7:", "Frame 'Several'");
  assert_error_at (set, 5, "line 8:", "question is empty");
  assert_error_at (set, 6, "line 10:", "never closed");
  item = g_ptr_array_index (set->items, 1);
  g_assert_cmpstr (item->question, ==, "Q8, quoted");
  g_assert_cmpint (item->frame, ==, ARTIC_DEVIBENCH_FRAME_MULTI);
  item = g_ptr_array_index (set->items, 2);
  g_assert_cmpuint (item->line, ==, 11);
  g_assert_cmpfloat (item->start_time, ==, 12.5);
  artic_devibench_set_free (set);
  g_free (text);
}

static void
test_bad_v1_rows (void)
{
  const gchar *text
      = "sample_folder,start_time,question,options,standard_answer,task_type\n"
        "s1,10,Q?,\"A) x\nB) y\",E,Counting\n"
        "s2,10,Q?,,A,Counting\n"
        "s3,10,Q?,\"A) x\nB) y\",b,Counting\n"
        "s4,10,Q?,\"A) x\nB) y\",C,Counting\n";
  ArticDevibenchSet *set
      = artic_devibench_set_load_data (text, strlen (text), NULL, NULL);

  g_assert_cmpint (set->version, ==, ARTIC_DEVIBENCH_V1);
  g_assert_cmpuint (set->items->len, ==, 1);
  assert_error_at (set, 0, "line 2:", "not a letter A-D");
  assert_error_at (set, 1, "line 4:", "options is empty");
  assert_error_at (set, 2, "line 5:", "not a letter A-D");
  g_assert_cmpuint (
      ((ArticDevibenchItem *) g_ptr_array_index (set->items, 0))->line, ==, 7);
  artic_devibench_set_free (set);
}

static void
test_bad_header (void)
{
  GError *error = NULL;
  const gchar *wrong = "id,time,question,answer\n1,2,3,4\n";

  g_assert_null (
      artic_devibench_set_load_data (wrong, strlen (wrong), "w.csv", &error));
  g_assert_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_HEADER);
  g_assert_nonnull (strstr (error->message, "w.csv: line 1: not a DeViBench"));
  g_clear_error (&error);
  g_assert_null (artic_devibench_set_load_data ("", 0, "e.csv", &error));
  g_assert_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_HEADER);
  g_assert_nonnull (strstr (error->message, "empty file"));
  g_clear_error (&error);
  g_assert_null (
      artic_devibench_set_load_data ("\"sample_id", 10, "u.csv", &error));
  g_assert_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_HEADER);
  g_clear_error (&error);
  g_assert_null (artic_devibench_set_load_file ("/nonexistent/x.csv", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/devibench-csv/real-v2", test_real_v2);
  g_test_add_func ("/devibench-csv/real-v1", test_real_v1);
  g_test_add_func ("/devibench-csv/rfc4180", test_rfc4180);
  g_test_add_func ("/devibench-csv/malformed", test_malformed_csv);
  g_test_add_func ("/devibench-csv/field-limits", test_field_limits);
  g_test_add_func ("/devibench-csv/bad-rows", test_bad_rows);
  g_test_add_func ("/devibench-csv/bad-v1-rows", test_bad_v1_rows);
  g_test_add_func ("/devibench-csv/bad-header", test_bad_header);
  return g_test_run ();
}
