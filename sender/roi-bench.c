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

/* roi-bench: what ROI encoding buys on a real clip. Encodes the clip
 * uniformly and with a QP map from a question box, at several bitrates and
 * sizes, decodes each result (libvpx / libavcodec decoders), and prints the
 * achieved bitrate, luma PSNR and SSIM inside and outside the box, and the
 * encode speed on one core (thread CPU time; analysis included for ROI runs: box importance,
 * text cue, map, codec segments). Not a test: see docs/roi-encoding.md. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gst/gst.h>
#include <libavcodec/avcodec.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>

#include "artic-qp-map.h"
#include "artic-frame-rate.h"
#include "artic-roi-analyzer.h"
#include "artic-roi-box.h"
#include "artic-roi-cues.h"
#include "artic-roi-eval.h"
#include "artic-video-encoder.h"

#define PROGRAM "roi-bench"
/* The word "CAMPRODON" printed on the box in the first 3 s of box-10s.mp4;
 * later the fixed box holds the picture printed on the box, and in the
 * last second the room behind it (docs/roi-encoding.md). */
#define DEFAULT_BOX "[[450,200],[750,330]]"
/* The whole shipped clip (10 s): its first 3 s hid a VP9 collapse after
 * them and flatter every ROI row with the uniform encodes' start-up
 * (docs/roi-encoding.md, "roi-bench"). */
#define DEFAULT_FRAMES 300

typedef struct
{
  ArticVencCodec codec;
  guint width, height, kbps;
  gboolean roi;
  gboolean text_cue;
  gint cpu_used;
  gint qp_base;
  guint block_size; /* of the QP map, pixels */
  gboolean adaptive;
  gdouble max_fps;
  gboolean region_boost;
  gint background_filter;
  const ArticRoiBox *boxes;
  guint n_boxes;
  gboolean reference_control; /* VP8: as articenc runs it */
} RunSpec;

/* One encoded frame, for --trace. */
typedef struct
{
  guint frame; /* index in the clip */
  guint encoder_kbps;
  gsize bytes;
  gboolean keyframe;
  gint quantizer; /* libvpx 0..63, -1 for H.264 */
  gboolean boost;
  gint shift_cap;
  gdouble psnr_in, psnr_out;
} TraceRow;

typedef struct
{
  gdouble kbps;
  gdouble encode_fps;
  gdouble fps; /* frames encoded per second of video */
  ArticRoiEval eval;
} RunResult;

/* CPU time of this thread: the encoders run one thread, and on a shared
 * machine wall time would measure the neighbours. */
static gdouble
thread_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct
{
  GPtrArray *packets;
  gsize bytes;
  gboolean keyframe;
} Collected;

static void
collect (const ArticVencPacket *packet, gpointer user_data)
{
  Collected *c = user_data;

  g_ptr_array_add (c->packets, g_bytes_new (packet->data, packet->size));
  c->bytes += packet->size;
  c->keyframe |= packet->keyframe;
}

/* The frame-rate controller as articenc runs it: the rate guard always,
 * the adaptive rule if asked. */
static ArticFrameRate *
frame_rate_new (const RunSpec *spec, const ArticClip *clip, GError **error)
{
  ArticFrameRateConfig config;

  artic_frame_rate_config_init (&config);
  config.capture_fps = clip->framerate;
  config.width = spec->width;
  config.height = spec->height;
  config.adaptive = spec->adaptive;
  config.max_fps = spec->max_fps;
  return artic_frame_rate_new (&config, error);
}

/* The per-frame analysis a live sender does: box importance, the text cue
 * (max-combined, if asked), the QP map. */
static ArticQpMap *
analyse (const RunSpec *spec, const guint8 *luma)
{
  ArticQpParams params;
  guint cols, rows;
  gfloat *imp, *cue;
  ArticQpMap *map;

  artic_qp_params_init (&params);
  params.base = spec->qp_base;
  params.block_size = spec->block_size;
  cols = artic_qp_map_blocks (spec->width, params.block_size);
  rows = artic_qp_map_blocks (spec->height, params.block_size);
  imp = g_new0 (gfloat, (gsize) cols * rows);
  if (!artic_roi_importance_from_boxes (spec->width, spec->height,
          params.block_size, spec->boxes, spec->n_boxes, imp)) {
    g_free (imp);
    return artic_qp_map_from_boxes (spec->width, spec->height, NULL, 0, NULL);
  }
  if (spec->text_cue) {
    cue = g_new0 (gfloat, (gsize) cols * rows);
    artic_roi_cue_text (
        luma, spec->width, spec->height, spec->width, params.block_size, cue);
    artic_roi_importance_max (imp, cue, (gsize) cols * rows);
    g_free (cue);
  }
  map = artic_qp_map_from_importance (spec->width, spec->height, imp, &params);
  g_free (imp);
  return map;
}

