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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "artic-answerer-testkit.h"

#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <qrencode.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#define PIPELINE_TIMEOUT (20 * GST_SECOND)

/* LeakSanitizer takes extra suppressions from this hook (sanitizer builds,
 * scripts/sanitize.sh). fontconfig, which pango initialises in a thread of
 * its own when textoverlay first draws, drops its parsed configuration at
 * exit. Third-party only: nothing of artic's is suppressed. */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libfontconfig.so\n";
}

/* Runs @desc until its appsink "sink" prerolls and returns that buffer. */
static GBytes *
run_to_sample (const gchar *desc, guint64 seek_ns, GError **error)
{
  GstElement *pipeline = gst_parse_launch (desc, error);
  GstElement *sink;
  GstSample *sample = NULL;
  GBytes *bytes = NULL;

  if (pipeline == NULL)
    return NULL;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  if (gst_element_get_state (pipeline, NULL, NULL, PIPELINE_TIMEOUT)
      == GST_STATE_CHANGE_FAILURE)
    goto out;
  if (seek_ns > 0) {
    if (!gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
            GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, (gint64) seek_ns))
      goto out;
    gst_element_get_state (pipeline, NULL, NULL, PIPELINE_TIMEOUT);
  }
  sample
      = gst_app_sink_try_pull_preroll (GST_APP_SINK (sink), PIPELINE_TIMEOUT);
  if (sample != NULL) {
    GstBuffer *buffer = gst_sample_get_buffer (sample);
    GstMapInfo map;
    if (buffer && gst_buffer_map (buffer, &map, GST_MAP_READ)) {
      bytes = g_bytes_new (map.data, map.size);
      gst_buffer_unmap (buffer, &map);
    }
    gst_sample_unref (sample);
  }
out:
  if (bytes == NULL && error != NULL && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "pipeline produced no image: %s", desc);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return bytes;
}

/* The frame of artic_answerer_testkit_render with @cut_left and @cut_right
 * columns cut off (videocrop) when either is not 0. */
static GBytes *
render (const gchar *text, const gchar *font, guint width, guint height,
    const gchar *clip, guint64 time_ns, guint cut_left, guint cut_right,
    GError **error)
{
  gchar *source, *overlay = NULL, *desc, *escaped_text, *escaped_clip;
  gchar *crop = NULL;
  GBytes *bytes;

  escaped_text = g_strescape (text ? text : "", NULL);
  if (clip != NULL) {
    escaped_clip = g_strescape (clip, NULL);
    source = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
                              "videoconvert ! videoscale",
        escaped_clip);
    g_free (escaped_clip);
  } else {
    source = g_strdup ("videotestsrc pattern=white num-buffers=1");
  }
  if (text != NULL)
    overlay = g_strdup_printf ("textoverlay text=\"%s\" font-desc=\"%s\" "
                               "valignment=%s ypad=60 halignment=center "
                               "color=0xff000000 draw-outline=false "
                               "draw-shadow=false ! ",
        escaped_text, font ? font : "Sans 48", clip ? "bottom" : "center");
  if (cut_left > 0 || cut_right > 0)
    crop = g_strdup_printf (
        "videocrop left=%u right=%u ! ", cut_left, cut_right);
  desc = g_strdup_printf ("%s ! video/x-raw,width=%u,height=%u ! "
                          "videoconvert ! %s videoconvert ! %sjpegenc "
                          "quality=90 ! appsink name=sink",
      source, width, height, overlay ? overlay : "", crop ? crop : "");
  bytes = run_to_sample (desc, clip ? time_ns : 0, error);
  g_free (desc);
  g_free (source);
  g_free (overlay);
  g_free (crop);
  g_free (escaped_text);
  return bytes;
}

GBytes *
artic_answerer_testkit_render (const gchar *text, const gchar *font,
    guint width, guint height, const gchar *clip, guint64 time_ns,
    GError **error)
{
  return render (text, font, width, height, clip, time_ns, 0, 0, error);
}

GBytes *
artic_answerer_testkit_render_cut (const gchar *text, const gchar *font,
    guint width, guint height, guint cut_left, guint cut_right, GError **error)
{
  if (cut_left + cut_right >= width) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "cutting %u + %u columns leaves nothing of %u", cut_left, cut_right,
        width);
    return NULL;
  }
  return render (
      text, font, width, height, NULL, 0, cut_left, cut_right, error);
}

