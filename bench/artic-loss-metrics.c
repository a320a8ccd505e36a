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

#include "artic-loss-metrics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>

#include "artic-frame-dump.h"
#include "artic-frame-hash.h"
#include "artic-stats.h"

G_DEFINE_QUARK (artic_loss_error_quark, artic_loss_error)

typedef struct
{
  guint64 capture_us;
  gboolean keyframe;
} ArticLossSentFrame;

struct _ArticLossReference
{
  GHashTable *checksums; /* guint64 capture_us -> guint64 checksum */
  GArray *sent;          /* ArticLossSentFrame, in the order added */
  guint keyframes;
  guint64 first_capture_us;
  guint64 last_capture_us;
};

ArticLossReference *
artic_loss_reference_new (void)
{
  ArticLossReference *reference = g_new0 (ArticLossReference, 1);

  reference->checksums
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  reference->sent = g_array_new (FALSE, FALSE, sizeof (ArticLossSentFrame));
  return reference;
}

void
artic_loss_reference_add (ArticLossReference *reference, guint64 capture_us,
    guint64 checksum, gboolean keyframe)
{
  guint64 *key = g_new (guint64, 1), *value = g_new (guint64, 1);

  *key = capture_us;
  *value = checksum;
  g_hash_table_replace (reference->checksums, key, value);
  g_array_append_val (
      reference->sent, ((ArticLossSentFrame){ capture_us, keyframe }));
  if (keyframe)
    reference->keyframes++;
  if (reference->first_capture_us == 0
      || capture_us < reference->first_capture_us)
    reference->first_capture_us = capture_us;
  reference->last_capture_us = MAX (reference->last_capture_us, capture_us);
}

void
artic_loss_reference_free (ArticLossReference *reference)
{
  if (reference == NULL)
    return;
  g_hash_table_unref (reference->checksums);
  g_array_unref (reference->sent);
  g_free (reference);
}

gboolean
artic_loss_reference_lookup (
    const ArticLossReference *reference, guint64 capture_us, guint64 *checksum)
{
  guint64 *value = g_hash_table_lookup (reference->checksums, &capture_us);

  if (value == NULL)
    return FALSE;
  *checksum = *value;
  return TRUE;
}

guint
artic_loss_reference_frames (const ArticLossReference *reference)
{
  return g_hash_table_size (reference->checksums);
}

guint
artic_loss_reference_keyframes (const ArticLossReference *reference)
{
  return reference->keyframes;
}

guint64
artic_loss_reference_first_capture_us (const ArticLossReference *reference)
{
  return reference->first_capture_us;
}

guint64
artic_loss_reference_last_capture_us (const ArticLossReference *reference)
{
  return reference->last_capture_us;
}

static guint64
artic_loss_hash_image (const vpx_image_t *image)
{
  const guint8 *planes[3] = { image->planes[VPX_PLANE_Y],
    image->planes[VPX_PLANE_U], image->planes[VPX_PLANE_V] };
  const gint strides[3] = { image->stride[VPX_PLANE_Y],
    image->stride[VPX_PLANE_U], image->stride[VPX_PLANE_V] };

  return artic_frame_hash_i420 (planes, strides, image->d_w, image->d_h);
}

static gboolean
artic_loss_decode_error (
    GError **error, const gchar *path, guint index, const gchar *what)
{
  g_set_error (error, ARTIC_LOSS_ERROR, ARTIC_LOSS_ERROR_DECODE,
      "%s: frame %u: %s", path, index, what);
  return FALSE;
}

/* One frame in, exactly one I420 picture out (VP8 has no hidden frames in
 * real-time mode without alt-ref; a frame without a picture is an error). */
static gboolean
artic_loss_decode_frame (vpx_codec_ctx_t *decoder,
    const ArticDumpedFrame *frame, const gchar *path, guint index,
    ArticLossReference *reference, GError **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (frame->data, &size);
  vpx_codec_iter_t iter = NULL;
  vpx_image_t *image;
  gboolean keyframe = size > 0 && (data[0] & 1) == 0;

  if (size == 0)
    return artic_loss_decode_error (error, path, index, "empty frame");
  if (vpx_codec_decode (decoder, data, (unsigned int) size, NULL, 0)
      != VPX_CODEC_OK)
    return artic_loss_decode_error (
        error, path, index, vpx_codec_error (decoder));
  image = vpx_codec_get_frame (decoder, &iter);
  if (image == NULL)
    return artic_loss_decode_error (error, path, index, "no picture");
  if (image->fmt != VPX_IMG_FMT_I420)
    return artic_loss_decode_error (error, path, index, "not I420");
  artic_loss_reference_add (
      reference, frame->capture_us, artic_loss_hash_image (image), keyframe);
  return TRUE;
}

