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

/* The DeViBench run harness's bookkeeping, without any pipeline: the
 * conditions of a run (their cross product and stable ids), the work list
 * (item x condition) and its deterministic shard split, the results file
 * (one JSON object per line, read back to resume a run) and the summary
 * (accuracy per condition and task type, bitrate, latency percentiles). */

#ifndef __ARTIC_DEVIBENCH_RUN_H__
#define __ARTIC_DEVIBENCH_RUN_H__

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ARTIC_DEVIBENCH_ROI_OFF,    /* uniform encoding */
  ARTIC_DEVIBENCH_ROI_ON,     /* boxes the endpoint returns, fed back */
  ARTIC_DEVIBENCH_ROI_ORACLE, /* the known target box: an upper bound */
} ArticDevibenchRoiMode;

typedef struct
{
  gchar *id;          /* stable: "vp8-1280x720-200k-roi", "clean-640x360" */
  gboolean clean;     /* no encoding at all: the reference accuracy */
  gchar *codec;       /* vp8, vp9, h264 (NULL when clean) */
  guint bitrate_kbps; /* target (0 when clean) */
  guint width, height;
  ArticDevibenchRoiMode roi;
  gchar *trace;   /* Mahimahi trace path, NULL = no trace */
  gdouble loss;   /* random loss, percent */
  guint delay_ms; /* one-way delay */
} ArticDevibenchCondition;

/* The lists given on the command line; each is a comma-separated string
 * (NULL = the default). */
typedef struct
{
  const gchar *codecs;   /* "vp8" */
  const gchar *bitrates; /* "200"; "clean" adds the uncompressed condition */
  const gchar *sizes;    /* "1280x720" */
  const gchar *roi;      /* "off"; off, on, oracle */
  const gchar *traces;   /* "none"; none or trace files */
  const gchar *loss;     /* "0" (percent) */
  const gchar *delay;    /* "0" (ms) */
} ArticDevibenchGrid;

#define ARTIC_DEVIBENCH_MAX_CONDITIONS 10000

gboolean artic_devibench_condition_is_network (
    const ArticDevibenchCondition *c);
const gchar *artic_devibench_roi_mode_name (ArticDevibenchRoiMode mode);
void artic_devibench_condition_free (ArticDevibenchCondition *c);
/* The cross product, in a fixed order (codec, size, bitrate, roi, trace,
 * loss, delay), duplicates removed; "clean" gives one condition per size.
 * GPtrArray of ArticDevibenchCondition*, or NULL with @error (a bad value
 * names the option and the value). */
GPtrArray *artic_devibench_conditions_new (
    const ArticDevibenchGrid *grid, GError **error);

/* "i/n" with 1 <= i <= n <= 10000. */
gboolean artic_devibench_shard_parse (
    const gchar *text, guint *index, guint *count, GError **error);
/* Work unit @k of the full list belongs to shard @index of @count
 * (1-based): k mod count == index - 1, so shards never overlap and their
 * union is the whole list, whatever the list's length. */
gboolean artic_devibench_shard_owns (guint64 k, guint index, guint count);

/* Key of a result: "ITEM|CONDITION". */
gchar *artic_devibench_result_key (const gchar *item, const gchar *condition);

/* ---- results.jsonl ---- */

typedef struct
{
  gchar *item, *condition;
  gchar *task_type;
  gboolean correct;
  gchar *error;                       /* NULL: scored */
  gdouble target_kbps, achieved_kbps; /* achieved < 0: unknown */
  gdouble answer_ms;                  /* the answer request; < 0: none */
  gdouble frame_p50_ms, frame_p95_ms; /* capture -> model; < 0: unknown */
  guint width, height;
  gboolean clean;
  gchar *roi;   /* off, on, oracle */
  gchar *trace; /* "none" or the trace's file name */
  gdouble loss;
  guint delay_ms;
  gchar *codec;
} ArticDevibenchResult;

void artic_devibench_result_free (ArticDevibenchResult *r);
/* One line of results.jsonl; NULL (with @error) when it is not a result. */
ArticDevibenchResult *artic_devibench_result_parse (
    const gchar *line, gsize size, GError **error);

/* Reads a results file: every complete line that parses, in order; a
 * truncated last line (no newline) is ignored and, with @repair, cut off
 * the file so that appending starts on a fresh line. A missing file is an
 * empty list. *bad counts complete lines that did not parse. */
GPtrArray *artic_devibench_results_load (
    const gchar *path, gboolean repair, guint *bad, GError **error);

/* ---- summary ---- */

typedef struct
{
  gchar *condition; /* condition id */
  gchar *task_type; /* NULL: all task types */
  gboolean clean;
  gchar *codec, *roi, *trace;
  guint width, height;
  gdouble target_kbps, loss;
  guint delay_ms;
  guint items, scored, correct, errors;
  gdouble accuracy; /* correct / scored; < 0 when nothing scored */
  /* The same on the items the clean stream of the same size answered
   * right (DeViBench keeps only questions the model gets right on the
   * original): what the stack loses, apart from what the model never
   * knew. < 0 without clean results. */
  guint ref_scored, ref_correct;
  gdouble ref_accuracy;
  gdouble achieved_kbps;
  gdouble answer_p50_ms, answer_p95_ms;
  gdouble frame_p50_ms, frame_p95_ms; /* < 0: no network condition */
  GArray *answer_ms;                  /* gdouble: for the latency CDF */
  GArray *frame_ms;                   /* gdouble: per-item p50 */
} ArticDevibenchSummaryRow;

typedef struct
{
  GPtrArray *rows;    /* ArticDevibenchSummaryRow*: per condition, then */
  GPtrArray *by_task; /* per condition x task type */
  guint results;      /* distinct item x condition pairs */
  guint errors;
} ArticDevibenchSummary;

/* The last result of each item x condition counts (a rerun that retried an
 * error overrides it). Conditions keep the order they first appear in. */
ArticDevibenchSummary *artic_devibench_summary_new (GPtrArray *results);
void artic_devibench_summary_free (ArticDevibenchSummary *s);
gchar *artic_devibench_summary_csv (const ArticDevibenchSummary *s);
gchar *artic_devibench_summary_markdown (const ArticDevibenchSummary *s);
/* Linear-interpolated percentile (0..100) of @values; < 0 when empty. */
gdouble artic_devibench_percentile (GArray *values, gdouble p);

G_END_DECLS

#endif /* __ARTIC_DEVIBENCH_RUN_H__ */
