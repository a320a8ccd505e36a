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

/* "ROI really moves bits": the shipped clip (first 3 s, 640x360, 200 kbps)
 * encoded by articenc with a fixed box over the word "CAMPRODON" printed on
 * the box the hand shows (a text-reading question, like 82% of DeViBench),
 * and without, decoded by the stock decoders; the region's luma PSNR must
 * rise by a margin, the rest of the frame must pay for it, and the achieved
 * bitrate must stay within 15% of the target.
 *
 * The box, ZeCoStream coordinates [[450,200],[750,330]] (x 288..480,
 * y 72..119 at 640x360): over the first 3 s the word moves from x 368..448,
 * y 92..106 to x 290..360, y 95..108 (read off frames extracted with ffmpeg
 * every 0.5 s; docs/roi-encoding.md). Measured gains (this machine): VP8
 * +4.4 dB (with the region boost; +2.9 without), VP9 +1.7 dB, H.264
 * +5.5 dB at 30 fps, VP8 +6.5 dB at 10 fps; asserted with margin below. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "artic-qp-map.h"
#include "artic-roi-analyzer.h"
#include "artic-roi-eval.h"
#include "gstarticelements.h"
#include "gstarticqpmapmeta.h"

#define WIDTH 640
#define HEIGHT 360
#define N_FRAMES 90
#define BITRATE 200

static const ArticRoiBox question_box = { 450, 200, 750, 330 };
static ArticClip *clip;

#define N_SECONDS (N_FRAMES / 30)
/* The whole shipped clip (roi-bench's default). */
#define WHOLE_FRAMES 300
#define WHOLE_SECONDS (WHOLE_FRAMES / 30)

typedef struct
{
  gdouble kbps;
  guint frames;  /* decoded */
  guint encoded; /* buffers out of articenc */
  ArticRoiEval eval;
  ArticRoiEval second[WHOLE_SECONDS]; /* the same, per second of the clip */
} EncodeResult;

static GstBuffer *
clip_buffer (const ArticClip *source, guint index)
{
  GBytes *bytes = g_ptr_array_index (source->frames, index);
  GstBuffer *buffer = gst_buffer_new_wrapped_bytes (bytes);
  gsize offsets[GST_VIDEO_MAX_PLANES]
      = { 0, WIDTH * HEIGHT, WIDTH * HEIGHT * 5 / 4 };
  gint strides[GST_VIDEO_MAX_PLANES] = { WIDTH, WIDTH / 2, WIDTH / 2 };
  GstClockTime duration = gst_util_uint64_scale (GST_SECOND, 1001, 30000);

  gst_buffer_add_video_meta_full (buffer, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_FORMAT_I420, WIDTH, HEIGHT, 3, offsets, strides);
  GST_BUFFER_PTS (buffer) = index * duration;
  GST_BUFFER_DURATION (buffer) = duration;
  return buffer;
}

/* The first @n_frames of @source (640x360) through articenc. @upstream:
 * elements before articenc (NULL: none); @roi: the test attaches the map
 * itself. */
/* The QP map's block size for encode_frames_with (0: the published rule's,
 * ARTIC_QP_MAP_DEFAULT_BLOCK_SIZE). */
static guint map_block_size;

