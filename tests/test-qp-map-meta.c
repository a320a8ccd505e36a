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

#include "gstarticqpmapmeta.h"

static void
test_add_get_replace (void)
{
  GstBuffer *buffer = gst_buffer_new ();
  ArticQpMap *map = artic_qp_map_new (640, 360, 64);
  GstArticQpMapMeta *meta;

  g_assert_null (gst_buffer_get_artic_qp_map_meta (buffer));
  artic_qp_map_set (map, 2, 1, 17);
  meta = gst_buffer_add_artic_qp_map_meta (buffer, map);
  g_assert_nonnull (meta);
  g_assert_true (gst_buffer_get_artic_qp_map_meta (buffer) == meta);
  g_assert_cmpint (artic_qp_map_get (meta->map, 2, 1), ==, 17);

  /* A second map replaces the first on the same meta. */
  map = artic_qp_map_new (640, 360, 16);
  g_assert_true (gst_buffer_add_artic_qp_map_meta (buffer, map) == meta);
  g_assert_cmpuint (meta->map->block_size, ==, 16);
  gst_buffer_unref (buffer);
}

static void
test_copy_is_deep (void)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, 16, NULL), *copy;
  GstArticQpMapMeta *meta, *copied;

  meta = gst_buffer_add_artic_qp_map_meta (
      buffer, artic_qp_map_new (128, 128, 64));
  artic_qp_map_set (meta->map, 1, 1, 9);
  copy = gst_buffer_copy (buffer);
  copied = gst_buffer_get_artic_qp_map_meta (copy);
  g_assert_nonnull (copied);
  g_assert_true (copied->map != meta->map);
  g_assert_cmpint (artic_qp_map_get (copied->map, 1, 1), ==, 9);
  gst_buffer_unref (buffer);
  g_assert_cmpint (artic_qp_map_get (copied->map, 1, 1), ==, 9);
  gst_buffer_unref (copy);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/qp-map-meta/add-get-replace", test_add_get_replace);
  g_test_add_func ("/qp-map-meta/copy-is-deep", test_copy_is_deep);
  return g_test_run ();
}
