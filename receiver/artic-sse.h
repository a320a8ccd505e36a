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

/* Incremental parser of server-sent events (the WHATWG "text/event-stream"
 * format) as streamed by OpenAI-compatible chat servers. Input arrives in
 * arbitrary pieces; lines may end in LF, CRLF or CR, and a CRLF may be split
 * between two pieces. Memory is bounded: a line or an event longer than the
 * configured caps is an error, never a reallocation without end. */

#ifndef __ARTIC_SSE_H__
#define __ARTIC_SSE_H__

#include <glib.h>

G_BEGIN_DECLS

#define ARTIC_SSE_ERROR (artic_sse_error_quark ())

typedef enum
{
  ARTIC_SSE_ERROR_LINE_TOO_LONG,
  ARTIC_SSE_ERROR_EVENT_TOO_LONG,
  ARTIC_SSE_ERROR_TRUNCATED,
  ARTIC_SSE_ERROR_BINARY, /* a NUL byte: not a text stream */
} ArticSseError;

/* Called once per complete event. @data is the event's data lines joined
 * with "\n", NUL-terminated; @event is its "event:" type or NULL. Return
 * FALSE to stop parsing (artic_sse_parser_feed() then returns FALSE without
 * setting an error). */
typedef gboolean (*ArticSseEventFunc) (
    const gchar *event, const gchar *data, gsize size, gpointer user_data);

typedef struct _ArticSseParser ArticSseParser;

GQuark artic_sse_error_quark (void);
ArticSseParser *artic_sse_parser_new (gsize max_line, gsize max_event,
    ArticSseEventFunc func, gpointer user_data);
void artic_sse_parser_free (ArticSseParser *parser);
gboolean artic_sse_parser_feed (
    ArticSseParser *parser, const gchar *data, gsize size, GError **error);
gboolean artic_sse_parser_finish (ArticSseParser *parser, GError **error);
guint64 artic_sse_parser_get_comments (const ArticSseParser *parser);
guint64 artic_sse_parser_get_events (const ArticSseParser *parser);

G_END_DECLS

#endif /* __ARTIC_SSE_H__ */