static gboolean
encode (const RunSpec *spec, const ArticClip *clip, GPtrArray *packets,
    GArray *kept, GArray *trace, gdouble *seconds, GError **error)
{
  ArticVencConfig config;
  ArticFrameRate *fr;
  ArticVenc *enc;
  gsize ysize = (gsize) spec->width * spec->height;
  gsize csize = (gsize) ((spec->width + 1) / 2) * ((spec->height + 1) / 2);
  gint strides[3] = { (gint) spec->width, (gint) (spec->width + 1) / 2,
    (gint) (spec->width + 1) / 2 };
  gint64 frame_us = (gint64) (1e6 / clip->framerate);
  gdouble start;
  guint i;

  artic_venc_config_init (&config);
  config.codec = spec->codec;
  config.width = spec->width;
  config.height = spec->height;
  config.bitrate_kbps = spec->kbps;
  config.cpu_used = spec->cpu_used;
  config.framerate = clip->framerate;
  config.region_boost = spec->region_boost;
  config.reference_control = spec->reference_control;
  config.background_filter = spec->background_filter;
  start = thread_seconds ();
  enc = artic_venc_new (&config, error);
  if (enc == NULL)
    return FALSE;
  fr = frame_rate_new (spec, clip, error);
  if (fr == NULL) {
    artic_venc_free (enc);
    return FALSE;
  }
  for (i = 0; i < clip->frames->len; i++) {
    const guint8 *data
        = g_bytes_get_data (g_ptr_array_index (clip->frames, i), NULL);
    const guint8 *planes[3] = { data, data + ysize, data + ysize + csize };
    Collected collected = { packets, 0, FALSE };
    ArticFrameRateDecision decision;

    artic_frame_rate_decide (
        fr, data, spec->width, i * frame_us, spec->kbps, FALSE, &decision);
    if (!decision.keep)
      continue;
    g_array_append_val (kept, i);
    if (!artic_venc_set_bitrate (enc,
            CLAMP (decision.encoder_kbps, ARTIC_VENC_MIN_BITRATE_KBPS,
                ARTIC_VENC_MAX_BITRATE_KBPS),
            error))
      break;

    if (spec->roi) {
      ArticQpMap *map = analyse (spec, data);
      gboolean ok = artic_venc_set_qp_map (enc, map, error);

      artic_qp_map_free (map);
      if (!ok)
        break;
    }
    if (!artic_venc_encode (enc, planes, strides, decision.encoder_pts_us,
            decision.encoder_duration_us, FALSE, collect, &collected, error))
      break;
    artic_frame_rate_encoded (fr, collected.bytes, collected.keyframe,
        artic_venc_get_last_quantizer (enc));
    if (trace != NULL) {
      TraceRow row = { i, decision.encoder_kbps, collected.bytes,
        collected.keyframe, artic_venc_get_base_quantizer (enc),
        artic_venc_get_boost_engaged (enc), artic_venc_get_shift_cap (enc), 0,
        0 };

      g_array_append_val (trace, row);
    }
  }
  *seconds = thread_seconds () - start;
  artic_frame_rate_free (fr);
  artic_venc_free (enc);
  return i == clip->frames->len;
}

/* Adds the @n-th kept frame to the result (and its trace row, if any). */
static void
eval_frame (RunResult *result, const ArticClip *clip, const GArray *kept,
    GArray *trace, guint n, const guint8 *luma, gint stride,
    const ArticRoiRect *rect)
{
  guint index = g_array_index (kept, guint, n);
  const guint8 *ref
      = g_bytes_get_data (g_ptr_array_index (clip->frames, index), NULL);

  artic_roi_eval_add_plane (&result->eval, ref, clip->width, luma,
      (gsize) stride, clip->width, clip->height, rect);
  if (trace != NULL && n < trace->len) {
    TraceRow *row = &g_array_index (trace, TraceRow, n);
    ArticRoiEval one;

    artic_roi_eval_init (&one);
    artic_roi_eval_add_plane (&one, ref, clip->width, luma, (gsize) stride,
        clip->width, clip->height, rect);
    row->psnr_in = artic_roi_eval_psnr_in (&one);
    row->psnr_out = artic_roi_eval_psnr_out (&one);
  }
}

