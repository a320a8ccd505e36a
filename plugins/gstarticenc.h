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

#ifndef __GST_ARTIC_ENC_H__
#define __GST_ARTIC_ENC_H__

#include <gst/gst.h>
#include <gst/video/gstvideoencoder.h>

#include "artic-frame-rate.h"
#include "artic-video-encoder.h"

G_BEGIN_DECLS

/**
 * GstArticEncCodec:
 * @GST_ARTIC_ENC_CODEC_VP8: VP8 through libvpx (4 ROI segments, 16x16)
 * @GST_ARTIC_ENC_CODEC_VP9: VP9 through libvpx (7 ROI segments, 8x8)
 * @GST_ARTIC_ENC_CODEC_H264: H.264 through libavcodec's libx264 (per
 *   macroblock offsets)
 */
typedef enum
{
  GST_ARTIC_ENC_CODEC_VP8 = ARTIC_VENC_CODEC_VP8,
  GST_ARTIC_ENC_CODEC_VP9 = ARTIC_VENC_CODEC_VP9,
  GST_ARTIC_ENC_CODEC_H264 = ARTIC_VENC_CODEC_H264,
} GstArticEncCodec;

#define GST_TYPE_ARTIC_ENC_CODEC (gst_artic_enc_codec_get_type ())
GType gst_artic_enc_codec_get_type (void);

#define GST_TYPE_ARTIC_ENC (gst_artic_enc_get_type ())
G_DECLARE_FINAL_TYPE (
    GstArticEnc, gst_artic_enc, GST, ARTIC_ENC, GstVideoEncoder);

struct _GstArticEnc
{
  GstVideoEncoder parent;

  /* properties, under the object lock */
  GstArticEncCodec codec;
  guint bitrate;
  gdouble max_framerate;
  guint keyframe_max_dist;
  gint cpu_used;
  gboolean roi;
  gboolean adaptive_framerate;
  gdouble model_rate;
  gboolean reference_control;
  gboolean region_boost;
  gint background_filter; /* ArticVencConfig.background_filter */
  /* Loss rate the receiver reports (RTCP), 0..1: reference control's
   * resilient mode, and the frame-rate controller. */
  gdouble loss_fraction;
  /* Assumed by the frame-rate controller until loss_fraction is set. */
  gdouble loss_prior;
  gboolean loss_reported;
  gdouble loss_held;      /* what the frame-rate controller sees */
  GArray *pending_acks;   /* guint16 frame ids, applied before the next frame */
  gboolean loss_pending;  /* a force-key-unit request under reference control */
  gboolean refctl_active; /* the encoder runs reference control */
  ArticRefctlStats reference_stats; /* copy for the property */

  /* streaming thread only */
  ArticVenc *enc;
  GstVideoCodecState *input_state;
  ArticFrameRate *frame_rate; /* which frames to encode */
  /* frame-rate statistics (the stats property), under the object lock */
  gdouble stats_target_fps, stats_motion;
  guint64 stats_kept, stats_dropped;
  GstBuffer *out; /* the packet of the frame being encoded */
  gboolean out_key;
  GstClockTime resilient_until; /* running time; NONE: not resilient */
  GstClockTime last_loss;       /* running time of the last loss indication */
  gboolean out_has_mark;
  guint16 out_frame_id;
  guint8 out_mark;
};

GST_ELEMENT_REGISTER_DECLARE (articenc);

G_END_DECLS

#endif /* __GST_ARTIC_ENC_H__ */
