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

/* The sending side of an artic stream: configuration, its validation, and
 * the pipeline source -> scale/rate -> capture stamp -> encoder -> RTP -> UDP.
 * Validation happens before any element is made, so that a bad option gives
 * one clear message instead of a pipeline error. */

#include "artic-sender.h"
#include "artic-capture-time.h"

#include <glib/gstdio.h>
#include <gst/rtp/gstrtphdrext.h>
#include <string.h>
#include <unistd.h>

GQuark
artic_sender_error_quark (void)
{
  return g_quark_from_static_string ("artic-sender-error-quark");
}

static const gchar *const artic_sender_codecs[] = { "vp8", NULL };

static const gchar *const artic_sender_patterns[] = { "smpte", "snow", "ball",
  "checkers-8", "bar", "pinwheel", "gamut", NULL };

void
artic_sender_config_init (ArticSenderConfig *config)
{
  memset (config, 0, sizeof (*config));
  config->source_kind = ARTIC_SOURCE_PATTERN;
  config->source = g_strdup ("ball");
  config->codec = g_strdup ("vp8");
  config->bitrate_kbps = 1000;
  config->width = 640;
  config->height = 480;
  config->fps = 30;
  config->host = g_strdup ("127.0.0.1");
  config->port = 5004;
  config->keyframe_interval = 300;
  config->mtu = 1200;
}

void
artic_sender_config_clear (ArticSenderConfig *config)
{
  g_clear_pointer (&config->source, g_free);
  g_clear_pointer (&config->codec, g_free);
  g_clear_pointer (&config->host, g_free);
}

