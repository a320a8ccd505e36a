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

/* RFC 4180 CSV reader and DeViBench question-set loader.
 *
 * The published files are not perfectly tidy: both start with a UTF-8
 * byte-order mark, lines end in CRLF while newlines inside quoted fields
 * are bare LF, and v1 keeps its options on several lines. The reader takes
 * all of that; what it cannot take is reported per record with the line it
 * starts on, and reading goes on at the next line. */

#include <math.h>
#include <string.h>

#include "artic-devibench-csv.h"

G_DEFINE_QUARK (artic_devibench_error_quark, artic_devibench_error);

const gchar *const artic_devibench_task_types[] = {
  "Text-Rich Understanding",
  "Attribute Perception",
  "Object Perception",
  "Counting",
  "Action Perception",
  "Spatial Understanding",
  NULL,
};

static const gchar *const v1_header[] = { "sample_folder", "start_time",
  "question", "options", "standard_answer", "task_type", NULL };
static const gchar *const v2_header[] = { "sample_id", "start_time", "question",
  "std_answer", "Frame", "task_type", NULL };
#define N_COLUMNS 6

/* Larger than any sensible start time (about four months of video). */
#define MAX_START_TIME 1e7

struct _ArticDevibenchCsv
{
  const gchar *data;
  gsize size;
  gsize pos;
  guint line; /* line number of data[pos] */
};

ArticDevibenchCsv *
artic_devibench_csv_new (const gchar *data, gsize size)
{
  ArticDevibenchCsv *csv = g_new0 (ArticDevibenchCsv, 1);

  csv->data = data;
  csv->size = data != NULL ? size : 0;
  csv->line = 1;
  if (csv->size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    csv->pos = 3;
  return csv;
}

void
artic_devibench_csv_free (ArticDevibenchCsv *csv)
{
  g_free (csv);
}

/* Moves past the end of the physical line holding @from, so that reading
 * resumes on a fresh line after a malformed record. */
static void
resync_after (ArticDevibenchCsv *csv, gsize from, guint from_line)
{
  const gchar *nl = memchr (csv->data + from, '\n', csv->size - from);

  csv->pos = nl != NULL ? (gsize) (nl - csv->data) + 1 : csv->size;
  csv->line = from_line + 1;
}

/* Consumes a line ending at pos if there is one (CRLF, LF or a lone CR). */
static gboolean
eat_line_end (ArticDevibenchCsv *csv)
{
  if (csv->pos >= csv->size)
    return FALSE;
  if (csv->data[csv->pos] == '\n') {
    csv->pos++;
  } else if (csv->data[csv->pos] == '\r') {
    csv->pos++;
    if (csv->pos < csv->size && csv->data[csv->pos] == '\n')
      csv->pos++;
  } else {
    return FALSE;
  }
  csv->line++;
  return TRUE;
}

typedef struct
{
  GPtrArray *fields;
  GString *field;
  gboolean too_large;
} Record;

static void
append_byte (Record *rec, gchar c)
{
  if (rec->field->len >= ARTIC_DEVIBENCH_CSV_MAX_FIELD_BYTES)
    rec->too_large = TRUE;
  else
    g_string_append_c (rec->field, c);
}

static void
end_field (Record *rec)
{
  if (rec->fields->len >= ARTIC_DEVIBENCH_CSV_MAX_FIELDS)
    rec->too_large = TRUE;
  else
    g_ptr_array_add (rec->fields, g_strndup (rec->field->str, rec->field->len));
  g_string_truncate (rec->field, 0);
}

/* Reads a quoted field; pos is on the opening quote. Returns FALSE if the
 * data ends before the closing quote. */
static gboolean
read_quoted (ArticDevibenchCsv *csv, Record *rec)
{
  csv->pos++;
  while (csv->pos < csv->size) {
    gchar c = csv->data[csv->pos];

    if (c == '"') {
      if (csv->pos + 1 < csv->size && csv->data[csv->pos + 1] == '"') {
        append_byte (rec, '"');
        csv->pos += 2;
        continue;
      }
      csv->pos++;
      return TRUE;
    }
    if (c == '\n')
      csv->line++;
    append_byte (rec, c);
    csv->pos++;
  }
  return FALSE;
}

/* Reads an unquoted field up to a comma, a line end or the end. A quote
 * inside an unquoted field is kept as a literal (RFC 4180 forbids it, but
 * rejecting `5" screen` would help nobody). */
static void
read_plain (ArticDevibenchCsv *csv, Record *rec)
{
  while (csv->pos < csv->size) {
    gchar c = csv->data[csv->pos];

    if (c == ',' || c == '\n' || c == '\r')
      return;
    append_byte (rec, c);
    csv->pos++;
  }
}

static gboolean
is_blank_line (ArticDevibenchCsv *csv)
{
  gchar c = csv->data[csv->pos];

  return c == '\n' || c == '\r';
}

static gboolean
check_utf8 (GPtrArray *fields, guint line, GError **error)
{
  guint i;

  for (i = 0; i < fields->len; i++) {
    if (!g_utf8_validate (g_ptr_array_index (fields, i), -1, NULL)) {
      g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_ENCODING,
          "line %u: field %u is not valid UTF-8", line, i + 1);
      return FALSE;
    }
  }
  return TRUE;
}

