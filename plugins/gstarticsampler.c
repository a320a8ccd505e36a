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
 * SECTION:element-articsampler
 * @title: articsampler
 *
 * Hands on frames at the rate a multimodal model consumes them (2 per second
 * by default) and drops the rest. Sampling instants lie on a fixed grid of
 * running time; the first frame at or after each instant is passed on, so the
 * model always gets the freshest frame available at that instant.
 *
 * The rate can be changed while playing; the frame rate in the caps is left
 * as it is, since the output is a sparse stream of the same frames.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=300 ! articsampler rate=2 ! \
 *     jpegenc ! multifilesink location=frame-%05d.jpg
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticsampler.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_sampler_debug);
#define GST_CAT_DEFAULT gst_artic_sampler_debug

#define DEFAULT_RATE ARTIC_SAMPLER_DEFAULT_RATE

enum
{
  PROP_0,
  PROP_RATE,
  PROP_SAMPLED,
  PROP_DROPPED,
};

static GstStaticPadTemplate gst_artic_sampler_sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("video/x-raw(ANY)"));

static GstStaticPadTemplate gst_artic_sampler_src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("video/x-raw(ANY)"));

#define gst_artic_sampler_parent_class parent_class
G_DEFINE_TYPE (GstArticSampler, gst_artic_sampler, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (
    articsampler, "articsampler", GST_RANK_NONE, GST_TYPE_ARTIC_SAMPLER);

static void gst_artic_sampler_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void gst_artic_sampler_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static gboolean gst_artic_sampler_start (GstBaseTransform *trans);
static gboolean gst_artic_sampler_sink_event (
    GstBaseTransform *trans, GstEvent *event);
static GstFlowReturn gst_artic_sampler_transform_ip (
    GstBaseTransform *trans, GstBuffer *buf);

static void
gst_artic_sampler_class_init (GstArticSamplerClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  gobject_class->set_property = gst_artic_sampler_set_property;
  gobject_class->get_property = gst_artic_sampler_get_property;

  g_object_class_install_property (gobject_class, PROP_RATE,
      g_param_spec_double ("rate", "Rate", "Sampling rate in frames per second",
          ARTIC_SAMPLER_MIN_RATE, ARTIC_SAMPLER_MAX_RATE, DEFAULT_RATE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_SAMPLED,
      g_param_spec_uint64 ("sampled", "Sampled",
          "Number of frames handed on since the element started", 0,
          G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_DROPPED,
      g_param_spec_uint64 ("dropped", "Dropped",
          "Number of frames dropped between sampling instants", 0, G_MAXUINT64,
          0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_sampler_sink_template);
  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_sampler_src_template);
  gst_element_class_set_static_metadata (element_class,
      "artic model-rate frame sampler", "Filter/Video",
      "Passes on frames at the rate a multimodal model samples video",
      "The artic authors");

  trans_class->start = GST_DEBUG_FUNCPTR (gst_artic_sampler_start);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_artic_sampler_sink_event);
  trans_class->transform_ip
      = GST_DEBUG_FUNCPTR (gst_artic_sampler_transform_ip);

  GST_DEBUG_CATEGORY_INIT (gst_artic_sampler_debug, "articsampler", 0,
      "artic model-rate frame sampler");
}

static void
gst_artic_sampler_init (GstArticSampler *self)
{
  self->rate = DEFAULT_RATE;
  artic_sampler_init (&self->sampler, self->rate);
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), TRUE);
}

static void
gst_artic_sampler_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstArticSampler *self = GST_ARTIC_SAMPLER (object);

  switch (prop_id) {
    case PROP_RATE:
      GST_OBJECT_LOCK (self);
      self->rate = g_value_get_double (value);
      artic_sampler_set_rate (&self->sampler, self->rate);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_artic_sampler_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstArticSampler *self = GST_ARTIC_SAMPLER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_SAMPLED:
      g_value_set_uint64 (value, self->sampled);
      break;
    case PROP_DROPPED:
      g_value_set_uint64 (value, self->dropped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static gboolean
gst_artic_sampler_start (GstBaseTransform *trans)
{
  GstArticSampler *self = GST_ARTIC_SAMPLER (trans);

  GST_OBJECT_LOCK (self);
  artic_sampler_reset (&self->sampler);
  self->sampled = 0;
  self->dropped = 0;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_artic_sampler_sink_event (GstBaseTransform *trans, GstEvent *event)
{
  GstArticSampler *self = GST_ARTIC_SAMPLER (trans);

  /* After a flush the next frame opens a new sampling grid. */
  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
    GST_OBJECT_LOCK (self);
    artic_sampler_reset (&self->sampler);
    GST_OBJECT_UNLOCK (self);
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static GstFlowReturn
gst_artic_sampler_transform_ip (GstBaseTransform *trans, GstBuffer *buf)
{
  GstArticSampler *self = GST_ARTIC_SAMPLER (trans);
  GstClockTime running_time = gst_segment_to_running_time (
      &trans->segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buf));
  gboolean take;

  GST_OBJECT_LOCK (self);
  take = artic_sampler_take (&self->sampler, running_time);
  if (take)
    self->sampled++;
  else
    self->dropped++;
  GST_OBJECT_UNLOCK (self);

  GST_LOG_OBJECT (self, "frame at running time %" GST_TIME_FORMAT ": %s",
      GST_TIME_ARGS (running_time), take ? "sampled" : "dropped");
  return take ? GST_FLOW_OK : GST_BASE_TRANSFORM_FLOW_DROPPED;
}
