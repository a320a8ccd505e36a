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

/* Reference control (sender/artic-ref-control) as a state machine, and
 * with the real libvpx VP8 encoder and decoder: a recovery frame after lost
 * frames decodes exactly as it does for a receiver that lost nothing. */

#include <string.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>

#include "artic-ref-control.h"
#include "artic-rtcp.h"
#include "artic-video-encoder.h"

#define MS (G_TIME_SPAN_MILLISECOND)
#define FRAME_US 33333

/* Plans, encodes (as the codec would: key when planned) and returns the
 * mark flags. */
static guint8
step (ArticRefctl *ctl, gint64 now, ArticRefctlPlan *plan)
{
  artic_refctl_plan (ctl, now, plan);
  return artic_refctl_encoded (ctl, plan, plan->kind == ARTIC_REFCTL_KEY, now);
}

static void
test_start_and_acks (void)
{
  ArticRefctl *ctl = artic_refctl_new (NULL);
  ArticRefctlPlan plan;
  ArticRefctlStats stats;
  gint64 now = 0;
  guint16 key_id, candidate_id;
  guint8 mark;

  /* The first frame is a key frame, stored everywhere, the first
   * candidate. */
  mark = step (ctl, now, &plan);
  g_assert_cmpint (plan.kind, ==, ARTIC_REFCTL_KEY);
  g_assert_cmpuint (plan.updates, ==, ARTIC_REF_ALL);
  g_assert_cmpuint (
      mark, ==, ARTIC_FRAME_MARK_KEY | ARTIC_FRAME_MARK_LONG_TERM);
  key_id = plan.frame_id;
  /* Nothing acknowledged: ordinary frames predict from LAST only. */
  now += FRAME_US;
  mark = step (ctl, now, &plan);
  g_assert_cmpint (plan.kind, ==, ARTIC_REFCTL_NORMAL);
  g_assert_cmpuint (plan.references, ==, ARTIC_REF_LAST);
  g_assert_cmpuint (plan.updates, ==, ARTIC_REF_LAST);
  g_assert_cmpuint (plan.frame_id, ==, (guint16) (key_id + 1));
  g_assert_cmpuint (mark, ==, 0);
  g_assert_cmpuint (artic_refctl_acknowledged_buffer (ctl), ==, 0);

  /* An ack of another frame says nothing; the key frame's makes GOLDEN the
   * acknowledged buffer. */
  g_assert_false (artic_refctl_on_ack (ctl, key_id + 1, now));
  g_assert_true (artic_refctl_on_ack (ctl, key_id, now));
  g_assert_false (artic_refctl_on_ack (ctl, key_id, now));
  g_assert_cmpuint (
      artic_refctl_acknowledged_buffer (ctl), ==, ARTIC_REF_GOLDEN);
  now += FRAME_US;
  step (ctl, now, &plan);
  g_assert_cmpint (plan.kind, ==, ARTIC_REFCTL_NORMAL);
  g_assert_cmpuint (plan.references, ==, ARTIC_REF_LAST | ARTIC_REF_GOLDEN);

  /* Half a second after the last candidate: a new one, into ALTREF, still
   * predicting from the acknowledged GOLDEN, never from ALTREF. */
  while (plan.kind != ARTIC_REFCTL_LONG_TERM) {
    now += FRAME_US;
    mark = step (ctl, now, &plan);
  }
  g_assert_cmpint (now, >=, 500 * MS);
  g_assert_cmpint (now, <, 500 * MS + 2 * FRAME_US);
  g_assert_cmpuint (plan.updates, ==, ARTIC_REF_LAST | ARTIC_REF_ALTREF);
  g_assert_cmpuint (plan.references, ==, ARTIC_REF_LAST | ARTIC_REF_GOLDEN);
  g_assert_cmpuint (mark, ==, ARTIC_FRAME_MARK_LONG_TERM);
  candidate_id = plan.frame_id;
  /* Until it is acknowledged, frames keep off ALTREF and no other
   * candidate is made. */
  for (guint i = 0; i < 10; i++) {
    now += FRAME_US;
    step (ctl, now, &plan);
    g_assert_cmpint (plan.kind, ==, ARTIC_REFCTL_NORMAL);
    g_assert_cmpuint (plan.references, ==, ARTIC_REF_LAST | ARTIC_REF_GOLDEN);
  }
  /* A late ack of the key frame changes nothing; the candidate's swaps the
   * roles: ALTREF acknowledged, the next candidate goes to GOLDEN. */
  g_assert_false (artic_refctl_on_ack (ctl, key_id, now));
  g_assert_true (artic_refctl_on_ack (ctl, candidate_id, now));
  g_assert_cmpuint (
      artic_refctl_acknowledged_buffer (ctl), ==, ARTIC_REF_ALTREF);
  do {
    now += FRAME_US;
    step (ctl, now, &plan);
    g_assert_cmpuint (plan.references, ==, ARTIC_REF_LAST | ARTIC_REF_ALTREF);
  } while (plan.kind != ARTIC_REFCTL_LONG_TERM);
  g_assert_cmpuint (plan.updates, ==, ARTIC_REF_LAST | ARTIC_REF_GOLDEN);

  artic_refctl_get_stats (ctl, &stats);
  g_assert_cmpuint (stats.keyframes, ==, 1);
  g_assert_cmpuint (stats.long_terms, ==, 2);
  g_assert_cmpuint (stats.acks, ==, 2);
  artic_refctl_free (ctl);
}

