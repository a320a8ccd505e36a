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
 * SECTION:element-articrtcpdemux
 * @title: articrtcpdemux
 *
 * Splits one stream of datagrams that carries RTP and RTCP multiplexed on
 * one transport (RFC 5761) into an RTP and an RTCP stream, so that
 * `rtpsession`/`rtpbin`, which take them on separate pads, can sit behind a
 * single UDP socket (or behind any element that hands on the muxed packets
 * of one 5-tuple). A packet whose first byte says RTP version 2 and whose
 * second byte (RTCP packet type, or RTP marker bit + payload type) lies in
 * 192..223 is RTCP (RFC 5761 section 4); any other version-2 packet of at
 * least 12 bytes is RTP; everything else (too short, another version) is
 * dropped and counted, never handed on.
 *
 * Upstream caps of type application/x-rtp are handed on at `rtp_src`;
 * `rtcp_src` always has application/x-rtcp.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 udpsrc port=5004 ! articrtcpdemux name=d \
 *     d.rtp_src ! "application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,payload=96" ! \
 *     rtpsession name=s ! rtpjitterbuffer ! rtpvp8depay ! vp8dec ! autovideosink \
 *     d.rtcp_src ! s.recv_rtcp_sink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticrtcpdemux.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_rtcp_demux_debug);
#define GST_CAT_DEFAULT gst_artic_rtcp_demux_debug

/* RTP fixed header; RTCP common header + SSRC is 8 bytes. */
#define RTP_MIN_SIZE 12
#define RTCP_MIN_SIZE 8

enum
{
  PROP_0,
  PROP_RTP_PACKETS,
  PROP_RTCP_PACKETS,
  PROP_DROPPED,
};

