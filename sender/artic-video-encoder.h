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

/* A real-time video encoder that spends bits where a QP offset map says they
 * matter. VP8 and VP9 go through libvpx directly (the only way to reach
 * their segment maps), H.264 through libavcodec's libx264 wrapper with
 * regions-of-interest side data. All codecs run one thread, no look-ahead,
 * constant bitrate, so a frame in is at most one frame out. */

#ifndef ARTIC_VIDEO_ENCODER_H
#define ARTIC_VIDEO_ENCODER_H

#include <glib.h>

#include "artic-qp-map.h"
#include "artic-ref-control.h"
#include "artic-roi-prefilter.h"

G_BEGIN_DECLS

#define ARTIC_VENC_ERROR (artic_venc_error_quark ())
GQuark artic_venc_error_quark (void);

typedef enum
{
  ARTIC_VENC_ERROR_INVALID, /* a configuration value out of range */
  ARTIC_VENC_ERROR_CODEC,   /* the codec library refused or failed */
} ArticVencError;

typedef enum
{
  ARTIC_VENC_CODEC_VP8,
  ARTIC_VENC_CODEC_VP9,
  ARTIC_VENC_CODEC_H264,
} ArticVencCodec;

#define ARTIC_VENC_MIN_BITRATE_KBPS 10
#define ARTIC_VENC_MAX_BITRATE_KBPS 100000
#define ARTIC_VENC_MAX_DIMENSION 8192
#define ARTIC_VENC_MAX_CPU_USED 16
#define ARTIC_VENC_MAX_KEYFRAME_DIST 100000
/* libvpx ignores VP9 ROI maps below this speed (vp9_encoder.c). */
#define ARTIC_VENC_VP9_MIN_CPU_USED 5
#define ARTIC_VENC_VP9_MAX_CPU_USED 9

typedef struct
{
  ArticVencCodec codec;
  guint width, height;     /* <= ARTIC_VENC_MAX_DIMENSION; H.264: even */
  guint bitrate_kbps;      /* target, CBR */
  guint keyframe_max_dist; /* frames; 0 = only on request */
  gint cpu_used;           /* 0..16, speed over quality; VP9 uses 5..9 */
  gdouble framerate;       /* nominal, for the rate control; > 0 */
  /* VP8 only: long-term reference control for recovery without key frames
   * (artic-ref-control.h); every frame then carries a frame id and mark. */
  gboolean reference_control;
  /* VP8 and VP9, default TRUE: the region boost (docs/roi-encoding.md).
   * While a map has a region (its offsets span at least
   * ARTIC_VENC_BOOST_MIN_CONTRAST QP steps), the region gets its full shift
   * and (VP8) the bitrate gives at least ARTIC_VENC_BOOST_MIN_MB_BITS per
   * macroblock and frame: VP8's base quantizer stops one step short of its
   * coarsest and the region's loop filter is eased; VP9's region is coded
   * at the base, whose cap on inter frames follows the rate, and the rest
   * at the coarsest step; the frame-rate guard is told that the rate
   * control still has room. Uniform encodes are unchanged. */
  gboolean region_boost;
  /* Background pre-filtering (artic-roi-prefilter.h): while a map is set,
   * blocks whose offset is above ARTIC_VENC_BACKGROUND_THRESHOLD are
   * low-passed with a box of this radius (luma pixels) before the codec
   * sees them; the region and its margin are left as they are. 0 = off,
   * ARTIC_VENC_BACKGROUND_FILTER_AUTO = the codec's default
   * (artic_venc_default_background_filter). */
  gint background_filter;
} ArticVencConfig;

#define ARTIC_VENC_BACKGROUND_FILTER_AUTO (-1)
#define ARTIC_VENC_MAX_BACKGROUND_FILTER ARTIC_ROI_PREFILTER_MAX_RADIUS

/* The smallest spread of a map's offsets (QP steps) that counts as a
 * region worth the boost: a flat map (no box: one offset everywhere) has
 * none. */
#define ARTIC_VENC_BOOST_MIN_CONTRAST 12
/* VP8: below this many bits per 16x16 macroblock per frame at the nominal
 * frame rate (640x360 at 30 fps: 138 kbps; 1280x720: 540 kbps) the boost
 * stays off: the base cannot pay for a finer region at all, and fewer
 * frames (the frame-rate guard) buy the region more (roi-bench: 640x360
 * 100 kbps, 1280x720 100..400 kbps; docs/roi-encoding.md). VP9's boost
 * has no floor: its region step follows the rate, and the guard sees the
 * real quantizer once that step is the coarsest. */
