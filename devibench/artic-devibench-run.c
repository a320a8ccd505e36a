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

#include "artic-devibench-run.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "artic-devibench-csv.h"

#define MAX_LIST 64
#define MAX_SHARDS 10000
#define MIN_KBPS 16 /* artic-send's lowest */
#define MAX_KBPS 100000
#define MIN_SIDE 16
#define MAX_SIDE 4096
#define MAX_DELAY_MS 10000
/* A results line longer than this is not one the harness wrote. */
#define MAX_LINE_BYTES (1024 * 1024)

static gboolean G_GNUC_PRINTF (2, 3)
    fail (GError **error, const gchar *format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (
      error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE, msg);
  g_free (msg);
  return FALSE;
}

gboolean
artic_devibench_condition_is_network (const ArticDevibenchCondition *c)
{
  return c->trace != NULL || c->loss > 0 || c->delay_ms > 0;
}

const gchar *
artic_devibench_roi_mode_name (ArticDevibenchRoiMode mode)
{
  switch (mode) {
    case ARTIC_DEVIBENCH_ROI_OFF:
      return "off";
    case ARTIC_DEVIBENCH_ROI_ON:
      return "on";
    case ARTIC_DEVIBENCH_ROI_ORACLE:
      return "oracle";
  }
  return "off";
}

void
artic_devibench_condition_free (ArticDevibenchCondition *c)
{
  if (c == NULL)
    return;
  g_free (c->id);
  g_free (c->codec);
  g_free (c->trace);
  g_free (c);
}

/* Splits a comma list; empty members and lists over MAX_LIST are errors. */
static gchar **
split_list (const gchar *option, const gchar *text, GError **error)
{
  gchar **parts = g_strsplit (text, ",", -1);
  guint i, n = g_strv_length (parts);

  if (n == 0 || n > MAX_LIST) {
    fail (error, "%s: between 1 and %d values", option, MAX_LIST);
    g_strfreev (parts);
    return NULL;
  }
  for (i = 0; i < n; i++) {
    g_strstrip (parts[i]);
    if (parts[i][0] == '\0') {
      fail (error, "%s '%s': empty value", option, text);
      g_strfreev (parts);
      return NULL;
    }
  }
  return parts;
}