/* Resilient mode: every frame, candidates included, predicts from the
 * acknowledged buffer only and is a recovery point. */
static void
test_resilient (void)
{
  ArticRefctl *ctl = artic_refctl_new (NULL);
  ArticRefctlPlan plan;
  gint64 now = 0;
  guint8 mark;
  guint i, candidates = 0;

  artic_refctl_set_resilient (ctl, TRUE);
  /* Nothing acknowledged: the LAST chain, as without it. */
  step (ctl, now, &plan);
  now += FRAME_US;
  step (ctl, now, &plan);
  g_assert_cmpint (plan.kind, ==, ARTIC_REFCTL_NORMAL);
  g_assert_cmpuint (plan.references, ==, ARTIC_REF_LAST);
  g_assert_true (artic_refctl_on_ack (ctl, 0, now));
  for (i = 0; i < 60; i++) {
    now += FRAME_US;
    mark = step (ctl, now, &plan);
    g_assert_cmpuint (plan.references, ==, ARTIC_REF_GOLDEN);
    g_assert_true (mark & ARTIC_FRAME_MARK_RECOVERY);
    if (plan.kind == ARTIC_REFCTL_LONG_TERM) {
      g_assert_true (mark & ARTIC_FRAME_MARK_LONG_TERM);
      g_assert_cmpuint (plan.updates, ==, ARTIC_REF_LAST | ARTIC_REF_ALTREF);
      candidates++;
    }
  }
  /* Unacknowledged: one candidate at 0.5 s, another after the 1 s
   * timeout. */
  g_assert_cmpuint (candidates, ==, 2);
  /* Off again: back to the LAST chain. */
  artic_refctl_set_resilient (ctl, FALSE);
  now += FRAME_US;
  mark = step (ctl, now, &plan);
  g_assert_cmpuint (plan.references, ==, ARTIC_REF_LAST | ARTIC_REF_GOLDEN);
  g_assert_cmpuint (mark & ARTIC_FRAME_MARK_RECOVERY, ==, 0);
  artic_refctl_free (ctl);
}

