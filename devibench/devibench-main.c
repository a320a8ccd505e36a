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

/* devibench: the DeViBench question sets and the lite suite from the
 * command line.
 *
 *   devibench stats FILE [--json]
 *   devibench list FILE [--task-type T] [--frame single|multi] [--limit N]
 *       [--json]
 *   devibench prompt FILE N
 *   devibench lite-generate --seed N --count N --out DIR [--profile N]
 *       [--no-verify]
 *   devibench lite-select --suite DIR --out DIR [--count N]
 *   devibench lite-calibrate --suite DIR [--bitrate 100,200,400]
 *
 * Exit status: 0 done, 1 failure while running, 2 bad arguments. */

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include "artic-devibench-csv.h"
#include "artic-devibench-harness.h"
#include "artic-devibench-lite.h"
#include "artic-devibench-ocr.h"
#include "artic-devibench-render.h"
#include "artic-devibench-score.h"
#include "devibench-cli.h"
#include "gstarticelements.h"

#define PROGRAM "devibench"
#define EXIT_USAGE 2
/* Rejected rows listed on stderr before "... and N more". */
#define MAX_ROW_WARNINGS 20
/* Clean frames the generator reads per item (seconds into the item). */
static const gdouble verify_times[] = { 0.5, 1.5, 2.5, 3.5, 4.5 };

#ifndef ARTIC_DEVIBENCH_MEDIA_DIR
#define ARTIC_DEVIBENCH_MEDIA_DIR "data/media"
#endif

static const gchar usage[]
    = "Usage:\n"
      "  " PROGRAM " stats FILE [--json]\n"
      "  " PROGRAM " list FILE [--task-type T] [--frame single|multi] "
      "[--limit N] [--json]\n"
      "  " PROGRAM " prompt FILE N\n"
      "  " PROGRAM " lite-generate --seed N --count N --out DIR [--profile N] "
      "[--no-verify]\n"
      "  " PROGRAM " lite-select --suite DIR --out DIR [--count N] "
      "[--endpoint URL] [-j N]\n"
      "  " PROGRAM " lite-calibrate --suite DIR [--bitrate KBPS,...] "
      "[--limit N]\n"
      "  " PROGRAM " lite-preview --suite DIR --item N --out FILE.png "
      "[--time T] [--bitrate KBPS]\n"
      "  " PROGRAM " lite-render --suite DIR --item N --out FILE.webm\n"
      "  " PROGRAM " run (--suite DIR | --csv FILE --videos DIR) --out DIR "
      "[conditions] [-j N] [--shard I/N]\n"
      "  " PROGRAM " summarize DIR... [--out DIR]\n"
      "\n"
      "FILE is a DeViBench question set (datasets_v1.csv or datasets_v2.csv)\n"
      "or the questions.csv of a lite suite. '" PROGRAM " COMMAND --help'\n"
      "describes each command.\n";

/* Parses the subcommand's options; on failure prints the one error line. */
static gboolean
parse_options (const gchar *command, const gchar *args_summary,
    const gchar *description, GOptionEntry *entries, int *argc, char ***argv,
    int *status)
{
  GOptionContext *ctx = g_option_context_new (args_summary);
  GError *error = NULL;
  gchar *name = g_strdup_printf (PROGRAM " %s", command);
  gboolean ok;

  /* "Usage: devibench list [OPTION...] FILE" */
  g_set_prgname (name);
  g_option_context_set_description (ctx, description);
  g_option_context_add_main_entries (ctx, entries, NULL);
  ok = g_option_context_parse (ctx, argc, argv, &error);
  if (!ok) {
    *status = devibench_cli_usage_error ("%s", error->message);
    g_error_free (error);
  }
  g_option_context_free (ctx);
  g_free (name);
  return ok;
}

