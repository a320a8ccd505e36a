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
 * SECTION:element-articenc
 * @title: articenc
 *
 * A real-time video encoder that spends the bits where the picture matters
 * for the conversation. It encodes I420 to VP8 or VP9 (libvpx, real-time
 * deadline, CBR, no look-ahead, error resilient) or H.264 (libx264 through
 * libavcodec, zerolatency tune, byte-stream access units), and honours the
 * per-frame #GstArticQpMapMeta that `articroi` attaches: the map is fitted
 * onto the codec's segments (VP8 4 on 16x16, VP9 7 on 8x8, H.264 one offset
 * per macroblock) and handed to the codec only when it changes. A frame
 * without the meta is encoded uniformly.
 *
 * #GstArticEnc:bitrate can change while playing: the new target applies from
 * the next frame, without caps renegotiation or a key frame.
 * #GstArticEnc:max-framerate drops frames that come sooner than its period
 * (the caps keep their frame rate). When the target bitrate cannot be met at
 * the input rate, frames are dropped too (never below
 * #GstArticEnc:model-rate) rather than overshooting. With
 * #GstArticEnc:adaptive-framerate the frame rate follows motion, scene
 * changes, #GstArticEnc:loss-fraction and the bits per frame; the chosen
 * rate is in #GstArticEnc:stats. Force-key-unit events are honoured.
 *
 *
 * #GstArticEnc:reference-control (VP8, on by default) keeps long-term
 * references the receiver acknowledged (golden/alt-ref, see
 * `sender/artic-ref-control.h` and `docs/conceal.md`): an upstream
 * force-key-unit event (a PLI) is then answered by a recovery frame that
 * predicts only from an acknowledged frame, and by a key frame only when
 * nothing acknowledged is recent enough (at most one per 300 ms). Each
 * frame carries a #GstArticFrameMarkMeta (frame id, flags) for the
 * `articframemark` RTP header extension. Acknowledgements come as upstream
 * custom events named `GstArticFrameAck` with a `frame-id` (uint) field.
 * #GstArticEnc:loss-fraction holds the loss rate the receiver reports; from
 * 2% (or after two force-key-unit requests within 2 s) every frame predicts
 * from the acknowledged frame only, for 5 s after the last such sign.
 * #GstArticEnc:loss-prior is the loss rate the frame-rate controller
 * assumes until #GstArticEnc:loss-fraction is first set (a sender expecting
 * reports sizes its first frames for a lossy link: large frames at the
 * model's rate would rarely arrive whole before the first report). The
 * frame-rate controller sees the reported loss held: a report below the
 * held value lowers it by a fifth only, so that one report with little loss
 * in a lossy stretch does not bring large frames (the prior is not held:
 * the first report replaces it). Until that report, reference control's
 * resilient mode runs if the prior is at least 2 %.
 * #GstArticEnc:region-boost (VP8 and VP9, on by default) lets the bits the
 * coarse rest of the frame leaves over reach the map's region at low
 * bitrates (from 5 bits per macroblock and frame: 640x360 at 30 fps from
 * 138 kbps; `docs/roi-encoding.md`, "Region boost" and "VP9"); off,
 * libvpx's rate control alone decides. Uniform encodes are the same either
 * way.
 * #GstArticEnc:background-filter low-passes the source where the map says
 * the block does not matter (offset above 12 QP steps) before the codec
 * sees it, with a box of that radius in pixels; the region and its margin
 * are left untouched. -1 (the default) is each codec's own setting: on
 * (radius 16) for VP9, off for VP8 and H.264, where it was measured to cost
 * region quality (`docs/roi-encoding.md`, "Background pre-filter").
 * Out-of-range property values are refused by GObject (the ranges are in
 * `gst-inspect-1.0 articenc`); a QP map of another frame size is ignored
 * with a warning.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=300 ! \
 *     video/x-raw,width=640,height=360,framerate=30/1 ! \
 *     articenc codec=vp8 bitrate=300 ! matroskamux ! filesink location=out.mkv
 * ]|
 * |[
 * gst-launch-1.0 videotestsrc pattern=smpte num-buffers=150 ! \
 *     video/x-raw,width=1280,height=720,framerate=30/1 ! \
 *     articenc codec=vp8 bitrate=100 adaptive-framerate=true model-rate=2 ! \
 *     matroskamux ! filesink location=static.mkv
 * ]| A still picture: about 2 frames a second are encoded.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticenc.h"

#include <string.h>

#include "artic-rtcp.h"
#include "gstarticframemark.h"
#include "gstarticqpmapmeta.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_enc_debug);
#define GST_CAT_DEFAULT gst_artic_enc_debug

