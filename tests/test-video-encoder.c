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

/* The plain C encoder module (sender/artic-video-encoder) and the region
 * metrics (sender/artic-roi-eval), without a pipeline: real libvpx and
 * libx264 encodes of small frames. */

#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "artic-quality.h"
#include "artic-roi-eval.h"
#include "artic-video-encoder.h"

static const ArticVencCodec all_codecs[]
    = { ARTIC_VENC_CODEC_VP8, ARTIC_VENC_CODEC_VP9, ARTIC_VENC_CODEC_H264 };

typedef struct
{
  guint packets;
  guint keys;
  gboolean last_key;
  gsize bytes;
} Counts;

static void
count_packet (const ArticVencPacket *packet, gpointer user_data)
{
  Counts *c = user_data;

  g_assert_nonnull (packet->data);
  g_assert_cmpuint (packet->size, >, 0);
  c->packets++;
  c->keys += packet->keyframe;
  c->last_key = packet->keyframe;
  c->bytes += packet->size;
}

static ArticVenc *
new_encoder (ArticVencCodec codec, guint w, guint h)
{
  ArticVencConfig config;
  GError *error = NULL;
  ArticVenc *enc;

  artic_venc_config_init (&config);
  config.codec = codec;
  config.width = w;
  config.height = h;
  config.keyframe_max_dist = 0;
  enc = artic_venc_new (&config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (enc);
  return enc;
}

/* Encodes one frame of a moving gradient; returns the frame's counts. */
static void
encode_frame (
    ArticVenc *enc, guint w, guint h, guint index, gboolean key, Counts *counts)
{
  guint cw = (w + 1) / 2, ch = (h + 1) / 2, x, y;
  guint8 *buf = g_malloc (artic_clip_frame_size (w, h));
  const guint8 *planes[3] = { buf, buf + w * h, buf + w * h + cw * ch };
  gint strides[3] = { (gint) w, (gint) cw, (gint) cw };
  GError *error = NULL;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      buf[y * w + x] = (guint8) ((x * 7 + y * 3 + index * 5) & 0xff);
  memset (buf + w * h, 128, 2 * cw * ch);
  g_assert_true (artic_venc_encode (enc, planes, strides, index * 33333, 33333,
      key, count_packet, counts, &error));
  g_assert_no_error (error);
  g_free (buf);
}

static void
test_config_refused (void)
{
  struct
  {
    guint w, h, kbps, dist;
    gint cpu;
    gdouble fps;
  } bad[] = {
    { 0, 360, 500, 300, 8, 30 },
    { 640, 1, 500, 300, 8, 30 },
    { 100000, 360, 500, 300, 8, 30 },
    { 640, 360, 0, 300, 8, 30 },
    { 640, 360, 5, 300, 8, 30 },
    { 640, 360, 1000000, 300, 8, 30 },
    { 640, 360, 500, 300, -1, 30 },
    { 640, 360, 500, 300, 17, 30 },
    { 640, 360, 500, 1000000, 8, 30 },
    { 640, 360, 500, 300, 8, 0 },
    { 640, 360, 500, 300, 8, 1e9 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    ArticVencConfig config;
    GError *error = NULL;

    artic_venc_config_init (&config);
    config.width = bad[i].w;
    config.height = bad[i].h;
    config.bitrate_kbps = bad[i].kbps;
    config.keyframe_max_dist = bad[i].dist;
    config.cpu_used = bad[i].cpu;
    config.framerate = bad[i].fps;
    g_assert_null (artic_venc_new (&config, &error));
    g_assert_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    ArticVencConfig config;
    GError *error = NULL;

    artic_venc_config_init (&config);
    config.framerate = NAN;
    g_assert_false (artic_venc_config_validate (&config, &error));
    g_assert_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    gint filters[] = { -2, ARTIC_VENC_MAX_BACKGROUND_FILTER + 1, G_MININT };
    ArticVencConfig config;
    GError *error = NULL;

    for (i = 0; i < G_N_ELEMENTS (filters); i++) {
      artic_venc_config_init (&config);
      config.background_filter = filters[i];
      g_assert_false (artic_venc_config_validate (&config, &error));
      g_assert_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID);
      g_clear_error (&error);
    }
    artic_venc_config_init (&config);
    g_assert_cmpint (
        config.background_filter, ==, ARTIC_VENC_BACKGROUND_FILTER_AUTO);
    config.background_filter = ARTIC_VENC_MAX_BACKGROUND_FILTER;
    g_assert_true (artic_venc_config_validate (&config, &error));
    g_assert_no_error (error);
  }
}

static void
test_map_sent_only_on_change (void)
{
  guint c;

  for (c = 0; c < G_N_ELEMENTS (all_codecs); c++) {
    ArticVenc *enc = new_encoder (all_codecs[c], 200, 120);
    ArticRoiBox a = { 100, 100, 400, 400 }, b = { 600, 600, 900, 900 };
    ArticQpMap *ma = artic_qp_map_from_boxes (200, 120, &a, 1, NULL);
    ArticQpMap *mb = artic_qp_map_from_boxes (200, 120, &b, 1, NULL);
    ArticQpMap *wrong = artic_qp_map_from_boxes (201, 120, &a, 1, NULL);
    GError *error = NULL;
    Counts counts = { 0 };

    g_assert_cmpuint (artic_venc_get_map_updates (enc), ==, 0);
    g_assert_true (artic_venc_set_qp_map (enc, ma, &error));
    encode_frame (enc, 200, 120, 0, FALSE, &counts);
    g_assert_true (artic_venc_set_qp_map (enc, ma, &error));
    encode_frame (enc, 200, 120, 1, FALSE, &counts);
    g_assert_cmpuint (artic_venc_get_map_updates (enc), ==, 1);
    g_assert_true (artic_venc_set_qp_map (enc, mb, &error));
    g_assert_cmpuint (artic_venc_get_map_updates (enc), ==, 2);
    /* Same offsets from a freshly built map: still no update. */
    artic_qp_map_free (mb);
    mb = artic_qp_map_from_boxes (200, 120, &b, 1, NULL);
    g_assert_true (artic_venc_set_qp_map (enc, mb, &error));
    g_assert_cmpuint (artic_venc_get_map_updates (enc), ==, 2);
    encode_frame (enc, 200, 120, 2, FALSE, &counts);
    /* A map of another frame size is refused and changes nothing. */
    g_assert_false (artic_venc_set_qp_map (enc, wrong, &error));
    g_assert_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpuint (artic_venc_get_map_updates (enc), ==, 2);
    /* Clearing is one update, clearing again none. */
    g_assert_true (artic_venc_set_qp_map (enc, NULL, &error));
    g_assert_true (artic_venc_set_qp_map (enc, NULL, &error));
    g_assert_cmpuint (artic_venc_get_map_updates (enc), ==, 3);
    encode_frame (enc, 200, 120, 3, FALSE, &counts);
    g_assert_no_error (error);
    g_assert_cmpuint (counts.packets, ==, 4);
    artic_qp_map_free (ma);
    artic_qp_map_free (mb);
    artic_qp_map_free (wrong);
    artic_venc_free (enc);
  }
}

static void
test_odd_size_and_key_requests (void)
{
  guint c, i;

  /* libx264 cannot do odd 4:2:0 sizes: refused up front, clearly. */
  {
    ArticVencConfig config;
    GError *error = NULL;

    artic_venc_config_init (&config);
    config.codec = ARTIC_VENC_CODEC_H264;
    config.width = 33;
    config.height = 17;
    g_assert_null (artic_venc_new (&config, &error));
    g_assert_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "even"));
    g_clear_error (&error);
  }
  for (c = 0; c < G_N_ELEMENTS (all_codecs); c++) {
    gboolean h264 = all_codecs[c] == ARTIC_VENC_CODEC_H264;
    guint w = h264 ? 34 : 33, h = h264 ? 18 : 17;
    ArticVenc *enc = new_encoder (all_codecs[c], w, h);
    ArticRoiBox box = { 0, 0, 500, 500 };
    ArticQpMap *map = artic_qp_map_from_boxes (w, h, &box, 1, NULL);
    GError *error = NULL;
    Counts counts = { 0 };

    g_assert_true (artic_venc_set_qp_map (enc, map, &error));
    for (i = 0; i < 12; i++) {
      encode_frame (enc, w, h, i, i == 6, &counts);
      g_assert_cmpuint (counts.packets, ==, i + 1);
      g_assert_true (counts.last_key == (i == 0 || i == 6));
    }
    g_assert_cmpuint (counts.keys, ==, 2);
    artic_qp_map_free (map);
    artic_venc_free (enc);
  }
}