static gboolean
parse_uint (const gchar *text, guint64 max, guint64 *out)
{
  gchar *end = NULL;
  guint64 v;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (text, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

/* Loads a question set; a missing file is a bad argument (exit 2), an
 * unreadable one a failure (exit 1). Rejected rows go to stderr. */
static ArticDevibenchSet *
load_set (const gchar *path, int *status)
{
  GError *error = NULL;
  ArticDevibenchSet *set;
  guint i;

  if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
    *status = devibench_cli_usage_error ("'%s' does not exist", path);
    return NULL;
  }
  set = artic_devibench_set_load_file (path, &error);
  if (set == NULL) {
    *status = devibench_cli_run_error ("%s", error->message);
    g_error_free (error);
    return NULL;
  }
  for (i = 0; i < set->errors->len && i < MAX_ROW_WARNINGS; i++)
    g_printerr (PROGRAM ": warning: %s: %s (row skipped)\n", path,
        (gchar *) g_ptr_array_index (set->errors, i));
  if (set->errors->len > MAX_ROW_WARNINGS)
    g_printerr (PROGRAM ": warning: %s: ... and %u more rejected rows\n", path,
        set->errors->len - MAX_ROW_WARNINGS);
  return set;
}

/* ---- stats ---- */

typedef struct
{
  gchar *name;
  guint count;
} Count;

static void
count_free (gpointer data)
{
  Count *c = data;

  g_free (c->name);
  g_free (c);
}

static void
count_add (GPtrArray *counts, const gchar *name)
{
  guint i;
  Count *c;

  for (i = 0; i < counts->len; i++) {
    c = g_ptr_array_index (counts, i);
    if (strcmp (c->name, name) == 0) {
      c->count++;
      return;
    }
  }
  c = g_new0 (Count, 1);
  c->name = g_strdup (name);
  c->count = 1;
  g_ptr_array_add (counts, c);
}

/* Known task types first in the README's order, then any others. */
static GPtrArray *
task_counts (ArticDevibenchSet *set)
{
  GPtrArray *counts = g_ptr_array_new_with_free_func (count_free);
  GPtrArray *seen = g_ptr_array_new_with_free_func (count_free);
  guint i, j;

  for (i = 0; i < set->items->len; i++)
    count_add (seen,
        ((ArticDevibenchItem *) g_ptr_array_index (set->items, i))->task_type);
  for (j = 0; artic_devibench_task_types[j] != NULL; j++) {
    for (i = 0; i < seen->len; i++) {
      Count *c = g_ptr_array_index (seen, i);

      if (c->name != NULL
          && strcmp (c->name, artic_devibench_task_types[j]) == 0) {
        g_ptr_array_add (counts, g_memdup2 (c, sizeof (*c)));
        c->name = NULL; /* moved */
      }
    }
  }
  for (i = 0; i < seen->len; i++) {
    Count *c = g_ptr_array_index (seen, i);

    if (c->name != NULL) {
      g_ptr_array_add (counts, g_memdup2 (c, sizeof (*c)));
      c->name = NULL;
    }
  }
  g_ptr_array_unref (seen);
  return counts;
}

static void
print_json (JsonBuilder *b)
{
  JsonGenerator *gen = json_generator_new ();
  JsonNode *root = json_builder_get_root (b);
  gchar *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
  g_free (text);
  json_node_unref (root);
  g_object_unref (gen);
}

static int
cmd_stats (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    G_OPTION_ENTRY_NULL,
  };
  int status = 0;
  ArticDevibenchSet *set;
  GPtrArray *counts;
  guint i, single = 0, multi = 0;

  if (!parse_options ("stats", "FILE",
          "Counts the items of a question set per task type and frame kind.",
          entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return devibench_cli_usage_error (
        "stats takes one FILE (got %d arguments)", argc - 1);
  if ((set = load_set (argv[1], &status)) == NULL)
    return status;
  counts = task_counts (set);
  for (i = 0; i < set->items->len; i++) {
    ArticDevibenchItem *item = g_ptr_array_index (set->items, i);

    single += item->frame == ARTIC_DEVIBENCH_FRAME_SINGLE;
    multi += item->frame == ARTIC_DEVIBENCH_FRAME_MULTI;
  }
  if (json) {
    JsonBuilder *b = json_builder_new ();

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "file");
    json_builder_add_string_value (b, argv[1]);
    json_builder_set_member_name (b, "format");
    json_builder_add_int_value (b, set->version);
    json_builder_set_member_name (b, "items");
    json_builder_add_int_value (b, set->items->len);
    json_builder_set_member_name (b, "rejected_rows");
    json_builder_add_int_value (b, set->errors->len);
    json_builder_set_member_name (b, "task_types");
    json_builder_begin_object (b);
    for (i = 0; i < counts->len; i++) {
      Count *c = g_ptr_array_index (counts, i);

      json_builder_set_member_name (b, c->name);
      json_builder_add_int_value (b, c->count);
    }
    json_builder_end_object (b);
    if (set->version == ARTIC_DEVIBENCH_V2) {
      json_builder_set_member_name (b, "frames");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "Single");
      json_builder_add_int_value (b, single);
      json_builder_set_member_name (b, "Multi");
      json_builder_add_int_value (b, multi);
      json_builder_end_object (b);
    }
    json_builder_end_object (b);
    print_json (b);
    g_object_unref (b);
  } else {
    g_print ("file: %s\nformat: v%d\nitems: %u\nrejected rows: %u\n", argv[1],
        set->version, set->items->len, set->errors->len);
    g_print ("task types:\n");
    for (i = 0; i < counts->len; i++) {
      Count *c = g_ptr_array_index (counts, i);

      g_print ("  %-28s %5u\n", c->name, c->count);
    }
    if (set->version == ARTIC_DEVIBENCH_V2)
      g_print ("frames:\n  %-28s %5u\n  %-28s %5u\n", "Single", single, "Multi",
          multi);
    else
      g_print ("frames: (v1 has no Frame column)\n");
  }
  g_ptr_array_unref (counts);
  artic_devibench_set_free (set);
  return EXIT_SUCCESS;
}

/* ---- list ---- */

/* One line per item: newlines and tabs inside fields become \n and \t. */
static gchar *
one_line (const gchar *text)
{
  GString *out = g_string_new (NULL);
  const gchar *p;

  for (p = text != NULL ? text : ""; *p != '\0'; p++) {
    if (*p == '\n')
      g_string_append (out, "\\n");
    else if (*p == '\t')
      g_string_append (out, "\\t");
    else if (*p != '\r')
      g_string_append_c (out, *p);
  }
  return g_string_free (out, FALSE);
}

