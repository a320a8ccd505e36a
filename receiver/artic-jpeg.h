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

/* JPEG encoding of sampled frames for the MLLM (libavcodec's mjpeg and
 * libswscale): converts any common raw format to full-range 4:2:0 at most
 * max_size pixels on the longer side, and encodes at a quality of 1-100.
 * The converted luma plane is available before encoding, so that a frame the
 * chunk cache skips costs a scale, not an encode. */

#ifndef __ARTIC_JPEG_H__
#define __ARTIC_JPEG_H__

#include <gst/video/video.h>

G_BEGIN_DECLS

#define ARTIC_JPEG_ERROR (artic_jpeg_error_quark ())

#define ARTIC_JPEG_DEFAULT_QUALITY 85
#define ARTIC_JPEG_DEFAULT_MAX_SIZE 768
#define ARTIC_JPEG_MIN_SIZE 16
#define ARTIC_JPEG_MAX_SIZE 8192

typedef struct _ArticJpegEncoder ArticJpegEncoder;

GQuark artic_jpeg_error_quark (void);
gboolean artic_jpeg_format_supported (GstVideoFormat format);
ArticJpegEncoder *artic_jpeg_encoder_new (gint quality, guint max_size);
void artic_jpeg_encoder_free (ArticJpegEncoder *enc);
void artic_jpeg_encoder_set_quality (ArticJpegEncoder *enc, gint quality);
void artic_jpeg_encoder_set_max_size (ArticJpegEncoder *enc, guint max_size);
gboolean artic_jpeg_encoder_convert (ArticJpegEncoder *enc,
    GstVideoFormat format, gint width, gint height,
    const guint8 *const planes[], const gint strides[], GError **error);
const guint8 *artic_jpeg_encoder_get_luma (
    ArticJpegEncoder *enc, gint *width, gint *height, gint *stride);
GBytes *artic_jpeg_encoder_encode (ArticJpegEncoder *enc, GError **error);

G_END_DECLS

#endif /* __ARTIC_JPEG_H__ */
