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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "artic-video-encoder.h"

#include <math.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/intreadwrite.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <vpx/vp8cx.h>
#include <vpx/vpx_encoder.h>

#include "artic-roi-segments.h"

G_DEFINE_QUARK (artic_venc_error_quark, artic_venc_error)

static gboolean apply_segments (ArticVenc *enc, GError **error);

/* Rate control buffer in milliseconds: short, so that a bitrate cut takes
 * effect within a fraction of a second (real-time chat, no queue). */
#define ARTIC_VENC_BUFFER_MS 600
/* Key frames may cost this many percent of an average frame: a large key
 * frame is a latency spike on a thin uplink. */
#define ARTIC_VENC_MAX_INTRA_PCT 600
/* ... and at most this many bytes, whatever the frame rate: at 2 fps an
 * average frame is 0.5 s of bitrate, and six of them made key frames of
 * 40-60 kB (35-50 packets) that at 10 % loss never arrived whole
 * (loss-bench). 8000 bytes are 7 packets at artic-send's MTU: whole with
 * probability 0.48 at 10 % loss, more with the key-frame FEC. */
#define ARTIC_VENC_MAX_KEYFRAME_BYTES 8000
#define ARTIC_VENC_MIN_QUANTIZER 2
/* libvpx's base quantizer (0..63) may fall at most this many steps from
 * one frame to the next. Its one-pass rate control predicts a frame's size
 * at a finer quantizer from the last frames' sizes; on camera noise the
 * real cost grows far faster (the noise gets coded), so when a frame's
 * budget jumps (the frame-rate guard keeping fewer frames, the trim
 * raising the bitrate) it picked q 4 where q 30 had been right and one
 * frame took 215 kB of a 400 kbit/s stream (docs/roi-encoding.md, "Noisy
 * footage"). */
#define ARTIC_VENC_MAX_QUANTIZER_FALL 8
/* VP9's region boost: where the region's step starts from 5 bits per
 * macroblock and frame up (see vp9_start_cap and control_vp9_cap). */
#define BOOST_VP9_MAX_QUANTIZER 32
/* VP9's boost: the background (the segments at +63) is coded on one frame
 * in BOOST_VP9_BACKGROUND_REFRESH and held on the others (the segment skip
 * feature: no residual, no mode, the last frame's pixels), so it is never
 * more than two frames (67 ms at 30 fps) old. At the coarsest step the
 * background still costs about a third of 200 kbps at 640x360 in mode
 * and partition signalling (the partitioning follows the base, which is
 * the region's step); held, it costs next to nothing, and the rate loop
 * gives the region the difference: 640x360/200 kbps +3.50 -> +4.0 dB
 * over 3 s, +3.59 -> +4.18 over 10 s, the rest 0.1-0.2 dB lower
 * (docs/roi-encoding.md, "VP9"). */
#define BOOST_VP9_BACKGROUND_REFRESH 3

struct _ArticVenc
{
  ArticVencConfig config;
  guint map_updates;
  /* The segments of the last map as fitted, before the shift (NULL: no
   * map), and the shifted ones the codec currently has. */
  ArticRoiSegments *raw;
  ArticRoiSegments *segments;
  /* Shift control (see control_shift): the current cap, the rate bucket
   * (bits above the target so far) and frames since the last cap change. */
  gint shift_cap;
  gdouble bucket_bits;
  guint frames_since_cap;
  /* artic_venc_get_last_quantizer */
  gdouble last_quantizer;
  /* The last inter frame's base quantizer, libvpx's 0..63 scale, -1: none
   * yet. Not a key frame's: the byte cap sets that one, and the frames
   * after a capped key frame must be free to get back to the content's
   * quantizer (with it, loss recovery in feedback-stream took 1.1 s
   * instead of 0.74). */
  gint vpx_last_q;
  gboolean vpx_last_was_key;
  /* The last frame's base quantizer, key frames included (-1: none). */
  gint vpx_base_q;
  /* The region boost (see boost_update): engaged now, and whether the
   * segments the codec has were sent with it. */
  gboolean boost_engaged;
  gboolean boost_sent;
  /* VP8's boost: libvpx units the region's step is eased by (see
   * control_vp8_ease), the value the codec has, and frames since the last
   * change. */
  gint vp8_ease;
  gint vp8_ease_sent;
  guint frames_since_ease;
  /* libvpx's coarsest base quantizer for inter frames (63; lower while
   * the boost is engaged). */
  guint inter_max_q;
  /* VP9's boost: the inter frames' coarsest base quantizer (= the region's
   * step), moved with the rate (see control_vp9_cap). */
  gint vp9_cap;
  /* VP9's boost: the background segment held (libvpx's segment skip) on
   * this frame, and the frames counted for the refresh rotation. */
  gboolean background_held;
  guint background_phase;
  /* control_vp9_cap: bits minus budget of the last inter frames, one
   * background rotation's worth. */
  gdouble vp9_excess[BOOST_VP9_BACKGROUND_REFRESH];
  /* Background pre-filtering: the map as given (NULL: none), the filter's
   * settings (radius 0: off), its scratch and the filtered frame. */
  ArticQpMap *map;
  ArticRoiPrefilterParams prefilter_params;
  ArticRoiPrefilter *prefilter;
  guint8 *filtered;
  guint8 *filtered_planes[3];
  gint filtered_strides[3];

  /* libvpx (VP8, VP9) */
  vpx_codec_ctx_t vpx;
  vpx_codec_enc_cfg_t vpx_cfg;
  gboolean vpx_open;
  gboolean vpx_started; /* a frame was encoded */
  guint vpx_intra_pct;  /* the key-frame cap last set */

  /* VP8 reference control (NULL: libvpx's own references) and the time
   * of the last frame, in the stream's microseconds. */
  ArticRefctl *refctl;
  gint64 last_pts;

  /* libavcodec (H.264) */
  AVCodecContext *av;
  AVFrame *frame;
  AVPacket *packet;
};

void
artic_venc_config_init (ArticVencConfig *config)
{
  memset (config, 0, sizeof (*config));
  config->codec = ARTIC_VENC_CODEC_VP8;
  config->width = 640;
  config->height = 360;
  config->bitrate_kbps = 500;
  config->keyframe_max_dist = 300;
  config->cpu_used = 8;
  config->framerate = 30.0;
  config->region_boost = TRUE;
  config->background_filter = ARTIC_VENC_BACKGROUND_FILTER_AUTO;
}

gint
artic_venc_default_background_filter (ArticVencCodec codec)
{
  switch (codec) {
    case ARTIC_VENC_CODEC_VP9:
      return 16;
    case ARTIC_VENC_CODEC_VP8:
    case ARTIC_VENC_CODEC_H264:
    default:
      return 0;
  }
}

const gchar *
artic_venc_codec_name (ArticVencCodec codec)
{
  switch (codec) {
    case ARTIC_VENC_CODEC_VP8:
      return "vp8";
    case ARTIC_VENC_CODEC_VP9:
      return "vp9";
    case ARTIC_VENC_CODEC_H264:
      return "h264";
  }
  return "unknown";
}

