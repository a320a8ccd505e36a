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

/* The RTP side of articconceal: pad probes on a VP8 depayloader feed every
 * packet to the reference-chain tracker (receiver/artic-conceal.c) and
 * attach its verdict to each depayloaded frame as a GstArticFrameStatusMeta.
 * The meta rides through the decoder to articconceal, which so knows, for a
 * decoded picture, whether it was decoded from an intact chain: something
 * the decoder itself cannot tell (libvpx decodes a frame whose reference
 * was lost without complaint, into a smeared picture). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticframestatus.h"

#include <gst/rtp/gstrtpbuffer.h>
#include <string.h>

#include "artic-conceal.h"
#include "artic-rtcp.h"
#include "artic-rtp.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_frame_status_debug);
#define GST_CAT_DEFAULT gst_artic_frame_status_debug

#define ARTIC_FRAME_STATUS_QUARK "artic-frame-status"

GType
gst_artic_frame_status_meta_api_get_type (void)
{
  static GType type = 0;
  /* No tags: GstVideoDecoder and GstBaseTransform copy untagged metas. */
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType api = gst_meta_api_type_register ("GstArticFrameStatusMetaAPI", tags);
    g_once_init_leave (&type, api);
  }
  return type;
}

static gboolean
gst_artic_frame_status_meta_init (
    GstMeta *meta, gpointer params, GstBuffer *buffer)
{
  GstArticFrameStatusMeta *m = (GstArticFrameStatusMeta *) meta;

  m->complete = FALSE;
  m->chain_intact = FALSE;
  m->keyframe = FALSE;
  m->recovery_point = FALSE;
  m->has_picture_id = FALSE;
  m->picture_id = 0;
  return TRUE;
}

static gboolean
gst_artic_frame_status_meta_transform (GstBuffer *dest, GstMeta *meta,
    GstBuffer *buffer, GQuark type, gpointer data)
{
  GstArticFrameStatusMeta *src = (GstArticFrameStatusMeta *) meta, *dst;

  /* The verdict is about the whole picture: it survives copies and scaling
   * alike. */
  dst = gst_buffer_add_artic_frame_status_meta (dest);
  if (dst == NULL)
    return FALSE;
  dst->complete = src->complete;
  dst->chain_intact = src->chain_intact;
  dst->keyframe = src->keyframe;
  dst->recovery_point = src->recovery_point;
  dst->has_picture_id = src->has_picture_id;
  dst->picture_id = src->picture_id;
  return TRUE;
}

const GstMetaInfo *
gst_artic_frame_status_meta_get_info (void)
{
  static const GstMetaInfo *info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) &info)) {
    const GstMetaInfo *registered = gst_meta_register (
        GST_ARTIC_FRAME_STATUS_META_API_TYPE, "GstArticFrameStatusMeta",
        sizeof (GstArticFrameStatusMeta), gst_artic_frame_status_meta_init,
        NULL, gst_artic_frame_status_meta_transform);
    g_once_init_leave ((GstMetaInfo **) &info, (GstMetaInfo *) registered);
  }
  return info;
}

GstArticFrameStatusMeta *
gst_buffer_add_artic_frame_status_meta (GstBuffer *buffer)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  return (GstArticFrameStatusMeta *) gst_buffer_add_meta (
      buffer, gst_artic_frame_status_meta_get_info (), NULL);
}

GstArticFrameStatusMeta *
gst_buffer_get_artic_frame_status_meta (GstBuffer *buffer)
{
  return (GstArticFrameStatusMeta *) gst_buffer_get_meta (
      buffer, GST_ARTIC_FRAME_STATUS_META_API_TYPE);
}

GType
gst_artic_conceal_meta_api_get_type (void)
{
  static GType type = 0;
  static const gchar *tags[] = { NULL };

  if (g_once_init_enter (&type)) {
    GType api = gst_meta_api_type_register ("GstArticConcealMetaAPI", tags);
    g_once_init_leave (&type, api);
  }
  return type;
}

static gboolean
gst_artic_conceal_meta_init (GstMeta *meta, gpointer params, GstBuffer *buffer)
{
  GstArticConcealMeta *m = (GstArticConcealMeta *) meta;

  m->repeated = FALSE;
  m->stale = FALSE;
  m->age = 0;
  m->frame_running_time = GST_CLOCK_TIME_NONE;
  m->picture_id = G_MAXUINT;
  return TRUE;
}