GBytes *
artic_answerer_testkit_reencode (GBytes *jpeg, guint quality, GError **error)
{
  gchar *desc = g_strdup_printf ("appsrc name=src caps=image/jpeg ! jpegdec ! "
                                 "jpegenc quality=%u ! appsink name=sink",
      CLAMP (quality, 1, 100));
  GstElement *pipeline = gst_parse_launch (desc, error);
  GstElement *src, *sink;
  GstSample *sample;
  GBytes *bytes = NULL;

  g_free (desc);
  if (pipeline == NULL)
    return NULL;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  gst_app_src_push_buffer (
      GST_APP_SRC (src), gst_buffer_new_wrapped_bytes (jpeg));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), PIPELINE_TIMEOUT);
  if (sample != NULL) {
    GstMapInfo map;
    GstBuffer *buffer = gst_sample_get_buffer (sample);
    if (gst_buffer_map (buffer, &map, GST_MAP_READ)) {
      bytes = g_bytes_new (map.data, map.size);
      gst_buffer_unmap (buffer, &map);
    }
    gst_sample_unref (sample);
  } else {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "re-encode failed");
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return bytes;
}

GBytes *
artic_answerer_testkit_qr (const gchar *text, guint module_px, GError **error)
{
  QRcode *code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  guint quiet = 4, side, x, y;
  guint8 *gray;
  GstElement *pipeline, *src, *sink;
  GstSample *sample;
  GBytes *bytes = NULL;
  GstCaps *caps;

  if (code == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "qrencode failed");
    return NULL;
  }
  /* Rows of a multiple of 4 bytes: GRAY8 caps assume that stride. */
  side = GST_ROUND_UP_4 ((code->width + 2 * quiet) * module_px);
  gray = g_malloc ((gsize) side * side);
  memset (gray, 255, (gsize) side * side);
  for (y = 0; y < (guint) code->width * module_px; y++) {
    for (x = 0; x < (guint) code->width * module_px; x++) {
      guint8 module = code->data[(y / module_px) * code->width + x / module_px];
      if (module & 1)
        gray[(y + quiet * module_px) * side + x + quiet * module_px] = 0;
    }
  }
  QRcode_free (code);
  pipeline = gst_parse_launch ("appsrc name=src ! videoconvert ! pngenc ! "
                               "appsink name=sink",
      error);
  if (pipeline == NULL) {
    g_free (gray);
    return NULL;
  }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "GRAY8",
      "width", G_TYPE_INT, side, "height", G_TYPE_INT, side, "framerate",
      GST_TYPE_FRACTION, 0, 1, NULL);
  g_object_set (src, "caps", caps, "format", GST_FORMAT_TIME, NULL);
  gst_caps_unref (caps);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  gst_app_src_push_buffer (
      GST_APP_SRC (src), gst_buffer_new_wrapped (gray, (gsize) side * side));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), PIPELINE_TIMEOUT);
  if (sample != NULL) {
    GstMapInfo map;
    GstBuffer *buffer = gst_sample_get_buffer (sample);
    if (gst_buffer_map (buffer, &map, GST_MAP_READ)) {
      bytes = g_bytes_new (map.data, map.size);
      gst_buffer_unmap (buffer, &map);
    }
    gst_sample_unref (sample);
  } else {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "pngenc failed");
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return bytes;
}

gchar *
artic_answerer_testkit_data_url (GBytes *image, const gchar *mime)
{
  gchar *b64 = g_base64_encode (
      g_bytes_get_data (image, NULL), g_bytes_get_size (image));
  gchar *url = g_strdup_printf ("data:%s;base64,%s", mime, b64);

  g_free (b64);
  return url;
}

gchar *
artic_answerer_testkit_request (const gchar *prompt,
    const gchar *const *data_urls, gboolean stream, gboolean include_usage)
{
  JsonBuilder *b = json_builder_new ();
  JsonNode *root;
  gchar *json;
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, "artic-answerer");
  json_builder_set_member_name (b, "stream");
  json_builder_add_boolean_value (b, stream);
  if (include_usage) {
    json_builder_set_member_name (b, "stream_options");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "include_usage");
    json_builder_add_boolean_value (b, TRUE);
    json_builder_end_object (b);
  }
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "user");
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  for (i = 0; data_urls && data_urls[i]; i++) {
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "type");
    json_builder_add_string_value (b, "image_url");
    json_builder_set_member_name (b, "image_url");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "url");
    json_builder_add_string_value (b, data_urls[i]);
    json_builder_set_member_name (b, "detail");
    json_builder_add_string_value (b, "low");
    json_builder_end_object (b);
    json_builder_end_object (b);
  }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "text");
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, prompt);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  json_node_unref (root);
  g_object_unref (b);
  return json;
}