static void
encode_frames_with (const ArticClip *source, guint n_frames,
    const gchar *upstream, const gchar *codec, const gchar *decoder,
    const gchar *settings, gboolean roi, EncodeResult *result)
{
  gchar *launch = g_strdup_printf ("%s%sarticenc codec=%s bitrate=%d %s",
      upstream ? upstream : "", upstream ? " ! " : "", codec, BITRATE,
      settings ? settings : "");
  GstHarness *h = gst_harness_new_parse (launch);
  GstHarness *d = gst_harness_new_parse (decoder);
  ArticRoiRect rect;
  GstBuffer *out;
  GstCaps *caps;
  gsize bytes = 0;
  guint i, decoded = 0;
  ArticQpParams params;

  /* Offsets start at the box edge (base 0): with the published base 26
   * everything within ~20% of the frame diagonal of the box stays at full
   * quality, and little is left to take bits from (docs/roi-encoding.md). */
  artic_qp_params_init (&params);
  params.base = 0;
  if (map_block_size > 0)
    params.block_size = map_block_size;

  gst_harness_set_src_caps_str (h, "video/x-raw,format=I420,width=640,"
                                   "height=360,framerate=30000/1001");
  for (i = 0; i < n_frames; i++) {
    GstBuffer *frame = clip_buffer (source, i);

    if (roi)
      gst_buffer_add_artic_qp_map_meta (frame,
          artic_qp_map_from_boxes (WIDTH, HEIGHT, &question_box, 1, &params));
    fail_unless_equals_int (gst_harness_push (h, frame), GST_FLOW_OK);
  }
  caps = gst_pad_get_current_caps (h->sinkpad);
  gst_harness_set_src_caps (d, caps);
  result->encoded = 0;
  while ((out = gst_harness_try_pull (h)) != NULL) {
    result->encoded++;
    bytes += gst_buffer_get_size (out);
    fail_unless_equals_int (gst_harness_push (d, out), GST_FLOW_OK);
  }
  gst_harness_push_event (d, gst_event_new_eos ());

  artic_roi_box_to_rect (&question_box, WIDTH, HEIGHT, &rect);
  artic_roi_eval_init (&result->eval);
  for (i = 0; i < WHOLE_SECONDS; i++)
    artic_roi_eval_init (&result->second[i]);
  while ((out = gst_harness_try_pull (d)) != NULL) {
    GstCaps *dcaps = gst_pad_get_current_caps (d->sinkpad);
    GstVideoInfo info;
    GstVideoFrame frame;
    /* The source frame by time stamp: the encoder may drop frames (its
     * rate guard), the kept ones keep theirs. */
    guint index = (guint) gst_util_uint64_scale_round (
        GST_BUFFER_PTS (out), 30000, GST_SECOND * 1001);

    fail_unless (index < n_frames);
    fail_unless (gst_video_info_from_caps (&info, dcaps));
    fail_unless (gst_video_frame_map (&frame, &info, out, GST_MAP_READ));
    artic_roi_eval_add_plane (&result->eval,
        g_bytes_get_data (g_ptr_array_index (source->frames, index), NULL),
        WIDTH, GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
        GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0), WIDTH, HEIGHT, &rect);
    artic_roi_eval_add_plane (
        &result->second[MIN (index / 30, WHOLE_SECONDS - 1)],
        g_bytes_get_data (g_ptr_array_index (source->frames, index), NULL),
        WIDTH, GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
        GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0), WIDTH, HEIGHT, &rect);
    gst_video_frame_unmap (&frame);
    gst_caps_unref (dcaps);
    gst_buffer_unref (out);
    decoded++;
  }
  /* Frames the encoder leaves out are not counted (the kept ones are
   * compared with their own source frames). */
  fail_unless (
      decoded >= 2 * n_frames / 30, "%u of %u frames", decoded, n_frames);
  result->kbps = bytes * 8.0 / (n_frames * 1001.0 / 30000.0) / 1000.0;
  result->frames = decoded;
  gst_harness_teardown (d);
  gst_harness_teardown (h);
  g_free (launch);
}

static void
encode_clip_with (const gchar *upstream, const gchar *codec,
    const gchar *decoder, const gchar *settings, gboolean roi,
    EncodeResult *result)
{
  encode_frames_with (
      clip, N_FRAMES, upstream, codec, decoder, settings, roi, result);
}

static void
encode_clip (const gchar *upstream, const gchar *codec, const gchar *decoder,
    gboolean roi, EncodeResult *result)
{
  encode_clip_with (upstream, codec, decoder, NULL, roi, result);
}

static void
check_codec (const gchar *codec, const gchar *decoder, gdouble min_gain)
{
  EncodeResult uniform, roi;
  gdouble gain;

  encode_clip (NULL, codec, decoder, FALSE, &uniform);
  encode_clip (NULL, codec, decoder, TRUE, &roi);
  gain = artic_roi_eval_psnr_in (&roi.eval)
         - artic_roi_eval_psnr_in (&uniform.eval);
  g_print ("%s: uniform %.1f kbps %u frames, region %.2f dB, outside %.2f "
           "dB; roi %.1f kbps %u frames, region %.2f dB, outside %.2f dB; "
           "gain %+.2f dB\n",
      codec, uniform.kbps, uniform.frames,
      artic_roi_eval_psnr_in (&uniform.eval),
      artic_roi_eval_psnr_out (&uniform.eval), roi.kbps, roi.frames,
      artic_roi_eval_psnr_in (&roi.eval), artic_roi_eval_psnr_out (&roi.eval),
      gain);
  fail_unless (gain >= min_gain, "%s: region gain %.2f dB < %.2f dB", codec,
      gain, min_gain);
  /* The bits came from outside the region. */
  fail_unless (artic_roi_eval_psnr_out (&roi.eval)
                   < artic_roi_eval_psnr_out (&uniform.eval),
      "%s: background did not pay", codec);
  fail_unless (ABS (uniform.kbps - BITRATE) <= 0.15 * BITRATE,
      "%s uniform: %.1f kbps for %d", codec, uniform.kbps, BITRATE);
  fail_unless (ABS (roi.kbps - BITRATE) <= 0.15 * BITRATE,
      "%s roi: %.1f kbps for %d", codec, roi.kbps, BITRATE);
}

/* VP8 with the region boost (on by default): issue 3's +4 dB at 30 fps
 * (measured +4.4 dB, 209 kbps, every frame encoded); asserted with slack
 * for noise, every frame kept and the bitrate within 10%. */
GST_START_TEST (test_roi_moves_bits_vp8)
{
  EncodeResult roi;

  check_codec ("vp8", "vp8dec", 3.5);
  encode_clip (NULL, "vp8", "vp8dec", TRUE, &roi);
  fail_unless_equals_int (roi.frames, N_FRAMES);
  fail_unless (
      ABS (roi.kbps - BITRATE) <= 0.1 * BITRATE, "%.1f kbps", roi.kbps);
}

