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

#include <string.h>

#include "answerer-inproc.h"
#include "artic-answerer-testkit.h"

gchar *
answerer_inproc_respond (ArticAnswererVision *vision, const gchar *prompt,
    GBytes *const *images, guint n, GError **error)
{
  gchar **urls = g_new0 (gchar *, n + 1);
  ArticAnswererRequest *request;
  ArticAnswererQuery *query;
  GError *parse_error = NULL;
  gchar *body, *reply;
  guint i;

  for (i = 0; i < n; i++)
    urls[i] = artic_answerer_testkit_data_url (images[i], "image/jpeg");
  body = artic_answerer_testkit_request (
      prompt, (const gchar *const *) urls, FALSE, FALSE);
  request = artic_answerer_request_parse (
      body, strlen (body), 0, NULL, &parse_error);
  g_assert_no_error (parse_error);
  query = artic_answerer_query_new (request->system, request->prompt);
  reply = artic_answerer_respond (vision, request, query, error);
  artic_answerer_query_free (query);
  artic_answerer_request_free (request);
  g_free (body);
  g_strfreev (urls);
  return reply;
}