static gboolean
parse_number (const gchar *text, gdouble min, gdouble max, gdouble *out)
{
  gchar *end = NULL;
  gdouble v;

  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || *end != '\0' || !isfinite (v) || v < min
      || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_size (const gchar *text, guint *w, guint *h)
{
  guint64 a, b;
  gchar *end = NULL;

  if (!g_ascii_isdigit (text[0]))
    return FALSE;
  a = g_ascii_strtoull (text, &end, 10);
  if (*end != 'x' || !g_ascii_isdigit (end[1]))
    return FALSE;
  b = g_ascii_strtoull (end + 1, &end, 10);
  if (*end != '\0' || a < MIN_SIDE || a > MAX_SIDE || b < MIN_SIDE
      || b > MAX_SIDE || a % 2 || b % 2)
    return FALSE;
  *w = (guint) a;
  *h = (guint) b;
  return TRUE;
}

/* A trace's short name in condition ids: its file name up to the first
 * dot, letters, digits and '-' only. */
static gchar *
trace_label (const gchar *path)
{
  gchar *base = g_path_get_basename (path), *p;

  if ((p = strchr (base, '.')) != NULL && p != base)
    *p = '\0';
  for (p = base; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      *p = '-';
  return base;
}

static gchar *
condition_id (const ArticDevibenchCondition *c)
{
  GString *s = g_string_new (NULL);
  static const gchar *const roi_labels[] = { "uniform", "roi", "oracle" };

  if (c->clean) {
    g_string_printf (s, "clean-%ux%u", c->width, c->height);
    return g_string_free (s, FALSE);
  }
  g_string_printf (s, "%s-%ux%u-%uk-%s", c->codec, c->width, c->height,
      c->bitrate_kbps, roi_labels[c->roi]);
  if (c->trace != NULL) {
    gchar *label = trace_label (c->trace);

    g_string_append_printf (s, "-%s", label);
    g_free (label);
  }
  if (c->loss > 0) {
    gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

    g_string_append_printf (
        s, "-loss%s", g_ascii_formatd (buf, sizeof buf, "%g", c->loss));
  }
  if (c->delay_ms > 0)
    g_string_append_printf (s, "-delay%u", c->delay_ms);
  return g_string_free (s, FALSE);
}

typedef struct
{
  gchar **codecs, **bitrates, **sizes, **roi, **traces, **loss, **delay;
} Lists;

static void
lists_clear (Lists *l)
{
  g_strfreev (l->codecs);
  g_strfreev (l->bitrates);
  g_strfreev (l->sizes);
  g_strfreev (l->roi);
  g_strfreev (l->traces);
  g_strfreev (l->loss);
  g_strfreev (l->delay);
}

static gboolean
lists_split (const ArticDevibenchGrid *g, Lists *l, GError **error)
{
  memset (l, 0, sizeof *l);
  return (l->codecs
             = split_list ("--codec", g->codecs ? g->codecs : "vp8", error))
         && (l->bitrates = split_list (
                 "--bitrate", g->bitrates ? g->bitrates : "200", error))
         && (l->sizes
             = split_list ("--size", g->sizes ? g->sizes : "1280x720", error))
         && (l->roi = split_list ("--roi", g->roi ? g->roi : "off", error))
         && (l->traces
             = split_list ("--trace", g->traces ? g->traces : "none", error))
         && (l->loss = split_list ("--loss", g->loss ? g->loss : "0", error))
         && (l->delay
             = split_list ("--delay", g->delay ? g->delay : "0", error));
}

/* Checks every value once, before the product is formed, so that the
 * error names the option. */
static gboolean
lists_check (const Lists *l, GError **error)
{
  guint i, w, h;
  gdouble v;

  for (i = 0; l->codecs[i]; i++)
    if (strcmp (l->codecs[i], "vp8") != 0 && strcmp (l->codecs[i], "vp9") != 0
        && strcmp (l->codecs[i], "h264") != 0)
      return fail (
          error, "--codec '%s': not one of vp8, vp9, h264", l->codecs[i]);
  for (i = 0; l->bitrates[i]; i++)
    if (strcmp (l->bitrates[i], "clean") != 0
        && (!parse_number (l->bitrates[i], MIN_KBPS, MAX_KBPS, &v)
            || v != floor (v)))
      return fail (error,
          "--bitrate '%s': not a whole number of kbit/s in %d..%d or "
          "'clean'",
          l->bitrates[i], MIN_KBPS, MAX_KBPS);
  for (i = 0; l->sizes[i]; i++)
    if (!parse_size (l->sizes[i], &w, &h))
      return fail (error,
          "--size '%s': not WIDTHxHEIGHT with even sides in %d..%d",
          l->sizes[i], MIN_SIDE, MAX_SIDE);
  for (i = 0; l->roi[i]; i++)
    if (strcmp (l->roi[i], "off") != 0 && strcmp (l->roi[i], "on") != 0
        && strcmp (l->roi[i], "oracle") != 0)
      return fail (error, "--roi '%s': not one of off, on, oracle", l->roi[i]);
  for (i = 0; l->traces[i]; i++)
    if (strcmp (l->traces[i], "none") != 0
        && !g_file_test (l->traces[i], G_FILE_TEST_IS_REGULAR))
      return fail (error, "--trace '%s': no such file", l->traces[i]);
  for (i = 0; l->loss[i]; i++)
    if (!parse_number (l->loss[i], 0, 100, &v))
      return fail (
          error, "--loss '%s': not a percentage in 0..100", l->loss[i]);
  for (i = 0; l->delay[i]; i++)
    if (!parse_number (l->delay[i], 0, MAX_DELAY_MS, &v) || v != floor (v))
      return fail (error, "--delay '%s': not whole milliseconds in 0..%d",
          l->delay[i], MAX_DELAY_MS);
  return TRUE;
}

static ArticDevibenchRoiMode
roi_mode (const gchar *name)
{
  if (strcmp (name, "on") == 0)
    return ARTIC_DEVIBENCH_ROI_ON;
  if (strcmp (name, "oracle") == 0)
    return ARTIC_DEVIBENCH_ROI_ORACLE;
  return ARTIC_DEVIBENCH_ROI_OFF;
}

/* Adds @c unless a condition with its id is there already. */
static gboolean
add_unique (GPtrArray *out, GHashTable *seen, ArticDevibenchCondition *c,
    GError **error)
{
  c->id = condition_id (c);
  if (g_hash_table_contains (seen, c->id)) {
    artic_devibench_condition_free (c);
    return TRUE;
  }
  if (out->len >= ARTIC_DEVIBENCH_MAX_CONDITIONS) {
    artic_devibench_condition_free (c);
    return fail (
        error, "more than %d conditions", ARTIC_DEVIBENCH_MAX_CONDITIONS);
  }
  g_hash_table_add (seen, g_strdup (c->id));
  g_ptr_array_add (out, c);
  return TRUE;
}

GPtrArray *
artic_devibench_conditions_new (const ArticDevibenchGrid *grid, GError **error)
{
  Lists l;
  GPtrArray *out = NULL;
  GHashTable *seen;
  guint ci, si, bi, ri, ti, li, di;
  gboolean ok = TRUE;

  if (!lists_split (grid, &l, error) || !lists_check (&l, error)) {
    lists_clear (&l);
    return NULL;
  }
  out = g_ptr_array_new_with_free_func (
      (GDestroyNotify) artic_devibench_condition_free);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (ci = 0; ok && l.codecs[ci]; ci++)
    for (si = 0; ok && l.sizes[si]; si++)
      for (bi = 0; ok && l.bitrates[bi]; bi++)
        for (ri = 0; ok && l.roi[ri]; ri++)
          for (ti = 0; ok && l.traces[ti]; ti++)
            for (li = 0; ok && l.loss[li]; li++)
              for (di = 0; ok && l.delay[di]; di++) {
                ArticDevibenchCondition *c
                    = g_new0 (ArticDevibenchCondition, 1);

                parse_size (l.sizes[si], &c->width, &c->height);
                if (strcmp (l.bitrates[bi], "clean") == 0) {
                  /* The reference: no encoder, so no codec, ROI or
                   * network; one per size. */
                  c->clean = TRUE;
                } else {
                  c->codec = g_strdup (l.codecs[ci]);
                  c->bitrate_kbps = (guint) atoi (l.bitrates[bi]);
                  c->roi = roi_mode (l.roi[ri]);
                  if (strcmp (l.traces[ti], "none") != 0)
                    c->trace = g_strdup (l.traces[ti]);
                  c->loss = g_ascii_strtod (l.loss[li], NULL);
                  c->delay_ms = (guint) atoi (l.delay[di]);
                }
                ok = add_unique (out, seen, c, error);
              }
  g_hash_table_unref (seen);
  lists_clear (&l);
  if (!ok)
    g_clear_pointer (&out, g_ptr_array_unref);
  return out;
}

gboolean
artic_devibench_shard_parse (
    const gchar *text, guint *index, guint *count, GError **error)
{
  guint64 i, n;
  gchar *end = NULL;

  if (text == NULL || !g_ascii_isdigit (text[0]))
    return fail (error, "--shard '%s': not I/N", text ? text : "");
  i = g_ascii_strtoull (text, &end, 10);
  if (*end != '/' || !g_ascii_isdigit (end[1]))
    return fail (error, "--shard '%s': not I/N", text);
  n = g_ascii_strtoull (end + 1, &end, 10);
  if (*end != '\0' || n < 1 || n > MAX_SHARDS || i < 1 || i > n)
    return fail (
        error, "--shard '%s': needs 1 <= I <= N <= %d", text, MAX_SHARDS);
  *index = (guint) i;
  *count = (guint) n;
  return TRUE;
}

gboolean
artic_devibench_shard_owns (guint64 k, guint index, guint count)
{
  return count > 0 && k % count == index - 1;
}

gchar *
artic_devibench_result_key (const gchar *item, const gchar *condition)
{
  return g_strdup_printf ("%s|%s", item, condition);
}

void
artic_devibench_result_free (ArticDevibenchResult *r)
{
  if (r == NULL)
    return;
  g_free (r->item);
  g_free (r->condition);
  g_free (r->task_type);
  g_free (r->error);
  g_free (r->roi);
  g_free (r->trace);
  g_free (r->codec);
  g_free (r);
}

static gdouble
member_double (JsonObject *o, const gchar *name, gdouble fallback)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return fallback;
  if (json_node_get_value_type (n) == G_TYPE_DOUBLE
      || json_node_get_value_type (n) == G_TYPE_INT64) {
    gdouble v = json_node_get_double (n);

    /* No kbit/s, millisecond or percentage the harness writes is near
     * 1e9; larger values would only overflow the summary's sums. */
    return isfinite (v) && fabs (v) < 1e9 ? v : fallback;
  }
  return fallback;
}

static gchar *
member_string (JsonObject *o, const gchar *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n)
      || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (n));
}