static void
print_item_json (ArticDevibenchSet *set, ArticDevibenchItem *item, guint n)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, n);
  json_builder_set_member_name (b, "line");
  json_builder_add_int_value (b, item->line);
  json_builder_set_member_name (b, "sample");
  json_builder_add_string_value (b, item->sample);
  json_builder_set_member_name (b, "start_time");
  json_builder_add_double_value (b, item->start_time);
  json_builder_set_member_name (b, "task_type");
  json_builder_add_string_value (b, item->task_type);
  if (set->version == ARTIC_DEVIBENCH_V2) {
    json_builder_set_member_name (b, "frame");
    json_builder_add_string_value (b, artic_devibench_frame_name (item->frame));
  } else {
    json_builder_set_member_name (b, "options");
    json_builder_add_string_value (b, item->options);
  }
  json_builder_set_member_name (b, "question");
  json_builder_add_string_value (b, item->question);
  json_builder_set_member_name (b, "answer");
  json_builder_add_string_value (b, item->answer);
  json_builder_end_object (b);
  print_json (b);
  g_object_unref (b);
}

static void
print_item_text (ArticDevibenchSet *set, ArticDevibenchItem *item, guint n)
{
  gchar *q = one_line (item->question), *a = one_line (item->answer);
  gchar *o = one_line (item->options);

  g_print ("%u\t%s\t%g\t%s\t%s\t%s\t%s%s%s\n", n, item->sample,
      item->start_time, item->task_type,
      set->version == ARTIC_DEVIBENCH_V2
          ? artic_devibench_frame_name (item->frame)
          : "-",
      q, a, set->version == ARTIC_DEVIBENCH_V1 ? "\t" : "", o);
  g_free (q);
  g_free (a);
  g_free (o);
}

static const gchar *
known_task_type (const gchar *name)
{
  guint i;

  for (i = 0; artic_devibench_task_types[i] != NULL; i++) {
    if (g_ascii_strcasecmp (artic_devibench_task_types[i], name) == 0)
      return artic_devibench_task_types[i];
  }
  return NULL;
}

static int
cmd_list (int argc, char **argv)
{
  gchar *task = NULL, *frame_arg = NULL, *limit_arg = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "task-type", 't', 0, G_OPTION_ARG_STRING, &task,
        "Only items of this task type (e.g. Counting)", "T" },
    { "frame", 'f', 0, G_OPTION_ARG_STRING, &frame_arg,
        "Only single- or multi-frame questions (v2)", "single|multi" },
    { "limit", 'n', 0, G_OPTION_ARG_STRING, &limit_arg, "Print at most N items",
        "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per line",
        NULL },
    G_OPTION_ENTRY_NULL,
  };
  int status = 0;
  ArticDevibenchSet *set = NULL;
  ArticDevibenchFrame frame = ARTIC_DEVIBENCH_FRAME_UNKNOWN;
  const gchar *task_name = NULL;
  guint64 limit = G_MAXUINT64;
  guint i, printed = 0;

  if (!parse_options ("list", "FILE",
          "Lists the items of a question set, one per line: number, "
          "sample, start time,\ntask type, frame kind, question, answer "
          "(and the options for v1), tab-separated.",
          entries, &argc, &argv, &status))
    goto out;
  if (argc != 2) {
    status = devibench_cli_usage_error (
        "list takes one FILE (got %d arguments)", argc - 1);
    goto out;
  }
  if (frame_arg != NULL
      && (frame = artic_devibench_frame_from_string (frame_arg))
             == ARTIC_DEVIBENCH_FRAME_UNKNOWN) {
    status = devibench_cli_usage_error (
        "--frame '%s' is neither single nor multi", frame_arg);
    goto out;
  }
  if (limit_arg != NULL && !parse_uint (limit_arg, G_MAXUINT32, &limit)) {
    status = devibench_cli_usage_error (
        "--limit '%s' is not a whole number", limit_arg);
    goto out;
  }
  if (task != NULL && (task_name = known_task_type (task)) == NULL) {
    status = devibench_cli_usage_error (
        "unknown task type '%s' (one of: Text-Rich "
        "Understanding, Attribute Perception, Object Perception, Counting, "
        "Action Perception, Spatial Understanding)",
        task);
    goto out;
  }
  if ((set = load_set (argv[1], &status)) == NULL)
    goto out;
  for (i = 0; i < set->items->len && printed < limit; i++) {
    ArticDevibenchItem *item = g_ptr_array_index (set->items, i);

    if (task_name != NULL && strcmp (item->task_type, task_name) != 0)
      continue;
    if (frame != ARTIC_DEVIBENCH_FRAME_UNKNOWN && item->frame != frame)
      continue;
    if (json)
      print_item_json (set, item, i + 1);
    else
      print_item_text (set, item, i + 1);
    printed++;
  }
  status = EXIT_SUCCESS;
out:
  artic_devibench_set_free (set);
  g_free (task);
  g_free (frame_arg);
  g_free (limit_arg);
  return status;
}

/* ---- prompt ---- */

