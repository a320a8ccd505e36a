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

/* The per-frame decision of the articroi element, without GStreamer: which
 * source says where the bits go for this frame, and the QP-offset map that
 * follows. In priority:
 *   1. feedback boxes from the MLLM (through an ArticRoiTrack: interpolated
 *      between updates, predicted ahead, expired after the timeout);
 *   2. boxes from upstream (a face detector's GstVideoRegionOfInterestMeta),
 *      passed in per frame by the caller;
 *   3. local cues (text-likelihood, motion) combined by max, while no valid
 *      feedback exists and a cue is confident enough somewhere;
 *   4. the uniform fallback offset.
 * Feedback that is valid but says "no box" ([]) also gives the uniform map:
 * the model looked and named nothing, which outranks a guess from the cues.
 * One analyzer serves one stream from one thread; the caller locks. */

#ifndef ARTIC_ROI_ANALYZER_H
#define ARTIC_ROI_ANALYZER_H

#include <glib.h>

#include "artic-qp-map.h"
#include "artic-roi-box.h"

G_BEGIN_DECLS

/* Cue scores below this everywhere mean "the cues know nothing": a map from
 * them would push the whole frame to max_delta, harsher than the uniform
 * fallback that stands for "nobody knows". */
#define ARTIC_ROI_ANALYZER_CUE_MIN 0.25f
#define ARTIC_ROI_ANALYZER_DEFAULT_BLOCK_SIZE 16

typedef enum
{
  ARTIC_ROI_SOURCE_BOXES,
  ARTIC_ROI_SOURCE_UPSTREAM,
  ARTIC_ROI_SOURCE_CUES,
  ARTIC_ROI_SOURCE_UNIFORM,
} ArticRoiSource;

typedef enum
{
  ARTIC_ROI_CUE_TEXT = 1 << 0,
  ARTIC_ROI_CUE_MOTION = 1 << 1,
} ArticRoiCueFlags;

#define ARTIC_ROI_CUE_ALL (ARTIC_ROI_CUE_TEXT | ARTIC_ROI_CUE_MOTION)

typedef struct _ArticRoiAnalyzer ArticRoiAnalyzer;

/* Defaults: artic_qp_params_init() with block size 16 (a VP8 macroblock),
 * both cues, the track's default timeout (3 s) and horizon (1.5 s). */
ArticRoiAnalyzer *artic_roi_analyzer_new (void);
void artic_roi_analyzer_free (ArticRoiAnalyzer *analyzer);

/* Forgets feedback and the previous frame (a flush or a restart). */
void artic_roi_analyzer_reset (ArticRoiAnalyzer *analyzer);

/* FALSE (and nothing changed) for params the rule cannot use: block size
 * outside 1..ARTIC_QP_MAP_MAX_DIM, gamma not finite or <= 0, base or deltas
 * outside 0..51. */
gboolean artic_roi_analyzer_set_params (
    ArticRoiAnalyzer *analyzer, const ArticQpParams *params);
void artic_roi_analyzer_get_params (
    ArticRoiAnalyzer *analyzer, ArticQpParams *params);
void artic_roi_analyzer_set_cues (
    ArticRoiAnalyzer *analyzer, ArticRoiCueFlags cues);
/* <= 0: feedback never expires. */
void artic_roi_analyzer_set_timeout (
    ArticRoiAnalyzer *analyzer, gint64 timeout_ns);
/* 0: no prediction, boxes are held as last seen. */
void artic_roi_analyzer_set_horizon (
    ArticRoiAnalyzer *analyzer, gint64 horizon_ns);

/* Following (off by default): feedback boxes are found again in every newer
 * frame by their content (ArticRoiFollow) instead of being interpolated and
 * predicted by the track; the timeout still expires them. The feedback's
 * frame time must then be that of a frame the analyzer processed in the
 * last ARTIC_ROI_FOLLOW_HISTORY_NS, as the content is taken from it. */
void artic_roi_analyzer_set_follow (
    ArticRoiAnalyzer *analyzer, gboolean follow);
gboolean artic_roi_analyzer_get_follow (ArticRoiAnalyzer *analyzer);

/* Records feedback boxes (normalized 0..1000, @n_boxes 0 = the model named
 * no region) for frame time @t_ns. FALSE only while following, when no kept
 * frame is at @t_ns: the boxes are then followed from the newest frame. */
gboolean artic_roi_analyzer_add_feedback (ArticRoiAnalyzer *analyzer,
    gint64 t_ns, const ArticRoiBox *boxes, guint n_boxes);

/* TRUE while feedback received is still valid at @t_ns. */
gboolean artic_roi_analyzer_has_feedback (
    ArticRoiAnalyzer *analyzer, gint64 t_ns);

/* Computes the map for one frame: @luma is the 8-bit luma plane (@stride
 * bytes per row), @t_ns the frame time on the feedback's clock, @upstream the
 * frame's boxes from upstream (may be NULL/0). Returns a new map of the frame
 * size on the params' block grid (NULL only for a size ArticQpMap refuses),
 * stores the deciding source in @source and, when @boxes is not NULL, the
 * effective boxes (normalized; empty for cues/uniform) in it. A frame whose
 * size differs from the previous one gets no motion cue (nothing to compare
 * with). */
ArticQpMap *artic_roi_analyzer_process (ArticRoiAnalyzer *analyzer,
    const guint8 *luma, guint width, guint height, gsize stride, gint64 t_ns,
    const ArticRoiBox *upstream, guint n_upstream, ArticRoiSource *source,
    GArray *boxes);

/* Parses a feedback message: any form artic_roi_boxes_parse() accepts, and in
 * the object form two optional members saying which frame the boxes were
 * computed for: "frame-time" (running time, ns) and "capture-time" (the
 * frame's capture time, ns since the Unix epoch, as the capture-time meta
 * carries it: what a receiver knows of a frame). Both are non-negative
 * integers; each is set to -1 when absent (@capture_time_ns may be NULL).
 * Returns the boxes (GArray of ArticRoiBox), or NULL with @error set
 * (ARTIC_ROI_ERROR) for bad input, including a time that is not a
 * non-negative integer. */
GArray *artic_roi_feedback_parse (const gchar *json, gssize length,
    gint64 *frame_time_ns, gint64 *capture_time_ns, GError **error);

const gchar *artic_roi_source_name (ArticRoiSource source);

G_END_DECLS

#endif /* ARTIC_ROI_ANALYZER_H */