static gboolean
gst_artic_conceal_meta_transform (GstBuffer *dest, GstMeta *meta,
    GstBuffer *buffer, GQuark type, gpointer data)
{
  GstArticConcealMeta *src = (GstArticConcealMeta *) meta, *dst;

  dst = gst_buffer_add_artic_conceal_meta (dest);
  if (dst == NULL)
    return FALSE;
  dst->repeated = src->repeated;
  dst->stale = src->stale;
  dst->age = src->age;
  dst->frame_running_time = src->frame_running_time;
  dst->picture_id = src->picture_id;
  return TRUE;
}

const GstMetaInfo *
gst_artic_conceal_meta_get_info (void)
{
  static const GstMetaInfo *info = NULL;

  if (g_once_init_enter ((GstMetaInfo **) &info)) {
    const GstMetaInfo *registered = gst_meta_register (
        GST_ARTIC_CONCEAL_META_API_TYPE, "GstArticConcealMeta",
        sizeof (GstArticConcealMeta), gst_artic_conceal_meta_init, NULL,
        gst_artic_conceal_meta_transform);
    g_once_init_leave ((GstMetaInfo **) &info, (GstMetaInfo *) registered);
  }
  return info;
}

GstArticConcealMeta *
gst_buffer_add_artic_conceal_meta (GstBuffer *buffer)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), NULL);
  return (GstArticConcealMeta *) gst_buffer_add_meta (
      buffer, gst_artic_conceal_meta_get_info (), NULL);
}

GstArticConcealMeta *
gst_buffer_get_artic_conceal_meta (GstBuffer *buffer)
{
  return (GstArticConcealMeta *) gst_buffer_get_meta (
      buffer, GST_ARTIC_CONCEAL_META_API_TYPE);
}

/* State shared by the two probes of one depayloader. Both run in the
 * depayloader's streaming thread (the src probe inside the sink pad's chain
 * call), but stats are read from other threads, hence the lock. */
typedef struct
{
  GMutex lock;
  ArticConcealTracker *tracker;
  gboolean have_timestamp;
  guint32 last_timestamp; /* of the packet being depayloaded */
  guint64 packets;
  guint64 unparsed;
  guint64 frames;
  guint64 intact;
  guint64 skipped;
  /* Broken chains restored by a recovery point (not a key frame), and the
   * tracker's break count at the last intact frame. */
  guint64 recovery_points;
  guint64 breaks_at_intact;
  /* What the receiver acknowledges: long-term frames decoded from an
   * intact chain (newest first), and a serial that counts new ones. */
  ArticRtcpAck ack;
  guint64 ack_serial;
} ArticFrameStatusWatch;

static void
artic_frame_status_watch_free (gpointer data)
{
  ArticFrameStatusWatch *watch = data;

  artic_conceal_tracker_free (watch->tracker);
  g_mutex_clear (&watch->lock);
  g_free (watch);
}

/* The packet and its frame mark (ARTIC_RTP_EXT_ID_FRAME_MARK, if the sender
 * runs reference control) to the tracker. */
static gboolean
artic_frame_status_push (ArticFrameStatusWatch *watch, GstRTPBuffer *rtp)
{
  ArticConcealPacket packet = { 0 };
  ArticFrameMark mark;
  gpointer data;
  guint size;

  packet.seq = gst_rtp_buffer_get_seq (rtp);
  packet.rtp_timestamp = gst_rtp_buffer_get_timestamp (rtp);
  packet.marker = gst_rtp_buffer_get_marker (rtp);
  /* A payload that does not parse still occupies its sequence number: it
   * is counted as missing, which breaks the chain if it mattered. */
  if (!artic_vp8_descriptor_parse (gst_rtp_buffer_get_payload (rtp),
          gst_rtp_buffer_get_payload_len (rtp), &packet.vp8))
    return FALSE;
  if (gst_rtp_buffer_get_extension_onebyte_header (
          rtp, ARTIC_RTP_EXT_ID_FRAME_MARK, 0, &data, &size)
      && artic_frame_mark_read (data, size, &mark)) {
    packet.has_frame_id = TRUE;
    packet.frame_id = mark.frame_id;
    packet.recovery_point = (mark.flags & ARTIC_FRAME_MARK_RECOVERY) != 0;
    packet.long_term = (mark.flags & ARTIC_FRAME_MARK_LONG_TERM) != 0;
  }
  artic_conceal_tracker_push (watch->tracker, &packet);
  return TRUE;
}