GST_END_TEST;

/* The boost is what lifts VP8's region: without it (libvpx's rate control
 * alone, the base at VP8's coarsest step) the gain is smaller (measured
 * +4.4 dB with, +2.9 dB without; docs/roi-encoding.md). Since the boost
 * codes every segment outside the region at the coarsest step, the ring
 * next to the box (64-pixel map) sits at q 63 instead of the base's 62
 * over these 3 s, a slightly worse reference for the region as the
 * hand-held camera moves: +4.15 against +3.43 dB (it was +4.33 at 209.3
 * kbps), hence a margin of 0.6 dB (0.8 before). */
GST_START_TEST (test_region_boost_lifts_vp8)
{
  EncodeResult uniform, with, without;
  gdouble gain_with, gain_without;

  encode_clip (NULL, "vp8", "vp8dec", FALSE, &uniform);
  encode_clip_with (NULL, "vp8", "vp8dec", "region-boost=true", TRUE, &with);
  encode_clip_with (
      NULL, "vp8", "vp8dec", "region-boost=false", TRUE, &without);
  gain_with = artic_roi_eval_psnr_in (&with.eval)
              - artic_roi_eval_psnr_in (&uniform.eval);
  gain_without = artic_roi_eval_psnr_in (&without.eval)
                 - artic_roi_eval_psnr_in (&uniform.eval);
  g_print ("vp8 region gain: %+.2f dB with the boost (%.1f kbps, %u frames), "
           "%+.2f dB without (%.1f kbps, %u frames)\n",
      gain_with, with.kbps, with.frames, gain_without, without.kbps,
      without.frames);
  fail_unless (gain_with >= gain_without + 0.6, "%.2f vs %.2f dB", gain_with,
      gain_without);
  fail_unless (ABS (with.kbps - BITRATE) <= 0.1 * BITRATE);
  fail_unless (ABS (without.kbps - BITRATE) <= 0.15 * BITRATE);
}

GST_END_TEST;

/* The rest of the frame is coarse but alive: stock vp8dec decodes every
 * frame articenc sent (a decode error fails the push), and the background
 * is coded in every frame, so its PSNR against the source does not drift
 * away over 3 s of a hand-held camera (a stale background would: each
 * second further from the picture). Per second of the clip: the ROI
 * encode's outside PSNR stays above 28 dB and within 2 dB of its first
 * second (measured 31.8 .. 32.8 dB). */
GST_START_TEST (test_vp8_background_refreshed)
{
  EncodeResult roi;
  guint s;

  encode_clip (NULL, "vp8", "vp8dec", TRUE, &roi);
  fail_unless_equals_int (roi.frames, roi.encoded);
  for (s = 0; s < N_SECONDS; s++) {
    gdouble out = artic_roi_eval_psnr_out (&roi.second[s]);

    g_print ("vp8 roi, second %u: outside %.2f dB, region %.2f dB\n", s, out,
        artic_roi_eval_psnr_in (&roi.second[s]));
    fail_unless (out >= 28.0, "second %u: outside %.2f dB", s, out);
    fail_unless (out >= artic_roi_eval_psnr_out (&roi.second[0]) - 2.0,
        "second %u: outside %.2f dB, first %.2f dB", s, out,
        artic_roi_eval_psnr_out (&roi.second[0]));
  }
}

GST_END_TEST;

GST_START_TEST (test_roi_moves_bits_vp9)
{
  /* VP9's region boost and background filter (both on by default): the
   * region at the base quantizer, the rest at the coarsest step,
   * low-passed and held on two frames in three (measured +4.0 dB; +3.5
   * without the hold, +1.7 dB before the boost and the filter). */
  check_codec ("vp9", "vp9dec", 3.75);
}

GST_END_TEST;

/* What each VP9 mechanism adds: without both (libvpx's segments with the
 * shift, as before) the gain is far smaller; background-filter=0 leaves
 * the background sharper (the property reaches the encoder) and the
 * region no better. Measured: +3.5 dB default, +3.2 dB without the
 * filter (rest 7 dB sharper), +1.7 dB without both. */