static guint
decode_vpx (const RunSpec *spec, const ArticClip *clip, GPtrArray *packets,
    const GArray *kept, GArray *trace, RunResult *result,
    const ArticRoiRect *rect)
{
  vpx_codec_ctx_t dec;
  guint i, n = 0;

  if (vpx_codec_dec_init (&dec,
          spec->codec == ARTIC_VENC_CODEC_VP9 ? vpx_codec_vp9_dx ()
                                              : vpx_codec_vp8_dx (),
          NULL, 0)
      != VPX_CODEC_OK)
    return 0;
  for (i = 0; i < packets->len; i++) {
    gsize size;
    const guint8 *data
        = g_bytes_get_data (g_ptr_array_index (packets, i), &size);
    vpx_codec_iter_t iter = NULL;
    vpx_image_t *img;

    if (vpx_codec_decode (&dec, data, size, NULL, 0) != VPX_CODEC_OK)
      continue;
    while ((img = vpx_codec_get_frame (&dec, &iter)) != NULL)
      if (n < kept->len)
        eval_frame (result, clip, kept, trace, n++, img->planes[0],
            img->stride[0], rect);
  }
  vpx_codec_destroy (&dec);
  return n;
}

static guint
decode_h264 (const ArticClip *clip, GPtrArray *packets, const GArray *kept,
    GArray *trace, RunResult *result, const ArticRoiRect *rect)
{
  const AVCodec *codec = avcodec_find_decoder (AV_CODEC_ID_H264);
  AVCodecContext *ctx = codec ? avcodec_alloc_context3 (codec) : NULL;
  AVPacket *pkt = av_packet_alloc ();
  AVFrame *frame = av_frame_alloc ();
  guint i, n = 0;

  if (ctx == NULL || pkt == NULL || frame == NULL)
    goto out;
  ctx->thread_count = 1;
  ctx->flags |= AV_CODEC_FLAG_LOW_DELAY;
  if (avcodec_open2 (ctx, codec, NULL) < 0)
    goto out;
  for (i = 0; i <= packets->len; i++) {
    if (i < packets->len) {
      gsize size;
      const guint8 *data
          = g_bytes_get_data (g_ptr_array_index (packets, i), &size);

      pkt->data = (uint8_t *) data;
      pkt->size = (int) size;
      if (avcodec_send_packet (ctx, pkt) < 0)
        continue;
    } else {
      avcodec_send_packet (ctx, NULL);
    }
    while (avcodec_receive_frame (ctx, frame) >= 0) {
      if (n < kept->len)
        eval_frame (result, clip, kept, trace, n++, frame->data[0],
            frame->linesize[0], rect);
      av_frame_unref (frame);
    }
  }
out:
  av_frame_free (&frame);
  av_packet_free (&pkt);
  avcodec_free_context (&ctx);
  return n;
}

static gboolean
run (const RunSpec *spec, const ArticClip *clip, const ArticRoiRect *rect,
    GArray *trace, RunResult *result, GError **error)
{
  GPtrArray *packets
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GArray *kept = g_array_new (FALSE, FALSE, sizeof (guint));
  gdouble seconds = 0;
  gsize bytes = 0;
  guint i, decoded;

  artic_roi_eval_init (&result->eval);
  if (!encode (spec, clip, packets, kept, trace, &seconds, error)) {
    g_ptr_array_unref (packets);
    g_array_unref (kept);
    return FALSE;
  }
  for (i = 0; i < packets->len; i++)
    bytes += g_bytes_get_size (g_ptr_array_index (packets, i));
  result->kbps = bytes * 8.0 / (clip->frames->len / clip->framerate) / 1000.0;
  /* Encode speed per captured frame: dropping one costs its analysis. */
  result->encode_fps = clip->frames->len / MAX (seconds, 1e-9);
  result->fps = kept->len / (clip->frames->len / clip->framerate);
  if (spec->codec == ARTIC_VENC_CODEC_H264)
    decoded = decode_h264 (clip, packets, kept, trace, result, rect);
  else
    decoded = decode_vpx (spec, clip, packets, kept, trace, result, rect);
  g_ptr_array_unref (packets);
  if (decoded != kept->len) {
    g_set_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_CODEC,
        "decoded %u of %u frames", decoded, kept->len);
    g_array_unref (kept);
    return FALSE;
  }
  g_array_unref (kept);
  return TRUE;
}