gboolean
artic_venc_config_validate (const ArticVencConfig *config, GError **error)
{
  if (config->codec > ARTIC_VENC_CODEC_H264) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID,
        "unknown codec %d", (gint) config->codec);
    return FALSE;
  }
  if (config->width < 2 || config->height < 2
      || config->width > ARTIC_VENC_MAX_DIMENSION
      || config->height > ARTIC_VENC_MAX_DIMENSION) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID,
        "frame size %ux%u outside 2x2..%ux%u", config->width, config->height,
        ARTIC_VENC_MAX_DIMENSION, ARTIC_VENC_MAX_DIMENSION);
    return FALSE;
  }
  if (config->codec == ARTIC_VENC_CODEC_H264
      && (config->width % 2 != 0 || config->height % 2 != 0)) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID,
        "H.264 4:2:0 needs an even frame size, not %ux%u", config->width,
        config->height);
    return FALSE;
  }
  if (config->bitrate_kbps < ARTIC_VENC_MIN_BITRATE_KBPS
      || config->bitrate_kbps > ARTIC_VENC_MAX_BITRATE_KBPS) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID,
        "bitrate %u kbps outside %u..%u", config->bitrate_kbps,
        ARTIC_VENC_MIN_BITRATE_KBPS, ARTIC_VENC_MAX_BITRATE_KBPS);
    return FALSE;
  }
  if (config->cpu_used < 0 || config->cpu_used > ARTIC_VENC_MAX_CPU_USED) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID,
        "cpu-used %d outside 0..%d", config->cpu_used, ARTIC_VENC_MAX_CPU_USED);
    return FALSE;
  }
  if (config->keyframe_max_dist > ARTIC_VENC_MAX_KEYFRAME_DIST) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID,
        "key frame distance %u above %u", config->keyframe_max_dist,
        ARTIC_VENC_MAX_KEYFRAME_DIST);
    return FALSE;
  }
  if (config->background_filter < ARTIC_VENC_BACKGROUND_FILTER_AUTO
      || config->background_filter > ARTIC_VENC_MAX_BACKGROUND_FILTER) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID,
        "background filter %d outside %d..%d", config->background_filter,
        ARTIC_VENC_BACKGROUND_FILTER_AUTO, ARTIC_VENC_MAX_BACKGROUND_FILTER);
    return FALSE;
  }
  if (!(config->framerate > 0.0 && config->framerate <= 1000.0)) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID,
        "frame rate %g outside (0, 1000]", config->framerate);
    return FALSE;
  }
  return TRUE;
}

static gboolean
vpx_fail (ArticVenc *enc, const gchar *what, GError **error)
{
  const gchar *detail = vpx_codec_error_detail (&enc->vpx);

  g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_CODEC, "%s: %s%s%s",
      what, vpx_codec_error (&enc->vpx), detail ? ": " : "",
      detail ? detail : "");
  return FALSE;
}

static gboolean
vpx_open (ArticVenc *enc, GError **error)
{
  const ArticVencConfig *c = &enc->config;
  gboolean vp9 = c->codec == ARTIC_VENC_CODEC_VP9;
  vpx_codec_iface_t *iface = vp9 ? vpx_codec_vp9_cx () : vpx_codec_vp8_cx ();
  vpx_codec_enc_cfg_t *cfg = &enc->vpx_cfg;
  gint speed = c->cpu_used;

  if (vpx_codec_enc_config_default (iface, cfg, 0) != VPX_CODEC_OK) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_CODEC,
        "libvpx has no default %s configuration",
        artic_venc_codec_name (c->codec));
    return FALSE;
  }
  cfg->g_w = c->width;
  cfg->g_h = c->height;
  /* Microseconds: frames may be dropped upstream or by max-framerate, and
   * the rate control must see the real gaps. */
  cfg->g_timebase.num = 1;
  cfg->g_timebase.den = 1000000;
  cfg->g_threads = 1;
  cfg->g_lag_in_frames = 0;
  cfg->g_error_resilient = VPX_ERROR_RESILIENT_DEFAULT;
  cfg->g_pass = VPX_RC_ONE_PASS;
  cfg->rc_end_usage = VPX_CBR;
  cfg->rc_target_bitrate = c->bitrate_kbps;
  cfg->rc_dropframe_thresh = 0;
  cfg->rc_resize_allowed = 0;
  cfg->rc_min_quantizer = ARTIC_VENC_MIN_QUANTIZER;
  cfg->rc_max_quantizer = 63;
  cfg->rc_undershoot_pct = 50;
  cfg->rc_overshoot_pct = 50;
  cfg->rc_buf_sz = ARTIC_VENC_BUFFER_MS;
  cfg->rc_buf_initial_sz = ARTIC_VENC_BUFFER_MS * 5 / 6;
  cfg->rc_buf_optimal_sz = ARTIC_VENC_BUFFER_MS * 5 / 6;
  if (c->keyframe_max_dist == 0) {
    cfg->kf_mode = VPX_KF_DISABLED;
  } else {
    cfg->kf_mode = VPX_KF_AUTO;
    cfg->kf_min_dist = 0;
    cfg->kf_max_dist = c->keyframe_max_dist;
  }

  if (vpx_codec_enc_init (&enc->vpx, iface, cfg, 0) != VPX_CODEC_OK)
    return vpx_fail (enc, "libvpx encoder init", error);
  enc->vpx_open = TRUE;

  if (vp9) {
    /* ROI maps only work in real-time mode at speed >= 5 and with the
     * variance/cyclic-refresh AQ modes off (they own the segments). */
    speed = CLAMP (
        speed, ARTIC_VENC_VP9_MIN_CPU_USED, ARTIC_VENC_VP9_MAX_CPU_USED);
    if (vpx_codec_control (&enc->vpx, VP9E_SET_AQ_MODE, 0) != VPX_CODEC_OK
        || vpx_codec_control (&enc->vpx, VP9E_SET_TILE_COLUMNS, 0)
               != VPX_CODEC_OK
        || vpx_codec_control (&enc->vpx, VP9E_SET_ROW_MT, 0) != VPX_CODEC_OK)
      return vpx_fail (enc, "libvpx VP9 controls", error);
  } else {
    if (vpx_codec_control (&enc->vpx, VP8E_SET_NOISE_SENSITIVITY, 0)
        != VPX_CODEC_OK)
      return vpx_fail (enc, "libvpx VP8 controls", error);
    /* VP8 in real-time mode re-picks a positive speed from how long each
     * frame took: the output would depend on the machine's load. A negative
     * value fixes the speed. */
    speed = -speed;
  }
  if (vpx_codec_control (&enc->vpx, VP8E_SET_CPUUSED, speed) != VPX_CODEC_OK
      || vpx_codec_control (&enc->vpx, VP8E_SET_MAX_INTRA_BITRATE_PCT,
             ARTIC_VENC_MAX_INTRA_PCT)
             != VPX_CODEC_OK)
    return vpx_fail (enc, "libvpx speed controls", error);
  enc->vpx_intra_pct = ARTIC_VENC_MAX_INTRA_PCT;
  enc->vpx_started = FALSE;
  return TRUE;
}

static const gchar *
x264_preset (gint cpu_used)
{
  /* ultrafast turns adaptive quantization off, and the libx264 wrapper
   * ignores ROI side data without it: superfast is the fastest usable. */
  if (cpu_used >= 8)
    return "superfast";
  if (cpu_used >= 4)
    return "veryfast";
  return "faster";
}

static gboolean
av_fail (const gchar *what, int ret, GError **error)
{
  gchar buf[AV_ERROR_MAX_STRING_SIZE] = { 0 };

  av_strerror (ret, buf, sizeof (buf));
  g_set_error (
      error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_CODEC, "%s: %s", what, buf);
  return FALSE;
}

static void
av_set_rate (AVCodecContext *av, guint kbps)
{
  av->bit_rate = (int64_t) kbps * 1000;
  av->rc_max_rate = av->bit_rate;
  av->rc_buffer_size = (int) (av->bit_rate * ARTIC_VENC_BUFFER_MS / 1000);
}

static gboolean
av_open (ArticVenc *enc, GError **error)
{
  const ArticVencConfig *c = &enc->config;
  const AVCodec *codec = avcodec_find_encoder_by_name ("libx264");
  AVDictionary *opts = NULL;
  gchar keyint[32];
  int ret;

  /* libx264 reports its statistics on stderr at the default level. */
  if (av_log_get_level () > AV_LOG_ERROR)
    av_log_set_level (AV_LOG_ERROR);
  if (codec == NULL) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_CODEC,
        "libavcodec has no libx264 encoder");
    return FALSE;
  }
  enc->av = avcodec_alloc_context3 (codec);
  enc->frame = av_frame_alloc ();
  enc->packet = av_packet_alloc ();
  if (enc->av == NULL || enc->frame == NULL || enc->packet == NULL) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_CODEC,
        "out of memory for libavcodec");
    return FALSE;
  }
  enc->av->width = c->width;
  enc->av->height = c->height;
  enc->av->pix_fmt = AV_PIX_FMT_YUV420P;
  enc->av->time_base = (AVRational){ 1, 1000000 };
  enc->av->framerate = av_d2q (c->framerate, 1001000);
  enc->av->max_b_frames = 0;
  enc->av->thread_count = 1;
  /* 0 = key frames on request only; x264 wants a large keyint for that. */
  enc->av->gop_size = c->keyframe_max_dist ? (int) c->keyframe_max_dist
                                           : ARTIC_VENC_MAX_KEYFRAME_DIST;
  av_set_rate (enc->av, c->bitrate_kbps);

  g_snprintf (keyint, sizeof (keyint), "%d", enc->av->gop_size);
  av_dict_set (&opts, "preset", x264_preset (c->cpu_used), 0);
  av_dict_set (&opts, "tune", "zerolatency", 0);
  /* A requested key frame must be an IDR a joining decoder can start at. */
  av_dict_set (&opts, "forced-idr", "1", 0);
  av_dict_set (&opts, "aq-mode", "1", 0);
  ret = avcodec_open2 (enc->av, codec, &opts);
  av_dict_free (&opts);
  if (ret < 0)
    return av_fail ("libx264 open", ret, error);
  return TRUE;
}

