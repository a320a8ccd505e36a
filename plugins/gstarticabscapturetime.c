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

/**
 * SECTION:element-articabscapturetime
 * @title: articabscapturetime
 *
 * RTP header extension carrying each frame's absolute capture time (WebRTC's
 * `abs-capture-time`, a 64-bit NTP timestamp). On the sending side it writes
 * the capture time that `articstamp` attached; on the receiving side it
 * attaches that time to the depayloaded frame, so the receiver can measure
 * capture-to-delivery latency.
 *
 * Payloaders and depayloaders pick it up from an `extmap-N` caps field with
 * its URI, or through their `add-extension` action signal.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 udpsrc port=5004 \
 *     caps='application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,payload=96,extmap-1=http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time' ! \
 *     rtpjitterbuffer ! rtpvp8depay ! vp8dec ! videoconvert ! autovideosink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticabscapturetime.h"
#include "artic-capture-time.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_abs_capture_time_debug);
#define GST_CAT_DEFAULT gst_artic_abs_capture_time_debug

#define gst_artic_abs_capture_time_parent_class parent_class
G_DEFINE_TYPE (GstArticAbsCaptureTime, gst_artic_abs_capture_time,
    GST_TYPE_RTP_HEADER_EXTENSION);
GST_ELEMENT_REGISTER_DEFINE (articabscapturetime, "articabscapturetime",
    GST_RANK_MARGINAL, GST_TYPE_ARTIC_ABS_CAPTURE_TIME);

static GstRTPHeaderExtensionFlags
gst_artic_abs_capture_time_get_supported_flags (GstRTPHeaderExtension *ext);
static gsize gst_artic_abs_capture_time_get_max_size (
    GstRTPHeaderExtension *ext, const GstBuffer *input_meta);
static gssize gst_artic_abs_capture_time_write (GstRTPHeaderExtension *ext,
    const GstBuffer *input_meta, GstRTPHeaderExtensionFlags write_flags,
    GstBuffer *output, guint8 *data, gsize size);
static gboolean gst_artic_abs_capture_time_read (GstRTPHeaderExtension *ext,
    GstRTPHeaderExtensionFlags read_flags, const guint8 *data, gsize size,
    GstBuffer *buffer);

static void
gst_artic_abs_capture_time_class_init (GstArticAbsCaptureTimeClass *klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstRTPHeaderExtensionClass *ext_class
      = GST_RTP_HEADER_EXTENSION_CLASS (klass);

  ext_class->get_supported_flags
      = gst_artic_abs_capture_time_get_supported_flags;
  ext_class->get_max_size = gst_artic_abs_capture_time_get_max_size;
  ext_class->write = gst_artic_abs_capture_time_write;
  ext_class->read = gst_artic_abs_capture_time_read;

  gst_element_class_set_static_metadata (element_class,
      "artic absolute capture time RTP header extension",
      GST_RTP_HDREXT_ELEMENT_CLASS,
      "Carries each frame's wall-clock capture time (WebRTC abs-capture-time)",
      "The artic authors");
  gst_rtp_header_extension_class_set_uri (
      ext_class, ARTIC_ABS_CAPTURE_TIME_URI);

  GST_DEBUG_CATEGORY_INIT (gst_artic_abs_capture_time_debug,
      "articabscapturetime", 0, "artic absolute capture time extension");
}

static void
gst_artic_abs_capture_time_init (GstArticAbsCaptureTime *self)
{
}

static GstRTPHeaderExtensionFlags
gst_artic_abs_capture_time_get_supported_flags (GstRTPHeaderExtension *ext)
{
  return GST_RTP_HEADER_EXTENSION_ONE_BYTE | GST_RTP_HEADER_EXTENSION_TWO_BYTE;
}

static gsize
gst_artic_abs_capture_time_get_max_size (
    GstRTPHeaderExtension *ext, const GstBuffer *input_meta)
{
  return ARTIC_ABS_CAPTURE_TIME_SIZE;
}

static gssize
gst_artic_abs_capture_time_write (GstRTPHeaderExtension *ext,
    const GstBuffer *input_meta, GstRTPHeaderExtensionFlags write_flags,
    GstBuffer *output, guint8 *data, gsize size)
{
  guint64 capture_ns;

  /* A frame nobody stamped gets no extension rather than a made-up time. */
  if (!artic_capture_time_get ((GstBuffer *) input_meta, &capture_ns))
    return 0;
  if (artic_capture_time_write (capture_ns, data, size) == 0) {
    GST_WARNING_OBJECT (ext, "%" G_GSIZE_FORMAT " bytes is too small", size);
    return -1;
  }
  return ARTIC_ABS_CAPTURE_TIME_SIZE;
}

static gboolean
gst_artic_abs_capture_time_read (GstRTPHeaderExtension *ext,
    GstRTPHeaderExtensionFlags read_flags, const guint8 *data, gsize size,
    GstBuffer *buffer)
{
  guint64 capture_ns;

  if (!artic_capture_time_read (data, size, &capture_ns)) {
    /* Malformed extension data costs the frame its timestamp, not the
     * stream: the depayloader treats FALSE as an error. */
    GST_WARNING_OBJECT (ext,
        "ignoring malformed abs-capture-time of %" G_GSIZE_FORMAT " bytes",
        size);
    return TRUE;
  }
  artic_capture_time_set (buffer, capture_ns);
  return TRUE;
}
