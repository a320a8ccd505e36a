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

/* The run harness's bookkeeping: conditions and their ids, shards, the
 * results file read back (truncated and bad lines), the summary. */

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "artic-devibench-run.h"

static GPtrArray *
conditions (const gchar *codecs, const gchar *bitrates, const gchar *sizes,
    const gchar *roi, const gchar *traces, const gchar *loss,
    const gchar *delay, GError **error)
{
  ArticDevibenchGrid g = { codecs, bitrates, sizes, roi, traces, loss, delay };

  return artic_devibench_conditions_new (&g, error);
}

static const gchar *
id_of (GPtrArray *list, guint i)
{
  return ((ArticDevibenchCondition *) g_ptr_array_index (list, i))->id;
}

static void
test_conditions (void)
{
  GPtrArray *c;
  GError *error = NULL;
  gchar *trace;

  /* Defaults: one condition. */
  c = conditions (NULL, NULL, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->len, ==, 1);
  g_assert_cmpstr (id_of (c, 0), ==, "vp8-1280x720-200k-uniform");
  g_ptr_array_unref (c);

  /* The product, in order; "clean" once per size whatever the rest. */
  c = conditions ("vp8,h264", "clean,100,800", "1280x720,640x360", "off,on",
      NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* 2 codecs x 2 sizes x 2 bitrates x 2 roi + 2 clean */
  g_assert_cmpuint (c->len, ==, 18);
  g_assert_cmpstr (id_of (c, 0), ==, "clean-1280x720");
  g_assert_cmpstr (id_of (c, 1), ==, "vp8-1280x720-100k-uniform");
  g_assert_cmpstr (id_of (c, 2), ==, "vp8-1280x720-100k-roi");
  g_assert_cmpstr (id_of (c, 5), ==, "clean-640x360");
  g_assert_cmpstr (id_of (c, 17), ==, "h264-640x360-800k-roi");
  g_assert_true (((ArticDevibenchCondition *) g_ptr_array_index (c, 0))->clean);
  g_ptr_array_unref (c);

  /* Network settings in the id; a trace by its file name. */
  trace = g_build_filename (g_get_tmp_dir (), "My trace.up", NULL);
  g_assert_true (g_file_set_contents (trace, "1\n", -1, NULL));
  {
    gchar *traces = g_strdup_printf ("none,%s", trace);

    c = conditions (
        NULL, "400", NULL, "oracle", traces, "0,2.5", "0,40", &error);
    g_free (traces);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (c->len, ==, 8);
  g_assert_cmpstr (id_of (c, 0), ==, "vp8-1280x720-400k-oracle");
  g_assert_false (
      artic_devibench_condition_is_network (g_ptr_array_index (c, 0)));
  g_assert_cmpstr (id_of (c, 1), ==, "vp8-1280x720-400k-oracle-delay40");
  g_assert_cmpstr (
      id_of (c, 3), ==, "vp8-1280x720-400k-oracle-loss2.5-delay40");
  g_assert_cmpstr (
      id_of (c, 7), ==, "vp8-1280x720-400k-oracle-My-trace-loss2.5-delay40");
  g_assert_true (
      artic_devibench_condition_is_network (g_ptr_array_index (c, 4)));
  g_ptr_array_unref (c);
  g_unlink (trace);
  g_free (trace);

  /* Duplicates are dropped. */
  c = conditions ("vp8,vp8", "200,200", NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->len, ==, 1);
  g_ptr_array_unref (c);
}

static void
expect_bad (const gchar *codecs, const gchar *bitrates, const gchar *sizes,
    const gchar *roi, const gchar *traces, const gchar *loss,
    const gchar *delay, const gchar *message)
{
  GError *error = NULL;
  GPtrArray *c
      = conditions (codecs, bitrates, sizes, roi, traces, loss, delay, &error);

  g_assert_null (c);
  g_assert_nonnull (error);
  if (strstr (error->message, message) == NULL)
    g_error ("'%s' does not contain '%s'", error->message, message);
  g_error_free (error);
}

static void
test_conditions_bad (void)
{
  expect_bad ("av1", NULL, NULL, NULL, NULL, NULL, NULL, "--codec 'av1'");
  expect_bad (NULL, "9", NULL, NULL, NULL, NULL, NULL, "--bitrate '9'");
  expect_bad (NULL, "200.5", NULL, NULL, NULL, NULL, NULL, "--bitrate");
  expect_bad (NULL, "100001", NULL, NULL, NULL, NULL, NULL, "--bitrate");
  expect_bad (NULL, "-200", NULL, NULL, NULL, NULL, NULL, "--bitrate");
  expect_bad (NULL, "2e2x", NULL, NULL, NULL, NULL, NULL, "--bitrate");
  expect_bad (NULL, ",", NULL, NULL, NULL, NULL, NULL, "empty value");
  expect_bad (NULL, NULL, "1280", NULL, NULL, NULL, NULL, "--size '1280'");
  expect_bad (NULL, NULL, "1281x720", NULL, NULL, NULL, NULL, "even");
  expect_bad (NULL, NULL, "8x8", NULL, NULL, NULL, NULL, "--size");
  expect_bad (NULL, NULL, "99999x720", NULL, NULL, NULL, NULL, "--size");
  expect_bad (NULL, NULL, "x720", NULL, NULL, NULL, NULL, "--size");
  expect_bad (NULL, NULL, NULL, "yes", NULL, NULL, NULL, "--roi 'yes'");
  expect_bad (
      NULL, NULL, NULL, NULL, "/nonexistent/t.up", NULL, NULL, "no such file");
  expect_bad (NULL, NULL, NULL, NULL, NULL, "nan", NULL, "--loss 'nan'");
  expect_bad (NULL, NULL, NULL, NULL, NULL, "100.1", NULL, "--loss");
  expect_bad (NULL, NULL, NULL, NULL, NULL, NULL, "1.5", "--delay '1.5'");
  expect_bad (NULL, NULL, NULL, NULL, NULL, NULL, "10001", "--delay");
  /* More than 64 values in one list. */
  {
    GString *s = g_string_new ("100");
    guint i;

    for (i = 0; i < 64; i++)
      g_string_append_printf (s, ",%u", 101 + i);
    expect_bad (NULL, s->str, NULL, NULL, NULL, NULL, NULL, "values");
    g_string_free (s, TRUE);
  }
}

static void
test_shards (void)
{
  guint i, n, k, owners;
  GError *error = NULL;

  g_assert_true (artic_devibench_shard_parse ("2/5", &i, &n, &error));
  g_assert_cmpuint (i, ==, 2);
  g_assert_cmpuint (n, ==, 5);
  g_assert_false (artic_devibench_shard_parse ("0/5", &i, &n, &error));
  g_clear_error (&error);
  g_assert_false (artic_devibench_shard_parse ("6/5", &i, &n, &error));
  g_clear_error (&error);
  g_assert_false (artic_devibench_shard_parse ("1/0", &i, &n, &error));
  g_clear_error (&error);
  g_assert_false (artic_devibench_shard_parse ("1/", &i, &n, &error));
  g_clear_error (&error);
  g_assert_false (artic_devibench_shard_parse ("1/2x", &i, &n, &error));
  g_clear_error (&error);
  g_assert_false (artic_devibench_shard_parse ("a/2", &i, &n, &error));
  g_clear_error (&error);
  g_assert_false (artic_devibench_shard_parse ("1/10001", &i, &n, &error));
  g_clear_error (&error);
  g_assert_false (artic_devibench_shard_parse (NULL, &i, &n, &error));
  g_clear_error (&error);
  /* Every unit in exactly one shard, for several shard counts. */
  for (n = 1; n <= 7; n++)
    for (k = 0; k < 100; k++) {
      owners = 0;
      for (i = 1; i <= n; i++)
        owners += artic_devibench_shard_owns (k, i, n);
      g_assert_cmpuint (owners, ==, 1);
    }
}

static const gchar line_a[]
    = "{\"item\":\"a\",\"condition\":\"c1\",\"task_type\":\"T1\","
      "\"correct\":true,\"error\":null,\"clean\":false,\"codec\":\"vp8\","
      "\"target_kbps\":200,\"achieved_kbps\":210,\"width\":1280,"
      "\"height\":720,\"roi\":\"on\",\"trace\":\"none\",\"loss_percent\":0.0,"
      "\"delay_ms\":0,\"answer_ms\":100}\n";
static const gchar line_b[]
    = "{\"item\":\"b\",\"condition\":\"c1\",\"task_type\":\"T2\","
      "\"correct\":false,\"error\":null,\"achieved_kbps\":190,"
      "\"answer_ms\":300,\"frame_latency_p50_ms\":40,"
      "\"frame_latency_p95_ms\":90}\n";
static const gchar line_c_error[]
    = "{\"item\":\"c\",\"condition\":\"c1\",\"task_type\":\"T1\","
      "\"correct\":null,\"error\":\"endpoint down\"}\n";
static const gchar line_c_retry[]
    = "{\"item\":\"c\",\"condition\":\"c1\",\"task_type\":\"T1\","
      "\"correct\":true,\"error\":null,\"answer_ms\":200}\n";

static gchar *
write_tmp (const gchar *content)
{
  gchar *path = NULL;
  gint fd = g_file_open_tmp ("devibench-run-XXXXXX.jsonl", &path, NULL);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  return path;
}

static void
test_results_load (void)
{
  gchar *content = g_strconcat (line_a, "not json\n", "[1,2]\n",
      "{\"item\":\"x\"}\n", "\n", line_b, "{\"item\":\"c\",\"condi", NULL);
  gchar *path = write_tmp (content), *after = NULL;
  GPtrArray *r;
  guint bad = 0;
  GError *error = NULL;
  ArticDevibenchResult *a;

  r = artic_devibench_results_load (path, FALSE, &bad, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->len, ==, 2);
  g_assert_cmpuint (bad, ==, 3);
  a = g_ptr_array_index (r, 0);
  g_assert_cmpstr (a->item, ==, "a");
  g_assert_true (a->correct);
  g_assert_cmpfloat (a->achieved_kbps, ==, 210);
  g_assert_cmpstr (a->roi, ==, "on");
  g_assert_cmpuint (a->width, ==, 1280);
  g_ptr_array_unref (r);
  /* Without repair the file is untouched; with it the cut line goes. */
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, content);
  g_free (after);
  r = artic_devibench_results_load (path, TRUE, &bad, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->len, ==, 2);
  g_ptr_array_unref (r);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_true (g_str_has_suffix (after, line_b));
  g_free (after);
  g_unlink (path);
  /* A missing file is an empty list. */
  r = artic_devibench_results_load (path, TRUE, &bad, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->len, ==, 0);
  g_ptr_array_unref (r);
  g_free (path);
  g_free (content);
}

static void
test_summary (void)
{
  gchar *content = g_strconcat (line_a, line_b, line_c_error, NULL);
  gchar *path = write_tmp (content), *csv, *md;
  GPtrArray *r;
  guint bad;
  ArticDevibenchSummary *s;
  ArticDevibenchSummaryRow *row;
  GArray *v = g_array_new (FALSE, FALSE, sizeof (gdouble));
  gdouble x;

  r = artic_devibench_results_load (path, FALSE, &bad, NULL);
  s = artic_devibench_summary_new (r);
  g_assert_cmpuint (s->results, ==, 3);
  g_assert_cmpuint (s->errors, ==, 1);
  g_assert_cmpuint (s->rows->len, ==, 1);
  row = g_ptr_array_index (s->rows, 0);
  g_assert_cmpuint (row->items, ==, 3);
  g_assert_cmpuint (row->scored, ==, 2);
  g_assert_cmpuint (row->correct, ==, 1);
  g_assert_cmpfloat (row->accuracy, ==, 0.5);
  g_assert_cmpfloat (row->achieved_kbps, ==, 200);
  g_assert_cmpfloat (row->answer_p50_ms, ==, 200);
  g_assert_cmpfloat (row->frame_p50_ms, ==, 40);
  g_assert_cmpfloat (row->frame_p95_ms, ==, 90);
  /* T1 (a right, c error) and T2 (b wrong). */
  g_assert_cmpuint (s->by_task->len, ==, 2);
  row = g_ptr_array_index (s->by_task, 0);
  g_assert_cmpstr (row->task_type, ==, "T1");
  g_assert_cmpfloat (row->accuracy, ==, 1.0);
  g_assert_cmpuint (row->errors, ==, 1);
  csv = artic_devibench_summary_csv (s);
  g_assert_true (strstr (csv, "\nc1,all,vp8,1280,720,200,on,none,0,0,3,2,1,1,"
                              "0.5000,200.0,200.0,")
                 != NULL);
  g_assert_true (strstr (csv, "\nc1,T2,") != NULL);
  md = artic_devibench_summary_markdown (s);
  g_assert_true (strstr (md, "| c1 | 3 | 1 | 50.0 | - | 200 |") != NULL);
  g_free (csv);
  g_free (md);
  artic_devibench_summary_free (s);
  /* A retried error: the last record of the pair counts. */
  g_ptr_array_add (r,
      artic_devibench_result_parse (line_c_retry, strlen (line_c_retry), NULL));
  s = artic_devibench_summary_new (r);
  row = g_ptr_array_index (s->rows, 0);
  g_assert_cmpuint (s->results, ==, 3);
  g_assert_cmpuint (row->errors, ==, 0);
  g_assert_cmpuint (row->correct, ==, 2);
  artic_devibench_summary_free (s);
  g_ptr_array_unref (r);
  g_unlink (path);
  g_free (path);
  g_free (content);

  /* Percentiles: interpolated, empty is -1. */
  g_assert_cmpfloat (artic_devibench_percentile (v, 50), ==, -1);
  x = 10;
  g_array_append_val (v, x);
  x = 30;
  g_array_append_val (v, x);
  x = 20;
  g_array_append_val (v, x);
  g_assert_cmpfloat (artic_devibench_percentile (v, 50), ==, 20);
  g_assert_cmpfloat (artic_devibench_percentile (v, 75), ==, 25);
  g_assert_cmpfloat (artic_devibench_percentile (v, 100), ==, 30);
  g_array_unref (v);
}

/* Accuracy on the items the clean stream of the same size got right. */
static void
test_clean_right (void)
{
  static const gchar *const lines[] = {
    "{\"item\":\"a\",\"condition\":\"clean-64x64\",\"clean\":true,"
    "\"correct\":true,\"width\":64,\"height\":64}",
    "{\"item\":\"b\",\"condition\":\"clean-64x64\",\"clean\":true,"
    "\"correct\":false,\"width\":64,\"height\":64}",
    "{\"item\":\"a\",\"condition\":\"x\",\"correct\":false,"
    "\"width\":64,\"height\":64}",
    "{\"item\":\"b\",\"condition\":\"x\",\"correct\":true,"
    "\"width\":64,\"height\":64}",
    /* another size: no clean reference */
    "{\"item\":\"a\",\"condition\":\"y\",\"correct\":true,"
    "\"width\":32,\"height\":32}",
  };
  GPtrArray *r = g_ptr_array_new_with_free_func (
      (GDestroyNotify) artic_devibench_result_free);
  ArticDevibenchSummary *s;
  ArticDevibenchSummaryRow *row;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (lines); i++)
    g_ptr_array_add (
        r, artic_devibench_result_parse (lines[i], strlen (lines[i]), NULL));
  s = artic_devibench_summary_new (r);
  g_assert_cmpuint (s->rows->len, ==, 3);
  row = g_ptr_array_index (s->rows, 0);
  g_assert_cmpfloat (row->accuracy, ==, 0.5);
  g_assert_cmpfloat (row->ref_accuracy, ==, 1.0);
  row = g_ptr_array_index (s->rows, 1);
  g_assert_cmpstr (row->condition, ==, "x");
  g_assert_cmpfloat (row->accuracy, ==, 0.5);
  g_assert_cmpuint (row->ref_scored, ==, 1);
  g_assert_cmpfloat (row->ref_accuracy, ==, 0.0);
  row = g_ptr_array_index (s->rows, 2);
  g_assert_cmpfloat (row->ref_accuracy, <, 0);
  artic_devibench_summary_free (s);
  g_ptr_array_unref (r);
}

