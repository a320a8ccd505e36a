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

/* Guards shared by every JSON parser in artic (box feedback, the context
 * channel, signaling, the answerer's requests). It lives in roi/, the lowest
 * library that parses JSON. */

#include "artic-json.h"

/* json-glib's parser recurses, so hostile input of 100000 '[' must be
 * refused before it sees it. Returns TRUE when no array or object in @json
 * nests deeper than @max_depth; brackets inside strings do not count. */
gboolean
artic_json_depth_within (const gchar *json, gsize length, guint max_depth)
{
  gsize i;
  guint depth = 0;
  gboolean in_string = FALSE, escaped = FALSE;

  for (i = 0; i < length; i++) {
    gchar c = json[i];

    if (in_string) {
      if (escaped)
        escaped = FALSE;
      else if (c == '\\')
        escaped = TRUE;
      else if (c == '"')
        in_string = FALSE;
    } else if (c == '"') {
      in_string = TRUE;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        return FALSE;
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
  }
  return TRUE;
}
