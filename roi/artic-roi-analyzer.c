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

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "artic-roi-analyzer.h"
#include "artic-roi-cues.h"
#include "artic-roi-follow.h"
#include "artic-roi-track.h"

struct _ArticRoiAnalyzer
{
  ArticQpParams params;
  ArticRoiCueFlags cues;
  ArticRoiTrack *track;
  ArticRoiFollow *follow; /* NULL unless following is on */
  gint64 timeout;
  gboolean have_feedback;
  gint64 latest_feedback; /* newest frame time among the updates */
  GArray *boxes;          /* scratch: the track's boxes for this frame */

  /* The previous luma plane, with the input's stride, for the motion cue. */
  guint8 *prev;
  guint prev_width, prev_height;
  gsize prev_stride, prev_alloc;
  gboolean have_prev;

  gfloat *importance, *cue; /* cols * rows each */
  gsize n_blocks_alloc;
};

ArticRoiAnalyzer *
artic_roi_analyzer_new (void)
{
  ArticRoiAnalyzer *analyzer = g_new0 (ArticRoiAnalyzer, 1);

  artic_qp_params_init (&analyzer->params);
  analyzer->params.block_size = ARTIC_ROI_ANALYZER_DEFAULT_BLOCK_SIZE;
  analyzer->cues = ARTIC_ROI_CUE_ALL;
  analyzer->track = artic_roi_track_new ();
  analyzer->timeout = ARTIC_ROI_TRACK_DEFAULT_TIMEOUT;
  analyzer->boxes = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  return analyzer;
}

void
artic_roi_analyzer_free (ArticRoiAnalyzer *analyzer)
{
  if (analyzer == NULL)
    return;
  artic_roi_track_free (analyzer->track);
  artic_roi_follow_free (analyzer->follow);
  g_array_unref (analyzer->boxes);
  g_free (analyzer->prev);
  g_free (analyzer->importance);
  g_free (analyzer->cue);
  g_free (analyzer);
}

void
artic_roi_analyzer_reset (ArticRoiAnalyzer *analyzer)
{
  artic_roi_track_reset (analyzer->track);
  if (analyzer->follow != NULL)
    artic_roi_follow_reset (analyzer->follow);
  analyzer->have_feedback = FALSE;
  analyzer->have_prev = FALSE;
}

gboolean
artic_roi_analyzer_set_params (
    ArticRoiAnalyzer *analyzer, const ArticQpParams *params)
{
  if (params->block_size == 0 || params->block_size > ARTIC_QP_MAP_MAX_DIM
      || !isfinite (params->gamma) || params->gamma <= 0.0 || params->base < 0
      || params->base > 51 || params->max_delta < 0 || params->max_delta > 51
      || params->no_box_delta < 0 || params->no_box_delta > 51)
    return FALSE;
  analyzer->params = *params;
  return TRUE;
}

void
artic_roi_analyzer_get_params (
    ArticRoiAnalyzer *analyzer, ArticQpParams *params)
{
  *params = analyzer->params;
}

void
artic_roi_analyzer_set_cues (ArticRoiAnalyzer *analyzer, ArticRoiCueFlags cues)
{
  analyzer->cues = cues & ARTIC_ROI_CUE_ALL;
  if (!(analyzer->cues & ARTIC_ROI_CUE_MOTION))
    analyzer->have_prev = FALSE;
}

void
artic_roi_analyzer_set_timeout (ArticRoiAnalyzer *analyzer, gint64 timeout_ns)
{
  analyzer->timeout = timeout_ns;
  artic_roi_track_set_timeout (analyzer->track, timeout_ns);
}

void
artic_roi_analyzer_set_horizon (ArticRoiAnalyzer *analyzer, gint64 horizon_ns)
{
  artic_roi_track_set_horizon (analyzer->track, horizon_ns);
}

void
artic_roi_analyzer_set_follow (ArticRoiAnalyzer *analyzer, gboolean follow)
{
  if (follow && analyzer->follow == NULL) {
    analyzer->follow = artic_roi_follow_new ();
    /* Feedback already given is followed from the next frame on. */
    if (analyzer->have_feedback) {
      artic_roi_track_boxes_at (
          analyzer->track, analyzer->latest_feedback, analyzer->boxes);
      artic_roi_follow_set_boxes (analyzer->follow, analyzer->latest_feedback,
          (const ArticRoiBox *) analyzer->boxes->data, analyzer->boxes->len);
    }
  } else if (!follow) {
    g_clear_pointer (&analyzer->follow, artic_roi_follow_free);
  }
}

gboolean
artic_roi_analyzer_get_follow (ArticRoiAnalyzer *analyzer)
{
  return analyzer->follow != NULL;
}

