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

/* artic-send's codec and ROI configuration: validation, the pipeline each
 * codec gets (built with the real elements), boxes from JSON and @FILE, and
 * the boxes file that is re-read while streaming. */

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>

#include "artic-sender.h"
#include "gstarticelements.h"

#define BOX "[[[450,200],[750,330]]]"

static gchar *tmp_dir;

static gchar *
write_file (const gchar *name, const gchar *text)
{
  gchar *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
expect_invalid (const ArticSenderConfig *config, const gchar *message)
{
  GError *error = NULL;

  g_assert_false (artic_sender_config_validate (config, &error));
  g_assert_error (error, ARTIC_SENDER_ERROR, ARTIC_SENDER_ERROR_INVALID);
  if (strstr (error->message, message) == NULL)
    g_error ("'%s' does not contain '%s'", error->message, message);
  g_clear_error (&error);
}

static void
test_codecs (void)
{
  const gchar *codecs[] = { "vp8", "vp9", "h264" };
  const gchar *payloaders[]
      = { "rtpvp8pay picture-id-mode=15-bit name=pay pt=96",
          "rtpvp9pay picture-id-mode=15-bit name=pay pt=98",
          "rtph264pay config-interval=-1 aggregate-mode=zero-latency "
          "name=pay pt=102" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (codecs); i++) {
    ArticSenderConfig config;
    GError *error = NULL;
    GstElement *pipeline, *enc;
    gchar *description;
    gint codec = -1;
    guint bitrate = 0;
    gboolean adaptive = FALSE;

    artic_sender_config_init (&config);
    g_free (config.codec);
    config.codec = g_strdup (codecs[i]);
    config.bitrate_kbps = 321;
    description = artic_sender_pipeline_description (&config);
    g_assert_nonnull (strstr (description, payloaders[i]));
    g_assert_nonnull (strstr (description, "articstamp name=stamp ! articenc"));
    g_assert_null (strstr (description, "articroi"));
    g_free (description);

    pipeline = artic_sender_build_pipeline (&config, &error);
    g_assert_no_error (error);
    enc = gst_bin_get_by_name (GST_BIN (pipeline), "enc");
    g_object_get (enc, "codec", &codec, "bitrate", &bitrate,
        "adaptive-framerate", &adaptive, NULL);
    g_assert_cmpint (codec, ==, (gint) i);
    g_assert_cmpuint (bitrate, ==, 321);
    /* The frame-rate controller is on by default (--fixed-framerate: off). */
    g_assert_true (adaptive);
    gst_object_unref (enc);
    gst_object_unref (pipeline);
    config.adaptive_framerate = FALSE;
    pipeline = artic_sender_build_pipeline (&config, &error);
    g_assert_no_error (error);
    enc = gst_bin_get_by_name (GST_BIN (pipeline), "enc");
    g_object_get (enc, "adaptive-framerate", &adaptive, NULL);
    g_assert_false (adaptive);
    gst_object_unref (enc);
    gst_object_unref (pipeline);
    artic_sender_config_clear (&config);
  }
  g_assert_cmpuint (artic_sender_payload_type ("vp9"), ==, 98);
  g_assert_cmpuint (artic_sender_payload_type ("theora"), ==, 0);
}

static void
test_invalid (void)
{
  ArticSenderConfig config;

  artic_sender_config_init (&config);
  g_free (config.codec);
  config.codec = g_strdup ("theora");
  expect_invalid (
      &config, "unknown codec 'theora' (supported: vp8, vp9, h264)");
  g_clear_pointer (&config.codec, g_free);
  expect_invalid (&config, "unknown codec");
  config.codec = g_strdup ("vp8");

  config.roi_boxes = g_strdup (BOX);
  expect_invalid (&config, "need --roi boxes");
  config.roi = ARTIC_SENDER_ROI_CUES;
  expect_invalid (&config, "need --roi boxes");
  config.roi = ARTIC_SENDER_ROI_BOXES;
  g_assert_true (artic_sender_config_validate (&config, NULL));
  g_free (config.roi_boxes);
  config.roi_boxes = g_strdup ("[[[450,200],[750");
  expect_invalid (&config, "bad ROI boxes in --roi-boxes");
  g_clear_pointer (&config.roi_boxes, g_free);
  expect_invalid (&config, "needs --roi-boxes or --roi-boxes-file");
  config.roi_boxes_file = g_build_filename (tmp_dir, "missing.json", NULL);
  expect_invalid (&config, "cannot read ROI boxes file");
  config.roi = 7;
  expect_invalid (&config, "unknown ROI mode");
  artic_sender_config_clear (&config);
}

static void
test_roi_mode (void)
{
  ArticSenderRoi roi = ARTIC_SENDER_ROI_OFF;
  GError *error = NULL;

  g_assert_true (artic_sender_parse_roi_mode ("cues", &roi, NULL));
  g_assert_cmpint (roi, ==, ARTIC_SENDER_ROI_CUES);
  g_assert_true (artic_sender_parse_roi_mode ("boxes", &roi, NULL));
  g_assert_cmpint (roi, ==, ARTIC_SENDER_ROI_BOXES);
  g_assert_true (artic_sender_parse_roi_mode ("off", &roi, NULL));
  g_assert_cmpint (roi, ==, ARTIC_SENDER_ROI_OFF);
  g_assert_false (artic_sender_parse_roi_mode ("on", &roi, &error));
  g_assert_nonnull (strstr (error->message, "unknown ROI mode 'on'"));
  g_clear_error (&error);
  g_assert_false (artic_sender_parse_roi_mode (NULL, &roi, &error));
  g_clear_error (&error);
  g_assert_cmpint (roi, ==, ARTIC_SENDER_ROI_OFF);
}

static void
test_load_boxes (void)
{
  gchar *good = write_file ("good.json", BOX "\n");
  gchar *bad = write_file ("bad.json", "[[[1,2],[3,\"x\"]]]");
  gchar *argument, *json;
  GError *error = NULL;
  GString *huge = g_string_new ("[");
  gchar *huge_path;

  json = artic_sender_load_roi_boxes (BOX, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json, ==, BOX);
  g_free (json);

  argument = g_strconcat ("@", good, NULL);
  json = artic_sender_load_roi_boxes (argument, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json, ==, BOX); /* the newline is gone */
  g_free (json);
  g_free (argument);

  g_assert_null (artic_sender_load_roi_boxes ("{\"boxes\": [1,2", &error));
  g_assert_nonnull (strstr (error->message, "bad ROI boxes in --roi-boxes"));
  g_clear_error (&error);
  argument = g_strconcat ("@", bad, NULL);
  g_assert_null (artic_sender_load_roi_boxes (argument, &error));
  g_assert_nonnull (strstr (error->message, bad));
  g_clear_error (&error);
  g_free (argument);
  g_assert_null (artic_sender_load_roi_boxes ("@/nonexistent/b.json", &error));
  g_assert_nonnull (strstr (error->message, "cannot read ROI boxes file"));
  g_clear_error (&error);
  argument = g_strconcat ("@", tmp_dir, NULL);
  g_assert_null (artic_sender_load_roi_boxes (argument, &error));
  g_assert_nonnull (strstr (error->message, "is a directory"));
  g_clear_error (&error);
  g_free (argument);

  /* More than the parser's limit is refused before it is parsed. */
  while (huge->len < 70000)
    g_string_append (huge, "[0,0,1,1],");
  g_string_append (huge, "[0,0,1,1]]");
  huge_path = write_file ("huge.json", huge->str);
  argument = g_strconcat ("@", huge_path, NULL);
  g_assert_null (artic_sender_load_roi_boxes (argument, &error));
  g_assert_nonnull (strstr (error->message, "larger than"));
  g_clear_error (&error);
  g_free (argument);
  g_unlink (huge_path);
  g_free (huge_path);
  g_string_free (huge, TRUE);

  g_unlink (good);
  g_unlink (bad);
  g_free (good);
  g_free (bad);
}

static void
test_roi_pipeline (void)
{
  ArticSenderConfig config;
  GstElement *pipeline, *roi;
  GError *error = NULL;
  gchar *boxes = NULL, *description;
  guint64 timeout = 1;
  gint base = -1;

  artic_sender_config_init (&config);
  config.roi = ARTIC_SENDER_ROI_CUES;
  description = artic_sender_pipeline_description (&config);
  g_assert_nonnull (strstr (description, "articstamp name=stamp ! articroi"));
  g_assert_nonnull (strstr (description, "! articenc"));
  g_free (description);

  config.roi = ARTIC_SENDER_ROI_BOXES;
  config.roi_boxes = g_strdup (BOX);
  pipeline = artic_sender_build_pipeline (&config, &error);
  g_assert_no_error (error);
  roi = gst_bin_get_by_name (GST_BIN (pipeline), "roi");
  g_assert_nonnull (roi);
  g_object_get (
      roi, "boxes", &boxes, "box-timeout", &timeout, "base", &base, NULL);
  g_assert_nonnull (strstr (boxes, "450"));
  g_assert_cmpuint (timeout, ==, 0);
  g_assert_cmpint (base, ==, 0);
  g_free (boxes);
  gst_object_unref (roi);
  gst_object_unref (pipeline);
  artic_sender_config_clear (&config);
}

static gchar *
roi_boxes (GstElement *pipeline)
{
  GstElement *roi = gst_bin_get_by_name (GST_BIN (pipeline), "roi");
  gchar *boxes = NULL;

  g_object_get (roi, "boxes", &boxes, NULL);
  gst_object_unref (roi);
  return boxes;
}

static void
test_roi_file (void)
{
  gchar *path = write_file ("live.json", BOX);
  ArticSenderConfig config;
  ArticSenderRoiFile *file;
  GstElement *pipeline;
  GError *error = NULL;
  gchar *boxes;

  artic_sender_config_init (&config);
  config.roi = ARTIC_SENDER_ROI_BOXES;
  config.roi_boxes_file = g_strdup (path);
  pipeline = artic_sender_build_pipeline (&config, &error);
  g_assert_no_error (error);
  file = artic_sender_roi_file_new (path, pipeline);

  g_assert_true (artic_sender_roi_file_poll (file, &error));
  g_assert_cmpuint (artic_sender_roi_file_updates (file), ==, 1);
  boxes = roi_boxes (pipeline);
  g_assert_nonnull (strstr (boxes, "750"));
  g_free (boxes);
  /* Unchanged content: nothing is set again. */
  g_assert_true (artic_sender_roi_file_poll (file, &error));
  g_assert_cmpuint (artic_sender_roi_file_updates (file), ==, 1);

  g_assert_true (g_file_set_contents (path, "[100,100,300,300]", -1, NULL));
  g_assert_true (artic_sender_roi_file_poll (file, &error));
  g_assert_cmpuint (artic_sender_roi_file_updates (file), ==, 2);
  boxes = roi_boxes (pipeline);
  g_assert_nonnull (strstr (boxes, "300"));
  g_assert_null (strstr (boxes, "750"));
  g_free (boxes);

  /* A bad edit is reported once and the boxes stay. */
  g_assert_true (g_file_set_contents (path, "[100,100,", -1, NULL));
  g_assert_false (artic_sender_roi_file_poll (file, &error));
  g_assert_error (error, ARTIC_SENDER_ERROR, ARTIC_SENDER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (artic_sender_roi_file_poll (file, &error));
  g_assert_no_error (error);
  boxes = roi_boxes (pipeline);
  g_assert_nonnull (strstr (boxes, "300"));
  g_free (boxes);
  /* So is a vanished file. */
  g_unlink (path);
  g_assert_false (artic_sender_roi_file_poll (file, &error));
  g_clear_error (&error);
  g_assert_true (artic_sender_roi_file_poll (file, NULL));
  /* It comes back with new boxes: applied again. */
  g_assert_true (g_file_set_contents (path, "[]", -1, NULL));
  g_assert_true (artic_sender_roi_file_poll (file, &error));
  g_assert_cmpuint (artic_sender_roi_file_updates (file), ==, 3);

  artic_sender_roi_file_free (file);
  gst_object_unref (pipeline);
  artic_sender_config_clear (&config);
  g_unlink (path);
  g_free (path);
}

int
main (int argc, char **argv)
{
  int result;

  gst_init (&argc, &argv);
  gst_artic_elements_register_static ();
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("artic-sender-codec-XXXXXX", NULL);
  g_test_add_func ("/sender-codec/codecs", test_codecs);
  g_test_add_func ("/sender-codec/invalid", test_invalid);
  g_test_add_func ("/sender-codec/roi-mode", test_roi_mode);
  g_test_add_func ("/sender-codec/load-boxes", test_load_boxes);
  g_test_add_func ("/sender-codec/roi-pipeline", test_roi_pipeline);
  g_test_add_func ("/sender-codec/roi-file", test_roi_file);
  result = g_test_run ();
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return result;
}