/* A map holding any gint8 (a buggy producer): clamped, encoded, no crash. */
static void
test_absurd_map_values (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  guint c, i, round;

  for (c = 0; c < G_N_ELEMENTS (all_codecs); c++) {
    ArticVenc *enc = new_encoder (all_codecs[c], 96, 64);
    Counts counts = { 0 };

    for (round = 0; round < 6; round++) {
      ArticQpMap *map = artic_qp_map_new (96, 64, round % 2 ? 8 : 16);
      GError *error = NULL;

      for (i = 0; i < map->cols * map->rows; i++)
        map->delta_qp[i] = round < 2
                               ? (round ? G_MININT8 : G_MAXINT8)
                               : (gint8) g_rand_int_range (rand, -128, 128);
      g_assert_true (artic_venc_set_qp_map (enc, map, &error));
      g_assert_no_error (error);
      encode_frame (enc, 96, 64, round, FALSE, &counts);
      artic_qp_map_free (map);
    }
    g_assert_cmpuint (counts.packets, ==, 6);
    artic_venc_free (enc);
  }
  g_rand_free (rand);
}

static void
test_bitrate_change (void)
{
  guint c, i;

  for (c = 0; c < G_N_ELEMENTS (all_codecs); c++) {
    ArticVenc *enc = new_encoder (all_codecs[c], 160, 96);
    GError *error = NULL;
    Counts counts = { 0 };

    g_assert_false (artic_venc_set_bitrate (enc, 0, &error));
    g_assert_error (error, ARTIC_VENC_ERROR, ARTIC_VENC_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (artic_venc_set_bitrate (enc, G_MAXUINT, &error));
    g_clear_error (&error);
    for (i = 0; i < 5; i++)
      encode_frame (enc, 160, 96, i, FALSE, &counts);
    g_assert_true (artic_venc_set_bitrate (enc, 50, &error));
    g_assert_true (artic_venc_set_bitrate (enc, 50, &error));
    for (i = 5; i < 10; i++)
      encode_frame (enc, 160, 96, i, FALSE, &counts);
    g_assert_no_error (error);
    g_assert_cmpuint (counts.keys, ==, 1);
    artic_venc_free (enc);
  }
}

static ArticVenc *
new_boost_encoder (ArticVencCodec codec, gboolean boost, guint kbps)
{
  ArticVencConfig config;
  GError *error = NULL;
  ArticVenc *enc;

  artic_venc_config_init (&config);
  config.codec = codec;
  config.width = 320;
  config.height = 192;
  config.bitrate_kbps = kbps;
  config.region_boost = boost;
  enc = artic_venc_new (&config, &error);
  g_assert_no_error (error);
  return enc;
}

/* The region boost runs for VP8 maps with a region only, and gives way
 * once the region's shift has to shrink (docs/roi-encoding.md). */
static void
test_region_boost_engagement (void)
{
  ArticRoiBox box = { 400, 400, 600, 600 };
  ArticQpMap *region = artic_qp_map_from_boxes (320, 192, &box, 1, NULL);
  ArticQpMap *flat = artic_qp_map_from_boxes (320, 192, NULL, 0, NULL);
  GError *error = NULL;
  ArticVenc *enc;
  Counts counts = { 0 };
  guint c, i, updates, eased = 0;

  /* VP8 with a region: engaged; the quantizer it reports leaves the guard
   * room while the region can still be made coarser. */
  enc = new_boost_encoder (ARTIC_VENC_CODEC_VP8, TRUE, 200);
  g_assert_false (artic_venc_get_boost_engaged (enc));
  g_assert_true (artic_venc_set_qp_map (enc, region, &error));
  g_assert_true (artic_venc_get_boost_engaged (enc));
  for (i = 0; i < 5; i++) {
    encode_frame (enc, 320, 192, i, FALSE, &counts);
    g_assert_cmpfloat (artic_venc_get_last_quantizer (enc), <=, 0.85);
  }
  /* A flat map (no box: one offset everywhere) has no region; no map, no
   * boost. */
  g_assert_true (artic_venc_set_qp_map (enc, flat, &error));
  g_assert_false (artic_venc_get_boost_engaged (enc));
  g_assert_true (artic_venc_set_qp_map (enc, region, &error));
  g_assert_true (artic_venc_get_boost_engaged (enc));
  g_assert_true (artic_venc_set_qp_map (enc, NULL, &error));
  g_assert_false (artic_venc_get_boost_engaged (enc));
  encode_frame (enc, 320, 192, 5, FALSE, &counts);
  g_assert_cmpuint (counts.packets, ==, 6);
  artic_venc_free (enc);

  /* Off by configuration; VP9 has its own (the region at the base), with
   * the same room for the guard; never for H.264. */
  enc = new_boost_encoder (ARTIC_VENC_CODEC_VP8, FALSE, 200);
  g_assert_true (artic_venc_set_qp_map (enc, region, &error));
  g_assert_false (artic_venc_get_boost_engaged (enc));
  artic_venc_free (enc);
  enc = new_boost_encoder (ARTIC_VENC_CODEC_VP9, FALSE, 200);
  g_assert_true (artic_venc_set_qp_map (enc, region, &error));
  g_assert_false (artic_venc_get_boost_engaged (enc));
  artic_venc_free (enc);
  for (c = 1; c < G_N_ELEMENTS (all_codecs); c++) {
    gboolean vp9 = all_codecs[c] == ARTIC_VENC_CODEC_VP9;

    enc = new_boost_encoder (all_codecs[c], TRUE, 200);
    g_assert_true (artic_venc_set_qp_map (enc, region, &error));
    g_assert_cmpint (artic_venc_get_boost_engaged (enc), ==, vp9);
    for (i = 0; vp9 && i < 5; i++) {
      encode_frame (enc, 320, 192, i, FALSE, &counts);
      g_assert_cmpfloat (artic_venc_get_last_quantizer (enc), <=, 0.85);
    }
    artic_venc_free (enc);
  }

  /* Too few bits per macroblock for the boost (10 kbps at 320x192, 30 fps:
   * 1.4 bits): off from the start, and off as soon as the bitrate drops
   * there while running. */
  enc = new_boost_encoder (ARTIC_VENC_CODEC_VP8, TRUE, 10);
  g_assert_true (artic_venc_set_qp_map (enc, region, &error));
  g_assert_false (artic_venc_get_boost_engaged (enc));
  g_assert_true (artic_venc_set_bitrate (enc, 200, &error));
  g_assert_true (artic_venc_get_boost_engaged (enc));
  g_assert_true (artic_venc_set_bitrate (enc, 10, &error));
  g_assert_false (artic_venc_get_boost_engaged (enc));
  artic_venc_free (enc);

  /* Enough bits on paper (40 kbps: 5.6 per macroblock) but a detailed
   * picture moving every frame overshoots: first the region's step is
   * eased one unit at a time (each ease re-sends the map, the shift and
   * the boost stay), nine units, and only then does the shift control
   * cut the shift and the boost give way (the ninth ease and the cut on
   * the same frame), so libvpx's last resort and the frame-rate guard are
   * back. */
  enc = new_boost_encoder (ARTIC_VENC_CODEC_VP8, TRUE, 40);
  g_assert_true (artic_venc_set_qp_map (enc, region, &error));
  g_assert_true (artic_venc_get_boost_engaged (enc));
  updates = artic_venc_get_map_updates (enc);
  for (i = 0; i < 150 && artic_venc_get_boost_engaged (enc); i++) {
    encode_frame (enc, 320, 192, i, FALSE, &counts);
    if (artic_venc_get_boost_engaged (enc)) {
      g_assert_cmpint (artic_venc_get_shift_cap (enc), ==, 16);
      eased = artic_venc_get_map_updates (enc) - updates;
    }
  }
  g_assert_cmpuint (eased, >=, 8);
  g_assert_false (artic_venc_get_boost_engaged (enc));
  g_assert_cmpint (artic_venc_get_shift_cap (enc), <, 16);
  artic_venc_free (enc);

  /* VP9's boost has no floor and a rate loop of its own: on the same
   * moving picture at 40 kbps it stays engaged while the region's step
   * (the base) rises from where it starts (32) to what the rate allows
   * (measured: 55); at 10 kbps (1.4 bits per macroblock) it starts
   * coarser (46: 8 steps per halving below 5 bits) and reaches the
   * coarsest, the guard then sees the real quantizer and the boost gives
   * way. */
  enc = new_boost_encoder (ARTIC_VENC_CODEC_VP9, TRUE, 40);
  g_assert_true (artic_venc_set_qp_map (enc, region, &error));
  for (i = 0; i < 90; i++) {
    encode_frame (enc, 320, 192, i, FALSE, &counts);
    g_assert_true (artic_venc_get_boost_engaged (enc));
    g_assert_cmpfloat (artic_venc_get_last_quantizer (enc), <=, 0.85);
    if (i == 1)
      g_assert_cmpint (artic_venc_get_base_quantizer (enc), <=, 32);
  }
  g_assert_cmpint (artic_venc_get_base_quantizer (enc), >=, 45);
  g_assert_cmpint (artic_venc_get_base_quantizer (enc), <, 63);
  artic_venc_free (enc);
  enc = new_boost_encoder (ARTIC_VENC_CODEC_VP9, TRUE, 10);
  g_assert_true (artic_venc_set_qp_map (enc, region, &error));
  g_assert_true (artic_venc_get_boost_engaged (enc));
  /* The key frame (libvpx applies no map to it) at 63, then the rise. */
  encode_frame (enc, 320, 192, 0, FALSE, &counts);
  for (i = 1; i < 90; i++) {
    encode_frame (enc, 320, 192, i, FALSE, &counts);
    g_assert_true (artic_venc_get_boost_engaged (enc));
    if (i == 1)
      g_assert_cmpint (artic_venc_get_base_quantizer (enc), <=, 46);
    if (artic_venc_get_base_quantizer (enc) == 63)
      break;
    g_assert_cmpfloat (artic_venc_get_last_quantizer (enc), <=, 0.85);
  }
  g_assert_cmpuint (i, >=, 10);
  g_assert_cmpint (artic_venc_get_base_quantizer (enc), ==, 63);
  for (; i < 90 && artic_venc_get_boost_engaged (enc); i++)
    encode_frame (enc, 320, 192, i, FALSE, &counts);
  g_assert_false (artic_venc_get_boost_engaged (enc));
  g_assert_cmpfloat (artic_venc_get_last_quantizer (enc), >, 0.85);
  g_assert_cmpint (artic_venc_get_shift_cap (enc), <, 6);
  artic_venc_free (enc);
  g_assert_no_error (error);
  artic_qp_map_free (region);
  artic_qp_map_free (flat);
}

/* Encodes @n frames of fresh noise (a camera's worst background) with
 * @map; returns the bytes. */
static gsize
encode_noise (ArticVencCodec codec, gint filter, const ArticQpMap *map, guint n)
{
  guint w = map ? map->width : 320, h = map ? map->height : 192;
  guint cw = (w + 1) / 2, ch = (h + 1) / 2, i, k;
  guint8 *buf = g_malloc (artic_clip_frame_size (w, h));
  const guint8 *planes[3] = { buf, buf + w * h, buf + w * h + cw * ch };
  gint strides[3] = { (gint) w, (gint) cw, (gint) cw };
  GRand *rand = g_rand_new_with_seed (42);
  ArticVencConfig config;
  GError *error = NULL;
  Counts counts = { 0 };
  ArticVenc *enc;

  artic_venc_config_init (&config);
  config.codec = codec;
  config.width = w;
  config.height = h;
  config.bitrate_kbps = 2000;
  config.background_filter = filter;
  enc = artic_venc_new (&config, &error);
  g_assert_no_error (error);
  g_assert_true (artic_venc_set_qp_map (enc, map, &error));
  for (i = 0; i < n; i++) {
    for (k = 0; k < w * h; k++)
      buf[k] = (guint8) (96 + g_rand_int_range (rand, 0, 64));
    memset (buf + w * h, 128, 2 * cw * ch);
    g_assert_true (artic_venc_encode (enc, planes, strides, i * 33333, 33333,
        FALSE, count_packet, &counts, &error));
    g_assert_no_error (error);
  }
  g_rand_free (rand);
  g_free (buf);
  artic_venc_free (enc);
  return counts.bytes;
}

/* The background filter: with a box map, VP9 (on by default) codes the
 * noisy background for much less than with the filter off; VP8 and H.264
 * are off by default (the same bytes as with 0), and without a map the
 * filter changes nothing. */
static void
test_background_filter (void)
{
  ArticRoiBox box = { 400, 400, 600, 600 };
  ArticQpMap *region = artic_qp_map_from_boxes (320, 192, &box, 1, NULL);
  gsize on, off;
  guint c;

  /* Key frames only would be cheap at any size; 6 frames of noise. */
  on = encode_noise (
      ARTIC_VENC_CODEC_VP9, ARTIC_VENC_BACKGROUND_FILTER_AUTO, region, 6);
  off = encode_noise (ARTIC_VENC_CODEC_VP9, 0, region, 6);
  g_assert_cmpuint (on * 10, <, off * 8);
  g_assert_cmpuint (encode_noise (ARTIC_VENC_CODEC_VP9, 16, NULL, 6), ==,
      encode_noise (ARTIC_VENC_CODEC_VP9, 0, NULL, 6));
  for (c = 0; c < G_N_ELEMENTS (all_codecs); c++) {
    if (all_codecs[c] == ARTIC_VENC_CODEC_VP9)
      continue;
    g_assert_cmpuint (encode_noise (all_codecs[c],
                          ARTIC_VENC_BACKGROUND_FILTER_AUTO, region, 6),
        ==, encode_noise (all_codecs[c], 0, region, 6));
    /* ... and on when asked for. */
    g_assert_cmpuint (encode_noise (all_codecs[c], 16, region, 6), <,
        encode_noise (all_codecs[c], 0, region, 6));
  }
  artic_qp_map_free (region);
}

static void
test_eval_region (void)
{
  guint8 ref[32 * 16], dec[32 * 16];
  ArticRoiRect rect = { 8, 0, 8, 8 };
  ArticRoiEval eval;
  guint x, y;

  for (y = 0; y < 16; y++)
    for (x = 0; x < 32; x++) {
      ref[y * 32 + x] = (guint8) (x * 5 + y * 3);
      /* Off by 4 inside the rect, exact elsewhere. */
      dec[y * 32 + x] = ref[y * 32 + x] + (x >= 8 && x < 16 && y < 8 ? 4 : 0);
    }
  artic_roi_eval_init (&eval);
  artic_roi_eval_add_plane (&eval, ref, 32, dec, 32, 32, 16, &rect);
  g_assert_cmpuint (eval.n_in, ==, 64);
  g_assert_cmpuint (eval.n_out, ==, 32 * 16 - 64);
  g_assert_cmpfloat_with_epsilon (
      artic_roi_eval_psnr_in (&eval), artic_quality_psnr_from_mse (16), 1e-9);
  g_assert_cmpfloat (
      artic_roi_eval_psnr_out (&eval), >=, ARTIC_QUALITY_PSNR_IDENTICAL);
  g_assert_cmpuint (eval.blocks_in, ==, 1);
  g_assert_cmpuint (eval.blocks_out, ==, 7);
  g_assert_cmpfloat_with_epsilon (artic_roi_eval_ssim_out (&eval), 1.0, 1e-9);
  g_assert_cmpfloat (artic_roi_eval_ssim_in (&eval), <, 1.0);
  g_assert_cmpfloat (artic_roi_eval_ssim_in (&eval), >, 0.9);
  /* No region: everything is outside. */
  artic_roi_eval_init (&eval);
  artic_roi_eval_add_plane (&eval, ref, 32, dec, 32, 32, 16, NULL);
  g_assert_cmpuint (eval.n_in, ==, 0);
  g_assert_cmpfloat (artic_roi_eval_psnr_in (&eval), ==, 0.0);
}

static void
test_clip_errors (void)
{
  GError *error = NULL;
  ArticClip *clip = artic_clip_load (
      "/nonexistent/artic-no-such-clip.mp4", 64, 36, 5, &error);

  g_assert_null (clip);
  g_assert_nonnull (error);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/venc/config-refused", test_config_refused);
  g_test_add_func (
      "/venc/map-sent-only-on-change", test_map_sent_only_on_change);
  g_test_add_func (
      "/venc/odd-size-and-key-requests", test_odd_size_and_key_requests);
  g_test_add_func ("/venc/bitrate-change", test_bitrate_change);
  g_test_add_func ("/venc/absurd-map-values", test_absurd_map_values);
  g_test_add_func ("/eval/region", test_eval_region);
  g_test_add_func ("/venc/region-boost", test_region_boost_engagement);
  g_test_add_func ("/venc/background-filter", test_background_filter);
  g_test_add_func ("/eval/clip-errors", test_clip_errors);
  return g_test_run ();
}