ArticLossReference *
artic_loss_reference_from_dump (const gchar *path, GError **error)
{
  ArticFrameDumpContents *dump = artic_frame_dump_load (path, error);
  vpx_codec_dec_cfg_t config = { .threads = 1 };
  ArticLossReference *reference;
  vpx_codec_ctx_t decoder;
  gboolean ok = TRUE;
  guint i;

  if (dump == NULL)
    return NULL;
  if (strcmp (dump->fourcc, "VP80") != 0 || dump->frames->len == 0) {
    g_set_error (error, ARTIC_LOSS_ERROR, ARTIC_LOSS_ERROR_DECODE, "%s: %s",
        path, dump->frames->len == 0 ? "no frames" : "not a VP8 dump");
    artic_frame_dump_contents_free (dump);
    return NULL;
  }
  if (vpx_codec_dec_init (&decoder, vpx_codec_vp8_dx (), &config, 0)
      != VPX_CODEC_OK) {
    g_set_error (error, ARTIC_LOSS_ERROR, ARTIC_LOSS_ERROR_DECODE,
        "cannot start the VP8 decoder");
    artic_frame_dump_contents_free (dump);
    return NULL;
  }
  reference = artic_loss_reference_new ();
  for (i = 0; ok && i < dump->frames->len; i++)
    ok = artic_loss_decode_frame (&decoder, g_ptr_array_index (dump->frames, i),
        path, i, reference, error);
  vpx_codec_destroy (&decoder);
  artic_frame_dump_contents_free (dump);
  if (!ok)
    g_clear_pointer (&reference, artic_loss_reference_free);
  return reference;
}

static gboolean
artic_loss_parse_fail (GError **error, guint line, const gchar *what)
{
  g_set_error (error, ARTIC_LOSS_ERROR, ARTIC_LOSS_ERROR_PARSE,
      "hand-on log line %u: %s", line, what);
  return FALSE;
}

static gboolean
artic_loss_parse_line (
    gchar **fields, guint line, ArticLossInstant *instant, GError **error)
{
  guint64 repeated;
  gint64 signed_value;

  if (g_strv_length (fields) != 5)
    return artic_loss_parse_fail (error, line, "expected 5 fields");
  if (!g_ascii_string_to_signed (
          fields[0], 10, 1, G_MAXINT64, &signed_value, NULL))
    return artic_loss_parse_fail (error, line, "bad instant_us");
  instant->instant_us = signed_value;
  if (!g_ascii_string_to_unsigned (
          fields[1], 10, 0, G_MAXUINT64, &instant->capture_us, NULL))
    return artic_loss_parse_fail (error, line, "bad capture_us");
  if (!g_ascii_string_to_signed (
          fields[2], 10, 0, G_MAXINT64, &signed_value, NULL))
    return artic_loss_parse_fail (error, line, "bad delivered_us");
  instant->delivered_us = signed_value;
  if (strlen (fields[3]) != 16
      || !g_ascii_string_to_unsigned (
          fields[3], 16, 0, G_MAXUINT64, &instant->checksum, NULL))
    return artic_loss_parse_fail (error, line, "bad checksum");
  if (!g_ascii_string_to_unsigned (fields[4], 10, 0, 1, &repeated, NULL))
    return artic_loss_parse_fail (error, line, "bad repeated flag");
  instant->repeated = repeated == 1;
  return TRUE;
}

GArray *
artic_loss_handed_parse (const gchar *text, GError **error)
{
  GArray *instants = g_array_new (FALSE, FALSE, sizeof (ArticLossInstant));
  gchar **lines = g_strsplit (text, "\n", -1);
  gboolean ok = TRUE;
  guint i;

  if (lines[0] == NULL
      || !g_str_equal (g_strchomp (lines[0]),
          "instant_us,capture_us,delivered_us,checksum,repeated"))
    ok = artic_loss_parse_fail (error, 1, "not a hand-on log header");
  for (i = 1; ok && lines[i] != NULL; i++) {
    ArticLossInstant instant;
    gchar **fields;

    g_strchomp (lines[i]);
    /* Only the very end may be empty (the final newline). */
    if (lines[i][0] == '\0') {
      if (lines[i + 1] != NULL && lines[i + 1][0] != '\0')
        ok = artic_loss_parse_fail (error, i + 1, "empty line");
      continue;
    }
    fields = g_strsplit (lines[i], ",", -1);
    ok = artic_loss_parse_line (fields, i + 1, &instant, error);
    g_strfreev (fields);
    if (ok)
      g_array_append_val (instants, instant);
  }
  g_strfreev (lines);
  if (!ok)
    g_clear_pointer (&instants, g_array_unref);
  return instants;
}

