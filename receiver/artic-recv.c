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

/* artic-recv: receives an artic RTP stream (VP8, VP9 or H.264), decodes
 * it, samples frames at the model's rate, writes them as JPEG and logs every
 * frame's capture time, arrival time, latency and size. With --mllm it also
 * asks a multimodal LLM about the sampled frames (articmllmsink on a tee
 * branch) and prints the streamed answers. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/net/gstnetaddressmeta.h>
#include <gst/rtp/gstrtcpbuffer.h>
#include <gst/rtp/gstrtpbuffer.h>
#include <gst/rtp/gstrtphdrext.h>
#include <gst/video/video.h>
#include <stdio.h>

#include "artic-capture-time.h"
#include "artic-frame-hash.h"
#include "artic-mllm-client.h"
#include "artic-peer-cli.h"
#include "artic-sctp.h"
#include "artic-questions.h"
#include "artic-srtp.h"
#include "artic-sampler.h"
#include "artic-stats.h"
#include "artic-udp.h"
#include "artic-recv-codec.h"
#include "artic-rtcp.h"
#include "gstarticelements.h"
#include "gstarticframestatus.h"

/* Frames that were received but never decoded are logged after this long. */
#define ARTIC_RECV_FRAME_EXPIRY_US (5 * G_USEC_PER_SEC)
/* While packets arrive but no frame comes out of the depayloader (its first
 * key frame was lost: it hands on nothing before one), a key frame is asked
 * for this often. */
#define ARTIC_RECV_FIRST_KEYFRAME_RETRY_US (300 * G_TIME_SPAN_MILLISECOND)
/* articconceal's repeat interval of key-frame requests while the chain stays
 * broken (its default is 1 s). */
#define ARTIC_RECV_REQUEST_INTERVAL_NS (200 * GST_MSECOND)

typedef struct
{
  guint64 capture_us;
  gint64 first_packet_us;
  gint64 last_packet_us;
  gint64 depayloaded_us;
  gsize bytes;
  gboolean keyframe;
  gint chain_intact; /* --conceal: the frame's verdict; -1 unknown */
} ArticFrameRecord;

typedef struct
{
  gchar *address;
  gint port;
  gchar *output_dir;
  gdouble sample_rate;
  gint jitter_ms;
  gdouble duration_s;
  gdouble idle_timeout_s;
  gdouble wait_s;
  gint jpeg_quality;
  gboolean quiet;
  gchar *mllm;
  gchar *model;
  gchar *question;
  gchar *questions_file;
  gboolean questions_stdin;
  gint frame_window;
  gint mllm_image_size; /* longest side of the JPEGs sent to the model */
  gdouble mllm_wait_s;
  gchar *codec_name;
  ArticRecvCodec codec;
  gboolean conceal;
  gchar *handed_log;
  /* The peer session (the default transport). */
  gchar *transport;
  gboolean session;
  gchar *signal_address; /* default: --address */
  gint signal_port;
  gchar *token_file;
  gchar *tls_cert;
  gchar *tls_key;
  gint session_timeout_s;
  gint max_sessions;
} ArticRecvOptions;

typedef struct
{
  ArticRecvOptions options;
  GMainLoop *loop;
  GstElement *pipeline;
  FILE *log;
  FILE *handed_log; /* --handed-log: one line per frame handed on */
  gint exit_code;
  gboolean draining; /* the run is over: log every frame left */
  gint64 started_us;
  GstElement *mllm;     /* articmllmsink, with --mllm */
  gint64 eos_sent_us;   /* the stream ended; waiting for the answers */
  guint64 answering_id; /* the answer being printed, +1; 0: none */
  guint answers;
  guint answer_errors;
  GIOChannel *stdin_channel;
  /* The session (main loop only): articpeer, and the boxes prompts asked
   * for the sender's questions (prompt -> question id). */
  GstElement *netpeer;
  gchar *token; /* until handed to articpeer; a secret */
  GHashTable *boxes_asked;
  guint questions_received;
  guint boxes_sent;

  /* Shared between streaming threads and the main loop. */
  GMutex lock;
  GHashTable *frames;       /* capture_us -> ArticFrameRecord */
  ArticFrameRecord pending; /* decoded frame waiting for the sampler */
  gboolean pending_valid;
  gboolean pending_sampled;
  guint pending_file_index;
  gint pending_repeated; /* -1: not sampled */
  gdouble pending_age_ms;
  /* --conceal: the newest intact frame, once a newer frame was decoded;
   * articconceal may hand it on (again) after that. */
  ArticFrameRecord held;
  gboolean held_valid;
  gboolean held_sampled;
  guint held_file_index;
  gint held_repeated;
  gdouble held_age_ms;
  GstElement *conceal;
  GstElement *depay;
  GstElement *netsink;
  GSocketAddress *peer; /* where the media come from; RTCP goes there */
  guint32 media_ssrc;   /* of the stream, for the session's PLIs */
  gboolean have_media_ssrc;
  gint64 keyframe_request_us;
  guint64 first_keyframe_requests;
  GObject *rtp_session;    /* the session's RTPSession: RTCP out */
  guint64 ack_serial_sent; /* acknowledgements: newest one sent early */
  gint64 ack_sent_us;
  guint64 acks_sent; /* RTCP packets that carried an acknowledgement */
  guint64 packets;
  guint64 bytes;
  guint64 frames_received;
  guint64 frames_decoded;
  guint64 frames_sampled;
  guint64 frames_lost;
  guint64 keyframes;
  gint64 first_packet_us;
  gint64 last_packet_us;
  ArticLossCounter loss;
  ArticSeries *arrival_latency_ms;
  ArticSeries *sampled_latency_ms;
} ArticRecv;

static ArticFrameRecord *
artic_recv_frame_lookup (ArticRecv *recv, guint64 capture_us)
{
  ArticFrameRecord *record = g_hash_table_lookup (recv->frames, &capture_us);

  if (record == NULL) {
    record = g_new0 (ArticFrameRecord, 1);
    record->capture_us = capture_us;
    record->chain_intact = -1;
    g_hash_table_insert (recv->frames, &record->capture_us, record);
  }
  return record;
}

static void
artic_recv_log_line (ArticRecv *recv, const ArticFrameRecord *record,
    gint64 delivered_us, gboolean sampled, guint file_index, gint repeated,
    gdouble age_ms)
{
  gchar file[32] = "";

  if (sampled)
    g_snprintf (file, sizeof (file), "frame-%05u.jpg", file_index);
  if (recv->log == NULL)
    return;
  fprintf (recv->log,
      "%" G_GUINT64_FORMAT ",%" G_GINT64_FORMAT ",%.3f,%" G_GINT64_FORMAT
      ",%.3f,%" G_GSIZE_FORMAT ",%d,%d,%d,%s,%d,%.3f,%d\n",
      record->capture_us, record->last_packet_us,
      (record->last_packet_us - (gint64) record->capture_us) / 1000.0,
      delivered_us,
      delivered_us > 0 ? (delivered_us - (gint64) record->capture_us) / 1000.0
                       : -1.0,
      record->bytes, record->keyframe, delivered_us > 0, sampled, file,
      repeated, age_ms, record->chain_intact);
}

static void
artic_recv_log_frame (ArticRecv *recv, const ArticFrameRecord *record,
    gint64 delivered_us, gboolean sampled, guint file_index)
{
  artic_recv_log_line (
      recv, record, delivered_us, sampled, file_index, sampled ? 0 : -1, -1.0);
}

static void
artic_recv_flush_held (ArticRecv *recv)
{
  if (!recv->held_valid)
    return;
  artic_recv_log_line (recv, &recv->held, recv->held.depayloaded_us,
      recv->held_sampled, recv->held_file_index,
      recv->held_sampled ? recv->held_repeated : -1,
      recv->held_sampled ? recv->held_age_ms : -1.0);
  recv->held_valid = FALSE;
}

static void
artic_recv_flush_pending (ArticRecv *recv)
{
  if (!recv->pending_valid)
    return;
  if (recv->conceal != NULL && recv->pending.chain_intact == 1) {
    artic_recv_flush_held (recv);
    recv->held = recv->pending;
    recv->held_valid = TRUE;
    recv->held_sampled = recv->pending_sampled;
    recv->held_file_index = recv->pending_file_index;
    recv->held_repeated = recv->pending_repeated;
    recv->held_age_ms = recv->pending_age_ms;
    recv->pending_valid = FALSE;
    return;
  }
  artic_recv_log_line (recv, &recv->pending, recv->pending.depayloaded_us,
      recv->pending_sampled, recv->pending_file_index,
      recv->pending_sampled ? recv->pending_repeated : -1,
      recv->pending_sampled ? recv->pending_age_ms : -1.0);
  recv->pending_valid = FALSE;
}