/* --trace: one line per encoded frame of a run. */
static void
trace_write (FILE *out, const RunSpec *spec, const GArray *trace)
{
  guint i;

  for (i = 0; i < trace->len; i++) {
    const TraceRow *r = &g_array_index (trace, TraceRow, i);

    fprintf (out,
        "%ux%u,%s,%u,%s,%u,%u,%" G_GSIZE_FORMAT ",%d,%d,%d,%d,%.2f,"
        "%.2f\n",
        spec->width, spec->height, artic_venc_codec_name (spec->codec),
        spec->kbps, spec->roi ? "roi" : "uniform", r->frame, r->encoder_kbps,
        r->bytes, r->keyframe, r->quantizer, r->boost, r->shift_cap, r->psnr_in,
        r->psnr_out);
  }
}

static gboolean
parse_list (const gchar *text, const gchar *what, GArray *out,
    gboolean (*parse) (const gchar *item, gpointer value), gsize size)
{
  gchar **items = g_strsplit (text, ",", -1);
  guint8 value[16];
  guint i;

  for (i = 0; items[i] != NULL; i++) {
    if (!parse (g_strstrip (items[i]), value)) {
      g_printerr ("%s: error: bad %s '%s'\n", PROGRAM, what, items[i]);
      g_strfreev (items);
      return FALSE;
    }
    g_array_append_vals (out, value, 1);
  }
  g_strfreev (items);
  return out->len > 0 && size <= sizeof (value);
}

static gboolean
parse_codec (const gchar *item, gpointer value)
{
  ArticVencCodec *codec = value;

  if (g_strcmp0 (item, "vp8") == 0)
    *codec = ARTIC_VENC_CODEC_VP8;
  else if (g_strcmp0 (item, "vp9") == 0)
    *codec = ARTIC_VENC_CODEC_VP9;
  else if (g_strcmp0 (item, "h264") == 0)
    *codec = ARTIC_VENC_CODEC_H264;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_kbps (const gchar *item, gpointer value)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (item, 10, ARTIC_VENC_MIN_BITRATE_KBPS,
          ARTIC_VENC_MAX_BITRATE_KBPS, &v, NULL))
    return FALSE;
  *(guint *) value = (guint) v;
  return TRUE;
}

static gboolean
parse_size (const gchar *item, gpointer value)
{
  guint *wh = value;
  guint64 w, h;
  gchar **parts = g_strsplit (item, "x", 2);
  gboolean ok = parts[0] != NULL && parts[1] != NULL
                && g_ascii_string_to_unsigned (
                    parts[0], 10, 16, ARTIC_VENC_MAX_DIMENSION, &w, NULL)
                && g_ascii_string_to_unsigned (
                    parts[1], 10, 16, ARTIC_VENC_MAX_DIMENSION, &h, NULL);

  g_strfreev (parts);
  if (!ok)
    return FALSE;
  wh[0] = (guint) w;
  wh[1] = (guint) h;
  return TRUE;
}

