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
 * SECTION:element-articfecdec
 * @title: articfecdec
 *
 * The receiving end of `articfecenc`: takes the RTP packets of a stream as
 * they arrive, hands the media packets on at once, keeps a copy of the
 * last 1024, and takes the repair packets (payload type
 * #GstArticFecDec:payload-type, never handed on). As soon as a frame's
 * repairs and surviving packets add up to its packet count, the lost
 * packets are rebuilt byte for byte and handed on after the packet that
 * completed them, timestamped like it: a jitter buffer downstream puts
 * them in order. A rebuilt packet that is not the RTP packet of its
 * sequence number and SSRC (a forged or foreign repair) is dropped and
 * counted; malformed repairs are dropped and counted
 * (#GstArticFecDec:stats).
 *
 * Place it where the RTP packets enter, before the RTP session and the
 * jitter buffer (after `articrtcpdemux` when RTCP shares the transport).
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 udpsrc port=5004 caps="application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,payload=96" ! \
 *     articfecdec ! rtpjitterbuffer ! rtpvp8depay ! vp8dec ! autovideosink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticfecdec.h"

#include "artic-rtp.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_fec_dec_debug);
#define GST_CAT_DEFAULT gst_artic_fec_dec_debug

#define DEFAULT_PAYLOAD_TYPE ARTIC_RTP_PT_FEC

enum
{
  PROP_0,
  PROP_PAYLOAD_TYPE,
  PROP_STATS,
};

static GstStaticPadTemplate gst_artic_fec_dec_sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("application/x-rtp"));

static GstStaticPadTemplate gst_artic_fec_dec_src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("application/x-rtp"));

