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

#ifndef __ARTIC_SENDER_H__
#define __ARTIC_SENDER_H__

#include <gst/gst.h>

#include "artic-rtp.h"

G_BEGIN_DECLS

#define ARTIC_SENDER_ERROR (artic_sender_error_quark ())
GQuark artic_sender_error_quark (void);

typedef enum
{
  ARTIC_SENDER_ERROR_INVALID,
  ARTIC_SENDER_ERROR_PIPELINE,
} ArticSenderError;

typedef enum
{
  ARTIC_SOURCE_FILE,
  ARTIC_SOURCE_CAMERA,
  ARTIC_SOURCE_PATTERN,
} ArticSourceKind;

#define ARTIC_SENDER_MIN_BITRATE_KBPS 16
#define ARTIC_SENDER_MAX_BITRATE_KBPS 100000
#define ARTIC_SENDER_MAX_DIMENSION 7680
#define ARTIC_SENDER_MAX_FPS 240

/* Where articroi's QP map comes from (ARTIC_SENDER_ROI_OFF: no articroi). */
typedef enum
{
  ARTIC_SENDER_ROI_OFF,
  ARTIC_SENDER_ROI_CUES,
  ARTIC_SENDER_ROI_BOXES,
  /* Session default: articroi waits for the receiver's boxes (context
   * channel) and encodes uniformly until they come. */
  ARTIC_SENDER_ROI_FEEDBACK,
} ArticSenderRoi;

/* What carries the stream: the peer session (articpeer: SRTP, the context
 * channel, signaling with a bearer token; the default) or plain RTP over
 * UDP for trusted links. */
typedef enum
{
  ARTIC_SENDER_TRANSPORT_SESSION,
  ARTIC_SENDER_TRANSPORT_RTP,
} ArticSenderTransport;

#define ARTIC_SENDER_DEFAULT_SIGNAL_PORT 5005
#define ARTIC_SENDER_MAX_SESSION_TIMEOUT_S 86400

/* How often a --roi-boxes-file is checked for changes. */
#define ARTIC_SENDER_ROI_FILE_POLL_MS 200

typedef struct
{
  ArticSourceKind source_kind;
  gchar *source; /* file path, camera device or pattern name */
  gchar *codec;
  guint bitrate_kbps;
  guint width;
  guint height;
  guint fps;
  gchar *host;
  guint port;
  guint local_port; /* our UDP port, media out and RTCP in; 0: any */
  /* Act on RTCP feedback: key-frame requests, acknowledgements (VP8
   * reference control). FALSE: ignore it, for comparisons. */
  gboolean feedback;
  gdouble duration_s;      /* 0: until the source ends */
  guint keyframe_interval; /* frames between key frames */
  guint mtu;
  ArticSenderRoi roi;
  gchar *roi_boxes;      /* JSON boxes (already read from an @FILE) */
  gchar *roi_boxes_file; /* re-read while streaming */
  /* articroi follows the boxes by their content from the frame their
   * frame-time or capture-time names (--roi boxes only) */
  gboolean roi_follow;
  /* articenc's adaptive-framerate (default on; off: every captured frame
   * unless the bitrate cannot be met) */
  gboolean adaptive_framerate;
  ArticSenderTransport transport;
  /* Session only (the token is the program's, never in the config). */
  gchar *signal_url;       /* NULL: http://HOST:5005 */
  gchar *tls_ca;           /* CAs trusted for https signaling */
  gboolean port_given;     /* --port: media to HOST:PORT (a relay) */
  guint session_timeout_s; /* receiver silent this long: session ends */
  /* Repair packets for key frames and long-term frames (articfecenc; VP8
   * with feedback only, where frames carry the frame mark). */
  gboolean fec;
} ArticSenderConfig;

/* Watches a boxes file and hands each new valid content to articroi. */
typedef struct _ArticSenderRoiFile ArticSenderRoiFile;

void artic_sender_config_init (ArticSenderConfig *config);
void artic_sender_config_clear (ArticSenderConfig *config);
gboolean artic_sender_parse_bitrate (
    const gchar *text, guint *kbps, GError **error);
gboolean artic_sender_parse_size (
    const gchar *text, guint *width, guint *height, GError **error);
gboolean artic_sender_config_validate (
    const ArticSenderConfig *config, GError **error);
gboolean artic_sender_parse_transport (
    const gchar *text, ArticSenderTransport *transport, GError **error);
/* The signaling URL the session posts its offer to. */
gchar *artic_sender_signal_url (const ArticSenderConfig *config);
gboolean artic_sender_parse_roi_mode (
    const gchar *text, ArticSenderRoi *roi, GError **error);
gchar *artic_sender_load_roi_boxes (const gchar *argument, GError **error);
guint artic_sender_payload_type (const gchar *codec);
/* Whether the pipeline has articfecenc (named "fec"). */
gboolean artic_sender_fec_active (const ArticSenderConfig *config);
gchar *artic_sender_pipeline_description (const ArticSenderConfig *config);
GstElement *artic_sender_build_pipeline (
    const ArticSenderConfig *config, GError **error);

ArticSenderRoiFile *artic_sender_roi_file_new (
    const gchar *path, GstElement *pipeline);
gboolean artic_sender_roi_file_poll (ArticSenderRoiFile *file, GError **error);
guint artic_sender_roi_file_updates (const ArticSenderRoiFile *file);
void artic_sender_roi_file_free (ArticSenderRoiFile *file);

G_END_DECLS

#endif /* __ARTIC_SENDER_H__ */
