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
#include "artic-roi-analyzer.h"
#include "artic-roi-box.h"
#include "artic-udp.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/rtp/gstrtphdrext.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

GQuark
artic_sender_error_quark (void)
{
  return g_quark_from_static_string ("artic-sender-error-quark");
}

/* Codec name, articenc's codec, payloader (with the settings a real-time
 * receiver needs) and the dynamic payload type the receiver expects. */
typedef struct
{
  const gchar *name;
  const gchar *payloader;
  guint payload_type;
} ArticSenderCodec;

static const ArticSenderCodec artic_sender_codecs[] = {
  { "vp8", "rtpvp8pay picture-id-mode=15-bit", ARTIC_RTP_PT_VP8 },
  { "vp9", "rtpvp9pay picture-id-mode=15-bit", ARTIC_RTP_PT_VP9 },
  /* SPS/PPS before every IDR, so a receiver can join at any key frame;
   * zero-latency aggregation never holds a NAL unit back. */
  { "h264", "rtph264pay config-interval=-1 aggregate-mode=zero-latency",
      ARTIC_RTP_PT_H264 },
};

static const ArticSenderCodec *
artic_sender_codec_lookup (const gchar *name)
{
  guint i;

  for (i = 0; name != NULL && i < G_N_ELEMENTS (artic_sender_codecs); i++)
    if (g_str_equal (name, artic_sender_codecs[i].name))
      return &artic_sender_codecs[i];
  return NULL;
}

guint
artic_sender_payload_type (const gchar *codec)
{
  const ArticSenderCodec *c = artic_sender_codec_lookup (codec);

  return c != NULL ? c->payload_type : 0;
}

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
  config->roi = ARTIC_SENDER_ROI_OFF;
  config->adaptive_framerate = TRUE;
  config->feedback = TRUE;
  config->fec = TRUE;
  config->transport = ARTIC_SENDER_TRANSPORT_SESSION;
  config->session_timeout_s = 10;
}

void
artic_sender_config_clear (ArticSenderConfig *config)
{
  g_clear_pointer (&config->source, g_free);
  g_clear_pointer (&config->codec, g_free);
  g_clear_pointer (&config->host, g_free);
  g_clear_pointer (&config->roi_boxes, g_free);
  g_clear_pointer (&config->roi_boxes_file, g_free);
  g_clear_pointer (&config->signal_url, g_free);
  g_clear_pointer (&config->tls_ca, g_free);
}

gboolean
artic_sender_parse_transport (
    const gchar *text, ArticSenderTransport *transport, GError **error)
{
  if (g_strcmp0 (text, "session") == 0)
    *transport = ARTIC_SENDER_TRANSPORT_SESSION;
  else if (g_strcmp0 (text, "rtp") == 0)
    *transport = ARTIC_SENDER_TRANSPORT_RTP;
  else {
    g_set_error (error, ARTIC_SENDER_ERROR, ARTIC_SENDER_ERROR_INVALID,
        "unknown transport '%s' (session or rtp)", text ? text : "");
    return FALSE;
  }
  return TRUE;
}