static gboolean
member_bool (JsonObject *o, const gchar *name)
{
  JsonNode *n = json_object_get_member (o, name);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n)
         && json_node_get_value_type (n) == G_TYPE_BOOLEAN
         && json_node_get_boolean (n);
}

static guint
member_uint (JsonObject *o, const gchar *name)
{
  gdouble v = member_double (o, name, 0);

  return v >= 0 && v <= G_MAXUINT32 ? (guint) v : 0;
}

ArticDevibenchResult *
artic_devibench_result_parse (const gchar *line, gsize size, GError **error)
{
  JsonParser *parser;
  JsonNode *root;
  JsonObject *o;
  ArticDevibenchResult *r = NULL;
  GError *local = NULL;

  if (size > MAX_LINE_BYTES) {
    fail (error, "line over %d bytes", MAX_LINE_BYTES);
    return NULL;
  }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, line, (gssize) size, &local)) {
    fail (error, "not JSON: %s", local->message);
    g_error_free (local);
    g_object_unref (parser);
    return NULL;
  }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    fail (error, "not a JSON object");
    g_object_unref (parser);
    return NULL;
  }
  o = json_node_get_object (root);
  r = g_new0 (ArticDevibenchResult, 1);
  r->item = member_string (o, "item");
  r->condition = member_string (o, "condition");
  if (r->item == NULL || r->condition == NULL) {
    fail (error, "no \"item\" or \"condition\"");
    artic_devibench_result_free (r);
    g_object_unref (parser);
    return NULL;
  }
  r->task_type = member_string (o, "task_type");
  if (r->task_type == NULL)
    r->task_type = g_strdup ("unknown");
  r->error = member_string (o, "error");
  r->correct = member_bool (o, "correct");
  r->clean = member_bool (o, "clean");
  r->target_kbps = member_double (o, "target_kbps", 0);
  r->achieved_kbps = member_double (o, "achieved_kbps", -1);
  r->answer_ms = member_double (o, "answer_ms", -1);
  r->frame_p50_ms = member_double (o, "frame_latency_p50_ms", -1);
  r->frame_p95_ms = member_double (o, "frame_latency_p95_ms", -1);
  r->width = member_uint (o, "width");
  r->height = member_uint (o, "height");
  r->roi = member_string (o, "roi");
  r->trace = member_string (o, "trace");
  r->codec = member_string (o, "codec");
  r->loss = member_double (o, "loss_percent", 0);
  if (r->loss < 0)
    r->loss = 0;
  r->delay_ms = member_uint (o, "delay_ms");
  if (r->roi == NULL)
    r->roi = g_strdup ("off");
  if (r->trace == NULL)
    r->trace = g_strdup ("none");
  if (r->codec == NULL)
    r->codec = g_strdup (r->clean ? "none" : "?");
  g_object_unref (parser);
  return r;
}