static gboolean artic_sender_invalid (GError **error, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static gboolean
artic_sender_invalid (GError **error, const gchar *format, ...)
{
  va_list args;
  gchar *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (
      error, ARTIC_SENDER_ERROR, ARTIC_SENDER_ERROR_INVALID, message);
  g_free (message);
  return FALSE;
}

/* Accepts "800", "800k", "800kbps" (kbit/s) and "1.5M"/"1.5Mbps". */
gboolean
artic_sender_parse_bitrate (const gchar *text, guint *kbps, GError **error)
{
  gchar *end = NULL;
  gdouble value;

  if (text == NULL || *text == '\0')
    return artic_sender_invalid (error, "empty bitrate");
  value = g_ascii_strtod (text, &end);
  if (end == text)
    return artic_sender_invalid (error, "bitrate '%s' is not a number", text);
  if (g_ascii_strcasecmp (end, "M") == 0
      || g_ascii_strcasecmp (end, "Mbps") == 0)
    value *= 1000.0;
  else if (*end != '\0' && g_ascii_strcasecmp (end, "k") != 0
           && g_ascii_strcasecmp (end, "kbps") != 0)
    return artic_sender_invalid (
        error, "bitrate '%s' has an unknown unit (use kbps or Mbps)", text);
  if (!(value >= ARTIC_SENDER_MIN_BITRATE_KBPS
          && value <= ARTIC_SENDER_MAX_BITRATE_KBPS))
    return artic_sender_invalid (error,
        "bitrate '%s' is out of range (%d to %d kbps)", text,
        ARTIC_SENDER_MIN_BITRATE_KBPS, ARTIC_SENDER_MAX_BITRATE_KBPS);
  *kbps = (guint) (value + 0.5);
  return TRUE;
}

/* Accepts WIDTHxHEIGHT, both even (4:2:0 video). */
gboolean
artic_sender_parse_size (
    const gchar *text, guint *width, guint *height, GError **error)
{
  guint64 w, h;
  gchar **parts;
  gboolean ok;

  if (text == NULL)
    return artic_sender_invalid (error, "empty size");
  parts = g_strsplit (text, "x", 3);
  ok = g_strv_length (parts) == 2
       && g_ascii_string_to_unsigned (
           parts[0], 10, 16, ARTIC_SENDER_MAX_DIMENSION, &w, NULL)
       && g_ascii_string_to_unsigned (
           parts[1], 10, 16, ARTIC_SENDER_MAX_DIMENSION, &h, NULL);
  g_strfreev (parts);
  if (!ok)
    return artic_sender_invalid (error,
        "size '%s' is not WIDTHxHEIGHT with each between 16 and %d", text,
        ARTIC_SENDER_MAX_DIMENSION);
  if (w % 2 || h % 2)
    return artic_sender_invalid (error, "size '%s' must have even sides", text);
  *width = (guint) w;
  *height = (guint) h;
  return TRUE;
}

static gboolean
artic_sender_validate_source (const ArticSenderConfig *config, GError **error)
{
  switch (config->source_kind) {
    case ARTIC_SOURCE_FILE:
      if (!g_file_test (config->source, G_FILE_TEST_EXISTS))
        return artic_sender_invalid (
            error, "input file '%s' does not exist", config->source);
      if (g_file_test (config->source, G_FILE_TEST_IS_DIR))
        return artic_sender_invalid (
            error, "input '%s' is a directory", config->source);
      if (g_access (config->source, R_OK) != 0)
        return artic_sender_invalid (
            error, "input file '%s' is not readable", config->source);
      return TRUE;
    case ARTIC_SOURCE_CAMERA:
      if (!g_file_test (config->source, G_FILE_TEST_EXISTS))
        return artic_sender_invalid (
            error, "camera '%s' does not exist", config->source);
      return TRUE;
    case ARTIC_SOURCE_PATTERN:
      if (!g_strv_contains (artic_sender_patterns, config->source)) {
        gchar *known = g_strjoinv (", ", (gchar **) artic_sender_patterns);
        artic_sender_invalid (error, "unknown test pattern '%s' (known: %s)",
            config->source, known);
        g_free (known);
        return FALSE;
      }
      return TRUE;
  }
  return artic_sender_invalid (error, "no source given");
}

gboolean
artic_sender_config_validate (const ArticSenderConfig *config, GError **error)
{
  if (!artic_sender_validate_source (config, error))
    return FALSE;
  if (config->codec == NULL
      || !g_strv_contains (artic_sender_codecs, config->codec))
    return artic_sender_invalid (
        error, "unknown codec '%s' (supported: vp8)", config->codec);
  if (config->bitrate_kbps < ARTIC_SENDER_MIN_BITRATE_KBPS
      || config->bitrate_kbps > ARTIC_SENDER_MAX_BITRATE_KBPS)
    return artic_sender_invalid (
        error, "bitrate %u kbps is out of range", config->bitrate_kbps);
  if (config->fps < 1 || config->fps > ARTIC_SENDER_MAX_FPS)
    return artic_sender_invalid (error,
        "frame rate %u is out of range (1 to %d)", config->fps,
        ARTIC_SENDER_MAX_FPS);
  if (config->port < 1 || config->port > 65535)
    return artic_sender_invalid (
        error, "port %u is out of range (1-65535)", config->port);
  if (config->host == NULL || !g_hostname_is_ip_address (config->host))
    return artic_sender_invalid (
        error, "destination '%s' is not an IP address", config->host);
  if (!(config->duration_s >= 0 && config->duration_s < 1e7))
    return artic_sender_invalid (
        error, "duration %g s is out of range", config->duration_s);
  if (config->mtu < 256 || config->mtu > 9000)
    return artic_sender_invalid (
        error, "MTU %u is out of range (256-9000)", config->mtu);
  if (config->keyframe_interval < 1 || config->keyframe_interval > 100000)
    return artic_sender_invalid (error,
        "key-frame interval %u is out of range (1-100000)",
        config->keyframe_interval);
  return TRUE;
}

static gchar *
artic_sender_source_description (const ArticSenderConfig *config)
{
  switch (config->source_kind) {
    case ARTIC_SOURCE_FILE:
      return g_strdup ("filesrc name=src ! decodebin");
    case ARTIC_SOURCE_CAMERA:
      return g_strdup ("v4l2src name=src ! decodebin");
    case ARTIC_SOURCE_PATTERN:
      return g_strdup_printf (
          "videotestsrc name=src is-live=true pattern=%s", config->source);
  }
  g_assert_not_reached ();
}

static gchar *
artic_sender_pipeline_description (const ArticSenderConfig *config)
{
  gchar *source = artic_sender_source_description (config);
  gchar *description;

  /* clocksync paces a file like a camera; vp8enc runs in real-time mode
   * with CBR so that the target bitrate holds frame by frame. */
  description = g_strdup_printf (
      "%s ! videoconvert ! videoscale ! videorate"
      " ! video/x-raw,format=I420,width=%u,height=%u,framerate=%u/1,"
      "pixel-aspect-ratio=1/1 ! clocksync ! articstamp name=stamp"
      " ! vp8enc name=enc deadline=1 cpu-used=8 end-usage=cbr lag-in-frames=0"
      " target-bitrate=%u keyframe-max-dist=%u undershoot=95"
      " buffer-size=1000 buffer-initial-size=500 buffer-optimal-size=600"
      " ! rtpvp8pay name=pay picture-id-mode=15-bit pt=%d mtu=%u"
      " ! udpsink name=sink sync=false async=false",
      source, config->width, config->height, config->fps,
      config->bitrate_kbps * 1000, config->keyframe_interval,
      ARTIC_RTP_PAYLOAD_TYPE, config->mtu);
  g_free (source);
  return description;
}

static gboolean
artic_sender_add_capture_time_extension (GstElement *pipeline, GError **error)
{
  GstElement *pay = gst_bin_get_by_name (GST_BIN (pipeline), "pay");
  GstElement *ext = gst_element_factory_make ("articabscapturetime", NULL);

  if (ext == NULL) {
    gst_object_unref (pay);
    g_set_error_literal (error, ARTIC_SENDER_ERROR, ARTIC_SENDER_ERROR_PIPELINE,
        "the articabscapturetime element is not registered");
    return FALSE;
  }
  gst_rtp_header_extension_set_id (
      GST_RTP_HEADER_EXTENSION (ext), ARTIC_ABS_CAPTURE_TIME_EXT_ID);
  g_signal_emit_by_name (pay, "add-extension", ext);
  gst_object_unref (ext);
  gst_object_unref (pay);
  return TRUE;
}

static void
artic_sender_configure_endpoints (
    GstElement *pipeline, const ArticSenderConfig *config)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  /* Set here rather than in the description, so that any path is safe. */
  if (config->source_kind == ARTIC_SOURCE_FILE)
    g_object_set (src, "location", config->source, NULL);
  else if (config->source_kind == ARTIC_SOURCE_CAMERA)
    g_object_set (src, "device", config->source, NULL);
  g_object_set (sink, "host", config->host, "port", (gint) config->port, NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
}

GstElement *
artic_sender_build_pipeline (const ArticSenderConfig *config, GError **error)
{
  gchar *description;
  GstElement *pipeline;
  GError *parse_error = NULL;

  if (!artic_sender_config_validate (config, error))
    return NULL;

  description = artic_sender_pipeline_description (config);
  pipeline = gst_parse_launch_full (
      description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &parse_error);
  g_free (description);
  if (pipeline == NULL) {
    g_set_error (error, ARTIC_SENDER_ERROR, ARTIC_SENDER_ERROR_PIPELINE,
        "cannot build the sender pipeline: %s", parse_error->message);
    g_clear_error (&parse_error);
    return NULL;
  }
  artic_sender_configure_endpoints (pipeline, config);
  if (!artic_sender_add_capture_time_extension (pipeline, error)) {
    gst_object_unref (pipeline);
    return NULL;
  }
  return pipeline;
}
