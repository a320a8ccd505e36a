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

/* libFuzzer harness: DeViBench CSV files (the reader and the loader). */

#include <string.h>

#include "artic-devibench-csv.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  ArticDevibenchCsv *csv = artic_devibench_csv_new ((const gchar *) data, size);
  ArticDevibenchSet *set;
  gchar **fields;
  guint line, last_line = 0, records = 0;
  GError *error = NULL;

  /* Records come in file order, each either fields or an error, and the
   * reader always advances (at most one record per byte, plus one). */
  while (artic_devibench_csv_next (csv, &fields, &line, &error)) {
    g_assert (line > last_line || (line == last_line && line == 0));
    g_assert ((fields == NULL) != (error == NULL));
    last_line = line;
    if (fields != NULL) {
      guint i;

      g_assert (g_strv_length (fields) <= ARTIC_DEVIBENCH_CSV_MAX_FIELDS);
      for (i = 0; fields[i] != NULL; i++)
        g_assert (g_utf8_validate (fields[i], -1, NULL));
    } else {
      g_assert (g_str_has_prefix (error->message, "line "));
    }
    g_clear_error (&error);
    g_strfreev (fields);
    g_assert (++records <= size + 1);
  }
  artic_devibench_csv_free (csv);

  set = artic_devibench_set_load_data (
      (const gchar *) data, size, "fuzz", &error);
  if (set != NULL) {
    guint i;

    g_assert_no_error (error);
    for (i = 0; i < set->items->len; i++) {
      ArticDevibenchItem *item = g_ptr_array_index (set->items, i);

      g_assert (item->question[0] != '\0' && item->answer[0] != '\0');
      g_assert (item->start_time >= 0);
      g_assert (
          (set->version == ARTIC_DEVIBENCH_V1) == (item->options != NULL));
    }
    artic_devibench_set_free (set);
  } else {
    g_assert (error != NULL);
    g_error_free (error);
  }
  return 0;
}