gboolean
artic_roi_analyzer_add_feedback (ArticRoiAnalyzer *analyzer, gint64 t_ns,
    const ArticRoiBox *boxes, guint n_boxes)
{
  gboolean from_its_frame = TRUE;

  artic_roi_track_update (analyzer->track, t_ns, boxes, n_boxes);
  if (analyzer->follow != NULL)
    from_its_frame
        = artic_roi_follow_set_boxes (analyzer->follow, t_ns, boxes, n_boxes);
  /* Expiry counts from the newest update, as the track's does; an update for
   * an older frame (late feedback) does not make the boxes any fresher. */
  if (!analyzer->have_feedback || t_ns > analyzer->latest_feedback)
    analyzer->latest_feedback = t_ns;
  analyzer->have_feedback = TRUE;
  return from_its_frame;
}

gboolean
artic_roi_analyzer_has_feedback (ArticRoiAnalyzer *analyzer, gint64 t_ns)
{
  if (!analyzer->have_feedback)
    return FALSE;
  return analyzer->timeout <= 0
         || t_ns - analyzer->latest_feedback <= analyzer->timeout;
}

static void
ensure_blocks (ArticRoiAnalyzer *analyzer, gsize n_blocks)
{
  if (n_blocks <= analyzer->n_blocks_alloc)
    return;
  g_free (analyzer->importance);
  g_free (analyzer->cue);
  analyzer->importance = g_new (gfloat, n_blocks);
  analyzer->cue = g_new (gfloat, n_blocks);
  analyzer->n_blocks_alloc = n_blocks;
}

/* Fills analyzer->importance with the enabled cues combined by max; returns
 * the largest score. */
static gfloat
compute_cues (ArticRoiAnalyzer *analyzer, const guint8 *luma, guint width,
    guint height, gsize stride, gsize n_blocks)
{
  guint bs = analyzer->params.block_size;
  gboolean motion = (analyzer->cues & ARTIC_ROI_CUE_MOTION)
                    && analyzer->have_prev && analyzer->prev_width == width
                    && analyzer->prev_height == height
                    && analyzer->prev_stride == stride;
  gfloat peak = 0.0f;
  gsize i;

  memset (analyzer->importance, 0, n_blocks * sizeof (gfloat));
  if (analyzer->cues & ARTIC_ROI_CUE_TEXT)
    artic_roi_cue_text (luma, width, height, stride, bs, analyzer->importance);
  if (motion) {
    artic_roi_cue_motion (
        luma, analyzer->prev, width, height, stride, bs, analyzer->cue);
    artic_roi_importance_max (analyzer->importance, analyzer->cue, n_blocks);
  }
  for (i = 0; i < n_blocks; i++)
    peak = MAX (peak, analyzer->importance[i]);
  return peak;
}

static void
remember_frame (ArticRoiAnalyzer *analyzer, const guint8 *luma, guint width,
    guint height, gsize stride)
{
  /* Same layout as the input (the cue reads both planes with one stride);
   * the last row's padding may not exist, so it is not copied. */
  gsize size = stride * (height - 1) + width;

  if (!(analyzer->cues & ARTIC_ROI_CUE_MOTION)) {
    analyzer->have_prev = FALSE;
    return;
  }
  if (size > analyzer->prev_alloc) {
    g_free (analyzer->prev);
    analyzer->prev = g_malloc (size);
    analyzer->prev_alloc = size;
  }
  memcpy (analyzer->prev, luma, size);
  analyzer->prev_width = width;
  analyzer->prev_height = height;
  analyzer->prev_stride = stride;
  analyzer->have_prev = TRUE;
}

/* Upstream boxes without the "no box" marker; their number. */
static guint
usable_upstream (const ArticRoiBox *upstream, guint n_upstream, GArray *out)
{
  guint i;

  g_array_set_size (out, 0);
  for (i = 0; upstream != NULL && i < n_upstream; i++) {
    ArticRoiBox box = upstream[i];

    artic_roi_box_normalize (&box);
    if (!artic_roi_box_is_none (&box))
      g_array_append_val (out, box);
  }
  return out->len;
}