/* A test that fails an assertion aborts without stopping its server; the
 * kernel then stops it for us. */
static void
die_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

GPid
artic_answerer_testkit_spawn (const gchar *binary,
    const gchar *const *extra_args, const gchar *log_file, guint *port,
    GError **error)
{
  gchar *dir = g_dir_make_tmp ("answerer-XXXXXX", error);
  gchar *port_file;
  GPtrArray *argv;
  GPid pid = 0;
  gint log_fd = -1;
  guint i;

  *port = 0;
  if (dir == NULL)
    return 0;
  if (log_file != NULL) {
    log_fd = g_open (log_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log_fd < 0) {
      g_set_error (
          error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s", log_file);
      g_rmdir (dir);
      g_free (dir);
      return 0;
    }
  }
  port_file = g_build_filename (dir, "port", NULL);
  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) binary);
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  g_ptr_array_add (argv, (gpointer) "--port-file");
  g_ptr_array_add (argv, port_file);
  for (i = 0; extra_args && extra_args[i]; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);
  if (g_spawn_async_with_pipes_and_fds (NULL,
          (const gchar *const *) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
          die_with_parent, NULL, -1, log_fd, log_fd, NULL, NULL, 0, &pid, NULL,
          NULL, NULL, error)) {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
    gchar *text = NULL;

    while (g_get_monotonic_time () < deadline) {
      int status;
      if (g_file_get_contents (port_file, &text, NULL, NULL)) {
        *port = (guint) g_ascii_strtoull (text, NULL, 10);
        g_free (text);
        break;
      }
      if (waitpid (pid, &status, WNOHANG) == pid) {
        pid = 0;
        break;
      }
      g_usleep (20000);
    }
    if (*port == 0) {
      if (pid != 0) {
        kill (pid, SIGKILL);
        waitpid (pid, NULL, 0);
      }
      pid = 0;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "%s did not start listening", binary);
    }
  }
  if (log_fd >= 0)
    close (log_fd);
  g_unlink (port_file);
  g_rmdir (dir);
  g_ptr_array_unref (argv);
  g_free (port_file);
  g_free (dir);
  return pid;
}

gint
artic_answerer_testkit_stop (GPid pid)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  int status;

  kill (pid, SIGTERM);
  while (g_get_monotonic_time () < deadline) {
    if (waitpid (pid, &status, WNOHANG) == pid)
      return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
    g_usleep (20000);
  }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  return -1;
}

guint
artic_answerer_testkit_post (SoupSession *session, guint port,
    const gchar *path, const gchar *body, gsize length, const gchar *bearer,
    gchar **response)
{
  gchar *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  SoupMessage *msg = soup_message_new (body ? "POST" : "GET", url);
  GBytes *reply;
  guint status = 0;

  *response = NULL;
  if (body != NULL) {
    GBytes *bytes = g_bytes_new (body, length);
    soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    g_bytes_unref (bytes);
  }
  if (bearer != NULL) {
    gchar *value = g_strdup_printf ("Bearer %s", bearer);
    soup_message_headers_replace (
        soup_message_get_request_headers (msg), "Authorization", value);
    g_free (value);
  }
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  if (reply != NULL) {
    status = soup_message_get_status (msg);
    *response
        = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
    g_bytes_unref (reply);
  }
  g_object_unref (msg);
  g_free (url);
  return status;
}

gchar *
artic_answerer_testkit_content (const gchar *completion)
{
  JsonParser *parser = json_parser_new ();
  gchar *content = NULL;

  if (completion && json_parser_load_from_data (parser, completion, -1, NULL)) {
    JsonNode *root = json_parser_get_root (parser);
    if (JSON_NODE_HOLDS_OBJECT (root)) {
      JsonObject *o = json_node_get_object (root);
      JsonArray *choices = json_object_has_member (o, "choices")
                               ? json_object_get_array_member (o, "choices")
                               : NULL;
      if (choices && json_array_get_length (choices) > 0) {
        JsonObject *choice = json_array_get_object_element (choices, 0);
        JsonObject *message = json_object_get_object_member (choice, "message");
        if (message)
          content = g_strdup (json_object_get_string_member_with_default (
              message, "content", NULL));
      }
    }
  }
  g_object_unref (parser);
  return content;
}
