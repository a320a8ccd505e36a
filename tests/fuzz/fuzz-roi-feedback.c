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

/* libFuzzer harness: feedback boxes arrive from the network (the MLLM's
 * reply, through a data channel, into articroi's property or event). The
 * input is parsed and, when accepted, drives a map for a small frame. */

#include <string.h>

#include "artic-roi-analyzer.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  static guint8 frame[40 * 24];
  ArticRoiAnalyzer *analyzer;
  ArticRoiSource source;
  GError *error = NULL;
  ArticQpMap *map;
  gint64 t, c;
  GArray *boxes;
  guint i;

  boxes = artic_roi_feedback_parse ((const gchar *) data, size, &t, &c, &error);
  if (boxes == NULL) {
    g_assert (error != NULL && error->domain == ARTIC_ROI_ERROR);
    g_error_free (error);
    return 0;
  }
  g_assert (t >= -1 && c >= -1);
  g_assert (boxes->len <= ARTIC_ROI_MAX_BOXES);
  memset (frame, 128, sizeof frame);
  analyzer = artic_roi_analyzer_new ();
  /* Every other input also through the follower (any boxes, any time). */
  artic_roi_analyzer_set_follow (analyzer, size % 2 == 1);
  artic_roi_analyzer_add_feedback (
      analyzer, MAX (t, 0), (const ArticRoiBox *) boxes->data, boxes->len);
  map = artic_roi_analyzer_process (
      analyzer, frame, 40, 24, 40, MAX (t, 0), NULL, 0, &source, NULL);
  g_assert (map != NULL);
  g_assert (boxes->len == 0 ? source == ARTIC_ROI_SOURCE_UNIFORM
                            : source == ARTIC_ROI_SOURCE_BOXES);
  for (i = 0; i < map->cols * map->rows; i++)
    g_assert (map->delta_qp[i] >= 0 && map->delta_qp[i] <= 25);
  artic_qp_map_free (map);
  artic_roi_analyzer_free (analyzer);
  g_array_unref (boxes);
  return 0;
}