static GstPadProbeReturn
artic_recv_on_packet (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticRecv *recv = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gint64 now = g_get_real_time ();
  gpointer ext_data;
  guint ext_size;
  guint64 capture_ns;

  g_mutex_lock (&recv->lock);
  recv->packets++;
  recv->bytes += gst_buffer_get_size (buffer);
  if (recv->first_packet_us == 0)
    recv->first_packet_us = now;
  recv->last_packet_us = now;

  if (!gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp))
    goto done;
  recv->media_ssrc = gst_rtp_buffer_get_ssrc (&rtp);
  recv->have_media_ssrc = TRUE;
  artic_loss_counter_add (&recv->loss, gst_rtp_buffer_get_seq (&rtp),
      gst_rtp_buffer_get_payload (&rtp), gst_rtp_buffer_get_payload_len (&rtp));
  recv->frames_lost = recv->loss.lost;
  if (gst_rtp_buffer_get_extension_onebyte_header (
          &rtp, ARTIC_RTP_EXT_ID_ABS_CAPTURE_TIME, 0, &ext_data, &ext_size)
      && artic_capture_time_read (ext_data, ext_size, &capture_ns)) {
    ArticFrameRecord *record
        = artic_recv_frame_lookup (recv, capture_ns / 1000);

    if (record->first_packet_us == 0)
      record->first_packet_us = now;
    record->last_packet_us = now;
  }
  gst_rtp_buffer_unmap (&rtp);

done:
  g_mutex_unlock (&recv->lock);
  return GST_PAD_PROBE_OK;
}

static gboolean
artic_recv_frame_expired (gpointer key, gpointer value, gpointer user_data)
{
  ArticRecv *recv = user_data;
  ArticFrameRecord *record = value;
  gint64 now = g_get_real_time ();

  if (!recv->draining
      && (record->last_packet_us == 0
          || now - record->last_packet_us < ARTIC_RECV_FRAME_EXPIRY_US))
    return FALSE;
  artic_recv_log_frame (recv, record, 0, FALSE, 0);
  return TRUE;
}

static GstPadProbeReturn
artic_recv_on_depayloaded (
    GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticRecv *recv = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  guint64 capture_ns;
  ArticFrameRecord *record;

  g_mutex_lock (&recv->lock);
  recv->frames_received++;
  if (!GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT))
    recv->keyframes++;
  if (artic_capture_time_get (buffer, &capture_ns)) {
    record = artic_recv_frame_lookup (recv, capture_ns / 1000);
    record->depayloaded_us = g_get_real_time ();
    record->bytes = gst_buffer_get_size (buffer);
    record->keyframe
        = !GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT);
    if (record->last_packet_us > 0)
      artic_series_add (recv->arrival_latency_ms,
          (record->last_packet_us - (gint64) record->capture_us) / 1000.0);
  }
  g_mutex_unlock (&recv->lock);
  return GST_PAD_PROBE_OK;
}

/* A decoded frame reaches the sampler: the previous one has been decided. */
static GstPadProbeReturn
artic_recv_on_decoded (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticRecv *recv = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  gint64 now = g_get_real_time ();
  guint64 capture_ns;
  ArticFrameRecord *record;

  g_mutex_lock (&recv->lock);
  artic_recv_flush_pending (recv);
  recv->frames_decoded++;
  if (artic_capture_time_get (buffer, &capture_ns)) {
    guint64 capture_us = capture_ns / 1000;

    record = g_hash_table_lookup (recv->frames, &capture_us);
    if (record != NULL) {
      recv->pending = *record;
      g_hash_table_remove (recv->frames, &capture_us);
    } else {
      memset (&recv->pending, 0, sizeof (recv->pending));
      recv->pending.capture_us = capture_us;
      recv->pending.chain_intact = -1;
    }
    /* From here on the record's delivery time is the decode time. */
    recv->pending.depayloaded_us = now;
    recv->pending_valid = TRUE;
    recv->pending_sampled = FALSE;
    if (recv->conceal != NULL) {
      GstArticFrameStatusMeta *status
          = gst_buffer_get_artic_frame_status_meta (buffer);

      recv->pending.chain_intact = status != NULL && status->chain_intact;
    }
  }
  g_mutex_unlock (&recv->lock);
  return GST_PAD_PROBE_OK;
}

/* The first time a frame is handed on it marks the frame's line; every
 * repetition gets a line of its own. */
static void
artic_recv_mark_sampled (ArticRecv *recv, const ArticFrameRecord *record,
    gboolean *sampled, guint *file_index, gint *repeated_out, gdouble *age_out,
    gboolean repeated, gdouble age_ms)
{
  guint index = recv->frames_sampled - 1;

  if (*sampled) {
    artic_recv_log_line (
        recv, record, record->depayloaded_us, TRUE, index, TRUE, age_ms);
    return;
  }
  *sampled = TRUE;
  *file_index = index;
  *repeated_out = repeated;
  *age_out = age_ms;
  artic_series_add (recv->sampled_latency_ms,
      (record->depayloaded_us - (gint64) record->capture_us) / 1000.0);
}

/* articconceal handed on a frame: the newest decoded one (pending), or the
 * newest intact one (held), maybe again. */
static void
artic_recv_on_concealed (ArticRecv *recv, GstBuffer *buffer)
{
  GstArticConcealMeta *meta = gst_buffer_get_artic_conceal_meta (buffer);
  guint64 capture_ns = 0;
  gboolean repeated = meta != NULL && meta->repeated;
  gdouble age_ms = meta != NULL ? meta->age / 1e6 : 0;
  ArticFrameRecord unknown = { 0 };

  if (!artic_capture_time_get (buffer, &capture_ns))
    return;
  if (recv->pending_valid && recv->pending.capture_us == capture_ns / 1000) {
    artic_recv_mark_sampled (recv, &recv->pending, &recv->pending_sampled,
        &recv->pending_file_index, &recv->pending_repeated,
        &recv->pending_age_ms, repeated, age_ms);
  } else if (recv->held_valid && recv->held.capture_us == capture_ns / 1000) {
    artic_recv_mark_sampled (recv, &recv->held, &recv->held_sampled,
        &recv->held_file_index, &recv->held_repeated, &recv->held_age_ms,
        repeated, age_ms);
  } else {
    /* Not expected: still, every written file gets its line. */
    unknown.capture_us = capture_ns / 1000;
    unknown.chain_intact = -1;
    artic_recv_log_line (
        recv, &unknown, 0, TRUE, recv->frames_sampled - 1, repeated, age_ms);
  }
}

/* When the frame with this capture time reached the sampler (decoded). */
static gint64
artic_recv_delivered_us (ArticRecv *recv, guint64 capture_us)
{
  if (recv->pending_valid && recv->pending.capture_us == capture_us)
    return recv->pending.depayloaded_us;
  if (recv->held_valid && recv->held.capture_us == capture_us)
    return recv->held.depayloaded_us;
  return 0;
}

/* --handed-log: what the model got at this instant, with a checksum of the
 * picture's visible I420 pixels (0 for another format), so that loss-bench
 * can compare it with a lossless decode of what the sender sent. */
static void
artic_recv_log_handed (ArticRecv *recv, GstPad *pad, GstBuffer *buffer)
{
  GstArticConcealMeta *meta = gst_buffer_get_artic_conceal_meta (buffer);
  GstCaps *caps = gst_pad_get_current_caps (pad);
  guint64 capture_ns = 0, checksum = 0;
  GstVideoFrame frame;
  GstVideoInfo info;

  artic_capture_time_get (buffer, &capture_ns);
  if (caps != NULL && gst_video_info_from_caps (&info, caps)
      && GST_VIDEO_INFO_FORMAT (&info) == GST_VIDEO_FORMAT_I420
      && gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ)) {
    const guint8 *planes[3];
    gint strides[3], i;

    for (i = 0; i < 3; i++) {
      planes[i] = GST_VIDEO_FRAME_PLANE_DATA (&frame, i);
      strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, i);
    }
    checksum = artic_frame_hash_i420 (planes, strides,
        GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info));
    gst_video_frame_unmap (&frame);
  }
  gst_clear_caps (&caps);
  fprintf (recv->handed_log,
      "%" G_GINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GINT64_FORMAT
      ",%016" G_GINT64_MODIFIER "x,%d\n",
      g_get_real_time (), capture_ns / 1000,
      artic_recv_delivered_us (recv, capture_ns / 1000), checksum,
      meta != NULL && meta->repeated);
  /* Read while streaming (devibench names the frames it asks about by
   * their capture time); two lines a second. */
  fflush (recv->handed_log);
}

static GstPadProbeReturn
artic_recv_on_sampled (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticRecv *recv = user_data;

  g_mutex_lock (&recv->lock);
  recv->frames_sampled++;
  if (recv->conceal != NULL) {
    artic_recv_on_concealed (recv, GST_PAD_PROBE_INFO_BUFFER (info));
  } else if (recv->pending_valid) {
    recv->pending_repeated = 0;
    recv->pending_age_ms = 0;
    recv->pending_sampled = TRUE;
    recv->pending_file_index = recv->frames_sampled - 1;
    artic_series_add (recv->sampled_latency_ms,
        (recv->pending.depayloaded_us - (gint64) recv->pending.capture_us)
            / 1000.0);
  }
  if (recv->handed_log != NULL)
    artic_recv_log_handed (recv, pad, GST_PAD_PROBE_INFO_BUFFER (info));
  g_mutex_unlock (&recv->lock);
  return GST_PAD_PROBE_OK;
}

