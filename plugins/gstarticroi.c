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

/**
 * SECTION:element-articroi
 * @title: articroi
 *
 * Computes, for every raw video frame, the per-block QP-offset map that tells
 * an ROI encoder (`articenc`) where to spend the bits, and attaches it as a
 * #GstArticQpMapMeta, plus one #GstVideoRegionOfInterestMeta (type
 * `artic-roi`, param structure `roi/artic` with `delta-qp` = 0) per region for
 * other consumers. The frame itself is not modified.
 *
 * The map comes from, in priority:
 * 1. feedback boxes from the MLLM (0..1000 normalized, the ZeCoStream
 *    format), set with the `boxes` property or the `artic-roi-boxes` custom
 *    event (see gst_artic_roi_boxes_event_new()), interpolated between
 *    updates, predicted up to `predict-ahead` after the last one and
 *    expired `box-timeout` after it; with `follow`, found again by their
 *    content in every frame after the one their `frame-time` names;
 * 2. upstream #GstVideoRegionOfInterestMeta boxes (e.g. a face detector);
 * 3. local cues (text-likelihood, motion) while no feedback is valid;
 * 4. the uniform `no-box-delta` offset.
 *
 * The `source` property says which one decided the last frame.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=60 ! \
 *     articroi boxes='[[[100,100],[400,400]]]' ! fakesink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticroi.h"
#include "gstarticqpmapmeta.h"

#include "artic-capture-time.h"
#include "artic-roi-track.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_roi_debug);
#define GST_CAT_DEFAULT gst_artic_roi_debug

#define DEFAULT_BLOCK_SIZE ARTIC_ROI_ANALYZER_DEFAULT_BLOCK_SIZE
#define DEFAULT_GAMMA 3.0
#define DEFAULT_BASE 26
#define DEFAULT_MAX_DELTA 25
#define DEFAULT_NO_BOX_DELTA 18
#define DEFAULT_CUES (ARTIC_ROI_CUE_TEXT | ARTIC_ROI_CUE_MOTION)
#define DEFAULT_BOX_TIMEOUT (3 * GST_SECOND)
#define DEFAULT_PREDICT_AHEAD (1500 * GST_MSECOND)
#define DEFAULT_ENABLED TRUE
#define DEFAULT_FOLLOW FALSE

#define MIN_BLOCK_SIZE 8
#define MAX_BLOCK_SIZE 64
#define MAX_QP 51
#define MAX_BOX_TIMEOUT (3600 * GST_SECOND)
#define MAX_PREDICT_AHEAD (60 * GST_SECOND)
#define MAX_PENDING ARTIC_ROI_TRACK_MAX_UPDATES
#define MAX_FEEDBACK_AHEAD ((gint64) (10 * GST_SECOND))

enum
{
  PROP_0,
  PROP_BOXES,
  PROP_BLOCK_SIZE,
  PROP_GAMMA,
  PROP_BASE,
  PROP_MAX_DELTA,
  PROP_NO_BOX_DELTA,
  PROP_CUES,
  PROP_BOX_TIMEOUT,
  PROP_PREDICT_AHEAD,
  PROP_ENABLED,
  PROP_SOURCE,
  PROP_FOLLOW,
};

/* Feedback accepted but not yet handed to the analyzer, which belongs to the
 * streaming thread. */
typedef struct
{
  GArray *boxes;
  GstClockTime frame_time; /* running time; NONE = the next frame's */
  gint64 capture_time;     /* the frame's capture time (Unix ns), -1: none */
} PendingFeedback;

#define VIDEO_FORMATS "{ I420, YV12, NV12, NV21, Y42B, Y444, GRAY8 }"

static GstStaticPadTemplate gst_artic_roi_sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

static GstStaticPadTemplate gst_artic_roi_src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