static void
test_unacknowledged_candidate_replaced (void)
{
  ArticRefctl *ctl = artic_refctl_new (NULL);
  ArticRefctlPlan plan;
  gint64 now = 0, first;
  guint16 lost_id;

  step (ctl, now, &plan);
  g_assert_true (artic_refctl_on_ack (ctl, plan.frame_id, now));
  do {
    now += FRAME_US;
    step (ctl, now, &plan);
  } while (plan.kind != ARTIC_REFCTL_LONG_TERM);
  lost_id = plan.frame_id;
  first = now;
  /* No ack within a second: a new candidate in the same buffer. */
  do {
    now += FRAME_US;
    step (ctl, now, &plan);
  } while (plan.kind != ARTIC_REFCTL_LONG_TERM);
  g_assert_cmpint (now - first, >=, 1000 * MS);
  g_assert_cmpint (now - first, <, 1000 * MS + 2 * FRAME_US);
  g_assert_cmpuint (plan.updates, ==, ARTIC_REF_LAST | ARTIC_REF_ALTREF);
  /* The overwritten candidate's ack is too late to count. */
  g_assert_false (artic_refctl_on_ack (ctl, lost_id, now));
  g_assert_cmpuint (
      artic_refctl_acknowledged_buffer (ctl), ==, ARTIC_REF_GOLDEN);
  g_assert_true (artic_refctl_on_ack (ctl, plan.frame_id, now));
  artic_refctl_free (ctl);
}

static void
test_loss (void)
{
  ArticRefctl *ctl = artic_refctl_new (NULL);
  ArticRefctlPlan plan;
  ArticRefctlStats stats;
  gint64 now = 0;
  guint8 mark;

  /* Loss before anything was acknowledged: a key frame, but at most one
   * per 300 ms; a loss waiting for that stays pending. */
  step (ctl, now, &plan);
  now += FRAME_US;
  artic_refctl_on_loss (ctl);
  step (ctl, now, &plan);
  g_assert_cmpint (plan.kind, ==, ARTIC_REFCTL_NORMAL);
  while (now < 300 * MS - FRAME_US) {
    now += FRAME_US;
    step (ctl, now, &plan);
    g_assert_cmpint (plan.kind, !=, ARTIC_REFCTL_KEY);
  }
  now += FRAME_US;
  mark = step (ctl, now, &plan);
  g_assert_cmpint (plan.kind, ==, ARTIC_REFCTL_KEY);
  g_assert_true (mark & ARTIC_FRAME_MARK_KEY);

  /* Acknowledged: a loss gives a recovery frame at once, predicting from
   * the acknowledged buffer only, stored as LAST only. */
  g_assert_true (artic_refctl_on_ack (ctl, plan.frame_id, now));
  now += FRAME_US;
  step (ctl, now, &plan);
  artic_refctl_on_loss (ctl);
  now += FRAME_US;
  mark = step (ctl, now, &plan);
  g_assert_cmpint (plan.kind, ==, ARTIC_REFCTL_RECOVERY);
  g_assert_cmpuint (plan.references, ==, ARTIC_REF_GOLDEN);
  g_assert_cmpuint (plan.updates, ==, ARTIC_REF_LAST);
  g_assert_cmpuint (mark, ==, ARTIC_FRAME_MARK_RECOVERY);
  now += FRAME_US;
  step (ctl, now, &plan);
  g_assert_cmpint (plan.kind, ==, ARTIC_REFCTL_NORMAL);

  /* The acknowledged frame grew older than 3 s (acks stopped): a loss
   * gets a key frame. */
  now += 3 * G_TIME_SPAN_SECOND;
  artic_refctl_on_loss (ctl);
  step (ctl, now, &plan);
  g_assert_cmpint (plan.kind, ==, ARTIC_REFCTL_KEY);
  g_assert_cmpuint (artic_refctl_acknowledged_buffer (ctl), ==, 0);

  /* A key frame the codec made by itself resets the buffers too. */
  g_assert_true (artic_refctl_on_ack (ctl, plan.frame_id, now));
  now += FRAME_US;
  artic_refctl_plan (ctl, now, &plan);
  mark = artic_refctl_encoded (ctl, &plan, TRUE, now);
  g_assert_true (mark & ARTIC_FRAME_MARK_KEY);
  g_assert_cmpuint (artic_refctl_acknowledged_buffer (ctl), ==, 0);

  artic_refctl_get_stats (ctl, &stats);
  g_assert_cmpuint (stats.losses, ==, 3);
  g_assert_cmpuint (stats.recoveries, ==, 1);
  g_assert_cmpuint (stats.keyframes, ==, 4);
  artic_refctl_free (ctl);
}

