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
 * SECTION:element-articconceal
 * @title: articconceal
 *
 * Hands the model a correct frame at every sampling instant, whatever the
 * network did. At each instant of a fixed running-time grid (`rate` per
 * second) it pushes the newest frame that was decoded from an intact
 * reference chain; a frame decoded from a broken chain (its own packets or
 * a frame it references were lost) is never handed on. When no new good frame
 * arrived since the last instant, the last good one goes out again, marked
 * `repeated` with its age in a #GstArticConcealMeta; it never waits for a
 * late frame. The cadence comes from the pipeline clock (a task on the source
 * pad, like a live source), so it holds through an outage.
 *
 * The verdicts come from a #GstArticFrameStatusMeta that
 * gst_artic_frame_status_watch() attaches on the depayloader; frames without
 * it are taken as good. On a broken frame it sends a GstForceKeyUnit event
 * upstream (at most one per second while the chain stays broken), for the
 * transport to carry to the sender; `stats` counts them.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc is-live=true num-buffers=100 ! \
 *     articconceal rate=2 ! jpegenc ! multifilesink location=frame-%05d.jpg
 * ]|
 * (artic-recv --conceal builds the real chain: udpsrc ! rtpjitterbuffer !
 * rtpvp8depay ! vp8dec ! videoconvert ! articconceal ! jpegenc.)
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticconceal.h"

#include <gst/video/video.h>

#include "artic-sampler.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_conceal_debug);
#define GST_CAT_DEFAULT gst_artic_conceal_debug

#define DEFAULT_RATE ARTIC_SAMPLER_DEFAULT_RATE
#define DEFAULT_MAX_AGE GST_SECOND
/* While the chain stays broken, ask again this often: the first request or
 * the key frame it asked for may be lost too. */
#define DEFAULT_REQUEST_INTERVAL GST_SECOND

enum
{
  PROP_0,
  PROP_RATE,
  PROP_MAX_AGE,
  PROP_STATS,
  PROP_REQUEST_INTERVAL,
};

static GstStaticPadTemplate gst_artic_conceal_sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("video/x-raw(ANY)"));

static GstStaticPadTemplate gst_artic_conceal_src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("video/x-raw(ANY)"));