#define gst_artic_roi_parent_class parent_class
G_DEFINE_TYPE (GstArticRoi, gst_artic_roi, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (
    articroi, "articroi", GST_RANK_NONE, GST_TYPE_ARTIC_ROI);

GType
gst_artic_roi_source_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { ARTIC_ROI_SOURCE_BOXES, "Feedback boxes", "boxes" },
    { ARTIC_ROI_SOURCE_UPSTREAM, "Upstream region-of-interest meta",
        "upstream-meta" },
    { ARTIC_ROI_SOURCE_CUES, "Local cues (text, motion)", "cues" },
    { ARTIC_ROI_SOURCE_UNIFORM, "Uniform fallback offset", "uniform" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstArticRoiSource", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

GType
gst_artic_roi_cues_get_type (void)
{
  static GType type = 0;
  static const GFlagsValue values[] = {
    { ARTIC_ROI_CUE_TEXT, "Text-likelihood", "text" },
    { ARTIC_ROI_CUE_MOTION, "Motion", "motion" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type)) {
    GType t = g_flags_register_static ("GstArticRoiCues", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

static void gst_artic_roi_finalize (GObject *object);
static void gst_artic_roi_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void gst_artic_roi_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static gboolean gst_artic_roi_start (GstBaseTransform *trans);
static gboolean gst_artic_roi_stop (GstBaseTransform *trans);
static gboolean gst_artic_roi_set_caps (
    GstBaseTransform *trans, GstCaps *incaps, GstCaps *outcaps);
static gboolean gst_artic_roi_sink_event (
    GstBaseTransform *trans, GstEvent *event);
static gboolean gst_artic_roi_src_event (
    GstBaseTransform *trans, GstEvent *event);
static GstFlowReturn gst_artic_roi_transform_ip (
    GstBaseTransform *trans, GstBuffer *buf);

static void
gst_artic_roi_class_init (GstArticRoiClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  const GParamFlags rw
      = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING;

  gobject_class->finalize = gst_artic_roi_finalize;
  gobject_class->set_property = gst_artic_roi_set_property;
  gobject_class->get_property = gst_artic_roi_get_property;

  g_object_class_install_property (gobject_class, PROP_BOXES,
      g_param_spec_string ("boxes", "Boxes",
          "Feedback boxes, JSON, 0..1000 normalized: [[[x0,y0],[x1,y1]],...], "
          "[x0,y0,x1,y1], [] (no box) or {\"boxes\": ..., \"frame-time\": "
          "running-time-ns}. Invalid JSON is refused with a warning and the "
          "previous boxes stay. Reads back the last accepted feedback",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_BLOCK_SIZE,
      g_param_spec_uint ("block-size", "Block size",
          "Pixels per side of a map block (16 = a VP8 macroblock)",
          MIN_BLOCK_SIZE, MAX_BLOCK_SIZE, DEFAULT_BLOCK_SIZE, rw));
  g_object_class_install_property (gobject_class, PROP_GAMMA,
      g_param_spec_double ("gamma", "Gamma",
          "Exponent of the importance-to-QP rule 51 * (1 - r^gamma)", 0.1, 10.0,
          DEFAULT_GAMMA, rw));
  g_object_class_install_property (gobject_class, PROP_BASE,
      g_param_spec_int ("base", "Base",
          "QP subtracted from the rule's absolute QP (offsets below it are 0)",
          0, MAX_QP, DEFAULT_BASE, rw));
  g_object_class_install_property (gobject_class, PROP_MAX_DELTA,
      g_param_spec_int ("max-delta", "Maximum delta",
          "Largest QP offset a block gets", 0, MAX_QP, DEFAULT_MAX_DELTA, rw));
  g_object_class_install_property (gobject_class, PROP_NO_BOX_DELTA,
      g_param_spec_int ("no-box-delta", "No-box delta",
          "Uniform QP offset when no source names a region", 0, MAX_QP,
          DEFAULT_NO_BOX_DELTA, rw));
  g_object_class_install_property (gobject_class, PROP_CUES,
      g_param_spec_flags ("cues", "Cues",
          "Local cues used while there is no feedback", GST_TYPE_ARTIC_ROI_CUES,
          DEFAULT_CUES, rw));
  g_object_class_install_property (gobject_class, PROP_BOX_TIMEOUT,
      g_param_spec_uint64 ("box-timeout", "Box timeout",
          "Feedback boxes expire this long (ns) after the latest update; 0 = "
          "never",
          0, MAX_BOX_TIMEOUT, DEFAULT_BOX_TIMEOUT, rw));
  g_object_class_install_property (gobject_class, PROP_PREDICT_AHEAD,
      g_param_spec_uint64 ("predict-ahead", "Predict ahead",
          "How far (ns) boxes are extrapolated past the latest update; 0 = "
          "hold them",
          0, MAX_PREDICT_AHEAD, DEFAULT_PREDICT_AHEAD, rw));
  g_object_class_install_property (gobject_class, PROP_ENABLED,
      g_param_spec_boolean ("enabled", "Enabled",
          "Attach maps; when FALSE frames pass without metas", DEFAULT_ENABLED,
          rw));
  g_object_class_install_property (gobject_class, PROP_SOURCE,
      g_param_spec_enum ("source", "Source",
          "What decided the last frame's map", GST_TYPE_ARTIC_ROI_SOURCE,
          ARTIC_ROI_SOURCE_UNIFORM, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /**
   * GstArticRoi:follow:
   *
   * Find the feedback boxes again in every newer frame by their content,
   * starting from the frame the feedback's `frame-time` names (kept for up
   * to 3 s), instead of interpolating and predicting them; `predict-ahead`
   * is then unused. For a model that names the region in the newest frame
   * it saw, rather than predicting where it will be.
   */
  g_object_class_install_property (gobject_class, PROP_FOLLOW,
      g_param_spec_boolean ("follow", "Follow",
          "Follow feedback boxes by their content from the frame they were "
          "named in (frame-time) to every newer frame",
          DEFAULT_FOLLOW, rw));

  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_roi_sink_template);
  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_roi_src_template);
  gst_element_class_set_static_metadata (element_class,
      "artic region-of-interest map", "Filter/Analyzer/Video",
      "Attaches a per-block QP-offset map from MLLM feedback boxes, upstream "
      "regions or local cues",
      "The artic authors");

  trans_class->start = GST_DEBUG_FUNCPTR (gst_artic_roi_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_artic_roi_stop);
  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_artic_roi_set_caps);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_artic_roi_sink_event);
  trans_class->src_event = GST_DEBUG_FUNCPTR (gst_artic_roi_src_event);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_artic_roi_transform_ip);

  gst_type_mark_as_plugin_api (GST_TYPE_ARTIC_ROI_SOURCE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_ARTIC_ROI_CUES, 0);
  GST_DEBUG_CATEGORY_INIT (
      gst_artic_roi_debug, "articroi", 0, "artic region-of-interest map");
}

static void
gst_artic_roi_init (GstArticRoi *self)
{
  artic_qp_params_init (&self->params);
  self->params.block_size = DEFAULT_BLOCK_SIZE;
  self->params.gamma = DEFAULT_GAMMA;
  self->params.base = DEFAULT_BASE;
  self->params.max_delta = DEFAULT_MAX_DELTA;
  self->params.no_box_delta = DEFAULT_NO_BOX_DELTA;
  self->cues = DEFAULT_CUES;
  self->box_timeout = DEFAULT_BOX_TIMEOUT;
  self->predict_ahead = DEFAULT_PREDICT_AHEAD;
  self->enabled = DEFAULT_ENABLED;
  self->follow = DEFAULT_FOLLOW;
  self->source = ARTIC_ROI_SOURCE_UNIFORM;
  g_queue_init (&self->pending);
  gst_video_info_init (&self->info);
  self->analyzer = artic_roi_analyzer_new ();
  self->upstream_boxes = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  self->effective_boxes = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
}

static void
pending_feedback_free (gpointer data)
{
  PendingFeedback *pending = data;

  g_array_unref (pending->boxes);
  g_free (pending);
}

static void
gst_artic_roi_finalize (GObject *object)
{
  GstArticRoi *self = GST_ARTIC_ROI (object);

  g_queue_clear_full (&self->pending, pending_feedback_free);
  g_free (self->boxes_json);
  artic_roi_analyzer_free (self->analyzer);
  g_array_unref (self->upstream_boxes);
  g_array_unref (self->effective_boxes);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* Validates feedback and queues it for the next frame. @frame_time (running
 * time) overrides a "frame-time" member in the JSON. Takes the object lock. */
static gboolean
gst_artic_roi_accept_feedback (
    GstArticRoi *self, const gchar *json, GstClockTime frame_time)
{
  GError *error = NULL;
  PendingFeedback *pending;
  gint64 json_time, capture_time;
  GArray *boxes;

  boxes
      = artic_roi_feedback_parse (json, -1, &json_time, &capture_time, &error);
  if (boxes == NULL) {
    /* The previous boxes stay: a garbled reply must not blank the ROI. */
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("Invalid region-of-interest feedback, keeping the previous boxes"),
        ("%s", error->message));
    g_error_free (error);
    return FALSE;
  }
  if (!GST_CLOCK_TIME_IS_VALID (frame_time) && json_time >= 0)
    frame_time = (GstClockTime) json_time;
  if (GST_CLOCK_TIME_IS_VALID (frame_time))
    GST_DEBUG_OBJECT (self, "feedback with %u boxes for %" GST_TIME_FORMAT,
        boxes->len, GST_TIME_ARGS (frame_time));
  else
    GST_DEBUG_OBJECT (
        self, "feedback with %u boxes for the next frame", boxes->len);

  pending = g_new0 (PendingFeedback, 1);
  pending->boxes = boxes;
  pending->frame_time = frame_time;
  pending->capture_time = capture_time;
  GST_OBJECT_LOCK (self);
  g_queue_push_tail (&self->pending, pending);
  /* A flood while no frame flows (paused, or a hostile channel) must not
   * grow without bound; the track keeps no more updates than this anyway. */
  while (g_queue_get_length (&self->pending) > MAX_PENDING)
    pending_feedback_free (g_queue_pop_head (&self->pending));
  g_free (self->boxes_json);
  self->boxes_json = g_strdup (json);
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static void
gst_artic_roi_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstArticRoi *self = GST_ARTIC_ROI (object);

  if (prop_id == PROP_BOXES) {
    const gchar *json = g_value_get_string (value);

    /* NULL clears like an empty list: "no box". */
    gst_artic_roi_accept_feedback (
        self, json != NULL ? json : "[]", GST_CLOCK_TIME_NONE);
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_BLOCK_SIZE:
      self->params.block_size = g_value_get_uint (value);
      break;
    case PROP_GAMMA:
      self->params.gamma = g_value_get_double (value);
      break;
    case PROP_BASE:
      self->params.base = g_value_get_int (value);
      break;
    case PROP_MAX_DELTA:
      self->params.max_delta = g_value_get_int (value);
      break;
    case PROP_NO_BOX_DELTA:
      self->params.no_box_delta = g_value_get_int (value);
      break;
    case PROP_CUES:
      self->cues = g_value_get_flags (value);
      break;
    case PROP_BOX_TIMEOUT:
      self->box_timeout = g_value_get_uint64 (value);
      break;
    case PROP_PREDICT_AHEAD:
      self->predict_ahead = g_value_get_uint64 (value);
      break;
    case PROP_ENABLED:
      self->enabled = g_value_get_boolean (value);
      break;
    case PROP_FOLLOW:
      self->follow = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_artic_roi_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstArticRoi *self = GST_ARTIC_ROI (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_BOXES:
      g_value_set_string (value, self->boxes_json);
      break;
    case PROP_BLOCK_SIZE:
      g_value_set_uint (value, self->params.block_size);
      break;
    case PROP_GAMMA:
      g_value_set_double (value, self->params.gamma);
      break;
    case PROP_BASE:
      g_value_set_int (value, self->params.base);
      break;
    case PROP_MAX_DELTA:
      g_value_set_int (value, self->params.max_delta);
      break;
    case PROP_NO_BOX_DELTA:
      g_value_set_int (value, self->params.no_box_delta);
      break;
    case PROP_CUES:
      g_value_set_flags (value, self->cues);
      break;
    case PROP_BOX_TIMEOUT:
      g_value_set_uint64 (value, self->box_timeout);
      break;
    case PROP_PREDICT_AHEAD:
      g_value_set_uint64 (value, self->predict_ahead);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* Forgets the analyzer's history (feedback times are running times, which a
 * flush or restart resets) but re-queues the current boxes, so that boxes
 * set before a restart apply after it. */
static void
gst_artic_roi_reset (GstArticRoi *self)
{
  gchar *json;

  artic_roi_analyzer_reset (self->analyzer);
  self->last_time = 0;
  self->n_captures = self->captures_first = 0;
  GST_OBJECT_LOCK (self);
  json = g_strdup (self->boxes_json);
  g_queue_clear_full (&self->pending, pending_feedback_free);
  GST_OBJECT_UNLOCK (self);
  if (json != NULL) {
    GArray *boxes;
    gint64 ignored;

    boxes = artic_roi_feedback_parse (json, -1, &ignored, NULL, NULL);
    if (boxes != NULL) {
      PendingFeedback *pending = g_new0 (PendingFeedback, 1);

      pending->boxes = boxes;
      pending->frame_time = GST_CLOCK_TIME_NONE;
      pending->capture_time = -1;
      GST_OBJECT_LOCK (self);
      g_queue_push_tail (&self->pending, pending);
      GST_OBJECT_UNLOCK (self);
    }
    g_free (json);
  }
}

static gboolean
gst_artic_roi_start (GstBaseTransform *trans)
{
  GstArticRoi *self = GST_ARTIC_ROI (trans);

  artic_roi_analyzer_reset (self->analyzer);
  self->last_time = 0;
  GST_OBJECT_LOCK (self);
  self->source = ARTIC_ROI_SOURCE_UNIFORM;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_artic_roi_stop (GstBaseTransform *trans)
{
  gst_artic_roi_reset (GST_ARTIC_ROI (trans));
  return TRUE;
}

static gboolean
gst_artic_roi_set_caps (
    GstBaseTransform *trans, GstCaps *incaps, GstCaps *outcaps)
{
  GstArticRoi *self = GST_ARTIC_ROI (trans);
  GstVideoInfo info;

  if (!gst_video_info_from_caps (&info, incaps)) {
    GST_ERROR_OBJECT (self, "invalid caps %" GST_PTR_FORMAT, incaps);
    return FALSE;
  }
  if (GST_VIDEO_INFO_WIDTH (&info) > ARTIC_QP_MAP_MAX_DIM
      || GST_VIDEO_INFO_HEIGHT (&info) > ARTIC_QP_MAP_MAX_DIM) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
        ("frame size %dx%d is larger than %d on a side",
            GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info),
            ARTIC_QP_MAP_MAX_DIM));
    return FALSE;
  }
  if (GST_VIDEO_INFO_WIDTH (&info) != GST_VIDEO_INFO_WIDTH (&self->info)
      || GST_VIDEO_INFO_HEIGHT (&info) != GST_VIDEO_INFO_HEIGHT (&self->info))
    GST_INFO_OBJECT (self, "frame size %dx%d: the map follows",
        GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info));
  self->info = info;
  return TRUE;
}

/**
 * gst_artic_roi_boxes_event_new:
 * @json: feedback boxes, in any form the `boxes` property accepts
 * @frame_time: running time of the frame the boxes were computed for, or
 *   %GST_CLOCK_TIME_NONE for "the next frame articroi sees"
 *
 * Creates the custom event (%GST_EVENT_CUSTOM_BOTH, structure
 * `artic-roi-boxes` with `boxes` (string) and optionally `frame-time`
 * (guint64)) that updates articroi's boxes from either direction. The JSON
 * is validated by articroi, not here.
 *
 * Returns: (transfer full): the event, or %NULL if @json is %NULL
 */
GstEvent *
gst_artic_roi_boxes_event_new (const gchar *json, GstClockTime frame_time)
{
  GstStructure *s;

  g_return_val_if_fail (json != NULL, NULL);
  s = gst_structure_new (
      GST_ARTIC_ROI_BOXES_EVENT_NAME, "boxes", G_TYPE_STRING, json, NULL);
  if (GST_CLOCK_TIME_IS_VALID (frame_time))
    gst_structure_set (s, "frame-time", G_TYPE_UINT64, frame_time, NULL);
  return gst_event_new_custom (GST_EVENT_CUSTOM_BOTH, s);
}

/**
 * gst_artic_roi_boxes_event_parse:
 * @event: any event
 * @json: (out) (transfer full) (optional): the boxes' JSON
 * @frame_time: (out) (optional): the frame time, %GST_CLOCK_TIME_NONE when
 *   the event has none
 *
 * Returns: %TRUE if @event is an `artic-roi-boxes` event with a string
 *   `boxes` field and, if present, a guint64 `frame-time`
 */
gboolean
gst_artic_roi_boxes_event_parse (
    GstEvent *event, gchar **json, GstClockTime *frame_time)
{
  const GstStructure *s;
  const gchar *boxes;
  guint64 t = GST_CLOCK_TIME_NONE;

  g_return_val_if_fail (GST_IS_EVENT (event), FALSE);
  if (!GST_EVENT_IS_UPSTREAM (event) && !GST_EVENT_IS_DOWNSTREAM (event))
    return FALSE;
  s = gst_event_get_structure (event);
  if (s == NULL || !gst_structure_has_name (s, GST_ARTIC_ROI_BOXES_EVENT_NAME))
    return FALSE;
  boxes = gst_structure_get_string (s, "boxes");
  if (boxes == NULL)
    return FALSE;
  if (gst_structure_has_field (s, "frame-time")
      && !gst_structure_get_uint64 (s, "frame-time", &t))
    return FALSE;
  if (json != NULL)
    *json = g_strdup (boxes);
  if (frame_time != NULL)
    *frame_time = t;
  return TRUE;
}

/* TRUE if @event was ours (consumed, *ret set), FALSE to pass it on. */
static gboolean
gst_artic_roi_handle_event (GstArticRoi *self, GstEvent *event, gboolean *ret)
{
  const GstStructure *s = gst_event_get_structure (event);
  GstClockTime frame_time;
  gchar *json = NULL;

  if (s == NULL || !gst_structure_has_name (s, GST_ARTIC_ROI_BOXES_EVENT_NAME))
    return FALSE;
  if (!gst_artic_roi_boxes_event_parse (event, &json, &frame_time)) {
    GST_ELEMENT_WARNING (self, STREAM, FORMAT,
        ("Malformed %s event, keeping the previous boxes",
            GST_ARTIC_ROI_BOXES_EVENT_NAME),
        ("%" GST_PTR_FORMAT, s));
    *ret = FALSE;
  } else {
    *ret = gst_artic_roi_accept_feedback (self, json, frame_time);
    g_free (json);
  }
  gst_event_unref (event);
  return TRUE;
}

static gboolean
gst_artic_roi_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstArticRoi *self = GST_ARTIC_ROI (trans);
  gboolean ret;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CUSTOM_DOWNSTREAM:
    case GST_EVENT_CUSTOM_DOWNSTREAM_OOB:
    case GST_EVENT_CUSTOM_BOTH:
    case GST_EVENT_CUSTOM_BOTH_OOB:
      if (gst_artic_roi_handle_event (self, event, &ret))
        return ret;
      break;
    case GST_EVENT_FLUSH_STOP:
      gst_artic_roi_reset (self);
      break;
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static gboolean
gst_artic_roi_src_event (GstBaseTransform *trans, GstEvent *event)
{
  GstArticRoi *self = GST_ARTIC_ROI (trans);
  gboolean ret;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CUSTOM_UPSTREAM:
    case GST_EVENT_CUSTOM_BOTH:
    case GST_EVENT_CUSTOM_BOTH_OOB:
      if (gst_artic_roi_handle_event (self, event, &ret))
        return ret;
      break;
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->src_event (trans, event);
}

/* Remembers which running time the frame captured at @buf's capture time
 * (articstamp's meta) has, for feedback that names its frame by capture
 * time: what a receiver knows of a frame. */
static void
gst_artic_roi_remember_capture (
    GstArticRoi *self, GstBuffer *buf, gint64 running_time)
{
  guint64 capture_ns;
  guint slot;

  if (!artic_capture_time_get (buf, &capture_ns) || capture_ns > G_MAXINT64)
    return;
  slot = (self->captures_first + self->n_captures)
         % GST_ARTIC_ROI_CAPTURE_HISTORY;
  if (self->n_captures == GST_ARTIC_ROI_CAPTURE_HISTORY)
    self->captures_first
        = (self->captures_first + 1) % GST_ARTIC_ROI_CAPTURE_HISTORY;
  else
    self->n_captures++;
  self->captures[slot].capture_time = (gint64) capture_ns;
  self->captures[slot].running_time = running_time;
}

/* The running time of the remembered frame captured nearest
 * @capture_time, within GST_ARTIC_ROI_CAPTURE_MATCH; -1 if none. */
static gint64
gst_artic_roi_running_time_of_capture (GstArticRoi *self, gint64 capture_time)
{
  gint64 best_gap = G_MAXINT64, best = -1;
  guint i;

  for (i = 0; i < self->n_captures; i++) {
    const GstArticRoiCapture *c
        = &self->captures[(self->captures_first + i)
                          % GST_ARTIC_ROI_CAPTURE_HISTORY];
    gint64 gap = ABS (c->capture_time - capture_time);

    if (gap < best_gap) {
      best_gap = gap;
      best = c->running_time;
    }
  }
  return best_gap <= GST_ARTIC_ROI_CAPTURE_MATCH ? best : -1;
}

/* Copies the element's settings into the analyzer and hands it the queued
 * feedback, stamped with @now where it has no frame time. */
static void
gst_artic_roi_sync_analyzer (GstArticRoi *self, gint64 now)
{
  ArticRoiAnalyzer *analyzer = self->analyzer;
  PendingFeedback *pending;
  ArticQpParams params;

  GST_OBJECT_LOCK (self);
  params = self->params;
  artic_roi_analyzer_set_cues (analyzer, self->cues);
  artic_roi_analyzer_set_timeout (analyzer, (gint64) self->box_timeout);
  artic_roi_analyzer_set_horizon (analyzer, (gint64) self->predict_ahead);
  artic_roi_analyzer_set_follow (analyzer, self->follow);
  while ((pending = g_queue_pop_head (&self->pending)) != NULL) {
    gint64 t = GST_CLOCK_TIME_IS_VALID (pending->frame_time)
                   ? (gint64) MIN (pending->frame_time, G_MAXINT64)
                   : now;

    if (!GST_CLOCK_TIME_IS_VALID (pending->frame_time)
        && pending->capture_time >= 0) {
      gint64 running
          = gst_artic_roi_running_time_of_capture (self, pending->capture_time);

      if (running >= 0) {
        t = running;
        pending->frame_time = (GstClockTime) running;
      } else {
        GST_WARNING_OBJECT (self,
            "no recent frame was captured at %" G_GINT64_FORMAT
            " ns (Unix time): the feedback applies from the current frame",
            pending->capture_time);
      }
    }

    /* Boxes predicted for frames not yet seen are normal; a time far
     * ahead would keep them from ever expiring. */
    if (t > now && t - now > MAX_FEEDBACK_AHEAD) {
      GST_WARNING_OBJECT (self,
          "feedback for %" GST_TIME_FORMAT
          " is too far ahead of %" GST_TIME_FORMAT
          ", using the current frame's time",
          GST_TIME_ARGS ((GstClockTime) t), GST_TIME_ARGS ((GstClockTime) now));
      t = now;
    }

    if (!artic_roi_analyzer_add_feedback (analyzer, t,
            (const ArticRoiBox *) pending->boxes->data, pending->boxes->len)
        && GST_CLOCK_TIME_IS_VALID (pending->frame_time))
      GST_WARNING_OBJECT (self,
          "no frame at %" GST_TIME_FORMAT
          " is kept to follow the feedback from; following it from the "
          "newest frame",
          GST_TIME_ARGS ((GstClockTime) t));
    pending_feedback_free (pending);
  }
  GST_OBJECT_UNLOCK (self);
  /* The property ranges keep these valid; a refusal would be a bug. */
  if (!artic_roi_analyzer_set_params (analyzer, &params))
    GST_WARNING_OBJECT (self, "QP map parameters refused");
}

/* Upstream region-of-interest metas as normalized boxes; ours (from an
 * earlier articroi) are dropped, as this element replaces them. */
static gboolean
gst_artic_roi_strip_own_meta (GstBuffer *buf, GstMeta **meta, gpointer data)
{
  GstArticRoi *self = data;

  if ((*meta)->info->api == GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE) {
    GstVideoRegionOfInterestMeta *roi = (GstVideoRegionOfInterestMeta *) *meta;
    gdouble w = GST_VIDEO_INFO_WIDTH (&self->info);
    gdouble h = GST_VIDEO_INFO_HEIGHT (&self->info);
    ArticRoiBox box;

    if (roi->roi_type == g_quark_from_static_string (GST_ARTIC_ROI_META_TYPE)) {
      *meta = NULL;
      return TRUE;
    }
    box.x_min = roi->x * ARTIC_ROI_COORD_MAX / w;
    box.y_min = roi->y * ARTIC_ROI_COORD_MAX / h;
    box.x_max = ((gdouble) roi->x + roi->w) * ARTIC_ROI_COORD_MAX / w;
    box.y_max = ((gdouble) roi->y + roi->h) * ARTIC_ROI_COORD_MAX / h;
    g_array_append_val (self->upstream_boxes, box);
  }
  return TRUE;
}

static void
gst_artic_roi_add_interop_metas (GstArticRoi *self, GstBuffer *buf)
{
  guint width = GST_VIDEO_INFO_WIDTH (&self->info);
  guint height = GST_VIDEO_INFO_HEIGHT (&self->info);
  guint i;

  for (i = 0; i < self->effective_boxes->len; i++) {
    const ArticRoiBox *box
        = &g_array_index (self->effective_boxes, ArticRoiBox, i);
    GstVideoRegionOfInterestMeta *roi;
    ArticRoiRect rect;

    artic_roi_box_to_rect (box, width, height, &rect);
    roi = gst_buffer_add_video_region_of_interest_meta (
        buf, GST_ARTIC_ROI_META_TYPE, rect.x, rect.y, rect.w, rect.h);
    /* Inside a box the rule gives full quality: offset 0. */
    gst_video_region_of_interest_meta_add_param (
        roi, gst_structure_new (
                 GST_ARTIC_ROI_PARAM_NAME, "delta-qp", G_TYPE_INT, 0, NULL));
  }
}

static GstFlowReturn
gst_artic_roi_transform_ip (GstBaseTransform *trans, GstBuffer *buf)
{
  GstArticRoi *self = GST_ARTIC_ROI (trans);
  GstClockTime running_time;
  ArticRoiSource source;
  GstVideoFrame frame;
  ArticQpMap *map;
  gboolean enabled;

  GST_OBJECT_LOCK (self);
  enabled = self->enabled;
  GST_OBJECT_UNLOCK (self);
  if (!enabled)
    return GST_FLOW_OK;

  /* Feedback times are running times; a frame without one keeps the last. */
  running_time = gst_segment_to_running_time (
      &trans->segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buf));
  if (GST_CLOCK_TIME_IS_VALID (running_time))
    self->last_time = (gint64) MIN (running_time, G_MAXINT64);
  gst_artic_roi_remember_capture (self, buf, self->last_time);
  gst_artic_roi_sync_analyzer (self, self->last_time);

  g_array_set_size (self->upstream_boxes, 0);
  gst_buffer_foreach_meta (buf, gst_artic_roi_strip_own_meta, self);

  if (!gst_video_frame_map (&frame, &self->info, buf, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (
        self, STREAM, FAILED, (NULL), ("could not map the video frame"));
    return GST_FLOW_ERROR;
  }
  map = artic_roi_analyzer_process (self->analyzer,
      GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), GST_VIDEO_FRAME_WIDTH (&frame),
      GST_VIDEO_FRAME_HEIGHT (&frame), GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
      self->last_time, (const ArticRoiBox *) self->upstream_boxes->data,
      self->upstream_boxes->len, &source, self->effective_boxes);
  gst_video_frame_unmap (&frame);
  if (map == NULL) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL),
        ("no QP map for a %dx%d frame", GST_VIDEO_INFO_WIDTH (&self->info),
            GST_VIDEO_INFO_HEIGHT (&self->info)));
    return GST_FLOW_ERROR;
  }

  GST_LOG_OBJECT (self,
      "frame %" GST_TIME_FORMAT ": %s, %u boxes, %ux%u blocks",
      GST_TIME_ARGS (running_time), artic_roi_source_name (source),
      self->effective_boxes->len, map->cols, map->rows);
  gst_buffer_add_artic_qp_map_meta (buf, map);
  gst_artic_roi_add_interop_metas (self, buf);

  GST_OBJECT_LOCK (self);
  if (source != self->source)
    GST_DEBUG_OBJECT (self, "source now %s", artic_roi_source_name (source));
  self->source = source;
  GST_OBJECT_UNLOCK (self);
  return GST_FLOW_OK;
}