/* The session's RTCP goes back to where the media come from (through a
 * relay, to the relay's port), learnt from every datagram so that a moved
 * peer is followed. */
static GstPadProbeReturn
artic_recv_on_datagram (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticRecv *recv = user_data;
  GstNetAddressMeta *meta
      = gst_buffer_get_net_address_meta (GST_PAD_PROBE_INFO_BUFFER (info));
  GInetSocketAddress *from;
  gchar *host;

  if (meta == NULL || !G_IS_INET_SOCKET_ADDRESS (meta->addr))
    return GST_PAD_PROBE_OK;
  from = G_INET_SOCKET_ADDRESS (meta->addr);
  g_mutex_lock (&recv->lock);
  if (recv->peer != NULL
      && g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (recv->peer))
             == g_inet_socket_address_get_port (from)
      && g_inet_address_equal (g_inet_socket_address_get_address (
                                   G_INET_SOCKET_ADDRESS (recv->peer)),
          g_inet_socket_address_get_address (from))) {
    g_mutex_unlock (&recv->lock);
    return GST_PAD_PROBE_OK;
  }
  g_set_object (&recv->peer, meta->addr);
  g_mutex_unlock (&recv->lock);
  host = g_inet_address_to_string (g_inet_socket_address_get_address (from));
  g_signal_emit_by_name (recv->netsink, "clear");
  g_signal_emit_by_name (
      recv->netsink, "add", host, (gint) g_inet_socket_address_get_port (from));
  if (!recv->options.quiet)
    printf ("artic-recv: sending RTCP feedback to %s:%u\n", host,
        g_inet_socket_address_get_port (from));
  g_free (host);
  return GST_PAD_PROBE_OK;
}

/* rtpsession turns an upstream GstForceKeyUnit into a PLI only when the
 * event names the stream (ssrc, payload); articconceal does not know them. */
static GstPadProbeReturn
artic_recv_on_upstream_event (
    GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticRecv *recv = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  const GstStructure *s = gst_event_get_structure (event);
  GstStructure *named;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CUSTOM_UPSTREAM || s == NULL
      || !gst_structure_has_name (s, "GstForceKeyUnit")
      || gst_structure_has_field (s, "ssrc"))
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&recv->lock);
  if (!recv->have_media_ssrc) {
    g_mutex_unlock (&recv->lock);
    return GST_PAD_PROBE_OK;
  }
  event = gst_event_make_writable (event);
  named = gst_event_writable_structure (event);
  gst_structure_set (named, "ssrc", G_TYPE_UINT, recv->media_ssrc, "payload",
      G_TYPE_UINT, artic_recv_codec_payload_type (recv->options.codec), NULL);
  g_mutex_unlock (&recv->lock);
  GST_PAD_PROBE_INFO_DATA (info) = event;
  return GST_PAD_PROBE_OK;
}

/* Every RTCP packet the session sends (regular or early) carries the
 * current acknowledgement: the newest long-term frames decoded from an
 * intact chain, repeated until newer ones replace them, so a lost RTCP
 * packet costs nothing. Runs in the session's RTCP thread. */
static gboolean
artic_recv_on_sending_rtcp (
    GObject *session, GstBuffer *buffer, gboolean early, gpointer user_data)
{
  ArticRecv *recv = user_data;
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  ArticRtcpAck ack;
  guint8 fci[64];
  gsize fci_size;
  guint32 media_ssrc;
  guint internal_ssrc = 0;
  gboolean added = FALSE;

  if (!gst_artic_frame_status_get_ack (recv->depay, &ack, NULL))
    return FALSE;
  fci_size = artic_rtcp_ack_fci_write (fci, sizeof (fci), &ack);
  g_mutex_lock (&recv->lock);
  media_ssrc = recv->media_ssrc;
  g_mutex_unlock (&recv->lock);
  g_object_get (session, "internal-ssrc", &internal_ssrc, NULL);
  if (fci_size == 0 || !gst_rtcp_buffer_map (buffer, GST_MAP_READWRITE, &rtcp))
    return FALSE;
  if (gst_rtcp_buffer_add_packet (&rtcp, GST_RTCP_TYPE_PSFB, &packet)) {
    gst_rtcp_packet_fb_set_type (&packet, ARTIC_RTCP_PSFB_AFB);
    gst_rtcp_packet_fb_set_sender_ssrc (&packet, internal_ssrc);
    gst_rtcp_packet_fb_set_media_ssrc (&packet, media_ssrc);
    if (gst_rtcp_packet_fb_set_fci_length (&packet, fci_size / 4)) {
      memcpy (gst_rtcp_packet_fb_get_fci (&packet), fci, fci_size);
      added = TRUE;
    } else {
      gst_rtcp_packet_remove (&packet);
    }
  }
  gst_rtcp_buffer_unmap (&rtcp);
  if (added) {
    g_mutex_lock (&recv->lock);
    recv->acks_sent++;
    g_mutex_unlock (&recv->lock);
  }
  return added;
}

/* A newly acknowledged long-term frame is worth an early RTCP packet (the
 * sender can only use it once it knows): at most one per tick (100 ms). */
static void
artic_recv_send_new_ack (ArticRecv *recv)
{
  ArticRtcpAck ack;
  guint64 serial = 0;

  if (recv->rtp_session == NULL || recv->depay == NULL
      || !gst_artic_frame_status_get_ack (recv->depay, &ack, &serial)
      || serial == recv->ack_serial_sent)
    return;
  recv->ack_serial_sent = serial;
  g_signal_emit_by_name (
      recv->rtp_session, "send-rtcp", (guint64) (20 * GST_MSECOND));
}

/* Packets arrive but nothing was depayloaded yet: the first key frame did
 * not arrive whole. Ask for one (a PLI), at most every
 * ARTIC_RECV_FIRST_KEYFRAME_RETRY_US. Called from the main loop's tick. */
static void
artic_recv_request_first_keyframe (ArticRecv *recv, gint64 now)
{
  GstElement *jitter;
  GstPad *pad;
  gboolean due;

  g_mutex_lock (&recv->lock);
  due = recv->have_media_ssrc && recv->frames_received == 0
        && now - recv->first_packet_us >= ARTIC_RECV_FIRST_KEYFRAME_RETRY_US
        && now - recv->keyframe_request_us
               >= ARTIC_RECV_FIRST_KEYFRAME_RETRY_US;
  if (due) {
    recv->keyframe_request_us = now;
    recv->first_keyframe_requests++;
  }
  g_mutex_unlock (&recv->lock);
  if (!due)
    return;
  jitter = gst_bin_get_by_name (GST_BIN (recv->pipeline), "jitter");
  pad = gst_element_get_static_pad (jitter, "src");
  gst_pad_send_event (pad, gst_video_event_new_upstream_force_key_unit (
                               GST_CLOCK_TIME_NONE, TRUE, 0));
  gst_object_unref (pad);
  gst_object_unref (jitter);
}

/* The stream ended (after the decoder): the RTCP output, which the session
 * never ends by itself, is ended too, so that the pipeline's EOS (awaited
 * with --mllm) can come. */
static GstPadProbeReturn
artic_recv_on_decoder_event (
    GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticRecv *recv = user_data;
  GstPad *sink;

  if (!(info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
      || GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS)
    return GST_PAD_PROBE_OK;
  sink = gst_element_get_static_pad (recv->netsink, "sink");
  gst_pad_send_event (sink, gst_event_new_eos ());
  gst_object_unref (sink);
  return GST_PAD_PROBE_REMOVE;
}

static void
artic_recv_add_probe (GstElement *pipeline, const gchar *element,
    const gchar *pad_name, GstPadProbeCallback callback, ArticRecv *recv)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), element);
  GstPad *pad = gst_element_get_static_pad (e, pad_name);

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, callback, recv, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
}

/* The reference-chain tracker reads VP8 payload descriptors only: with
 * VP9 and H.264 the frames are sampled as before (articsampler). */
static gboolean
artic_recv_conceals (const ArticRecvOptions *o)
{
  return o->conceal && o->codec == ARTIC_RECV_CODEC_VP8;
}

/* A question from the sender (context channel): the model is asked it,
 * and asked for the boxes of the region it is about, which go back. */
