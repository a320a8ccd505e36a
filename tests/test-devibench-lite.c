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

/* The lite suite's item specs and manifest (no rendering here: see
 * test-devibench-cli.sh for the end-to-end run). */

#include <math.h>
#include <string.h>

#include "artic-devibench-csv.h"
#include "artic-devibench-lite.h"

static ArticDevibenchLiteSuite *
make_suite (guint64 seed, guint n)
{
  ArticDevibenchLiteSuite *suite = artic_devibench_lite_suite_new (seed);
  guint i;

  for (i = 0; i < n; i++)
    g_ptr_array_add (suite->items, artic_devibench_lite_candidate (seed, i));
  return suite;
}

static gchar *
hard_suite_json (guint64 seed, guint n)
{
  ArticDevibenchLiteSuite *suite = artic_devibench_lite_suite_new (seed);
  gchar *json;
  guint i;

  suite->profile = ARTIC_DEVIBENCH_LITE_PROFILE_HARD;
  for (i = 0; i < n; i++)
    g_ptr_array_add (
        suite->items, artic_devibench_lite_candidate_for (
                          ARTIC_DEVIBENCH_LITE_PROFILE_HARD, seed, i));
  json = artic_devibench_lite_suite_to_json (suite);
  artic_devibench_lite_suite_free (suite);
  return json;
}

static gchar *
suite_json (guint64 seed, guint n)
{
  ArticDevibenchLiteSuite *suite = make_suite (seed, n);
  gchar *json = artic_devibench_lite_suite_to_json (suite);

  artic_devibench_lite_suite_free (suite);
  return json;
}

static void
test_determinism (void)
{
  gchar *a = suite_json (42, 50), *b = suite_json (42, 50);
  gchar *c = suite_json (43, 50);
  ArticDevibenchLiteItem *x, *y;

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  /* A candidate does not depend on the ones before it. */
  x = artic_devibench_lite_candidate (42, 17);
  y = artic_devibench_lite_candidate (42, 17);
  g_assert_cmpstr (x->question, ==, y->question);
  g_assert_cmpstr (x->answer, ==, y->answer);
  g_assert_cmpfloat (x->start_time, ==, y->start_time);
  artic_devibench_lite_item_free (x);
  artic_devibench_lite_item_free (y);
  g_free (a);
  g_free (b);
  g_free (c);
}

static gboolean
has_lookalike (const gchar *text)
{
  return strpbrk (text, "OIL01") != NULL;
}

/* Every item is answerable: one target whose text holds the answer, colour
 * names unique, the text free of look-alike glyphs, the estimated sign
 * inside the frame over its whole path. */
static void
test_item_invariants (void)
{
  guint i, j, sizes_small = 0, low = 0, codes = 0, clips[2] = { 0, 0 };

  for (i = 0; i < 500; i++) {
    ArticDevibenchLiteItem *item = artic_devibench_lite_candidate (7, i);
    const ArticDevibenchLiteSign *target
        = artic_devibench_lite_item_target (item);

    g_assert_nonnull (target);
    g_assert_nonnull (strstr (target->text, item->answer));
    g_assert_nonnull (strstr (item->question, target->color_name));
    g_assert_nonnull (strstr (item->question, target->kind));
    g_assert_false (has_lookalike (item->answer));
    g_assert_cmpuint (item->signs->len, >=, 2);
    g_assert_cmpuint (item->signs->len, <=, ARTIC_DEVIBENCH_LITE_MAX_SIGNS);
    g_assert_cmpfloat (item->start_time, >=, 0);
    clips[strcmp (item->clip, "box-10s.mp4") == 0 ? 0 : 1]++;
    sizes_small += target->font_px <= 14;
    low += target->low_contrast;
    codes += strchr (item->answer, '-') != NULL;
    for (j = 0; j < item->signs->len; j++) {
      const ArticDevibenchLiteSign *s = g_ptr_array_index (item->signs, j);
      guint k;
      gdouble x0, y0, x1, y1;

      for (k = 0; k < j; k++) {
        const ArticDevibenchLiteSign *o = g_ptr_array_index (item->signs, k);

        g_assert_cmpstr (s->color_name, !=, o->color_name);
        g_assert_null (strstr (s->text, o->text));
      }
      artic_devibench_lite_sign_position (s, 0, &x0, &y0);
      artic_devibench_lite_sign_position (
          s, ARTIC_DEVIBENCH_LITE_DURATION, &x1, &y1);
      g_assert_cmpfloat (MIN (x0, x1), >=, 0);
      g_assert_cmpfloat (MIN (y0, y1), >=, 0);
      g_assert_cmpfloat (MAX (y0, y1), <, ARTIC_DEVIBENCH_LITE_HEIGHT);
      g_assert_cmpfloat (MAX (x0, x1), <, ARTIC_DEVIBENCH_LITE_WIDTH);
    }
    artic_devibench_lite_item_free (item);
  }
  /* The mix the suite is built for: small and low-contrast text, both
   * clips, codes among the answers. */
  g_assert_cmpuint (sizes_small, >, 50);
  g_assert_cmpuint (low, >, 100);
  g_assert_cmpuint (codes, >, 50);
  g_assert_cmpuint (clips[0], >, 100);
  g_assert_cmpuint (clips[1], >, 100);
}