GArray *
artic_loss_handed_load (const gchar *path, GError **error)
{
  GError *parse_error = NULL;
  GArray *instants;
  gchar *text;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  instants = artic_loss_handed_parse (text, &parse_error);
  g_free (text);
  if (instants == NULL) {
    g_set_error (error, ARTIC_LOSS_ERROR, ARTIC_LOSS_ERROR_PARSE, "%s: %s",
        path, parse_error->message);
    g_clear_error (&parse_error);
  }
  return instants;
}

static gboolean
artic_loss_frame_correct (
    const ArticLossReference *reference, const ArticLossInstant *instant)
{
  guint64 expected;

  /* A frame the sender never sent cannot be vouched for. */
  return artic_loss_reference_lookup (reference, instant->capture_us, &expected)
         && expected == instant->checksum;
}

/* A count of instants as a guint: a gap of centuries (a garbled log line, an
 * open-ended window) saturates instead of converting out of range, which is
 * undefined behaviour (found by fuzz-loss-bench). */
static guint
artic_loss_slots_to_count (gdouble slots)
{
  if (!(slots >= 0)) /* NaN too */
    return 0;
  return slots >= (gdouble) G_MAXUINT ? G_MAXUINT : (guint) slots;
}

static guint
artic_loss_add_count (guint a, guint b)
{
  return a > G_MAXUINT - b ? G_MAXUINT : a + b;
}

/* Instants of the receiver's grid that have no line at all: a gap of g
 * between two lines hides round(g / period) - 1 of them. */
static guint
artic_loss_missing_between (gint64 from_us, gint64 to_us, gdouble period_us)
{
  gdouble slots = round ((to_us - from_us) / period_us);

  return slots > 1 ? artic_loss_slots_to_count (slots - 1) : 0;
}

static guint
artic_loss_missing_at_edge (gint64 gap_us, gdouble period_us)
{
  return gap_us > 0 ? artic_loss_slots_to_count (floor (gap_us / period_us))
                    : 0;
}

static void
artic_loss_score_frames (const ArticLossReference *reference,
    const GArray *instants, ArticLossScore *score)
{
  GHashTable *seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint i;

  for (i = 0; i < instants->len; i++) {
    ArticLossInstant *instant = &g_array_index (instants, ArticLossInstant, i);

    if (instant->capture_us == 0
        || g_hash_table_contains (seen, &instant->capture_us))
      continue;
    g_hash_table_add (seen, &instant->capture_us);
    score->frames_handed++;
    if (!artic_loss_frame_correct (reference, instant))
      score->frames_corrupted++;
  }
  g_hash_table_unref (seen);
}