static int
cmd_prompt (int argc, char **argv)
{
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  int status = 0;
  ArticDevibenchSet *set;
  guint64 n;
  gchar *prompt;

  if (!parse_options ("prompt", "FILE N",
          "Prints the authors' prompt for item N of FILE (N as in 'list').",
          entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return devibench_cli_usage_error ("prompt takes FILE and an item number N");
  if (!parse_uint (argv[2], G_MAXUINT32, &n) || n == 0)
    return devibench_cli_usage_error (
        "item number '%s' is not a number from 1", argv[2]);
  if ((set = load_set (argv[1], &status)) == NULL)
    return status;
  if (n > set->items->len) {
    status = devibench_cli_usage_error ("item %" G_GUINT64_FORMAT
                                        " does not exist (%s has "
                                        "%u items)",
        n, argv[1], set->items->len);
    artic_devibench_set_free (set);
    return status;
  }
  prompt = artic_devibench_item_prompt (
      set->version, g_ptr_array_index (set->items, n - 1));
  g_print ("%s\n", prompt);
  g_free (prompt);
  artic_devibench_set_free (set);
  return EXIT_SUCCESS;
}

/* ---- progress ---- */

static gdouble
elapsed_s (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1e6;
}

/* Time left if the remaining items take as long as the finished ones. */
static gdouble
eta_s (gint64 t0, guint64 done, guint64 total)
{
  return done > 0 ? elapsed_s (t0) / done * (total - done) : 0;
}

/* ---- lite-generate ---- */

static int
cmd_lite_generate (int argc, char **argv)
{
  gchar *seed_arg = NULL, *count_arg = NULL, *out = NULL, *media = NULL;
  gchar *profile_arg = NULL;
  gboolean no_verify = FALSE, quiet = FALSE;
  GOptionEntry entries[] = {
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_arg, "Seed (default 1)", "N" },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile_arg,
        "Generator profile: 1 = the first suite (lite-seed1), 2 = small "
        "low-contrast moving text that low bitrates lose (default 2)",
        "N" },
    { "count", 'n', 0, G_OPTION_ARG_STRING, &count_arg,
        "Number of items (default 100)", "N" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output folder (created)",
        "DIR" },
    { "media-dir", 0, 0, G_OPTION_ARG_FILENAME, &media,
        "Folder with the clips (default: the source tree's data/media)",
        "DIR" },
    { "no-verify", 0, 0, G_OPTION_ARG_NONE, &no_verify,
        "Skip the OCR check of the clean frames (specs only, fast)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress lines", NULL },
    G_OPTION_ENTRY_NULL,
  };
  int status = 0;
  guint64 seed = 1, count = 100, profile = ARTIC_DEVIBENCH_LITE_DEFAULT_PROFILE;
  ArticDevibenchLiteSuite *suite = NULL;
  ArticDevibenchOcr *ocr = NULL;
  GError *error = NULL;
  guint candidate = 0, rejected = 0;
  gint64 t0 = g_get_monotonic_time ();

  if (!parse_options ("lite-generate", "",
          "Generates a lite suite: manifest.json (item specs: clip, start "
          "time, signs,\nquestion, answer) and questions.csv (DeViBench v2 "
          "format). Each candidate\nitem is rendered and its clean frames at "
          "0.5, 1.5, 2.5, 3.5 and 4.5 s are read\nwith Tesseract; items "
          "that do not read in all five are dropped.",
          entries, &argc, &argv, &status))
    goto done;
  if (argc != 1) {
    status = devibench_cli_usage_error ("unexpected argument '%s'", argv[1]);
    goto done;
  }
  if (seed_arg != NULL && !parse_uint (seed_arg, G_MAXINT64, &seed)) {
    status = devibench_cli_usage_error (
        "--seed '%s' is not a whole number", seed_arg);
    goto done;
  }
  if (profile_arg != NULL
      && (!parse_uint (profile_arg, G_MAXUINT, &profile)
          || !artic_devibench_lite_profile_valid ((guint) profile))) {
    status = devibench_cli_usage_error (
        "--profile '%s' is not 1 or 2", profile_arg);
    goto done;
  }
  if (count_arg != NULL
      && (!parse_uint (count_arg, ARTIC_DEVIBENCH_LITE_MAX_ITEMS, &count)
          || count == 0)) {
    status = devibench_cli_usage_error ("--count '%s' is out of range (1-%u)",
        count_arg, ARTIC_DEVIBENCH_LITE_MAX_ITEMS);
    goto done;
  }
  if (out == NULL) {
    status = devibench_cli_usage_error ("--out DIR is required");
    goto done;
  }
  if (media == NULL)
    media = g_strdup (ARTIC_DEVIBENCH_MEDIA_DIR);
  if (!no_verify && !g_file_test (media, G_FILE_TEST_IS_DIR)) {
    status
        = devibench_cli_usage_error ("media folder '%s' does not exist", media);
    goto done;
  }
  if (g_mkdir_with_parents (out, 0755) != 0) {
    status = devibench_cli_usage_error (
        "cannot create '%s': %s", out, g_strerror (errno));
    goto done;
  }
  if (!no_verify && (ocr = artic_devibench_ocr_new (&error)) == NULL) {
    status = devibench_cli_run_error ("%s", error->message);
    goto done;
  }

  suite = artic_devibench_lite_suite_new (seed);
  suite->profile = (guint) profile;
  while (suite->items->len < count) {
    ArticDevibenchLiteItem *item = artic_devibench_lite_candidate_for (
        suite->profile, seed, candidate++);
    guint reads = G_N_ELEMENTS (verify_times);
    guint64 bytes;

    if (candidate > 10 * count + 20) {
      status = devibench_cli_run_error ("only %u of %" G_GUINT64_FORMAT
                                        " items read clean "
                                        "after %u candidates",
          suite->items->len, count, candidate - 1);
      artic_devibench_lite_item_free (item);
      goto done;
    }
    if (ocr != NULL) {
      gint min_confidence = suite->profile == ARTIC_DEVIBENCH_LITE_PROFILE_HARD
                                ? ARTIC_DEVIBENCH_LITE_HARD_MIN_CONFIDENCE
                                : 0;

      if (!artic_devibench_render_read_item_full (item, media, 0, verify_times,
              G_N_ELEMENTS (verify_times), ocr, min_confidence, TRUE, &reads,
              &bytes, &error)) {
        status = devibench_cli_run_error ("%s", error->message);
        artic_devibench_lite_item_free (item);
        goto done;
      }
      item->clean_reads = reads;
      item->clean_frames = G_N_ELEMENTS (verify_times);
    }
    if (reads < G_N_ELEMENTS (verify_times)) {
      rejected++;
      if (!quiet)
        g_printerr (PROGRAM ": candidate %u rejected: clean frame %u of %u "
                            "not read ('%s', %u px)\n",
            item->candidate, reads + 1, (guint) G_N_ELEMENTS (verify_times),
            item->answer, artic_devibench_lite_item_target (item)->font_px);
      artic_devibench_lite_item_free (item);
      continue;
    }
    g_free (item->id);
    item->id = g_strdup_printf ("lite-%04u", suite->items->len + 1);
    g_ptr_array_add (suite->items, item);
    if (!quiet && (ocr != NULL || suite->items->len == count))
      g_printerr (PROGRAM ": item %u/%" G_GUINT64_FORMAT " (%u rejected, "
                          "%.0f s, about %.0f s left)\n",
          suite->items->len, count, rejected, elapsed_s (t0),
          eta_s (t0, suite->items->len, count));
  }
  if (!artic_devibench_lite_suite_save (suite, out, &error)) {
    status = devibench_cli_run_error ("%s", error->message);
    goto done;
  }
  g_print ("wrote %u items (seed %" G_GUINT64_FORMAT ", %u candidates "
           "rejected) to %s\n",
      suite->items->len, seed, rejected, out);
  status = EXIT_SUCCESS;
done:
  g_clear_error (&error);
  artic_devibench_lite_suite_free (suite);
  artic_devibench_ocr_free (ocr);
  g_free (seed_arg);
  g_free (profile_arg);
  g_free (count_arg);
  g_free (out);
  g_free (media);
  return status;
}