#define ARTIC_VENC_BOOST_MIN_MB_BITS 5.0

/* Background pre-filtering: blocks with an offset (QP steps, before the
 * shift) above THRESHOLD are mixed with their box mean, fully from FULL
 * up. With the box rule and base 0 the blocks touching the box stay below
 * it (docs/roi-encoding.md, "Background pre-filter"). */
#define ARTIC_VENC_BACKGROUND_THRESHOLD 12
#define ARTIC_VENC_BACKGROUND_FULL 20

typedef struct
{
  const guint8 *data;
  gsize size;
  gboolean keyframe;
  /* With reference control: the frame's id and ARTIC_FRAME_MARK_* flags. */
  gboolean has_mark;
  guint16 frame_id;
  guint8 mark_flags;
} ArticVencPacket;

/* Called once per compressed frame, inside artic_venc_encode. */
typedef void (*ArticVencPacketFunc) (
    const ArticVencPacket *packet, gpointer user_data);

typedef struct _ArticVenc ArticVenc;

void artic_venc_config_init (ArticVencConfig *config);
gboolean artic_venc_config_validate (
    const ArticVencConfig *config, GError **error);
const gchar *artic_venc_codec_name (ArticVencCodec codec);
/* The background filter radius AUTO stands for with @codec (0 = off). */
gint artic_venc_default_background_filter (ArticVencCodec codec);

ArticVenc *artic_venc_new (const ArticVencConfig *config, GError **error);
void artic_venc_free (ArticVenc *enc);

/* New target while running: no restart, no key frame. */
gboolean artic_venc_set_bitrate (ArticVenc *enc, guint kbps, GError **error);

/* The offsets for the following frames (any block size, but the map's frame
 * size must be the encoder's), NULL for none. The codec is told only when
 * its segment map differs from the one it has. FALSE (and no change) if the
 * map does not fit the frame. */
gboolean artic_venc_set_qp_map (
    ArticVenc *enc, const ArticQpMap *map, GError **error);

/* Number of times a map was handed to the codec since artic_venc_new. */
guint artic_venc_get_map_updates (const ArticVenc *enc);

/* The current cap on the downward shift of the offsets (QP steps): the
 * codec's maximum until the stream overshoots its target with no room left
 * in the rate control, then smaller (see control_shift in the .c). */
gint artic_venc_get_shift_cap (const ArticVenc *enc);

/* Whether the region boost is engaged for the next frame (see
 * ArticVencConfig.region_boost). */
gboolean artic_venc_get_boost_engaged (const ArticVenc *enc);

/* The quantizer of the last encoded frame as a fraction of the codec's
 * range (VP8/VP9 0..63, H.264 0..51), or -1 if none is known yet. The frame
 * rate's guard reads it: at 1 the rate control has no room left. */
gdouble artic_venc_get_last_quantizer (const ArticVenc *enc);

/* The codec's own base quantizer of the last encoded frame (libvpx's
 * 0..63 scale, key frames included, not bounded by the region boost's
 * report to the guard), or -1 (H.264, or no frame yet). For traces. */
gint artic_venc_get_base_quantizer (const ArticVenc *enc);

/* With reference control (else a no-op / FALSE): a loss indication, to be
 * answered by a recovery frame or, failing that, a key frame; and an
 * acknowledgement of a frame the receiver decoded from an intact chain. */
gboolean artic_venc_has_reference_control (const ArticVenc *enc);
/* Every frame predicted from the acknowledged long-term frame only (see
 * artic-ref-control.h); for lossy links. */
void artic_venc_set_resilient (ArticVenc *enc, gboolean resilient);
void artic_venc_on_loss (ArticVenc *enc);
gboolean artic_venc_on_ack (ArticVenc *enc, guint16 frame_id);
/* FALSE without reference control. */
gboolean artic_venc_get_reference_stats (
    const ArticVenc *enc, ArticRefctlStats *stats);

/* Encodes one I420 frame; @pts and @duration in microseconds. */
gboolean artic_venc_encode (ArticVenc *enc, const guint8 *const planes[3],
    const gint strides[3], gint64 pts, gint64 duration, gboolean force_keyframe,
    ArticVencPacketFunc func, gpointer user_data, GError **error);

G_END_DECLS

#endif /* ARTIC_VIDEO_ENCODER_H */
