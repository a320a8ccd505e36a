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

/* libFuzzer harness: signaling messages arrive from unauthenticated
 * clients before the token is even checked by some deployments. What
 * parses must re-encode and parse back to the same message. */

#include <string.h>

#include "artic-signal.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  ArticSignalMessage *m, *again;
  gchar *json, *json2;
  gsize len, len2;
  GError *error = NULL;

  m = artic_signal_parse ((const gchar *) data, size, &error);
  if (m == NULL) {
    g_assert (error != NULL && error->domain == ARTIC_SIGNAL_ERROR);
    g_error_free (error);
    return 0;
  }
  json = artic_signal_encode (m, &len, NULL);
  g_assert (json != NULL);
  again = artic_signal_parse (json, len, NULL);
  g_assert (again != NULL);
  g_assert (memcmp (again->key.bytes, m->key.bytes, m->key.length) == 0);
  json2 = artic_signal_encode (again, &len2, NULL);
  g_assert (json2 != NULL && len2 == len && memcmp (json, json2, len) == 0);
  artic_srtp_secret_free (json);
  artic_srtp_secret_free (json2);
  artic_signal_message_free (again);
  artic_signal_message_free (m);
  return 0;
}
