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

/* JPEG through libavcodec's mjpeg encoder: fast (a 768-pixel frame encodes
 * in a few milliseconds) and with explicit quality control, which a
 * gst_video_convert_sample() round trip does not offer. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include "artic-jpeg.h"

struct _ArticJpegEncoder
{
  gint quality;
  guint max_size;

  /* Rebuilt when the input format or size, or max_size, changes. */
  GstVideoFormat in_format;
  gint in_width, in_height;
  guint built_max_size;
  struct SwsContext *sws;
  AVCodecContext *codec;
  AVFrame *frame; /* the converted, scaled YUVJ420P frame */
  AVPacket *packet;
  gboolean have_frame;
  gint64 pts;
};

G_DEFINE_QUARK (artic - jpeg - error - quark, artic_jpeg_error)

static enum AVPixelFormat
artic_jpeg_av_format (GstVideoFormat format)
{
  switch (format) {
    case GST_VIDEO_FORMAT_I420:
      return AV_PIX_FMT_YUV420P;
    case GST_VIDEO_FORMAT_YV12:
      return AV_PIX_FMT_YUV420P; /* planes swapped by the caller's order */
    case GST_VIDEO_FORMAT_NV12:
      return AV_PIX_FMT_NV12;
    case GST_VIDEO_FORMAT_NV21:
      return AV_PIX_FMT_NV21;
    case GST_VIDEO_FORMAT_Y42B:
      return AV_PIX_FMT_YUV422P;
    case GST_VIDEO_FORMAT_Y444:
      return AV_PIX_FMT_YUV444P;
    case GST_VIDEO_FORMAT_YUY2:
      return AV_PIX_FMT_YUYV422;
    case GST_VIDEO_FORMAT_UYVY:
      return AV_PIX_FMT_UYVY422;
    case GST_VIDEO_FORMAT_RGB:
      return AV_PIX_FMT_RGB24;
    case GST_VIDEO_FORMAT_BGR:
      return AV_PIX_FMT_BGR24;
    case GST_VIDEO_FORMAT_RGBA:
      return AV_PIX_FMT_RGBA;
    case GST_VIDEO_FORMAT_BGRA:
      return AV_PIX_FMT_BGRA;
    case GST_VIDEO_FORMAT_RGBx:
      return AV_PIX_FMT_RGB0;
    case GST_VIDEO_FORMAT_BGRx:
      return AV_PIX_FMT_BGR0;
    case GST_VIDEO_FORMAT_xRGB:
      return AV_PIX_FMT_0RGB;
    case GST_VIDEO_FORMAT_xBGR:
      return AV_PIX_FMT_0BGR;
    case GST_VIDEO_FORMAT_GRAY8:
      return AV_PIX_FMT_GRAY8;
    default:
      return AV_PIX_FMT_NONE;
  }
}

gboolean
artic_jpeg_format_supported (GstVideoFormat format)
{
  return artic_jpeg_av_format (format) != AV_PIX_FMT_NONE;
}

ArticJpegEncoder *
artic_jpeg_encoder_new (gint quality, guint max_size)
{
  ArticJpegEncoder *enc = g_new0 (ArticJpegEncoder, 1);

  artic_jpeg_encoder_set_quality (enc, quality);
  artic_jpeg_encoder_set_max_size (enc, max_size);
  enc->packet = av_packet_alloc ();
  return enc;
}

static void
artic_jpeg_encoder_reset (ArticJpegEncoder *enc)
{
  sws_freeContext (enc->sws);
  enc->sws = NULL;
  avcodec_free_context (&enc->codec);
  av_frame_free (&enc->frame);
  enc->have_frame = FALSE;
  enc->in_width = enc->in_height = 0;
}

void
artic_jpeg_encoder_free (ArticJpegEncoder *enc)
{
  if (enc == NULL)
    return;
  artic_jpeg_encoder_reset (enc);
  av_packet_free (&enc->packet);
  g_free (enc);
}

void
artic_jpeg_encoder_set_quality (ArticJpegEncoder *enc, gint quality)
{
  enc->quality = CLAMP (quality, 1, 100);
}

void
artic_jpeg_encoder_set_max_size (ArticJpegEncoder *enc, guint max_size)
{
  enc->max_size = CLAMP (max_size, ARTIC_JPEG_MIN_SIZE, ARTIC_JPEG_MAX_SIZE);
}

/* Keeps the aspect ratio; even sizes, as 4:2:0 wants. */
static void
artic_jpeg_output_size (
    gint width, gint height, guint max_size, gint *out_w, gint *out_h)
{
  gdouble scale = 1.0;

  if ((guint) MAX (width, height) > max_size)
    scale = max_size / (gdouble) MAX (width, height);
  *out_w = MAX (2, ((gint) (width * scale + 0.5)) & ~1);
  *out_h = MAX (2, ((gint) (height * scale + 0.5)) & ~1);
}