/* ---- lite-calibrate ---- */

/* Reads per bucket of target font size and contrast. */
typedef struct
{
  guint font_px;
  gboolean low_contrast;
  guint items;
  guint frames;
  guint *reads; /* one per condition */
} Bucket;

static Bucket *
bucket_for (GArray *buckets, const ArticDevibenchLiteSign *sign, guint n)
{
  guint i;
  Bucket b = { sign->font_px, sign->low_contrast, 0, 0, NULL };

  for (i = 0; i < buckets->len; i++) {
    Bucket *e = &g_array_index (buckets, Bucket, i);

    if (e->font_px == sign->font_px && e->low_contrast == sign->low_contrast)
      return e;
  }
  b.reads = g_new0 (guint, n);
  g_array_append_val (buckets, b);
  return &g_array_index (buckets, Bucket, buckets->len - 1);
}

static gint
bucket_cmp (gconstpointer a, gconstpointer b)
{
  const Bucket *x = a, *y = b;

  if (x->font_px != y->font_px)
    return x->font_px < y->font_px ? -1 : 1;
  return x->low_contrast - y->low_contrast;
}

static gboolean
parse_bitrates (const gchar *text, GArray *out)
{
  gchar **parts = g_strsplit (text, ",", -1);
  gboolean ok = parts[0] != NULL;
  guint i;

  for (i = 0; ok && parts[i] != NULL; i++) {
    guint64 v;

    ok = parse_uint (g_strstrip (parts[i]), 100000, &v) && v >= 10;
    if (ok) {
      guint kbps = (guint) v;

      g_array_append_val (out, kbps);
    }
  }
  g_strfreev (parts);
  return ok;
}

/* Loads SUITE_DIR/manifest.json; on failure prints the error, sets *status
 * to the exit status and returns NULL. */
static ArticDevibenchLiteSuite *
load_suite (const gchar *suite_dir, int *status)
{
  gchar *path = g_build_filename (suite_dir, "manifest.json", NULL);
  ArticDevibenchLiteSuite *suite = NULL;
  GError *error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    *status = devibench_cli_usage_error ("'%s' does not exist", path);
  else if ((suite = artic_devibench_lite_suite_load (path, &error)) == NULL)
    *status = devibench_cli_run_error ("%s", error->message);
  g_clear_error (&error);
  g_free (path);
  return suite;
}

