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

/* DeViBench question sets: an RFC 4180 CSV reader and a loader for the
 * files exactly as the authors published them (v1 and v2). */

#ifndef __ARTIC_DEVIBENCH_CSV_H__
#define __ARTIC_DEVIBENCH_CSV_H__

#include <glib.h>

G_BEGIN_DECLS

#define ARTIC_DEVIBENCH_ERROR (artic_devibench_error_quark ())
GQuark artic_devibench_error_quark (void);

typedef enum
{
  ARTIC_DEVIBENCH_ERROR_SYNTAX,    /* CSV syntax: unterminated quote, ... */
  ARTIC_DEVIBENCH_ERROR_ENCODING,  /* not UTF-8 */
  ARTIC_DEVIBENCH_ERROR_HEADER,    /* not a DeViBench header */
  ARTIC_DEVIBENCH_ERROR_COLUMNS,   /* wrong number of fields in a row */
  ARTIC_DEVIBENCH_ERROR_VALUE,     /* a field that does not parse */
  ARTIC_DEVIBENCH_ERROR_TOO_LARGE, /* a field or a file beyond the limits */
} ArticDevibenchError;

/* Limits that keep a hostile file from exhausting memory. */
#define ARTIC_DEVIBENCH_CSV_MAX_FIELDS 256
#define ARTIC_DEVIBENCH_CSV_MAX_FIELD_BYTES (64 * 1024)

/* ---- RFC 4180 reader ---- */

typedef struct _ArticDevibenchCsv ArticDevibenchCsv;

/* Reads from @data (not copied: it must outlive the reader). A leading
 * UTF-8 byte-order mark is skipped. */
ArticDevibenchCsv *artic_devibench_csv_new (const gchar *data, gsize size);
void artic_devibench_csv_free (ArticDevibenchCsv *csv);

/* Reads the next record. Returns FALSE at the end of the data. On a
 * malformed record returns TRUE with *fields NULL and @error set (the message
 * starts with "line N:"); the reader then resumes at the next line, so one
 * bad record never hides the rest. On success *fields is a NULL-terminated
 * array of UTF-8 strings (g_strfreev) and *line the line the record starts
 * on (1-based). */
gboolean artic_devibench_csv_next (
    ArticDevibenchCsv *csv, gchar ***fields, guint *line, GError **error);

/* ---- DeViBench question sets ---- */

typedef enum
{
  ARTIC_DEVIBENCH_V1 = 1, /* multiple choice: options + letter answer */
  ARTIC_DEVIBENCH_V2 = 2, /* open-ended answers, Frame column */
} ArticDevibenchVersion;

typedef enum
{
  ARTIC_DEVIBENCH_FRAME_UNKNOWN, /* v1 has no Frame column */
  ARTIC_DEVIBENCH_FRAME_SINGLE,
  ARTIC_DEVIBENCH_FRAME_MULTI,
} ArticDevibenchFrame;

typedef struct
{
  guint line;         /* line of the CSV file the row starts on */
  gchar *sample;      /* v2 sample_id ("10"), v1 sample_folder ("sample_1") */
  gdouble start_time; /* seconds into the video; the segment lasts 5 s */
  gchar *question;
  gchar *options; /* v1 only ("A) ... B) ..."), NULL for v2 */
  gchar *answer;  /* v2 std_answer, v1 standard_answer ("A".."D") */
  ArticDevibenchFrame frame;
  gchar *task_type;
} ArticDevibenchItem;

typedef struct
{
  ArticDevibenchVersion version;
  GPtrArray *items;  /* ArticDevibenchItem*, in file order */
  GPtrArray *errors; /* gchar*: one "line N: ..." message per rejected row */
} ArticDevibenchSet;

/* Loads a question set. A file whose header is neither the v1 nor the v2
 * header fails with ARTIC_DEVIBENCH_ERROR_HEADER; a bad row is reported in
 * set->errors and skipped, and the rest still loads. @name only prefixes
 * messages. */
ArticDevibenchSet *artic_devibench_set_load_data (
    const gchar *data, gsize size, const gchar *name, GError **error);
ArticDevibenchSet *artic_devibench_set_load_file (
    const gchar *path, GError **error);
void artic_devibench_set_free (ArticDevibenchSet *set);

const gchar *artic_devibench_frame_name (ArticDevibenchFrame frame);
/* "single"/"multi" (any case) -> frame; UNKNOWN for anything else. */
ArticDevibenchFrame artic_devibench_frame_from_string (const gchar *s);

/* The six task types of the published files, in the README's order. */
extern const gchar *const artic_devibench_task_types[];
#define ARTIC_DEVIBENCH_N_TASK_TYPES 6

G_END_DECLS

#endif /* __ARTIC_DEVIBENCH_CSV_H__ */