GST_START_TEST (test_vp9_boost_and_filter)
{
  EncodeResult uniform, both, no_filter, neither;
  gdouble gain_both, gain_no_filter, gain_neither;

  encode_clip (NULL, "vp9", "vp9dec", FALSE, &uniform);
  encode_clip (NULL, "vp9", "vp9dec", TRUE, &both);
  encode_clip_with (
      NULL, "vp9", "vp9dec", "background-filter=0", TRUE, &no_filter);
  encode_clip_with (NULL, "vp9", "vp9dec",
      "background-filter=0 region-boost=false", TRUE, &neither);
  gain_both = artic_roi_eval_psnr_in (&both.eval)
              - artic_roi_eval_psnr_in (&uniform.eval);
  gain_no_filter = artic_roi_eval_psnr_in (&no_filter.eval)
                   - artic_roi_eval_psnr_in (&uniform.eval);
  gain_neither = artic_roi_eval_psnr_in (&neither.eval)
                 - artic_roi_eval_psnr_in (&uniform.eval);
  g_print ("vp9 region gain: %+.2f dB default (%.1f kbps, rest %.2f dB), "
           "%+.2f dB background-filter=0 (%.1f kbps, rest %.2f dB), %+.2f dB "
           "without both (%.1f kbps)\n",
      gain_both, both.kbps, artic_roi_eval_psnr_out (&both.eval),
      gain_no_filter, no_filter.kbps, artic_roi_eval_psnr_out (&no_filter.eval),
      gain_neither, neither.kbps);
  fail_unless (gain_both >= gain_neither + 1.0, "%.2f vs %.2f dB", gain_both,
      gain_neither);
  fail_unless (gain_no_filter >= gain_neither + 0.5, "%.2f vs %.2f dB",
      gain_no_filter, gain_neither);
  fail_unless (artic_roi_eval_psnr_out (&no_filter.eval)
                   > artic_roi_eval_psnr_out (&both.eval) + 2.0,
      "the filter did not reach the background");
  fail_unless (gain_both >= gain_no_filter - 0.3, "%.2f vs %.2f dB", gain_both,
      gain_no_filter);
  fail_unless (
      ABS (both.kbps - BITRATE) <= 0.1 * BITRATE, "%.1f kbps", both.kbps);
}

GST_END_TEST;

GST_START_TEST (test_roi_moves_bits_h264)
{
  check_codec ("h264", "avdec_h264", 4.0);
}

GST_END_TEST;

/* VP8 with fewer frames (10 fps, still 5 frames per model sample): each
 * frame has the bits to give the region a finer step. Both encodes at
 * max-framerate=10, same total bitrate within 10%; measured +6.5 dB. */
GST_START_TEST (test_roi_vp8_4db_at_10fps)
{
  EncodeResult uniform, roi;
  gdouble gain;

  encode_clip_with (NULL, "vp8", "vp8dec", "max-framerate=10", FALSE, &uniform);
  encode_clip_with (NULL, "vp8", "vp8dec", "max-framerate=10", TRUE, &roi);
  gain = artic_roi_eval_psnr_in (&roi.eval)
         - artic_roi_eval_psnr_in (&uniform.eval);
  g_print ("vp8 at 10 fps: uniform %.1f kbps %u frames, roi %.1f kbps %u "
           "frames, region gain %+.2f dB\n",
      uniform.kbps, uniform.frames, roi.kbps, roi.frames, gain);
  fail_unless (gain >= 4.0, "region gain %.2f dB", gain);
  fail_unless (
      ABS (uniform.kbps - BITRATE) <= 0.1 * BITRATE, "%.1f kbps", uniform.kbps);
  fail_unless (
      ABS (roi.kbps - BITRATE) <= 0.1 * BITRATE, "%.1f kbps", roi.kbps);
  fail_unless_equals_int (uniform.frames, N_FRAMES / 3);
  fail_unless_equals_int (roi.frames, N_FRAMES / 3);
}

GST_END_TEST;

/* Loaded in each test's own process (a checked fixture): the decoding
 * pipeline starts threads, and a fork after that may inherit a held lock. */
static void
load_clip (void)
{
  const gchar *path = g_getenv ("ARTIC_CLIP");
  GError *error = NULL;

  /* The meson test sets it; a hand run from anywhere finds the source's. */
  if (path == NULL)
    path = ARTIC_SOURCE_ROOT "/data/media/box-10s.mp4";
  clip = artic_clip_load (path, WIDTH, HEIGHT, N_FRAMES, &error);
  fail_unless (clip != NULL, "%s", error ? error->message : "?");
  fail_unless_equals_int (clip->frames->len, N_FRAMES);
}

static void
free_clip (void)
{
  g_clear_pointer (&clip, artic_clip_free);
}

/* The real chain: articroi (on main) attaches the map from its boxes
 * property, articenc honours it. Same box and rule as above (measured
 * +4.2 dB). */
GST_START_TEST (test_articroi_drives_articenc)
{
  EncodeResult uniform, roi;
  gdouble gain;

  encode_clip (NULL, "vp8", "vp8dec", FALSE, &uniform);
  encode_clip ("articroi boxes=[[450,200],[750,330]] base=0", "vp8", "vp8dec",
      FALSE, &roi);
  gain = artic_roi_eval_psnr_in (&roi.eval)
         - artic_roi_eval_psnr_in (&uniform.eval);
  g_print ("articroi ! articenc (vp8): %.1f kbps, region gain %+.2f dB, rest "
           "%+.2f dB\n",
      roi.kbps, gain,
      artic_roi_eval_psnr_out (&roi.eval)
          - artic_roi_eval_psnr_out (&uniform.eval));
  fail_unless (gain >= 3.0, "region gain %.2f dB", gain);
  fail_unless (ABS (roi.kbps - BITRATE) <= 0.15 * BITRATE);
}

GST_END_TEST;

/* Issue 3's hardest tier: 1280x720 at 100 kbps, where VP8 at its coarsest
 * quantizer needs ~275 kbps at 30 fps. The rate guard encodes fewer frames
 * (never under the model's 2 fps) so that the bytes over the stream's
 * duration stay within 12% of the target, for each codec. */