#define gst_artic_conceal_parent_class parent_class
G_DEFINE_TYPE (GstArticConceal, gst_artic_conceal, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (
    articconceal, "articconceal", GST_RANK_NONE, GST_TYPE_ARTIC_CONCEAL);

static void gst_artic_conceal_finalize (GObject *object);
static void gst_artic_conceal_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void gst_artic_conceal_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static GstStateChangeReturn gst_artic_conceal_change_state (
    GstElement *element, GstStateChange transition);
static GstFlowReturn gst_artic_conceal_chain (
    GstPad *pad, GstObject *parent, GstBuffer *buffer);
static gboolean gst_artic_conceal_sink_event (
    GstPad *pad, GstObject *parent, GstEvent *event);
static void gst_artic_conceal_loop (gpointer user_data);

static void
gst_artic_conceal_class_init (GstArticConcealClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_artic_conceal_finalize;
  gobject_class->set_property = gst_artic_conceal_set_property;
  gobject_class->get_property = gst_artic_conceal_get_property;

  g_object_class_install_property (gobject_class, PROP_RATE,
      g_param_spec_double ("rate", "Rate",
          "Sampling instants per second (frames handed to the model)",
          ARTIC_SAMPLER_MIN_RATE, ARTIC_SAMPLER_MAX_RATE, DEFAULT_RATE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_MAX_AGE,
      g_param_spec_uint64 ("max-age", "Maximum age",
          "Frames older than this (ns) are still handed on but flagged stale",
          0, G_MAXUINT64, DEFAULT_MAX_AGE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_REQUEST_INTERVAL,
      g_param_spec_uint64 ("request-interval", "Request interval",
          "While the chain stays broken, ask upstream for a key frame again "
          "after this long (ns); a sender with reference control answers "
          "with a recovery frame, so about a round trip is enough",
          GST_MSECOND, 60 * GST_SECOND, DEFAULT_REQUEST_INTERVAL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "good, broken (frames received), fresh, repeated, stale, unserved "
          "(instants after the first frame without a good one), "
          "keyframe-requests",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_conceal_sink_template);
  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_conceal_src_template);
  gst_element_class_set_static_metadata (element_class,
      "artic loss concealment", "Filter/Video",
      "Hands on the newest correctly decoded frame at every sampling instant, "
      "repeating the last good one through losses",
      "The artic authors");

  element_class->change_state
      = GST_DEBUG_FUNCPTR (gst_artic_conceal_change_state);

  GST_DEBUG_CATEGORY_INIT (
      gst_artic_conceal_debug, "articconceal", 0, "artic loss concealment");
}

static void
gst_artic_conceal_reset (GstArticConceal *self)
{
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  gst_clear_buffer (&self->good);
  gst_clear_caps (&self->good_caps);
  gst_clear_caps (&self->src_caps);
  artic_conceal_selector_reset (&self->selector);
  self->serial = 0;
  self->grid_started = FALSE;
  self->need_segment = TRUE;
  self->eos = FALSE;
  self->chain_ok = TRUE;
  self->last_request = GST_CLOCK_TIME_NONE;
}

static void
gst_artic_conceal_init (GstArticConceal *self)
{
  self->sinkpad = gst_pad_new_from_static_template (
      &gst_artic_conceal_sink_template, "sink");
  gst_pad_set_chain_function (
      self->sinkpad, GST_DEBUG_FUNCPTR (gst_artic_conceal_chain));
  gst_pad_set_event_function (
      self->sinkpad, GST_DEBUG_FUNCPTR (gst_artic_conceal_sink_event));
  GST_PAD_SET_PROXY_CAPS (self->sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (
      &gst_artic_conceal_src_template, "src");
  GST_PAD_SET_PROXY_CAPS (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->rate = DEFAULT_RATE;
  self->max_age = DEFAULT_MAX_AGE;
  self->request_interval = DEFAULT_REQUEST_INTERVAL;
  gst_artic_conceal_reset (self);
}

static void
gst_artic_conceal_finalize (GObject *object)
{
  GstArticConceal *self = GST_ARTIC_CONCEAL (object);

  gst_clear_buffer (&self->good);
  gst_clear_caps (&self->good_caps);
  gst_clear_caps (&self->src_caps);
  gst_clear_caps (&self->caps);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* Wakes the task from its clock wait; call with the object lock. */
static void
gst_artic_conceal_unschedule (GstArticConceal *self)
{
  if (self->clock_id != NULL)
    gst_clock_id_unschedule (self->clock_id);
}

static void
gst_artic_conceal_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstArticConceal *self = GST_ARTIC_CONCEAL (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_RATE:
      self->rate = g_value_get_double (value);
      /* A new grid from the next instant on. */
      self->grid_started = FALSE;
      gst_artic_conceal_unschedule (self);
      break;
    case PROP_MAX_AGE:
      self->max_age = g_value_get_uint64 (value);
      break;
    case PROP_REQUEST_INTERVAL:
      self->request_interval = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_artic_conceal_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstArticConceal *self = GST_ARTIC_CONCEAL (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_MAX_AGE:
      g_value_set_uint64 (value, self->max_age);
      break;
    case PROP_REQUEST_INTERVAL:
      g_value_set_uint64 (value, self->request_interval);
      break;
    case PROP_STATS:
      g_value_take_boxed (value,
          gst_structure_new ("artic-conceal-stats", "good", G_TYPE_UINT64,
              self->good_frames, "broken", G_TYPE_UINT64, self->broken_frames,
              "fresh", G_TYPE_UINT64, self->fresh, "repeated", G_TYPE_UINT64,
              self->repeated, "stale", G_TYPE_UINT64, self->stale, "unserved",
              G_TYPE_UINT64, self->unserved, "keyframe-requests", G_TYPE_UINT64,
              self->keyframe_requests, NULL));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_artic_conceal_start_task (GstArticConceal *self)
{
  GST_OBJECT_LOCK (self);
  self->running = TRUE;
  /* The base time changes on every PLAYING: start the grid anew. */
  self->grid_started = FALSE;
  GST_OBJECT_UNLOCK (self);
  gst_pad_start_task (self->srcpad, gst_artic_conceal_loop, self, NULL);
}

/* Tells the task to stop at its next check and wakes it from its clock
 * wait. It does not wait for the task: that takes the stream lock, which
 * the task holds while a push is blocked downstream (a sink prerolling
 * after PLAYING -> PAUSED); the task pauses itself instead. */
static void
gst_artic_conceal_halt_task (GstArticConceal *self)
{
  GST_OBJECT_LOCK (self);
  self->running = FALSE;
  gst_artic_conceal_unschedule (self);
  GST_OBJECT_UNLOCK (self);
}

static GstStateChangeReturn
gst_artic_conceal_change_state (GstElement *element, GstStateChange transition)
{
  GstArticConceal *self = GST_ARTIC_CONCEAL (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      GST_OBJECT_LOCK (self);
      gst_artic_conceal_reset (self);
      self->good_frames = self->broken_frames = 0;
      self->fresh = self->repeated = self->stale = self->unserved = 0;
      self->keyframe_requests = 0;
      GST_OBJECT_UNLOCK (self);
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      gst_artic_conceal_halt_task (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      gst_artic_conceal_start_task (self);
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      /* Output is driven by the clock: nothing to preroll, like a live
       * source. */
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* The pads are inactive now: a blocked push has returned. */
      gst_pad_stop_task (self->srcpad);
      GST_OBJECT_LOCK (self);
      gst_artic_conceal_reset (self);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      break;
  }
  return ret;
}

static GstFlowReturn
gst_artic_conceal_chain (GstPad *pad, GstObject *parent, GstBuffer *buffer)
{
  GstArticConceal *self = GST_ARTIC_CONCEAL (parent);
  GstArticFrameStatusMeta *meta
      = gst_buffer_get_artic_frame_status_meta (buffer);
  gboolean intact = meta == NULL || meta->chain_intact;
  gboolean request = FALSE;
  GstFlowReturn ret = GST_FLOW_OK;
  GstClockTime running_time;
  guint requests = 0;

  GST_OBJECT_LOCK (self);
  running_time = gst_segment_to_running_time (
      &self->segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));
  if (self->eos) {
    ret = GST_FLOW_EOS;
  } else if (intact) {
    self->good_frames++;
    gst_buffer_replace (&self->good, buffer);
    gst_caps_replace (&self->good_caps, self->caps);
    self->good_picture_id
        = meta != NULL && meta->has_picture_id ? meta->picture_id : G_MAXUINT;
    artic_conceal_selector_offer (&self->selector, ++self->serial,
        GST_CLOCK_TIME_IS_VALID (running_time) ? running_time : 0);
    self->chain_ok = TRUE;
  } else {
    self->broken_frames++;
    request
        = self->chain_ok || !GST_CLOCK_TIME_IS_VALID (self->last_request)
          || (GST_CLOCK_TIME_IS_VALID (running_time)
              && running_time >= self->last_request + self->request_interval);
    self->chain_ok = FALSE;
    if (request) {
      self->last_request = running_time;
      requests = ++self->keyframe_requests;
    }
  }
  GST_OBJECT_UNLOCK (self);

  GST_LOG_OBJECT (self, "frame at %" GST_TIME_FORMAT ": %s",
      GST_TIME_ARGS (running_time), intact ? "good" : "broken chain");
  gst_buffer_unref (buffer);
  if (request) {
    GST_DEBUG_OBJECT (self, "chain broken: key frame request %u", requests);
    gst_pad_push_event (
        self->sinkpad, gst_video_event_new_upstream_force_key_unit (
                           GST_CLOCK_TIME_NONE, TRUE, requests));
  }
  return ret;
}

static gboolean
gst_artic_conceal_sink_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  GstArticConceal *self = GST_ARTIC_CONCEAL (parent);
  gboolean running;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS: {
      GstCaps *caps;

      gst_event_parse_caps (event, &caps);
      GST_OBJECT_LOCK (self);
      gst_caps_replace (&self->caps, caps);
      GST_OBJECT_UNLOCK (self);
      /* Pushed with the first frame of these caps, from the task. */
      gst_event_unref (event);
      return TRUE;
    }
    case GST_EVENT_SEGMENT: {
      const GstSegment *segment;

      gst_event_parse_segment (event, &segment);
      if (segment->format != GST_FORMAT_TIME) {
        GST_ELEMENT_ERROR (self, STREAM, FORMAT, (NULL),
            ("need a TIME segment, got %s",
                gst_format_get_name (segment->format)));
        gst_event_unref (event);
        return FALSE;
      }
      GST_OBJECT_LOCK (self);
      gst_segment_copy_into (segment, &self->segment);
      GST_OBJECT_UNLOCK (self);
      /* The output has its own segment: buffers carry instants. */
      gst_event_unref (event);
      return TRUE;
    }
    case GST_EVENT_EOS:
      GST_OBJECT_LOCK (self);
      self->eos = TRUE;
      running = self->running;
      gst_artic_conceal_unschedule (self);
      GST_OBJECT_UNLOCK (self);
      /* The task hands it on after the instant it is waiting for. */
      if (running) {
        gst_event_unref (event);
        return TRUE;
      }
      return gst_pad_push_event (self->srcpad, event);
    case GST_EVENT_FLUSH_START: {
      gboolean ret;

      gst_artic_conceal_halt_task (self);
      /* Downstream first: it unblocks a push the task may be stuck in. */
      ret = gst_pad_push_event (self->srcpad, event);
      gst_pad_pause_task (self->srcpad);
      return ret;
    }
    case GST_EVENT_FLUSH_STOP:
      GST_OBJECT_LOCK (self);
      gst_artic_conceal_reset (self);
      running = GST_STATE (self) == GST_STATE_PLAYING;
      GST_OBJECT_UNLOCK (self);
      if (!gst_pad_push_event (self->srcpad, event))
        return FALSE;
      if (running)
        gst_artic_conceal_start_task (self);
      return TRUE;
    default:
      return gst_pad_event_default (pad, parent, event);
  }
}

/* Takes what to push at this instant; call with the object lock. */
static GstBuffer *
gst_artic_conceal_take_output (
    GstArticConceal *self, GstClockTime instant, GstCaps **caps)
{
  GstArticConcealMeta *meta;
  ArticConcealAction action;
  guint64 age = 0;
  gboolean stale = FALSE;
  GstBuffer *out;

  action = artic_conceal_selector_pick (
      &self->selector, instant, self->max_age, &age, &stale);
  if (action == ARTIC_CONCEAL_NOTHING) {
    /* Only once the stream has started: waiting for a sender is not a
     * failure to serve. */
    if (self->broken_frames > 0)
      self->unserved++;
    return NULL;
  }
  if (action == ARTIC_CONCEAL_FRESH)
    self->fresh++;
  else
    self->repeated++;
  if (stale)
    self->stale++;

  /* A shallow copy: the picture is shared, the timestamps and meta are this
   * instant's. */
  out = gst_buffer_copy (self->good);
  GST_BUFFER_PTS (out) = instant;
  GST_BUFFER_DTS (out) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (out) = artic_conceal_instant (self->rate, 1);
  GST_BUFFER_FLAG_UNSET (out, GST_BUFFER_FLAG_DISCONT);
  meta = gst_buffer_add_artic_conceal_meta (out);
  meta->repeated = action == ARTIC_CONCEAL_REPEAT;
  meta->stale = stale;
  meta->age = age;
  meta->frame_running_time = self->selector.good_time;
  meta->picture_id = self->good_picture_id;
  *caps = self->good_caps != NULL ? gst_caps_ref (self->good_caps) : NULL;
  return out;
}

/* Pushes the caps and segment the frame needs, then the frame. */
static GstFlowReturn
gst_artic_conceal_push (GstArticConceal *self, GstBuffer *out, GstCaps *caps)
{
  gboolean new_caps, need_segment;

  GST_OBJECT_LOCK (self);
  new_caps = caps != NULL
             && (self->src_caps == NULL
                 || !gst_caps_is_equal (caps, self->src_caps));
  if (new_caps)
    gst_caps_replace (&self->src_caps, caps);
  need_segment = self->need_segment;
  self->need_segment = FALSE;
  GST_OBJECT_UNLOCK (self);

  if (new_caps)
    gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
  if (need_segment) {
    GstSegment segment;

    gst_segment_init (&segment, GST_FORMAT_TIME);
    gst_pad_push_event (self->srcpad, gst_event_new_segment (&segment));
  }
  return gst_pad_push (self->srcpad, out);
}

static void
gst_artic_conceal_loop (gpointer user_data)
{
  GstArticConceal *self = user_data;
  GstClockTime base, instant, now;
  GstClock *clock;
  GstClockID id;
  GstClockReturn wait;
  GstBuffer *out;
  GstCaps *caps = NULL;
  GstFlowReturn ret;

  GST_OBJECT_LOCK (self);
  if (!self->running)
    goto pause;
  if (self->eos)
    goto eos;
  clock = GST_ELEMENT_CLOCK (self);
  if (clock == NULL) {
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_ERROR (self, CORE, CLOCK, (NULL),
        ("articconceal needs a clock to pace its output"));
    gst_pad_pause_task (self->srcpad);
    return;
  }
  gst_object_ref (clock);
  base = GST_ELEMENT_CAST (self)->base_time;
  if (!self->grid_started) {
    now = gst_clock_get_time (clock);
    self->next_index
        = artic_conceal_next_index (self->rate, now > base ? now - base : 0);
    self->grid_started = TRUE;
  }
  instant = artic_conceal_instant (self->rate, self->next_index);
  id = gst_clock_new_single_shot_id (clock, base + instant);
  self->clock_id = id;
  GST_OBJECT_UNLOCK (self);

  wait = gst_clock_id_wait (id, NULL);

  GST_OBJECT_LOCK (self);
  self->clock_id = NULL;
  gst_clock_id_unref (id);
  if (!self->running) {
    gst_object_unref (clock);
    goto pause;
  }
  if (self->eos) {
    gst_object_unref (clock);
    goto eos;
  }
  if (wait == GST_CLOCK_UNSCHEDULED || !self->grid_started) {
    /* A rate change: wait for the new grid's instant. */
    GST_OBJECT_UNLOCK (self);
    gst_object_unref (clock);
    return;
  }
  self->next_index++;
  /* Fell behind (a stalled downstream): skip the instants already past
   * rather than bursting them out. */
  now = gst_clock_get_time (clock);
  now = now > base ? now - base : 0;
  if (artic_conceal_instant (self->rate, self->next_index) < now)
    self->next_index = artic_conceal_next_index (self->rate, now);
  gst_object_unref (clock);
  out = gst_artic_conceal_take_output (self, instant, &caps);
  GST_OBJECT_UNLOCK (self);

  if (out == NULL) {
    GST_LOG_OBJECT (self, "instant %" GST_TIME_FORMAT ": no good frame yet",
        GST_TIME_ARGS (instant));
    return;
  }
  ret = gst_artic_conceal_push (self, out, caps);
  gst_clear_caps (&caps);
  if (ret == GST_FLOW_OK)
    return;
  GST_DEBUG_OBJECT (self, "pausing: %s", gst_flow_get_name (ret));
  if (ret == GST_FLOW_EOS || ret < GST_FLOW_EOS) {
    if (ret != GST_FLOW_EOS)
      GST_ELEMENT_FLOW_ERROR (self, ret);
    gst_pad_push_event (self->srcpad, gst_event_new_eos ());
  }
  gst_pad_pause_task (self->srcpad);
  return;

pause:
  GST_OBJECT_UNLOCK (self);
  gst_pad_pause_task (self->srcpad);
  return;

eos:
  self->running = FALSE;
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "end of stream");
  gst_pad_push_event (self->srcpad, gst_event_new_eos ());
  gst_pad_pause_task (self->srcpad);
}