GPtrArray *
artic_devibench_results_load (
    const gchar *path, gboolean repair, guint *bad, GError **error)
{
  gchar *data = NULL;
  gsize size = 0, pos = 0, complete;
  GPtrArray *out = g_ptr_array_new_with_free_func (
      (GDestroyNotify) artic_devibench_result_free);
  GError *local = NULL;

  *bad = 0;
  if (!g_file_get_contents (path, &data, &size, &local)) {
    if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
      g_error_free (local);
      return out;
    }
    g_propagate_error (error, local);
    g_ptr_array_unref (out);
    return NULL;
  }
  /* Everything after the last newline is a line cut short (a killed run):
   * it is not a result, and the run redoes it. */
  complete = size;
  while (complete > 0 && data[complete - 1] != '\n')
    complete--;
  while (pos < complete) {
    const gchar *nl = memchr (data + pos, '\n', complete - pos);
    gsize len = (gsize) (nl - (data + pos));
    ArticDevibenchResult *r;

    if (len > 0) {
      r = artic_devibench_result_parse (data + pos, len, NULL);
      if (r != NULL)
        g_ptr_array_add (out, r);
      else
        (*bad)++;
    }
    pos += len + 1;
  }
  if (repair && complete < size) {
    FILE *f = fopen (path, "r+");

    if (f == NULL || ftruncate (fileno (f), (off_t) complete) != 0) {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
          "%s: cannot cut off the truncated last line", path);
      if (f != NULL)
        fclose (f);
      g_free (data);
      g_ptr_array_unref (out);
      return NULL;
    }
    fclose (f);
  }
  g_free (data);
  return out;
}