int
main (int argc, char **argv)
{
  gchar *clip_path = NULL, *codecs_arg = NULL, *sizes_arg = NULL;
  gchar *bitrates_arg = NULL, *box_arg = NULL, *trace_path = NULL;
  FILE *trace_out = NULL;
  gint frames = DEFAULT_FRAMES, cpu_used = 8, qp_base = 0;
  /* The map articroi computes, i.e. what artic-send hands articenc. */
  gint block_size = ARTIC_ROI_ANALYZER_DEFAULT_BLOCK_SIZE;
  gboolean text_cue = FALSE, adaptive = FALSE, no_region_boost = FALSE;
  gboolean reference_control = FALSE;
  gdouble max_fps = 0.0;
  gint background_filter = ARTIC_VENC_BACKGROUND_FILTER_AUTO;
  GOptionEntry entries[] = {
    { "clip", 'i', 0, G_OPTION_ARG_FILENAME, &clip_path,
        "Video file (default: the shipped data/media/box-10s.mp4)", "PATH" },
    { "codecs", 'c', 0, G_OPTION_ARG_STRING, &codecs_arg,
        "Codecs, comma separated: vp8,vp9,h264 (default vp8,vp9,h264)",
        "LIST" },
    { "sizes", 's', 0, G_OPTION_ARG_STRING, &sizes_arg,
        "Frame sizes (default 640x360,1280x720)", "LIST" },
    { "bitrates", 'b', 0, G_OPTION_ARG_STRING, &bitrates_arg,
        "Target bitrates in kbps (default 100,200,400,800)", "LIST" },
    { "box", 0, 0, G_OPTION_ARG_STRING, &box_arg,
        "Question box(es), JSON in 0..1000 coordinates (default " DEFAULT_BOX
        ")",
        "JSON" },
    { "frames", 'n', 0, G_OPTION_ARG_INT, &frames,
        "Frames from the start of the clip (default 300 = the whole "
        "shipped clip, 10 s)",
        "N" },
    { "cpu-used", 0, 0, G_OPTION_ARG_INT, &cpu_used,
        "Encoder speed 0..16 (default 8)", "N" },
    { "qp-base", 0, 0, G_OPTION_ARG_INT, &qp_base,
        "Base of the box rule: offsets start where 51 (1 - r^gamma) passes "
        "it (default 0: at the box edge; the published rule uses 26)",
        "N" },
    { "block-size", 0, 0, G_OPTION_ARG_INT, &block_size,
        "Block size of the QP map in pixels, 8..64 (default 16, "
        "articroi's: the map artic-send encodes with; the published rule "
        "uses 64)",
        "N" },
    { "text-cue", 0, 0, G_OPTION_ARG_NONE, &text_cue,
        "Also keep text-like blocks sharp (text cue, max-combined)", NULL },
    { "adaptive", 0, 0, G_OPTION_ARG_NONE, &adaptive,
        "Adaptive frame rate (motion, bits per frame) as well as the rate "
        "guard",
        NULL },
    { "max-fps", 0, 0, G_OPTION_ARG_DOUBLE, &max_fps,
        "Encode at most this many frames per second (articenc's "
        "max-framerate; default 0 = the clip's rate)",
        "FPS" },
    { "no-region-boost", 0, 0, G_OPTION_ARG_NONE, &no_region_boost,
        "VP8: libvpx's rate control alone (articenc region-boost=false)",
        NULL },
    { "reference-control", 0, 0, G_OPTION_ARG_NONE, &reference_control,
        "VP8: libvpx reference control in both encodes (articenc's "
        "reference-control=true, its default; off by default here)",
        NULL },
    { "background-filter", 0, 0, G_OPTION_ARG_INT, &background_filter,
        "ROI encodes: low-pass the background with a box of this radius "
        "(pixels) before the codec; 0 = off, -1 = each codec's default "
        "(articenc background-filter; default -1)",
        "N" },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &trace_path,
        "Write one CSV line per encoded frame to this file (size, codec, "
        "target, mode, frame, encoder kbps, bytes, key, libvpx base "
        "quantizer, region boost, shift cap, PSNR in, PSNR out)",
        "PATH" },
    { NULL },
  };
  GOptionContext *ctx = g_option_context_new ("- uniform vs ROI encoding");
  GArray *codecs = g_array_new (FALSE, FALSE, sizeof (ArticVencCodec));
  GArray *sizes = g_array_new (FALSE, FALSE, 2 * sizeof (guint));
  GArray *kbps = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *boxes = NULL;
  GError *error = NULL;
  guint s, c, b, run_index = 0, n_runs;
  int ret = 0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_summary (ctx,
      "Encodes a clip uniformly and with a QP map from a box, and prints "
      "bitrate, PSNR/SSIM inside and outside the box, and encode fps.");
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("%s: error: %s\n", PROGRAM, error->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (argc > 1) {
    g_printerr ("%s: error: unexpected argument '%s'\n", PROGRAM, argv[1]);
    return 2;
  }
  if (!parse_list (codecs_arg ? codecs_arg : "vp8,vp9,h264", "codec", codecs,
          parse_codec, sizeof (ArticVencCodec))
      || !parse_list (sizes_arg ? sizes_arg : "640x360,1280x720", "size", sizes,
          parse_size, 2 * sizeof (guint))
      || !parse_list (bitrates_arg ? bitrates_arg : "100,200,400,800",
          "bitrate", kbps, parse_kbps, sizeof (guint)))
    return 2;
  if (frames < 2 || frames > 100000) {
    g_printerr ("%s: error: --frames %d outside 2..100000\n", PROGRAM, frames);
    return 2;
  }
  if (!(max_fps >= 0.0 && max_fps <= ARTIC_FRAME_RATE_MAX_FPS)) {
    g_printerr ("%s: error: --max-fps %g outside 0..%g\n", PROGRAM, max_fps,
        ARTIC_FRAME_RATE_MAX_FPS);
    return 2;
  }
  if (background_filter < ARTIC_VENC_BACKGROUND_FILTER_AUTO
      || background_filter > ARTIC_VENC_MAX_BACKGROUND_FILTER) {
    g_printerr ("%s: error: --background-filter %d outside %d..%d\n", PROGRAM,
        background_filter, ARTIC_VENC_BACKGROUND_FILTER_AUTO,
        ARTIC_VENC_MAX_BACKGROUND_FILTER);
    return 2;
  }
  if (qp_base < 0 || qp_base > 51) {
    g_printerr ("%s: error: --qp-base %d outside 0..51\n", PROGRAM, qp_base);
    return 2;
  }
  if (block_size < 8 || block_size > 64) {
    g_printerr (
        "%s: error: --block-size %d outside 8..64\n", PROGRAM, block_size);
    return 2;
  }
  if (cpu_used < 0 || cpu_used > ARTIC_VENC_MAX_CPU_USED) {
    g_printerr ("%s: error: --cpu-used %d outside 0..%d\n", PROGRAM, cpu_used,
        ARTIC_VENC_MAX_CPU_USED);
    return 2;
  }
  boxes = artic_roi_boxes_parse (box_arg ? box_arg : DEFAULT_BOX, -1, &error);
  if (boxes == NULL || boxes->len == 0) {
    g_printerr (
        "%s: error: --box: %s\n", PROGRAM, error ? error->message : "no box");
    return 2;
  }
  if (trace_path != NULL) {
    trace_out = fopen (trace_path, "w");
    if (trace_out == NULL) {
      g_printerr (
          "%s: error: --trace: cannot write '%s'\n", PROGRAM, trace_path);
      return 2;
    }
    fprintf (trace_out, "size,codec,target,mode,frame,encoder_kbps,bytes,key,"
                        "q,boost,shift_cap,psnr_in,psnr_out\n");
  }
  if (clip_path == NULL)
    clip_path = g_build_filename (
        ARTIC_SOURCE_ROOT, "data", "media", "box-10s.mp4", NULL);

  gst_init (NULL, NULL);
  n_runs = sizes->len * codecs->len * kbps->len * 2;
  g_print (
      "# clip %s, first %d frames, box %s, qp-base %d, cpu-used %d%s%s%s%s\n",
      clip_path, frames, box_arg ? box_arg : DEFAULT_BOX, qp_base, cpu_used,
      text_cue ? ", text cue" : "", adaptive ? ", adaptive frame rate" : "",
      no_region_boost ? ", no region boost" : "",
      reference_control ? ", reference control (VP8)" : "");
  if (max_fps > 0)
    g_print ("# at most %g fps\n", max_fps);
  g_print ("# QP map blocks of %d pixels\n", block_size);
  if (background_filter == ARTIC_VENC_BACKGROUND_FILTER_AUTO)
    g_print ("# background filter (ROI encodes): each codec's default "
             "(vp8 %d, vp9 %d, h264 %d)\n",
        artic_venc_default_background_filter (ARTIC_VENC_CODEC_VP8),
        artic_venc_default_background_filter (ARTIC_VENC_CODEC_VP9),
        artic_venc_default_background_filter (ARTIC_VENC_CODEC_H264));
  else
    g_print (
        "# background filter (ROI encodes): radius %d\n", background_filter);
  g_print ("# PSNR/SSIM: luma of the encoded frames; in = inside the box, "
           "out = the rest; fps = frames encoded per second of video\n");
  g_print ("%-9s %-4s %6s %-7s %8s %6s %5s %8s %8s %7s %7s %8s\n", "size",
      "codec", "target", "mode", "kbps", "err%", "fps", "PSNRin", "PSNRout",
      "SSIMin", "SSIMout", "enc fps");
  for (s = 0; s < sizes->len && ret == 0; s++) {
    const guint *wh = &g_array_index (sizes, guint, 2 * s);
    ArticClip *clip = artic_clip_load (clip_path, wh[0], wh[1], frames, &error);
    ArticRoiRect rect;

    if (clip == NULL) {
      g_printerr ("%s: error: %s\n", PROGRAM, error->message);
      ret = 1;
      break;
    }
    artic_roi_box_to_rect (
        &g_array_index (boxes, ArticRoiBox, 0), wh[0], wh[1], &rect);
    for (c = 0; c < codecs->len && ret == 0; c++)
      for (b = 0; b < kbps->len && ret == 0; b++) {
        RunResult uniform, roi;
        RunSpec spec = { g_array_index (codecs, ArticVencCodec, c), wh[0],
          wh[1], g_array_index (kbps, guint, b), FALSE, text_cue, cpu_used,
          qp_base, (guint) block_size, adaptive, max_fps, !no_region_boost,
          background_filter, (const ArticRoiBox *) boxes->data, boxes->len,
          reference_control };
        guint m;

        for (m = 0; m < 2; m++) {
          RunResult *r = m ? &roi : &uniform;
          GArray *trace = trace_out
                              ? g_array_new (FALSE, FALSE, sizeof (TraceRow))
                              : NULL;

          spec.roi = m == 1;
          g_printerr ("%s: [%u/%u] %ux%u %s %u kbps %s\n", PROGRAM, ++run_index,
              n_runs, wh[0], wh[1], artic_venc_codec_name (spec.codec),
              spec.kbps, spec.roi ? "roi" : "uniform");
          if (!run (&spec, clip, &rect, trace, r, &error)) {
            g_printerr ("%s: error: %s\n", PROGRAM, error->message);
            if (trace != NULL)
              g_array_unref (trace);
            ret = 1;
            break;
          }
          if (trace != NULL) {
            trace_write (trace_out, &spec, trace);
            g_array_unref (trace);
          }
          g_print ("%4ux%-4u %-4s %6u %-7s %8.1f %+6.1f %5.1f %8.2f %8.2f "
                   "%7.4f %7.4f %8.1f\n",
              wh[0], wh[1], artic_venc_codec_name (spec.codec), spec.kbps,
              spec.roi ? "roi" : "uniform", r->kbps,
              100.0 * (r->kbps - spec.kbps) / spec.kbps, r->fps,
              artic_roi_eval_psnr_in (&r->eval),
              artic_roi_eval_psnr_out (&r->eval),
              artic_roi_eval_ssim_in (&r->eval),
              artic_roi_eval_ssim_out (&r->eval), r->encode_fps);
        }
        if (ret == 0)
          g_print ("%4ux%-4u %-4s %6u gain    region %+.3f dB, rest %+.2f "
                   "dB\n",
              wh[0], wh[1], artic_venc_codec_name (spec.codec), spec.kbps,
              artic_roi_eval_psnr_in (&roi.eval)
                  - artic_roi_eval_psnr_in (&uniform.eval),
              artic_roi_eval_psnr_out (&roi.eval)
                  - artic_roi_eval_psnr_out (&uniform.eval));
      }
    artic_clip_free (clip);
  }
  g_clear_error (&error);
  g_array_unref (boxes);
  g_array_unref (codecs);
  g_array_unref (sizes);
  g_array_unref (kbps);
  g_free (clip_path);
  g_free (codecs_arg);
  g_free (sizes_arg);
  g_free (bitrates_arg);
  g_free (box_arg);
  if (trace_out != NULL && fclose (trace_out) != 0) {
    g_printerr ("%s: error: --trace: cannot write '%s'\n", PROGRAM, trace_path);
    ret = 1;
  }
  g_free (trace_path);
  return ret;
}