static void
artic_recv_on_sender_context (
    ArticRecv *recv, const gchar *session, const gchar *json)
{
  ArticContextMessage *m = artic_context_parse (json, strlen (json), NULL);

  if (m == NULL)
    return; /* articpeer passes only valid ones */
  if (m->type != ARTIC_CONTEXT_QUESTION) {
    if (!recv->options.quiet)
      printf ("artic-recv: %s message from session %s\n",
          artic_context_type_name (m->type), session);
    artic_context_message_free (m);
    return;
  }
  recv->questions_received++;
  printf ("artic-recv: question %u from the sender (session %s): %s\n",
      m->question_id, session, m->text);
  if (recv->mllm == NULL) {
    printf (
        "artic-recv: no --mllm: question %u is not asked\n", m->question_id);
  } else {
    gchar *prompt = artic_peer_cli_boxes_prompt (m->text);

    g_signal_emit_by_name (recv->mllm, "ask", m->text);
    g_signal_emit_by_name (recv->mllm, "ask", prompt);
    g_hash_table_insert (
        recv->boxes_asked, prompt, GUINT_TO_POINTER (m->question_id));
  }
  fflush (stdout);
  artic_context_message_free (m);
}

/* The model answered a boxes prompt: its boxes go to the sender. */
static void
artic_recv_send_boxes (ArticRecv *recv, const GstStructure *s)
{
  const gchar *question = gst_structure_get_string (s, "question");
  const gchar *answer = gst_structure_get_string (s, "answer");
  gpointer id;
  GError *error = NULL;
  gchar *json;
  gboolean sent = FALSE;

  if (question == NULL
      || !g_hash_table_lookup_extended (recv->boxes_asked, question, NULL, &id))
    return;
  json = artic_peer_cli_boxes_message (GPOINTER_TO_UINT (id),
      answer ? answer : "", g_get_real_time (), ARTIC_PEER_CLI_BOX_STEP_US,
      &error);
  g_hash_table_remove (recv->boxes_asked, question);
  if (json == NULL) {
    printf ("artic-recv: no boxes for question %u: %s\n", GPOINTER_TO_UINT (id),
        error->message);
    g_clear_error (&error);
    return;
  }
  g_signal_emit_by_name (recv->netpeer, "send-context", json, &sent);
  if (sent) {
    recv->boxes_sent++;
    printf ("artic-recv: boxes for question %u sent to the sender: %s\n",
        GPOINTER_TO_UINT (id), answer);
  } else {
    printf ("artic-recv: boxes for question %u not sent (no open context "
            "channel)\n",
        GPOINTER_TO_UINT (id));
  }
  g_free (json);
}

typedef struct
{
  ArticRecv *recv;
  gchar *session;
  gchar *json;
} ArticRecvContext;

static gboolean
artic_recv_on_context_idle (gpointer data)
{
  ArticRecvContext *c = data;

  artic_recv_on_sender_context (c->recv, c->session, c->json);
  g_free (c->session);
  g_free (c->json);
  g_free (c);
  return G_SOURCE_REMOVE;
}

/* On the session's thread: hand the message to the main loop. */
static void
artic_recv_on_context (GstElement *peer, const gchar *session,
    const gchar *type, const gchar *json, gpointer user_data)
{
  ArticRecvContext *c = g_new0 (ArticRecvContext, 1);

  c->recv = user_data;
  c->session = g_strdup (session);
  c->json = g_strdup (json);
  g_idle_add (artic_recv_on_context_idle, c);
}

static void
artic_recv_configure_session (ArticRecv *recv)
{
  const ArticRecvOptions *o = &recv->options;

  g_object_set (recv->netpeer, "signal-address",
      o->signal_address ? o->signal_address : o->address, "signal-port",
      (guint) o->signal_port, "address", o->address, "port", (guint) o->port,
      "idle-timeout", (guint) o->session_timeout_s, "max-sessions",
      (guint) o->max_sessions, "token", recv->token, NULL);
  artic_srtp_secret_free (recv->token);
  recv->token = NULL;
  if (o->tls_cert != NULL)
    g_object_set (recv->netpeer, "tls-cert", o->tls_cert, "tls-key",
        o->tls_key ? o->tls_key : o->tls_cert, NULL);
  g_signal_connect (recv->netpeer, "context-received",
      G_CALLBACK (artic_recv_on_context), recv);
}

static GstElement *
artic_recv_build_pipeline (ArticRecv *recv, GSocket *socket)
{
  const ArticRecvOptions *o = &recv->options;
  GError *error = NULL;
  GstElement *pipeline, *e, *ext;
  gchar *location, *description, *head;

  head = o->session
             ? artic_recv_codec_pipeline_head_session (
                 o->codec, (guint) o->jitter_ms)
             : artic_recv_codec_pipeline_head (o->codec, (guint) o->jitter_ms);
  description = g_strdup_printf ("%s ! videoconvert"
                                 " ! %s name=sampler rate=%f"
                                 " ! %sjpegenc quality=%d"
                                 " ! multifilesink name=files%s",
      head, artic_recv_conceals (o) ? "articconceal" : "articsampler",
      o->sample_rate, o->mllm != NULL ? "tee name=t ! queue ! " : "",
      o->jpeg_quality,
      /* The model's branch never holds up the frame writer: a slow answer
       * drops stale frames, never delays fresh ones. */
      o->mllm != NULL ? " t. ! queue leaky=downstream max-size-buffers=2"
                        " max-size-bytes=0 max-size-time=0"
                        " ! articmllmsink name=mllm sample-rate=0"
                      : "");
  g_free (head);
  pipeline = gst_parse_launch_full (
      description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &error);
  g_free (description);
  if (pipeline == NULL) {
    fprintf (stderr, "artic-recv: error: cannot build the pipeline: %s\n",
        error->message);
    g_clear_error (&error);
    return NULL;
  }

  if (o->session) {
    /* articpeer binds its own sockets (signaling and media) and sends the
     * RTCP to every live session. */
    recv->netpeer = gst_bin_get_by_name (GST_BIN (pipeline), "netpeer");
    recv->netsink = gst_object_ref (recv->netpeer);
    artic_recv_configure_session (recv);
  } else {
    /* One socket both ways; the GSocket closes it when both let go. */
    e = gst_bin_get_by_name (GST_BIN (pipeline), "netsrc");
    g_object_set (e, "socket", socket, "close-socket", FALSE, NULL);
    artic_recv_add_probe (
        pipeline, "netsrc", "src", artic_recv_on_datagram, recv);
    gst_object_unref (e);
    recv->netsink = gst_bin_get_by_name (GST_BIN (pipeline), "netsink");
    g_object_set (recv->netsink, "socket", socket, "close-socket", FALSE, NULL);
  }
  e = gst_bin_get_by_name (GST_BIN (pipeline), "dec");
  {
    GstPad *pad = gst_element_get_static_pad (e, "src");

    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
        artic_recv_on_decoder_event, recv, NULL);
    gst_object_unref (pad);
  }
  gst_object_unref (e);
  e = gst_bin_get_by_name (GST_BIN (pipeline), "jitter");
  {
    GstPad *pad = gst_element_get_static_pad (e, "sink");

    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
        artic_recv_on_upstream_event, recv, NULL);
    gst_object_unref (pad);
  }
  gst_object_unref (e);

  e = gst_bin_get_by_name (GST_BIN (pipeline), "files");
  location = g_build_filename (o->output_dir, "frame-%05d.jpg", NULL);
  g_object_set (e, "location", location, NULL);
  g_free (location);
  gst_object_unref (e);

  ext = gst_element_factory_make ("articabscapturetime", NULL);
  gst_rtp_header_extension_set_id (
      GST_RTP_HEADER_EXTENSION (ext), ARTIC_RTP_EXT_ID_ABS_CAPTURE_TIME);
  e = gst_bin_get_by_name (GST_BIN (pipeline), "depay");
  g_signal_emit_by_name (e, "add-extension", ext);
  gst_object_unref (e);
  gst_object_unref (ext);

  if (o->mllm != NULL) {
    recv->mllm = gst_bin_get_by_name (GST_BIN (pipeline), "mllm");
    g_object_set (recv->mllm, "endpoint", o->mllm, "frame-window",
        (guint) o->frame_window, "max-image-size", (guint) o->mllm_image_size,
        NULL);
    if (o->model != NULL)
      g_object_set (recv->mllm, "model", o->model, NULL);
    if (o->questions_file != NULL)
      g_object_set (recv->mllm, "questions-file", o->questions_file, NULL);
    if (o->question != NULL)
      g_object_set (recv->mllm, "question", o->question, NULL);
  }

  if (artic_recv_conceals (o)) {
    recv->conceal = gst_bin_get_by_name (GST_BIN (pipeline), "sampler");
    recv->depay = gst_bin_get_by_name (GST_BIN (pipeline), "depay");
    /* Frames keep flowing after a loss (the verdicts say which decoded
     * correctly); articconceal asks for key frames itself, once per break
     * rather than on every lost packet. */
    g_object_set (recv->depay, "wait-for-keyframe", FALSE, "request-keyframe",
        FALSE, NULL);
    gst_artic_frame_status_watch (recv->depay);
    /* A sender with reference control answers in about a round trip, with
     * a small recovery frame: ask again soon while the chain stays
     * broken. */
    g_object_set (recv->conceal, "request-interval",
        (guint64) ARTIC_RECV_REQUEST_INTERVAL_NS, NULL);
    /* Acknowledgements for the sender's reference control ride on every
     * RTCP packet. */
    e = gst_bin_get_by_name (GST_BIN (pipeline), "session");
    g_object_get (e, "internal-session", &recv->rtp_session, NULL);
    g_signal_connect (recv->rtp_session, "on-sending-rtcp",
        G_CALLBACK (artic_recv_on_sending_rtcp), recv);
    gst_object_unref (e);
  }
  artic_recv_add_probe (pipeline, "src", "src", artic_recv_on_packet, recv);
  artic_recv_add_probe (
      pipeline, "depay", "src", artic_recv_on_depayloaded, recv);
  artic_recv_add_probe (
      pipeline, "sampler", "sink", artic_recv_on_decoded, recv);
  artic_recv_add_probe (
      pipeline, "sampler", "src", artic_recv_on_sampled, recv);
  return pipeline;
}