/* The rate control picks one base quantizer for the frame and the offsets
 * add to it. At low bitrates that base is already near the coarsest step,
 * so positive-only offsets cannot make the background much cheaper and the
 * saving never reaches the region. Shifting the offsets down by their mean
 * over the frame keeps the average step where the rate control put it and
 * gives the region a finer one. The shift is capped per codec: a region
 * far finer than the base makes the rate control (which predicts a frame's
 * size from the base alone) overshoot in VP8, and in libvpx 1.12 VP9 large
 * negative offsets cost the region quality (measured, docs/roi-encoding.md). */
static gint
max_shift (ArticVencCodec codec)
{
  switch (codec) {
    case ARTIC_VENC_CODEC_VP8:
      return 16;
    case ARTIC_VENC_CODEC_VP9:
      return 6;
    case ARTIC_VENC_CODEC_H264:
    default:
      return 51;
  }
}

ArticVenc *
artic_venc_new (const ArticVencConfig *config, GError **error)
{
  ArticVenc *enc;
  gboolean ok;

  g_return_val_if_fail (config != NULL, NULL);
  if (!artic_venc_config_validate (config, error))
    return NULL;

  enc = g_new0 (ArticVenc, 1);
  enc->config = *config;
  enc->shift_cap = max_shift (config->codec);
  enc->last_quantizer = -1.0;
  enc->vpx_last_q = -1;
  enc->vpx_base_q = -1;
  enc->inter_max_q = 63;
  enc->vp9_cap = BOOST_VP9_MAX_QUANTIZER;
  if (config->reference_control && config->codec == ARTIC_VENC_CODEC_VP8)
    enc->refctl = artic_refctl_new (NULL);
  artic_roi_prefilter_params_init (&enc->prefilter_params);
  enc->prefilter_params.threshold = ARTIC_VENC_BACKGROUND_THRESHOLD;
  enc->prefilter_params.full = ARTIC_VENC_BACKGROUND_FULL;
  enc->prefilter_params.radius
      = config->background_filter == ARTIC_VENC_BACKGROUND_FILTER_AUTO
            ? (guint) artic_venc_default_background_filter (config->codec)
            : (guint) config->background_filter;
  if (enc->prefilter_params.radius > 0) {
    enc->prefilter = artic_roi_prefilter_new ();
    enc->filtered = g_malloc (
        (gsize) config->width * config->height
        + 2 * (gsize) ((config->width + 1) / 2) * ((config->height + 1) / 2));
  }
  if (config->codec == ARTIC_VENC_CODEC_H264)
    ok = av_open (enc, error);
  else
    ok = vpx_open (enc, error);
  if (!ok) {
    artic_venc_free (enc);
    return NULL;
  }
  return enc;
}

void
artic_venc_free (ArticVenc *enc)
{
  if (enc == NULL)
    return;
  if (enc->vpx_open)
    vpx_codec_destroy (&enc->vpx);
  avcodec_free_context (&enc->av);
  av_frame_free (&enc->frame);
  av_packet_free (&enc->packet);
  artic_roi_segments_free (enc->raw);
  artic_roi_segments_free (enc->segments);
  artic_refctl_free (enc->refctl);
  artic_qp_map_free (enc->map);
  artic_roi_prefilter_free (enc->prefilter);
  g_free (enc->filtered);
  g_free (enc);
}

gboolean
artic_venc_set_bitrate (ArticVenc *enc, guint kbps, GError **error)
{
  if (kbps < ARTIC_VENC_MIN_BITRATE_KBPS
      || kbps > ARTIC_VENC_MAX_BITRATE_KBPS) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID,
        "bitrate %u kbps outside %u..%u", kbps, ARTIC_VENC_MIN_BITRATE_KBPS,
        ARTIC_VENC_MAX_BITRATE_KBPS);
    return FALSE;
  }
  if (kbps == enc->config.bitrate_kbps)
    return TRUE;
  if (enc->av != NULL) {
    /* The libx264 wrapper reconfigures x264 before the next frame when it
     * sees new rates in the context: no restart, no IDR. */
    av_set_rate (enc->av, kbps);
  } else {
    /* Same frame size: libvpx keeps its state and forces no key frame. */
    enc->vpx_cfg.rc_target_bitrate = kbps;
    if (vpx_codec_enc_config_set (&enc->vpx, &enc->vpx_cfg) != VPX_CODEC_OK) {
      enc->vpx_cfg.rc_target_bitrate = enc->config.bitrate_kbps;
      return vpx_fail (enc, "libvpx bitrate change", error);
    }
  }
  enc->config.bitrate_kbps = kbps;
  return enc->raw == NULL || apply_segments (enc, error);
}

guint
artic_venc_get_map_updates (const ArticVenc *enc)
{
  return enc->map_updates;
}

static ArticRoiCodec
roi_codec (ArticVencCodec codec)
{
  switch (codec) {
    case ARTIC_VENC_CODEC_VP9:
      return ARTIC_ROI_CODEC_VP9;
    case ARTIC_VENC_CODEC_H264:
      return ARTIC_ROI_CODEC_H264;
    case ARTIC_VENC_CODEC_VP8:
    default:
      return ARTIC_ROI_CODEC_VP8;
  }
}

static gboolean
segments_equal (const ArticRoiSegments *a, const ArticRoiSegments *b)
{
  gsize n;

  if (a == NULL || b == NULL)
    return a == b;
  if (a->cols != b->cols || a->rows != b->rows
      || a->n_segments != b->n_segments)
    return FALSE;
  n = (gsize) a->cols * a->rows;
  if (memcmp (a->delta, b->delta, n) != 0)
    return FALSE;
  if (a->segment_id != NULL && b->segment_id != NULL
      && memcmp (a->segment_id, b->segment_id, n) != 0)
    return FALSE;
  return memcmp (a->segment_delta, b->segment_delta, sizeof (a->segment_delta))
         == 0;
}

/* The map's offsets are in H.264/H.265 QP steps (0..51, +6 = twice the
 * step). libvpx's external quantizer scale (0..63) spans a much smaller
 * range of step sizes (VP8 ac 4..157, about 40x, against about 360x for
 * H.264), so one QP step is about two libvpx units. VP8 takes 3: at low
 * bitrates its base quantizer already sits near the coarsest step, so the
 * background cannot go much coarser and the region must go finer to gain
 * (roi-bench, docs/roi-encoding.md: +4.6..+6.4 dB instead of +3.0..+5.1
 * at 640x360 100/400/800 kbps, +5.2 instead of +3.2 dB at 200 kbps and
 * 10 fps). VP9 stays at 2 (3 made its region worse). */
static gint
vpx_units_per_qp (ArticVencCodec codec)
{
  return codec == ARTIC_VENC_CODEC_VP8 ? 3 : 2;
}

static gint
vpx_delta_q (ArticVencCodec codec, gint qp_delta)
{
  return CLAMP (qp_delta * vpx_units_per_qp (codec), -63, 63);
}

static void
center_segments (ArticRoiSegments *s, gint cap)
{
  gsize n = (gsize) s->cols * s->rows, i;
  gint64 sum = 0;
  gint shift;

  for (i = 0; i < n; i++)
    sum += s->delta[i];
  shift = (gint) ((sum + (gint64) n / 2) / (gint64) n);
  shift = MIN (shift, cap);
  if (shift <= 0)
    return;
  /* Clamped: a map from elsewhere may hold any gint8, and a wrap would turn
   * the finest block into the coarsest. */
  for (i = 0; i < n; i++)
    s->delta[i] = (gint8) CLAMP (s->delta[i] - shift, G_MININT8, G_MAXINT8);
  for (i = 0; i < s->n_segments; i++)
    s->segment_delta[i] -= shift;
}