/* Item @n (from 1) of @suite, or NULL with *status set. */
static ArticDevibenchLiteItem *
suite_item (ArticDevibenchLiteSuite *suite, guint64 n, int *status)
{
  if (n > suite->items->len) {
    *status = devibench_cli_usage_error ("item %" G_GUINT64_FORMAT
                                         " does not exist (the "
                                         "suite has %u)",
        n, suite->items->len);
    return NULL;
  }
  return g_ptr_array_index (suite->items, n - 1);
}

static int
cmd_lite_calibrate (int argc, char **argv)
{
  gchar *suite_dir = NULL, *media = NULL, *rates_arg = NULL, *limit_arg = NULL;
  GOptionEntry entries[] = {
    { "suite", 0, 0, G_OPTION_ARG_FILENAME, &suite_dir,
        "Suite folder (with manifest.json)", "DIR" },
    { "media-dir", 0, 0, G_OPTION_ARG_FILENAME, &media,
        "Folder with the clips (default: the source tree's data/media)",
        "DIR" },
    { "bitrate", 'b', 0, G_OPTION_ARG_STRING, &rates_arg,
        "VP8 bitrates in kbps, comma-separated (default 100,200,400,800)",
        "KBPS,..." },
    { "limit", 'n', 0, G_OPTION_ARG_STRING, &limit_arg,
        "Only the first N items", "N" },
    G_OPTION_ENTRY_NULL,
  };
  static const gdouble times[]
      = { 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25, 3.75, 4.25, 4.75 };
  int status = 0;
  GArray *rates = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *buckets = g_array_new (FALSE, FALSE, sizeof (Bucket));
  ArticDevibenchLiteSuite *suite = NULL;
  ArticDevibenchOcr *ocr = NULL;
  GError *error = NULL;
  guint64 limit = G_MAXUINT32, *bytes = NULL;
  guint *all_reads = NULL, *lost_items = NULL, *item_reads = NULL;
  guint64 *item_bytes = NULL;
  guint i, c, n_cond, n_items, n_done = 0, skipped = 0;
  gint64 t0 = g_get_monotonic_time ();

  if (!parse_options ("lite-calibrate", "",
          "Measures how well the target text of a lite suite reads, clean "
          "and through a\nstock VP8 encode (deadline=1 cpu-used=8 "
          "end-usage=cbr) at each bitrate:\nTesseract on the target sign in "
          "10 frames per item (2 per second).",
          entries, &argc, &argv, &status))
    goto done;
  if (argc != 1) {
    status = devibench_cli_usage_error ("unexpected argument '%s'", argv[1]);
    goto done;
  }
  if (suite_dir == NULL) {
    status = devibench_cli_usage_error ("--suite DIR is required");
    goto done;
  }
  if (!parse_bitrates (
          rates_arg != NULL ? rates_arg : "100,200,400,800", rates)) {
    status = devibench_cli_usage_error (
        "--bitrate '%s' is not a list of kbps (10-100000)", rates_arg);
    goto done;
  }
  if (limit_arg != NULL
      && (!parse_uint (limit_arg, G_MAXUINT32, &limit) || limit == 0)) {
    status = devibench_cli_usage_error (
        "--limit '%s' is not a number from 1", limit_arg);
    goto done;
  }
  if (media == NULL)
    media = g_strdup (ARTIC_DEVIBENCH_MEDIA_DIR);
  if ((suite = load_suite (suite_dir, &status)) == NULL)
    goto done;
  if ((ocr = artic_devibench_ocr_new (&error)) == NULL) {
    status = devibench_cli_run_error ("%s", error->message);
    goto done;
  }

  n_cond = rates->len + 1; /* clean first */
  n_items = MIN (suite->items->len, (guint) limit);
  all_reads = g_new0 (guint, n_cond);
  lost_items = g_new0 (guint, n_cond);
  bytes = g_new0 (guint64, n_cond);
  item_reads = g_new0 (guint, n_cond);
  item_bytes = g_new0 (guint64, n_cond);
  for (i = 0; i < n_items; i++) {
    ArticDevibenchLiteItem *item = g_ptr_array_index (suite->items, i);
    Bucket *b;
    gboolean ok = TRUE;

    /* Every condition first: an item that fails in one (a missing or
     * broken clip) is reported and left out of every column. */
    for (c = 0; ok && c < n_cond; c++) {
      guint kbps = c == 0 ? 0 : g_array_index (rates, guint, c - 1);

      ok = artic_devibench_render_read_item (item, media, kbps, times,
          G_N_ELEMENTS (times), ocr, &item_reads[c], &item_bytes[c], &error);
    }
    if (!ok) {
      g_printerr (PROGRAM ": warning: %s (item skipped)\n", error->message);
      g_clear_error (&error);
      skipped++;
      continue;
    }
    b = bucket_for (buckets, artic_devibench_lite_item_target (item), n_cond);
    b->items++;
    b->frames += G_N_ELEMENTS (times);
    for (c = 0; c < n_cond; c++) {
      b->reads[c] += item_reads[c];
      all_reads[c] += item_reads[c];
      bytes[c] += item_bytes[c];
      /* Lost: the clean frames read, at this bitrate at most half do. */
      if (c > 0 && item_reads[0] >= G_N_ELEMENTS (times) / 2
          && item_reads[c] * 2 < item_reads[0])
        lost_items[c]++;
    }
    g_printerr (PROGRAM ": calibrated %u/%u items (%.0f s, about %.0f s "
                        "left)\n",
        i + 1, n_items, elapsed_s (t0), eta_s (t0, i + 1, n_items));
  }
  n_done = n_items - skipped;
  if (n_done == 0) {
    status = devibench_cli_run_error (
        "none of the %u items could be read", n_items);
    goto done;
  }
  g_array_sort (buckets, bucket_cmp);

  g_print ("| target text | items |");
  for (c = 0; c < n_cond; c++) {
    if (c == 0)
      g_print (" clean |");
    else
      g_print (" %u kbps |", g_array_index (rates, guint, c - 1));
  }
  g_print ("\n|---|---|");
  for (c = 0; c < n_cond; c++)
    g_print ("---|");
  g_print ("\n");
  for (i = 0; i < buckets->len; i++) {
    Bucket *b = &g_array_index (buckets, Bucket, i);

    g_print ("| %u px %s | %u |", b->font_px,
        b->low_contrast ? "low contrast" : "high contrast", b->items);
    for (c = 0; c < n_cond; c++)
      g_print (" %.0f%% |", 100.0 * b->reads[c] / b->frames);
    g_print ("\n");
  }
  g_print ("| **all** | %u |", n_done);
  for (c = 0; c < n_cond; c++)
    g_print (" %.0f%% |",
        100.0 * all_reads[c] / MAX (1, n_done * G_N_ELEMENTS (times)));
  g_print ("\n| achieved kbps | |  - |");
  for (c = 1; c < n_cond; c++)
    g_print (
        " %.0f |", bytes[c] * 8.0 / 1000
                       / MAX (1e-9, n_done * ARTIC_DEVIBENCH_LITE_DURATION));
  g_print ("\n| items lost (clean reads >= 5/10, encoded < half of clean) | "
           "|  - |");
  for (c = 1; c < n_cond; c++)
    g_print (" %u |", lost_items[c]);
  g_print ("\n");
  if (skipped > 0)
    g_print ("| items skipped (errors on stderr) | %u |\n", skipped);
  status = EXIT_SUCCESS;
done:
  g_clear_error (&error);
  for (i = 0; i < buckets->len; i++)
    g_free (g_array_index (buckets, Bucket, i).reads);
  g_array_unref (buckets);
  g_array_unref (rates);
  g_free (all_reads);
  g_free (lost_items);
  g_free (item_reads);
  g_free (item_bytes);
  g_free (bytes);
  artic_devibench_lite_suite_free (suite);
  artic_devibench_ocr_free (ocr);
  g_free (suite_dir);
  g_free (media);
  g_free (rates_arg);
  g_free (limit_arg);
  return status;
}

