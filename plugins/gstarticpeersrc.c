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
 * SECTION:element-articpeersrc
 * @title: articpeersrc
 *
 * Gives the incoming side of an `articpeer` element (the RTP and RTCP that
 * verified, and the custom events articpeer makes of context messages) as
 * a separate source element. #GstArticPeerSrc:peer names the articpeer in
 * the same pipeline; while this element runs, articpeer's own source pad
 * gets nothing.
 *
 * Why a second element: when the incoming RTCP goes back into the
 * `rtpsession` whose output feeds articpeer (the programs' pipelines), one
 * element with both pads closes a loop in the pipeline's graph, and GstBin
 * warns and orders state changes arbitrarily. With articpeersrc the graph
 * stays a tree, as with `udpsink` + `udpsrc`.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc is-live=true ! vp8enc deadline=1 ! \
 *     rtpvp8pay ! rtpsession name=s rtp-profile=avpf \
 *     s.send_rtp_src ! funnel name=m ! articpeer name=peer role=offer \
 *         signal-url=http://127.0.0.1:5005 token-file=token.txt \
 *     s.send_rtcp_src ! m. \
 *     articpeersrc peer=peer ! articrtcpdemux name=d \
 *     d.rtcp_src ! s.recv_rtcp_sink  d.rtp_src ! fakesink
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticpeersrc.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_peer_src_debug);
#define GST_CAT_DEFAULT gst_artic_peer_src_debug

#define DEFAULT_PEER NULL
/* How often a waiting create() looks at the flushing flag. */
#define POLL_US (100 * 1000)

enum
{
  PROP_0,
  PROP_PEER,
  PROP_CAPS,
};

static GstStaticPadTemplate gst_artic_peer_src_src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("application/x-rtp; application/x-rtcp"));

#define gst_artic_peer_src_parent_class parent_class
G_DEFINE_TYPE (GstArticPeerSrc, gst_artic_peer_src, GST_TYPE_BASE_SRC);
GST_ELEMENT_REGISTER_DEFINE (
    articpeersrc, "articpeersrc", GST_RANK_NONE, GST_TYPE_ARTIC_PEER_SRC);

static void gst_artic_peer_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void gst_artic_peer_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static void gst_artic_peer_src_finalize (GObject *object);
static gboolean gst_artic_peer_src_start (GstBaseSrc *src);
static gboolean gst_artic_peer_src_stop (GstBaseSrc *src);
static gboolean gst_artic_peer_src_unlock (GstBaseSrc *src);
static gboolean gst_artic_peer_src_unlock_stop (GstBaseSrc *src);
static GstCaps *gst_artic_peer_src_get_caps (GstBaseSrc *src, GstCaps *filter);
static GstFlowReturn gst_artic_peer_src_create (
    GstBaseSrc *src, guint64 offset, guint size, GstBuffer **buffer);

static void
gst_artic_peer_src_class_init (GstArticPeerSrcClass *klass)
{
  GObjectClass *gobject_class = (GObjectClass *) klass;
  GstElementClass *element_class = (GstElementClass *) klass;
  GstBaseSrcClass *basesrc_class = (GstBaseSrcClass *) klass;

  gobject_class->set_property = gst_artic_peer_src_set_property;
  gobject_class->get_property = gst_artic_peer_src_get_property;
  gobject_class->finalize = gst_artic_peer_src_finalize;

  g_object_class_install_property (gobject_class, PROP_PEER,
      g_param_spec_string ("peer", "Peer",
          "Name of the articpeer element (same pipeline) whose incoming "
          "packets this element gives",
          DEFAULT_PEER,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_CAPS,
      g_param_spec_boxed ("caps", "Caps", "Caps of the incoming RTP",
          GST_TYPE_CAPS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
              | GST_PARAM_MUTABLE_READY));

  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_peer_src_src_template);
  gst_element_class_set_static_metadata (element_class,
      "artic peer session source", "Source/Network/RTP/Secure",
      "The verified incoming RTP/RTCP of an articpeer element, as a separate "
      "source",
      "The artic authors");

  basesrc_class->start = gst_artic_peer_src_start;
  basesrc_class->stop = gst_artic_peer_src_stop;
  basesrc_class->unlock = gst_artic_peer_src_unlock;
  basesrc_class->unlock_stop = gst_artic_peer_src_unlock_stop;
  basesrc_class->get_caps = gst_artic_peer_src_get_caps;
  basesrc_class->create = gst_artic_peer_src_create;

  GST_DEBUG_CATEGORY_INIT (
      gst_artic_peer_src_debug, "articpeersrc", 0, "artic peer session source");
}

static void
gst_artic_peer_src_init (GstArticPeerSrc *self)
{
  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  gst_base_src_set_do_timestamp (GST_BASE_SRC (self), TRUE);
  self->caps = gst_caps_new_empty_simple ("application/x-rtp");
}