/* The region boost (VP8). At low bitrates libvpx's rate control puts the
 * base quantizer at VP8's coarsest step (63), and there it widens the zero
 * bin of every macroblock to claw bits back ("zbin over-quant"): the
 * region's coefficients are zeroed too, whatever its segment offset, so
 * the bits the coarse rest leaves over never buy the region its detail
 * (640x360 at 200 kbps: the base sat at 63 on every frame and the stream
 * undershot). With a region in the map, its full shift applied and
 * enough bits per macroblock (ARTIC_VENC_BOOST_MIN_MB_BITS), the
 * base stops one step short (BOOST_MAX_QUANTIZER): the rest still lands at
 * the coarsest step through its positive offsets, and the region is coded
 * at its own step. Its loop filter is eased with its offset
 * (BOOST_REGION_LF): the frame's filter level follows the coarse base and
 * would smooth the text the region was made sharp for. And the frame-rate
 * guard, which drops frames when the quantizer sits at the coarsest step,
 * is told BOOST_ROOM_QUANTIZER instead: the shift control (control_shift)
 * can still make the region coarser. Once it has to (the stream overshoots
 * with no room, e.g. 1280x720 at 100 kbps), the boost disengages and
 * everything is as without it: libvpx may widen the zero bin again and the
 * guard sees the real quantizer. Measured in docs/roi-encoding.md. */
#define BOOST_MAX_QUANTIZER 62
/* VP9's boost is different (measured, docs/roi-encoding.md "VP9"): in
 * libvpx 1.12's real-time VP9 a segment finer than the base quantizer buys
 * little, because the frame's partitioning thresholds and mode decisions
 * follow the base, so the region is coded at the base (no shift) and every
 * segment above BOOST_REGION_QP at the coarsest step (+63), and the base
 * on inter frames is capped by a rate loop of the encoder's own
 * (control_vp9_cap, starting at vp9_start_cap): libvpx's rate
 * control, which predicts a frame's size from the base alone, would
 * otherwise keep the base (= the region) coarse. */
#define BOOST_REGION_QP 6
#define BOOST_REGION_LF 10
#define BOOST_ROOM_QUANTIZER 0.85
/* Once engaged, the boost stays down to this fraction of
 * ARTIC_VENC_BOOST_MIN_MB_BITS: the trim moves the bitrate by a few percent
 * all the time, and each switch re-sends the map. */
#define BOOST_KEEP_FRACTION 0.9

static gboolean
boost_wanted (const ArticVenc *enc)
{
  const ArticRoiSegments *raw = enc->raw;

  gdouble mb_bits;

  if (!enc->config.region_boost || enc->config.codec == ARTIC_VENC_CODEC_H264
      || raw == NULL || raw->n_segments < 2
      || enc->shift_cap < max_shift (enc->config.codec))
    return FALSE;
  /* At the nominal frame rate (frames the controller leaves out would make
   * this a loop: more bits per frame, the boost, more frames kept). */
  mb_bits
      = enc->config.bitrate_kbps * 1000.0 / enc->config.framerate
        / (((enc->config.width + 15) / 16) * ((enc->config.height + 15) / 16));
  if (enc->config.codec == ARTIC_VENC_CODEC_VP8
      && mb_bits < ARTIC_VENC_BOOST_MIN_MB_BITS
                       * (enc->boost_engaged ? BOOST_KEEP_FRACTION : 1.0))
    return FALSE;
  /* segment_delta is ascending. */
  return raw->segment_delta[raw->n_segments - 1] - raw->segment_delta[0]
         >= ARTIC_VENC_BOOST_MIN_CONTRAST;
}

/* Where VP9's rate loop starts when the boost engages: 32 from 5 bits
 * per macroblock and frame up, 8 steps coarser per halving below (1280x720
 * 100 kbps: 51). Starting at 32 there, the first inter frame after the key
 * frame (which libvpx codes without the map, at the coarsest step) re-coded
 * the region at 32: 4.7 kB, and with the key frame 0.6 s of the bitrate,
 * which the loop could not pay back within 3 s (+22 %). */
static gint
vp9_start_cap (const ArticVenc *enc)
{
  gdouble mb_bits
      = enc->config.bitrate_kbps * 1000.0 / enc->config.framerate
        / (((enc->config.width + 15) / 16) * ((enc->config.height + 15) / 16));
  gdouble cap
      = BOOST_VP9_MAX_QUANTIZER
        + 8.0 * log2 (ARTIC_VENC_BOOST_MIN_MB_BITS / MAX (mb_bits, 0.01));

  return (gint) CLAMP (cap, BOOST_VP9_MAX_QUANTIZER, 56.0);
}

static gboolean
boost_update (ArticVenc *enc, GError **error)
{
  gboolean engage = boost_wanted (enc);
  guint max_q = 63;

  if (engage)
    max_q = enc->config.codec == ARTIC_VENC_CODEC_VP9 ? (guint) enc->vp9_cap
                                                      : BOOST_MAX_QUANTIZER;

  if (engage && !enc->boost_engaged
      && enc->config.codec == ARTIC_VENC_CODEC_VP9)
    enc->vp9_cap = vp9_start_cap (enc);
  enc->boost_engaged = engage;
  if (!engage)
    enc->vp8_ease = 0;
  enc->inter_max_q = max_q;
  if (enc->av != NULL || enc->vpx_cfg.rc_max_quantizer == max_q)
    return TRUE;
  enc->vpx_cfg.rc_max_quantizer = max_q;
  /* The fall limit's floor must stay inside the range. */
  enc->vpx_cfg.rc_min_quantizer = MIN (enc->vpx_cfg.rc_min_quantizer, max_q);
  if (vpx_codec_enc_config_set (&enc->vpx, &enc->vpx_cfg) != VPX_CODEC_OK)
    return vpx_fail (enc, "libvpx quantizer range", error);
  return TRUE;
}

gboolean
artic_venc_get_boost_engaged (const ArticVenc *enc)
{
  return enc->boost_engaged;
}

/* VP9 (libvpx 1.12, error resilient) codes the segment id of every block
 * in every frame, with probabilities fitted to that frame's ids: seven ids
 * in rings around the box cost about as much as the coefficients of a
 * 1280x720 frame at 200 kbps (measured: the map alone, every offset 0,
 * held the base quantizer 8-13 steps coarser than the uniform encode's,
 * region -3.9 dB over the 10-s clip; docs/roi-encoding.md, "VP9").
 * VP8 codes the ids only in the frames that carry a new map (a key frame,
 * a box that moved, the boost engaging), but there each costs its share
 * of the ids' entropy: with four ids in rings, a map sent with every frame
 * of the 10-s clip (640x360, 200 kbps, 64-pixel map) cost ~150 bytes a
 * frame (a second with the boost on throughout: 238 instead of 202 kbps)
 * and the region 1.25 dB. Segments the codec would treat alike (the
 * same delta_q and delta_lf; with the boost, the whole background at +63)
 * are therefore merged into one id, for both codecs: the same test then
 * costs the region 0.70 dB (16-pixel map: 0.91 -> 0.28). Returns the new ids
 * (rows * cols) and compacts @roi's deltas. */
static guint8 *
merge_segments (vpx_roi_map_t *roi, const ArticRoiSegments *segments)
{
  gsize n = (gsize) roi->rows * roi->cols, i;
  guint8 merged[ARTIC_ROI_MAX_SEGMENTS];
  gint delta_q[ARTIC_ROI_MAX_SEGMENTS], delta_lf[ARTIC_ROI_MAX_SEGMENTS];
  guint8 *ids = g_new (guint8, n);
  guint s, t, n_merged = 0;

  for (s = 0; s < segments->n_segments; s++) {
    for (t = 0; t < n_merged; t++)
      if (delta_q[t] == roi->delta_q[s] && delta_lf[t] == roi->delta_lf[s])
        break;
    if (t == n_merged) {
      delta_q[t] = roi->delta_q[s];
      delta_lf[t] = roi->delta_lf[s];
      n_merged++;
    }
    merged[s] = (guint8) t;
  }
  for (s = 0; s < G_N_ELEMENTS (roi->delta_q); s++) {
    roi->delta_q[s] = s < n_merged ? delta_q[s] : 0;
    roi->delta_lf[s] = s < n_merged ? delta_lf[s] : 0;
  }
  for (i = 0; i < n; i++)
    ids[i] = merged[segments->segment_id[i]];
  return ids;
}

