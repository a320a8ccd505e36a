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

#ifndef __ARTIC_LOSS_METRICS_H__
#define __ARTIC_LOSS_METRICS_H__

#include <glib.h>

G_BEGIN_DECLS

/* What loss-bench measures (docs/loss-bench.md), as plain C: the lossless
 * reference from a sender's frame dump, the receivers' hand-on logs, and
 * the scores computed from the two. */

#define ARTIC_LOSS_ERROR (artic_loss_error_quark ())
GQuark artic_loss_error_quark (void);

typedef enum
{
  ARTIC_LOSS_ERROR_PARSE,
  ARTIC_LOSS_ERROR_DECODE,
} ArticLossError;

/* The sender's stream decoded without loss: capture time -> checksum
 * (artic_frame_hash_i420) of what the frame must look like. */
typedef struct _ArticLossReference ArticLossReference;

/* Decodes a VP8 frame dump (artic-frame-dump.h) with libvpx. Fails if any
 * frame does not decode: a reference must be complete. */
ArticLossReference *artic_loss_reference_from_dump (
    const gchar *path, GError **error);
void artic_loss_reference_free (ArticLossReference *reference);
gboolean artic_loss_reference_lookup (
    const ArticLossReference *reference, guint64 capture_us, guint64 *checksum);
guint artic_loss_reference_frames (const ArticLossReference *reference);
guint artic_loss_reference_keyframes (const ArticLossReference *reference);
guint64 artic_loss_reference_first_capture_us (
    const ArticLossReference *reference);
guint64 artic_loss_reference_last_capture_us (
    const ArticLossReference *reference);
/* For tests: a reference made of known checksums. */
ArticLossReference *artic_loss_reference_new (void);
void artic_loss_reference_add (ArticLossReference *reference,
    guint64 capture_us, guint64 checksum, gboolean keyframe);

/* One sampling instant: what the model was handed (capture_us 0: nothing). */
typedef struct
{
  gint64 instant_us;
  guint64 capture_us;
  gint64 delivered_us; /* when the frame reached the sampler, 0 unknown */
  guint64 checksum;
  gboolean repeated;
} ArticLossInstant;

/* The --handed-log CSV (header instant_us,capture_us,delivered_us,checksum,
 * repeated; checksum in hex) -> GArray of ArticLossInstant. Strict: a
 * malformed line is an error naming the line. */
GArray *artic_loss_handed_parse (const gchar *text, GError **error);
GArray *artic_loss_handed_load (const gchar *path, GError **error);

typedef struct
{
  gdouble rate;           /* sampling instants per second */
  gdouble max_age_s;      /* a correct frame older than this does not count */
  gint64 window_start_us; /* instants scored: in [start, end] */
  gint64 window_end_us;
} ArticLossScoreParams;

typedef struct
{
  guint instants;          /* in the window, missing ones included */
  guint instants_missing;  /* of those: no line at all (a gap in the grid) */
  guint instants_unserved; /* of those: nothing handed on */
  guint instants_correct_fresh; /* a correct frame at most max_age old */
  guint instants_corrupted;     /* a frame that differs from the reference */
  guint frames_handed;          /* distinct frames handed on (whole run) */
  guint frames_corrupted;       /* of those: differ from the reference */
  guint latency_samples;
  gdouble latency_p50_ms; /* capture -> delivery, frames first handed on in
                           * the window */
  gdouble latency_p95_ms;
  gdouble latency_p99_ms;
  gdouble age_p50_ms; /* age of the frame served at each served instant */
  gdouble age_p95_ms;
  gdouble age_max_ms;
} ArticLossScore;

void artic_loss_score (const ArticLossReference *reference,
    const GArray *instants, const ArticLossScoreParams *params,
    ArticLossScore *score);
/* Share of instants served with a correct frame at most max_age old, 0-100. */
gdouble artic_loss_score_fresh_percent (const ArticLossScore *score);

/* Why a scored instant was not served with a correct frame at most max_age
 * old (docs/loss-bench.md, "Why instants are missed"). */
typedef enum
{
  /* No correct frame handed on yet: the first key frame has not arrived. */
  ARTIC_LOSS_MISS_NO_FRAME_YET,
  /* After a correct frame, nothing handed on at this instant. */
  ARTIC_LOSS_MISS_UNSERVED,
  /* A frame that differs from the reference. */
  ARTIC_LOSS_MISS_CORRUPTED,
  /* A correct frame, too old, and the sender encoded nothing newer within
   * max_age: the sender's own gap (frame rate, a stall). */
  ARTIC_LOSS_MISS_STALE_NOT_SENT,
  /* A correct frame, too old, although newer frames were sent within
   * max_age, none of them key frames: they were lost or decoded from a
   * broken chain, and no recovery point arrived in time. */
  ARTIC_LOSS_MISS_STALE_LOST,
  /* The same, with a key frame among the newer frames sent: the chain
   * waited for a key frame, which was lost or late too. */
  ARTIC_LOSS_MISS_STALE_KEY_LOST,
  ARTIC_LOSS_MISS_KINDS
} ArticLossMissReason;

typedef struct
{
  gint64 instant_us; /* estimated on the grid for an instant with no line */
  ArticLossMissReason reason;
  gint64 age_us;        /* of the frame served, -1 if none */
  guint frames_sent;    /* sent within max_age before the instant */
  guint keyframes_sent; /* of those, key frames */
} ArticLossMiss;

/* One ArticLossMiss per scored instant that does not count as served with a
 * correct frame at most max_age old (as artic_loss_score counts them: the
 * array's length is instants - instants_correct_fresh). */
GArray *artic_loss_explain_misses (const ArticLossReference *reference,
    const GArray *instants, const ArticLossScoreParams *params);
const gchar *artic_loss_miss_reason_name (ArticLossMissReason reason);

/* The byte counts of artic-netem's summary (--stats FILE). */
typedef struct
{
  guint64 forward_packets;
  guint64 forward_bytes;
  guint64 forward_lost; /* dropped by loss and by the queue */
  guint64 reverse_packets;
  guint64 reverse_bytes;
} ArticLossLinkCounts;

gboolean artic_loss_netem_stats_parse (
    const gchar *text, ArticLossLinkCounts *counts, GError **error);

G_END_DECLS

#endif /* __ARTIC_LOSS_METRICS_H__ */
