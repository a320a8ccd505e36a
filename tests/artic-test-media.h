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

#ifndef __ARTIC_TEST_MEDIA_H__
#define __ARTIC_TEST_MEDIA_H__

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/* Rows (NULL-terminated field vectors) of a CSV log after its header; each
 * row must have @expected_columns fields. */
GPtrArray *artic_test_read_csv (const gchar *path, guint expected_columns);
/* Waits for @process, logs its stdout line by line as test messages,
 * asserts that it succeeded and returns the output. */
gchar *artic_test_finish_process (GSubprocess *process);
/* A fresh temporary folder named after @template (asserted made), and its
 * removal with the files in it (one level, as the stream tests write). */
gchar *artic_test_make_dir (const gchar *template);
void artic_test_remove_dir (const gchar *dir);
/* A UDP port that was free on 127.0.0.1 a moment ago. */
guint artic_test_free_udp_port (void);
/* PTS (gint64) -> luma plane (width * height bytes) of every frame of @clip
 * after artic-send's own conversion to width x height at fps. */
GHashTable *artic_test_decode_source_luma (
    const gchar *clip, guint width, guint height, guint fps);
/* The luma plane of a JPEG of width x height. */
guint8 *artic_test_decode_jpeg_luma (
    const gchar *path, guint width, guint height);

G_END_DECLS

#endif /* __ARTIC_TEST_MEDIA_H__ */