#define gst_artic_fec_dec_parent_class parent_class
G_DEFINE_TYPE (GstArticFecDec, gst_artic_fec_dec, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (
    articfecdec, "articfecdec", GST_RANK_NONE, GST_TYPE_ARTIC_FEC_DEC);

static void gst_artic_fec_dec_finalize (GObject *object);
static void gst_artic_fec_dec_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void gst_artic_fec_dec_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static GstFlowReturn gst_artic_fec_dec_chain (
    GstPad *pad, GstObject *parent, GstBuffer *buffer);
static GstStateChangeReturn gst_artic_fec_dec_change_state (
    GstElement *element, GstStateChange transition);

static void
gst_artic_fec_dec_class_init (GstArticFecDecClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_artic_fec_dec_finalize;
  gobject_class->set_property = gst_artic_fec_dec_set_property;
  gobject_class->get_property = gst_artic_fec_dec_get_property;

  g_object_class_install_property (gobject_class, PROP_PAYLOAD_TYPE,
      g_param_spec_uint ("payload-type", "Payload type",
          "RTP payload type of the repair packets", 96, 127,
          DEFAULT_PAYLOAD_TYPE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "repairs, malformed, recovered, inconsistent, groups-whole, "
          "groups-lost",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_fec_dec_sink_template);
  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_fec_dec_src_template);
  gst_element_class_set_static_metadata (element_class,
      "artic key-frame FEC decoder", "Codec/Decoder/Network/RTP",
      "Rebuilds lost RTP packets of protected frames from Reed-Solomon "
      "repair packets",
      "The artic authors");

  element_class->change_state
      = GST_DEBUG_FUNCPTR (gst_artic_fec_dec_change_state);

  GST_DEBUG_CATEGORY_INIT (
      gst_artic_fec_dec_debug, "articfecdec", 0, "artic key-frame FEC decoder");
}

static void
gst_artic_fec_dec_init (GstArticFecDec *self)
{
  self->sinkpad = gst_pad_new_from_static_template (
      &gst_artic_fec_dec_sink_template, "sink");
  gst_pad_set_chain_function (
      self->sinkpad, GST_DEBUG_FUNCPTR (gst_artic_fec_dec_chain));
  GST_PAD_SET_PROXY_CAPS (self->sinkpad);
  GST_PAD_SET_PROXY_ALLOCATION (self->sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (
      &gst_artic_fec_dec_src_template, "src");
  GST_PAD_SET_PROXY_CAPS (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->payload_type = DEFAULT_PAYLOAD_TYPE;
  self->decoder = artic_fec_decoder_new ();
  self->recovered
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

static void
gst_artic_fec_dec_finalize (GObject *object)
{
  GstArticFecDec *self = GST_ARTIC_FEC_DEC (object);

  artic_fec_decoder_free (self->decoder);
  g_ptr_array_unref (self->recovered);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_artic_fec_dec_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstArticFecDec *self = GST_ARTIC_FEC_DEC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_PAYLOAD_TYPE:
      self->payload_type = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_artic_fec_dec_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstArticFecDec *self = GST_ARTIC_FEC_DEC (object);
  ArticFecDecoderStats s;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_PAYLOAD_TYPE:
      g_value_set_uint (value, self->payload_type);
      break;
    case PROP_STATS:
      artic_fec_decoder_get_stats (self->decoder, &s);
      g_value_take_boxed (value,
          gst_structure_new ("articfecdec-stats", "repairs", G_TYPE_UINT64,
              s.repairs, "malformed", G_TYPE_UINT64, s.malformed, "recovered",
              G_TYPE_UINT64, s.recovered, "inconsistent", G_TYPE_UINT64,
              s.inconsistent, "groups-whole", G_TYPE_UINT64, s.groups_whole,
              "groups-lost", G_TYPE_UINT64, s.groups_lost, NULL));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstFlowReturn
gst_artic_fec_dec_chain (GstPad *pad, GstObject *parent, GstBuffer *buffer)
{
  GstArticFecDec *self = GST_ARTIC_FEC_DEC (parent);
  GPtrArray *recovered = self->recovered;
  GstClockTime pts = GST_BUFFER_PTS (buffer), dts = GST_BUFFER_DTS (buffer);
  GstFlowReturn ret = GST_FLOW_OK;
  gboolean repair = FALSE;
  GError *error = NULL;
  GstMapInfo map;
  guint i;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return gst_pad_push (self->srcpad, buffer);
  GST_OBJECT_LOCK (self);
  /* RTP version 2 with the repair payload type (marker bit aside). */
  repair = map.size >= 2 && (map.data[0] >> 6) == 2
           && (map.data[1] & 0x7f) == self->payload_type;
  if (repair) {
    if (!artic_fec_decoder_add_repair (
            self->decoder, map.data, map.size, recovered, &error)) {
      GST_OBJECT_UNLOCK (self);
      GST_DEBUG_OBJECT (self, "repair packet dropped: %s", error->message);
      g_clear_error (&error);
      GST_OBJECT_LOCK (self);
    }
  } else {
    artic_fec_decoder_add_media (self->decoder, map.data, map.size, recovered);
  }
  GST_OBJECT_UNLOCK (self);
  gst_buffer_unmap (buffer, &map);

  if (repair)
    gst_buffer_unref (buffer);
  else
    ret = gst_pad_push (self->srcpad, buffer);
  if (recovered->len > 0)
    GST_DEBUG_OBJECT (self, "rebuilt %u lost packets", recovered->len);
  for (i = 0; i < recovered->len && ret == GST_FLOW_OK; i++) {
    GstBuffer *out = gst_buffer_new_wrapped_bytes (recovered->pdata[i]);

    GST_BUFFER_PTS (out) = pts;
    GST_BUFFER_DTS (out) = dts;
    ret = gst_pad_push (self->srcpad, out);
  }
  g_ptr_array_set_size (recovered, 0);
  return ret;
}

static GstStateChangeReturn
gst_artic_fec_dec_change_state (GstElement *element, GstStateChange transition)
{
  GstArticFecDec *self = GST_ARTIC_FEC_DEC (element);

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    GST_OBJECT_LOCK (self);
    artic_fec_decoder_free (self->decoder);
    self->decoder = artic_fec_decoder_new ();
    GST_OBJECT_UNLOCK (self);
  }
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}