/* VP8's boost: every segment the map did not put in the region (its
 * offset above BOOST_REGION_QP, the rule VP9's boost uses) is coded at
 * the coarsest step, +63 whatever the base. Two reasons. The published
 * rule's offsets rise gradually from the box edge, and with a map on
 * 16-pixel blocks (articroi's default) the four VP8 segments come out as
 * the box, a ring at 10 QP steps and the rest; shifted by 16 the ring
 * landed 18 units under the base (q 44 of 63, 68 macroblocks at 640x360),
 * bits the region did not get (roi-bench --block-size 16, 640x360, 300
 * frames: 200 / 400 / 800 kbps +3.95 / +5.44 / +7.88 -> +4.00 / +6.03 /
 * +8.10 dB). And the positive offsets (+3..+27 units) put the rest at the
 * coarsest step only while libvpx's base sits at the boost's 62: when
 * the base comes down (a cheap second, a bitrate with room) the rest went
 * finer with it, and its three segments, all alike at the coarsest step
 * while the base sits at 62, kept three ids in the map. At +63 they are
 * one segment (merge_segments), and the rest stays at the coarsest step.
 * The price: on the 64-pixel map the ring next to the box, which sat at
 * the base (62), is at 63 too, a slightly worse reference for the region
 * as the camera moves (articenc, first 3 s: +4.33 -> +4.15 dB). roi-bench,
 * 640x360, 300 frames, with
 * control_vp8_ease: mean region gain over 180..220 kbps, 64-pixel map
 * +3.56 -> +3.72 dB, 16-pixel map +3.93 -> +4.13; 400 / 800 kbps
 * +4.30 / +6.17 -> +5.79 / +7.40 dB (64-pixel map; the rest 0.8 / 1.4 dB
 * lower), see docs/roi-encoding.md ("VP8: what was tried", fourth round).
 * @segments is @enc->raw shifted, segment for segment. */
static gboolean
vp8_boost_background (
    const ArticVenc *enc, const ArticRoiSegments *segments, guint index)
{
  return enc->config.codec == ARTIC_VENC_CODEC_VP8 && enc->boost_engaged
         && enc->raw != NULL && enc->raw->n_segments == segments->n_segments
         && enc->raw->segment_delta[index] > BOOST_REGION_QP;
}

static gboolean
vpx_send_segments (
    ArticVenc *enc, const ArticRoiSegments *segments, GError **error)
{
  gboolean vp9 = enc->config.codec == ARTIC_VENC_CODEC_VP9;
  guint bs = vp9 ? 8 : 16;
  vpx_roi_map_t roi;
  guint8 *merged = NULL;
  guint i;

  memset (&roi, 0, sizeof (roi));
  roi.rows = (enc->config.height + bs - 1) / bs;
  roi.cols = (enc->config.width + bs - 1) / bs;
  /* A zeroed ref_frame[] would pin every VP9 segment to intra. */
  for (i = 0; i < G_N_ELEMENTS (roi.ref_frame); i++)
    roi.ref_frame[i] = -1;
  if (segments != NULL) {
    roi.enabled = 1;
    roi.roi_map = segments->segment_id;
    for (i = 0; i < segments->n_segments; i++) {
      roi.delta_q[i]
          = vpx_delta_q (enc->config.codec, segments->segment_delta[i]);
      if (vp9 && enc->boost_engaged) {
        roi.delta_q[i] = segments->segment_delta[i] > BOOST_REGION_QP ? 63 : 0;
        continue;
      }
      if (vp8_boost_background (enc, segments, i)) {
        roi.delta_q[i] = 63;
        continue;
      }
      if (enc->boost_engaged && segments->segment_delta[i] < 0) {
        roi.delta_q[i] = MIN (roi.delta_q[i] + enc->vp8_ease, 0);
        roi.delta_lf[i] = CLAMP (BOOST_REGION_LF * segments->segment_delta[i]
                                     / max_shift (enc->config.codec),
            -63, 0);
      }
    }
  }
  if (segments != NULL && segments->segment_id != NULL) {
    merged = merge_segments (&roi, segments);
    roi.roi_map = merged;
    if (vp9 && enc->boost_engaged && enc->background_held)
      for (i = 0; i < G_N_ELEMENTS (roi.skip); i++)
        if (roi.delta_q[i] == 63)
          roi.skip[i] = 1;
  }
  /* roi_map NULL turns segmentation off again. (The control is a macro
   * pasting its id: one call per codec.) */
  if (vp9) {
    gboolean ok
        = vpx_codec_control (&enc->vpx, VP9E_SET_ROI_MAP, &roi) == VPX_CODEC_OK;

    g_free (merged);
    if (!ok)
      return vpx_fail (enc, "libvpx VP9 ROI map", error);
  } else {
    gboolean ok
        = vpx_codec_control (&enc->vpx, VP8E_SET_ROI_MAP, &roi) == VPX_CODEC_OK;

    g_free (merged);
    if (!ok)
      return vpx_fail (enc, "libvpx VP8 ROI map", error);
  }
  return TRUE;
}

static ArticRoiSegments *
segments_copy (const ArticRoiSegments *s)
{
  ArticRoiSegments *copy = g_memdup2 (s, sizeof (*s));
  gsize n = (gsize) s->cols * s->rows;

  copy->segment_id = s->segment_id ? g_memdup2 (s->segment_id, n) : NULL;
  copy->delta = g_memdup2 (s->delta, n);
  return copy;
}

/* Hands the codec the raw segments shifted by the current cap, if that
 * differs from what it has. */
static gboolean
apply_segments (ArticVenc *enc, GError **error)
{
  ArticRoiSegments *segments = NULL;

  if (!boost_update (enc, error))
    return FALSE;
  if (enc->raw != NULL) {
    segments = segments_copy (enc->raw);
    /* VP9's boost codes the region at the base (see BOOST_VP9_*). */
    if (!(enc->boost_engaged && enc->config.codec == ARTIC_VENC_CODEC_VP9))
      center_segments (segments, enc->shift_cap);
  }
  /* Each map costs header bits in every frame libvpx sends it with. */
  if (segments_equal (segments, enc->segments)
      && enc->boost_engaged == enc->boost_sent
      && enc->vp8_ease == enc->vp8_ease_sent) {
    artic_roi_segments_free (segments);
    return TRUE;
  }
  if (enc->av == NULL && !vpx_send_segments (enc, segments, error)) {
    artic_roi_segments_free (segments);
    return FALSE;
  }
  artic_roi_segments_free (enc->segments);
  enc->segments = segments;
  enc->boost_sent = enc->boost_engaged;
  enc->vp8_ease_sent = enc->vp8_ease;
  enc->map_updates++;
  return TRUE;
}

gboolean
artic_venc_set_qp_map (ArticVenc *enc, const ArticQpMap *map, GError **error)
{
  ArticRoiSegments *raw = NULL;

  if (map != NULL) {
    if (map->width != enc->config.width || map->height != enc->config.height) {
      g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID,
          "QP map for %ux%u, frames are %ux%u", map->width, map->height,
          enc->config.width, enc->config.height);
      return FALSE;
    }
    raw = artic_roi_segments_from_map (map, roi_codec (enc->config.codec));
    if (raw == NULL) {
      g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID,
          "QP map cannot be fitted to %s segments",
          artic_venc_codec_name (enc->config.codec));
      return FALSE;
    }
  }
  /* Only the background filter reads the map as given: no copy per frame
   * without it. */
  if (enc->prefilter != NULL) {
    artic_qp_map_free (enc->map);
    enc->map = map ? artic_qp_map_copy (map) : NULL;
  }
  if (segments_equal (raw, enc->raw)) {
    artic_roi_segments_free (raw);
    return TRUE;
  }
  artic_roi_segments_free (enc->raw);
  enc->raw = raw;
  return apply_segments (enc, error);
}