static void
check_720p_bitrate (const gchar *codec, const gchar *decoder)
{
  ArticClip *big;
  GError *error = NULL;
  GstHarness *h = NULL, *d = NULL;
  const gchar *path = g_getenv ("ARTIC_CLIP");
  GstClockTime duration = gst_util_uint64_scale (GST_SECOND, 1001, 30000);
  gchar *launch = g_strdup_printf ("articenc codec=%s bitrate=100", codec);
  GstBuffer *out;
  GstCaps *caps;
  gsize bytes = 0;
  guint i, kept = 0, decoded = 0;
  gdouble kbps;

  if (path == NULL)
    path = ARTIC_SOURCE_ROOT "/data/media/box-10s.mp4";
  big = artic_clip_load (path, 1280, 720, N_FRAMES, &error);
  fail_unless (big != NULL, "%s", error ? error->message : "?");
  h = gst_harness_new_parse (launch);
  d = gst_harness_new_parse (decoder);
  gst_harness_set_src_caps_str (h, "video/x-raw,format=I420,width=1280,"
                                   "height=720,framerate=30000/1001");
  for (i = 0; i < big->frames->len; i++) {
    GstBuffer *frame
        = gst_buffer_new_wrapped_bytes (g_ptr_array_index (big->frames, i));

    GST_BUFFER_PTS (frame) = i * duration;
    GST_BUFFER_DURATION (frame) = duration;
    fail_unless_equals_int (gst_harness_push (h, frame), GST_FLOW_OK);
  }
  caps = gst_pad_get_current_caps (h->sinkpad);
  gst_harness_set_src_caps (d, caps);
  while ((out = gst_harness_try_pull (h)) != NULL) {
    bytes += gst_buffer_get_size (out);
    kept++;
    fail_unless_equals_int (gst_harness_push (d, out), GST_FLOW_OK);
  }
  gst_harness_push_event (d, gst_event_new_eos ());
  while ((out = gst_harness_try_pull (d)) != NULL) {
    decoded++;
    gst_buffer_unref (out);
  }
  kbps = bytes * 8.0 / (big->frames->len * 1001.0 / 30000.0) / 1000.0;
  g_print ("%s 1280x720 at 100 kbps: %.1f kbps, %u of %u frames\n", codec, kbps,
      kept, big->frames->len);
  fail_unless (ABS (kbps - 100.0) <= 12.0, "%s: %.1f kbps", codec, kbps);
  /* The model's floor: 2 fps over 3 s. */
  fail_unless (kept >= 6, "%s: %u frames", codec, kept);
  fail_unless_equals_int (decoded, kept);
  gst_harness_teardown (d);
  gst_harness_teardown (h);
  artic_clip_free (big);
  g_free (launch);
}

GST_START_TEST (test_720p_100kbps_bitrate_holds)
{
  check_720p_bitrate ("vp8", "vp8dec");
  check_720p_bitrate ("vp9", "vp9dec");
  check_720p_bitrate ("h264", "avdec_h264");
}

GST_END_TEST;

/* VP9 over the whole 10-s clip at 1280x720 and 200 kbps. Before the
 * boost's own rate loop and the merged segment ids, the region lost to
 * the uniform encode there (-3.0 dB): libvpx codes every block's segment
 * id in every frame, the seven ids of the rings around the box held the
 * base quantizer 8-13 steps above the uniform encode's, and from the
 * second second on the shift control cut the shift to 0, leaving the
 * region at that base (docs/roi-encoding.md, "VP9"). With them +2.1 dB;
 * with the background held on two frames in three as well, +4.3 dB
 * (asserted >= 3.0). The first 3 s alone do not show the collapse. The
 * background's age is read from the decoded frames: outside the box (and
 * a 64-pixel margin) a held frame changes the luma by 0.000-0.006 on
 * average, a coded one by 0.05 and more (WHOLE_FRAMES: 300). */

/* Mean absolute luma change from @prev to @cur outside @rect grown by 64
 * pixels (the map's ring and the loop filter across the box's edge). */
static gdouble
background_change (const guint8 *prev, const guint8 *cur, gint stride,
    const ArticRoiRect *rect)
{
  guint64 sum = 0, n = 0;
  gint x, y;

  for (y = 0; y < 720; y++)
    for (x = 0; x < 1280; x++) {
      if (x + 64 >= (gint) rect->x && x < (gint) (rect->x + rect->w) + 64
          && y + 64 >= (gint) rect->y && y < (gint) (rect->y + rect->h) + 64)
        continue;
      sum += ABS ((gint) cur[y * stride + x] - (gint) prev[y * 1280 + x]);
      n++;
    }
  return n ? (gdouble) sum / n : 0.0;
}