#define DEFAULT_CODEC GST_ARTIC_ENC_CODEC_VP8
#define DEFAULT_BITRATE 500
#define DEFAULT_MAX_FRAMERATE 0.0
#define DEFAULT_KEYFRAME_MAX_DIST 300
#define DEFAULT_CPU_USED 8
#define DEFAULT_ROI TRUE
#define DEFAULT_ADAPTIVE_FRAMERATE FALSE
#define DEFAULT_MODEL_RATE ARTIC_FRAME_RATE_DEFAULT_MODEL_FPS
#define DEFAULT_REFERENCE_CONTROL TRUE
#define DEFAULT_LOSS_FRACTION 0.0
#define DEFAULT_LOSS_PRIOR 0.0
#define DEFAULT_REGION_BOOST TRUE
#define DEFAULT_BACKGROUND_FILTER ARTIC_VENC_BACKGROUND_FILTER_AUTO
/* Reported loss rate from which reference control predicts every frame from
 * the acknowledged long-term frame (docs/conceal.md). */
#define RESILIENT_LOSS_FRACTION 0.02
#define RESILIENT_HOLD (5 * GST_SECOND)
#define RESILIENT_LOSS_WINDOW (2 * GST_SECOND)
/* Acknowledgements queued between two frames (more is a flood: dropped). */
#define MAX_PENDING_ACKS 64
#define MAX_FRAMERATE 1000.0
#define MIN_MODEL_RATE 0.1

enum
{
  PROP_0,
  PROP_CODEC,
  PROP_BITRATE,
  PROP_MAX_FRAMERATE,
  PROP_KEYFRAME_MAX_DIST,
  PROP_CPU_USED,
  PROP_ROI,
  PROP_ADAPTIVE_FRAMERATE,
  PROP_MODEL_RATE,
  PROP_STATS,
  PROP_REFERENCE_CONTROL,
  PROP_LOSS_FRACTION,
  PROP_REFERENCE_STATS,
  PROP_LOSS_PRIOR,
  PROP_REGION_BOOST,
  PROP_BACKGROUND_FILTER,
};

static GstStaticPadTemplate gst_artic_enc_sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("video/x-raw, format = (string) I420, "
                         "width = (int) [ 2, 8192 ], "
                         "height = (int) [ 2, 8192 ], "
                         "framerate = (fraction) [ 0, MAX ]"));

static GstStaticPadTemplate gst_artic_enc_src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("video/x-vp8; video/x-vp9, profile = (string) 0; "
                         "video/x-h264, stream-format = (string) byte-stream, "
                         "alignment = (string) au"));

