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

/* Server-sent events, parsed as the WHATWG HTML standard describes
 * ("Interpreting an event stream"), minus the parts a chat client never
 * needs (reconnection and last-event-id). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "artic-sse.h"

struct _ArticSseParser
{
  gsize max_line;
  gsize max_event;
  ArticSseEventFunc func;
  gpointer user_data;

  GString *line;
  GString *data;
  gchar *event;
  gboolean have_data;
  /* The previous piece ended in CR: a LF that starts the next one belongs to
   * the same line end. */
  gboolean skip_lf;
  gboolean stopped;
  guint64 comments;
  guint64 events;
};

G_DEFINE_QUARK (artic - sse - error - quark, artic_sse_error)

ArticSseParser *
artic_sse_parser_new (
    gsize max_line, gsize max_event, ArticSseEventFunc func, gpointer user_data)
{
  ArticSseParser *parser = g_new0 (ArticSseParser, 1);

  parser->max_line = MAX (max_line, 16);
  parser->max_event = MAX (max_event, 16);
  parser->func = func;
  parser->user_data = user_data;
  /* Small initial sizes: the caps bound growth, not the first allocation. */
  parser->line = g_string_sized_new (256);
  parser->data = g_string_sized_new (256);
  return parser;
}

void
artic_sse_parser_free (ArticSseParser *parser)
{
  if (parser == NULL)
    return;
  g_string_free (parser->line, TRUE);
  g_string_free (parser->data, TRUE);
  g_free (parser->event);
  g_free (parser);
}

guint64
artic_sse_parser_get_comments (const ArticSseParser *parser)
{
  return parser->comments;
}

guint64
artic_sse_parser_get_events (const ArticSseParser *parser)
{
  return parser->events;
}

static gboolean
artic_sse_dispatch (ArticSseParser *parser)
{
  gboolean go_on = TRUE;

  /* An event without data lines is not dispatched (the standard's rule). */
  if (parser->have_data) {
    /* Every data line appended a "\n"; the last one is not part of it. */
    g_string_truncate (parser->data, parser->data->len - 1);
    parser->events++;
    if (parser->func != NULL)
      go_on = parser->func (parser->event, parser->data->str, parser->data->len,
          parser->user_data);
  }
  g_string_truncate (parser->data, 0);
  g_clear_pointer (&parser->event, g_free);
  parser->have_data = FALSE;
  return go_on;
}

static gboolean
artic_sse_process_line (ArticSseParser *parser, GError **error)
{
  const gchar *line = parser->line->str;
  gsize len = parser->line->len;
  const gchar *colon, *value;
  gsize field_len, value_len;

  if (len == 0)
    return artic_sse_dispatch (parser);
  if (line[0] == ':') {
    /* Keep-alive comments (llama.cpp, proxies). */
    parser->comments++;
    return TRUE;
  }
  colon = memchr (line, ':', len);
  field_len = colon != NULL ? (gsize) (colon - line) : len;
  value = colon != NULL ? colon + 1 : line + len;
  if (colon != NULL && value < line + len && *value == ' ')
    value++;
  value_len = line + len - value;

  if (field_len == 4 && memcmp (line, "data", 4) == 0) {
    if (parser->data->len + value_len + 1 > parser->max_event) {
      g_set_error (error, ARTIC_SSE_ERROR, ARTIC_SSE_ERROR_EVENT_TOO_LONG,
          "an event is longer than %" G_GSIZE_FORMAT " bytes",
          parser->max_event);
      return FALSE;
    }
    g_string_append_len (parser->data, value, value_len);
    g_string_append_c (parser->data, '\n');
    parser->have_data = TRUE;
  } else if (field_len == 5 && memcmp (line, "event", 5) == 0) {
    g_free (parser->event);
    parser->event = g_strndup (value, value_len);
  }
  /* id, retry and unknown fields: nothing a chat client uses. */
  return TRUE;
}

/* Returns FALSE on an error (set) or when the callback asked to stop. */
gboolean
artic_sse_parser_feed (
    ArticSseParser *parser, const gchar *data, gsize size, GError **error)
{
  gsize i = 0;

  if (parser->stopped)
    return FALSE;
  while (i < size) {
    const gchar *p = data + i;
    gsize rest = size - i, n = 0;

    if (parser->skip_lf) {
      parser->skip_lf = FALSE;
      if (*p == '\n') {
        i++;
        continue;
      }
    }
    /* The run of ordinary bytes up to the next line end. */
    while (n < rest && p[n] != '\n' && p[n] != '\r' && p[n] != '\0')
      n++;
    /* A NUL would silently cut the event short for every C consumer. */
    if (n < rest && p[n] == '\0') {
      g_set_error (error, ARTIC_SSE_ERROR, ARTIC_SSE_ERROR_BINARY,
          "a NUL byte in the event stream");
      parser->stopped = TRUE;
      return FALSE;
    }
    if (parser->line->len + n > parser->max_line) {
      g_set_error (error, ARTIC_SSE_ERROR, ARTIC_SSE_ERROR_LINE_TOO_LONG,
          "a line is longer than %" G_GSIZE_FORMAT " bytes", parser->max_line);
      parser->stopped = TRUE;
      return FALSE;
    }
    g_string_append_len (parser->line, p, n);
    i += n;
    if (n == rest)
      break;
    parser->skip_lf = p[n] == '\r';
    i++;
    if (!artic_sse_process_line (parser, error)) {
      parser->stopped = TRUE;
      return FALSE;
    }
    g_string_truncate (parser->line, 0);
  }
  return TRUE;
}

/* The stream ended. A last event whose blank line is missing is still
 * dispatched, but a line cut short means the stream was truncated. */
gboolean
artic_sse_parser_finish (ArticSseParser *parser, GError **error)
{
  if (parser->stopped)
    return FALSE;
  parser->stopped = TRUE;
  if (parser->line->len > 0) {
    g_set_error (error, ARTIC_SSE_ERROR, ARTIC_SSE_ERROR_TRUNCATED,
        "the stream ended in the middle of a line");
    return FALSE;
  }
  return artic_sse_dispatch (parser);
}