static void
encode_whole_clip (const ArticClip *big, const gchar *settings, gboolean roi,
    const ArticRoiRect *rect, ArticRoiEval *eval, gdouble *kbps, guint *n_held,
    guint *max_held)
{
  guint8 *prev = g_malloc (1280 * 720);
  guint held = 0;
  GstClockTime duration = gst_util_uint64_scale (GST_SECOND, 1001, 30000);
  gchar *launch = g_strdup_printf (
      "articenc codec=vp9 bitrate=%d %s", BITRATE, settings ? settings : "");
  GstHarness *h = gst_harness_new_parse (launch);
  GstHarness *d = gst_harness_new_parse ("vp9dec");
  ArticQpParams params;
  ArticQpMap *map;
  GstBuffer *out;
  GstCaps *caps;
  gsize bytes = 0;
  guint i, kept = 0, decoded = 0;

  artic_qp_params_init (&params);
  params.base = 0;
  map = artic_qp_map_from_boxes (1280, 720, &question_box, 1, &params);
  gst_harness_set_src_caps_str (h, "video/x-raw,format=I420,width=1280,"
                                   "height=720,framerate=30000/1001");
  caps = NULL;
  artic_roi_eval_init (eval);
  for (i = 0; i < big->frames->len; i++) {
    GstBuffer *frame
        = gst_buffer_new_wrapped_bytes (g_ptr_array_index (big->frames, i));

    GST_BUFFER_PTS (frame) = i * duration;
    GST_BUFFER_DURATION (frame) = duration;
    if (roi)
      gst_buffer_add_artic_qp_map_meta (frame, artic_qp_map_copy (map));
    fail_unless_equals_int (gst_harness_push (h, frame), GST_FLOW_OK);
    /* Decoded as it goes: 300 decoded 720p frames need not pile up. */
    while ((out = gst_harness_try_pull (h)) != NULL) {
      if (caps == NULL) {
        caps = gst_pad_get_current_caps (h->sinkpad);
        gst_harness_set_src_caps (d, caps);
      }
      bytes += gst_buffer_get_size (out);
      kept++;
      fail_unless_equals_int (gst_harness_push (d, out), GST_FLOW_OK);
    }
    while ((out = gst_harness_try_pull (d)) != NULL) {
      GstCaps *dcaps = gst_pad_get_current_caps (d->sinkpad);
      GstVideoInfo info;
      GstVideoFrame vframe;
      guint index = (guint) gst_util_uint64_scale_round (
          GST_BUFFER_PTS (out), 30000, GST_SECOND * 1001);

      fail_unless (index < big->frames->len);
      fail_unless (gst_video_info_from_caps (&info, dcaps));
      fail_unless (gst_video_frame_map (&vframe, &info, out, GST_MAP_READ));
      artic_roi_eval_add_plane (eval,
          g_bytes_get_data (g_ptr_array_index (big->frames, index), NULL), 1280,
          GST_VIDEO_FRAME_PLANE_DATA (&vframe, 0),
          GST_VIDEO_FRAME_PLANE_STRIDE (&vframe, 0), 1280, 720, rect);
      /* How many frames in a row the background did not move. */
      if (decoded > 0) {
        gdouble change
            = background_change (prev, GST_VIDEO_FRAME_PLANE_DATA (&vframe, 0),
                GST_VIDEO_FRAME_PLANE_STRIDE (&vframe, 0), rect);

        /* Held: measured 0.000-0.006; coded: 0.05-2.7 (uniform), 0.1-1.2
         * (the ROI encode's coarse background). */
        held = change < 0.03 ? held + 1 : 0;
        *n_held += held > 0;
        *max_held = MAX (*max_held, held);
      }
      for (gint row = 0; row < 720; row++)
        memcpy (prev + row * 1280,
            (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&vframe, 0)
                + row * GST_VIDEO_FRAME_PLANE_STRIDE (&vframe, 0),
            1280);
      gst_video_frame_unmap (&vframe);
      gst_caps_unref (dcaps);
      gst_buffer_unref (out);
      decoded++;
    }
  }
  /* vp9dec has no delay: every kept frame came out above. */
  fail_unless_equals_int (decoded, kept);
  fail_unless (kept >= big->frames->len * 9 / 10, "%u frames", kept);
  *kbps = bytes * 8.0 / (big->frames->len * 1001.0 / 30000.0) / 1000.0;
  artic_qp_map_free (map);
  gst_harness_teardown (d);
  gst_harness_teardown (h);
  g_free (launch);
  g_free (prev);
}