/* --- real codec --- */

#define W 160
#define H 120

typedef struct
{
  GBytes *data;
  gboolean keyframe;
  gboolean has_mark;
  guint16 frame_id;
  guint8 mark;
} Encoded;

static void
collect (const ArticVencPacket *packet, gpointer user_data)
{
  Encoded *e = user_data;

  e->data = g_bytes_new (packet->data, packet->size);
  e->keyframe = packet->keyframe;
  e->has_mark = packet->has_mark;
  e->frame_id = packet->frame_id;
  e->mark = packet->mark_flags;
}

/* A textured background with a square that moves: predictions from an old
 * frame differ from predictions from the last one. */
static void
make_frame (guint index, guint8 *y, guint8 *u, guint8 *v)
{
  guint i, j, x0 = (index * 3) % (W - 32), y0 = (index * 2) % (H - 32);

  for (j = 0; j < H; j++)
    for (i = 0; i < W; i++)
      y[j * W + i]
          = (guint8) ((i * 7 + j * 3 + ((i / 8 + j / 8) % 2) * 60)
                      + ((i >= x0 && i < x0 + 32 && j >= y0 && j < y0 + 32)
                              ? 90
                              : 0));
  memset (u, 100 + index % 50, W * H / 4);
  memset (v, 150 - index % 50, W * H / 4);
}

static Encoded *
encode_sequence (
    ArticVenc *enc, guint n, guint loss_at, guint lost, guint ack_delay)
{
  Encoded *frames = g_new0 (Encoded, n);
  guint8 *y = g_malloc (W * H), *u = g_malloc (W * H / 4),
         *v = g_malloc (W * H / 4);
  const guint8 *planes[3] = { y, u, v };
  const gint strides[3] = { W, W / 2, W / 2 };
  gboolean intact = TRUE;
  GError *error = NULL;
  guint i;

  for (i = 0; i < n; i++) {
    make_frame (i, y, u, v);
    /* The receiver's view, ack_delay frames late (a round trip): a
     * long-term frame decoded from an intact chain is acknowledged. */
    if (i >= ack_delay) {
      Encoded *seen = &frames[i - ack_delay];
      guint k = i - ack_delay;

      if (k >= loss_at && k < loss_at + lost)
        intact = FALSE;
      else if (seen->keyframe || (seen->mark & ARTIC_FRAME_MARK_RECOVERY))
        intact = TRUE;
      if (intact && (seen->mark & ARTIC_FRAME_MARK_LONG_TERM))
        artic_venc_on_ack (enc, seen->frame_id);
      /* The first frame after the gap shows the loss: a PLI. */
      if (lost > 0 && k == loss_at + lost)
        artic_venc_on_loss (enc);
    }
    g_assert_true (artic_venc_encode (enc, planes, strides,
        (gint64) i * FRAME_US, FRAME_US, FALSE, collect, &frames[i], &error));
    g_assert_no_error (error);
    g_assert_nonnull (frames[i].data);
  }
  g_free (y);
  g_free (u);
  g_free (v);
  return frames;
}

static void
free_sequence (Encoded *frames, guint n)
{
  for (guint i = 0; i < n; i++)
    g_bytes_unref (frames[i].data);
  g_free (frames);
}

/* Decodes @frames except the lost ones; returns each frame's picture
 * (NULL for lost frames), I420 packed. */