/* ---- lite-preview ---- */

/* The arguments lite-preview and lite-render share: no stray argument,
 * --suite and --out given, --item (if given) a number from 1 into @n. */
static gboolean
check_item_arguments (int argc, char **argv, const gchar *suite_dir,
    const gchar *out, const gchar *item_arg, guint64 *n, int *status)
{
  if (argc != 1)
    *status = devibench_cli_usage_error ("unexpected argument '%s'", argv[1]);
  else if (suite_dir == NULL || out == NULL)
    *status
        = devibench_cli_usage_error ("--suite DIR and --out FILE are required");
  else if (item_arg != NULL
           && (!parse_uint (item_arg, G_MAXUINT32, n) || *n == 0))
    *status = devibench_cli_usage_error (
        "--item '%s' is not a number from 1", item_arg);
  else
    return TRUE;
  return FALSE;
}

static int
cmd_lite_preview (int argc, char **argv)
{
  gchar *suite_dir = NULL, *media = NULL, *out = NULL, *item_arg = NULL,
        *rate_arg = NULL;
  gdouble t = 2.5;
  GOptionEntry entries[] = {
    { "suite", 0, 0, G_OPTION_ARG_FILENAME, &suite_dir,
        "Suite folder (with manifest.json)", "DIR" },
    { "item", 'i', 0, G_OPTION_ARG_STRING, &item_arg,
        "Item number, from 1 (default 1)", "N" },
    { "time", 't', 0, G_OPTION_ARG_DOUBLE, &t,
        "Seconds into the item (default 2.5)", "T" },
    { "bitrate", 'b', 0, G_OPTION_ARG_STRING, &rate_arg,
        "Through stock VP8 at this many kbps (default: clean)", "KBPS" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "PNG file to write", "FILE" },
    { "media-dir", 0, 0, G_OPTION_ARG_FILENAME, &media,
        "Folder with the clips (default: the source tree's data/media)",
        "DIR" },
    G_OPTION_ENTRY_NULL,
  };
  int status = 0;
  guint64 n = 1, kbps = 0;
  ArticDevibenchLiteSuite *suite = NULL;
  ArticDevibenchLiteItem *item;
  GError *error = NULL;

  if (!parse_options ("lite-preview", "",
          "Writes one rendered frame of a lite-suite item as PNG.", entries,
          &argc, &argv, &status))
    goto done;
  if (!check_item_arguments (argc, argv, suite_dir, out, item_arg, &n, &status))
    goto done;
  if (rate_arg != NULL
      && (!parse_uint (rate_arg, 100000, &kbps) || kbps < 10)) {
    status = devibench_cli_usage_error (
        "--bitrate '%s' is out of range (10-100000)", rate_arg);
    goto done;
  }
  if (!(t >= 0 && t < ARTIC_DEVIBENCH_LITE_DURATION)) {
    status = devibench_cli_usage_error (
        "--time must be within the item's 5 seconds");
    goto done;
  }
  if ((suite = load_suite (suite_dir, &status)) == NULL
      || (item = suite_item (suite, n, &status)) == NULL)
    goto done;
  if (!artic_devibench_render_snapshot (item,
          media != NULL ? media : ARTIC_DEVIBENCH_MEDIA_DIR, (guint) kbps, t,
          out, &error)) {
    status = devibench_cli_run_error ("%s", error->message);
    goto done;
  }
  status = EXIT_SUCCESS;
done:
  g_clear_error (&error);
  artic_devibench_lite_suite_free (suite);
  g_free (suite_dir);
  g_free (media);
  g_free (out);
  g_free (item_arg);
  g_free (rate_arg);
  return status;
}