GST_START_TEST (test_vp9_720p_whole_clip)
{
  const gchar *path = g_getenv ("ARTIC_CLIP");
  GError *error = NULL;
  ArticClip *big;
  ArticRoiRect rect;
  ArticRoiEval uniform, roi;
  gdouble uniform_kbps, roi_kbps, gain;
  guint uniform_held = 0, roi_held = 0, uniform_run = 0, roi_run = 0;

  if (path == NULL)
    path = ARTIC_SOURCE_ROOT "/data/media/box-10s.mp4";
  big = artic_clip_load (path, 1280, 720, WHOLE_FRAMES, &error);
  fail_unless (big != NULL, "%s", error ? error->message : "?");
  fail_unless_equals_int (big->frames->len, WHOLE_FRAMES);
  artic_roi_box_to_rect (&question_box, 1280, 720, &rect);
  encode_whole_clip (big, NULL, FALSE, &rect, &uniform, &uniform_kbps,
      &uniform_held, &uniform_run);
  encode_whole_clip (
      big, NULL, TRUE, &rect, &roi, &roi_kbps, &roi_held, &roi_run);
  gain = artic_roi_eval_psnr_in (&roi) - artic_roi_eval_psnr_in (&uniform);
  g_print ("vp9 1280x720 %d kbps, 10 s: uniform %.1f kbps region %.2f dB, "
           "roi %.1f kbps region %.2f dB rest %.2f dB: gain %+.2f dB; "
           "background held on %u / %u frames (at most %u / %u in a row)\n",
      BITRATE, uniform_kbps, artic_roi_eval_psnr_in (&uniform), roi_kbps,
      artic_roi_eval_psnr_in (&roi), artic_roi_eval_psnr_out (&roi), gain,
      uniform_held, roi_held, uniform_run, roi_run);
  fail_unless (gain >= 3.0, "region gain %.2f dB over the whole clip", gain);
  /* The background is held on two frames in three and never longer. */
  fail_unless (roi_held >= WHOLE_FRAMES / 2, "held on %u frames", roi_held);
  fail_unless (roi_run <= 2, "held %u frames in a row", roi_run);
  fail_unless (uniform_held <= 3, "uniform held on %u frames", uniform_held);
  fail_unless (
      artic_roi_eval_psnr_out (&roi) < artic_roi_eval_psnr_out (&uniform));
  fail_unless (
      ABS (roi_kbps - BITRATE) <= 0.1 * BITRATE, "%.1f kbps", roi_kbps);
  fail_unless (
      ABS (uniform_kbps - BITRATE) <= 0.1 * BITRATE, "%.1f kbps", uniform_kbps);
  artic_clip_free (big);
}

GST_END_TEST;

/* Encodes the whole shipped clip at 640x360 with and without the map
 * (@settings: more articenc properties, NULL: none; @block_size: the map's,
 * 0: the published rule's) and returns the region's PSNR gain. */
static gdouble
encode_whole_clip_pair (const gchar *settings, guint block_size,
    EncodeResult *uniform, EncodeResult *roi)
{
  const gchar *path = g_getenv ("ARTIC_CLIP");
  GError *error = NULL;
  ArticClip *whole;

  if (path == NULL)
    path = ARTIC_SOURCE_ROOT "/data/media/box-10s.mp4";
  whole = artic_clip_load (path, WIDTH, HEIGHT, WHOLE_FRAMES, &error);
  fail_unless (whole != NULL, "%s", error ? error->message : "?");
  fail_unless_equals_int (whole->frames->len, WHOLE_FRAMES);
  map_block_size = block_size;
  encode_frames_with (
      whole, WHOLE_FRAMES, NULL, "vp8", "vp8dec", settings, FALSE, uniform);
  encode_frames_with (
      whole, WHOLE_FRAMES, NULL, "vp8", "vp8dec", settings, TRUE, roi);
  map_block_size = 0;
  artic_clip_free (whole);
  return artic_roi_eval_psnr_in (&roi->eval)
         - artic_roi_eval_psnr_in (&uniform->eval);
}

/* Issue 3's VP8 row over the whole shipped clip (roi-bench's default),
 * 640x360 at 200 kbps: the region boost must stay on as long as the stream
 * holds its target. Before the shift control's bucket leaked, it summed
 * every excess since the start against the trimmed bitrate, cut the shift
 * at frame ~105 although the stream was within 5 % of its target, and the
 * region fell back to the uniform encode's quality for 1.5 s. A
 * deterministic encode (libvpx at a fixed speed, the frame-rate
 * controller on time stamps): the figures do not depend on the machine's
 * load. Measured +3.70 dB over the clip, worst second +2.79 dB (+3.48 and
 * +2.02 dB, seconds 4-5, before the leak); every frame kept. */
GST_START_TEST (test_vp8_whole_clip)
{
  EncodeResult uniform, roi;
  gdouble gain = encode_whole_clip_pair (NULL, 0, &uniform, &roi);
  gdouble worst = G_MAXDOUBLE;
  guint s;

  for (s = 0; s < WHOLE_SECONDS; s++) {
    gdouble second = artic_roi_eval_psnr_in (&roi.second[s])
                     - artic_roi_eval_psnr_in (&uniform.second[s]);

    g_print ("vp8 whole clip, second %u: region gain %+.2f dB\n", s, second);
    worst = MIN (worst, second);
  }
  g_print ("vp8 640x360 %d kbps, 10 s: uniform %.1f kbps %u frames, roi "
           "%.1f kbps %u frames, region gain %+.2f dB, worst second %+.2f dB\n",
      BITRATE, uniform.kbps, uniform.frames, roi.kbps, roi.frames, gain, worst);
  fail_unless (gain >= 3.6, "region gain %.2f dB", gain);
  fail_unless (worst >= 2.5, "worst second %.2f dB", worst);
  fail_unless_equals_int (roi.frames, WHOLE_FRAMES);
  fail_unless (
      ABS (roi.kbps - BITRATE) <= 0.1 * BITRATE, "%.1f kbps", roi.kbps);
  fail_unless (
      ABS (uniform.kbps - BITRATE) <= 0.1 * BITRATE, "%.1f kbps", uniform.kbps);
}

