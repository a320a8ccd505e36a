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

/* libFuzzer harness: artic-answerer's request parser sees raw HTTP bodies
 * from the network; what it accepts then goes through the prompt reader and
 * every reply format. The same bytes also go to the image header probe. */

#include <string.h>

#include "artic-answerer.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  ArticAnswererRequest *request;
  GError *error = NULL;
  gchar *param = NULL;
  guint w, h;

  if (artic_answerer_vision_probe (data, size, NULL, &w, &h))
    g_assert (w > 0 && h > 0 && w <= ARTIC_ANSWERER_VISION_MAX_DIM
              && h <= ARTIC_ANSWERER_VISION_MAX_DIM);

  request = artic_answerer_request_parse (
      (const gchar *) data, size, 4, &param, &error);
  if (request == NULL) {
    g_assert (error != NULL && error->domain == ARTIC_ANSWERER_ERROR);
    g_assert (g_utf8_validate (error->message, -1, NULL));
    g_error_free (error);
    g_free (param);
    return 0;
  }
  g_assert (error == NULL);
  g_assert (request->prompt != NULL && request->images->len > 0
            && request->images->len <= 4);
  {
    ArticAnswererQuery *query
        = artic_answerer_query_new (request->system, request->prompt);
    ArticAnswererMatch match
        = { TRUE, g_strdup ("X"), 50, 0, 0, 10, 10, 0, 0, 0, 0, 0, FALSE };
    ArticAnswererUsage usage;
    gchar *reply, *json;

    g_assert (query->future_frames <= ARTIC_ANSWERER_MAX_FUTURE_FRAMES);
    reply = artic_answerer_format_reply (query, &match, 640, 480);
    artic_answerer_usage_estimate (request, reply, &usage);
    json = artic_answerer_sse_body ("id", 0,
        request->model ? request->model : "m", reply, &usage,
        request->include_usage);
    g_assert (g_str_has_suffix (json, "data: [DONE]\n\n"));
    g_free (json);
    g_free (reply);
    artic_answerer_match_clear (&match);
    artic_answerer_query_free (query);
  }
  artic_answerer_request_free (request);
  return 0;
}