/* Streams each answer to stdout as its tokens arrive. */
static void
artic_recv_on_mllm_message (ArticRecv *recv, const GstStructure *s)
{
  guint64 id = 0;

  gst_structure_get_uint64 (s, "id", &id);
  if (gst_structure_has_name (s, "artic-mllm-delta")) {
    if (recv->answering_id != id + 1) {
      printf ("artic-recv: Q%" G_GUINT64_FORMAT
              ": %s\nartic-recv: A%" G_GUINT64_FORMAT ": ",
          id + 1, gst_structure_get_string (s, "question"), id + 1);
      recv->answering_id = id + 1;
    }
    fputs (gst_structure_get_string (s, "delta"), stdout);
    fflush (stdout);
  } else if (gst_structure_has_name (s, "artic-mllm-answer")) {
    const gchar *error = gst_structure_get_string (s, "error");
    gdouble ttft = -1, total = 0;
    guint images = 0;

    gst_structure_get_double (s, "ttft", &ttft);
    gst_structure_get_double (s, "total-time", &total);
    gst_structure_get_uint (s, "images-sent", &images);
    if (recv->answering_id == id + 1)
      printf ("\n");
    else if (error == NULL)
      printf ("artic-recv: Q%" G_GUINT64_FORMAT
              ": %s\nartic-recv: A%" G_GUINT64_FORMAT ": (empty answer)\n",
          id + 1, gst_structure_get_string (s, "question"), id + 1);
    recv->answering_id = 0;
    recv->answers++;
    if (error != NULL) {
      recv->answer_errors++;
      fprintf (stderr,
          "artic-recv: warning: question %" G_GUINT64_FORMAT " failed: %s\n",
          id + 1, error);
    } else {
      printf ("artic-recv: A%" G_GUINT64_FORMAT
              " took %.1f ms to the first token, %.1f ms in all, %u images\n",
          id + 1, ttft * 1000.0, total * 1000.0, images);
      /* A reply to a boxes prompt goes back to the sender. */
      if (recv->netpeer != NULL)
        artic_recv_send_boxes (recv, s);
    }
    fflush (stdout);
  }
}

static gboolean
artic_recv_on_bus (GstBus *bus, GstMessage *message, gpointer user_data)
{
  ArticRecv *recv = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT && recv->mllm != NULL
      && GST_MESSAGE_SRC (message) == GST_OBJECT (recv->mllm)) {
    artic_recv_on_mllm_message (recv, gst_message_get_structure (message));
  } else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT
             && recv->netpeer != NULL
             && GST_MESSAGE_SRC (message) == GST_OBJECT (recv->netpeer)) {
    const GstStructure *st = gst_message_get_structure (message);

    if (!recv->options.quiet
        && gst_structure_has_name (st, "artic-peer-session")) {
      printf ("artic-recv: session %s %s (%s)\n",
          gst_structure_get_string (st, "session"),
          gst_structure_get_string (st, "event"),
          gst_structure_get_string (st, "reason"));
      fflush (stdout);
    }
  } else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS) {
    g_main_loop_quit (recv->loop);
  } else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    GError *error = NULL;

    gst_message_parse_error (message, &error, NULL);
    fprintf (stderr, "artic-recv: error: %s (from %s)\n", error->message,
        GST_OBJECT_NAME (GST_MESSAGE_SRC (message)));
    g_clear_error (&error);
    recv->exit_code = 1;
    g_main_loop_quit (recv->loop);
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
artic_recv_on_stop (gpointer user_data)
{
  ArticRecv *recv = user_data;

  g_main_loop_quit (recv->loop);
  return G_SOURCE_REMOVE;
}