static gint
double_cmp (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

gdouble
artic_devibench_percentile (GArray *values, gdouble p)
{
  GArray *sorted;
  gdouble rank, v;
  guint lo;

  if (values == NULL || values->len == 0)
    return -1;
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (gdouble), values->len);
  g_array_append_vals (sorted, values->data, values->len);
  g_array_sort (sorted, double_cmp);
  rank = CLAMP (p, 0, 100) / 100.0 * (sorted->len - 1);
  lo = (guint) floor (rank);
  v = g_array_index (sorted, gdouble, lo);
  if (lo + 1 < sorted->len)
    v += (rank - lo) * (g_array_index (sorted, gdouble, lo + 1) - v);
  g_array_unref (sorted);
  return v;
}

static void
row_free (ArticDevibenchSummaryRow *row)
{
  g_free (row->condition);
  g_free (row->task_type);
  g_free (row->codec);
  g_free (row->roi);
  g_free (row->trace);
  g_array_unref (row->answer_ms);
  g_array_unref (row->frame_ms);
  g_free (row);
}

typedef struct
{
  ArticDevibenchSummaryRow *row;
  gdouble kbps_sum;
  guint kbps_n;
  GArray *frame_p95;
} Acc;

static Acc *
acc_new (const ArticDevibenchResult *r, const gchar *task_type)
{
  Acc *a = g_new0 (Acc, 1);
  ArticDevibenchSummaryRow *row = g_new0 (ArticDevibenchSummaryRow, 1);

  row->condition = g_strdup (r->condition);
  row->task_type = g_strdup (task_type);
  row->clean = r->clean;
  row->codec = g_strdup (r->codec);
  row->roi = g_strdup (r->roi);
  row->trace = g_strdup (r->trace);
  row->width = r->width;
  row->height = r->height;
  row->target_kbps = r->target_kbps;
  row->loss = r->loss;
  row->delay_ms = r->delay_ms;
  row->answer_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  row->frame_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  a->row = row;
  a->frame_p95 = g_array_new (FALSE, FALSE, sizeof (gdouble));
  return a;
}

/* "ITEM|WxH" of the clean results that were right. */
static gchar *
clean_key (const ArticDevibenchResult *r)
{
  return g_strdup_printf ("%s|%ux%u", r->item, r->width, r->height);
}