static void
artic_frame_status_on_packet (ArticFrameStatusWatch *watch, GstBuffer *buffer)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  if (!gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp)) {
    watch->unparsed++;
    return;
  }
  watch->packets++;
  if (!artic_frame_status_push (watch, &rtp))
    watch->unparsed++;
  watch->have_timestamp = TRUE;
  watch->last_timestamp = gst_rtp_buffer_get_timestamp (&rtp);
  gst_rtp_buffer_unmap (&rtp);
}

static gboolean
artic_frame_status_on_list_item (GstBuffer **buffer, guint idx, gpointer data)
{
  artic_frame_status_on_packet (data, *buffer);
  return TRUE;
}

static GstPadProbeReturn
artic_frame_status_sink_probe (
    GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticFrameStatusWatch *watch = user_data;

  g_mutex_lock (&watch->lock);
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    artic_frame_status_on_packet (watch, GST_PAD_PROBE_INFO_BUFFER (info));
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        artic_frame_status_on_list_item, watch);
  } else if (info->type & GST_PAD_PROBE_TYPE_EVENT_BOTH) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

    /* A new stream or a flush starts a new chain. */
    if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP
        || GST_EVENT_TYPE (event) == GST_EVENT_STREAM_START) {
      artic_conceal_tracker_reset (watch->tracker);
      /* A new stream's frame ids say nothing about the old one's. */
      memset (&watch->ack, 0, sizeof (watch->ack));
      watch->breaks_at_intact
          = artic_conceal_tracker_chain_breaks (watch->tracker);
      watch->have_timestamp = FALSE;
    }
  }
  g_mutex_unlock (&watch->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
artic_frame_status_src_probe (
    GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticFrameStatusWatch *watch = user_data;
  ArticConcealVerdict verdict = { 0 };
  GstArticFrameStatusMeta *meta;
  GstBuffer *buffer;
  gboolean found = FALSE;

  g_mutex_lock (&watch->lock);
  /* The depayloader hands on a frame while depayloading its last packet. */
  if (watch->have_timestamp)
    found = artic_conceal_tracker_decide (
        watch->tracker, watch->last_timestamp, &verdict);
  watch->frames++;
  if (found && verdict.chain_intact) {
    guint64 breaks = artic_conceal_tracker_chain_breaks (watch->tracker);

    watch->intact++;
    /* The chain broke since the last intact frame and this one mended it
     * (recovery points that find the chain intact are not counted). */
    if (breaks > watch->breaks_at_intact && verdict.recovery_point
        && !verdict.keyframe)
      watch->recovery_points++;
    watch->breaks_at_intact = breaks;
    if (verdict.has_frame_id) {
      watch->ack.have_newest = TRUE;
      watch->ack.newest = verdict.frame_id;
      if (verdict.long_term) {
        artic_rtcp_ack_add (&watch->ack, verdict.frame_id);
        watch->ack_serial++;
      }
    }
  }
  watch->skipped += verdict.skipped;
  g_mutex_unlock (&watch->lock);

  buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  meta = gst_buffer_add_artic_frame_status_meta (buffer);
  /* A frame the tracker knows nothing of is not vouched for. */
  meta->complete = found && verdict.complete;
  meta->chain_intact = found && verdict.chain_intact;
  meta->keyframe = verdict.keyframe;
  meta->recovery_point = verdict.recovery_point;
  meta->has_picture_id = verdict.has_picture_id;
  meta->picture_id = verdict.picture_id;
  GST_LOG_OBJECT (pad, "frame ts %u picture %u: complete %d intact %d",
      verdict.rtp_timestamp, verdict.picture_id, meta->complete,
      meta->chain_intact);
  return GST_PAD_PROBE_OK;
}

/**
 * gst_artic_frame_status_watch:
 * @depayloader: a VP8 RTP depayloader (rtpvp8depay)
 *
 * Tracks the reference chain of the RTP packets @depayloader receives and
 * attaches a #GstArticFrameStatusMeta to every frame it hands on. Call once,
 * before the pipeline runs. Returns: %FALSE when @depayloader lacks the
 * always pads "sink" and "src" or is watched already.
 */
gboolean
gst_artic_frame_status_watch (GstElement *depayloader)
{
  GstPad *sink, *src;
  ArticFrameStatusWatch *watch;
  gboolean ok = FALSE;

  GST_DEBUG_CATEGORY_INIT (gst_artic_frame_status_debug, "articframestatus", 0,
      "artic reference-chain tracking");
  g_return_val_if_fail (GST_IS_ELEMENT (depayloader), FALSE);
  sink = gst_element_get_static_pad (depayloader, "sink");
  src = gst_element_get_static_pad (depayloader, "src");
  if (sink != NULL && src != NULL
      && g_object_get_data (G_OBJECT (depayloader), ARTIC_FRAME_STATUS_QUARK)
             == NULL) {
    watch = g_new0 (ArticFrameStatusWatch, 1);
    g_mutex_init (&watch->lock);
    watch->tracker = artic_conceal_tracker_new ();
    g_object_set_data_full (G_OBJECT (depayloader), ARTIC_FRAME_STATUS_QUARK,
        watch, artic_frame_status_watch_free);
    gst_pad_add_probe (sink,
        GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST
            | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM
            | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
        artic_frame_status_sink_probe, watch, NULL);
    gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER,
        artic_frame_status_src_probe, watch, NULL);
    ok = TRUE;
  }
  g_clear_object (&sink);
  g_clear_object (&src);
  return ok;
}