gchar *
artic_sender_signal_url (const ArticSenderConfig *config)
{
  if (config->signal_url != NULL)
    return g_strdup (config->signal_url);
  /* An IPv6 literal needs brackets in a URL. */
  if (config->host != NULL && strchr (config->host, ':') != NULL)
    return g_strdup_printf (
        "http://[%s]:%d", config->host, ARTIC_SENDER_DEFAULT_SIGNAL_PORT);
  return g_strdup_printf ("http://%s:%d", config->host ? config->host : "",
      ARTIC_SENDER_DEFAULT_SIGNAL_PORT);
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

gboolean
artic_sender_parse_roi_mode (
    const gchar *text, ArticSenderRoi *roi, GError **error)
{
  if (g_strcmp0 (text, "off") == 0)
    *roi = ARTIC_SENDER_ROI_OFF;
  else if (g_strcmp0 (text, "cues") == 0)
    *roi = ARTIC_SENDER_ROI_CUES;
  else if (g_strcmp0 (text, "boxes") == 0)
    *roi = ARTIC_SENDER_ROI_BOXES;
  else
    return artic_sender_invalid (error,
        "unknown ROI mode '%s' (use cues, boxes or off)",
        text != NULL ? text : "");
  return TRUE;
}

/* Reads at most ARTIC_ROI_MAX_JSON_LEN bytes: the parser refuses more, and a
 * huge file (or /dev/zero) must not be slurped first. A pipe is fine for a
 * one-time read (@<(command)); the live file must be a regular file, since
 * polling a pipe would block the main loop. */
static gchar *
artic_sender_read_boxes_file (
    const gchar *path, gboolean regular_only, GError **error)
{
  gchar *text;
  gsize size;
  FILE *file;

  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    artic_sender_invalid (error, "ROI boxes file '%s' is a directory", path);
    return NULL;
  }
  if (regular_only && g_file_test (path, G_FILE_TEST_EXISTS)
      && !g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    artic_sender_invalid (
        error, "ROI boxes file '%s' is not a regular file", path);
    return NULL;
  }
  file = g_fopen (path, "rb");
  if (file == NULL) {
    artic_sender_invalid (
        error, "cannot read ROI boxes file '%s': %s", path, g_strerror (errno));
    return NULL;
  }
  text = g_malloc (ARTIC_ROI_MAX_JSON_LEN + 2);
  size = fread (text, 1, ARTIC_ROI_MAX_JSON_LEN + 1, file);
  if (ferror (file)) {
    artic_sender_invalid (error, "cannot read ROI boxes file '%s'", path);
    g_free (text);
    text = NULL;
  } else if (size > ARTIC_ROI_MAX_JSON_LEN) {
    artic_sender_invalid (error, "ROI boxes file '%s' is larger than %d bytes",
        path, ARTIC_ROI_MAX_JSON_LEN);
    g_free (text);
    text = NULL;
  } else {
    text[size] = '\0';
  }
  fclose (file);
  return text;
}

static gboolean
artic_sender_check_boxes (const gchar *json, const gchar *what, GError **error)
{
  GError *parse_error = NULL;
  gint64 frame_time, capture_time;
  GArray *boxes = artic_roi_feedback_parse (
      json, -1, &frame_time, &capture_time, &parse_error);

  if (boxes == NULL) {
    artic_sender_invalid (
        error, "bad ROI boxes in %s: %s", what, parse_error->message);
    g_clear_error (&parse_error);
    return FALSE;
  }
  g_array_unref (boxes);
  return TRUE;
}

/* @argument is the JSON itself or @FILE. Returns the validated JSON. */
gchar *
artic_sender_load_roi_boxes (const gchar *argument, GError **error)
{
  gchar *json;

  if (argument == NULL)
    return NULL;
  if (argument[0] == '@') {
    json = artic_sender_read_boxes_file (argument + 1, FALSE, error);
    if (json == NULL)
      return NULL;
  } else {
    json = g_strdup (argument);
  }
  g_strstrip (json);
  if (!artic_sender_check_boxes (
          json, argument[0] == '@' ? argument + 1 : "--roi-boxes", error)) {
    g_free (json);
    return NULL;
  }
  return json;
}