static GBytes **
decode_sequence (const Encoded *frames, guint n, guint loss_at, guint lost)
{
  GBytes **out = g_new0 (GBytes *, n);
  vpx_codec_ctx_t dec;
  guint i;

  g_assert_cmpint (vpx_codec_dec_init (&dec, vpx_codec_vp8_dx (), NULL, 0), ==,
      VPX_CODEC_OK);
  for (i = 0; i < n; i++) {
    gsize size;
    const guint8 *data = g_bytes_get_data (frames[i].data, &size);
    vpx_codec_iter_t iter = NULL;
    vpx_image_t *img;
    GByteArray *pic;
    guint p, row;

    if (i >= loss_at && i < loss_at + lost)
      continue;
    g_assert_cmpint (
        vpx_codec_decode (&dec, data, size, NULL, 0), ==, VPX_CODEC_OK);
    img = vpx_codec_get_frame (&dec, &iter);
    g_assert_nonnull (img);
    pic = g_byte_array_new ();
    for (p = 0; p < 3; p++) {
      guint pw = p ? W / 2 : W, ph = p ? H / 2 : H;

      for (row = 0; row < ph; row++)
        g_byte_array_append (pic, img->planes[p] + row * img->stride[p], pw);
    }
    out[i] = g_byte_array_free_to_bytes (pic);
  }
  vpx_codec_destroy (&dec);
  return out;
}

static ArticVenc *
new_vp8 (gboolean reference_control)
{
  ArticVencConfig config;
  GError *error = NULL;
  ArticVenc *enc;

  artic_venc_config_init (&config);
  config.width = W;
  config.height = H;
  config.bitrate_kbps = 300;
  config.keyframe_max_dist = 0;
  config.reference_control = reference_control;
  enc = artic_venc_new (&config, &error);
  g_assert_no_error (error);
  return enc;
}

#define N_FRAMES 90
#define LOSS_AT 40
#define LOST 3
#define ACK_DELAY 3

/* Frames from the recovery frame on decode bit-exactly as for a receiver
 * that lost nothing; before it, the lost frames' successors do not. */
static void
test_recovery_decodes_exactly (void)
{
  ArticVenc *enc = new_vp8 (TRUE);
  Encoded *frames = encode_sequence (enc, N_FRAMES, LOSS_AT, LOST, ACK_DELAY);
  GBytes **clean = decode_sequence (frames, N_FRAMES, 0, 0);
  GBytes **lossy = decode_sequence (frames, N_FRAMES, LOSS_AT, LOST);
  ArticRefctlStats stats;
  guint i, recovery = 0, keys = 0, mismatched_before = 0;

  for (i = 0; i < N_FRAMES; i++) {
    g_assert_true (frames[i].has_mark);
    g_assert_cmpuint (frames[i].frame_id, ==, i);
    keys += frames[i].keyframe;
    if ((frames[i].mark & ARTIC_FRAME_MARK_RECOVERY) && recovery == 0
        && i >= LOSS_AT + LOST)
      recovery = i;
  }
  /* One key frame (the first); the loss was answered by a recovery frame
   * at the latest with the frame after the PLI (a long-term candidate
   * falling earlier is one too). */
  g_assert_cmpuint (keys, ==, 1);
  g_assert_cmpuint (recovery, >=, LOSS_AT + LOST);
  g_assert_cmpuint (recovery, <=, LOSS_AT + LOST + ACK_DELAY);
  g_assert_false (frames[recovery].keyframe);
  for (i = LOSS_AT + LOST; i < recovery; i++)
    mismatched_before += !g_bytes_equal (clean[i], lossy[i]);
  g_test_message ("recovery frame %u: %" G_GSIZE_FORMAT
                  " bytes (key frame %" G_GSIZE_FORMAT
                  "); %u of %u frames before it decoded wrong",
      recovery, g_bytes_get_size (frames[recovery].data),
      g_bytes_get_size (frames[0].data), mismatched_before,
      recovery - LOSS_AT - LOST);
  /* The check can fail: frames predicted from the lost ones differ. */
  g_assert_cmpuint (mismatched_before, >, 0);
  for (i = recovery; i < N_FRAMES; i++)
    g_assert_true (g_bytes_equal (clean[i], lossy[i]));
  for (i = 0; i < LOSS_AT; i++)
    g_assert_true (g_bytes_equal (clean[i], lossy[i]));

  g_assert_true (artic_venc_get_reference_stats (enc, &stats));
  g_assert_cmpuint (stats.recoveries, ==, 1);
  g_assert_cmpuint (stats.acks, >=, 2);
  for (i = 0; i < N_FRAMES; i++) {
    g_bytes_unref (clean[i]);
    if (lossy[i] != NULL)
      g_bytes_unref (lossy[i]);
  }
  g_free (clean);
  g_free (lossy);
  free_sequence (frames, N_FRAMES);
  artic_venc_free (enc);
}

