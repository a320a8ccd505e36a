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

/* libFuzzer harness: context-channel messages come from the peer. What
 * parses must encode, and the encoding must parse to the same encoding. */

#include <string.h>

#include "artic-context.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  ArticContextMessage *m, *again;
  gchar *json, *json2;
  gsize len, len2;
  GError *error = NULL;

  m = artic_context_parse ((const gchar *) data, size, &error);
  if (m == NULL) {
    g_assert (error != NULL && error->domain == ARTIC_CONTEXT_ERROR);
    g_error_free (error);
    return 0;
  }
  /* Parsed messages are valid, so they encode unless the canonical form is
   * longer than the limit (e.g. many boxes written with few digits). */
  json = artic_context_encode (m, &len, &error);
  if (json == NULL) {
    g_assert (g_error_matches (
        error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE));
    g_error_free (error);
    artic_context_message_free (m);
    return 0;
  }
  again = artic_context_parse (json, len, NULL);
  g_assert (again != NULL && again->type == m->type);
  json2 = artic_context_encode (again, &len2, NULL);
  g_assert (json2 != NULL && len2 == len && memcmp (json, json2, len) == 0);
  g_free (json2);
  g_free (json);
  artic_context_message_free (again);
  artic_context_message_free (m);
  return 0;
}