static gboolean
artic_sender_validate_roi (const ArticSenderConfig *config, GError **error)
{
  gchar *json;

  if (config->roi != ARTIC_SENDER_ROI_OFF
      && config->roi != ARTIC_SENDER_ROI_CUES
      && config->roi != ARTIC_SENDER_ROI_BOXES
      && config->roi != ARTIC_SENDER_ROI_FEEDBACK)
    return artic_sender_invalid (error, "unknown ROI mode %d", config->roi);
  if (config->roi == ARTIC_SENDER_ROI_FEEDBACK
      && config->transport != ARTIC_SENDER_TRANSPORT_SESSION)
    return artic_sender_invalid (
        error, "boxes from the receiver need --transport session");
  if (config->roi != ARTIC_SENDER_ROI_BOXES
      && (config->roi_boxes != NULL || config->roi_boxes_file != NULL))
    return artic_sender_invalid (
        error, "--roi-boxes and --roi-boxes-file need --roi boxes");
  if (config->roi_follow && config->roi != ARTIC_SENDER_ROI_BOXES)
    return artic_sender_invalid (error, "--roi-follow needs --roi boxes");
  if (config->roi == ARTIC_SENDER_ROI_BOXES && config->roi_boxes == NULL
      && config->roi_boxes_file == NULL)
    return artic_sender_invalid (
        error, "--roi boxes needs --roi-boxes or --roi-boxes-file");
  if (config->roi_boxes != NULL
      && !artic_sender_check_boxes (config->roi_boxes, "--roi-boxes", error))
    return FALSE;
  if (config->roi_boxes_file != NULL) {
    /* The file must be valid from the start; later bad edits are warned
     * about and skipped while streaming. */
    json = artic_sender_read_boxes_file (config->roi_boxes_file, TRUE, error);
    if (json == NULL)
      return FALSE;
    if (!artic_sender_check_boxes (json, config->roi_boxes_file, error)) {
      g_free (json);
      return FALSE;
    }
    g_free (json);
  }
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

static gboolean
artic_sender_validate_session (const ArticSenderConfig *config, GError **error)
{
  gchar *url;
  GUri *uri;
  gboolean ok;

  if (config->transport == ARTIC_SENDER_TRANSPORT_RTP) {
    if (config->signal_url != NULL || config->tls_ca != NULL)
      return artic_sender_invalid (
          error, "--signal-url and --tls-ca need --transport session");
    return TRUE;
  }
  if (config->session_timeout_s > ARTIC_SENDER_MAX_SESSION_TIMEOUT_S)
    return artic_sender_invalid (error,
        "session timeout %u s is out of range (0-%d)",
        config->session_timeout_s, ARTIC_SENDER_MAX_SESSION_TIMEOUT_S);
  url = artic_sender_signal_url (config);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  ok = uri != NULL && g_uri_get_host (uri) != NULL
       && (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0
           || g_strcmp0 (g_uri_get_scheme (uri), "https") == 0);
  if (uri != NULL)
    g_uri_unref (uri);
  if (!ok) {
    artic_sender_invalid (error,
        "signaling URL '%s' is not http://HOST:PORT or https://HOST:PORT", url);
    g_free (url);
    return FALSE;
  }
  g_free (url);
  if (config->tls_ca != NULL
      && !g_file_test (config->tls_ca, G_FILE_TEST_IS_REGULAR))
    return artic_sender_invalid (
        error, "CA file '%s' does not exist", config->tls_ca);
  return TRUE;
}

gboolean
artic_sender_config_validate (const ArticSenderConfig *config, GError **error)
{
  if (!artic_sender_validate_source (config, error))
    return FALSE;
  if (artic_sender_codec_lookup (config->codec) == NULL)
    return artic_sender_invalid (error,
        "unknown codec '%s' (supported: vp8, vp9, h264)",
        config->codec != NULL ? config->codec : "");
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
  if (config->local_port > 65535)
    return artic_sender_invalid (
        error, "local port %u is out of range (0-65535)", config->local_port);
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
  if (config->codec[0] == 'h' && (config->width % 2 || config->height % 2))
    return artic_sender_invalid (error, "H.264 needs an even frame size");
  if (!artic_sender_validate_session (config, error))
    return FALSE;
  return artic_sender_validate_roi (config, error);
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

/* articroi's settings for the sender: block offsets start at QP 0 inside
 * the region (base 0: measured in docs/roi-encoding.md, the default base 26
 * leaves most of the region at the background's offset); feedback boxes
 * given once hold until replaced (no expiry, no extrapolation). */
static gchar *
artic_sender_roi_description (const ArticSenderConfig *config)
{
  switch (config->roi) {
    case ARTIC_SENDER_ROI_OFF:
      return g_strdup ("");
    case ARTIC_SENDER_ROI_CUES:
      return g_strdup (" ! articroi name=roi base=0");
    case ARTIC_SENDER_ROI_BOXES:
      return g_strdup_printf (" ! articroi name=roi base=0 box-timeout=0"
                              " predict-ahead=0 cues=0%s",
          config->roi_follow ? " follow=true" : "");
    case ARTIC_SENDER_ROI_FEEDBACK:
      /* Without boxes every block gets offset 0: a uniform encode. */
      return g_strdup (" ! articroi name=roi base=0 box-timeout=0"
                       " predict-ahead=0 cues=0 no-box-delta=0");
  }
  g_assert_not_reached ();
}

/* The network end: an RTP session (RTCP reports and feedback, RFC 4585
 * AVPF so that a PLI becomes a force-key-unit event towards articenc) on
 * one UDP 5-tuple used both ways, RTP and RTCP multiplexed (RFC 5761).
 * netsink sends the muxed RTP+RTCP, netsrc receives it (only RTCP is
 * expected here; RTP coming back is dropped). Both are bound to one socket
 * by artic_sender_build_pipeline; they are the only two elements a secure
 * session element has to replace. */
#define ARTIC_SENDER_TRANSPORT                                                 \
  "rtpsession name=session rtp-profile=avpf"                                   \
  " rtcp-min-interval=" G_STRINGIFY (                                          \
      ARTIC_RTCP_INTERVAL_NS) " session.send_rtp_src ! %sfunnel name=netmux"   \
                              " ! udpsink name=netsink sync=false async=false" \
                              " session.send_rtcp_src ! netmux."               \
                              " udpsrc name=netsrc ! articrtcpdemux "          \
                              "name=netdemux"                                  \
                              " netdemux.rtcp_src ! session.recv_rtcp_sink"    \
                              " netdemux.rtp_src ! fakesink name=netdrop "     \
                              "sync=false async=false"

/* The same with the peer session in place of netsink and netsrc: articpeer
 * takes the muxed RTP+RTCP, articpeersrc gives back what verified (two
 * elements, so that the graph has no loop through rtpsession). */
#define ARTIC_SENDER_SESSION_TRANSPORT                                       \
  "rtpsession name=session rtp-profile=avpf"                                 \
  " rtcp-min-interval=" G_STRINGIFY (                                        \
      ARTIC_RTCP_INTERVAL_NS) " session.send_rtp_src ! %sfunnel name=netmux" \
                              " ! articpeer name=netpeer role=offer "        \
                              "forward-events=false"                         \
                              " session.send_rtcp_src ! netmux."             \
                              " articpeersrc peer=netpeer"                   \
                              " ! articrtcpdemux name=netdemux"              \
                              " netdemux.rtcp_src ! session.recv_rtcp_sink"  \
                              " netdemux.rtp_src ! fakesink name=netdrop "   \
                              "sync=false async=false"

gboolean
artic_sender_fec_active (const ArticSenderConfig *config)
{
  return config->fec && config->feedback && g_str_equal (config->codec, "vp8");
}

/* Exposed for tests: the pipeline without its endpoints (location, host,
 * port and boxes are set on the elements, never spliced into the text). */
gchar *
artic_sender_pipeline_description (const ArticSenderConfig *config)
{
  const ArticSenderCodec *codec = artic_sender_codec_lookup (config->codec);
  gchar *source, *roi, *transport, *description;

  g_return_val_if_fail (codec != NULL, NULL);
  source = artic_sender_source_description (config);
  roi = artic_sender_roi_description (config);
  /* After the session, so that it never counts repairs as media. */
  transport
      = g_strdup_printf (config->transport == ARTIC_SENDER_TRANSPORT_SESSION
                             ? ARTIC_SENDER_SESSION_TRANSPORT
                             : ARTIC_SENDER_TRANSPORT,
          artic_sender_fec_active (config) ? "articfecenc name=fec ! " : "");
  /* clocksync paces a file like a camera; articenc runs libvpx/x264 in
   * real-time CBR mode without look-ahead, so that the target bitrate holds
   * frame by frame, and encodes only the frames worth their bits for a
   * model that samples 2 a second (adaptive-framerate: motion, scene
   * changes, loss, bits per pixel; docs/sender.md). */
  description = g_strdup_printf (
      "%s ! videoconvert ! videoscale ! videorate"
      " ! video/x-raw,format=I420,width=%u,height=%u,framerate=%u/1,"
      "pixel-aspect-ratio=1/1 ! clocksync ! articstamp name=stamp%s"
      " ! articenc name=enc codec=%s bitrate=%u keyframe-max-dist=%u"
      " reference-control=%s adaptive-framerate=%s"
      " ! %s name=pay pt=%u mtu=%u ! session.send_rtp_sink %s",
      source, config->width, config->height, config->fps, roi, codec->name,
      config->bitrate_kbps, config->keyframe_interval,
      config->feedback ? "true" : "false",
      config->adaptive_framerate ? "true" : "false", codec->payloader,
      codec->payload_type, config->mtu, transport);
  g_free (transport);
  g_free (roi);
  g_free (source);
  return description;
}

static gboolean
artic_sender_add_extension (
    GstElement *pipeline, const gchar *factory, guint id, GError **error)
{
  GstElement *pay = gst_bin_get_by_name (GST_BIN (pipeline), "pay");
  GstElement *ext = gst_element_factory_make (factory, NULL);

  if (ext == NULL) {
    gst_object_unref (pay);
    g_set_error (error, ARTIC_SENDER_ERROR, ARTIC_SENDER_ERROR_PIPELINE,
        "the %s element is not registered", factory);
    return FALSE;
  }
  gst_rtp_header_extension_set_id (GST_RTP_HEADER_EXTENSION (ext), id);
  g_signal_emit_by_name (pay, "add-extension", ext);
  gst_object_unref (ext);
  gst_object_unref (pay);
  return TRUE;
}

/* The capture time on every codec; the frame mark where articenc makes
 * one (VP8 with reference control). */
static gboolean
artic_sender_add_extensions (
    GstElement *pipeline, const ArticSenderConfig *config, GError **error)
{
  if (!artic_sender_add_extension (pipeline, "articabscapturetime",
          ARTIC_RTP_EXT_ID_ABS_CAPTURE_TIME, error))
    return FALSE;
  if (g_str_equal (config->codec, "vp8") && config->feedback)
    return artic_sender_add_extension (
        pipeline, "articframemark", ARTIC_RTP_EXT_ID_FRAME_MARK, error);
  return TRUE;
}

/* One socket for both directions, bound here so that a busy --local-port
 * is one clear error: the receiver (or a relay in between) sends its RTCP
 * back to the address the media came from. */
static GSocket *
artic_sender_bind (const ArticSenderConfig *config, GError **error)
{
  GInetAddress *peer = g_inet_address_new_from_string (config->host);
  GInetAddress *any = g_inet_address_new_any (g_inet_address_get_family (peer));
  GError *bind_error = NULL;
  GSocket *socket = artic_udp_bind (any, config->local_port, &bind_error);

  if (socket == NULL) {
    g_set_error (error, ARTIC_SENDER_ERROR, ARTIC_SENDER_ERROR_PIPELINE,
        "cannot bind UDP port %u: %s", config->local_port, bind_error->message);
    g_clear_error (&bind_error);
  }
  g_object_unref (any);
  g_object_unref (peer);
  return socket;
}

/* The session's settings (the token is set by the program). */
static void
artic_sender_configure_session (
    GstElement *pipeline, const ArticSenderConfig *config)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstElement *peer = gst_bin_get_by_name (GST_BIN (pipeline), "netpeer");
  gchar *url = artic_sender_signal_url (config);

  if (config->source_kind == ARTIC_SOURCE_FILE)
    g_object_set (src, "location", config->source, NULL);
  else if (config->source_kind == ARTIC_SOURCE_CAMERA)
    g_object_set (src, "device", config->source, NULL);
  g_object_set (
      peer, "signal-url", url, "idle-timeout", config->session_timeout_s, NULL);
  if (config->tls_ca != NULL)
    g_object_set (peer, "tls-ca", config->tls_ca, NULL);
  /* An explicit --port puts a relay (artic-netem) in the media path;
   * signaling still goes to the receiver directly. */
  if (config->port_given)
    g_object_set (
        peer, "media-host", config->host, "media-port", config->port, NULL);
  g_free (url);
  gst_object_unref (peer);
  gst_object_unref (src);
}

static gboolean
artic_sender_configure_endpoints (
    GstElement *pipeline, const ArticSenderConfig *config, GError **error)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstElement *netsink = gst_bin_get_by_name (GST_BIN (pipeline), "netsink");
  GstElement *netsrc = gst_bin_get_by_name (GST_BIN (pipeline), "netsrc");
  GSocket *socket = artic_sender_bind (config, error);

  /* Set here rather than in the description, so that any path is safe. */
  if (config->source_kind == ARTIC_SOURCE_FILE)
    g_object_set (src, "location", config->source, NULL);
  else if (config->source_kind == ARTIC_SOURCE_CAMERA)
    g_object_set (src, "device", config->source, NULL);
  g_object_set (
      netsink, "host", config->host, "port", (gint) config->port, NULL);
  if (socket != NULL) {
    /* The GSocket closes the descriptor once both elements let go of it. */
    g_object_set (netsink, "socket", socket, "close-socket", FALSE, NULL);
    g_object_set (netsrc, "socket", socket, "close-socket", FALSE, NULL);
    g_object_unref (socket);
  }
  gst_object_unref (src);
  gst_object_unref (netsink);
  gst_object_unref (netsrc);
  return socket != NULL;
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
  if (config->transport == ARTIC_SENDER_TRANSPORT_SESSION) {
    artic_sender_configure_session (pipeline, config);
  } else if (!artic_sender_configure_endpoints (pipeline, config, error)) {
    gst_object_unref (pipeline);
    return NULL;
  }
  if (config->roi_boxes != NULL) {
    GstElement *roi = gst_bin_get_by_name (GST_BIN (pipeline), "roi");

    g_object_set (roi, "boxes", config->roi_boxes, NULL);
    gst_object_unref (roi);
  }
  if (!artic_sender_add_extensions (pipeline, config, error)) {
    gst_object_unref (pipeline);
    return NULL;
  }
  return pipeline;
}

