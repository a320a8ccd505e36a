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

/* libFuzzer harness: lite-suite manifests (JSON from anywhere). */

#include <string.h>

#include "artic-devibench-lite.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  GError *error = NULL;
  ArticDevibenchLiteSuite *suite = artic_devibench_lite_suite_from_json (
      (const gchar *) data, size, &error);
  gchar *json, *again;
  ArticDevibenchLiteSuite *reread;

  if (suite == NULL) {
    g_assert (error != NULL);
    g_error_free (error);
    return 0;
  }
  /* Whatever was accepted writes back and reads as the same suite. */
  json = artic_devibench_lite_suite_to_json (suite);
  reread = artic_devibench_lite_suite_from_json (json, strlen (json), &error);
  g_assert_no_error (error);
  again = artic_devibench_lite_suite_to_json (reread);
  g_assert (strcmp (json, again) == 0);
  g_free (again);
  g_free (json);
  artic_devibench_lite_suite_free (reread);
  artic_devibench_lite_suite_free (suite);
  return 0;
}