ArticQpMap *
artic_roi_analyzer_process (ArticRoiAnalyzer *analyzer, const guint8 *luma,
    guint width, guint height, gsize stride, gint64 t_ns,
    const ArticRoiBox *upstream, guint n_upstream, ArticRoiSource *source,
    GArray *boxes)
{
  const ArticQpParams *params = &analyzer->params;
  ArticRoiSource src = ARTIC_ROI_SOURCE_UNIFORM;
  ArticQpMap *map = NULL;
  gsize n_blocks;

  if (boxes != NULL)
    g_array_set_size (boxes, 0);
  if (source != NULL)
    *source = ARTIC_ROI_SOURCE_UNIFORM;
  if (width == 0 || height == 0 || width > ARTIC_QP_MAP_MAX_DIM
      || height > ARTIC_QP_MAP_MAX_DIM || stride < width || luma == NULL)
    return NULL;
  n_blocks = (gsize) artic_qp_map_blocks (width, params->block_size)
             * artic_qp_map_blocks (height, params->block_size);

  if (analyzer->follow != NULL)
    artic_roi_follow_push_frame (
        analyzer->follow, luma, width, height, stride, t_ns);
  if (artic_roi_analyzer_has_feedback (analyzer, t_ns)) {
    /* Valid feedback decides, even when it names no region. */
    guint n = analyzer->follow != NULL
                  ? artic_roi_follow_boxes (analyzer->follow, analyzer->boxes)
                  : artic_roi_track_boxes_at (
                      analyzer->track, t_ns, analyzer->boxes);
    if (n > 0)
      src = ARTIC_ROI_SOURCE_BOXES;
  } else if (usable_upstream (upstream, n_upstream, analyzer->boxes) > 0) {
    src = ARTIC_ROI_SOURCE_UPSTREAM;
  } else if (analyzer->cues != 0) {
    g_array_set_size (analyzer->boxes, 0);
    ensure_blocks (analyzer, n_blocks);
    if (compute_cues (analyzer, luma, width, height, stride, n_blocks)
        >= ARTIC_ROI_ANALYZER_CUE_MIN)
      src = ARTIC_ROI_SOURCE_CUES;
  }

  if (src == ARTIC_ROI_SOURCE_CUES) {
    map = artic_qp_map_from_importance (
        width, height, analyzer->importance, params);
  } else if (src == ARTIC_ROI_SOURCE_UNIFORM) {
    map = artic_qp_map_from_boxes (width, height, NULL, 0, params);
  } else {
    map = artic_qp_map_from_boxes (width, height,
        (const ArticRoiBox *) analyzer->boxes->data, analyzer->boxes->len,
        params);
    if (boxes != NULL)
      g_array_append_vals (boxes, analyzer->boxes->data, analyzer->boxes->len);
  }
  remember_frame (analyzer, luma, width, height, stride);
  if (source != NULL)
    *source = src;
  return map;
}

/* A member that must be a non-negative integer; -1 where it is absent. */
static gboolean
get_time_member (JsonNode *root, const gchar *name, gint64 *out, GError **error)
{
  JsonNode *member = JSON_NODE_HOLDS_OBJECT (root) ? json_object_get_member (
                         json_node_get_object (root), name)
                                                   : NULL;

  *out = -1;
  if (member == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_INT64
      || json_node_get_int (member) < 0) {
    g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_VALUE,
        "\"%s\" must be a non-negative integer (ns)", name);
    return FALSE;
  }
  *out = json_node_get_int (member);
  return TRUE;
}

GArray *
artic_roi_feedback_parse (const gchar *json, gssize length,
    gint64 *frame_time_ns, gint64 *capture_time_ns, GError **error)
{
  GArray *boxes;
  JsonParser *parser;
  JsonNode *root;
  gint64 capture;
  gsize len, i;

  *frame_time_ns = -1;
  if (capture_time_ns != NULL)
    *capture_time_ns = -1;
  /* The box parser checks size, nesting depth and syntax first: whatever
   * passes it is safe to hand to json-glib again. */
  boxes = artic_roi_boxes_parse (json, length, error);
  if (boxes == NULL)
    return NULL;
  len = length < 0 ? strlen (json) : (gsize) length;
  for (i = 0; i < len && g_ascii_isspace (json[i]); i++)
    ;
  if (i == len || json[i] != '{')
    return boxes;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, len, NULL)) {
    /* Cannot happen after the box parser accepted it; refuse anyway. */
    g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_SYNTAX,
        "feedback is not valid JSON");
    goto fail;
  }
  root = json_parser_get_root (parser);
  if (!get_time_member (root, "frame-time", frame_time_ns, error)
      || !get_time_member (root, "capture-time", &capture, error))
    goto fail;
  if (capture_time_ns != NULL)
    *capture_time_ns = capture;
  g_object_unref (parser);
  return boxes;

fail:
  *frame_time_ns = -1;
  g_object_unref (parser);
  g_array_unref (boxes);
  return NULL;
}

const gchar *
artic_roi_source_name (ArticRoiSource source)
{
  switch (source) {
    case ARTIC_ROI_SOURCE_BOXES:
      return "boxes";
    case ARTIC_ROI_SOURCE_UPSTREAM:
      return "upstream-meta";
    case ARTIC_ROI_SOURCE_CUES:
      return "cues";
    case ARTIC_ROI_SOURCE_UNIFORM:
      return "uniform";
  }
  return "unknown";
}