static void
acc_add (Acc *a, const ArticDevibenchResult *r, GHashTable *clean_right)
{
  ArticDevibenchSummaryRow *row = a->row;

  row->items++;
  if (r->error != NULL) {
    row->errors++;
    return;
  }
  row->scored++;
  if (r->correct)
    row->correct++;
  if (clean_right != NULL) {
    gchar *key = clean_key (r);

    if (g_hash_table_contains (clean_right, key)) {
      row->ref_scored++;
      row->ref_correct += r->correct;
    }
    g_free (key);
  }
  if (r->achieved_kbps >= 0) {
    a->kbps_sum += r->achieved_kbps;
    a->kbps_n++;
  }
  if (r->answer_ms >= 0)
    g_array_append_val (row->answer_ms, r->answer_ms);
  if (r->frame_p50_ms >= 0)
    g_array_append_val (row->frame_ms, r->frame_p50_ms);
  if (r->frame_p95_ms >= 0)
    g_array_append_val (a->frame_p95, r->frame_p95_ms);
}

static ArticDevibenchSummaryRow *
acc_finish (Acc *a)
{
  ArticDevibenchSummaryRow *row = a->row;

  row->accuracy = row->scored > 0 ? (gdouble) row->correct / row->scored : -1;
  row->ref_accuracy
      = row->ref_scored > 0 ? (gdouble) row->ref_correct / row->ref_scored : -1;
  row->achieved_kbps = a->kbps_n > 0 ? a->kbps_sum / a->kbps_n : -1;
  row->answer_p50_ms = artic_devibench_percentile (row->answer_ms, 50);
  row->answer_p95_ms = artic_devibench_percentile (row->answer_ms, 95);
  /* Per item artic-recv reports its frames' p50 and p95: the condition's
   * p50 is the median item p50, its p95 the 95th percentile of item p95s. */
  row->frame_p50_ms = artic_devibench_percentile (row->frame_ms, 50);
  row->frame_p95_ms = artic_devibench_percentile (a->frame_p95, 95);
  g_array_unref (a->frame_p95);
  g_free (a);
  return row;
}

static Acc *
acc_lookup (GHashTable *index, GPtrArray *order, const gchar *key,
    const ArticDevibenchResult *r, const gchar *task_type)
{
  Acc *a = g_hash_table_lookup (index, key);

  if (a == NULL) {
    a = acc_new (r, task_type);
    g_hash_table_insert (index, g_strdup (key), a);
    g_ptr_array_add (order, a);
  }
  return a;
}

static gint
roi_rank (const gchar *roi)
{
  return g_strcmp0 (roi, "off") == 0 ? 0 : g_strcmp0 (roi, "on") == 0 ? 1 : 2;
}

/* Tables read best grouped: clean first, then larger frames, codec,
 * network, bitrate, ROI mode (uniform, model, oracle), task type. Workers
 * finish in any order, so the order of the results is no guide. */
static gint
row_cmp (gconstpointer pa, gconstpointer pb)
{
  const ArticDevibenchSummaryRow *a = *(ArticDevibenchSummaryRow *const *) pa;
  const ArticDevibenchSummaryRow *b = *(ArticDevibenchSummaryRow *const *) pb;
  gint c;

  if (a->clean != b->clean)
    return a->clean ? -1 : 1;
  if (a->width * a->height != b->width * b->height)
    return a->width * a->height > b->width * b->height ? -1 : 1;
  if ((c = g_strcmp0 (a->codec, b->codec)) != 0)
    return c;
  if ((c = g_strcmp0 (a->trace, b->trace)) != 0)
    return g_strcmp0 (a->trace, "none") == 0   ? -1
           : g_strcmp0 (b->trace, "none") == 0 ? 1
                                               : c;
  if (a->loss != b->loss)
    return a->loss < b->loss ? -1 : 1;
  if (a->delay_ms != b->delay_ms)
    return a->delay_ms < b->delay_ms ? -1 : 1;
  if (a->target_kbps != b->target_kbps)
    return a->target_kbps < b->target_kbps ? -1 : 1;
  if ((c = roi_rank (a->roi) - roi_rank (b->roi)) != 0)
    return c;
  if ((c = g_strcmp0 (a->condition, b->condition)) != 0)
    return c;
  return g_strcmp0 (a->task_type, b->task_type);
}

