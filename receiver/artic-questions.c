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

/* The questions file is user input: every malformed line is an error that
 * names its line number, never a silently skipped question. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gio/gio.h>
#include <string.h>

#include "artic-questions.h"

static void
artic_question_clear (gpointer data)
{
  g_free (((ArticQuestion *) data)->text);
}

static gint
artic_question_compare (gconstpointer a, gconstpointer b)
{
  const ArticQuestion *qa = a, *qb = b;

  return qa->time_s < qb->time_s ? -1 : qa->time_s > qb->time_s;
}

/* Returns the questions sorted by time (stable for equal times). */
GArray *
artic_questions_parse (const gchar *text, gsize size, GError **error)
{
  GArray *questions = g_array_new (FALSE, FALSE, sizeof (ArticQuestion));
  gchar *copy, **lines;
  guint i;

  g_array_set_clear_func (questions, artic_question_clear);
  if (size > ARTIC_QUESTIONS_MAX_BYTES || memchr (text, '\0', size) != NULL
      || !g_utf8_validate (text, size, NULL)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "not a text file of at most %d bytes", ARTIC_QUESTIONS_MAX_BYTES);
    g_array_unref (questions);
    return NULL;
  }
  copy = g_strndup (text, size);
  lines = g_strsplit (copy, "\n", -1);
  g_free (copy);
  for (i = 0; lines[i] != NULL; i++) {
    gchar *line = g_strstrip (lines[i]);
    gchar *tab, *end = NULL;
    ArticQuestion q;

    if (*line == '\0' || *line == '#')
      continue;
    tab = strchr (line, '\t');
    if (tab != NULL) {
      *tab = '\0';
      q.time_s = g_ascii_strtod (line, &end);
    }
    if (tab == NULL || end == line || *end != '\0' || !(q.time_s >= 0)
        || q.time_s > 1e7) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "line %u: expected SECONDS<TAB>question, SECONDS >= 0", i + 1);
      goto fail;
    }
    q.text = g_strstrip (g_strdup (tab + 1));
    if (*q.text == '\0' || strlen (q.text) > ARTIC_QUESTIONS_MAX_LENGTH) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "line %u: the question is empty or longer than %d bytes", i + 1,
          ARTIC_QUESTIONS_MAX_LENGTH);
      g_free (q.text);
      goto fail;
    }
    g_array_append_val (questions, q);
  }
  g_strfreev (lines);
  g_array_sort (questions, artic_question_compare);
  return questions;

fail:
  g_strfreev (lines);
  g_array_unref (questions);
  return NULL;
}

GArray *
artic_questions_load (const gchar *path, GError **error)
{
  gchar *text = NULL;
  gsize size = 0;
  GArray *questions;
  GError *local = NULL;

  if (!g_file_get_contents (path, &text, &size, error))
    return NULL;
  questions = artic_questions_parse (text, size, &local);
  if (questions == NULL)
    g_set_error (
        error, local->domain, local->code, "%s: %s", path, local->message);
  g_clear_error (&local);
  g_free (text);
  return questions;
}