static void
record_clear (Record *rec)
{
  g_ptr_array_unref (rec->fields);
  g_string_free (rec->field, TRUE);
}

gboolean
artic_devibench_csv_next (
    ArticDevibenchCsv *csv, gchar ***fields, guint *line, GError **error)
{
  Record rec;
  gsize start_pos;
  guint start_line;

  *fields = NULL;
  /* Empty lines between records (and at the end) carry no record. */
  while (csv->pos < csv->size && is_blank_line (csv))
    eat_line_end (csv);
  if (csv->pos >= csv->size)
    return FALSE;

  start_pos = csv->pos;
  start_line = csv->line;
  *line = start_line;
  rec.fields = g_ptr_array_new_with_free_func (g_free);
  rec.field = g_string_new (NULL);
  rec.too_large = FALSE;

  for (;;) {
    if (csv->pos < csv->size && csv->data[csv->pos] == '"') {
      if (!read_quoted (csv, &rec)) {
        g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_SYNTAX,
            "line %u: quoted field is never closed", start_line);
        resync_after (csv, start_pos, start_line);
        record_clear (&rec);
        return TRUE;
      }
      if (csv->pos < csv->size && csv->data[csv->pos] != ','
          && csv->data[csv->pos] != '\n' && csv->data[csv->pos] != '\r') {
        guint bad_line = csv->line;

        g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_SYNTAX,
            "line %u: unexpected character after a closing quote", bad_line);
        resync_after (csv, csv->pos, bad_line);
        record_clear (&rec);
        return TRUE;
      }
    } else {
      read_plain (csv, &rec);
    }
    end_field (&rec);
    if (csv->pos < csv->size && csv->data[csv->pos] == ',') {
      csv->pos++;
      continue;
    }
    eat_line_end (csv);
    break;
  }

  if (rec.too_large) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_TOO_LARGE,
        "line %u: record exceeds %u fields or %u bytes per field", start_line,
        ARTIC_DEVIBENCH_CSV_MAX_FIELDS, ARTIC_DEVIBENCH_CSV_MAX_FIELD_BYTES);
  } else if (check_utf8 (rec.fields, start_line, error)) {
    g_ptr_array_add (rec.fields, NULL);
    *fields = (gchar **) g_ptr_array_steal (rec.fields, NULL);
  }
  record_clear (&rec);
  return TRUE;
}

/* ---- question sets ---- */

const gchar *
artic_devibench_frame_name (ArticDevibenchFrame frame)
{
  switch (frame) {
    case ARTIC_DEVIBENCH_FRAME_SINGLE:
      return "Single";
    case ARTIC_DEVIBENCH_FRAME_MULTI:
      return "Multi";
    default:
      return "";
  }
}

ArticDevibenchFrame
artic_devibench_frame_from_string (const gchar *s)
{
  if (s == NULL)
    return ARTIC_DEVIBENCH_FRAME_UNKNOWN;
  if (g_ascii_strcasecmp (s, "single") == 0)
    return ARTIC_DEVIBENCH_FRAME_SINGLE;
  if (g_ascii_strcasecmp (s, "multi") == 0)
    return ARTIC_DEVIBENCH_FRAME_MULTI;
  return ARTIC_DEVIBENCH_FRAME_UNKNOWN;
}

static void
item_free (gpointer data)
{
  ArticDevibenchItem *item = data;

  g_free (item->sample);
  g_free (item->question);
  g_free (item->options);
  g_free (item->answer);
  g_free (item->task_type);
  g_free (item);
}

void
artic_devibench_set_free (ArticDevibenchSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->items);
  g_ptr_array_unref (set->errors);
  g_free (set);
}

static gboolean
header_is (gchar **fields, const gchar *const *expected)
{
  guint i;

  for (i = 0; expected[i] != NULL; i++) {
    if (fields[i] == NULL || strcmp (g_strstrip (fields[i]), expected[i]) != 0)
      return FALSE;
  }
  return fields[i] == NULL;
}

static gboolean
parse_start_time (const gchar *text, gdouble *out)
{
  gchar *copy = g_strstrip (g_strdup (text));
  gchar *end = NULL;
  gdouble v = g_ascii_strtod (copy, &end);
  gboolean ok = *copy != '\0' && end != NULL && *end == '\0' && isfinite (v)
                && v >= 0 && v <= MAX_START_TIME;

  g_free (copy);
  *out = v;
  return ok;
}