ArticDevibenchSummary *
artic_devibench_summary_new (GPtrArray *results)
{
  ArticDevibenchSummary *s = g_new0 (ArticDevibenchSummary, 1);
  GHashTable *last
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *index
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *order = g_ptr_array_new (), *task_order = g_ptr_array_new ();
  GHashTable *clean_right = NULL;
  guint i;

  s->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  s->by_task = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  /* The last record of a pair wins. */
  for (i = 0; i < results->len; i++) {
    ArticDevibenchResult *r = g_ptr_array_index (results, i);

    g_hash_table_insert (
        last, artic_devibench_result_key (r->item, r->condition), r);
  }
  for (i = 0; i < results->len; i++) {
    ArticDevibenchResult *r = g_ptr_array_index (results, i);
    gchar *key = artic_devibench_result_key (r->item, r->condition);

    if (r->clean && g_hash_table_lookup (last, key) == r) {
      if (clean_right == NULL)
        clean_right
            = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      if (r->error == NULL && r->correct)
        g_hash_table_add (clean_right, clean_key (r));
    }
    g_free (key);
  }
  for (i = 0; i < results->len; i++) {
    ArticDevibenchResult *r = g_ptr_array_index (results, i);
    gchar *key = artic_devibench_result_key (r->item, r->condition);
    gchar *tkey;

    if (g_hash_table_lookup (last, key) != r) {
      g_free (key);
      continue;
    }
    g_free (key);
    s->results++;
    if (r->error != NULL)
      s->errors++;
    acc_add (acc_lookup (index, order, r->condition, r, NULL), r, clean_right);
    tkey = g_strdup_printf ("%s\t%s", r->condition, r->task_type);
    acc_add (
        acc_lookup (index, task_order, tkey, r, r->task_type), r, clean_right);
    g_free (tkey);
  }
  for (i = 0; i < order->len; i++)
    g_ptr_array_add (s->rows, acc_finish (g_ptr_array_index (order, i)));
  for (i = 0; i < task_order->len; i++)
    g_ptr_array_add (
        s->by_task, acc_finish (g_ptr_array_index (task_order, i)));
  g_ptr_array_sort (s->rows, row_cmp);
  g_ptr_array_sort (s->by_task, row_cmp);
  g_ptr_array_unref (order);
  g_ptr_array_unref (task_order);
  g_hash_table_unref (index);
  g_hash_table_unref (last);
  if (clean_right != NULL)
    g_hash_table_unref (clean_right);
  return s;
}

void
artic_devibench_summary_free (ArticDevibenchSummary *s)
{
  if (s == NULL)
    return;
  g_ptr_array_unref (s->rows);
  g_ptr_array_unref (s->by_task);
  g_free (s);
}

/* A number for the tables: "" when unknown (< 0). */
static void
append_number (GString *s, gdouble v, const gchar *format)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (v >= 0)
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, format, v));
}

/* RFC 4180: a field with a comma, quote or line break is quoted. */
static void
csv_field (GString *s, const gchar *text)
{
  const gchar *p;

  if (strpbrk (text, ",\"\r\n") == NULL) {
    g_string_append (s, text);
    return;
  }
  g_string_append_c (s, '"');
  for (p = text; *p; p++) {
    if (*p == '"')
      g_string_append_c (s, '"');
    g_string_append_c (s, *p);
  }
  g_string_append_c (s, '"');
}