GST_END_TEST;

/* The target (+4 dB at 640x360 and 200 kbps) on the map the shipped
 * chain encodes with: articroi computes it on 16-pixel blocks
 * (ARTIC_ROI_ANALYZER_DEFAULT_BLOCK_SIZE), one VP8 macroblock each, so the
 * region segment is the macroblocks the box touches; the published rule's
 * 64-pixel blocks (the test above) code ~45 % more of them at the
 * region's step. roi-bench gives +4.15 dB on this map; before the fourth
 * round's boost (everything outside the region at the coarsest step, the
 * region eased before the shift control cuts) it was +4.00. */
GST_START_TEST (test_vp8_whole_clip_shipped_map)
{
  EncodeResult uniform, roi;
  gdouble gain = encode_whole_clip_pair (
      NULL, ARTIC_ROI_ANALYZER_DEFAULT_BLOCK_SIZE, &uniform, &roi);

  g_print ("vp8 640x360 %d kbps, 10 s, %u-pixel map: uniform %.1f kbps, roi "
           "%.1f kbps %u frames, region gain %+.2f dB\n",
      BITRATE, ARTIC_ROI_ANALYZER_DEFAULT_BLOCK_SIZE, uniform.kbps, roi.kbps,
      roi.frames, gain);
  fail_unless (gain >= 4.0, "region gain %.2f dB", gain);
  fail_unless_equals_int (roi.frames, WHOLE_FRAMES);
  fail_unless (
      ABS (roi.kbps - BITRATE) <= 0.1 * BITRATE, "%.1f kbps", roi.kbps);
  fail_unless (
      ABS (uniform.kbps - BITRATE) <= 0.1 * BITRATE, "%.1f kbps", uniform.kbps);
}

GST_END_TEST;

/* The same clip at 400 kbps: there libvpx's base comes down from the
 * boost's cap (62) on most frames. The background used to reach the
 * coarsest step only through its positive offsets (+3..+27 units), so it
 * went finer with the base and took bits the region did not get; with the
 * boost every segment outside the region is coded at +63 (one segment,
 * merged ids). Measured through articenc +5.84 dB at 398.8 kbps (+4.52 dB
 * at 400.5 kbps before, the rest 33.23 -> 32.44 dB); roi-bench +5.79
 * against +4.30 dB. */
GST_START_TEST (test_vp8_whole_clip_400)
{
  EncodeResult uniform, roi;
  /* The later bitrate= in the launch line wins. */
  gdouble gain = encode_whole_clip_pair ("bitrate=400", 0, &uniform, &roi);

  g_print ("vp8 640x360 400 kbps, 10 s: uniform %.1f kbps %u frames, roi "
           "%.1f kbps %u frames, region gain %+.2f dB, rest %.2f / %.2f dB\n",
      uniform.kbps, uniform.frames, roi.kbps, roi.frames, gain,
      artic_roi_eval_psnr_out (&uniform.eval),
      artic_roi_eval_psnr_out (&roi.eval));
  fail_unless (gain >= 5.0, "region gain %.2f dB", gain);
  fail_unless_equals_int (roi.frames, WHOLE_FRAMES);
  fail_unless (ABS (roi.kbps - 400) <= 40, "%.1f kbps", roi.kbps);
  fail_unless (ABS (uniform.kbps - 400) <= 40, "%.1f kbps", uniform.kbps);
}

GST_END_TEST;

static Suite *
roi_encode_suite (void)
{
  Suite *s = suite_create ("articenc-roi");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 300);
  tcase_add_checked_fixture (tc, load_clip, free_clip);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_roi_moves_bits_vp8);
  tcase_add_test (tc, test_region_boost_lifts_vp8);
  tcase_add_test (tc, test_vp8_background_refreshed);
  tcase_add_test (tc, test_roi_moves_bits_vp9);
  tcase_add_test (tc, test_vp9_boost_and_filter);
  tcase_add_test (tc, test_roi_moves_bits_h264);
  tcase_add_test (tc, test_articroi_drives_articenc);
  tcase_add_test (tc, test_720p_100kbps_bitrate_holds);
  tcase_add_test (tc, test_roi_vp8_4db_at_10fps);
  tcase_add_test (tc, test_vp9_720p_whole_clip);
  tcase_add_test (tc, test_vp8_whole_clip);
  tcase_add_test (tc, test_vp8_whole_clip_400);
  tcase_add_test (tc, test_vp8_whole_clip_shipped_map);
  return s;
}

int
main (int argc, char **argv)
{
  gst_check_init (&argc, &argv);
  if (!gst_artic_elements_register_static ())
    g_error ("could not register the artic elements");
  return gst_check_run_suite (roi_encode_suite (), "articenc-roi", __FILE__);
}
