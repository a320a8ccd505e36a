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

/* libFuzzer harness: results.jsonl lines (shards come from other machines)
 * read back and summarized. */

#include <string.h>

#include "artic-devibench-run.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  GPtrArray *results = g_ptr_array_new_with_free_func (
      (GDestroyNotify) artic_devibench_result_free);
  const gchar *p = (const gchar *) data, *end = p + size;
  ArticDevibenchSummary *summary;
  gchar *csv, *md;

  while (p < end) {
    const gchar *nl = memchr (p, '\n', (gsize) (end - p));
    gsize len = nl != NULL ? (gsize) (nl - p) : (gsize) (end - p);
    GError *error = NULL;
    ArticDevibenchResult *r = artic_devibench_result_parse (p, len, &error);

    if (r != NULL)
      g_ptr_array_add (results, r);
    else
      g_error_free (error);
    p += len + 1;
  }
  summary = artic_devibench_summary_new (results);
  csv = artic_devibench_summary_csv (summary);
  md = artic_devibench_summary_markdown (summary);
  g_assert (g_str_has_prefix (csv, "condition,"));
  g_free (csv);
  g_free (md);
  artic_devibench_summary_free (summary);
  g_ptr_array_unref (results);
  return 0;
}
