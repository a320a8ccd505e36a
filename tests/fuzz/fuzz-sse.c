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

/* libFuzzer harness: the SSE parser and the chat.completion.chunk parser
 * see raw bytes from the network. The input is fed in pieces whose sizes
 * come from the input itself, so that line ends split across reads are
 * explored too; every event goes through the chunk parser. */

#include <string.h>

#include "artic-mllm-client.h"
#include "artic-sse.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

static gboolean
on_event (const gchar *event, const gchar *text, gsize size, gpointer user_data)
{
  ArticMllmChunk chunk;
  gsize *total = user_data;

  g_assert (strlen (text) == size);
  *total += size;
  if (artic_mllm_chunk_parse (text, size, &chunk, NULL))
    artic_mllm_chunk_clear (&chunk);
  g_free (artic_mllm_parse_error_message (text, size));
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  gsize total = 0, i = 0;
  ArticSseParser *parser = artic_sse_parser_new (512, 2048, on_event, &total);
  guint8 step = size > 0 ? data[0] : 1;
  gboolean ok = TRUE;

  while (ok && i < size) {
    gsize n = MIN ((gsize) (step % 17) + 1, size - i);

    ok = artic_sse_parser_feed (parser, (const gchar *) data + i, n, NULL);
    i += n;
  }
  if (ok)
    artic_sse_parser_finish (parser, NULL);
  /* Events can never outgrow the cap. */
  g_assert (artic_sse_parser_get_events (parser) == 0 || total <= size);
  artic_sse_parser_free (parser);
  {
    gchar *text = g_strndup ((const gchar *) data, size);

    artic_mllm_parse_retry_after (text, 0);
    g_free (text);
  }
  return 0;
}
