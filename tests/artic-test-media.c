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

/* Helpers shared by the end-to-end stream tests: CSV logs, free ports, and
 * luma planes of the source clip and of the JPEGs the receiver wrote. */

#include "artic-test-media.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <string.h>

GPtrArray *
artic_test_read_csv (const gchar *path, guint expected_columns)
{
  gchar *text = NULL;
  gchar **lines;
  GPtrArray *rows
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint i;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (i = 1; lines[i] != NULL; i++) {
    gchar **fields;

    if (*lines[i] == '\0')
      continue;
    fields = g_strsplit (lines[i], ",", -1);
    g_assert_cmpuint (g_strv_length (fields), ==, expected_columns);
    g_ptr_array_add (rows, fields);
  }
  g_strfreev (lines);
  g_free (text);
  return rows;
}

guint
artic_test_free_udp_port (void)
{
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (loopback, 0);
  GSocketAddress *bound;
  guint port;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_object_unref (bound);
  g_object_unref (address);
  g_object_unref (loopback);
  g_object_unref (socket);
  return port;
}

/* Decodes @description's appsink output into a table PTS -> Y plane. */
static GHashTable *
decode_luma (
    const gchar *description, const gchar *location, guint width, guint height)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);
  GstElement *src, *sink;
  GHashTable *frames
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  GstSample *sample;

  g_assert_no_error (error);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  g_object_set (src, "location", location, NULL);
  gst_object_unref (src);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL) {
    GstBuffer *buffer = gst_sample_get_buffer (sample);
    GstVideoInfo info;
    GstVideoFrame frame;
    gint64 *pts = g_new (gint64, 1);
    guint8 *luma = g_malloc (width * height);
    guint y;

    g_assert_true (
        gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
    g_assert_true (gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ));
    for (y = 0; y < height; y++)
      memcpy (luma + y * width,
          GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
              + y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
          width);
    gst_video_frame_unmap (&frame);
    *pts = GST_BUFFER_PTS (buffer);
    g_hash_table_insert (frames, pts, luma);
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return frames;
}

GHashTable *
artic_test_decode_source_luma (
    const gchar *clip, guint width, guint height, guint fps)
{
  /* The same conversion chain as artic-send, without the real-time pacing. */
  gchar *description = g_strdup_printf (
      "filesrc name=src ! decodebin"
      " ! videoconvert ! videoscale ! videorate ! video/x-raw,format=I420,"
      "width=%d,height=%d,framerate=%d/1,pixel-aspect-ratio=1/1"
      " ! appsink name=sink sync=false",
      width, height, fps);
  GHashTable *frames = decode_luma (description, clip, width, height);

  g_free (description);
  return frames;
}

guint8 *
artic_test_decode_jpeg_luma (const gchar *path, guint width, guint height)
{
  GHashTable *frames = decode_luma ("filesrc name=src ! jpegdec"
                                    " ! videoconvert ! video/x-raw,format=I420 "
                                    "! appsink name=sink sync=false",
      path, width, height);
  GHashTableIter iter;
  gpointer key, value = NULL;

  g_assert_cmpuint (g_hash_table_size (frames), ==, 1);
  g_hash_table_iter_init (&iter, frames);
  g_assert_true (g_hash_table_iter_next (&iter, &key, &value));
  g_hash_table_iter_steal (&iter);
  g_free (key);
  g_hash_table_unref (frames);
  return value;
}

gchar *
artic_test_finish_process (GSubprocess *process)
{
  GError *error = NULL;
  gchar *output = NULL;
  gchar **lines;
  guint i;

  g_assert_true (g_subprocess_communicate_utf8 (
      process, NULL, NULL, &output, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (output, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_test_message ("%s", lines[i]);
  g_strfreev (lines);
  g_assert_true (g_subprocess_get_successful (process));
  return output;
}

gchar *
artic_test_make_dir (const gchar *template)
{
  GError *error = NULL;
  gchar *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

void
artic_test_remove_dir (const gchar *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    gchar *path = g_build_filename (dir, name, NULL);

    g_unlink (path);
    g_free (path);
  }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (dir);
}