static int
cmd_lite_render (int argc, char **argv)
{
  gchar *suite_dir = NULL, *media = NULL, *out = NULL, *item_arg = NULL;
  GOptionEntry entries[] = {
    { "suite", 0, 0, G_OPTION_ARG_FILENAME, &suite_dir,
        "Suite folder (with manifest.json)", "DIR" },
    { "item", 'i', 0, G_OPTION_ARG_STRING, &item_arg,
        "Item number, from 1 (default 1)", "N" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "WebM file to write",
        "FILE" },
    { "media-dir", 0, 0, G_OPTION_ARG_FILENAME, &media,
        "Folder with the clips (default: the source tree's data/media)",
        "DIR" },
    G_OPTION_ENTRY_NULL,
  };
  int status = 0;
  guint64 n = 1;
  ArticDevibenchLiteSuite *suite = NULL;
  ArticDevibenchLiteItem *item;
  GError *error = NULL;

  if (!parse_options ("lite-render", "",
          "Writes the clean 5-second clip of a lite-suite item (1280x720, "
          "30 fps, near-lossless VP8/WebM) and prints its question and "
          "answer.",
          entries, &argc, &argv, &status))
    goto done;
  if (!check_item_arguments (argc, argv, suite_dir, out, item_arg, &n, &status))
    goto done;
  if ((suite = load_suite (suite_dir, &status)) == NULL
      || (item = suite_item (suite, n, &status)) == NULL)
    goto done;
  if (!artic_devibench_render_to_file (item,
          media != NULL ? media : ARTIC_DEVIBENCH_MEDIA_DIR, out, &error)) {
    status = devibench_cli_run_error ("%s", error->message);
    goto done;
  }
  g_print ("question: %s\nanswer: %s\n", item->question, item->answer);
  status = EXIT_SUCCESS;
done:
  g_clear_error (&error);
  artic_devibench_lite_suite_free (suite);
  g_free (suite_dir);
  g_free (media);
  g_free (out);
  g_free (item_arg);
  return status;
}

int
main (int argc, char **argv)
{
  const gchar *command;

  setlocale (LC_ALL, "");
  if (argc < 2)
    return devibench_cli_usage_error (
        "missing command (stats, list, prompt, "
        "lite-generate, lite-select, lite-calibrate, lite-preview, "
        "lite-render, run, summarize); see '" PROGRAM " --help'");
  command = argv[1];
  if (strcmp (command, "--help") == 0 || strcmp (command, "-h") == 0
      || strcmp (command, "help") == 0) {
    g_print ("%s", usage);
    return EXIT_SUCCESS;
  }
  /* The subcommand parses the rest as if it were the program. */
  argv[1] = argv[0];
  argc--;
  argv++;
  if (strcmp (command, "stats") == 0)
    return cmd_stats (argc, argv);
  if (strcmp (command, "list") == 0)
    return cmd_list (argc, argv);
  if (strcmp (command, "prompt") == 0)
    return cmd_prompt (argc, argv);
  if (g_str_has_prefix (command, "lite-"))
    gst_init (NULL, NULL);
  if (strcmp (command, "lite-generate") == 0)
    return cmd_lite_generate (argc, argv);
  if (strcmp (command, "lite-select") == 0) {
    gst_artic_elements_register_static ();
    return artic_devibench_cmd_lite_select (argc, argv);
  }
  if (strcmp (command, "lite-calibrate") == 0)
    return cmd_lite_calibrate (argc, argv);
  if (strcmp (command, "lite-preview") == 0)
    return cmd_lite_preview (argc, argv);
  if (strcmp (command, "lite-render") == 0)
    return cmd_lite_render (argc, argv);
  if (strcmp (command, "summarize") == 0)
    return artic_devibench_cmd_summarize (argc, argv);
  if (strcmp (command, "run") == 0) {
    gst_init (NULL, NULL);
    gst_artic_elements_register_static ();
    return artic_devibench_cmd_run (argc, argv);
  }
  return devibench_cli_usage_error (
      "unknown command '%s'; see '" PROGRAM " --help'", command);
}
