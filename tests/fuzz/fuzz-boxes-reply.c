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

/* libFuzzer harness: the model's reply to the boxes prompt comes from the
 * network (the MLLM endpoint). Whatever becomes a boxes message must be a
 * valid one: it parses back as `boxes` with 1..16 frames. */

#include <string.h>

#include "artic-context.h"
#include "artic-peer-cli.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  gchar *reply = g_strndup ((const gchar *) data, size);
  GError *error = NULL;
  gchar *json = artic_peer_cli_boxes_message (7, reply, 1000, 500000, &error);
  ArticContextMessage *m;

  if (json == NULL) {
    g_assert (error != NULL);
    g_error_free (error);
    g_free (reply);
    return 0;
  }
  m = artic_context_parse (json, strlen (json), NULL);
  g_assert (m != NULL && m->type == ARTIC_CONTEXT_BOXES);
  g_assert (m->frames->len >= 1 && m->frames->len <= ARTIC_CONTEXT_MAX_FRAMES);
  g_assert (m->question_id == 7);
  artic_context_message_free (m);
  g_free (json);
  g_free (reply);
  return 0;
}