/* Where the rate control has no room left (its base quantizer at the
 * coarsest step, e.g. 720p at 100 kbps), a finer region cannot be paid for
 * by the rest and the stream overshoots. A leaky bucket of the bits above
 * the target watches for that: half a second of overshoot shrinks the
 * shift quickly, an empty bucket lets it grow back slowly. */
#define SHIFT_OVERSHOOT_S 0.5
#define SHIFT_DOWN_EVERY 3
#define SHIFT_UP_EVERY 30
/* VP8: the bucket forgets its content with this time constant, so only an
 * overshoot that lasts trips it (a steady 12.5 % over the target fills it
 * to SHIFT_OVERSHOOT_S). Without the leak it summed every excess since
 * the start against the bitrate it was handed, which the frame-rate
 * controller's trim lowers after an overshoot (a key frame): the same
 * excess was paid back twice, and at 640x360/200 kbps a stream within
 * 5 % of its target cut the shift at frame ~105 of the 10-s clip. The
 * cut disengaged the region boost and libvpx went to its coarsest step
 * with the zero bin widened (region 31.5 dB, the uniform encode's 30.5)
 * for 1.5 s. With the leak the boost stays on for the whole clip: region
 * gain +3.52 -> +3.77 dB at 198.9 kbps (docs/roi-encoding.md, "Region
 * boost (VP8)"). VP9's boost has its own loop (control_vp9_cap). */
#define SHIFT_LEAK_S 4.0

/* VP8's boost, before the shift control cuts anything: when the bucket
 * (control_shift) holds SHIFT_OVERSHOOT_S of excess, where the shift
 * control would cut, and libvpx's base sits at the boost's cap (no room),
 * the region's step is eased one libvpx unit coarser instead (at most
 * every EASE_EVERY frames, at most EASE_MAX units); once the bucket is
 * below EASE_DOWN_S it goes back one unit at a time. The cut (2 QP steps
 * = 6 units at once, and the boost off: libvpx at its coarsest step with
 * the zero bin widened) is a cliff: at 640x360 and 180 / 190 kbps it took
 * the region down to the uniform encode's quality for a second at a time
 * (region gain +0.8..+1.3 dB in those seconds), twice over the 10-s clip.
 * Each ease re-sends the map (cheaper with the background as one segment,
 * merge_segments), hence one unit per EASE_EVERY frames. Easing earlier
 * (from a quarter of a second of excess) paid the first key frame back
 * within a second, at the region's cost: through articenc the 10-s clip's
 * second 1 fell from +2.8 to +1.8 dB. The shift control cuts once the
 * ease is at EASE_MAX. Measured in docs/roi-encoding.md ("VP8: what was
 * tried", fourth round). Sets @holding while the ease has units left,
 * i.e. the shift control should wait. */
#define EASE_DOWN_S 0.4
#define EASE_EVERY 3
#define EASE_MAX 9

static gboolean
control_vp8_ease (ArticVenc *enc, gboolean *holding, GError **error)
{
  gdouble target = enc->config.bitrate_kbps * 1000.0;
  gint ease = enc->vp8_ease;

  *holding = FALSE;
  if (enc->config.codec != ARTIC_VENC_CODEC_VP8 || !enc->boost_engaged)
    return TRUE;
  enc->frames_since_ease++;
  if (!enc->vpx_last_was_key && enc->frames_since_ease >= EASE_EVERY) {
    if (enc->bucket_bits > SHIFT_OVERSHOOT_S * target
        && enc->vpx_base_q >= (gint) enc->inter_max_q && ease < EASE_MAX)
      ease++;
    else if (enc->bucket_bits < EASE_DOWN_S * target && ease > 0)
      ease--;
  }
  if (ease != enc->vp8_ease) {
    enc->vp8_ease = ease;
    enc->frames_since_ease = 0;
    if (!apply_segments (enc, error))
      return FALSE;
  }
  *holding = enc->vp8_ease > 0 && enc->vp8_ease < EASE_MAX;
  return TRUE;
}

static gboolean
control_shift (ArticVenc *enc, gsize bytes, gint64 duration, GError **error)
{
  gdouble target = enc->config.bitrate_kbps * 1000.0;
  gdouble seconds = duration > 0 ? duration / 1e6 : 1.0 / enc->config.framerate;
  gint max = max_shift (enc->config.codec), cap = enc->shift_cap;
  gboolean holding;

  if (enc->config.codec == ARTIC_VENC_CODEC_VP8)
    enc->bucket_bits *= exp (-seconds / SHIFT_LEAK_S);
  enc->bucket_bits += bytes * 8.0 - target * seconds;
  /* Undershoot is not saved up: it must not excuse a later overshoot. */
  enc->bucket_bits = MAX (enc->bucket_bits, -0.25 * target);
  if (enc->raw == NULL)
    return TRUE;
  /* VP9's boost has a rate loop of its own (control_vp9_cap) until the
   * region is at the coarsest step too. */
  if (enc->boost_engaged && enc->config.codec == ARTIC_VENC_CODEC_VP9
      && enc->vp9_cap < 63)
    return TRUE;
  enc->frames_since_cap++;
  if (!control_vp8_ease (enc, &holding, error))
    return FALSE;
  if (holding)
    return TRUE;
  if (enc->bucket_bits > SHIFT_OVERSHOOT_S * target && cap > 0
      && enc->frames_since_cap >= SHIFT_DOWN_EVERY)
    cap = MAX (0, cap - 2);
  else if (enc->bucket_bits <= 0 && cap < max
           && enc->frames_since_cap >= SHIFT_UP_EVERY)
    cap++;
  if (cap == enc->shift_cap)
    return TRUE;
  enc->shift_cap = cap;
  enc->frames_since_cap = 0;
  return apply_segments (enc, error);
}

/* VP9's boost: the region is coded at the base quantizer and the rest at
 * the coarsest step, so libvpx's rate control, which predicts a frame's
 * size from the base alone, mispredicts every frame and would keep the
 * base far from where the rate puts it. The base's cap is therefore this
 * loop's: one step coarser after a frame when the last
 * BOOST_VP9_BACKGROUND_REFRESH frames (one background rotation) were over
 * their budget and the bucket (control_shift) holds more than
 * VP9_CAP_BAND seconds of excess, one finer when they were under it and
 * the bucket is as far below. A fixed
 * cap (32) overshot at 1280x720 and gave way to the shift control within
 * frames, and at 640x360 within 4 s, leaving the region at a coarse base
 * for the rest of the clip (docs/roi-encoding.md, "VP9"). Key frames are
 * not counted: their byte cap sets their size. */
#define VP9_CAP_BAND 0.1

static void
control_vp9_cap (ArticVenc *enc, gsize bytes, gint64 duration)
{
  gdouble target = enc->config.bitrate_kbps * 1000.0;
  gdouble seconds = duration > 0 ? duration / 1e6 : 1.0 / enc->config.framerate;
  gdouble over = enc->bucket_bits / target, excess = 0.0;
  gint cap = enc->vp9_cap;
  guint i;

  if (enc->config.codec != ARTIC_VENC_CODEC_VP9 || !enc->boost_engaged
      || enc->vpx_last_was_key)
    return;
  /* Over the last rotation: a held background makes two frames in three
   * cheap, whatever the region's step. */
  memmove (enc->vp9_excess + 1, enc->vp9_excess,
      sizeof (enc->vp9_excess) - sizeof (enc->vp9_excess[0]));
  enc->vp9_excess[0] = bytes * 8.0 - target * seconds;
  for (i = 0; i < G_N_ELEMENTS (enc->vp9_excess); i++)
    excess += enc->vp9_excess[i];
  if (over > VP9_CAP_BAND && excess > 0)
    cap++;
  else if (over < -VP9_CAP_BAND && excess < 0)
    cap--;
  enc->vp9_cap = CLAMP (cap, ARTIC_VENC_MIN_QUANTIZER, 63);
  enc->inter_max_q = (guint) enc->vp9_cap;
}

gint
artic_venc_get_shift_cap (const ArticVenc *enc)
{
  return enc->shift_cap;
}

gboolean
artic_venc_has_reference_control (const ArticVenc *enc)
{
  return enc->refctl != NULL;
}