static void
gst_artic_peer_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstArticPeerSrc *self = GST_ARTIC_PEER_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_PEER:
      g_free (self->peer_name);
      self->peer_name = g_value_dup_string (value);
      break;
    case PROP_CAPS: {
      const GstCaps *caps = gst_value_get_caps (value);

      gst_caps_unref (self->caps);
      self->caps = caps ? gst_caps_copy (caps)
                        : gst_caps_new_empty_simple ("application/x-rtp");
      break;
    }
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_artic_peer_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstArticPeerSrc *self = GST_ARTIC_PEER_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_PEER:
      g_value_set_string (value, self->peer_name);
      break;
    case PROP_CAPS:
      gst_value_set_caps (value, self->caps);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_artic_peer_src_finalize (GObject *object)
{
  GstArticPeerSrc *self = GST_ARTIC_PEER_SRC (object);

  g_free (self->peer_name);
  gst_caps_unref (self->caps);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* The articpeer named @name, looked up from our bin upwards. */
static GstArticPeer *
gst_artic_peer_src_find_peer (GstArticPeerSrc *self, const gchar *name)
{
  GstObject *parent = gst_object_get_parent (GST_OBJECT (self));
  GstElement *e = NULL;

  if (parent != NULL && GST_IS_BIN (parent))
    e = gst_bin_get_by_name_recurse_up (GST_BIN (parent), name);
  if (parent != NULL)
    gst_object_unref (parent);
  if (e != NULL && !GST_IS_ARTIC_PEER (e)) {
    gst_object_unref (e);
    e = NULL;
  }
  return e ? GST_ARTIC_PEER (e) : NULL;
}

static gboolean
gst_artic_peer_src_start (GstBaseSrc *src)
{
  GstArticPeerSrc *self = GST_ARTIC_PEER_SRC (src);
  gchar *name;

  GST_OBJECT_LOCK (self);
  name = g_strdup (self->peer_name);
  GST_OBJECT_UNLOCK (self);
  if (name == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("No peer element given"),
        ("set the peer property to the name of an articpeer element"));
    return FALSE;
  }
  self->peer = gst_artic_peer_src_find_peer (self, name);
  if (self->peer == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("No articpeer element named '%s' in the pipeline", name), (NULL));
    g_free (name);
    return FALSE;
  }
  g_free (name);
  self->queue = g_async_queue_new_full ((GDestroyNotify) gst_mini_object_unref);
  g_atomic_int_set (&self->flushing, 0);
  gst_artic_peer_set_output (self->peer, self->queue);
  GST_INFO_OBJECT (
      self, "giving the incoming side of %s", GST_OBJECT_NAME (self->peer));
  return TRUE;
}

static gboolean
gst_artic_peer_src_stop (GstBaseSrc *src)
{
  GstArticPeerSrc *self = GST_ARTIC_PEER_SRC (src);

  if (self->peer != NULL) {
    gst_artic_peer_set_output (self->peer, NULL);
    gst_clear_object (&self->peer);
  }
  if (self->queue != NULL) {
    g_async_queue_unref (self->queue);
    self->queue = NULL;
  }
  return TRUE;
}

static gboolean
gst_artic_peer_src_unlock (GstBaseSrc *src)
{
  g_atomic_int_set (&GST_ARTIC_PEER_SRC (src)->flushing, 1);
  return TRUE;
}

static gboolean
gst_artic_peer_src_unlock_stop (GstBaseSrc *src)
{
  g_atomic_int_set (&GST_ARTIC_PEER_SRC (src)->flushing, 0);
  return TRUE;
}

static GstCaps *
gst_artic_peer_src_get_caps (GstBaseSrc *src, GstCaps *filter)
{
  GstArticPeerSrc *self = GST_ARTIC_PEER_SRC (src);
  GstCaps *caps;

  GST_OBJECT_LOCK (self);
  caps = filter ? gst_caps_intersect_full (
             filter, self->caps, GST_CAPS_INTERSECT_FIRST)
                : gst_caps_ref (self->caps);
  GST_OBJECT_UNLOCK (self);
  return caps;
}

static GstFlowReturn
gst_artic_peer_src_create (
    GstBaseSrc *src, guint64 offset, guint size, GstBuffer **buffer)
{
  GstArticPeerSrc *self = GST_ARTIC_PEER_SRC (src);

  for (;;) {
    GstMiniObject *item;

    if (g_atomic_int_get (&self->flushing))
      return GST_FLOW_FLUSHING;
    item = g_async_queue_timeout_pop (self->queue, POLL_US);
    if (item == NULL)
      continue;
    if (GST_IS_BUFFER (item)) {
      *buffer = GST_BUFFER_CAST (item);
      return GST_FLOW_OK;
    }
    /* articpeer ended its side (offer role at EOS), or a context event. */
    if (GST_EVENT_TYPE (item) == GST_EVENT_EOS) {
      gst_mini_object_unref (item);
      return GST_FLOW_EOS;
    }
    gst_pad_push_event (GST_BASE_SRC_PAD (src), GST_EVENT_CAST (item));
  }
}