/**
 * gst_artic_frame_status_get_stats:
 * @depayloader: a depayloader passed to gst_artic_frame_status_watch()
 *
 * Returns: (transfer full) (nullable): packets, unparsed (packets without a
 * valid VP8 descriptor), frames, intact, skipped (frames never handed on),
 * chain-breaks, recovery-points (intact frames that restored the chain by
 * their recovery mark, key frames not counted), acknowledged (long-term
 * frames decoded intact); %NULL if @depayloader is not watched.
 */
GstStructure *
gst_artic_frame_status_get_stats (GstElement *depayloader)
{
  ArticFrameStatusWatch *watch
      = g_object_get_data (G_OBJECT (depayloader), ARTIC_FRAME_STATUS_QUARK);
  GstStructure *s;

  if (watch == NULL)
    return NULL;
  g_mutex_lock (&watch->lock);
  s = gst_structure_new ("artic-frame-status", "packets", G_TYPE_UINT64,
      watch->packets, "unparsed", G_TYPE_UINT64, watch->unparsed, "frames",
      G_TYPE_UINT64, watch->frames, "intact", G_TYPE_UINT64, watch->intact,
      "skipped", G_TYPE_UINT64, watch->skipped, "chain-breaks", G_TYPE_UINT64,
      artic_conceal_tracker_chain_breaks (watch->tracker), "recovery-points",
      G_TYPE_UINT64, watch->recovery_points, "acknowledged", G_TYPE_UINT64,
      watch->ack_serial, NULL);
  g_mutex_unlock (&watch->lock);
  return s;
}

/**
 * gst_artic_frame_status_get_ack:
 * @depayloader: a depayloader passed to gst_artic_frame_status_watch()
 * @ack: (out): the long-term frames decoded from an intact chain, newest
 *   first, and the newest intact frame
 * @serial: (out) (optional): grows by one with every new long-term frame
 *
 * What the receiver acknowledges to the sender's reference control.
 * Returns: %FALSE if @depayloader is not watched or nothing is
 * acknowledged yet.
 */
gboolean
gst_artic_frame_status_get_ack (
    GstElement *depayloader, ArticRtcpAck *ack, guint64 *serial)
{
  ArticFrameStatusWatch *watch
      = g_object_get_data (G_OBJECT (depayloader), ARTIC_FRAME_STATUS_QUARK);
  gboolean any;

  if (watch == NULL)
    return FALSE;
  g_mutex_lock (&watch->lock);
  *ack = watch->ack;
  if (serial != NULL)
    *serial = watch->ack_serial;
  any = watch->ack.n_acked > 0;
  g_mutex_unlock (&watch->lock);
  return any;
}