void
artic_venc_set_resilient (ArticVenc *enc, gboolean resilient)
{
  if (enc->refctl != NULL)
    artic_refctl_set_resilient (enc->refctl, resilient);
}

void
artic_venc_on_loss (ArticVenc *enc)
{
  if (enc->refctl != NULL)
    artic_refctl_on_loss (enc->refctl);
}

gboolean
artic_venc_on_ack (ArticVenc *enc, guint16 frame_id)
{
  return enc->refctl != NULL
         && artic_refctl_on_ack (enc->refctl, frame_id, enc->last_pts);
}

gboolean
artic_venc_get_reference_stats (const ArticVenc *enc, ArticRefctlStats *stats)
{
  if (enc->refctl == NULL)
    return FALSE;
  artic_refctl_get_stats (enc->refctl, stats);
  return TRUE;
}

/* The plan as libvpx VP8 flags. Every frame names all three buffers, so
 * that libvpx's own golden/alt-ref policy never applies (it would refresh
 * GOLDEN by itself, and copy the old golden frame to ALTREF when it does:
 * the acknowledged frame would be gone at the encoder while the receiver,
 * which may have lost that frame, could not follow). */
static vpx_enc_frame_flags_t
vpx_reference_flags (const ArticRefctlPlan *plan)
{
  vpx_enc_frame_flags_t flags = 0;

  if (plan->kind == ARTIC_REFCTL_KEY)
    return VPX_EFLAG_FORCE_KF;
  if (!(plan->references & ARTIC_REF_LAST))
    flags |= VP8_EFLAG_NO_REF_LAST;
  if (!(plan->references & ARTIC_REF_GOLDEN))
    flags |= VP8_EFLAG_NO_REF_GF;
  if (!(plan->references & ARTIC_REF_ALTREF))
    flags |= VP8_EFLAG_NO_REF_ARF;
  if (!(plan->updates & ARTIC_REF_LAST))
    flags |= VP8_EFLAG_NO_UPD_LAST;
  flags |= (plan->updates & ARTIC_REF_GOLDEN) ? VP8_EFLAG_FORCE_GF
                                              : VP8_EFLAG_NO_UPD_GF;
  flags |= (plan->updates & ARTIC_REF_ALTREF) ? VP8_EFLAG_FORCE_ARF
                                              : VP8_EFLAG_NO_UPD_ARF;
  return flags;
}

/* Before a key frame: its cap, as libvpx wants it (percent of the average
 * frame at the current rate), from the byte limit. */
static void
vpx_cap_keyframe (ArticVenc *enc, gint64 duration_us)
{
  gdouble frame_bytes = enc->vpx_cfg.rc_target_bitrate * 1000.0 / 8.0
                        * MAX (duration_us, 1) / G_USEC_PER_SEC;
  guint pct = (guint) CLAMP (
      100.0 * ARTIC_VENC_MAX_KEYFRAME_BYTES / MAX (frame_bytes, 1.0), 1.0,
      ARTIC_VENC_MAX_INTRA_PCT);

  if (pct == enc->vpx_intra_pct)
    return;
  /* A failure leaves the previous cap: not worth failing the frame for. */
  if (vpx_codec_control (&enc->vpx, VP8E_SET_MAX_INTRA_BITRATE_PCT, pct)
      == VPX_CODEC_OK)
    enc->vpx_intra_pct = pct;
}

/* Before a frame: the finest quantizer libvpx may pick, a few steps below
 * the last inter frame's (ARTIC_VENC_MAX_QUANTIZER_FALL); a key frame may
 * pick any (its size has its own cap). */
static gboolean
vpx_limit_quantizer_fall (ArticVenc *enc, gboolean keyframe, GError **error)
{
  gint min_q = ARTIC_VENC_MIN_QUANTIZER;
  /* VP9's boost caps inter frames only: a key frame has its byte cap, and
   * libvpx applies no segment map to it (the background would be paid at
   * the region's step). */
  guint max_q = keyframe && enc->config.codec == ARTIC_VENC_CODEC_VP9
                    ? 63
                    : enc->inter_max_q;

  if (!keyframe && enc->vpx_last_q >= 0)
    min_q = CLAMP (enc->vpx_last_q - ARTIC_VENC_MAX_QUANTIZER_FALL,
        ARTIC_VENC_MIN_QUANTIZER, (gint) max_q);
  if ((guint) min_q == enc->vpx_cfg.rc_min_quantizer
      && max_q == enc->vpx_cfg.rc_max_quantizer)
    return TRUE;
  enc->vpx_cfg.rc_min_quantizer = (guint) min_q;
  enc->vpx_cfg.rc_max_quantizer = max_q;
  if (vpx_codec_enc_config_set (&enc->vpx, &enc->vpx_cfg) != VPX_CODEC_OK)
    return vpx_fail (enc, "libvpx quantizer range", error);
  return TRUE;
}

/* Before a VP9 frame with the boost: hold the background or code it
 * (BOOST_VP9_BACKGROUND_REFRESH); the map goes to libvpx again only when
 * that changes. */
static gboolean
vpx_rotate_background (ArticVenc *enc, GError **error)
{
  gboolean hold = FALSE;

  if (enc->config.codec != ARTIC_VENC_CODEC_VP9)
    return TRUE;
  if (enc->boost_engaged && enc->segments != NULL)
    hold = enc->background_phase++ % BOOST_VP9_BACKGROUND_REFRESH != 0;
  if (hold == enc->background_held)
    return TRUE;
  enc->background_held = hold;
  return enc->segments == NULL || vpx_send_segments (enc, enc->segments, error);
}

static gboolean
vpx_encode (ArticVenc *enc, const guint8 *const planes[3],
    const gint strides[3], gint64 pts, gint64 duration, gboolean force_keyframe,
    ArticVencPacketFunc func, gpointer user_data, GError **error)
{
  vpx_image_t img;
  const vpx_codec_cx_pkt_t *pkt;
  vpx_codec_iter_t iter = NULL;
  vpx_enc_frame_flags_t flags = 0;
  ArticRefctlPlan plan = { 0 };
  guint i;

  /* Wraps the caller's planes: libvpx copies what it keeps. */
  vpx_img_wrap (&img, VPX_IMG_FMT_I420, enc->config.width, enc->config.height,
      1, (unsigned char *) planes[0]);
  for (i = 0; i < 3; i++) {
    img.planes[i] = (unsigned char *) planes[i];
    img.stride[i] = strides[i];
  }
  if (enc->refctl != NULL) {
    if (force_keyframe)
      artic_refctl_on_loss (enc->refctl);
    artic_refctl_plan (enc->refctl, pts, &plan);
    flags = vpx_reference_flags (&plan);
  } else if (force_keyframe) {
    flags = VPX_EFLAG_FORCE_KF;
  }
  enc->last_pts = pts;
  if ((flags & VPX_EFLAG_FORCE_KF) || !enc->vpx_started)
    vpx_cap_keyframe (enc, duration);
  if (!vpx_limit_quantizer_fall (
          enc, (flags & VPX_EFLAG_FORCE_KF) || !enc->vpx_started, error))
    return FALSE;
  enc->vpx_started = TRUE;
  if (!vpx_rotate_background (enc, error))
    return FALSE;
  if (vpx_codec_encode (&enc->vpx, &img, pts, (unsigned long) MAX (duration, 1),
          flags, VPX_DL_REALTIME)
      != VPX_CODEC_OK)
    return vpx_fail (enc, "libvpx encode", error);

  while ((pkt = vpx_codec_get_cx_data (&enc->vpx, &iter)) != NULL) {
    ArticVencPacket out = { 0 };

    if (pkt->kind != VPX_CODEC_CX_FRAME_PKT)
      continue;
    out.data = pkt->data.frame.buf;
    out.size = pkt->data.frame.sz;
    out.keyframe = (pkt->data.frame.flags & VPX_FRAME_IS_KEY) != 0;
    enc->vpx_last_was_key = out.keyframe;
    if (enc->refctl != NULL) {
      out.has_mark = TRUE;
      out.frame_id = plan.frame_id;
      out.mark_flags
          = artic_refctl_encoded (enc->refctl, &plan, out.keyframe, pts);
    }
    func (&out, user_data);
  }
  return TRUE;
}

/* x264's QP reaches the wrapper as encoder statistics side data, in
 * lambda units (QP * FF_QP2LAMBDA, 118). */