struct _ArticSenderRoiFile
{
  gchar *path;
  GstElement *roi;
  gchar *applied; /* last content handed to articroi */
  gchar *failed;  /* last error reported, to report each problem once */
  guint updates;
};

ArticSenderRoiFile *
artic_sender_roi_file_new (const gchar *path, GstElement *pipeline)
{
  ArticSenderRoiFile *file;
  GstElement *roi = gst_bin_get_by_name (GST_BIN (pipeline), "roi");

  g_return_val_if_fail (path != NULL && roi != NULL, NULL);
  file = g_new0 (ArticSenderRoiFile, 1);
  file->path = g_strdup (path);
  file->roi = roi;
  return file;
}

static gboolean
artic_sender_roi_file_fail (
    ArticSenderRoiFile *file, GError *problem, GError **error)
{
  gboolean repeated = g_strcmp0 (file->failed, problem->message) == 0;

  g_free (file->failed);
  file->failed = g_strdup (problem->message);
  if (repeated) {
    g_error_free (problem);
    return TRUE;
  }
  g_propagate_error (error, problem);
  return FALSE;
}

/* Called every ARTIC_SENDER_ROI_FILE_POLL_MS. Content is compared rather
 * than the modification time, whose granularity can hide a quick rewrite.
 * A missing, unreadable or invalid file keeps the boxes in force and is
 * reported once (FALSE with @error); TRUE otherwise. */
gboolean
artic_sender_roi_file_poll (ArticSenderRoiFile *file, GError **error)
{
  GError *problem = NULL;
  gchar *json = artic_sender_read_boxes_file (file->path, TRUE, &problem);

  if (json == NULL)
    return artic_sender_roi_file_fail (file, problem, error);
  g_strstrip (json);
  if (g_strcmp0 (json, file->applied) == 0) {
    g_free (json);
    return TRUE;
  }
  if (!artic_sender_check_boxes (json, file->path, &problem)) {
    g_free (json);
    return artic_sender_roi_file_fail (file, problem, error);
  }
  g_clear_pointer (&file->failed, g_free);
  g_object_set (file->roi, "boxes", json, NULL);
  g_free (file->applied);
  file->applied = json;
  file->updates++;
  return TRUE;
}

guint
artic_sender_roi_file_updates (const ArticSenderRoiFile *file)
{
  return file->updates;
}

void
artic_sender_roi_file_free (ArticSenderRoiFile *file)
{
  if (file == NULL)
    return;
  gst_object_unref (file->roi);
  g_free (file->path);
  g_free (file->applied);
  g_free (file->failed);
  g_free (file);
}