static GstStaticPadTemplate gst_artic_rtcp_demux_sink_template
    = GST_STATIC_PAD_TEMPLATE (
        "sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

static GstStaticPadTemplate gst_artic_rtcp_demux_rtp_src_template
    = GST_STATIC_PAD_TEMPLATE ("rtp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("application/x-rtp"));

static GstStaticPadTemplate gst_artic_rtcp_demux_rtcp_src_template
    = GST_STATIC_PAD_TEMPLATE ("rtcp_src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("application/x-rtcp"));

#define gst_artic_rtcp_demux_parent_class parent_class
G_DEFINE_TYPE (GstArticRtcpDemux, gst_artic_rtcp_demux, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (
    articrtcpdemux, "articrtcpdemux", GST_RANK_NONE, GST_TYPE_ARTIC_RTCP_DEMUX);

static void gst_artic_rtcp_demux_finalize (GObject *object);
static void gst_artic_rtcp_demux_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static GstFlowReturn gst_artic_rtcp_demux_chain (
    GstPad *pad, GstObject *parent, GstBuffer *buffer);
static gboolean gst_artic_rtcp_demux_sink_event (
    GstPad *pad, GstObject *parent, GstEvent *event);
static GstStateChangeReturn gst_artic_rtcp_demux_change_state (
    GstElement *element, GstStateChange transition);

static void
gst_artic_rtcp_demux_class_init (GstArticRtcpDemuxClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_artic_rtcp_demux_finalize;
  gobject_class->get_property = gst_artic_rtcp_demux_get_property;

  g_object_class_install_property (gobject_class, PROP_RTP_PACKETS,
      g_param_spec_uint64 ("rtp-packets", "RTP packets",
          "RTP packets handed on at rtp_src", 0, G_MAXUINT64, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_RTCP_PACKETS,
      g_param_spec_uint64 ("rtcp-packets", "RTCP packets",
          "RTCP compound packets handed on at rtcp_src", 0, G_MAXUINT64, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_DROPPED,
      g_param_spec_uint64 ("dropped", "Dropped",
          "Datagrams that are neither RTP nor RTCP", 0, G_MAXUINT64, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_rtcp_demux_sink_template);
  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_rtcp_demux_rtp_src_template);
  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_rtcp_demux_rtcp_src_template);
  gst_element_class_set_static_metadata (element_class,
      "artic RTP/RTCP demultiplexer", "Codec/Demuxer/Network/RTP",
      "Splits RTP and RTCP multiplexed on one transport (RFC 5761)",
      "The artic authors");

  element_class->change_state
      = GST_DEBUG_FUNCPTR (gst_artic_rtcp_demux_change_state);

  GST_DEBUG_CATEGORY_INIT (gst_artic_rtcp_demux_debug, "articrtcpdemux", 0,
      "artic RTP/RTCP demultiplexer");
}

static void
gst_artic_rtcp_demux_init (GstArticRtcpDemux *self)
{
  self->sinkpad = gst_pad_new_from_static_template (
      &gst_artic_rtcp_demux_sink_template, "sink");
  gst_pad_set_chain_function (
      self->sinkpad, GST_DEBUG_FUNCPTR (gst_artic_rtcp_demux_chain));
  gst_pad_set_event_function (
      self->sinkpad, GST_DEBUG_FUNCPTR (gst_artic_rtcp_demux_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->rtp_srcpad = gst_pad_new_from_static_template (
      &gst_artic_rtcp_demux_rtp_src_template, "rtp_src");
  gst_pad_use_fixed_caps (self->rtp_srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->rtp_srcpad);

  self->rtcp_srcpad = gst_pad_new_from_static_template (
      &gst_artic_rtcp_demux_rtcp_src_template, "rtcp_src");
  gst_pad_use_fixed_caps (self->rtcp_srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->rtcp_srcpad);

  self->flow_combiner = gst_flow_combiner_new ();
  gst_flow_combiner_add_pad (self->flow_combiner, self->rtp_srcpad);
  gst_flow_combiner_add_pad (self->flow_combiner, self->rtcp_srcpad);
}

static void
gst_artic_rtcp_demux_finalize (GObject *object)
{
  GstArticRtcpDemux *self = GST_ARTIC_RTCP_DEMUX (object);

  gst_flow_combiner_free (self->flow_combiner);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_artic_rtcp_demux_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstArticRtcpDemux *self = GST_ARTIC_RTCP_DEMUX (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_RTP_PACKETS:
      g_value_set_uint64 (value, self->rtp_packets);
      break;
    case PROP_RTCP_PACKETS:
      g_value_set_uint64 (value, self->rtcp_packets);
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

/* The RFC 5761 rule: the byte after the first is the RTCP packet type
 * (200 SR, 201 RR, 205/206 feedback, ...) or the RTP marker bit and payload
 * type; payload types 64-95 are not used for RTP, so 192..223 is RTCP. */
static GstPad *
gst_artic_rtcp_demux_classify (GstArticRtcpDemux *self, GstBuffer *buffer)
{
  guint8 head[2];
  gsize size = gst_buffer_get_size (buffer);

  if (gst_buffer_extract (buffer, 0, head, 2) != 2 || (head[0] >> 6) != 2)
    return NULL;
  if (head[1] >= 192 && head[1] <= 223)
    return size >= RTCP_MIN_SIZE ? self->rtcp_srcpad : NULL;
  return size >= RTP_MIN_SIZE ? self->rtp_srcpad : NULL;
}

static GstFlowReturn
gst_artic_rtcp_demux_chain (GstPad *pad, GstObject *parent, GstBuffer *buffer)
{
  GstArticRtcpDemux *self = GST_ARTIC_RTCP_DEMUX (parent);
  GstPad *out = gst_artic_rtcp_demux_classify (self, buffer);
  GstFlowReturn ret;

  GST_OBJECT_LOCK (self);
  if (out == NULL)
    self->dropped++;
  else if (out == self->rtcp_srcpad)
    self->rtcp_packets++;
  else
    self->rtp_packets++;
  GST_OBJECT_UNLOCK (self);

  if (out == NULL) {
    GST_LOG_OBJECT (self,
        "dropping a %" G_GSIZE_FORMAT "-byte datagram that"
        " is neither RTP nor RTCP",
        gst_buffer_get_size (buffer));
    gst_buffer_unref (buffer);
    return GST_FLOW_OK;
  }
  ret = gst_pad_push (out, buffer);
  /* One unlinked or flushing output does not stop the other. */
  return gst_flow_combiner_update_pad_flow (self->flow_combiner, out, ret);
}

static gboolean
gst_artic_rtcp_demux_sink_event (
    GstPad *pad, GstObject *parent, GstEvent *event)
{
  GstArticRtcpDemux *self = GST_ARTIC_RTCP_DEMUX (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START: {
      gchar *id = gst_pad_create_stream_id (
          self->rtcp_srcpad, GST_ELEMENT (self), "rtcp");
      GstCaps *caps = gst_caps_new_empty_simple ("application/x-rtcp");

      gst_pad_push_event (self->rtcp_srcpad, gst_event_new_stream_start (id));
      gst_pad_push_event (self->rtcp_srcpad, gst_event_new_caps (caps));
      gst_caps_unref (caps);
      g_free (id);
      return gst_pad_push_event (self->rtp_srcpad, event);
    }
    case GST_EVENT_CAPS: {
      GstCaps *caps;

      gst_event_parse_caps (event, &caps);
      /* Only RTP caps mean anything for the RTP side; a source without
       * caps (udpsrc) leaves them to a capsfilter downstream. */
      if (gst_caps_get_size (caps) > 0
          && gst_structure_has_name (
              gst_caps_get_structure (caps, 0), "application/x-rtp"))
        return gst_pad_push_event (self->rtp_srcpad, event);
      gst_event_unref (event);
      return TRUE;
    }
    case GST_EVENT_FLUSH_STOP:
      gst_flow_combiner_reset (self->flow_combiner);
      return gst_pad_event_default (pad, parent, event);
    default:
      return gst_pad_event_default (pad, parent, event);
  }
}

static GstStateChangeReturn
gst_artic_rtcp_demux_change_state (
    GstElement *element, GstStateChange transition)
{
  GstArticRtcpDemux *self = GST_ARTIC_RTCP_DEMUX (element);

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    GST_OBJECT_LOCK (self);
    self->rtp_packets = self->rtcp_packets = self->dropped = 0;
    GST_OBJECT_UNLOCK (self);
    gst_flow_combiner_reset (self->flow_combiner);
  }
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}