void
artic_loss_score (const ArticLossReference *reference, const GArray *instants,
    const ArticLossScoreParams *params, ArticLossScore *score)
{
  gdouble period_us = G_USEC_PER_SEC / params->rate;
  GHashTable *first_seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  ArticSeries *latency = artic_series_new (), *age = artic_series_new ();
  gint64 previous_us = 0;
  guint i;

  memset (score, 0, sizeof (*score));
  artic_loss_score_frames (reference, instants, score);
  for (i = 0; i < instants->len; i++) {
    ArticLossInstant *instant = &g_array_index (instants, ArticLossInstant, i);
    gdouble age_ms;
    gboolean first;

    first = instant->capture_us != 0
            && !g_hash_table_contains (first_seen, &instant->capture_us);
    if (first)
      g_hash_table_add (first_seen, &instant->capture_us);
    if (instant->instant_us < params->window_start_us
        || instant->instant_us > params->window_end_us)
      continue;
    score->instants_missing = artic_loss_add_count (score->instants_missing,
        previous_us == 0 ? artic_loss_missing_at_edge (
            instant->instant_us - params->window_start_us, period_us)
                         : artic_loss_missing_between (
                             previous_us, instant->instant_us, period_us));
    previous_us = instant->instant_us;
    score->instants++;
    if (instant->capture_us == 0) {
      score->instants_unserved++;
      continue;
    }
    age_ms = (instant->instant_us - (gint64) instant->capture_us) / 1000.0;
    artic_series_add (age, age_ms);
    if (!artic_loss_frame_correct (reference, instant))
      score->instants_corrupted++;
    else if (age_ms <= params->max_age_s * 1000.0)
      score->instants_correct_fresh++;
    if (first) {
      gint64 delivered_us = instant->delivered_us > 0 ? instant->delivered_us
                                                      : instant->instant_us;

      artic_series_add (
          latency, (delivered_us - (gint64) instant->capture_us) / 1000.0);
    }
  }
  score->instants_missing = artic_loss_add_count (score->instants_missing,
      previous_us == 0 ? artic_loss_add_count (
          artic_loss_missing_at_edge (
              params->window_end_us - params->window_start_us, period_us),
          1)
                       : artic_loss_missing_at_edge (
                           params->window_end_us - previous_us, period_us));
  score->instants
      = artic_loss_add_count (score->instants, score->instants_missing);
  score->latency_samples = artic_series_count (latency);
  score->latency_p50_ms = artic_series_percentile (latency, 50);
  score->latency_p95_ms = artic_series_percentile (latency, 95);
  score->latency_p99_ms = artic_series_percentile (latency, 99);
  score->age_p50_ms = artic_series_percentile (age, 50);
  score->age_p95_ms = artic_series_percentile (age, 95);
  score->age_max_ms = artic_series_percentile (age, 100);
  artic_series_free (latency);
  artic_series_free (age);
  g_hash_table_unref (first_seen);
}

gdouble
artic_loss_score_fresh_percent (const ArticLossScore *score)
{
  return score->instants > 0
             ? 100.0 * score->instants_correct_fresh / score->instants
             : 0.0;
}

const gchar *
artic_loss_miss_reason_name (ArticLossMissReason reason)
{
  static const gchar *const names[ARTIC_LOSS_MISS_KINDS] = {
    "no frame yet",
    "unserved",
    "corrupted",
    "stale, nothing newer sent",
    "stale, newer frames lost or broken",
    "stale, key frame lost or late",
  };

  return reason < ARTIC_LOSS_MISS_KINDS ? names[reason] : "unknown";
}

static void
artic_loss_miss_add (GArray *misses, const ArticLossReference *reference,
    const ArticLossScoreParams *params, gint64 instant_us,
    ArticLossMissReason reason, gint64 age_us)
{
  gint64 since_us = instant_us - (gint64) (params->max_age_s * G_USEC_PER_SEC);
  ArticLossMiss miss = { instant_us, reason, age_us, 0, 0 };
  guint i;

  for (i = 0; i < reference->sent->len; i++) {
    ArticLossSentFrame *frame
        = &g_array_index (reference->sent, ArticLossSentFrame, i);

    if ((gint64) frame->capture_us > since_us
        && (gint64) frame->capture_us <= instant_us) {
      miss.frames_sent++;
      if (frame->keyframe)
        miss.keyframes_sent++;
    }
  }
  /* A stale frame is explained by what the sender did meanwhile. */
  if (reason == ARTIC_LOSS_MISS_STALE_LOST) {
    if (miss.frames_sent == 0)
      miss.reason = ARTIC_LOSS_MISS_STALE_NOT_SENT;
    else if (miss.keyframes_sent > 0)
      miss.reason = ARTIC_LOSS_MISS_STALE_KEY_LOST;
  }
  g_array_append_val (misses, miss);
}

/* Instants with no line between two logged ones (or before the first /
 * after the last), placed on the grid. */
static void
artic_loss_miss_add_gap (GArray *misses, const ArticLossReference *reference,
    const ArticLossScoreParams *params, gint64 from_us, guint count,
    gdouble period_us, gboolean served_before)
{
  guint k;

  /* Bounded: a garbled log cannot make this loop long. */
  for (k = 1; k <= count && misses->len < 100000; k++)
    artic_loss_miss_add (misses, reference, params,
        from_us + (gint64) (k * period_us),
        served_before ? ARTIC_LOSS_MISS_UNSERVED : ARTIC_LOSS_MISS_NO_FRAME_YET,
        -1);
}