static void
test_round_trip (void)
{
  gchar *a = suite_json (5, 20), *b;
  GError *error = NULL;
  ArticDevibenchLiteSuite *suite
      = artic_devibench_lite_suite_from_json (a, strlen (a), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (suite->items->len, ==, 20);
  g_assert_cmpuint (suite->seed, ==, 5);
  b = artic_devibench_lite_suite_to_json (suite);
  g_assert_cmpstr (a, ==, b);
  artic_devibench_lite_suite_free (suite);
  g_free (a);
  g_free (b);
}

/* The questions file is DeViBench v2, read by the same loader. */
static void
test_questions_csv (void)
{
  ArticDevibenchLiteSuite *suite = make_suite (9, 12);
  gchar *csv = artic_devibench_lite_suite_to_csv (suite);
  GError *error = NULL;
  ArticDevibenchSet *set
      = artic_devibench_set_load_data (csv, strlen (csv), "lite", &error);
  guint i;

  g_assert_no_error (error);
  g_assert_cmpint (set->version, ==, ARTIC_DEVIBENCH_V2);
  g_assert_cmpuint (set->items->len, ==, 12);
  g_assert_cmpuint (set->errors->len, ==, 0);
  for (i = 0; i < 12; i++) {
    ArticDevibenchItem *q = g_ptr_array_index (set->items, i);
    ArticDevibenchLiteItem *item = g_ptr_array_index (suite->items, i);

    g_assert_cmpstr (q->sample, ==, item->id);
    g_assert_cmpstr (q->question, ==, item->question);
    g_assert_cmpstr (q->answer, ==, item->answer);
    g_assert_cmpfloat (q->start_time, ==, item->start_time);
  }
  artic_devibench_set_free (set);
  artic_devibench_lite_suite_free (suite);
  g_free (csv);
}

static void
expect_rejected (const gchar *from, const gchar *to, const gchar *fragment)
{
  gchar *json = suite_json (3, 2);
  const gchar *at = strstr (json, from);
  gchar *bad;
  GError *error = NULL;
  ArticDevibenchLiteSuite *suite;

  g_assert_nonnull (at);
  bad = g_strdup_printf (
      "%.*s%s%s", (int) (at - json), json, to, at + strlen (from));
  suite = artic_devibench_lite_suite_from_json (bad, strlen (bad), &error);
  g_assert_null (suite);
  g_assert_nonnull (error);
  if (strstr (error->message, fragment) == NULL)
    g_error ("'%s' -> '%s': message '%s' lacks '%s'", from, to, error->message,
        fragment);
  g_error_free (error);
  g_free (bad);
  g_free (json);
}

static void
test_bad_manifest (void)
{
  GError *error = NULL;

  expect_rejected ("\"clip\" : \"",
      "\"clip\" : \"../../etc/passwd\", \"c_\" : \"", "'clip'");
  expect_rejected ("\"clip\" : \"", "\"clip\" : \"/dev/zero", "'clip'");
  expect_rejected ("\"font_px\" : ", "\"font_px\" : 9999, \"x_\" : ",
      "'font_px' is out of range");
  expect_rejected (
      "\"target\" : false", "\"target\" : true", "exactly one target");
  expect_rejected ("\"question\"", "\"quest\"", "'question' is missing");
  expect_rejected ("\"fg\" : \"#", "\"fg\" : \"#zz", "'fg'");
  expect_rejected ("\"start_time\" : ", "\"start_time\" : -1, \"s_\" : ",
      "'start_time' is out of range");
  expect_rejected ("\"signs\" : [", "\"signs\" : 3, \"s_\" : [",
      "'signs' has the wrong type");
  expect_rejected ("\"artic-devibench-lite\"", "\"other\"",
      "not an artic-devibench-lite manifest");
  g_assert_null (artic_devibench_lite_suite_from_json ("{", 1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (artic_devibench_lite_suite_from_json ("[1]", 3, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
}

/* Profile 2 (the calibrated suite): every target small, low contrast,
 * moving and on a coloured sign (no white), camera noise on every item;
 * profile 1's candidates are unchanged by its existence (the shipped
 * lite-seed1 test below checks them byte for byte). */
static void
test_hard_profile (void)
{
  guint i, sizes[2] = { G_MAXUINT, 0 }, clips[2] = { 0, 0 }, codes = 0;
  gchar *a = hard_suite_json (4, 30), *b = hard_suite_json (4, 30);
  gchar *first = suite_json (4, 30), *c;
  GError *error = NULL;
  ArticDevibenchLiteSuite *suite;

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, first);
  g_assert_nonnull (strstr (a, "\"profile\" : 2"));
  g_assert_nonnull (strstr (a, "\"noise\" : 3"));
  /* Profile 1 manifests carry neither member. */
  g_assert_null (strstr (first, "\"profile\""));
  g_assert_null (strstr (first, "\"noise\""));
  suite = artic_devibench_lite_suite_from_json (a, strlen (a), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (suite->profile, ==, ARTIC_DEVIBENCH_LITE_PROFILE_HARD);
  c = artic_devibench_lite_suite_to_json (suite);
  g_assert_cmpstr (a, ==, c);
  artic_devibench_lite_suite_free (suite);
  g_free (a);
  g_free (b);
  g_free (c);
  g_free (first);

  for (i = 0; i < 500; i++) {
    ArticDevibenchLiteItem *item = artic_devibench_lite_candidate_for (
        ARTIC_DEVIBENCH_LITE_PROFILE_HARD, 7, i);
    const ArticDevibenchLiteSign *t = artic_devibench_lite_item_target (item);
    guint j;

    g_assert_true (t->low_contrast);
    g_assert_cmpfloat (fabs (t->vx), >=, 24);
    g_assert_cmpfloat (item->noise, ==, 3.0);
    g_assert_nonnull (strstr (t->text, item->answer));
    sizes[0] = MIN (sizes[0], t->font_px);
    sizes[1] = MAX (sizes[1], t->font_px);
    clips[strcmp (item->clip, "box-10s.mp4") == 0 ? 0 : 1]++;
    codes += strchr (item->answer, '-') != NULL;
    for (j = 0; j < item->signs->len; j++) {
      const ArticDevibenchLiteSign *s = g_ptr_array_index (item->signs, j);
      gdouble x0, y0, x1, y1;

      g_assert_cmpstr (s->color_name, !=, "white");
      artic_devibench_lite_sign_position (s, 0, &x0, &y0);
      artic_devibench_lite_sign_position (
          s, ARTIC_DEVIBENCH_LITE_DURATION, &x1, &y1);
      g_assert_cmpfloat (MIN (x0, x1), >=, 0);
      g_assert_cmpfloat (MAX (x0, x1), <, ARTIC_DEVIBENCH_LITE_WIDTH);
    }
    artic_devibench_lite_item_free (item);
  }
  g_assert_cmpuint (sizes[0], ==, 13);
  g_assert_cmpuint (sizes[1], ==, 18);
  g_assert_cmpuint (clips[0], >, 100);
  g_assert_cmpuint (clips[1], >, 100);
  g_assert_cmpuint (codes, >, 50);
}

static void
expect_hard_rejected (const gchar *from, const gchar *to, const gchar *fragment)
{
  gchar *json = hard_suite_json (3, 2);
  const gchar *at = strstr (json, from);
  gchar *bad;
  GError *error = NULL;

  g_assert_nonnull (at);
  bad = g_strdup_printf (
      "%.*s%s%s", (int) (at - json), json, to, at + strlen (from));
  g_assert_null (
      artic_devibench_lite_suite_from_json (bad, strlen (bad), &error));
  g_assert_nonnull (error);
  if (strstr (error->message, fragment) == NULL)
    g_error ("'%s' -> '%s': message '%s' lacks '%s'", from, to, error->message,
        fragment);
  g_error_free (error);
  g_free (bad);
  g_free (json);
}

static void
test_hard_bad_manifest (void)
{
  expect_hard_rejected ("\"profile\" : 2", "\"profile\" : 3", "'profile'");
  expect_hard_rejected ("\"profile\" : 2", "\"profile\" : \"2\"", "'profile'");
  expect_hard_rejected (
      "\"noise\" : 3.0", "\"noise\" : -1", "'noise' is out of range");
  expect_hard_rejected (
      "\"noise\" : 3.0", "\"noise\" : 1e9", "'noise' is out of range");
  expect_hard_rejected (
      "\"noise\" : 3.0", "\"noise\" : \"loud\"", "'noise' is not a number");
}

/* A shipped profile-2 suite of seed 1 (@dir in data/devibench): every item
 * is its candidate, read clean. */
static void
check_shipped_hard_suite (const gchar *dir)
{
  gchar *path = g_build_filename (
      g_getenv ("ARTIC_DEVIBENCH_DATA"), dir, "manifest.json", NULL);
  GError *error = NULL;
  ArticDevibenchLiteSuite *suite
      = artic_devibench_lite_suite_load (path, &error);
  guint i;

  g_assert_no_error (error);
  g_assert_cmpuint (suite->seed, ==, 1);
  g_assert_cmpuint (suite->profile, ==, ARTIC_DEVIBENCH_LITE_PROFILE_HARD);
  g_assert_cmpuint (suite->items->len, ==, 100);
  for (i = 0; i < suite->items->len; i++) {
    ArticDevibenchLiteItem *item = g_ptr_array_index (suite->items, i);
    ArticDevibenchLiteItem *fresh = artic_devibench_lite_candidate_for (
        ARTIC_DEVIBENCH_LITE_PROFILE_HARD, 1, item->candidate);
    ArticDevibenchLiteSuite *a = artic_devibench_lite_suite_new (1);
    ArticDevibenchLiteSuite *b = artic_devibench_lite_suite_new (1);
    gchar *ja, *jb;

    g_assert_cmpint (item->clean_reads, ==, 5);
    g_free (fresh->id);
    fresh->id = g_strdup (item->id);
    fresh->clean_reads = item->clean_reads;
    fresh->clean_frames = item->clean_frames;
    g_ptr_array_add (a->items, artic_devibench_lite_item_copy (item));
    g_ptr_array_add (b->items, fresh);
    ja = artic_devibench_lite_suite_to_json (a);
    jb = artic_devibench_lite_suite_to_json (b);
    g_assert_cmpstr (ja, ==, jb);
    g_free (ja);
    g_free (jb);
    artic_devibench_lite_suite_free (a);
    artic_devibench_lite_suite_free (b);
  }
  artic_devibench_lite_suite_free (suite);
  g_free (path);
}

/* The calibrated suite (data/devibench/lite2-seed1) is profile 2 of seed 1,
 * item for item. */
static void
test_shipped_hard_suite (void)
{
  check_shipped_hard_suite ("lite2-seed1");
}

/* The selected suite (data/devibench/lite3-seed1, devibench lite-select on
 * the first 220 items of profile 2, seed 1) holds profile-2 candidates in
 * their order, renumbered; selection.csv lists every item checked, and its
 * kept rows are the manifest's items. */
static void
test_shipped_selected_suite (void)
{
  gchar *path = g_build_filename (
      g_getenv ("ARTIC_DEVIBENCH_DATA"), "lite3-seed1", "manifest.json", NULL);
  gchar *csv_path = g_build_filename (
      g_getenv ("ARTIC_DEVIBENCH_DATA"), "lite3-seed1", "selection.csv", NULL);
  ArticDevibenchLiteSuite *suite = artic_devibench_lite_suite_load (path, NULL);
  gchar *csv = NULL, **lines;
  guint i, kept = 0, wrong = 0;

  check_shipped_hard_suite ("lite3-seed1");
  g_assert_nonnull (suite);
  g_assert_cmpuint (suite->items->len, ==, 100);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "source_id,candidate,id,clean_correct,answer");
  for (i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++) {
    gchar **f = g_strsplit (lines[i], ",", 5);

    g_assert_cmpuint (g_strv_length (f), ==, 5);
    if (f[2][0] != '\0') {
      ArticDevibenchLiteItem *item = g_ptr_array_index (suite->items, kept);

      g_assert_cmpstr (f[3], ==, "true");
      g_assert_cmpstr (f[2], ==, item->id);
      g_assert_cmpuint (g_ascii_strtoull (f[1], NULL, 10), ==, item->candidate);
      kept++;
    } else {
      g_assert_cmpstr (f[3], ==, "false");
      wrong++;
    }
    g_strfreev (f);
  }
  g_assert_cmpuint (kept, ==, 100);
  g_assert_cmpuint (wrong, >, 0);
  for (i = 1; i < suite->items->len; i++)
    g_assert_cmpuint (
        ((ArticDevibenchLiteItem *) g_ptr_array_index (suite->items, i))
            ->candidate,
        >,
        ((ArticDevibenchLiteItem *) g_ptr_array_index (suite->items, i - 1))
            ->candidate);
  g_strfreev (lines);
  g_free (csv);
  g_free (csv_path);
  g_free (path);
  artic_devibench_lite_suite_free (suite);
}

static ArticDevibenchLiteSuite *
load_shipped (const gchar *name)
{
  gchar *path = g_build_filename (
      g_getenv ("ARTIC_DEVIBENCH_DATA"), name, "manifest.json", NULL);
  GError *error = NULL;
  ArticDevibenchLiteSuite *suite
      = artic_devibench_lite_suite_load (path, &error);

  g_assert_no_error (error);
  g_free (path);
  return suite;
}

/* The confident subset (data/devibench/lite3-confident: devibench
 * lite-select --each-frame --count 0 on lite3-seed1) is lite3-seed1's items
 * in their order, unchanged but renumbered, and its selection.csv checked
 * all 100 with the answers about each image alone. */
static void
test_shipped_confident_suite (void)
{
  ArticDevibenchLiteSuite *all = load_shipped ("lite3-seed1");
  ArticDevibenchLiteSuite *sub = load_shipped ("lite3-confident");
  gchar *csv_path = g_build_filename (g_getenv ("ARTIC_DEVIBENCH_DATA"),
      "lite3-confident", "selection.csv", NULL);
  gchar *csv = NULL, **lines;
  guint i, j = 0, rows = 0, kept = 0;

  g_assert_cmpuint (sub->items->len, ==, 61);
  for (i = 0; i < sub->items->len; i++) {
    const ArticDevibenchLiteItem *s = g_ptr_array_index (sub->items, i);
    const ArticDevibenchLiteItem *a = NULL;
    gchar *id = g_strdup_printf ("lite-%04u", i + 1);

    while (j < all->items->len) {
      a = g_ptr_array_index (all->items, j++);
      if (a->candidate == s->candidate)
        break;
      a = NULL;
    }
    g_assert_nonnull (a);
    g_assert_cmpstr (s->id, ==, id);
    g_assert_cmpstr (s->question, ==, a->question);
    g_assert_cmpstr (s->answer, ==, a->answer);
    g_assert_cmpstr (s->clip, ==, a->clip);
    g_free (id);
  }
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==,
      "source_id,candidate,id,clean_correct,answer,frame_answers");
  for (i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++) {
    rows++;
    if (strstr (lines[i], ",true,") != NULL) {
      kept++;
      /* Three images, each answered alone. */
      g_assert_nonnull (strstr (strstr (lines[i], " | ") + 3, " | "));
    }
  }
  g_assert_cmpuint (rows, ==, 100);
  g_assert_cmpuint (kept, ==, 61);
  g_strfreev (lines);
  g_free (csv);
  g_free (csv_path);
  artic_devibench_lite_suite_free (all);
  artic_devibench_lite_suite_free (sub);
}

/* The shipped suite (data/devibench/lite-seed1) is what the generator makes
 * from seed 1: every item is its candidate, renumbered, and read clean. */
static void
test_shipped_suite (void)
{
  gchar *path = g_build_filename (
      g_getenv ("ARTIC_DEVIBENCH_DATA"), "lite-seed1", "manifest.json", NULL);
  GError *error = NULL;
  ArticDevibenchLiteSuite *suite
      = artic_devibench_lite_suite_load (path, &error);
  guint i;

  g_assert_no_error (error);
  g_assert_cmpuint (suite->seed, ==, 1);
  g_assert_cmpuint (suite->items->len, ==, 100);
  for (i = 0; i < suite->items->len; i++) {
    ArticDevibenchLiteItem *item = g_ptr_array_index (suite->items, i);
    ArticDevibenchLiteItem *fresh
        = artic_devibench_lite_candidate (1, item->candidate);
    ArticDevibenchLiteSuite *a = artic_devibench_lite_suite_new (1);
    ArticDevibenchLiteSuite *b = artic_devibench_lite_suite_new (1);
    gchar *ja, *jb, *id = g_strdup_printf ("lite-%04u", i + 1);

    g_assert_cmpstr (item->id, ==, id);
    g_assert_cmpint (item->clean_reads, ==, item->clean_frames);
    g_assert_cmpint (item->clean_frames, ==, 5);
    /* Compare all but the id and the OCR record. */
    g_free (fresh->id);
    fresh->id = g_strdup (item->id);
    fresh->clean_reads = item->clean_reads;
    fresh->clean_frames = item->clean_frames;
    g_ptr_array_add (a->items, artic_devibench_lite_item_copy (item));
    g_ptr_array_add (b->items, fresh);
    ja = artic_devibench_lite_suite_to_json (a);
    jb = artic_devibench_lite_suite_to_json (b);
    g_assert_cmpstr (ja, ==, jb);
    g_free (ja);
    g_free (jb);
    g_free (id);
    artic_devibench_lite_suite_free (a);
    artic_devibench_lite_suite_free (b);
  }
  artic_devibench_lite_suite_free (suite);
  g_free (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/devibench-lite/determinism", test_determinism);
  g_test_add_func ("/devibench-lite/item-invariants", test_item_invariants);
  g_test_add_func ("/devibench-lite/round-trip", test_round_trip);
  g_test_add_func ("/devibench-lite/questions-csv", test_questions_csv);
  g_test_add_func ("/devibench-lite/bad-manifest", test_bad_manifest);
  g_test_add_func ("/devibench-lite/shipped-suite", test_shipped_suite);
  g_test_add_func (
      "/devibench-lite/shipped-selected-suite", test_shipped_selected_suite);
  g_test_add_func (
      "/devibench-lite/shipped-confident-suite", test_shipped_confident_suite);
  g_test_add_func ("/devibench-lite/hard-profile", test_hard_profile);
  g_test_add_func ("/devibench-lite/hard-bad-manifest", test_hard_bad_manifest);
  g_test_add_func (
      "/devibench-lite/shipped-hard-suite", test_shipped_hard_suite);
  return g_test_run ();
}