/* Trimmed copy, or NULL (with @error) when the trimmed text is empty. */
static gchar *
required (const gchar *text, const gchar *column, guint line, GError **error)
{
  gchar *copy = g_strstrip (g_strdup (text));

  if (*copy == '\0') {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "line %u: %s is empty", line, column);
    g_free (copy);
    return NULL;
  }
  return copy;
}

/* Column indices are the same in v1 and v2 except that v1 has options at 3
 * and the answer at 4, v2 the answer at 3 and Frame at 4. */
static ArticDevibenchItem *
parse_row (ArticDevibenchVersion version, gchar **f, guint line, GError **error)
{
  ArticDevibenchItem *item;
  guint n = g_strv_length (f);

  if (n != N_COLUMNS) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_COLUMNS,
        "line %u: expected %d fields, found %u", line, N_COLUMNS, n);
    return NULL;
  }
  item = g_new0 (ArticDevibenchItem, 1);
  item->line = line;
  if (!parse_start_time (f[1], &item->start_time)) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "line %u: start_time '%.40s' is not a number of seconds", line, f[1]);
    goto fail;
  }
  if ((item->sample = required (f[0],
           version == ARTIC_DEVIBENCH_V1 ? "sample_folder" : "sample_id", line,
           error))
          == NULL
      || (item->question = required (f[2], "question", line, error)) == NULL
      || (item->task_type = required (f[5], "task_type", line, error)) == NULL)
    goto fail;

  if (version == ARTIC_DEVIBENCH_V2) {
    if ((item->answer = required (f[3], "std_answer", line, error)) == NULL)
      goto fail;
    item->frame = artic_devibench_frame_from_string (g_strstrip (f[4]));
    if (item->frame == ARTIC_DEVIBENCH_FRAME_UNKNOWN) {
      g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
          "line %u: Frame '%.40s' is neither Single nor Multi", line, f[4]);
      goto fail;
    }
  } else {
    if ((item->options = required (f[3], "options", line, error)) == NULL
        || (item->answer = required (f[4], "standard_answer", line, error))
               == NULL)
      goto fail;
    if (strlen (item->answer) != 1 || item->answer[0] < 'A'
        || item->answer[0] > 'D') {
      g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
          "line %u: standard_answer '%.40s' is not a letter A-D", line,
          item->answer);
      goto fail;
    }
  }
  return item;

fail:
  item_free (item);
  return NULL;
}

static ArticDevibenchVersion
read_header (ArticDevibenchCsv *csv, const gchar *name, GError **error)
{
  gchar **fields = NULL;
  guint line = 0;
  GError *local = NULL;
  ArticDevibenchVersion version = 0;

  if (!artic_devibench_csv_next (csv, &fields, &line, &local)) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_HEADER,
        "%s: empty file", name);
    return 0;
  }
  if (local != NULL) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_HEADER,
        "%s: unreadable header: %s", name, local->message);
    g_error_free (local);
    return 0;
  }
  if (header_is (fields, v2_header))
    version = ARTIC_DEVIBENCH_V2;
  else if (header_is (fields, v1_header))
    version = ARTIC_DEVIBENCH_V1;
  else
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_HEADER,
        "%s: line %u: not a DeViBench header (expected "
        "sample_id,start_time,question,std_answer,Frame,task_type or "
        "sample_folder,start_time,question,options,standard_answer,task_type)",
        name, line);
  g_strfreev (fields);
  return version;
}

ArticDevibenchSet *
artic_devibench_set_load_data (
    const gchar *data, gsize size, const gchar *name, GError **error)
{
  ArticDevibenchCsv *csv = artic_devibench_csv_new (data, size);
  ArticDevibenchSet *set;
  ArticDevibenchVersion version;
  gchar **fields;
  guint line;

  if (name == NULL)
    name = "(data)";
  version = read_header (csv, name, error);
  if (version == 0) {
    artic_devibench_csv_free (csv);
    return NULL;
  }
  set = g_new0 (ArticDevibenchSet, 1);
  set->version = version;
  set->items = g_ptr_array_new_with_free_func (item_free);
  set->errors = g_ptr_array_new_with_free_func (g_free);

  for (;;) {
    GError *row_error = NULL;
    ArticDevibenchItem *item = NULL;

    if (!artic_devibench_csv_next (csv, &fields, &line, &row_error))
      break;
    if (fields != NULL)
      item = parse_row (version, fields, line, &row_error);
    if (item != NULL)
      g_ptr_array_add (set->items, item);
    else
      g_ptr_array_add (set->errors, g_strdup (row_error->message));
    g_clear_error (&row_error);
    g_strfreev (fields);
  }
  artic_devibench_csv_free (csv);
  return set;
}

ArticDevibenchSet *
artic_devibench_set_load_file (const gchar *path, GError **error)
{
  gchar *data = NULL;
  gsize size = 0;
  ArticDevibenchSet *set;

  if (!g_file_get_contents (path, &data, &size, error))
    return NULL;
  set = artic_devibench_set_load_data (data, size, path, error);
  g_free (data);
  return set;
}