static void
av_read_quantizer (ArticVenc *enc)
{
  size_t size = 0;
  const uint8_t *stats
      = av_packet_get_side_data (enc->packet, AV_PKT_DATA_QUALITY_STATS, &size);

  if (stats != NULL && size >= 4)
    enc->last_quantizer = CLAMP (AV_RL32 (stats) / 118.0 / 51.0, 0.0, 1.0);
}

/* One region per run of equal offsets along a macroblock row: the libx264
 * wrapper walks every region over its macroblocks, so runs keep it cheap. */
static gboolean
av_attach_regions (ArticVenc *enc, GError **error)
{
  const ArticRoiSegments *s = enc->segments;
  AVFrameSideData *sd;
  AVRegionOfInterest *roi;
  guint n = 0, row, col;

  for (row = 0; row < s->rows; row++)
    for (col = 0; col < s->cols; col++)
      if (s->delta[row * s->cols + col] != 0
          && (col == 0
              || s->delta[row * s->cols + col]
                     != s->delta[row * s->cols + col - 1]))
        n++;
  if (n == 0)
    return TRUE;
  sd = av_frame_new_side_data (enc->frame, AV_FRAME_DATA_REGIONS_OF_INTEREST,
      n * sizeof (AVRegionOfInterest));
  if (sd == NULL) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_CODEC,
        "out of memory for ROI side data");
    return FALSE;
  }
  roi = (AVRegionOfInterest *) sd->data;
  for (row = 0; row < s->rows; row++) {
    col = 0;
    while (col < s->cols) {
      gint d = s->delta[row * s->cols + col];
      guint end = col + 1;

      while (end < s->cols && s->delta[row * s->cols + end] == d)
        end++;
      if (d != 0) {
        roi->self_size = sizeof (AVRegionOfInterest);
        roi->top = row * 16;
        roi->bottom = (row + 1) * 16;
        roi->left = col * 16;
        roi->right = end * 16;
        /* qoffset is a fraction of the QP range (51 for 8-bit x264). */
        roi->qoffset = (AVRational){ CLAMP (d, -51, 51), 51 };
        roi++;
      }
      col = end;
    }
  }
  return TRUE;
}

/* x264 behind libavcodec budgets every frame as 1/framerate of a second,
 * whatever the time stamps say: when frames come further apart (the frame
 * rate controller dropped some), it would spend only a fraction of the
 * target. It is told a bitrate scaled by the gap instead, so that a frame
 * gets the bits of the time since the previous one. Changed only when off
 * by more than 5% (each change reconfigures x264). */
static void
av_follow_frame_gap (ArticVenc *enc, gint64 duration)
{
  gdouble scale = duration > 0 ? duration / 1e6 * enc->config.framerate : 1.0;
  gdouble kbps = enc->config.bitrate_kbps * CLAMP (scale, 1.0, 30.0);
  gdouble current = enc->av->bit_rate / 1000.0;

  if (ABS (kbps - current) > 0.05 * current)
    av_set_rate (enc->av, (guint) MIN (kbps, ARTIC_VENC_MAX_BITRATE_KBPS));
}

static gboolean
av_encode (ArticVenc *enc, const guint8 *const planes[3], const gint strides[3],
    gint64 pts, gboolean force_keyframe, ArticVencPacketFunc func,
    gpointer user_data, GError **error)
{
  AVFrame *frame = enc->frame;
  int ret;
  guint i;

  av_frame_unref (frame);
  frame->format = AV_PIX_FMT_YUV420P;
  frame->width = enc->config.width;
  frame->height = enc->config.height;
  /* Borrowed planes: avcodec copies a frame that has no buffers. */
  for (i = 0; i < 3; i++) {
    frame->data[i] = (uint8_t *) planes[i];
    frame->linesize[i] = strides[i];
  }
  frame->pts = pts;
  frame->pict_type = force_keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
  if (enc->segments != NULL && !av_attach_regions (enc, error))
    return FALSE;
  ret = avcodec_send_frame (enc->av, frame);
  av_frame_unref (frame);
  if (ret < 0)
    return av_fail ("libx264 encode", ret, error);
  while ((ret = avcodec_receive_packet (enc->av, enc->packet)) >= 0) {
    ArticVencPacket out = { 0 }; /* no frame mark: has_mark must read FALSE */

    out.data = enc->packet->data;
    out.size = enc->packet->size;
    out.keyframe = (enc->packet->flags & AV_PKT_FLAG_KEY) != 0;
    av_read_quantizer (enc);
    func (&out, user_data);
    av_packet_unref (enc->packet);
  }
  if (ret != AVERROR (EAGAIN) && ret != AVERROR_EOF)
    return av_fail ("libx264 output", ret, error);
  return TRUE;
}

typedef struct
{
  ArticVencPacketFunc func;
  gpointer user_data;
  gsize bytes;
} Tally;

static void
tally_packet (const ArticVencPacket *packet, gpointer user_data)
{
  Tally *tally = user_data;

  tally->bytes += packet->size;
  tally->func (packet, tally->user_data);
}

static void
vpx_read_quantizer (ArticVenc *enc)
{
  int q = -1;

  if (vpx_codec_control (&enc->vpx, VP8E_GET_LAST_QUANTIZER_64, &q)
          == VPX_CODEC_OK
      && q >= 0) {
    enc->vpx_base_q = q;
    enc->last_quantizer = CLAMP (q / 63.0, 0.0, 1.0);
    if (!enc->vpx_last_was_key)
      enc->vpx_last_q = q;
  }
  if (enc->boost_engaged
      && !(enc->config.codec == ARTIC_VENC_CODEC_VP9 && enc->vp9_cap >= 63))
    enc->last_quantizer = MIN (enc->last_quantizer, BOOST_ROOM_QUANTIZER);
}

gdouble
artic_venc_get_last_quantizer (const ArticVenc *enc)
{
  return enc->last_quantizer;
}

gint
artic_venc_get_base_quantizer (const ArticVenc *enc)
{
  return enc->vpx_base_q;
}

/* The planes to encode: the caller's, or with a map and the filter on, a
 * copy whose background is low-passed (see ArticVencConfig). */
static const guint8 *const *
background_filter (
    ArticVenc *enc, const guint8 *const planes[3], const gint **strides)
{
  guint w = enc->config.width, h = enc->config.height;
  gsize luma = (gsize) w * h, chroma = (gsize) ((w + 1) / 2) * ((h + 1) / 2);

  if (enc->prefilter == NULL || enc->map == NULL)
    return planes;
  enc->filtered_planes[0] = enc->filtered;
  enc->filtered_planes[1] = enc->filtered + luma;
  enc->filtered_planes[2] = enc->filtered + luma + chroma;
  enc->filtered_strides[0] = (gint) w;
  enc->filtered_strides[1] = enc->filtered_strides[2] = (gint) (w + 1) / 2;
  if (!artic_roi_prefilter_i420 (enc->prefilter, enc->map,
          &enc->prefilter_params, planes, *strides, enc->filtered_planes,
          enc->filtered_strides))
    return planes;
  *strides = enc->filtered_strides;
  return (const guint8 *const *) enc->filtered_planes;
}

gboolean
artic_venc_encode (ArticVenc *enc, const guint8 *const planes[3],
    const gint strides[3], gint64 pts, gint64 duration, gboolean force_keyframe,
    ArticVencPacketFunc func, gpointer user_data, GError **error)
{
  Tally tally = { func, user_data, 0 };
  gboolean ok;

  g_return_val_if_fail (enc != NULL && planes != NULL && func != NULL, FALSE);
  planes = background_filter (enc, planes, &strides);
  if (enc->av != NULL)
    av_follow_frame_gap (enc, duration);
  if (enc->av != NULL)
    ok = av_encode (
        enc, planes, strides, pts, force_keyframe, tally_packet, &tally, error);
  else
    ok = vpx_encode (enc, planes, strides, pts, duration, force_keyframe,
        tally_packet, &tally, error);
  if (ok && enc->av == NULL)
    vpx_read_quantizer (enc);
  if (!ok || !control_shift (enc, tally.bytes, duration, error))
    return FALSE;
  control_vp9_cap (enc, tally.bytes, duration);
  return TRUE;
}