static gboolean
artic_jpeg_encoder_build (ArticJpegEncoder *enc, GstVideoFormat format,
    gint width, gint height, GError **error)
{
  const AVCodec *codec = avcodec_find_encoder (AV_CODEC_ID_MJPEG);
  gint out_w, out_h;

  artic_jpeg_encoder_reset (enc);
  if (codec == NULL) {
    g_set_error (error, ARTIC_JPEG_ERROR, 0, "libavcodec has no mjpeg encoder");
    return FALSE;
  }
  artic_jpeg_output_size (width, height, enc->max_size, &out_w, &out_h);
  enc->sws = sws_getContext (width, height, artic_jpeg_av_format (format),
      out_w, out_h, AV_PIX_FMT_YUV420P, SWS_AREA, NULL, NULL, NULL);
  if (enc->sws != NULL) {
    /* JPEG is full range; asking for YUV420P with a full-range destination
     * (instead of the deprecated YUVJ420P) gives the same planes. */
    const gint *coefs = sws_getCoefficients (SWS_CS_ITU601);
    gboolean rgb
        = GST_VIDEO_FORMAT_INFO_IS_RGB (gst_video_format_get_info (format));

    sws_setColorspaceDetails (
        enc->sws, coefs, rgb ? 1 : 0, coefs, 1, 0, 1 << 16, 1 << 16);
  }
  enc->frame = av_frame_alloc ();
  enc->codec = avcodec_alloc_context3 (codec);
  if (enc->sws == NULL || enc->frame == NULL || enc->codec == NULL) {
    g_set_error (error, ARTIC_JPEG_ERROR, 0, "cannot convert %dx%d %s frames",
        width, height, gst_video_format_to_string (format));
    artic_jpeg_encoder_reset (enc);
    return FALSE;
  }
  enc->frame->format = AV_PIX_FMT_YUVJ420P;
  enc->frame->width = out_w;
  enc->frame->height = out_h;
  enc->codec->width = out_w;
  enc->codec->height = out_h;
  enc->codec->pix_fmt = AV_PIX_FMT_YUVJ420P;
  enc->codec->time_base = (AVRational){ 1, 25 };
  enc->codec->flags |= AV_CODEC_FLAG_QSCALE;
  enc->codec->qmin = 1;
  enc->codec->qmax = 31;
  if (av_frame_get_buffer (enc->frame, 0) < 0
      || avcodec_open2 (enc->codec, codec, NULL) < 0) {
    g_set_error (error, ARTIC_JPEG_ERROR, 0,
        "cannot open the JPEG encoder for %dx%d", out_w, out_h);
    artic_jpeg_encoder_reset (enc);
    return FALSE;
  }
  enc->in_format = format;
  enc->in_width = width;
  enc->in_height = height;
  enc->built_max_size = enc->max_size;
  return TRUE;
}

gboolean
artic_jpeg_encoder_convert (ArticJpegEncoder *enc, GstVideoFormat format,
    gint width, gint height, const guint8 *const planes[], const gint strides[],
    GError **error)
{
  const guint8 *src[4] = { planes[0], NULL, NULL, NULL };
  gint src_stride[4] = { strides[0], 0, 0, 0 };
  guint n_planes = 1, i;

  if (!artic_jpeg_format_supported (format)) {
    g_set_error (error, ARTIC_JPEG_ERROR, 0, "unsupported format %s",
        gst_video_format_to_string (format));
    return FALSE;
  }
  if (width < 2 || height < 2 || width > 16384 || height > 16384) {
    g_set_error (
        error, ARTIC_JPEG_ERROR, 0, "unsupported size %dx%d", width, height);
    return FALSE;
  }
  if ((enc->sws == NULL || format != enc->in_format || width != enc->in_width
          || height != enc->in_height || enc->max_size != enc->built_max_size)
      && !artic_jpeg_encoder_build (enc, format, width, height, error))
    return FALSE;

  if (format == GST_VIDEO_FORMAT_I420 || format == GST_VIDEO_FORMAT_Y42B
      || format == GST_VIDEO_FORMAT_Y444 || format == GST_VIDEO_FORMAT_YV12)
    n_planes = 3;
  else if (format == GST_VIDEO_FORMAT_NV12 || format == GST_VIDEO_FORMAT_NV21)
    n_planes = 2;
  for (i = 1; i < n_planes; i++) {
    src[i] = planes[i];
    src_stride[i] = strides[i];
  }
  if (format == GST_VIDEO_FORMAT_YV12) {
    /* YV12 is I420 with V before U: the caller's plane order is V, U. */
    src[1] = planes[2];
    src[2] = planes[1];
    src_stride[1] = strides[2];
    src_stride[2] = strides[1];
  }
  if (av_frame_make_writable (enc->frame) < 0) {
    g_set_error (error, ARTIC_JPEG_ERROR, 0, "out of memory");
    return FALSE;
  }
  sws_scale (enc->sws, src, src_stride, 0, height, enc->frame->data,
      enc->frame->linesize);
  enc->have_frame = TRUE;
  return TRUE;
}

const guint8 *
artic_jpeg_encoder_get_luma (
    ArticJpegEncoder *enc, gint *width, gint *height, gint *stride)
{
  if (!enc->have_frame)
    return NULL;
  *width = enc->frame->width;
  *height = enc->frame->height;
  *stride = enc->frame->linesize[0];
  return enc->frame->data[0];
}

GBytes *
artic_jpeg_encoder_encode (ArticJpegEncoder *enc, GError **error)
{
  /* Quality 100 -> qscale 1, quality 1 -> qscale 31 (mjpeg's range). */
  gint qscale = 1 + (100 - enc->quality) * 30 / 99;
  GBytes *bytes;
  gint ret;

  if (!enc->have_frame) {
    g_set_error (error, ARTIC_JPEG_ERROR, 0, "no frame converted yet");
    return NULL;
  }
  enc->frame->quality = FF_QP2LAMBDA * qscale;
  /* Encoders want strictly increasing timestamps. */
  enc->frame->pts = enc->pts++;
  ret = avcodec_send_frame (enc->codec, enc->frame);
  if (ret >= 0)
    ret = avcodec_receive_packet (enc->codec, enc->packet);
  if (ret < 0) {
    g_set_error (error, ARTIC_JPEG_ERROR, 0, "JPEG encoding failed (%d)", ret);
    return NULL;
  }
  bytes = g_bytes_new (enc->packet->data, enc->packet->size);
  av_packet_unref (enc->packet);
  return bytes;
}