GArray *
artic_loss_explain_misses (const ArticLossReference *reference,
    const GArray *instants, const ArticLossScoreParams *params)
{
  GArray *misses = g_array_new (FALSE, FALSE, sizeof (ArticLossMiss));
  gdouble period_us = G_USEC_PER_SEC / params->rate;
  gint64 previous_us = 0;
  gboolean served = FALSE; /* a correct frame was handed on before */
  guint i;

  for (i = 0; i < instants->len; i++) {
    ArticLossInstant *instant = &g_array_index (instants, ArticLossInstant, i);
    gboolean correct = instant->capture_us != 0
                       && artic_loss_frame_correct (reference, instant);
    gint64 age_us = instant->instant_us - (gint64) instant->capture_us;

    if (instant->instant_us < params->window_start_us
        || instant->instant_us > params->window_end_us) {
      served = served || correct;
      continue;
    }
    if (previous_us == 0)
      artic_loss_miss_add_gap (misses, reference, params,
          instant->instant_us
              - (gint64) ((artic_loss_missing_at_edge (
                               instant->instant_us - params->window_start_us,
                               period_us)
                              + 1)
                          * period_us),
          artic_loss_missing_at_edge (
              instant->instant_us - params->window_start_us, period_us),
          period_us, served);
    else
      artic_loss_miss_add_gap (misses, reference, params, previous_us,
          artic_loss_missing_between (
              previous_us, instant->instant_us, period_us),
          period_us, served);
    previous_us = instant->instant_us;
    if (instant->capture_us == 0)
      artic_loss_miss_add (misses, reference, params, instant->instant_us,
          served ? ARTIC_LOSS_MISS_UNSERVED : ARTIC_LOSS_MISS_NO_FRAME_YET, -1);
    else if (!correct)
      artic_loss_miss_add (misses, reference, params, instant->instant_us,
          ARTIC_LOSS_MISS_CORRUPTED, age_us);
    else if (age_us > params->max_age_s * G_USEC_PER_SEC)
      artic_loss_miss_add (misses, reference, params, instant->instant_us,
          ARTIC_LOSS_MISS_STALE_LOST, age_us);
    served = served || correct;
  }
  if (previous_us == 0) {
    guint count = artic_loss_add_count (
        artic_loss_missing_at_edge (
            params->window_end_us - params->window_start_us, period_us),
        1);

    artic_loss_miss_add_gap (misses, reference, params,
        params->window_start_us - (gint64) period_us, count, period_us, served);
  } else {
    artic_loss_miss_add_gap (misses, reference, params, previous_us,
        artic_loss_missing_at_edge (
            params->window_end_us - previous_us, period_us),
        period_us, served);
  }
  return misses;
}

static gboolean
artic_loss_parse_direction (const gchar *text, const gchar *name,
    guint64 *packets, guint64 *bytes, guint64 *lost)
{
  const gchar *line = strstr (text, name);
  guint64 queue_drops = 0, loss_drops = 0;

  /* "forward: in 400 pkts / 6400 B, delivered ..., dropped by queue 0 pkts,
   * dropped by loss 122 pkts, ..." */
  if (line == NULL
      || sscanf (line + strlen (name),
             " in %" G_GUINT64_FORMAT " pkts / %" G_GUINT64_FORMAT " B",
             packets, bytes)
             != 2)
    return FALSE;
  line = strstr (line, "dropped by queue ");
  if (line == NULL
      || sscanf (line,
             "dropped by queue %" G_GUINT64_FORMAT
             " pkts, dropped by loss %" G_GUINT64_FORMAT " pkts",
             &queue_drops, &loss_drops)
             != 2)
    return FALSE;
  if (lost != NULL)
    *lost = queue_drops + loss_drops;
  return TRUE;
}

gboolean
artic_loss_netem_stats_parse (
    const gchar *text, ArticLossLinkCounts *counts, GError **error)
{
  memset (counts, 0, sizeof (*counts));
  if (!artic_loss_parse_direction (text, "forward:", &counts->forward_packets,
          &counts->forward_bytes, &counts->forward_lost)
      || !artic_loss_parse_direction (text,
          "reverse:", &counts->reverse_packets, &counts->reverse_bytes, NULL)) {
    g_set_error (error, ARTIC_LOSS_ERROR, ARTIC_LOSS_ERROR_PARSE,
        "not an artic-netem summary");
    return FALSE;
  }
  return TRUE;
}