/* Ends the run when the stream went quiet, ran its duration, or never came. */
static gboolean
artic_recv_on_tick (gpointer user_data)
{
  ArticRecv *recv = user_data;
  const ArticRecvOptions *o = &recv->options;
  gint64 now = g_get_real_time ();
  gint64 first, last;

  if (recv->started_us == 0)
    recv->started_us = now;
  g_mutex_lock (&recv->lock);
  first = recv->first_packet_us;
  last = recv->last_packet_us;
  /* Frames that never decoded are logged here, off the streaming thread. */
  g_hash_table_foreach_remove (recv->frames, artic_recv_frame_expired, recv);
  g_mutex_unlock (&recv->lock);

  if (first == 0) {
    if (o->wait_s > 0 && now - recv->started_us > o->wait_s * G_USEC_PER_SEC) {
      fprintf (stderr,
          "artic-recv: error: no packet arrived on port %d "
          "within %.1f s\n",
          o->port, o->wait_s);
      recv->exit_code = 1;
      g_main_loop_quit (recv->loop);
      return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
  }
  artic_recv_request_first_keyframe (recv, now);
  artic_recv_send_new_ack (recv);
  if (recv->eos_sent_us > 0) {
    /* articmllmsink holds EOS until its answers are in; do not wait for
     * ever on a model that does not answer. */
    if (now - recv->eos_sent_us > o->mllm_wait_s * G_USEC_PER_SEC) {
      fprintf (stderr,
          "artic-recv: warning: gave up waiting for answers after %.0f s\n",
          o->mllm_wait_s);
      g_main_loop_quit (recv->loop);
      return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
  }
  if ((o->duration_s > 0 && now - first > o->duration_s * G_USEC_PER_SEC)
      || (o->idle_timeout_s > 0
          && now - last > o->idle_timeout_s * G_USEC_PER_SEC)) {
    if (recv->mllm != NULL) {
      recv->eos_sent_us = now;
      gst_element_send_event (recv->pipeline, gst_event_new_eos ());
      return G_SOURCE_CONTINUE;
    }
    g_main_loop_quit (recv->loop);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static void
artic_recv_print_conceal_summary (ArticRecv *recv)
{
  GstStructure *stats = NULL, *chain;
  guint64 good = 0, broken = 0, fresh = 0, repeated = 0, stale = 0;
  guint64 unserved = 0, requests = 0, breaks = 0, recoveries = 0, acked = 0;

  g_object_get (recv->conceal, "stats", &stats, NULL);
  gst_structure_get (stats, "good", G_TYPE_UINT64, &good, "broken",
      G_TYPE_UINT64, &broken, "fresh", G_TYPE_UINT64, &fresh, "repeated",
      G_TYPE_UINT64, &repeated, "stale", G_TYPE_UINT64, &stale, "unserved",
      G_TYPE_UINT64, &unserved, "keyframe-requests", G_TYPE_UINT64, &requests,
      NULL);
  gst_structure_free (stats);
  chain = gst_artic_frame_status_get_stats (recv->depay);
  if (chain != NULL) {
    gst_structure_get (chain, "chain-breaks", G_TYPE_UINT64, &breaks,
        "recovery-points", G_TYPE_UINT64, &recoveries, "acknowledged",
        G_TYPE_UINT64, &acked, NULL);
    gst_structure_free (chain);
  }
  printf ("artic-recv: conceal: %" G_GUINT64_FORMAT
          " good and %" G_GUINT64_FORMAT
          " broken-chain frames decoded (%" G_GUINT64_FORMAT
          " chain breaks, %" G_GUINT64_FORMAT
          " key-frame requests); instants: %" G_GUINT64_FORMAT
          " fresh, %" G_GUINT64_FORMAT " repeated (%" G_GUINT64_FORMAT
          " stale), %" G_GUINT64_FORMAT " unserved\n",
      good, broken, breaks, requests, fresh, repeated, stale, unserved);
  g_mutex_lock (&recv->lock);
  printf ("artic-recv: feedback: %" G_GUINT64_FORMAT
          " chain restorations by a recovery point, %" G_GUINT64_FORMAT
          " long-term frames acknowledged (in %" G_GUINT64_FORMAT
          " RTCP packets), %" G_GUINT64_FORMAT " first-key-frame requests\n",
      recoveries, acked, recv->acks_sent, recv->first_keyframe_requests);
  g_mutex_unlock (&recv->lock);
}

/* What the key-frame FEC rebuilt (articfecdec). */
static void
artic_recv_print_fec_summary (ArticRecv *recv)
{
  GstElement *fec = gst_bin_get_by_name (GST_BIN (recv->pipeline), "fec");
  GstStructure *stats = NULL;
  guint64 repairs = 0, recovered = 0, malformed = 0, inconsistent = 0;

  if (fec == NULL)
    return;
  g_object_get (fec, "stats", &stats, NULL);
  gst_object_unref (fec);
  if (stats == NULL)
    return;
  gst_structure_get (stats, "repairs", G_TYPE_UINT64, &repairs, "recovered",
      G_TYPE_UINT64, &recovered, "malformed", G_TYPE_UINT64, &malformed,
      "inconsistent", G_TYPE_UINT64, &inconsistent, NULL);
  gst_structure_free (stats);
  printf ("artic-recv: fec: %" G_GUINT64_FORMAT
          " repair packets, %" G_GUINT64_FORMAT
          " lost packets rebuilt (%" G_GUINT64_FORMAT
          " malformed repairs, %" G_GUINT64_FORMAT " inconsistent)\n",
      repairs, recovered, malformed, inconsistent);
}

static void
artic_recv_print_summary (ArticRecv *recv)
{
  gdouble seconds = (recv->last_packet_us - recv->first_packet_us)
                    / (gdouble) G_USEC_PER_SEC;
  gdouble kbps = seconds > 0 ? recv->bytes * 8.0 / 1000.0 / seconds : 0;

  printf ("artic-recv: received %" G_GUINT64_FORMAT
          " frames (%" G_GUINT64_FORMAT " key frames, %" G_GUINT64_FORMAT
          " %s) in %" G_GUINT64_FORMAT " RTP packets, %" G_GUINT64_FORMAT
          " bytes over %.2f s:"
          " %.0f kbps\n",
      recv->frames_received, recv->keyframes, recv->frames_lost,
      recv->options.codec == ARTIC_RECV_CODEC_H264 ? "packets lost" : "lost",
      recv->packets, recv->bytes, seconds, kbps);
  printf ("artic-recv: decoded %" G_GUINT64_FORMAT
          " frames, sampled %" G_GUINT64_FORMAT " at %.2f fps\n",
      recv->frames_decoded, recv->frames_sampled, recv->options.sample_rate);
  if (recv->conceal != NULL)
    artic_recv_print_conceal_summary (recv);
  artic_recv_print_fec_summary (recv);
  printf ("artic-recv: latency capture->arrival p50 %.1f ms, p95 %.1f ms;"
          " capture->model (sampled frames) p50 %.1f ms, p95 %.1f ms\n",
      artic_series_percentile (recv->arrival_latency_ms, 50),
      artic_series_percentile (recv->arrival_latency_ms, 95),
      artic_series_percentile (recv->sampled_latency_ms, 50),
      artic_series_percentile (recv->sampled_latency_ms, 95));
  printf ("artic-recv: frames written to %s/, per-frame log %s/frames.csv\n",
      recv->options.output_dir, recv->options.output_dir);
}

static gboolean
artic_recv_check_mllm (ArticRecvOptions *o)
{
  GError *error = NULL;
  GUri *uri = g_uri_parse (o->mllm, G_URI_FLAGS_NONE, NULL);
  gboolean http
      = uri != NULL && g_uri_get_host (uri) != NULL
        && (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0
            || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0);
  GArray *questions;

  g_clear_pointer (&uri, g_uri_unref);
  if (!http) {
    fprintf (stderr,
        "artic-recv: error: --mllm '%s' is not an http:// or https:// URL\n",
        o->mllm);
    return FALSE;
  }
  if (o->mllm_image_size < 16 || o->mllm_image_size > 8192) {
    fprintf (stderr,
        "artic-recv: error: --mllm-image-size %d is out of range (16-8192)\n",
        o->mllm_image_size);
    return FALSE;
  }
  if (o->frame_window < 1 || o->frame_window > 64) {
    fprintf (stderr,
        "artic-recv: error: frame window %d is out of range (1-64)\n",
        o->frame_window);
    return FALSE;
  }
  if (o->questions_file != NULL) {
    questions = artic_questions_load (o->questions_file, &error);
    if (questions == NULL) {
      fprintf (stderr, "artic-recv: error: bad questions file: %s\n",
          error->message);
      g_clear_error (&error);
      return FALSE;
    }
    g_array_unref (questions);
  }
  return TRUE;
}

static gboolean
artic_recv_check_session (ArticRecvOptions *o)
{
  if (o->transport != NULL && strcmp (o->transport, "session") != 0
      && strcmp (o->transport, "rtp") != 0) {
    fprintf (stderr,
        "artic-recv: error: unknown transport '%s' (session or rtp)\n",
        o->transport);
    return FALSE;
  }
  o->session = o->transport == NULL || strcmp (o->transport, "session") == 0;
  if (!o->session) {
    if (o->token_file != NULL || o->tls_cert != NULL || o->tls_key != NULL
        || o->signal_address != NULL || o->signal_port != -1
        || o->session_timeout_s != -1 || o->max_sessions != -1) {
      fprintf (stderr, "artic-recv: error: the signaling and session options "
                       "need --transport session\n");
      return FALSE;
    }
    return TRUE;
  }
  if (o->signal_port == -1)
    o->signal_port = ARTIC_PEER_CLI_DEFAULT_SIGNAL_PORT;
  if (o->session_timeout_s == -1)
    o->session_timeout_s = 10;
  if (o->max_sessions == -1)
    o->max_sessions = 1;
  if (o->signal_port < 1 || o->signal_port > 65535) {
    fprintf (stderr,
        "artic-recv: error: signaling port %d is out of range (1-65535)\n",
        o->signal_port);
    return FALSE;
  }
  if (o->session_timeout_s < 0 || o->session_timeout_s > 86400) {
    fprintf (stderr,
        "artic-recv: error: session timeout %d s is out of range "
        "(0-86400)\n",
        o->session_timeout_s);
    return FALSE;
  }
  if (o->max_sessions < 1 || o->max_sessions > 64) {
    fprintf (stderr,
        "artic-recv: error: max sessions %d is out of range (1-64)\n",
        o->max_sessions);
    return FALSE;
  }
  if (o->address != NULL && !g_hostname_is_ip_address (o->address)) {
    fprintf (stderr,
        "artic-recv: error: cannot listen on '%s': not an IP address\n",
        o->address);
    return FALSE;
  }
  if (o->signal_address != NULL
      && !g_hostname_is_ip_address (o->signal_address)) {
    fprintf (stderr,
        "artic-recv: error: signaling address '%s' is not an IP address\n",
        o->signal_address);
    return FALSE;
  }
  if (o->tls_key != NULL && o->tls_cert == NULL) {
    fprintf (stderr, "artic-recv: error: --tls-key needs --tls-cert\n");
    return FALSE;
  }
  if (o->tls_cert != NULL) {
    GError *error = NULL;
    GTlsCertificate *cert = g_tls_certificate_new_from_files (
        o->tls_cert, o->tls_key ? o->tls_key : o->tls_cert, &error);

    if (cert == NULL) {
      fprintf (stderr, "artic-recv: error: bad TLS certificate or key: %s\n",
          error->message);
      g_clear_error (&error);
      return FALSE;
    }
    g_object_unref (cert);
  }
  return TRUE;
}

static gboolean
artic_recv_parse_options (int argc, char **argv, ArticRecvOptions *o)
{
  GError *error = NULL;
  gboolean ok = TRUE;
  GOptionEntry entries[] = { { "port", 'P', 0, G_OPTION_ARG_INT, &o->port,
                                 "UDP port to listen on (default 5004)",
                                 "PORT" },
    { "address", 'a', 0, G_OPTION_ARG_STRING, &o->address,
        "Local IP address to listen on (default 0.0.0.0)", "ADDR" },
    { "codec", 0, 0, G_OPTION_ARG_STRING, &o->codec_name,
        "Codec the sender uses: vp8 (RTP payload type 96), vp9 (98) or "
        "h264 (102); default vp8",
        "NAME" },
    { "output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &o->output_dir,
        "Where sampled frames and frames.csv go (default artic-recv-out)",
        "DIR" },
    { "sample-rate", 'r', 0, G_OPTION_ARG_DOUBLE, &o->sample_rate,
        "Frames per second handed to the model (default 2)", "FPS" },
    { "jitter-ms", 'j', 0, G_OPTION_ARG_INT, &o->jitter_ms,
        "Jitter buffer latency in milliseconds (default 50)", "MS" },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &o->duration_s,
        "Stop this many seconds after the first packet (default: no limit)",
        "S" },
    { "idle-timeout", 't', 0, G_OPTION_ARG_DOUBLE, &o->idle_timeout_s,
        "Stop when no packet came for this long; 0 never (default 2)", "S" },
    { "wait", 'w', 0, G_OPTION_ARG_DOUBLE, &o->wait_s,
        "Fail if no packet came this long after start; 0 waits forever "
        "(default 0)",
        "S" },
    { "jpeg-quality", 0, 0, G_OPTION_ARG_INT, &o->jpeg_quality,
        "JPEG quality of the written frames, 1-100 (default 90)", "Q" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, "Print only the summary",
        NULL },
    { "mllm", 0, 0, G_OPTION_ARG_STRING, &o->mllm,
        "Ask the OpenAI-compatible API at URL about the sampled frames "
        "(e.g. http://127.0.0.1:8080/v1; API key from "
        "$" ARTIC_MLLM_DEFAULT_API_KEY_ENV ")",
        "URL" },
    { "model", 0, 0, G_OPTION_ARG_STRING, &o->model,
        "Model name for --mllm (default " ARTIC_MLLM_DEFAULT_MODEL ")", "M" },
    { "question", 0, 0, G_OPTION_ARG_STRING, &o->question,
        "Ask this question with the first frame", "TEXT" },
    { "questions", 0, 0, G_OPTION_ARG_FILENAME, &o->questions_file,
        "Ask the questions of FILE (lines SECONDS<TAB>question) at those "
        "times",
        "FILE" },
    { "questions-stdin", 0, 0, G_OPTION_ARG_NONE, &o->questions_stdin,
        "Ask each line typed on standard input", NULL },
    { "frame-window", 0, 0, G_OPTION_ARG_INT, &o->frame_window,
        "Most recent frames sent with each question (default 3)", "N" },
    { "mllm-image-size", 0, 0, G_OPTION_ARG_INT, &o->mllm_image_size,
        "Longest side of the JPEGs sent to the model, scaled down to fit "
        "(default 768)",
        "PX" },
    { "conceal", 0, 0, G_OPTION_ARG_NONE, &o->conceal,
        "Hand on only correctly decoded frames, repeating the last good one "
        "through losses (articconceal; the default; VP8 only)",
        NULL },
    { "no-conceal", 0, G_OPTION_FLAG_REVERSE, G_OPTION_ARG_NONE, &o->conceal,
        "Sample every decoded frame (articsampler)", NULL },
    { "handed-log", 0, 0, G_OPTION_ARG_FILENAME, &o->handed_log,
        "Write a CSV line per frame handed to the model to FILE: "
        "instant_us,capture_us,delivered_us,checksum,repeated",
        "FILE" },
    { "mllm-wait", 0, 0, G_OPTION_ARG_DOUBLE, &o->mllm_wait_s,
        "At the end, wait this long for pending answers (default 60)", "S" },
    { "transport", 0, 0, G_OPTION_ARG_STRING, &o->transport,
        "session (default: a peer session with SRTP and the context "
        "channel, set up over signaling) or rtp (plain RTP over UDP)",
        "NAME" },
    { "signal-address", 0, 0, G_OPTION_ARG_STRING, &o->signal_address,
        "Local IP address of the signaling server (default: --address)",
        "ADDR" },
    { "signal-port", 0, 0, G_OPTION_ARG_INT, &o->signal_port,
        "TCP port of the signaling server (default 5005)", "PORT" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &o->token_file,
        "File whose first line is the bearer token senders must present "
        "(default: $ARTIC_TOKEN)",
        "FILE" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &o->tls_cert,
        "Serve signaling over HTTPS with this PEM certificate", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &o->tls_key,
        "PEM private key of --tls-cert (default: in the certificate file)",
        "FILE" },
    { "session-timeout", 0, 0, G_OPTION_ARG_INT, &o->session_timeout_s,
        "End a session whose sender sent nothing valid for S seconds "
        "(default 10; 0: never)",
        "S" },
    { "max-sessions", 0, 0, G_OPTION_ARG_INT, &o->max_sessions,
        "Senders served at once (default 1)", "N" },
    { NULL } };
  GOptionContext *context
      = g_option_context_new ("- receive an artic stream and sample it");

  g_option_context_set_summary (context,
      "Receives RTP (VP8, VP9 or H.264), decodes it, and at the\n"
      "sampling rate writes frames as JPEG. frames.csv has one line per\n"
      "received frame. By default the stream comes through a peer session\n"
      "(the sender posts an offer with the bearer token to the signaling\n"
      "server; SRTP media; the sender's questions arrive on the context\n"
      "channel, go to --mllm, and the model's boxes go back);\n"
      "--transport rtp receives plain RTP on UDP.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    fprintf (stderr, "artic-recv: error: %s (see --help)\n", error->message);
    g_clear_error (&error);
    ok = FALSE;
  } else if (argc > 1) {
    fprintf (stderr,
        "artic-recv: error: unexpected argument '%s' "
        "(see --help)\n",
        argv[1]);
    ok = FALSE;
  } else if (o->codec_name != NULL
             && !artic_recv_codec_parse (o->codec_name, &o->codec, &error)) {
    fprintf (stderr, "artic-recv: error: %s\n", error->message);
    g_clear_error (&error);
    ok = FALSE;
  } else if (o->port < 1 || o->port > 65535) {
    fprintf (stderr, "artic-recv: error: port %d is out of range (1-65535)\n",
        o->port);
    ok = FALSE;
  } else if (!(o->sample_rate >= ARTIC_SAMPLER_MIN_RATE
                 && o->sample_rate <= ARTIC_SAMPLER_MAX_RATE)) {
    fprintf (stderr,
        "artic-recv: error: sample rate %g is out of range "
        "(%g to %g fps)\n",
        o->sample_rate, ARTIC_SAMPLER_MIN_RATE, ARTIC_SAMPLER_MAX_RATE);
    ok = FALSE;
  } else if (o->jitter_ms < 0 || o->jitter_ms > 10000) {
    fprintf (stderr,
        "artic-recv: error: jitter buffer latency %d ms is out "
        "of range (0-10000)\n",
        o->jitter_ms);
    ok = FALSE;
  } else if (o->jpeg_quality < 1 || o->jpeg_quality > 100) {
    fprintf (stderr,
        "artic-recv: error: JPEG quality %d is out of range "
        "(1-100)\n",
        o->jpeg_quality);
    ok = FALSE;
  } else if (!(o->duration_s >= 0 && o->idle_timeout_s >= 0 && o->wait_s >= 0
                 && o->mllm_wait_s >= 0)) {
    fprintf (stderr, "artic-recv: error: durations must not be negative\n");
    ok = FALSE;
  } else if (o->mllm == NULL
             && (o->question != NULL || o->questions_file != NULL
                 || o->questions_stdin || o->model != NULL)) {
    fprintf (stderr, "artic-recv: error: --model and the question options need "
                     "--mllm URL\n");
    ok = FALSE;
  } else if (o->mllm != NULL && !artic_recv_check_mllm (o)) {
    ok = FALSE;
  } else if (!artic_recv_check_session (o)) {
    ok = FALSE;
  }
  g_option_context_free (context);
  return ok;
}

static gboolean
artic_recv_prepare_output (ArticRecv *recv)
{
  const gchar *dir = recv->options.output_dir;
  gchar *path;

  if (g_mkdir_with_parents (dir, 0755) != 0) {
    fprintf (stderr, "artic-recv: error: cannot create '%s': %s\n", dir,
        g_strerror (errno));
    return FALSE;
  }
  path = g_build_filename (dir, "frames.csv", NULL);
  recv->log = fopen (path, "w");
  if (recv->log == NULL)
    fprintf (stderr, "artic-recv: error: cannot write '%s': %s\n", path,
        g_strerror (errno));
  g_free (path);
  if (recv->log == NULL)
    return FALSE;
  fprintf (recv->log, "capture_us,arrival_us,latency_ms,delivered_us,"
                      "delivery_latency_ms,bytes,keyframe,decoded,sampled,file,"
                      "repeated,age_ms,chain_intact\n");
  if (recv->options.handed_log != NULL) {
    recv->handed_log = fopen (recv->options.handed_log, "w");
    if (recv->handed_log == NULL) {
      fprintf (stderr, "artic-recv: error: cannot write '%s': %s\n",
          recv->options.handed_log, g_strerror (errno));
      return FALSE;
    }
    fprintf (recv->handed_log,
        "instant_us,capture_us,delivered_us,checksum,repeated\n");
  }
  return TRUE;
}

/* Every line typed is a question. */
static gboolean
artic_recv_on_stdin (
    GIOChannel *channel, GIOCondition condition, gpointer user_data)
{
  ArticRecv *recv = user_data;
  gchar *line = NULL;
  GIOStatus status;

  status = g_io_channel_read_line (channel, &line, NULL, NULL, NULL);
  if (status == G_IO_STATUS_NORMAL && line != NULL) {
    g_strstrip (line);
    if (*line != '\0')
      g_signal_emit_by_name (recv->mllm, "ask", line);
  }
  g_free (line);
  if (status == G_IO_STATUS_EOF || status == G_IO_STATUS_ERROR)
    return G_SOURCE_REMOVE;
  return G_SOURCE_CONTINUE;
}

/* The context channels' transport, from articpeer's stats (read before the
 * pipeline stops): tells a message lost on the way from one never sent. */
static void
artic_recv_print_channel_stats (const GstStructure *stats)
{
  guint64 sent = 0, received = 0, in = 0, out = 0, dropped = 0, failed = 0;
  gchar *line;

  gst_structure_get (stats, "sctp-messages-sent", G_TYPE_UINT64, &sent,
      "sctp-messages-received", G_TYPE_UINT64, &received, "sctp-packets-in",
      G_TYPE_UINT64, &in, "sctp-packets-out", G_TYPE_UINT64, &out,
      "sctp-dropped", G_TYPE_UINT64, &dropped, "data-auth-failed",
      G_TYPE_UINT64, &failed, NULL);
  printf ("artic-recv: context channels: %" G_GUINT64_FORMAT
          " messages sent, %" G_GUINT64_FORMAT
          " received; SCTP packets %" G_GUINT64_FORMAT " in, %" G_GUINT64_FORMAT
          " out, %" G_GUINT64_FORMAT " dropped on receipt, %" G_GUINT64_FORMAT
          " failed verification\n",
      sent, received, in, out, dropped, failed);
  line = artic_sctp_describe_process ();
  printf ("artic-recv: %s\n", line);
  g_free (line);
}

static gint
artic_recv_run (ArticRecv *recv)
{
  GError *error = NULL;
  GSocket *socket;
  GstBus *bus;
  guint bus_watch;
  GstStructure *peer_stats = NULL;

  if (recv->options.session) {
    /* articpeer binds its sockets itself, when it starts. */
    socket = NULL;
  } else {
    socket = artic_udp_bind_text (
        recv->options.address, (guint) recv->options.port, &error);
    if (socket == NULL) {
      fprintf (stderr, "artic-recv: error: cannot listen on %s:%d: %s\n",
          recv->options.address, recv->options.port, error->message);
      g_clear_error (&error);
      return 1;
    }
  }
  if (!artic_recv_prepare_output (recv)) {
    g_clear_object (&socket);
    return 1;
  }
  recv->pipeline = artic_recv_build_pipeline (recv, socket);
  g_clear_object (&socket);
  if (recv->pipeline == NULL)
    return 1;

  bus = gst_element_get_bus (recv->pipeline);
  bus_watch = gst_bus_add_watch (bus, artic_recv_on_bus, recv);
  gst_object_unref (bus);
  g_unix_signal_add (SIGINT, artic_recv_on_stop, recv);
  g_unix_signal_add (SIGTERM, artic_recv_on_stop, recv);
  g_timeout_add (100, artic_recv_on_tick, recv);
  if (recv->mllm != NULL && recv->options.questions_stdin) {
    recv->stdin_channel = g_io_channel_unix_new (0);
    g_io_add_watch (
        recv->stdin_channel, G_IO_IN | G_IO_HUP, artic_recv_on_stdin, recv);
  }

  if (!recv->options.quiet && recv->options.session)
    printf ("artic-recv: serving sessions (signaling on %s:%d, media on "
            "%s:%d), sampling %.2f fps into %s/\n",
        recv->options.signal_address ? recv->options.signal_address
                                     : recv->options.address,
        recv->options.signal_port, recv->options.address, recv->options.port,
        recv->options.sample_rate, recv->options.output_dir);
  else if (!recv->options.quiet)
    printf ("artic-recv: listening on %s:%d, sampling %.2f fps into %s/\n",
        recv->options.address, recv->options.port, recv->options.sample_rate,
        recv->options.output_dir);
  if (recv->mllm != NULL && !recv->options.quiet)
    printf (
        "artic-recv: asking %s about the sampled frames\n", recv->options.mllm);
  fflush (stdout);
  if (gst_element_set_state (recv->pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE)
    recv->exit_code = 1;
  else
    g_main_loop_run (recv->loop);
  if (recv->netpeer != NULL)
    g_object_get (recv->netpeer, "stats", &peer_stats, NULL);
  gst_element_set_state (recv->pipeline, GST_STATE_NULL);
  g_source_remove (bus_watch);

  g_mutex_lock (&recv->lock);
  artic_recv_flush_pending (recv);
  artic_recv_flush_held (recv);
  g_mutex_unlock (&recv->lock);
  if (recv->exit_code == 0)
    artic_recv_print_summary (recv);
  if (recv->exit_code == 0 && recv->mllm != NULL) {
    guint64 requests = 0, skipped = 0, saved = 0, reused = 0;

    g_object_get (recv->mllm, "requests", &requests, "chunks-skipped", &skipped,
        "tokens-saved", &saved, "images-reused", &reused, NULL);
    printf (
        "artic-recv: %u answers (%u failed); chunk cache: %" G_GUINT64_FORMAT
        " requests, %" G_GUINT64_FORMAT " chunks skipped (~%" G_GUINT64_FORMAT
        " image tokens saved), %" G_GUINT64_FORMAT
        " images re-sent from the cache\n",
        recv->answers, recv->answer_errors, requests, skipped, saved, reused);
  }
  if (recv->exit_code == 0 && recv->netpeer != NULL)
    printf ("artic-recv: context: %u questions from the sender, %u boxes "
            "sent back\n",
        recv->questions_received, recv->boxes_sent);
  if (recv->exit_code == 0 && peer_stats != NULL)
    artic_recv_print_channel_stats (peer_stats);
  if (peer_stats != NULL)
    gst_structure_free (peer_stats);
  if (recv->stdin_channel != NULL)
    g_io_channel_unref (recv->stdin_channel);
  g_clear_object (&recv->netpeer);
  g_clear_object (&recv->mllm);
  g_clear_object (&recv->conceal);
  g_clear_object (&recv->depay);
  g_clear_object (&recv->netsink);
  g_clear_object (&recv->peer);
  g_clear_object (&recv->rtp_session);
  return recv->exit_code;
}

/* The token senders must present: from --token-file or $ARTIC_TOKEN, never
 * from the command line. A missing token is a usage error. */
static gboolean
artic_recv_load_token (ArticRecv *recv)
{
  GError *error = NULL;

  if (!recv->options.session)
    return TRUE;
  recv->token = artic_peer_cli_load_token (recv->options.token_file, &error);
  if (recv->token == NULL) {
    fprintf (stderr, "artic-recv: error: %s\n", error->message);
    g_clear_error (&error);
    return FALSE;
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  ArticRecv recv = { 0 };
  gint exit_code = 2;

  gst_init (NULL, NULL);
  gst_artic_elements_register_static ();
  recv.options.port = 5004;
  recv.options.sample_rate = ARTIC_SAMPLER_DEFAULT_RATE;
  recv.options.jitter_ms = 50;
  recv.options.idle_timeout_s = 2.0;
  recv.options.jpeg_quality = 90;
  recv.options.frame_window = ARTIC_MLLM_DEFAULT_FRAME_WINDOW;
  recv.options.mllm_image_size = 768;
  recv.options.mllm_wait_s = 60.0;
  recv.options.conceal = TRUE;
  recv.options.signal_port = -1;
  recv.options.session_timeout_s = -1;
  recv.options.max_sessions = -1;

  if (artic_recv_parse_options (argc, argv, &recv.options)
      && artic_recv_load_token (&recv)) {
    artic_loss_counter_init (&recv.loss, recv.options.codec);
    recv.boxes_asked
        = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    if (recv.options.address == NULL)
      recv.options.address = g_strdup ("0.0.0.0");
    if (recv.options.output_dir == NULL)
      recv.options.output_dir = g_strdup ("artic-recv-out");
    g_mutex_init (&recv.lock);
    recv.frames
        = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
    recv.arrival_latency_ms = artic_series_new ();
    recv.sampled_latency_ms = artic_series_new ();
    recv.loop = g_main_loop_new (NULL, FALSE);
    exit_code = artic_recv_run (&recv);
    g_clear_object (&recv.pipeline);
    g_main_loop_unref (recv.loop);
    recv.draining = TRUE;
    g_hash_table_foreach_remove (recv.frames, artic_recv_frame_expired, &recv);
    g_hash_table_unref (recv.frames);
    artic_series_free (recv.arrival_latency_ms);
    artic_series_free (recv.sampled_latency_ms);
    g_hash_table_unref (recv.boxes_asked);
    g_mutex_clear (&recv.lock);
  }
  if (recv.token != NULL)
    artic_srtp_secret_free (recv.token);
  if (recv.log != NULL)
    fclose (recv.log);
  if (recv.handed_log != NULL)
    fclose (recv.handed_log);
  g_free (recv.options.address);
  g_free (recv.options.codec_name);
  g_free (recv.options.output_dir);
  g_free (recv.options.mllm);
  g_free (recv.options.model);
  g_free (recv.options.question);
  g_free (recv.options.questions_file);
  g_free (recv.options.handed_log);
  g_free (recv.options.transport);
  g_free (recv.options.signal_address);
  g_free (recv.options.token_file);
  g_free (recv.options.tls_cert);
  g_free (recv.options.tls_key);
  return exit_code;
}