GType
gst_artic_enc_codec_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_ARTIC_ENC_CODEC_VP8, "VP8 (libvpx)", "vp8" },
    { GST_ARTIC_ENC_CODEC_VP9, "VP9 (libvpx)", "vp9" },
    { GST_ARTIC_ENC_CODEC_H264, "H.264 (libx264 via libavcodec)", "h264" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstArticEncCodec", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

#define gst_artic_enc_parent_class parent_class
G_DEFINE_TYPE (GstArticEnc, gst_artic_enc, GST_TYPE_VIDEO_ENCODER);
GST_ELEMENT_REGISTER_DEFINE (
    articenc, "articenc", GST_RANK_NONE, GST_TYPE_ARTIC_ENC);

static void gst_artic_enc_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void gst_artic_enc_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static gboolean gst_artic_enc_start (GstVideoEncoder *encoder);
static gboolean gst_artic_enc_stop (GstVideoEncoder *encoder);
static gboolean gst_artic_enc_flush (GstVideoEncoder *encoder);
static gboolean gst_artic_enc_set_format (
    GstVideoEncoder *encoder, GstVideoCodecState *state);
static GstFlowReturn gst_artic_enc_handle_frame (
    GstVideoEncoder *encoder, GstVideoCodecFrame *frame);
static gboolean gst_artic_enc_propose_allocation (
    GstVideoEncoder *encoder, GstQuery *query);
static gboolean gst_artic_enc_new_frame_rate (
    GstArticEnc *self, const ArticVencConfig *venc);
static gboolean gst_artic_enc_src_event (
    GstVideoEncoder *encoder, GstEvent *event);
static void gst_artic_enc_finalize (GObject *object);

static void
gst_artic_enc_class_init (GstArticEncClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstVideoEncoderClass *venc_class = GST_VIDEO_ENCODER_CLASS (klass);

  gobject_class->set_property = gst_artic_enc_set_property;
  gobject_class->get_property = gst_artic_enc_get_property;
  gobject_class->finalize = gst_artic_enc_finalize;

  g_object_class_install_property (gobject_class, PROP_CODEC,
      g_param_spec_enum ("codec", "Codec", "Output codec",
          GST_TYPE_ARTIC_ENC_CODEC, DEFAULT_CODEC,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_BITRATE,
      g_param_spec_uint ("bitrate", "Bitrate",
          "Target bitrate in kbit/s (CBR); can change while playing",
          ARTIC_VENC_MIN_BITRATE_KBPS, ARTIC_VENC_MAX_BITRATE_KBPS,
          DEFAULT_BITRATE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_MAX_FRAMERATE,
      g_param_spec_double ("max-framerate", "Maximum frame rate",
          "Frames per second above which frames are dropped (0 = no limit); "
          "the caps are not changed",
          0.0, MAX_FRAMERATE, DEFAULT_MAX_FRAMERATE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_KEYFRAME_MAX_DIST,
      g_param_spec_uint ("keyframe-max-dist", "Key frame maximum distance",
          "Frames between automatic key frames (0 = only on request)", 0,
          ARTIC_VENC_MAX_KEYFRAME_DIST, DEFAULT_KEYFRAME_MAX_DIST,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_CPU_USED,
      g_param_spec_int ("cpu-used", "CPU used",
          "Speed over quality (VP9 uses 5..9, the range where its ROI works; "
          "H.264 maps it to x264 presets)",
          0, ARTIC_VENC_MAX_CPU_USED, DEFAULT_CPU_USED,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_ROI,
      g_param_spec_boolean ("roi", "ROI",
          "Honour the per-frame QP offset map (GstArticQpMapMeta)", DEFAULT_ROI,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_REFERENCE_CONTROL,
      g_param_spec_boolean ("reference-control", "Reference control",
          "VP8: keep acknowledged long-term references and answer a "
          "force-key-unit request with a recovery frame predicted from one "
          "(a key frame only when none is usable)",
          DEFAULT_REFERENCE_CONTROL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_REGION_BOOST,
      g_param_spec_boolean ("region-boost", "Region boost",
          "VP8/VP9: while the map has a region, keep the base quantizer "
          "from the coarsest steps (VP8: one short of it, where libvpx would "
          "blunt the region too; VP9: the region at the base, the rest at "
          "the coarsest step), ease the region's loop filter (VP8), and let "
          "the region's shift rather than dropped frames meet the bitrate "
          "(docs/roi-encoding.md)",
          DEFAULT_REGION_BOOST,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_BACKGROUND_FILTER,
      g_param_spec_int ("background-filter", "Background filter",
          "Low-pass the source where the map's offset is above 12 QP steps "
          "(the background) with a box of this radius in pixels before "
          "encoding; 0 = off, -1 = the codec's default (VP9 16, VP8 and "
          "H.264 off)",
          ARTIC_VENC_BACKGROUND_FILTER_AUTO, ARTIC_VENC_MAX_BACKGROUND_FILTER,
          DEFAULT_BACKGROUND_FILTER,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_LOSS_FRACTION,
      g_param_spec_double ("loss-fraction", "Loss fraction",
          "Packet loss rate the receiver reports (RTCP), 0..1; with "
          "adaptive-framerate more frames are sent as it rises",
          0.0, 1.0, DEFAULT_LOSS_FRACTION,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_LOSS_PRIOR,
      g_param_spec_double ("loss-prior", "Loss prior",
          "Loss rate the frame-rate controller assumes until loss-fraction "
          "is first set, 0..1 (0: a clean link)",
          0.0, 1.0, DEFAULT_LOSS_PRIOR,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_REFERENCE_STATS,
      g_param_spec_boxed ("reference-stats", "Reference statistics",
          "Reference control: frames, keyframes, recoveries, long-terms, "
          "acks (candidates acknowledged), losses (requests)",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_property (gobject_class, PROP_ADAPTIVE_FRAMERATE,
      g_param_spec_boolean ("adaptive-framerate", "Adaptive frame rate",
          "Choose the frames per second from motion, scene changes, loss and "
          "bits per frame, between model-rate and the input rate (off: "
          "every frame, unless the bitrate cannot be met)",
          DEFAULT_ADAPTIVE_FRAMERATE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_MODEL_RATE,
      g_param_spec_double ("model-rate", "Model rate",
          "Frames per second the model samples: never fewer are encoded "
          "(unless max-framerate is lower)",
          MIN_MODEL_RATE, MAX_FRAMERATE, DEFAULT_MODEL_RATE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Frame-rate statistics: target-fps (the rate chosen now), "
          "frames-kept, frames-dropped, motion (0..1)",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_enc_sink_template);
  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_enc_src_template);
  gst_element_class_set_static_metadata (element_class,
      "artic ROI-aware video encoder", "Codec/Encoder/Video",
      "Real-time VP8/VP9/H.264 encoder that honours a per-frame QP offset "
      "map",
      "The artic authors");

  venc_class->start = GST_DEBUG_FUNCPTR (gst_artic_enc_start);
  venc_class->stop = GST_DEBUG_FUNCPTR (gst_artic_enc_stop);
  venc_class->flush = GST_DEBUG_FUNCPTR (gst_artic_enc_flush);
  venc_class->set_format = GST_DEBUG_FUNCPTR (gst_artic_enc_set_format);
  venc_class->handle_frame = GST_DEBUG_FUNCPTR (gst_artic_enc_handle_frame);
  venc_class->propose_allocation
      = GST_DEBUG_FUNCPTR (gst_artic_enc_propose_allocation);
  venc_class->src_event = GST_DEBUG_FUNCPTR (gst_artic_enc_src_event);

  gst_type_mark_as_plugin_api (GST_TYPE_ARTIC_ENC_CODEC, 0);
  GST_DEBUG_CATEGORY_INIT (
      gst_artic_enc_debug, "articenc", 0, "artic ROI-aware video encoder");
}

static void
gst_artic_enc_init (GstArticEnc *self)
{
  self->codec = DEFAULT_CODEC;
  self->bitrate = DEFAULT_BITRATE;
  self->max_framerate = DEFAULT_MAX_FRAMERATE;
  self->keyframe_max_dist = DEFAULT_KEYFRAME_MAX_DIST;
  self->cpu_used = DEFAULT_CPU_USED;
  self->roi = DEFAULT_ROI;
  self->adaptive_framerate = DEFAULT_ADAPTIVE_FRAMERATE;
  self->model_rate = DEFAULT_MODEL_RATE;
  self->reference_control = DEFAULT_REFERENCE_CONTROL;
  self->loss_fraction = DEFAULT_LOSS_FRACTION;
  self->loss_prior = DEFAULT_LOSS_PRIOR;
  self->loss_reported = FALSE;
  self->loss_held = 0.0;
  self->region_boost = DEFAULT_REGION_BOOST;
  self->background_filter = DEFAULT_BACKGROUND_FILTER;
  self->pending_acks = g_array_new (FALSE, FALSE, sizeof (guint16));
}

static void
gst_artic_enc_finalize (GObject *object)
{
  GstArticEnc *self = GST_ARTIC_ENC (object);

  g_array_unref (self->pending_acks);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_artic_enc_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstArticEnc *self = GST_ARTIC_ENC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_CODEC:
      self->codec = g_value_get_enum (value);
      break;
    case PROP_BITRATE:
      /* Applied by the streaming thread before the next frame. */
      self->bitrate = g_value_get_uint (value);
      break;
    case PROP_MAX_FRAMERATE:
      self->max_framerate = g_value_get_double (value);
      break;
    case PROP_KEYFRAME_MAX_DIST:
      self->keyframe_max_dist = g_value_get_uint (value);
      break;
    case PROP_CPU_USED:
      self->cpu_used = g_value_get_int (value);
      break;
    case PROP_ROI:
      self->roi = g_value_get_boolean (value);
      break;
    case PROP_ADAPTIVE_FRAMERATE:
      self->adaptive_framerate = g_value_get_boolean (value);
      break;
    case PROP_MODEL_RATE:
      self->model_rate = g_value_get_double (value);
      break;
    case PROP_REFERENCE_CONTROL:
      self->reference_control = g_value_get_boolean (value);
      break;
    case PROP_REGION_BOOST:
      self->region_boost = g_value_get_boolean (value);
      break;
    case PROP_BACKGROUND_FILTER:
      self->background_filter = g_value_get_int (value);
      break;
    case PROP_LOSS_FRACTION:
      /* Read by reference control (resilient mode above
       * RESILIENT_LOSS_FRACTION) and by the frame-rate controller. */
      self->loss_fraction = g_value_get_double (value);
      /* The frame-rate rule sees a held loss: one report with little loss
       * in a lossy stretch does not make it send large frames. The prior
       * is not held: on a clean link the first report brings the model's
       * rate and full-size frames at once (held, a DeViBench item's first
       * seconds were coded as small frames and its text misread). */
      self->loss_held = self->loss_reported ? artic_frame_rate_hold_loss (
                            self->loss_held, self->loss_fraction)
                                            : self->loss_fraction;
      self->loss_reported = TRUE;
      break;
    case PROP_LOSS_PRIOR:
      self->loss_prior = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_artic_enc_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstArticEnc *self = GST_ARTIC_ENC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_CODEC:
      g_value_set_enum (value, self->codec);
      break;
    case PROP_BITRATE:
      g_value_set_uint (value, self->bitrate);
      break;
    case PROP_MAX_FRAMERATE:
      g_value_set_double (value, self->max_framerate);
      break;
    case PROP_KEYFRAME_MAX_DIST:
      g_value_set_uint (value, self->keyframe_max_dist);
      break;
    case PROP_CPU_USED:
      g_value_set_int (value, self->cpu_used);
      break;
    case PROP_ROI:
      g_value_set_boolean (value, self->roi);
      break;
    case PROP_ADAPTIVE_FRAMERATE:
      g_value_set_boolean (value, self->adaptive_framerate);
      break;
    case PROP_MODEL_RATE:
      g_value_set_double (value, self->model_rate);
      break;
    case PROP_REFERENCE_CONTROL:
      g_value_set_boolean (value, self->reference_control);
      break;
    case PROP_REGION_BOOST:
      g_value_set_boolean (value, self->region_boost);
      break;
    case PROP_BACKGROUND_FILTER:
      g_value_set_int (value, self->background_filter);
      break;
    case PROP_LOSS_FRACTION:
      g_value_set_double (value, self->loss_fraction);
      break;
    case PROP_LOSS_PRIOR:
      g_value_set_double (value, self->loss_prior);
      break;
    case PROP_STATS:
      g_value_take_boxed (
          value, gst_structure_new ("articenc-stats", "target-fps",
                     G_TYPE_DOUBLE, self->stats_target_fps, "frames-kept",
                     G_TYPE_UINT64, self->stats_kept, "frames-dropped",
                     G_TYPE_UINT64, self->stats_dropped, "motion",
                     G_TYPE_DOUBLE, self->stats_motion, NULL));
      break;
    case PROP_REFERENCE_STATS:
      g_value_take_boxed (value,
          gst_structure_new ("artic-reference-stats", "frames", G_TYPE_UINT64,
              self->reference_stats.frames, "keyframes", G_TYPE_UINT64,
              self->reference_stats.keyframes, "recoveries", G_TYPE_UINT64,
              self->reference_stats.recoveries, "long-terms", G_TYPE_UINT64,
              self->reference_stats.long_terms, "acks", G_TYPE_UINT64,
              self->reference_stats.acks, "losses", G_TYPE_UINT64,
              self->reference_stats.losses, NULL));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_artic_enc_reset (GstArticEnc *self)
{
  g_clear_pointer (&self->enc, artic_venc_free);
  g_clear_pointer (&self->input_state, gst_video_codec_state_unref);
  gst_clear_buffer (&self->out);
  g_clear_pointer (&self->frame_rate, artic_frame_rate_free);
  self->resilient_until = GST_CLOCK_TIME_NONE;
  self->last_loss = GST_CLOCK_TIME_NONE;
  GST_OBJECT_LOCK (self);
  g_array_set_size (self->pending_acks, 0);
  self->loss_pending = FALSE;
  self->refctl_active = FALSE;
  GST_OBJECT_UNLOCK (self);
}

static gboolean
gst_artic_enc_start (GstVideoEncoder *encoder)
{
  GstArticEnc *self = GST_ARTIC_ENC (encoder);

  /* Kept after stop, for a summary; a new run starts from zero. */
  GST_OBJECT_LOCK (self);
  memset (&self->reference_stats, 0, sizeof (self->reference_stats));
  GST_OBJECT_UNLOCK (self);
  gst_artic_enc_reset (GST_ARTIC_ENC (encoder));
  return TRUE;
}

static gboolean
gst_artic_enc_stop (GstVideoEncoder *encoder)
{
  gst_artic_enc_reset (GST_ARTIC_ENC (encoder));
  return TRUE;
}

static gboolean
gst_artic_enc_flush (GstVideoEncoder *encoder)
{
  GstArticEnc *self = GST_ARTIC_ENC (encoder);

  /* Nothing is queued (lag 0); only the frame-rate controller starts over. */
  if (self->frame_rate != NULL)
    artic_frame_rate_reset (self->frame_rate);
  return TRUE;
}

static GstCaps *
gst_artic_enc_output_caps (GstArticEncCodec codec)
{
  switch (codec) {
    case GST_ARTIC_ENC_CODEC_VP9:
      return gst_caps_new_simple (
          "video/x-vp9", "profile", G_TYPE_STRING, "0", NULL);
    case GST_ARTIC_ENC_CODEC_H264:
      return gst_caps_new_simple ("video/x-h264", "stream-format",
          G_TYPE_STRING, "byte-stream", "alignment", G_TYPE_STRING, "au", NULL);
    case GST_ARTIC_ENC_CODEC_VP8:
    default:
      return gst_caps_new_empty_simple ("video/x-vp8");
  }
}

static gboolean
gst_artic_enc_set_format (GstVideoEncoder *encoder, GstVideoCodecState *state)
{
  GstArticEnc *self = GST_ARTIC_ENC (encoder);
  GstVideoCodecState *out_state;
  ArticVencConfig config;
  GError *error = NULL;
  ArticVenc *enc;

  artic_venc_config_init (&config);
  GST_OBJECT_LOCK (self);
  config.codec = (ArticVencCodec) self->codec;
  config.bitrate_kbps = self->bitrate;
  config.keyframe_max_dist = self->keyframe_max_dist;
  config.cpu_used = self->cpu_used;
  config.reference_control = self->reference_control;
  config.region_boost = self->region_boost;
  config.background_filter = self->background_filter;
  GST_OBJECT_UNLOCK (self);
  config.width = GST_VIDEO_INFO_WIDTH (&state->info);
  config.height = GST_VIDEO_INFO_HEIGHT (&state->info);
  if (GST_VIDEO_INFO_FPS_N (&state->info) > 0
      && GST_VIDEO_INFO_FPS_D (&state->info) > 0)
    gst_util_fraction_to_double (GST_VIDEO_INFO_FPS_N (&state->info),
        GST_VIDEO_INFO_FPS_D (&state->info), &config.framerate);
  config.framerate = CLAMP (config.framerate, 1.0, MAX_FRAMERATE);
  if (!gst_artic_enc_new_frame_rate (self, &config))
    return FALSE;

  /* A new size needs a new encoder (its first frame is a key frame). */
  enc = artic_venc_new (&config, &error);
  if (enc == NULL) {
    GST_ELEMENT_ERROR (self, LIBRARY, INIT, ("Could not start the encoder"),
        ("%s", error->message));
    g_error_free (error);
    return FALSE;
  }
  GST_INFO_OBJECT (self, "%s encoder %ux%u at %u kbps",
      artic_venc_codec_name (config.codec), config.width, config.height,
      config.bitrate_kbps);
  g_clear_pointer (&self->enc, artic_venc_free);
  self->enc = enc;
  /* Read by src_event in other threads, which must not touch self->enc. */
  GST_OBJECT_LOCK (self);
  self->refctl_active = artic_venc_has_reference_control (enc);
  GST_OBJECT_UNLOCK (self);
  if (self->input_state)
    gst_video_codec_state_unref (self->input_state);
  self->input_state = gst_video_codec_state_ref (state);

  out_state = gst_video_encoder_set_output_state (encoder,
      gst_artic_enc_output_caps ((GstArticEncCodec) config.codec), state);
  gst_video_codec_state_unref (out_state);
  return gst_video_encoder_negotiate (encoder);
}

/* The frame-rate controller for a new format. Without a frame rate in the
 * caps the controller assumes 30 fps for its cap; the gaps between frames
 * come from their timestamps anyway. */
static gboolean
gst_artic_enc_new_frame_rate (GstArticEnc *self, const ArticVencConfig *venc)
{
  ArticFrameRateConfig config;
  ArticFrameRate *fr;
  GError *error = NULL;

  artic_frame_rate_config_init (&config);
  config.capture_fps = venc->framerate;
  config.width = venc->width;
  config.height = venc->height;
  GST_OBJECT_LOCK (self);
  config.model_fps = self->model_rate;
  config.max_fps = self->max_framerate;
  config.adaptive = self->adaptive_framerate;
  GST_OBJECT_UNLOCK (self);
  fr = artic_frame_rate_new (&config, &error);
  if (fr == NULL) {
    GST_ELEMENT_ERROR (self, LIBRARY, INIT,
        ("Could not start the frame-rate controller"), ("%s", error->message));
    g_error_free (error);
    return FALSE;
  }
  g_clear_pointer (&self->frame_rate, artic_frame_rate_free);
  self->frame_rate = fr;
  return TRUE;
}

static gboolean
gst_artic_enc_propose_allocation (GstVideoEncoder *encoder, GstQuery *query)
{
  /* Planes are read through GstVideoFrame: any strides are fine. */
  gst_query_add_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL);
  return GST_VIDEO_ENCODER_CLASS (parent_class)
      ->propose_allocation (encoder, query);
}

/* Whether to encode this frame (the frame-rate controller, with the current
 * properties). The luma is read only when the rule looks at motion. */
static gboolean
gst_artic_enc_select_frame (GstArticEnc *self, GstVideoCodecFrame *frame,
    guint bitrate, gboolean force_key, ArticFrameRateDecision *decision)
{
  GstVideoEncoder *encoder = GST_VIDEO_ENCODER (self);
  GstClockTime running_time = gst_segment_to_running_time (
      &encoder->input_segment, GST_FORMAT_TIME, frame->pts);
  GstVideoFrame vframe;
  gboolean adaptive, mapped = FALSE;
  gint64 time_us;

  GST_OBJECT_LOCK (self);
  adaptive = self->adaptive_framerate;
  /* A receiver waiting for a recovery point (a loss indication under
   * reference control) should not wait for the next frame due at 2 fps. */
  force_key = force_key || self->loss_pending;
  artic_frame_rate_set_adaptive (self->frame_rate, adaptive);
  artic_frame_rate_set_max_fps (self->frame_rate, self->max_framerate);
  artic_frame_rate_set_model_fps (self->frame_rate, self->model_rate);
  artic_frame_rate_set_loss (self->frame_rate,
      self->loss_reported ? self->loss_held : self->loss_prior);
  GST_OBJECT_UNLOCK (self);

  if (GST_CLOCK_TIME_IS_VALID (running_time))
    time_us = (gint64) (running_time / GST_USECOND);
  else
    time_us = (gint64) frame->system_frame_number * 33333;
  if (adaptive)
    mapped = gst_video_frame_map (
        &vframe, &self->input_state->info, frame->input_buffer, GST_MAP_READ);
  artic_frame_rate_decide (self->frame_rate,
      mapped ? GST_VIDEO_FRAME_PLANE_DATA (&vframe, 0) : NULL,
      mapped ? (gsize) GST_VIDEO_FRAME_PLANE_STRIDE (&vframe, 0) : 0, time_us,
      bitrate, force_key, decision);
  if (mapped)
    gst_video_frame_unmap (&vframe);

  GST_OBJECT_LOCK (self);
  self->stats_target_fps = decision->target_fps;
  self->stats_motion = decision->motion;
  self->stats_kept = artic_frame_rate_get_kept (self->frame_rate);
  self->stats_dropped = artic_frame_rate_get_dropped (self->frame_rate);
  GST_OBJECT_UNLOCK (self);
  GST_LOG_OBJECT (self,
      "frame at %" GST_TIME_FORMAT ": %s, target %.2f fps, motion %.3f",
      GST_TIME_ARGS (running_time),
      artic_frame_rate_verdict_name (decision->verdict), decision->target_fps,
      decision->motion);
  return decision->keep;
}

static void
gst_artic_enc_collect (const ArticVencPacket *packet, gpointer user_data)
{
  GstArticEnc *self = user_data;

  /* lag 0: one packet per frame; a second one would be a codec bug, keep
   * the newest rather than leak. */
  gst_clear_buffer (&self->out);
  self->out = gst_buffer_new_memdup (packet->data, packet->size);
  self->out_key = packet->keyframe;
  self->out_has_mark = packet->has_mark;
  self->out_frame_id = packet->frame_id;
  self->out_mark = packet->mark_flags;
}

/* Acknowledgements come from the RTCP thread; the encoder is the
 * streaming thread's: they are queued and applied before the next frame. */
static gboolean
gst_artic_enc_src_event (GstVideoEncoder *encoder, GstEvent *event)
{
  GstArticEnc *self = GST_ARTIC_ENC (encoder);
  const GstStructure *s = gst_event_get_structure (event);
  guint frame_id;

  gboolean refctl;

  GST_OBJECT_LOCK (self);
  refctl = self->refctl_active;
  GST_OBJECT_UNLOCK (self);
  if (refctl && gst_video_event_is_force_key_unit (event)) {
    /* A loss indication for reference control, answered with a recovery
     * frame: the base class would keep asking for a key frame until one
     * came, and merge the requests that arrive meanwhile. */
    GST_OBJECT_LOCK (self);
    self->loss_pending = TRUE;
    GST_OBJECT_UNLOCK (self);
    gst_event_unref (event);
    return TRUE;
  }
  if (GST_EVENT_TYPE (event) != GST_EVENT_CUSTOM_UPSTREAM || s == NULL
      || !gst_structure_has_name (s, "GstArticFrameAck"))
    return GST_VIDEO_ENCODER_CLASS (parent_class)->src_event (encoder, event);
  if (gst_structure_get_uint (s, "frame-id", &frame_id)
      && frame_id <= G_MAXUINT16) {
    guint16 id = (guint16) frame_id;

    GST_OBJECT_LOCK (self);
    if (self->pending_acks->len < MAX_PENDING_ACKS)
      g_array_append_val (self->pending_acks, id);
    GST_OBJECT_UNLOCK (self);
  } else {
    GST_WARNING_OBJECT (self, "ignoring a frame ack without a 16-bit frame-id");
  }
  gst_event_unref (event);
  return TRUE;
}

static void
gst_artic_enc_apply_feedback (GstArticEnc *self, GstClockTime running_time)
{
  GArray *acks;
  gboolean loss;
  gdouble loss_fraction;
  gboolean prior_resilient;
  guint i;

  GST_OBJECT_LOCK (self);
  acks = self->pending_acks;
  self->pending_acks = g_array_new (FALSE, FALSE, sizeof (guint16));
  loss = self->loss_pending;
  self->loss_pending = FALSE;
  loss_fraction = self->loss_fraction;
  /* Before the first report, the prior: a sender expecting a lossy link
   * makes every frame a recovery point as soon as one is acknowledged,
   * rather than waiting for a report, or for two PLIs that RTCP's timing
   * rules space out by half a second or more (loss-bench: a chain broken at
   * 0.27 s came back at 1.47 s). Not held: the first report decides. */
  prior_resilient
      = !self->loss_reported && self->loss_prior >= RESILIENT_LOSS_FRACTION;
  GST_OBJECT_UNLOCK (self);
  if (loss) {
    artic_venc_on_loss (self->enc);
    /* Two loss indications close together say the link is lossy as well
     * as a report does (and reports are rarer while the receiver sends
     * early feedback). */
    if (GST_CLOCK_TIME_IS_VALID (running_time)
        && GST_CLOCK_TIME_IS_VALID (self->last_loss)
        && running_time < self->last_loss + RESILIENT_LOSS_WINDOW)
      self->resilient_until = running_time + RESILIENT_HOLD;
    self->last_loss = running_time;
  }
  /* At or above this loss rate (or after two loss indications within
   * RESILIENT_LOSS_WINDOW), and for RESILIENT_HOLD after the last report
   * that said so (one clean report interval is no proof of a clean link),
   * every frame predicts from the acknowledged frame only: a lost frame
   * then costs only itself. */
  if (loss_fraction >= RESILIENT_LOSS_FRACTION
      && GST_CLOCK_TIME_IS_VALID (running_time))
    self->resilient_until = running_time + RESILIENT_HOLD;
  artic_venc_set_resilient (
      self->enc, prior_resilient
                     || (GST_CLOCK_TIME_IS_VALID (running_time)
                         && GST_CLOCK_TIME_IS_VALID (self->resilient_until)
                         && running_time < self->resilient_until));
  for (i = 0; i < acks->len; i++)
    if (artic_venc_on_ack (self->enc, g_array_index (acks, guint16, i)))
      GST_DEBUG_OBJECT (self, "frame %u acknowledged: new long-term reference",
          g_array_index (acks, guint16, i));
  g_array_unref (acks);
}

static void
gst_artic_enc_apply_roi (GstArticEnc *self, GstBuffer *input, gboolean roi)
{
  GstArticQpMapMeta *meta
      = roi ? gst_buffer_get_artic_qp_map_meta (input) : NULL;
  GError *error = NULL;

  if (artic_venc_set_qp_map (self->enc, meta ? meta->map : NULL, &error))
    return;
  GST_WARNING_OBJECT (
      self, "QP map ignored, frame encoded uniformly: %s", error->message);
  g_clear_error (&error);
  /* Uniform rather than a stale map that may point at the wrong place. */
  if (!artic_venc_set_qp_map (self->enc, NULL, &error)) {
    GST_WARNING_OBJECT (self, "could not clear the QP map: %s", error->message);
    g_clear_error (&error);
  }
}

static GstFlowReturn
gst_artic_enc_handle_frame (GstVideoEncoder *encoder, GstVideoCodecFrame *frame)
{
  GstArticEnc *self = GST_ARTIC_ENC (encoder);
  GstClockTime running_time = gst_segment_to_running_time (
      &encoder->input_segment, GST_FORMAT_TIME, frame->pts);
  const guint8 *planes[3];
  gint strides[3];
  ArticFrameRateDecision decision;
  GstVideoFrame vframe;
  GError *error = NULL;
  gboolean force_key, ok, roi;
  guint bitrate, i;

  if (self->enc == NULL || self->input_state == NULL) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("No input format"),
        ("a frame arrived before caps"));
    gst_video_encoder_finish_frame (encoder, frame);
    return GST_FLOW_NOT_NEGOTIATED;
  }

  GST_OBJECT_LOCK (self);
  bitrate = self->bitrate;
  roi = self->roi;
  GST_OBJECT_UNLOCK (self);

  force_key = GST_VIDEO_CODEC_FRAME_IS_FORCE_KEYFRAME (frame);
  if (!gst_artic_enc_select_frame (
          self, frame, bitrate, force_key, &decision)) {
    /* No output buffer: the base class drops the frame cleanly (the kept
     * frames keep their timestamps). */
    return gst_video_encoder_finish_frame (encoder, frame);
  }

  /* The target as corrected by the controller for the codec's long-term
   * error (artic_frame_rate: encoder_kbps). */
  if (!artic_venc_set_bitrate (self->enc,
          CLAMP (decision.encoder_kbps, ARTIC_VENC_MIN_BITRATE_KBPS,
              ARTIC_VENC_MAX_BITRATE_KBPS),
          &error)) {
    GST_WARNING_OBJECT (self, "bitrate %u kbps not applied: %s",
        decision.encoder_kbps, error->message);
    g_clear_error (&error);
  }
  gst_artic_enc_apply_roi (self, frame->input_buffer, roi);
  gst_artic_enc_apply_feedback (self, running_time);

  if (!gst_video_frame_map (&vframe, &self->input_state->info,
          frame->input_buffer, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (self, STREAM, ENCODE, ("Could not read a frame"),
        ("mapping the input buffer failed"));
    gst_video_encoder_finish_frame (encoder, frame);
    return GST_FLOW_ERROR;
  }
  for (i = 0; i < 3; i++) {
    planes[i] = GST_VIDEO_FRAME_PLANE_DATA (&vframe, i);
    strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE (&vframe, i);
  }
  /* The rate control runs on the controller's clock: the smoothed gaps
   * between kept frames (the output keeps the input's timestamps). */
  ok = artic_venc_encode (self->enc, planes, strides, decision.encoder_pts_us,
      decision.encoder_duration_us, force_key, gst_artic_enc_collect, self,
      &error);
  gst_video_frame_unmap (&vframe);
  if (!ok) {
    GST_ELEMENT_ERROR (
        self, STREAM, ENCODE, ("Encoding failed"), ("%s", error->message));
    g_error_free (error);
    gst_video_encoder_finish_frame (encoder, frame);
    return GST_FLOW_ERROR;
  }

  artic_frame_rate_encoded (self->frame_rate,
      self->out ? gst_buffer_get_size (self->out) : 0,
      self->out != NULL && self->out_key,
      artic_venc_get_last_quantizer (self->enc));
  GST_LOG_OBJECT (self,
      "encoded %" G_GSIZE_FORMAT " bytes%s, quantizer %.2f, codec at %u kbps",
      self->out ? gst_buffer_get_size (self->out) : 0,
      self->out_key ? " (key)" : "", artic_venc_get_last_quantizer (self->enc),
      decision.encoder_kbps);
  if (self->out != NULL) {
    if (self->out_has_mark) {
      ArticRefctlStats stats;

      gst_buffer_add_artic_frame_mark_meta (
          self->out, self->out_frame_id, self->out_mark);
      if (self->out_mark & ARTIC_FRAME_MARK_RECOVERY)
        GST_DEBUG_OBJECT (self, "frame %u: recovery point", self->out_frame_id);
      artic_venc_get_reference_stats (self->enc, &stats);
      GST_OBJECT_LOCK (self);
      self->reference_stats = stats;
      GST_OBJECT_UNLOCK (self);
    }
    frame->output_buffer = self->out;
    self->out = NULL;
    if (self->out_key)
      GST_VIDEO_CODEC_FRAME_SET_SYNC_POINT (frame);
    else
      GST_VIDEO_CODEC_FRAME_UNSET_SYNC_POINT (frame);
  }
  return gst_video_encoder_finish_frame (encoder, frame);
}
