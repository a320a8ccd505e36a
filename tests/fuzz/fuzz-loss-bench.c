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

/* libFuzzer harness: loss-bench's readers of the files the programs under
 * test write (the sender's frame dump, the receivers' hand-on logs), so a
 * truncated or garbled file from a crashed run gives an error, never a
 * crash. The input is tried as both; a dump that parses is also scored as a
 * one-frame reference against a parsed log. */

#include <string.h>

#include "artic-frame-dump.h"
#include "artic-loss-metrics.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  ArticFrameDumpContents *dump = artic_frame_dump_parse (data, size, NULL);
  gchar *text = g_strndup ((const gchar *) data, size);
  GArray *instants = artic_loss_handed_parse (text, NULL);

  if (instants != NULL) {
    ArticLossReference *reference = artic_loss_reference_new ();
    ArticLossScoreParams params = { 2.0, 1.0, 0, G_MAXINT64 };
    ArticLossScore score;
    guint i;

    for (i = 0; dump != NULL && i < dump->frames->len; i++) {
      ArticDumpedFrame *frame = g_ptr_array_index (dump->frames, i);

      artic_loss_reference_add (
          reference, frame->capture_us, g_bytes_get_size (frame->data), i == 0);
    }
    artic_loss_score (reference, instants, &params, &score);
    g_assert (score.instants_correct_fresh <= score.instants);
    g_assert (score.frames_corrupted <= score.frames_handed);
    {
      GArray *misses = artic_loss_explain_misses (reference, instants, &params);

      /* One per instant not served fresh and correct (the list is bounded
       * for absurd windows, where the counts saturate). */
      g_assert (
          misses->len >= 100000
          || misses->len == score.instants - score.instants_correct_fresh);
      g_array_unref (misses);
    }
    artic_loss_reference_free (reference);
    g_array_unref (instants);
  }
  artic_frame_dump_contents_free (dump);
  g_free (text);
  return 0;
}