/* The candidate itself is among the lost frames: it is never acknowledged,
 * and the recovery predicts from the older acknowledged frame. */
static void
test_lost_candidate (void)
{
  ArticVenc *enc = new_vp8 (TRUE);
  Encoded *probe = encode_sequence (enc, N_FRAMES, N_FRAMES, 0, ACK_DELAY);
  guint i, candidate = 0, recovery = 0;
  Encoded *frames;
  GBytes **clean, **lossy;

  /* Where the second candidate falls in an undisturbed run. */
  for (i = 1; i < N_FRAMES && candidate == 0; i++)
    if ((probe[i].mark & ARTIC_FRAME_MARK_LONG_TERM) && i > 20)
      candidate = i;
  g_assert_cmpuint (candidate, >, 0);
  free_sequence (probe, N_FRAMES);
  artic_venc_free (enc);

  enc = new_vp8 (TRUE);
  frames = encode_sequence (enc, N_FRAMES, candidate, LOST, ACK_DELAY);
  g_assert_true (frames[candidate].mark & ARTIC_FRAME_MARK_LONG_TERM);
  clean = decode_sequence (frames, N_FRAMES, 0, 0);
  lossy = decode_sequence (frames, N_FRAMES, candidate, LOST);
  for (i = candidate + LOST; i < N_FRAMES; i++)
    if ((frames[i].mark & ARTIC_FRAME_MARK_RECOVERY) && recovery == 0)
      recovery = i;
  g_assert_cmpuint (recovery, >, candidate);
  for (i = recovery; i < N_FRAMES; i++)
    g_assert_true (g_bytes_equal (clean[i], lossy[i]));
  for (i = 0; i < N_FRAMES; i++) {
    g_bytes_unref (clean[i]);
    if (lossy[i] != NULL)
      g_bytes_unref (lossy[i]);
  }
  g_free (clean);
  g_free (lossy);
  free_sequence (frames, N_FRAMES);
  artic_venc_free (enc);
}

/* The control: libvpx's own references (no reference control) with the
 * same loss; a forced key frame is the only way back. */
static void
test_without_reference_control (void)
{
  ArticVenc *enc = new_vp8 (FALSE);
  Encoded *frames = encode_sequence (enc, N_FRAMES, LOSS_AT, LOST, ACK_DELAY);
  GBytes **clean = decode_sequence (frames, N_FRAMES, 0, 0);
  GBytes **lossy = decode_sequence (frames, N_FRAMES, LOSS_AT, LOST);
  guint i, mismatched = 0;

  for (i = LOSS_AT + LOST; i < N_FRAMES; i++)
    mismatched += !g_bytes_equal (clean[i], lossy[i]);
  g_assert_false (frames[0].has_mark);
  /* Every frame after the loss stays wrong. */
  g_assert_cmpuint (mismatched, ==, N_FRAMES - LOSS_AT - LOST);
  for (i = 0; i < N_FRAMES; i++) {
    g_bytes_unref (clean[i]);
    if (lossy[i] != NULL)
      g_bytes_unref (lossy[i]);
  }
  g_free (clean);
  g_free (lossy);
  free_sequence (frames, N_FRAMES);
  artic_venc_free (enc);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ref-control/start-and-acks", test_start_and_acks);
  g_test_add_func ("/ref-control/unacknowledged-candidate-replaced",
      test_unacknowledged_candidate_replaced);
  g_test_add_func ("/ref-control/loss", test_loss);
  g_test_add_func ("/ref-control/resilient", test_resilient);
  g_test_add_func ("/ref-control/vp8/recovery-decodes-exactly",
      test_recovery_decodes_exactly);
  g_test_add_func ("/ref-control/vp8/lost-candidate", test_lost_candidate);
  g_test_add_func ("/ref-control/vp8/without-reference-control",
      test_without_reference_control);
  return g_test_run ();
}
