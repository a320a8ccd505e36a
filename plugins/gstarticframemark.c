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
 * SECTION:element-articframemark
 * @title: articframemark
 *
 * RTP header extension carrying the frame mark of VP8 reference control
 * (3 bytes: the encoder's 16-bit frame id and flags 0x01 key frame, 0x02
 * long-term frame to acknowledge, 0x04 recovery point; see
 * `docs/conceal.md`). On the sending side it writes the
 * #GstArticFrameMarkMeta that `articenc reference-control=true` attaches to
 * each frame; on the receiving side it attaches that meta to the
 * depayloaded frame. artic-recv's reference-chain tracker reads the
 * extension from the packets themselves.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 udpsrc port=5004 \
 *     caps='application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,payload=96,extmap-2=urn:x-artic:rtp-hdrext:frame-mark' ! \
 *     rtpjitterbuffer ! rtpvp8depay ! vp8dec ! videoconvert ! autovideosink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticframemark.h"

#include "artic-rtcp.h"
#include "artic-rtp.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_frame_mark_debug);
#define GST_CAT_DEFAULT gst_artic_frame_mark_debug

GType
gst_artic_frame_mark_meta_api_get_type (void)
{
  static GType type = 0;
  /* No tags: the mark is about the whole frame and survives anything. */
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType api = gst_meta_api_type_register ("GstArticFrameMarkMetaAPI", tags);
    g_once_init_leave (&type, api);
  }
  return type;
}

static gboolean
gst_artic_frame_mark_meta_init (
    GstMeta *meta, gpointer params, GstBuffer *buffer)
{
  GstArticFrameMarkMeta *m = (GstArticFrameMarkMeta *) meta;

  m->frame_id = 0;
  m->flags = 0;
  return TRUE;
}

static gboolean
gst_artic_frame_mark_meta_transform (GstBuffer *dest, GstMeta *meta,
    GstBuffer *buffer, GQuark type, gpointer data)
{
  GstArticFrameMarkMeta *src = (GstArticFrameMarkMeta *) meta;

  return gst_buffer_add_artic_frame_mark_meta (dest, src->frame_id, src->flags)
         != NULL;
}

const GstMetaInfo *
gst_artic_frame_mark_meta_get_info (void)
{
  static const GstMetaInfo *info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) &info)) {
    const GstMetaInfo *registered = gst_meta_register (
        GST_ARTIC_FRAME_MARK_META_API_TYPE, "GstArticFrameMarkMeta",
        sizeof (GstArticFrameMarkMeta), gst_artic_frame_mark_meta_init, NULL,
        gst_artic_frame_mark_meta_transform);
    g_once_init_leave ((GstMetaInfo **) &info, (GstMetaInfo *) registered);
  }
  return info;
}

GstArticFrameMarkMeta *
gst_buffer_add_artic_frame_mark_meta (
    GstBuffer *buffer, guint16 frame_id, guint8 flags)
{
  GstArticFrameMarkMeta *meta;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  meta = (GstArticFrameMarkMeta *) gst_buffer_add_meta (
      buffer, gst_artic_frame_mark_meta_get_info (), NULL);
  if (meta != NULL) {
    meta->frame_id = frame_id;
    meta->flags = flags;
  }
  return meta;
}

GstArticFrameMarkMeta *
gst_buffer_get_artic_frame_mark_meta (GstBuffer *buffer)
{
  return (GstArticFrameMarkMeta *) gst_buffer_get_meta (
      buffer, GST_ARTIC_FRAME_MARK_META_API_TYPE);
}

#define gst_artic_frame_mark_parent_class parent_class
G_DEFINE_TYPE (
    GstArticFrameMark, gst_artic_frame_mark, GST_TYPE_RTP_HEADER_EXTENSION);
GST_ELEMENT_REGISTER_DEFINE (articframemark, "articframemark",
    GST_RANK_MARGINAL, GST_TYPE_ARTIC_FRAME_MARK);