static void
csv_row (GString *s, const ArticDevibenchSummaryRow *r)
{
  csv_field (s, r->condition);
  g_string_append_c (s, ',');
  csv_field (s, r->task_type ? r->task_type : "all");
  g_string_append_c (s, ',');
  csv_field (s, r->clean ? "clean" : r->codec);
  g_string_append_printf (s, ",%u,%u,", r->width, r->height);
  append_number (s, r->clean ? -1 : r->target_kbps, "%.0f");
  g_string_append_printf (s, ",%s,", r->clean ? "off" : r->roi);
  csv_field (s, r->trace);
  g_string_append_c (s, ',');
  append_number (s, r->loss, "%g");
  g_string_append_printf (s, ",%u,%u,%u,%u,%u,", r->delay_ms, r->items,
      r->scored, r->correct, r->errors);
  append_number (s, r->accuracy, "%.4f");
  g_string_append_c (s, ',');
  append_number (s, r->achieved_kbps, "%.1f");
  g_string_append_c (s, ',');
  append_number (s, r->answer_p50_ms, "%.1f");
  g_string_append_c (s, ',');
  append_number (s, r->answer_p95_ms, "%.1f");
  g_string_append_c (s, ',');
  append_number (s, r->frame_p50_ms, "%.1f");
  g_string_append_c (s, ',');
  append_number (s, r->frame_p95_ms, "%.1f");
  g_string_append_printf (s, ",%u,%u,", r->ref_scored, r->ref_correct);
  append_number (s, r->ref_accuracy, "%.4f");
  g_string_append_c (s, '\n');
}

gchar *
artic_devibench_summary_csv (const ArticDevibenchSummary *s)
{
  GString *out = g_string_new (
      "condition,task_type,codec,width,height,target_kbps,roi,trace,"
      "loss_percent,delay_ms,items,scored,correct,errors,accuracy,"
      "achieved_kbps,answer_p50_ms,answer_p95_ms,frame_latency_p50_ms,"
      "frame_latency_p95_ms,clean_right_items,clean_right_correct,"
      "clean_right_accuracy\n");
  guint i;

  for (i = 0; i < s->rows->len; i++)
    csv_row (out, g_ptr_array_index (s->rows, i));
  for (i = 0; i < s->by_task->len; i++)
    csv_row (out, g_ptr_array_index (s->by_task, i));
  return g_string_free (out, FALSE);
}

static void
md_cell (GString *s, gdouble v, const gchar *format)
{
  g_string_append (s, " | ");
  if (v >= 0)
    append_number (s, v, format);
  else
    g_string_append (s, "-");
}

gchar *
artic_devibench_summary_markdown (const ArticDevibenchSummary *s)
{
  GString *out = g_string_new (NULL);
  guint i;

  g_string_append_printf (out,
      "%u item x condition results, %u with errors (not scored). "
      "\"On clean-right items\": accuracy on the items that the clean "
      "stream of the same size answered right (their number in "
      "brackets).\n\n"
      "| condition | items | errors | accuracy %% | on clean-right items %% "
      "| achieved kbps | answer p50 ms | answer p95 ms | frame p50 ms | "
      "frame p95 ms |\n"
      "|---|---|---|---|---|---|---|---|---|---|\n",
      s->results, s->errors);
  for (i = 0; i < s->rows->len; i++) {
    const ArticDevibenchSummaryRow *r = g_ptr_array_index (s->rows, i);

    g_string_append_printf (
        out, "| %s | %u | %u", r->condition, r->items, r->errors);
    md_cell (out, r->accuracy >= 0 ? 100 * r->accuracy : -1, "%.1f");
    if (r->ref_accuracy >= 0)
      g_string_append_printf (
          out, " | %.1f (%u)", 100 * r->ref_accuracy, r->ref_scored);
    else
      g_string_append (out, " | -");
    md_cell (out, r->achieved_kbps, "%.0f");
    md_cell (out, r->answer_p50_ms, "%.0f");
    md_cell (out, r->answer_p95_ms, "%.0f");
    md_cell (out, r->frame_p50_ms, "%.1f");
    md_cell (out, r->frame_p95_ms, "%.1f");
    g_string_append (out, " |\n");
  }
  g_string_append (out, "\nPer task type:\n\n"
                        "| condition | task type | items | errors | "
                        "accuracy % |\n|---|---|---|---|---|\n");
  for (i = 0; i < s->by_task->len; i++) {
    const ArticDevibenchSummaryRow *r = g_ptr_array_index (s->by_task, i);

    g_string_append_printf (out, "| %s | %s | %u | %u", r->condition,
        r->task_type, r->items, r->errors);
    md_cell (out, r->accuracy >= 0 ? 100 * r->accuracy : -1, "%.1f");
    g_string_append (out, " |\n");
  }
  return g_string_free (out, FALSE);
}