static void
test_csv_quoting (void)
{
  static const gchar line[] = "{\"item\":\"a\",\"condition\":\"c,1\",\"task_"
                              "type\":\"Say \\\"hi\\\"\","
                              "\"correct\":true}";
  GPtrArray *r = g_ptr_array_new_with_free_func (
      (GDestroyNotify) artic_devibench_result_free);
  ArticDevibenchSummary *s;
  gchar *csv;

  g_ptr_array_add (r, artic_devibench_result_parse (line, strlen (line), NULL));
  s = artic_devibench_summary_new (r);
  csv = artic_devibench_summary_csv (s);
  g_assert_true (strstr (csv, "\n\"c,1\",\"Say \"\"hi\"\"\",") != NULL);
  g_free (csv);
  artic_devibench_summary_free (s);
  g_ptr_array_unref (r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/devibench-run/conditions", test_conditions);
  g_test_add_func ("/devibench-run/conditions-bad", test_conditions_bad);
  g_test_add_func ("/devibench-run/shards", test_shards);
  g_test_add_func ("/devibench-run/results-load", test_results_load);
  g_test_add_func ("/devibench-run/summary", test_summary);
  g_test_add_func ("/devibench-run/clean-right", test_clean_right);
  g_test_add_func ("/devibench-run/csv-quoting", test_csv_quoting);
  return g_test_run ();
}