static GstRTPHeaderExtensionFlags gst_artic_frame_mark_get_supported_flags (
    GstRTPHeaderExtension *ext);
static gsize gst_artic_frame_mark_get_max_size (
    GstRTPHeaderExtension *ext, const GstBuffer *input_meta);
static gssize gst_artic_frame_mark_write (GstRTPHeaderExtension *ext,
    const GstBuffer *input_meta, GstRTPHeaderExtensionFlags write_flags,
    GstBuffer *output, guint8 *data, gsize size);
static gboolean gst_artic_frame_mark_read (GstRTPHeaderExtension *ext,
    GstRTPHeaderExtensionFlags read_flags, const guint8 *data, gsize size,
    GstBuffer *buffer);

static void
gst_artic_frame_mark_class_init (GstArticFrameMarkClass *klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstRTPHeaderExtensionClass *ext_class
      = GST_RTP_HEADER_EXTENSION_CLASS (klass);

  ext_class->get_supported_flags = gst_artic_frame_mark_get_supported_flags;
  ext_class->get_max_size = gst_artic_frame_mark_get_max_size;
  ext_class->write = gst_artic_frame_mark_write;
  ext_class->read = gst_artic_frame_mark_read;

  gst_element_class_set_static_metadata (element_class,
      "artic frame mark RTP header extension", GST_RTP_HDREXT_ELEMENT_CLASS,
      "Carries the frame id and key / long-term / recovery-point flags of "
      "VP8 reference control",
      "The artic authors");
  gst_rtp_header_extension_class_set_uri (ext_class, ARTIC_FRAME_MARK_URI);

  GST_DEBUG_CATEGORY_INIT (gst_artic_frame_mark_debug, "articframemark", 0,
      "artic frame mark extension");
}

static void
gst_artic_frame_mark_init (GstArticFrameMark *self)
{
}

static GstRTPHeaderExtensionFlags
gst_artic_frame_mark_get_supported_flags (GstRTPHeaderExtension *ext)
{
  return GST_RTP_HEADER_EXTENSION_ONE_BYTE | GST_RTP_HEADER_EXTENSION_TWO_BYTE;
}

static gsize
gst_artic_frame_mark_get_max_size (
    GstRTPHeaderExtension *ext, const GstBuffer *input_meta)
{
  return ARTIC_FRAME_MARK_SIZE;
}

static gssize
gst_artic_frame_mark_write (GstRTPHeaderExtension *ext,
    const GstBuffer *input_meta, GstRTPHeaderExtensionFlags write_flags,
    GstBuffer *output, guint8 *data, gsize size)
{
  GstArticFrameMarkMeta *meta
      = gst_buffer_get_artic_frame_mark_meta ((GstBuffer *) input_meta);
  ArticFrameMark mark;

  /* A frame without reference control gets no extension. */
  if (meta == NULL)
    return 0;
  mark.frame_id = meta->frame_id;
  mark.flags = meta->flags;
  if (artic_frame_mark_write (data, size, &mark) == 0) {
    GST_WARNING_OBJECT (ext, "%" G_GSIZE_FORMAT " bytes is too small", size);
    return -1;
  }
  return ARTIC_FRAME_MARK_SIZE;
}

static gboolean
gst_artic_frame_mark_read (GstRTPHeaderExtension *ext,
    GstRTPHeaderExtensionFlags read_flags, const guint8 *data, gsize size,
    GstBuffer *buffer)
{
  ArticFrameMark mark;

  if (!artic_frame_mark_read (data, size, &mark)) {
    /* The frame just has no mark: the depayloader treats FALSE as an
     * error that would cost the stream. */
    GST_WARNING_OBJECT (ext,
        "ignoring malformed frame mark of %" G_GSIZE_FORMAT " bytes", size);
    return TRUE;
  }
  if (gst_buffer_get_artic_frame_mark_meta (buffer) == NULL)
    gst_buffer_add_artic_frame_mark_meta (buffer, mark.frame_id, mark.flags);
  return TRUE;
}
