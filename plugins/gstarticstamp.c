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
 * SECTION:element-articstamp
 * @title: articstamp
 *
 * Attaches the wall-clock capture time of each frame as a
 * #GstReferenceTimestampMeta (reference `timestamp/x-unix`). Downstream,
 * the `articabscapturetime` RTP header extension carries it to the receiver,
 * which measures capture-to-delivery latency from it.
 *
 * The capture time is derived from the buffer's running time and the pipeline
 * clock, so frames that waited in a queue keep the time they were captured.
 * Without a clock or timestamp, the time the frame passes is used.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 v4l2src ! videoconvert ! articstamp ! vp8enc deadline=1 ! \
 *     rtpvp8pay picture-id-mode=15-bit ! \
 *     'application/x-rtp,extmap-1=http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time' ! \
 *     udpsink host=127.0.0.1 port=5004
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticstamp.h"
#include "artic-capture-time.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_stamp_debug);
#define GST_CAT_DEFAULT gst_artic_stamp_debug

#define DEFAULT_OVERWRITE FALSE

enum
{
  PROP_0,
  PROP_OVERWRITE,
  PROP_STAMPED,
};

static GstStaticPadTemplate gst_artic_stamp_sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("video/x-raw(ANY)"));

static GstStaticPadTemplate gst_artic_stamp_src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("video/x-raw(ANY)"));

#define gst_artic_stamp_parent_class parent_class
G_DEFINE_TYPE (GstArticStamp, gst_artic_stamp, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (
    articstamp, "articstamp", GST_RANK_NONE, GST_TYPE_ARTIC_STAMP);

static void gst_artic_stamp_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void gst_artic_stamp_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static gboolean gst_artic_stamp_start (GstBaseTransform *trans);
static GstFlowReturn gst_artic_stamp_transform_ip (
    GstBaseTransform *trans, GstBuffer *buf);

static void
gst_artic_stamp_class_init (GstArticStampClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  gobject_class->set_property = gst_artic_stamp_set_property;
  gobject_class->get_property = gst_artic_stamp_get_property;

  g_object_class_install_property (gobject_class, PROP_OVERWRITE,
      g_param_spec_boolean ("overwrite", "Overwrite",
          "Replace a capture time that upstream already attached",
          DEFAULT_OVERWRITE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STAMPED,
      g_param_spec_uint64 ("stamped", "Stamped",
          "Number of frames stamped since the element started", 0, G_MAXUINT64,
          0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_stamp_sink_template);
  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_stamp_src_template);
  gst_element_class_set_static_metadata (element_class,
      "artic capture time stamper", "Filter/Video",
      "Attaches the wall-clock capture time to each video frame",
      "The artic authors");

  trans_class->start = GST_DEBUG_FUNCPTR (gst_artic_stamp_start);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_artic_stamp_transform_ip);

  GST_DEBUG_CATEGORY_INIT (
      gst_artic_stamp_debug, "articstamp", 0, "artic capture time stamper");
}

static void
gst_artic_stamp_init (GstArticStamp *self)
{
  self->overwrite = DEFAULT_OVERWRITE;
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
}

static void
gst_artic_stamp_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstArticStamp *self = GST_ARTIC_STAMP (object);

  switch (prop_id) {
    case PROP_OVERWRITE:
      GST_OBJECT_LOCK (self);
      self->overwrite = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_artic_stamp_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstArticStamp *self = GST_ARTIC_STAMP (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_OVERWRITE:
      g_value_set_boolean (value, self->overwrite);
      break;
    case PROP_STAMPED:
      g_value_set_uint64 (value, self->stamped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static gboolean
gst_artic_stamp_start (GstBaseTransform *trans)
{
  GstArticStamp *self = GST_ARTIC_STAMP (trans);

  GST_OBJECT_LOCK (self);
  self->stamped = 0;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* How long ago, on the pipeline clock, the frame at @pts was due; 0 when
 * that cannot be known. */
static GstClockTimeDiff
gst_artic_stamp_age (GstArticStamp *self, GstClockTime pts)
{
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (self));
  GstClockTime running_time, now, base_time;
  GstClockTimeDiff age = 0;

  if (clock == NULL)
    return 0;
  running_time
      = gst_segment_to_running_time (&trans->segment, GST_FORMAT_TIME, pts);
  base_time = gst_element_get_base_time (GST_ELEMENT (self));
  now = gst_clock_get_time (clock);
  if (GST_CLOCK_TIME_IS_VALID (running_time) && now >= base_time)
    age = GST_CLOCK_DIFF (running_time, now - base_time);
  gst_object_unref (clock);
  /* A frame from the future (a source running ahead of the clock) was
   * captured no later than now. */
  return MAX (age, 0);
}

static GstFlowReturn
gst_artic_stamp_transform_ip (GstBaseTransform *trans, GstBuffer *buf)
{
  GstArticStamp *self = GST_ARTIC_STAMP (trans);
  guint64 existing, capture_ns;
  gboolean overwrite;

  GST_OBJECT_LOCK (self);
  overwrite = self->overwrite;
  GST_OBJECT_UNLOCK (self);

  if (!overwrite && artic_capture_time_get (buf, &existing))
    return GST_FLOW_OK;

  capture_ns = (guint64) g_get_real_time () * GST_USECOND;
  if (GST_BUFFER_PTS_IS_VALID (buf))
    capture_ns -= gst_artic_stamp_age (self, GST_BUFFER_PTS (buf));
  artic_capture_time_set (buf, capture_ns);

  GST_OBJECT_LOCK (self);
  self->stamped++;
  GST_OBJECT_UNLOCK (self);
  GST_LOG_OBJECT (self,
      "frame %" GST_TIME_FORMAT " captured at %" G_GUINT64_FORMAT " ns",
      GST_TIME_ARGS (GST_BUFFER_PTS (buf)), capture_ns);
  return GST_FLOW_OK;
}
